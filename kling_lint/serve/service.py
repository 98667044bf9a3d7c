"""What each request gets: a status, headers and a body, worked out without any socket.

The HTTP server (server.py) reads the request line and headers, and hands the body over as a
function it may call: a body is read only once the path, the method, the token, the announced
length and the content type are known to be acceptable, so that an oversized body is refused
from its Content-Length alone. Every refusal has the gateway's error shape (SPEC.md, "What the
service answers"): ``{"error": {"message", "type", "param", "code"}}``, plus ``findings`` when
the body itself is the problem.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from ..engine import lint_bytes
from ..findings import Finding, Severity
from ..report.json_format import diagnostic
from .jobs import Job, Jobs
from .media import video_bytes

JSON = "application/json"
GENERATIONS = "/v1/video/generations"
# A job is read at either path; its video at the first one's /content.
JOB_PATHS = re.compile(r"^/v1/(?:videos|video/generations)/(?P<id>[A-Za-z0-9_.-]{1,128})(?P<content>/content)?$")
BEARER = re.compile(r"^Bearer +[A-Za-z0-9\-._~+/]+=*$", re.IGNORECASE)  # RFC 6750's token68
LENGTH = re.compile(r"[0-9]{1,18}")
# The longest a client may be told to wait between two polls (the OpenAI SDK reads this header).
POLL_AFTER_MS = (50, 1000)


class Settings(NamedTuple):
    """The server's behaviour, all from the command line (cli.py holds the defaults)."""

    job_seconds: float
    fail_rate: float
    seed: int | None
    latency_ms: int
    require_token: bool
    max_body: int
    max_jobs: int
    read_timeout: float


class Answer(NamedTuple):
    status: int
    body: bytes
    content_type: str = JSON
    headers: tuple[tuple[str, str], ...] = ()
    rules: tuple[str, ...] = ()  # the rule ids of a refused body, for the log line
    close: bool = False  # end the connection after answering (a body left unread, a bad length)


def refusal(status: int, message: str, code: str, param: str | None = None, findings: list[dict[str, object]] | None = None,
            headers: tuple[tuple[str, str], ...] = (), rules: tuple[str, ...] = (), close: bool = False) -> Answer:
    """An answer in the gateway's error shape; the message masked, since it may echo what the
    client sent (a path, a method, a content type) and a token never appears in output."""
    from ..redact import redact

    document: dict[str, Any] = {"error": {"message": redact(message), "type": "invalid_request_error", "param": param, "code": code}}
    if findings is not None:
        document["findings"] = findings
    return Answer(status, _json(document), headers=headers, rules=rules, close=close)


def _json(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


class Service:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic, wall: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.jobs = Jobs(settings.job_seconds, settings.fail_rate, settings.seed, settings.max_jobs, clock, wall)

    def answer(self, method: str, target: str, headers: Mapping[str, str], read_body: Callable[[int], bytes], base_url: str) -> Answer:
        """The answer to one request. ``headers`` looks names up case-insensitively."""
        path = target.split("?", 1)[0]
        if path.startswith(("http://", "https://")):  # the absolute form a proxy-minded client may send
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
        match = JOB_PATHS.match(path)
        if path != GENERATIONS and match is None:
            return refusal(404, f"no such path: {path[:200]}", "unknown_url")
        allowed = "POST" if path == GENERATIONS else "GET"
        if method != allowed:
            return refusal(405, f"{method} is not allowed on {path}; use {allowed}", "method_not_allowed", headers=(("Allow", allowed),))
        if self.settings.require_token and not BEARER.match(headers.get("Authorization", "")):
            return refusal(401, "missing or malformed Authorization header; send 'Authorization: Bearer $KLING_API_KEY'",
                           "invalid_api_key", headers=(("WWW-Authenticate", "Bearer"),))
        if match is None:
            return self._create(headers, read_body, base_url)
        job = self.jobs.get(match["id"])
        if job is None:
            return refusal(404, f"no job {match['id']!r} (unknown, or forgotten: the server keeps the last {self.settings.max_jobs})", "not_found")
        if match["content"]:
            return self._video(job)
        return self._job(job, base_url)

    def _create(self, headers: Mapping[str, str], read_body: Callable[[int], bytes], base_url: str) -> Answer:
        length = _content_length(headers)
        if isinstance(length, Answer):
            return length
        if length > self.settings.max_body:
            return refusal(413, f"the body is {length} bytes; this server takes at most {self.settings.max_body} (--max-body)",
                           "payload_too_large", close=True)
        media_type = headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if media_type != JSON:
            shown = f"'{media_type[:100]}'" if media_type else "missing"
            return refusal(415, f"the content type is {shown}; send the body as 'Content-Type: application/json'", "unsupported_media_type")
        return self.check_body(read_body(length), base_url)

    def check_body(self, body: bytes, base_url: str) -> Answer:
        """A job for a body with no error finding; the findings for one that has any."""
        findings = lint_bytes(body, "request.json", "json")
        errors = [finding for finding in findings if finding.severity is Severity.ERROR]
        if errors:
            return _refused_body(errors, findings)
        warnings = [diagnostic(finding) for finding in findings]
        job = self.jobs.create(json.loads(body), warnings)
        return Answer(200, _json(self.jobs.view(job, _video_url(base_url, job), new=True)))

    def _job(self, job: Job, base_url: str) -> Answer:
        view = self.jobs.view(job, _video_url(base_url, job))
        headers: tuple[tuple[str, str], ...] = ()
        if view["status"] in ("queued", "in_progress"):
            low, high = POLL_AFTER_MS
            headers = (("openai-poll-after-ms", str(int(min(high, max(low, self.settings.job_seconds * 100))))),)
        return Answer(200, _json(view), headers=headers)

    def _video(self, job: Job) -> Answer:
        status, _ = self.jobs.status(job)
        if status != "completed":
            return refusal(409, f"job {job.id} has no video: its status is {status}", "video_not_ready")
        return Answer(200, video_bytes(job.aspect_ratio), content_type="video/mp4")


def _refused_body(errors: list[Finding], findings: list[Finding]) -> Answer:
    first = errors[0]
    more = f" ({len(errors)} errors in all, listed in findings)" if len(errors) > 1 else ""
    rules = tuple(dict.fromkeys(finding.rule for finding in errors))
    return refusal(400, first.message + more, first.rule, first.json_path, [diagnostic(f) for f in findings], rules=rules)


def _content_length(headers: Mapping[str, str]) -> int | Answer:
    if "Transfer-Encoding" in headers:
        return refusal(411, "send the body with a Content-Length, not chunked", "length_required", close=True)
    given = headers.get_all("Content-Length") if hasattr(headers, "get_all") else [headers.get("Content-Length")]
    values: list[str] = [str(value) for value in given or () if value is not None]
    if not values:
        return 0
    value = values[0]
    # HTTP trims only spaces and tabs (OWS); str.strip() would also take \x1f and the like
    if len({v.strip(" \t") for v in values}) > 1 or not LENGTH.fullmatch(value.strip(" \t")):
        return refusal(400, "the Content-Length header is not a number of bytes", "invalid_content_length", close=True)
    return int(value)


def _video_url(base_url: str, job: Job) -> str:
    return f"{base_url}/v1/videos/{job.id}/content"
