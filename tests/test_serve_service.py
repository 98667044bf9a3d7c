"""Laws of the service and its jobs, checked in-process (no sockets): what any body or header gets.

Over HTTP the same service is exercised by test_serve.py; here Hypothesis drives it with many
more requests than a server round trip would allow.
"""

from __future__ import annotations

import json
from email.message import Message

from hypothesis import assume, example, given
from hypothesis import strategies as st
from strategies import ASPECT_RATIOS, DEFAULT_DURATION, fuzzy_requests, valid_requests

import kling_lint
from kling_lint import Severity
from kling_lint.gateway import service_root
from kling_lint.serve.jobs import Jobs
from kling_lint.serve.service import Service, Settings

SETTINGS = Settings(job_seconds=3.0, fail_rate=0.0, seed=1, latency_ms=0, require_token=False, max_body=1024 * 1024, max_jobs=50, read_timeout=1.0)
REFUSALS = {400, 411, 413, 415}


def _headers(**fields: str) -> Message:
    headers = Message()
    for name, value in fields.items():
        headers[name.replace("_", "-")] = value
    return headers


def _post(service: Service, body: bytes, content_type: str = "application/json", length: str | None = None):
    headers = _headers(Content_Type=content_type, Content_Length=str(len(body)) if length is None else length)
    return service.answer("POST", "/v1/video/generations", headers, lambda n: body[:n], "http://127.0.0.1:8080")


@given(valid_requests())
def test_a_valid_request_becomes_a_queued_job_carrying_its_fields(request):
    answer = _post(Service(SETTINGS), json.dumps(request).encode())
    assert answer.status == 200
    job = json.loads(answer.body)
    assert (job["status"], job["progress"], job["model"]) == ("queued", 0, request["model"])
    assert job["duration"] == int(request.get("duration", DEFAULT_DURATION))
    is_multi_shot = "multi_prompt" in request.get("extra_body", {})
    assert job["prompt"] == (None if is_multi_shot else request["prompt"])
    assert {warning["severity"] for warning in job["warnings"]} <= {"warning"}


@given(fuzzy_requests())
def test_a_request_is_refused_exactly_when_check_finds_an_error(request):
    try:
        body = json.dumps(request, allow_nan=False).encode()
    except (ValueError, TypeError):
        assume(False)
    assume(len(body) <= SETTINGS.max_body)
    answer = _post(Service(SETTINGS), body)
    has_error = any(finding.severity is Severity.ERROR for finding in kling_lint.lint(request))
    assert answer.status == (400 if has_error else 200)
    if has_error:
        document = json.loads(answer.body)
        assert document["error"]["code"] in {finding.rule for finding in kling_lint.lint(request)}


@given(st.binary(max_size=300), st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain", "", "APPLICATION/JSON"]),
       st.one_of(st.none(), st.text(max_size=8)))
@example(b"", "application/json", "0\x1f")  # str.strip() takes \x1f for a blank, int() does not
def test_any_body_and_headers_get_a_job_or_a_4xx_in_the_error_shape_never_an_exception(body, content_type, length):
    answer = _post(Service(SETTINGS), body, content_type, length)
    document = json.loads(answer.body)
    assert answer.status == 200 or answer.status in REFUSALS
    if answer.status != 200:
        assert set(document["error"]) == {"message", "type", "param", "code"}


@given(st.lists(st.floats(min_value=0, max_value=10, allow_nan=False), min_size=1, max_size=20), st.booleans())
def test_a_job_only_moves_forward_from_queued_at_0_to_its_end_at_100(times, fails):
    order = {"queued": 0, "in_progress": 1, "completed": 2, "failed": 2}
    now = [0.0]
    jobs = Jobs(job_seconds=3.0, fail_rate=1.0 if fails else 0.0, seed=None, limit=5, clock=lambda: now[0])
    job = jobs.create({"model": "kling-v3-std-silent", "prompt": "x"}, [])
    assert jobs.status(job) == ("queued", 0)
    seen = []
    for moment in sorted(times) + [3.0]:
        now[0] = moment
        seen.append(jobs.status(job))
    assert [order[s] for s, _ in seen] == sorted(order[s] for s, _ in seen)
    assert [p for _, p in seen] == sorted(p for _, p in seen)
    assert seen[-1] == ("failed" if fails else "completed", 100)


def test_the_aspect_ratio_of_a_job_is_the_requests_or_the_default():
    jobs = Jobs(job_seconds=0, fail_rate=0, seed=None, limit=5)
    assert jobs.create({"model": "m", "prompt": "x", "aspect_ratio": "9:16"}, []).aspect_ratio == "9:16"
    assert jobs.create({"model": "m", "prompt": "x"}, []).aspect_ratio == ASPECT_RATIOS[0]


def test_the_client_takes_a_root_a_v1_base_or_the_endpoint():
    for url in ("http://h:1", "http://h:1/", "http://h:1/v1", "http://h:1/v1/", "http://h:1/v1/video/generations"):
        assert service_root(url) == "http://h:1", url
    assert service_root("http://h:1/proxy/v1") == "http://h:1/proxy"

