"""A client written against the real OpenAI Python SDK, as a team would write it, against serve.

It submits with ``client.post("/video/generations", ...)``, polls with the SDK's own video
helpers (``videos.retrieve``, ``videos.poll``: the gateway's status values are the OpenAI video
API's) and downloads with ``videos.download_content``. With the guard installed, an invalid
request raises InvalidRequest in the caller, and the server never hears of it.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import openai
import pytest
from openai.types import Video
from serving import invalid_bodies, serving, valid_bodies

from kling_lint import InvalidRequest
from kling_lint.guard import check_request, check_request_async

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK marks its video helpers deprecated
TOKEN = "sk-test-" + "t" * 32


@pytest.fixture(scope="module")
def server():
    with serving("--job-seconds", "0.3", "--require-token") as served:
        yield served


def _client(server, hooks=()) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key=TOKEN, http_client=httpx.Client(event_hooks={"request": list(hooks)}))


def submit(client: openai.OpenAI, request: dict) -> Video:
    """How a team submits a Kling job through the SDK: the gateway's route, the SDK's own model."""
    return client.post("/video/generations", body=request, cast_to=Video)


@pytest.mark.parametrize(("name", "body"), valid_bodies(), ids=[name for name, _ in valid_bodies()])
def test_every_example_round_trips_through_the_openai_sdk(server, name, body):
    client = _client(server, [check_request])
    job = submit(client, json.loads(body))
    assert job.status == "queued" and job.progress == 0
    assert client.videos.retrieve(job.id).id == job.id
    done = client.videos.poll(job.id)  # paced by the server's openai-poll-after-ms header
    assert done.status == "completed" and done.progress == 100
    video = client.videos.download_content(done.id)
    assert video.content[4:8] == b"ftyp"


def test_the_sdk_sees_a_refusal_as_its_bad_request_error_with_the_findings(server):
    client = _client(server)  # no guard: the server refuses
    name, body, rule = next(case for case in invalid_bodies() if case[2] == "duration-range")
    with pytest.raises(openai.BadRequestError) as raised:
        submit(client, json.loads(body))
    assert raised.value.code == "duration-range" and raised.value.param == "$.duration"
    assert rule in {finding["rule"] for finding in raised.value.response.json()["findings"]}


def test_the_sdk_sees_a_malformed_token_as_its_authentication_error(server):
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="two words", http_client=httpx.Client(), max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        submit(client, {"model": "kling-v3-std-silent", "prompt": "a boat"})


def _refusable() -> list[tuple[str, dict, str]]:
    """Invalid examples the SDK can send: JSON it writes itself (so no duplicate keys), an error rule."""
    from kling_lint import RULES, Severity

    cases = []
    for name, body, rule in invalid_bodies():
        try:
            request = json.loads(body)
        except ValueError:
            continue
        if RULES[rule].severity is Severity.ERROR and rule != "duplicate-key":
            cases.append((name, request, rule))
    return cases


@pytest.mark.parametrize(("name", "request_", "rule"), _refusable(), ids=[case[0] for case in _refusable()])
def test_with_the_guard_an_invalid_request_raises_and_the_server_receives_nothing(server, name, request_, rule):
    client = _client(server, [check_request])
    before = len(server.request_lines())
    with pytest.raises(InvalidRequest) as raised:
        submit(client, request_)
    assert rule in raised.value.rules
    httpx.get(f"{server.url}/after-the-guard")
    lines = server.wait_for_log(before + 1)
    assert len(lines) == before + 1 and " /after-the-guard 404 " in lines[-1]  # only this one came


def test_the_async_sdk_with_the_async_guard(server):
    async def run() -> tuple[str, list[str]]:
        http_client = httpx.AsyncClient(event_hooks={"request": [check_request_async]})
        client = openai.AsyncOpenAI(base_url=f"{server.url}/v1", api_key=TOKEN, http_client=http_client)
        job = await client.post("/video/generations", body={"model": "kling-v3-pro-audio", "prompt": "a boat"}, cast_to=Video)
        done = await client.videos.poll(job.id)
        with pytest.raises(InvalidRequest) as raised:
            await client.post("/video/generations", body={"model": "kling-v3-pro-audio"}, cast_to=Video)
        await client.close()
        return done.status, raised.value.rules

    assert asyncio.run(run()) == ("completed", ["prompt-missing"])
