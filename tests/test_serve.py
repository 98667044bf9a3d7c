"""``kling-lint serve`` over real HTTP on 127.0.0.1: the examples, every bad request, the options.

Each test starts the real command (tests/serving.py) and talks to it with kling_lint.gateway or,
for what no well-behaved client sends, with a raw socket.
"""

from __future__ import annotations

import json
import signal
import socket
import time

import pytest
from serving import Served, invalid_bodies, serving, valid_bodies

from kling_lint import RULES, Severity
from kling_lint import gateway
from kling_lint.serve.server import is_loopback

MP4_BRAND = b"ftyp"


@pytest.fixture(scope="module")
def server():
    with serving("--job-seconds", "0.2", "--max-body", "4096", "--read-timeout", "1") as served:
        yield served


def _post(served: Served, body: bytes) -> gateway.Reply:
    return gateway.post_request(served.url, body)


def _raw(served: Served, data: bytes, limit: float = 5.0) -> bytes:
    """Send bytes as they are and read the answer until the server closes (or ``limit`` passes)."""
    with socket.create_connection(served.host_port, timeout=limit) as connection:
        connection.sendall(data)
        received = b""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    return received


def _status_and_error(answer: bytes) -> tuple[int, dict]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body)


@pytest.mark.parametrize(("name", "body"), valid_bodies(), ids=[name for name, _ in valid_bodies()])
def test_every_valid_example_becomes_a_job_that_completes_with_a_real_mp4(server, name, body):
    reply = _post(server, body)
    assert reply.status == 200, reply.document
    job = reply.document
    assert (job["status"], job["progress"], job["video_url"], job["error"]) == ("queued", 0, None, None)
    assert job["id"] == job["task_id"] and job["object"] == "video.generation.job"
    request = json.loads(body)
    assert job["model"] == request["model"] and job["duration"] == int(request.get("duration", 5))
    states = list(gateway.wait_for_job(server.url, job["id"], interval=0.02, limit=10))
    assert states[-1]["status"] == "completed" and states[-1]["progress"] == 100
    assert states[-1]["result"] == {"video_url": states[-1]["video_url"], "outputs": [states[-1]["video_url"]]}
    assert gateway.download(states[-1]["video_url"])[4:8] == MP4_BRAND


@pytest.mark.parametrize(("name", "body", "rule"), invalid_bodies(), ids=[name for name, _, _ in invalid_bodies()])
def test_every_invalid_example_is_refused_with_its_rule_or_warned_about(server, name, body, rule):
    reply = _post(server, body)
    if RULES[rule].severity is Severity.ERROR:
        assert reply.status == 400, reply.document
        error = reply.document["error"]
        assert error["type"] == "invalid_request_error"
        assert rule in {finding["rule"] for finding in reply.document["findings"]}
        first = next(f for f in reply.document["findings"] if f["severity"] == "error" and f["rule"] == error["code"])
        assert error["param"] == first["json_path"]
        assert all(isinstance(f["line"], int) and isinstance(f["column"], int) for f in reply.document["findings"])
    else:
        assert reply.status == 200, reply.document
        assert rule in {warning["rule"] for warning in reply.document["warnings"]}


def test_findings_are_placed_in_the_bodys_own_json_text(server):
    body = b'{\n  "model": "kling-v3-std-silent",\n  "prompt": "x",\n  "duration": 99\n}'
    finding = _post(server, body).document["findings"][0]
    assert (finding["rule"], finding["line"], finding["column"], finding["json_path"]) == ("duration-range", 4, 15, "$.duration")


def test_the_default_duration_comes_from_the_schema(server):
    from kling_lint.contract.schema import load_schema

    job = _post(server, b'{"model": "kling-v3-std-silent", "prompt": "a boat"}').document
    assert job["duration"] == load_schema()["properties"]["duration"]["default"]


def test_a_multi_shot_job_has_no_prompt(server):
    body = json.dumps({"model": "kling-v3-std-silent", "extra_body": {"shot_type": "customize", "multi_prompt": [{"prompt": "a"}]}})
    assert _post(server, body.encode()).document["prompt"] is None


