"""``dry-run --send URL``: post each request of a clean run to a gateway, and with ``--wait``
poll each job to its end.

The dry run decides whether anything is sent (only a run without errors is); this module posts
the requests in run order, reads each answer, and tells a reporter (dryrun_report's renderers)
as it goes, so that a person watching sees each answer and each job's state when it comes.
Talking is gateway.py's (the standard library's http.client). The token comes from
$KLING_API_KEY and goes in the Authorization header only: every answer is masked
(curl.masked) before anyone sees it, which masks that value wherever a gateway might echo it.

Exit status of a send: 0 every request accepted (and with ``--wait`` every job completed),
1 a request refused by the gateway or a job that failed, 2 the gateway could not be reached or
answered what a client cannot go on from (a timeout, a refused connection, an answer that is not
JSON, a job without an id): sending stops there.
"""

from __future__ import annotations

import json
import os
from collections import namedtuple
from typing import Any
from urllib.parse import urlsplit

from .curl import masked, sent_body
from .redact import TOKEN_VARIABLE

EXIT_OK, EXIT_REFUSED, EXIT_UNREACHABLE = 0, 1, 2
DEFAULT_TIMEOUT = 30.0  # seconds an HTTP request may take
DEFAULT_WAIT_LIMIT = 1800.0  # seconds --wait polls a job before it gives up (a pro video can take minutes)


class SendOptions(namedtuple("SendOptions", "url wait timeout wait_limit")):
    """``url`` (str): the gateway (its root, its /v1 or the endpoint); ``wait`` (bool): poll each
    job to its end; ``timeout`` (float): seconds an HTTP request may take; ``wait_limit`` (float)."""

    __slots__ = ()


class Outbound(namedtuple("Outbound", "file line index request")):
    """A request of the run to send: where it comes from, and its value as the file gives it."""

    __slots__ = ()


class Sent(namedtuple("Sent", "file line index status answer states problem")):
    """One request's trip to the gateway.

    ``status`` (int | None): the HTTP status of the POST; None when there was no usable answer
    ``answer`` (Any): the answer's JSON document, masked
    ``states`` (list[dict]): with --wait, the job (masked) each time its status changed
    ``problem`` (str | None): why the trip stopped short (a network error, an answer not JSON)
    """

    __slots__ = ()

    @property
    def job_id(self) -> str | None:
        if self.status == 200 and isinstance(self.answer, dict) and isinstance(self.answer.get("id"), str):
            return str(self.answer["id"])
        return None

    @property
    def final_status(self) -> str | None:
        return self.states[-1].get("status") if self.states else None


class Tally(namedtuple("Tally", "url requests sent accepted refused completed failed held problem")):
    """What became of the run's requests. ``held`` (bool): nothing was sent, the run has errors;
    ``problem`` (str | None): why sending stopped, or why nothing was sent."""

    __slots__ = ()


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be sent to (None when it can)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "give an http:// or https:// URL with a host, such as http://127.0.0.1:8080"
    from .gateway import port_problem

    return port_problem(url)


def nothing_sent(url: str, outbound: int, with_errors: int) -> Tally:
    what = f"{with_errors} {'request has' if with_errors == 1 else 'requests have'} errors" if with_errors else "a file gave no request"
    reason = f"nothing sent: {what} (--send sends a run only when it has no error)"
    from .gateway import shown_url

    return Tally(shown_url(url), outbound + with_errors, 0, 0, 0, 0, 0, True, reason)


def body_of(request: Any) -> bytes:
    """The bytes posted: the request as its curl command sends it ($schema left out), as UTF-8 JSON."""
    return json.dumps(sent_body(request), ensure_ascii=False, allow_nan=False).encode("utf-8")


def send_all(outbound: list[Outbound], options: SendOptions, report: Any) -> tuple[int, Tally]:
    """Post every request in order, then (``options.wait``) poll each job to its end.

    ``report`` is told ``sending(url, count)``, ``answered(sent)`` for each answer,
    ``waiting(count)`` and ``state(sent, job)`` for each change of a job's status.
    """
    from .gateway import GatewayError, post_request, shown_url

    token = os.environ.get(TOKEN_VARIABLE) or None
    report.sending(shown_url(options.url), len(outbound))
    trips: list[Sent] = []
    problem = None
    for item in outbound:
        try:
            reply = post_request(options.url, body_of(item.request), token, options.timeout)
        except GatewayError as error:
            problem = str(error)
        else:
            problem = _unusable(reply)
        trip = Sent(item.file, item.line, item.index, None if problem else reply.status, None if problem else masked(reply.document), [], problem)
        trips.append(trip)
        report.answered(trip)
        if problem:
            break
    if options.wait and problem is None:
        problem = _wait(trips, options, token, report)
    tally = _tally(shown_url(options.url), len(outbound), trips, problem)
    if problem:
        return EXIT_UNREACHABLE, tally
    return (EXIT_REFUSED if tally.refused or tally.failed else EXIT_OK), tally


def _unusable(reply: Any) -> str | None:
    """Why an answer cannot be gone on from: not JSON, or a job (200) without an id."""
    if reply.document is None:
        kind = reply.headers.get("content-type", "no content type")
        shown = reply.body[:80].decode("utf-8", "replace")
        return f"the gateway answered {reply.status} with a body that is not JSON ({kind}): {shown!r}"
    if reply.status == 200 and not (isinstance(reply.document, dict) and isinstance(reply.document.get("id"), str)):
        return "the gateway answered 200 without a job id"
    return None


def _wait(trips: list[Sent], options: SendOptions, token: str | None, report: Any) -> str | None:
    """Poll each accepted job until it ends; the problem that stopped it, if any."""
    from .gateway import GatewayError, wait_for_job

    accepted = [trip for trip in trips if trip.job_id is not None]
    report.waiting(len(accepted))
    for trip in accepted:
        try:
            for job in wait_for_job(options.url, str(trip.job_id), token, limit=options.wait_limit, timeout=options.timeout):
                trip.states.append(masked(job))
                report.state(trip, trip.states[-1])
        except GatewayError as error:
            return str(error)
    return None


def _tally(url: str, requests: int, trips: list[Sent], problem: str | None) -> Tally:
    answered = [trip for trip in trips if trip.status is not None]
    accepted = sum(trip.job_id is not None for trip in answered)
    return Tally(url, requests, len(answered), accepted, len(answered) - accepted,
                 sum(trip.final_status == "completed" for trip in trips),
                 sum(trip.final_status == "failed" for trip in trips), False, problem)
