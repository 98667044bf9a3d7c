"""A small client of the video endpoint: post a body, read a job, wait for it, fetch its video.

Written for the tests of ``serve`` and for ``dry-run --send``: it speaks to ``kling-lint serve``
or to any gateway that answers as SPEC.md says, with the standard library only (http.client),
so the command that uses it pays no import it does not need. A base URL may be the service's
root (``http://127.0.0.1:8080``), its ``/v1`` (the OpenAI SDK's ``base_url``) or the endpoint
itself; the token, when given, goes in ``Authorization: Bearer`` and nowhere else.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

ENDPOINT = "/v1/video/generations"
TERMINAL = ("completed", "failed")


class GatewayError(Exception):
    """The endpoint could not be reached, or answered what a client cannot go on from."""


class Reply(NamedTuple):
    status: int
    document: Any  # the JSON body, or None when the body is not JSON
    body: bytes
    headers: dict[str, str]  # names in lower case


def service_root(url: str) -> str:
    """``http://host:port`` (and any prefix path) from a root, a ``/v1`` base or the endpoint."""
    root = url.rstrip("/")
    for suffix in ("/video/generations", "/v1"):
        if root.endswith(suffix):
            root = root[: -len(suffix)]
    return root


def shown_url(url: str) -> str:
    """``url`` as a message may show it: without user-info (``user:password@``), tokens masked.

    A gateway URL is often pasted with its credentials; they must never reach output or logs."""
    from .redact import redact

    parts = urlsplit(url)
    return redact(urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2])))


def port_problem(url: str) -> str | None:
    """Why the port of ``url`` cannot be used (None when it can: given as a number, or left out)."""
    try:
        _ = urlsplit(url).port  # reading it is the check: urllib raises on a port that is not a number
    except ValueError:
        return "the port is not a number from 0 to 65535"
    return None


def request(method: str, url: str, body: bytes | None = None, token: str | None = None, timeout: float = 30.0) -> Reply:
    """One HTTP request; any status comes back as a Reply, only a failure to talk raises."""
    import http.client

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or port_problem(url):
        raise GatewayError(f"not an http(s) URL with a host and a port: {shown_url(url)}")
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    headers = {"Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
    except (OSError, http.client.HTTPException) as error:
        shown = shown_url(f"{parts.scheme}://{parts.netloc}{parts.path}")
        raise GatewayError(f"{method} {shown}: {error or type(error).__name__}") from None
    finally:
        connection.close()
    return Reply(response.status, _json_or_none(data), data, {k.lower(): v for k, v in response.getheaders()})


def _json_or_none(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def post_request(base_url: str, body: bytes, token: str | None = None, timeout: float = 30.0) -> Reply:
    """POST a request body (JSON bytes) to the endpoint: a job (200) or a refusal (4xx)."""
    return request("POST", service_root(base_url) + ENDPOINT, body, token, timeout)


def get_job(base_url: str, job_id: str, token: str | None = None, timeout: float = 30.0) -> Reply:
    from urllib.parse import quote

    # quoted: an id comes from the gateway's answer, and must stay one path segment
    return request("GET", f"{service_root(base_url)}/v1/videos/{quote(job_id, safe='')}", None, token, timeout)


def wait_for_job(base_url: str, job_id: str, token: str | None = None, interval: float | None = None, limit: float = 600.0,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 timeout: float = 30.0) -> Iterator[dict[str, Any]]:
    """Poll a job until it ends, yielding it each time its status changes (the last one ended).

    Between two polls it waits ``interval`` seconds, or what the server's
    ``openai-poll-after-ms`` header asks (else 1 s); after ``limit`` seconds it gives up.
    ``timeout``: seconds each poll may take.
    """
    deadline = clock() + limit
    last_status = None
    while True:
        reply = get_job(base_url, job_id, token, timeout)
        if reply.status != 200 or not isinstance(reply.document, dict):
            from .redact import redact

            # masked whole before it is cut, so that the cut never leaves part of a token
            raise GatewayError(f"job {job_id}: status {reply.status}: {redact(reply.body.decode('utf-8', 'replace'))[:200]}")
        job = reply.document
        if job.get("status") != last_status:
            last_status = job.get("status")
            yield job
        if last_status in TERMINAL:
            return
        if clock() >= deadline:
            raise GatewayError(f"job {job_id} had not ended after {limit:g} s (status {last_status})")
        sleep(interval if interval is not None else _poll_after(reply.headers))


def _poll_after(headers: dict[str, str]) -> float:
    """Seconds the server asks a client to wait before the next poll (1 s when it does not say)."""
    asked = headers.get("openai-poll-after-ms", "")
    return min(int(asked), 60_000) / 1000 if asked.isascii() and asked.isdigit() else 1.0


def download(url: str, token: str | None = None, timeout: float = 60.0) -> bytes:
    """The bytes at a job's video_url."""
    reply = request("GET", url, None, token, timeout)
    if reply.status != 200:
        raise GatewayError(f"GET {shown_url(url)}: status {reply.status}")
    return reply.body