def test_a_job_is_read_at_both_paths_and_an_unknown_one_is_404(server):
    job = _post(server, b'{"model": "kling-v3-std-silent", "prompt": "a boat"}').document
    for path in (f"/v1/videos/{job['id']}", f"/v1/video/generations/{job['id']}"):
        assert gateway.request("GET", server.url + path).document["id"] == job["id"]
    for path in ("/v1/videos/video_nope", "/v1/videos/video_nope/content"):
        reply = gateway.request("GET", server.url + path)
        assert (reply.status, reply.document["error"]["code"]) == (404, "not_found")


def test_a_video_before_the_job_ends_is_refused():
    with serving("--job-seconds", "30") as served:
        job = _post(served, b'{"model": "kling-v3-std-silent", "prompt": "a boat"}').document
        reply = gateway.request("GET", f"{served.url}/v1/videos/{job['id']}/content")
        assert reply.status == 409 and reply.document["error"]["code"] == "video_not_ready"
        polled = gateway.get_job(served.url, job["id"])
        assert polled.document["status"] == "queued" and int(polled.headers["openai-poll-after-ms"]) > 0


def _http(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


GOOD = b'{"model": "kling-v3-std-silent", "prompt": "a boat"}'
JSON_TYPE = {"Content-Type": "application/json"}
BAD_REQUESTS = {
    "not JSON": (_http("POST", "/v1/video/generations", {**JSON_TYPE, "Content-Length": "5"}, b"{nope"), 400, "syntax"),
    "empty": (_http("POST", "/v1/video/generations", {**JSON_TYPE, "Content-Length": "0"}), 400, "syntax"),
    "no length": (_http("POST", "/v1/video/generations", JSON_TYPE), 400, "syntax"),
    "not an object": (_http("POST", "/v1/video/generations", {**JSON_TYPE, "Content-Length": "2"}, b"[]"), 400, "type-mismatch"),
    "not UTF-8": (_http("POST", "/v1/video/generations", {**JSON_TYPE, "Content-Length": "2"}, b"\xff\xfe"), 400, "syntax"),
    "over the cap, never sent": (_http("POST", "/v1/video/generations", {**JSON_TYPE, "Content-Length": "5000"}), 413, "payload_too_large"),
    "a bad length": (_http("POST", "/v1/video/generations", {**JSON_TYPE, "Content-Length": "-1"}), 400, "invalid_content_length"),
    "two lengths": (_http("POST", "/v1/video/generations", {**JSON_TYPE, "Content-Length": "10", "content-length": "2"}, b"{}"), 400, "invalid_content_length"),
    "chunked": (_http("POST", "/v1/video/generations", {**JSON_TYPE, "Transfer-Encoding": "chunked"}, b"0\r\n\r\n"), 411, "length_required"),
    "no content type": (_http("POST", "/v1/video/generations", {"Content-Length": str(len(GOOD))}, GOOD), 415, "unsupported_media_type"),
    "a wrong content type": (_http("POST", "/v1/video/generations", {"Content-Type": "text/plain", "Content-Length": str(len(GOOD))}, GOOD), 415, "unsupported_media_type"),
    "GET on the endpoint": (_http("GET", "/v1/video/generations", {}), 405, "method_not_allowed"),
    "DELETE on a job": (_http("DELETE", "/v1/videos/video_1", {}), 405, "method_not_allowed"),
    "an unknown method": (_http("BREW", "/v1/video/generations", {}), 405, "method_not_allowed"),
    "an unknown path": (_http("POST", "/v1/images/generations", JSON_TYPE), 404, "unknown_url"),
    "garbage": (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, "malformed_request"),
    "HTTP/2.0": (b"GET /v1/videos/x HTTP/2.0\r\n\r\n", 400, "malformed_request"),
    "a bad header line": (b"GET /v1/videos/x HTTP/1.1\r\nno colon here\r\n\r\n", 400, "malformed_request"),
    "a huge request line": (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414, "malformed_request"),
    "too many headers": (b"GET /v1/videos/x HTTP/1.1\r\n" + b"X-A: b\r\n" * 200 + b"\r\n", 431, "malformed_request"),
    "a blank request line": (b"\r\n", 400, "malformed_request"),
    "a bare line feed": (b"\n", 400, "malformed_request"),
    "a line of blanks": (b" \t \r\n", 400, "malformed_request"),
    "blank lines, then a request": (b"\r\n\r\nGET /v1/videos/x HTTP/1.1\r\n\r\n", 400, "malformed_request"),
    "one word": (b"hello\r\n", 400, "malformed_request"),
    "control bytes": (b"\x00\xff\xfe\x01\r\n\r\n", 400, "malformed_request"),
}


@pytest.mark.parametrize("case", sorted(BAD_REQUESTS))
def test_each_bad_request_gets_its_4xx_in_the_gateways_error_shape(server, case):
    data, status, code = BAD_REQUESTS[case]
    got, document = _status_and_error(_raw(server, data))
    assert (got, document["error"]["code"]) == (status, code)
    assert set(document["error"]) == {"message", "type", "param", "code"}


def test_a_stray_line_break_after_a_body_is_not_taken_for_a_request(server):
    # RFC 9112 2.2: some clients end a body with an extra CRLF; on a kept-alive connection it
    # is skipped, so that no 400 is sent that the client would read as its next request's answer.
    post = _http("POST", "/v1/video/generations", {**JSON_TYPE, "Content-Length": str(len(GOOD))}, GOOD)
    answer = _raw(server, post.replace(b"Connection: close\r\n", b"") + b"\r\n" + _http("GET", "/v1/videos/none", {}))
    import re

    statuses = [int(status) for status in re.findall(rb"HTTP/1\.1 (\d{3}) ", answer)]  # one answer follows the other's body
    assert statuses == [200, 404], answer[:500]


def test_an_absolute_form_target_is_read_as_its_path(server):
    answer = _raw(server, _http("POST", "http://127.0.0.1/v1/video/generations", {**JSON_TYPE, "Content-Length": str(len(GOOD))}, GOOD))
    assert answer.startswith(b"HTTP/1.1 200 ")


def test_100_continue_is_sent_only_for_a_body_the_server_will_read(server):
    expect = {**JSON_TYPE, "Expect": "100-continue"}
    refused = _raw(server, _http("POST", "/v1/video/generations", {**expect, "Content-Length": "5000"}))
    assert refused.startswith(b"HTTP/1.1 413 ")
    with socket.create_connection(server.host_port, timeout=5) as connection:
        connection.sendall(_http("POST", "/v1/video/generations", {**expect, "Content-Length": str(len(GOOD))}))
        assert connection.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
        connection.sendall(GOOD)
        assert connection.recv(65536).startswith(b"HTTP/1.1 200 ")


def test_405_names_the_allowed_method(server):
    answer = _raw(server, _http("GET", "/v1/video/generations", {}))
    assert b"\r\nAllow: POST\r\n" in answer


def test_a_client_that_sends_slowly_is_cut_off_by_the_read_timeout(server):
    """A header byte every 0.1 s: each read is quick, but the request never ends (slowloris)."""
    import select

    answer = None
    with socket.create_connection(server.host_port, timeout=5) as connection:
        connection.sendall(b"POST /v1/video/generations HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        for _ in range(50):
            try:
                connection.sendall(b"X")
                if select.select([connection], [], [], 0.1)[0]:
                    answer = connection.recv(65536)
                    break
            except OSError:
                answer = b""
                break
        took = time.monotonic() - started
    assert answer is not None and took < 2.5, took  # --read-timeout 1
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408 ")


def test_a_body_that_never_arrives_gets_408_and_the_connection_is_closed(server):
    started = time.monotonic()
    answer = _raw(server, _http("POST", "/v1/video/generations", {**JSON_TYPE, "Content-Length": "100"}, b"{"))
    assert b" 408 " in answer.split(b"\r\n", 1)[0]
    assert time.monotonic() - started < 3


def test_keep_alive_serves_several_requests_on_one_connection(server):
    import http.client

    connection = http.client.HTTPConnection(*server.host_port, timeout=5)
    for _ in range(3):
        connection.request("POST", "/v1/video/generations", body=GOOD, headers=JSON_TYPE)
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read())["status"] == "queued"
    connection.close()


def test_the_log_has_one_line_a_request_with_the_rules_of_a_refusal():
    with serving() as served:
        _post(served, b'{"model": "kling-v3-std-silent", "prompt": "", "duration": 99}')
        gateway.request("GET", served.url + "/nowhere")
        lines = served.wait_for_log(2)
    post, get = lines
    method, path, status, rules, milliseconds, unit = post.split(" ")
    assert (method, path, status, unit) == ("POST", "/v1/video/generations", "400", "ms")
    assert set(rules.split(",")) == {"duration-range", "prompt-empty"} and float(milliseconds) >= 0
    assert get.split(" ")[:4] == ["GET", "/nowhere", "404", "-"]


def test_require_token_refuses_a_missing_or_malformed_token_and_never_logs_one():
    token = "sk-test-" + "q" * 24
    with serving("--require-token") as served:
        assert gateway.post_request(served.url, GOOD).status == 401
        for header in ("Basic abc", "Bearer", "Bearer two words", token):
            answer = _raw(served, _http("POST", "/v1/video/generations", {**JSON_TYPE, "Authorization": header, "Content-Length": str(len(GOOD))}, GOOD))
            assert _status_and_error(answer) [0] == 401, header
        reply = gateway.post_request(served.url, GOOD, token=token)
        assert reply.status == 200
        gateway.get_job(served.url + f"?key={token}", reply.document["id"], token=token)
        served.wait_for_log(7)
        served.stop()
    assert not [line for line in served.log if token in line or "qqqq" in line]


def test_fail_rate_1_ends_every_job_failed_with_an_error_and_no_video():
    with serving("--fail-rate", "1", "--job-seconds", "0") as served:
        for _ in range(3):
            job = _post(served, GOOD).document
            ended = list(gateway.wait_for_job(served.url, job["id"], interval=0.01, limit=5))[-1]
            assert ended["status"] == "failed" and ended["video_url"] is None and ended["result"] is None
            assert set(ended["error"]) == {"code", "message"}
            assert gateway.request("GET", f"{served.url}/v1/videos/{job['id']}/content").status == 409


def _outcomes(seed: str) -> list[tuple[str, str]]:
    with serving("--fail-rate", "0.5", "--seed", seed, "--job-seconds", "0") as served:
        jobs = [_post(served, GOOD).document["id"] for _ in range(12)]
        return [(job, gateway.get_job(served.url, job).document["status"]) for job in jobs]


def test_a_seed_gives_the_same_ids_and_outcomes_every_run():
    first = _outcomes("7")
    assert first == _outcomes("7")
    assert {status for _, status in first} == {"completed", "failed"}
    assert first != _outcomes("8")


def test_jobs_are_bounded_the_oldest_forgotten():
    with serving("--max-jobs", "3", "--job-seconds", "0") as served:
        ids = [_post(served, GOOD).document["id"] for _ in range(5)]
        assert [gateway.get_job(served.url, job).status for job in ids] == [404, 404, 200, 200, 200]


def test_latency_is_added_to_every_answer():
    with serving("--latency", "300") as served:
        started = time.monotonic()
        gateway.request("GET", served.url + "/nowhere")
        assert time.monotonic() - started >= 0.3


@pytest.mark.parametrize("sign", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_stop_it_within_2_seconds_without_a_traceback(sign):
    with serving() as served:
        _post(served, GOOD)
        with socket.create_connection(served.host_port):  # an idle client does not hold it up
            took = served.stop(sign)
        assert took < 2 and served.process.returncode == 0
        served.wait_for_log(1)
    assert not [line for line in served.log if "Traceback" in line]
    assert served.log[-1] == "kling-lint serve: stopped"


def test_a_port_in_use_is_a_clear_error_with_status_2():
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "kling_lint", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=20)
    assert result.returncode == 2 and "cannot listen on 127.0.0.1" in result.stderr and "Traceback" not in result.stderr


def test_only_loopback_hosts_are_quiet():
    assert all(is_loopback(host) for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "192.168.1.10", "example.com", "::"))
