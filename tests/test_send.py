"""``dry-run --send URL [--wait]``, and the commands of ``kling-lint curl``, against a real
``kling-lint serve`` (or a small gateway stand-in) that each test starts on 127.0.0.1.

kling-lint runs as a process, as a person runs it: what is asserted is its exit status, what it
prints, and what the server logged having received.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from serving import serving

from kling_lint.load import SUFFIXES, format_of, load

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
VALID = sorted(str(p.relative_to(ROOT)) for p in EXAMPLES.iterdir() if p.suffix in SUFFIXES)
INVALID = "examples/invalid/duration-range.yaml"
POSTED = "POST /v1/video/generations "
TOKEN = "kt-send-test-7f3a9c2e51d84b06"  # what KLING_API_KEY holds in these tests
FAST = ("--job-seconds", "0.3", "--seed", "5")


def kling_lint(*args: str, token: str | None = TOKEN, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "KLING_API_KEY"}
    if token is not None:
        env["KLING_API_KEY"] = token
    env["NO_PROXY"] = "*"
    return subprocess.run([sys.executable, "-m", "kling_lint", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout)


def requests_in(path: str) -> list[Any]:
    data = (ROOT / path).read_bytes()
    return [document.value for document in load(data, format_of(path, data)).documents]


def posts(log: list[str]) -> list[str]:
    return [line for line in log if line.startswith(POSTED)]


def test_the_valid_examples_are_what_this_module_sends() -> None:
    assert len(VALID) >= 10 and all(not name.startswith("examples/invalid") for name in VALID)


# ---------------------------------------------------------------- against kling-lint serve


def test_every_valid_example_is_sent_and_waited_to_completed() -> None:
    with serving(*FAST, "--require-token") as server:
        result = kling_lint("dry-run", "--format", "json", "--no-curl", "--send", server.url, "--wait", *VALID)
        log = server.wait_for_log(1)
    assert result.returncode == 0, result.stderr + result.stdout[-3000:]
    document = json.loads(result.stdout)
    records = document["requests"]
    assert len(records) == sum(len(requests_in(path)) for path in VALID)
    assert len(posts(log)) == len(records) and all(" 200 " in line for line in posts(log))
    ids = set()
    for record in records:
        sent = record["sent"]
        assert sent["status"] == 200 and sent["error"] is None, record
        job = sent["answer"]
        assert job["object"] == "video.generation.job" and job["status"] == "queued"
        assert (job["model"], job["duration"]) == (record["model"], record["seconds"])  # the request that arrived
        states = [state["status"] for state in sent["states"]]
        assert states[-1] == "completed" and set(states) <= {"queued", "in_progress", "completed"}
        assert sent["states"][-1]["video_url"] == f"{server.url}/v1/videos/{job['id']}/content"
        ids.add(job["id"])
    assert len(ids) == len(records)
    assert document["summary"]["send"] == {"url": server.url, "requests": len(records), "sent": len(records), "accepted": len(records),
                                           "refused": 0, "completed": len(records), "failed": 0, "held": False, "problem": None}


def test_the_text_output_shows_each_answer_and_each_jobs_states() -> None:
    with serving("--job-seconds", "2", "--seed", "5") as server:  # in_progress for 1.6 s: several polls see it
        result = kling_lint("dry-run", "--no-curl", "--send", server.url, "--wait", "examples/batch.jsonl")
    assert result.returncode == 0, result.stdout + result.stderr
    section = result.stdout.split(f"sending 3 requests to {server.url}\n", 1)[1]
    answers = [line for line in section.splitlines() if line.startswith("  examples/batch.jsonl:")]
    assert [line.split("  ")[1] for line in answers] == [f"examples/batch.jsonl:{n} (request {n})" for n in (1, 2, 3)]
    assert all("200 OK  job video_" in line and line.endswith("  queued") for line in answers)
    first = answers[0].split("job ")[1].split()[0]
    states = [line.split()[1] for line in section.splitlines() if line.startswith(f"  {first}  ")]
    order = ["queued", "in_progress", "completed"]
    assert states == sorted(set(states), key=order.index) and "in_progress" in states and states[-1] == "completed"  # each once, in order
    assert f"{server.url}/v1/videos/{first}/content" in section
    assert "sent 3 of 3 requests: 3 accepted, 0 refused; 3 completed, 0 failed" in section


def test_without_wait_the_answer_is_shown_and_no_job_is_polled() -> None:
    with serving(*FAST) as server:
        result = kling_lint("dry-run", "--no-curl", "--send", server.url, "examples/text-to-video.json")
        log = server.wait_for_log(1)
    assert result.returncode == 0
    assert "200 OK  job video_" in result.stdout and "waiting" not in result.stdout
    assert len(log) == 1 and log[0].startswith(POSTED)


def test_an_invalid_request_is_refused_before_anything_is_sent() -> None:
    with serving(*FAST) as server:
        result = kling_lint("dry-run", "--no-curl", "--send", server.url, "--wait", "examples/text-to-video.json", INVALID)
        log = server.wait_for_log(1, limit=1.0)  # give a stray request time to show up
    assert result.returncode == 1
    assert log == []  # the valid request was not sent either: a run is sent whole or not at all
    assert f"nothing sent: 1 request has errors (--send sends a run only when it has no error); {server.url} received nothing" in result.stdout
    assert "duration-range" in result.stdout and "sending" not in result.stdout


def test_an_unreadable_file_sends_nothing_and_exits_2() -> None:
    with serving(*FAST) as server:
        result = kling_lint("dry-run", "--send", server.url, "examples/text-to-video.json", "examples/no-such-file.json")
        log = server.wait_for_log(1, limit=0.5)
    assert result.returncode == 2 and log == []
    assert "nothing sent: a file gave no request" in result.stdout


def test_fail_rate_1_shows_failed_jobs_and_exits_1() -> None:
    with serving("--job-seconds", "0.3", "--fail-rate", "1") as server:
        result = kling_lint("dry-run", "--no-curl", "--send", server.url, "--wait", "examples/batch.jsonl")
        as_json = kling_lint("dry-run", "--format", "json", "--no-curl", "--send", server.url, "--wait", "examples/text-to-video.json")
    assert result.returncode == 1, result.stderr
    failed = [line for line in result.stdout.splitlines() if "  failed  " in line]
    assert len(failed) == 3 and all("generation_failed: the video could not be generated" in line for line in failed)
    assert "3 accepted, 0 refused; 0 completed, 3 failed" in result.stdout
    assert as_json.returncode == 1
    states = json.loads(as_json.stdout)["requests"][0]["sent"]["states"]
    assert states[-1]["status"] == "failed" and states[-1]["error"]["code"] == "generation_failed" and states[-1]["video_url"] is None


def test_the_token_is_sent_but_never_printed() -> None:
    with serving(*FAST, "--require-token") as server:
        results = [kling_lint("dry-run", *fmt, "--send", server.url, "--wait", "examples/batch.yaml") for fmt in ([], ["--format", "json"])]
        log = list(server.log)
    for result in results:
        assert result.returncode == 0, result.stdout[-2000:]  # --require-token: the token arrived
        assert TOKEN not in result.stdout + result.stderr
    assert TOKEN not in "\n".join(log)


def test_a_missing_token_gets_the_gateways_401_and_exit_1() -> None:
    with serving(*FAST, "--require-token") as server:
        result = kling_lint("dry-run", "--no-curl", "--send", server.url, "examples/text-to-video.json", token=None)
    assert result.returncode == 1
    assert "401 Unauthorized  refused: invalid_api_key: missing or malformed Authorization header" in result.stdout
    assert "(is $KLING_API_KEY set?)" in result.stdout and "0 accepted, 1 refused" in result.stdout


def test_a_refusal_by_the_gateway_is_shown_clearly_and_sending_goes_on() -> None:
    # A warning-only request is sent; a gateway stricter than kling-lint may still refuse it.
    def answer(handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, str, bytes]:
        request = json.loads(body)
        if request.get("duration") == 8:
            return 400, "application/json", json.dumps({"error": {"message": "duration 8 is not offered here", "type": "invalid_request_error",
                                                                  "param": "$.duration", "code": "bad_duration"}}).encode()
        return 200, "application/json", json.dumps({"id": f"job-{request['duration']}", "status": "queued"}).encode()

    with gateway_stand_in(answer) as (url, seen):
        result = kling_lint("dry-run", "--no-curl", "--send", url, "examples/batch.jsonl")
    assert result.returncode == 1
    assert len(seen) == 3  # the refusal did not stop the others
    assert [json.loads(body) for _, body in seen] == requests_in("examples/batch.jsonl")  # bodies as the file gives them
    assert "examples/batch.jsonl:2 (request 2)  400 Bad Request  refused: bad_duration: duration 8 is not offered here" in result.stdout
    assert "sent 3 of 3 requests: 2 accepted, 1 refused" in result.stdout


# ---------------------------------------------------------------- a gateway that cannot be talked to


def test_a_server_that_is_down_is_a_clear_message_and_exit_2() -> None:
    port = _closed_port()
    for fmt in ([], ["--format", "json"]):
        result = kling_lint("dry-run", *fmt, "--no-curl", "--send", f"http://127.0.0.1:{port}", "--wait", "examples/batch.jsonl")
        assert result.returncode == 2
        assert "Traceback" not in result.stdout + result.stderr
        assert "Connection refused" in result.stdout
    text = kling_lint("dry-run", "--no-curl", "--send", f"http://127.0.0.1:{port}", "examples/batch.jsonl").stdout
    assert f"examples/batch.jsonl:1 (request 1)  no answer: POST http://127.0.0.1:{port}/v1/video/generations: [Errno 111] Connection refused" in text
    assert "sent 0 of 3 requests: 0 accepted, 0 refused (stopped at the problem above)" in text
    assert "request 2)" not in text.split("sending", 1)[1]  # it stopped at the first


def test_user_info_and_tokens_in_the_url_are_never_printed() -> None:
    # A gateway URL pasted with its credentials (user:password@, a key in the query) must not
    # show them in any message: "sending to", the network error, the tally, the JSON summary.
    port = _closed_port()
    url = f"http://kling:hunter2-pass@127.0.0.1:{port}/v1?key=sk-proj-abcdefghijklmnop1234"
    for fmt in ([], ["--format", "json"]):
        result = kling_lint("dry-run", *fmt, "--no-curl", "--send", url, "--wait", "examples/batch.jsonl")
        shown = result.stdout + result.stderr
        assert result.returncode == 2 and "Traceback" not in shown
        assert "hunter2" not in shown and "kling:" not in shown and "abcdefghijklmnop1234" not in shown
        assert f"http://127.0.0.1:{port}/v1" in shown and "Connection refused" in shown
    held = kling_lint("dry-run", "--format", "json", "--send", url, INVALID)  # nothing sent: the tally still names the URL
    assert held.returncode == 1 and "hunter2" not in held.stdout + held.stderr
    assert json.loads(held.stdout)["summary"]["send"]["url"] == f"http://127.0.0.1:{port}/v1?key=sk-****"


def test_a_url_with_a_port_that_is_not_a_number_is_a_usage_error_without_the_password() -> None:
    result = kling_lint("dry-run", "--send", "http://kling:hunter2-pass@127.0.0.1:abc/", "examples/text-to-video.json")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "port" in result.stderr and "hunter2" not in result.stdout + result.stderr


def test_a_gateway_that_never_answers_times_out_with_exit_2() -> None:
    with socket.socket() as listener:  # accepts connections (the kernel's backlog) and never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        result = kling_lint("dry-run", "--format", "json", "--send", url, "--timeout", "0.5", "examples/text-to-video.json")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "timed out" in json.loads(result.stdout)["summary"]["send"]["problem"]


def test_an_answer_that_is_not_json_is_a_clear_message_and_exit_2() -> None:
    with gateway_stand_in(lambda handler, body: (502, "text/html", b"<html><body>Bad Gateway</body></html>")) as (url, seen):
        result = kling_lint("dry-run", "--no-curl", "--send", url, "examples/batch.jsonl")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(seen) == 1
    assert "no answer: the gateway answered 502 with a body that is not JSON (text/html): '<html><body>Bad Gateway</body></html>'" in result.stdout


def test_a_gateway_that_echoes_the_token_has_it_masked() -> None:
    def echo(handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, str, bytes]:
        said = handler.headers.get("Authorization", "")
        return 401, "application/json", json.dumps({"error": {"message": f"token {said} rejected", "code": "nope"}, "echo": said}).encode()

    with gateway_stand_in(echo) as (url, seen):
        results = [kling_lint("dry-run", *fmt, "--send", url, "examples/text-to-video.json") for fmt in ([], ["--format", "json"])]
    assert seen[0][0] == f"Bearer {TOKEN}"
    for result in results:
        assert result.returncode == 1
        assert TOKEN not in result.stdout + result.stderr and "****" in result.stdout


def test_bad_send_options_are_usage_errors() -> None:
    assert kling_lint("dry-run", "--wait", "examples/text-to-video.json").returncode == 2
    result = kling_lint("dry-run", "--send", "ftp://127.0.0.1/", "examples/text-to-video.json")
    assert result.returncode == 2 and "http:// or https://" in result.stderr


# ---------------------------------------------------------------- kling-lint curl's commands, run by bash, against serve

NEEDED = [name for name in ("bash", "curl") if shutil.which(name) is None]


@pytest.mark.skipif(bool(NEEDED), reason=f"needs {', '.join(NEEDED)} (.ci/run installs them)")
@pytest.mark.parametrize("style", [[], ["--pretty"]], ids=["compact", "pretty"])
def test_every_examples_curl_command_gets_a_200_from_serve(style: list[str], tmp_path: pathlib.Path) -> None:
    every_request = [request for path in VALID for request in requests_in(path)]
    with serving(*FAST, "--require-token") as server:
        result = kling_lint("curl", *style, "--base-url", server.url, *VALID)
        assert result.returncode == 0, result.stderr
        assert result.stdout.count("\ncurl -X POST ") + result.stdout.startswith("curl") == len(every_request)
        script = tmp_path / "commands.sh"
        script.write_text(result.stdout, encoding="utf-8")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "KLING_API_KEY": TOKEN, "NO_PROXY": "*"}
        ran = subprocess.run(["bash", "--norc", "--noprofile", str(script)], capture_output=True, text=True, env=env, timeout=60)
        log = server.wait_for_log(len(every_request))
    assert ran.returncode == 0, ran.stderr
    decoder = json.JSONDecoder()
    answers, at = [], 0
    while at < len(ran.stdout):  # curl prints the answers one after another
        answer, at = decoder.raw_decode(ran.stdout, at)
        answers.append(answer)
    assert [answer["object"] for answer in answers] == ["video.generation.job"] * len(every_request), ran.stdout
    assert [(answer["model"], answer["prompt"]) for answer in answers] == [
        (request["model"], request.get("prompt")) for request in every_request]  # each body arrived, in order
    assert len(posts(log)) == len(every_request) and all(line.startswith(POSTED + "200 ") for line in posts(log))  # --require-token: with the token


# ---------------------------------------------------------------- helpers


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (just released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def gateway_stand_in(answer: Any) -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    """A gateway on 127.0.0.1 whose POST answers come from ``answer(handler, body)``; yields its
    URL and the (Authorization header, body) of each POST it received."""
    seen: list[tuple[str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append((self.headers.get("Authorization", ""), body))
            status, content_type, data = answer(self, body)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
