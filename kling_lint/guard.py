"""A guard for Python clients: lint a video request inside the client, before it is sent.

``check_request`` (and ``check_request_async``, for an ``httpx.AsyncClient``) is an httpx
request event hook. It looks at every ``POST …/video/generations`` and checks its JSON body with
the same layers as ``kling-lint check``; a body with an error finding raises
``InvalidRequest`` carrying every finding, and nothing is sent. Other requests pass untouched,
as do bodies with only warnings.

    import httpx, openai
    from kling_lint.guard import check_request

    client = openai.OpenAI(base_url=..., http_client=httpx.Client(event_hooks={"request": [check_request]}))

``InvalidRequest`` is a ``ValueError``, not an httpx error: clients that retry and wrap httpx's
transport errors (the OpenAI SDK does) let it reach the caller as itself, at once, untried.
The hook reads only what it is given (method, URL path, body), so it serves httpx and httpx2
clients alike and imports neither.
"""

from __future__ import annotations

from typing import Any

from .engine import lint_bytes
from .findings import Finding, Severity

ENDPOINT_SUFFIX = "/video/generations"
SHOWN_FINDINGS = 5  # listed in the exception's message; all are in .findings


class InvalidRequest(ValueError):
    """A video request kling-lint refuses; ``findings`` holds every finding, errors first.

    ``findings`` carry lines and columns in the JSON text of the body that would have been sent.
    """

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = sorted(findings, key=lambda f: f.severity is not Severity.ERROR)
        errors = [f for f in self.findings if f.severity is Severity.ERROR]
        lines = [f"{f.rule} at {f.json_path}: {f.message}" for f in errors[:SHOWN_FINDINGS]]
        if len(errors) > SHOWN_FINDINGS:
            lines.append(f"... and {len(errors) - SHOWN_FINDINGS} more")
        noun = "error" if len(errors) == 1 else "errors"
        super().__init__(f"kling-lint refused the video request ({len(errors)} {noun}):\n  " + "\n  ".join(lines))

    @property
    def rules(self) -> list[str]:
        """The rule ids of the errors, in order."""
        return [f.rule for f in self.findings if f.severity is Severity.ERROR]


def is_video_request(request: Any) -> bool:
    """Whether an httpx request creates a video: POST to a path ending in /video/generations."""
    return request.method == "POST" and request.url.path.rstrip("/").endswith(ENDPOINT_SUFFIX)


def check_body(body: bytes) -> None:
    """Raise InvalidRequest when a request body has an error finding."""
    findings = lint_bytes(body, "request.json", "json")
    if any(finding.severity is Severity.ERROR for finding in findings):
        raise InvalidRequest(findings)


def check_request(request: Any) -> None:
    """httpx request hook (``httpx.Client(event_hooks={"request": [check_request]})``)."""
    if is_video_request(request):
        check_body(request.read())


async def check_request_async(request: Any) -> None:
    """httpx request hook for ``httpx.AsyncClient``."""
    if is_video_request(request):
        check_body(await request.aread())
