"""The guard for httpx clients: an invalid video request raises InvalidRequest and is never sent.

The transport here is httpx's MockTransport, which records what would have been sent: no
socket at all (the guard against a real server and the OpenAI SDK: test_serve_openai.py).
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

import kling_lint
from kling_lint.guard import InvalidRequest, check_request, check_request_async

VALID = {"model": "kling-v3-std-silent", "prompt": "A lighthouse at dusk", "duration": 5}
INVALID = {"model": "kling-v3-std-silent", "prompt": "A lighthouse at dusk", "duration": 20, "cfg": 1}
WARNED = {"model": "kling-v3-std-silent", "prompt": "A lighthouse at dusk", "duration": "5"}


def _client(sent: list[httpx.Request]) -> httpx.Client:
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(200, json={}))
    return httpx.Client(base_url="http://gateway.test/v1", transport=transport, event_hooks={"request": [check_request]})


def test_an_invalid_request_raises_with_every_finding_and_is_not_sent():
    sent: list[httpx.Request] = []
    with _client(sent) as client, pytest.raises(InvalidRequest) as raised:
        client.post("/video/generations", json=INVALID)
    assert sent == []
    assert raised.value.rules == ["duration-range", "unknown-key"]
    assert {f.json_path for f in raised.value.findings} == {"$.duration", "$.cfg"}
    assert all(f.line == 1 for f in raised.value.findings)  # positions in the JSON text httpx wrote
    assert "duration-range at $.duration" in str(raised.value)


def test_it_is_the_package_level_exception_and_not_an_httpx_error():
    assert kling_lint.InvalidRequest is InvalidRequest
    assert issubclass(InvalidRequest, ValueError) and not issubclass(InvalidRequest, httpx.HTTPError)


def test_valid_and_merely_warned_requests_are_sent_unchanged():
    sent: list[httpx.Request] = []
    with _client(sent) as client:
        for body in (VALID, WARNED):
            client.post("/video/generations", json=body)
    assert [json.loads(request.content) for request in sent] == [VALID, WARNED]


def test_other_requests_pass_untouched():
    sent: list[httpx.Request] = []
    with _client(sent) as client:
        client.post("/chat/completions", json={"not": "a video request"})
        client.get("/video/generations/abc")
        client.put("/video/generations", content=b"not json")
    assert [request.method for request in sent] == ["POST", "GET", "PUT"]


def test_a_body_that_is_not_json_is_refused():
    sent: list[httpx.Request] = []
    with _client(sent) as client, pytest.raises(InvalidRequest) as raised:
        client.post("/video/generations/", content=b"{nope", headers={"Content-Type": "application/json"})
    assert raised.value.rules == ["syntax"] and sent == []


def test_the_async_hook_does_the_same_for_an_async_client():
    sent: list[httpx.Request] = []

    async def run() -> None:
        async def record(request: httpx.Request) -> httpx.Response:
            sent.append(request)
            return httpx.Response(200, json={})

        hooks = {"request": [check_request_async]}
        async with httpx.AsyncClient(base_url="http://gateway.test/v1", transport=httpx.MockTransport(record), event_hooks=hooks) as client:
            await client.post("/video/generations", json=VALID)
            with pytest.raises(InvalidRequest):
                await client.post("/video/generations", json=INVALID)

    asyncio.run(run())
    assert [json.loads(request.content) for request in sent] == [VALID]
