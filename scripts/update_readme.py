"""Regenerate the README's generated parts: the rules table and the sample output.

    python scripts/update_readme.py          # rewrite README.md in place
    python scripts/update_readme.py --check  # exit 1 if README.md is out of date (tests use this)
"""

from __future__ import annotations

import os
import pathlib
import re
import sys

from click.testing import CliRunner

from kling_lint.cli import main

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SAMPLES = [
    "examples/invalid/prompt-and-multi-prompt.yaml",
    "examples/invalid/last-image-without-image.yaml",
    "examples/invalid/model-unknown.yaml",
    "examples/invalid/unknown-key.yaml",
]
CURL_SAMPLE = ["examples/batch.jsonl"]
MARKDOWN_SAMPLE = ["--pretty", "--markdown", "examples/multi-prompt-image-to-video.yaml"]
RULE_DOC_SAMPLE = "shot-durations-sum"
DRY_RUN_SAMPLE = ["--prices", "examples/prices.toml", "examples/batch.yaml"]
FIX_SAMPLES = [
    "examples/invalid/yaml11-ambiguous.yaml",
    "examples/invalid/shot-index.json",
    "examples/invalid/unknown-key.json",
]


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.output


def _console(command: str, *args: str) -> str:
    """A console block: the command as a user types it, and its output without colour."""
    output = _run(command, "--color", "never", *args).rstrip()
    return f"```console\n$ kling-lint {command} {' '.join(args)}\n{output}\n```"


def readme_toml(text: str) -> str:
    """The configuration example of the README (the first TOML block of its Configuration section)."""
    return re.search(r"## Configuration\n.*?```toml\n(.*?)```", text, re.S)[1]


def _config_error(text: str) -> str:
    """What the README's configuration example with a misspelt rule id does to a check."""
    import tempfile

    misspelt = readme_toml(text).replace('aspect-ratio-ignored = "error"', 'aspect-ratio-ignored = "error"\nduraton-range = "off"')
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        pathlib.Path(folder, "pyproject.toml").write_text(misspelt, encoding="utf-8")
        os.chdir(folder)
        try:
            result = CliRunner().invoke(main, ["check", "requests/"])
        finally:
            os.chdir(here)
    assert result.exit_code == 2, result.output
    return f"```console\n$ kling-lint check requests/\n{result.stderr.rstrip()}\n```"


def _stdout(*args: str) -> str:
    return CliRunner().invoke(main, list(args), catch_exceptions=False).stdout.rstrip()


def sections(text: str) -> dict[str, str]:
    output = _run("check", "--color", "never", *SAMPLES)
    return {
        "rules": _run("rules", "--markdown").strip(),
        "rule-doc": f"```console\n$ kling-lint rules {RULE_DOC_SAMPLE}\n{_run('rules', RULE_DOC_SAMPLE).rstrip()}\n```",
        "output": f"```console\n$ kling-lint check {' '.join(SAMPLES)}\n{output.rstrip()}\n```",
        "suppress": _console("check", "examples/invalid/unused-suppression.yaml"),
        "config-error": _config_error(text),
        "curl": f"```console\n$ kling-lint curl {' '.join(CURL_SAMPLE)}\n{_stdout('curl', *CURL_SAMPLE)}\n```",
        "curl-markdown": f"````console\n$ kling-lint curl {' '.join(MARKDOWN_SAMPLE)}\n{_stdout('curl', *MARKDOWN_SAMPLE)}\n````",
        "fix": _fix_section(),
        "dry-run": f"```console\n$ kling-lint dry-run {' '.join(DRY_RUN_SAMPLE)}\n{_stdout('dry-run', '--color', 'never', *DRY_RUN_SAMPLE)}\n```",
        **serve_sections(),
        "send": send_section(),
    }


def _fix_section() -> str:
    """``check --diff`` then ``check --fix`` on copies of FIX_SAMPLES, in a temporary folder
    (examples/ itself is never written)."""
    import os
    import shutil
    import tempfile

    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        for sample in FIX_SAMPLES:
            os.makedirs(os.path.join(folder, os.path.dirname(sample)), exist_ok=True)
            shutil.copyfile(ROOT / sample, os.path.join(folder, sample))
        os.chdir(folder)
        try:
            steps = [["check", "--diff", "--unsafe-fixes", *FIX_SAMPLES], ["check", "--fix", "--color", "never", *FIX_SAMPLES],
                     ["check", "--fix", "--unsafe-fixes", "--color", "never", *FIX_SAMPLES]]
            shown = [f"$ kling-lint {' '.join(step)}\n{_run(*step).rstrip()}" for step in steps]
        finally:
            os.chdir(here)
    return "```console\n" + "\n\n".join(shown) + "\n```"


# --- kling-lint serve and the guard: run in this process against a real server on 127.0.0.1 ---

SERVE_SAMPLE_VALID = "examples/text-to-video.json"
SERVE_SAMPLE_INVALID = {"model": "kling-v3-std-silent", "prompt": "A lighthouse at dusk", "duration": 20, "extra_body": {"cfg": 0.5}}
PINNED_CLOCK = 1796083200  # created_at in the README's answers (2026-12-01), so that they do not change each run
GUARD_EXAMPLE = """\
import os

import httpx
import openai
from openai.types import Video

from kling_lint import InvalidRequest
from kling_lint.guard import check_request  # check_request_async for httpx.AsyncClient

client = openai.OpenAI(
    base_url=os.environ.get("KLING_BASE_URL", "http://127.0.0.1:8080/v1"),  # kling-lint serve, or the gateway
    api_key=os.environ["KLING_API_KEY"],
    http_client=httpx.Client(event_hooks={"request": [check_request]}),  # every video request linted first
)

request = {"model": "kling-v3-std-silent", "prompt": "A lighthouse at dusk", "duration": 5}
job = client.post("/video/generations", body=request, cast_to=Video)  # the gateway's route
job = client.videos.poll(job.id)  # queued -> in_progress -> completed (or failed)
video = client.videos.download_content(job.id)
print(job.status, len(video.content), "bytes of MP4")

try:
    client.post("/video/generations", body={**request, "duration": 20, "cfg": 0.5}, cast_to=Video)
except InvalidRequest as refused:  # raised in this process: nothing was sent
    print(refused)
"""


def serve_sections() -> dict[str, str]:
    import contextlib
    import io
    import json
    import os
    import warnings
    from http import HTTPStatus

    from kling_lint import gateway
    from kling_lint.serve.server import banner
    from kling_lint.serve.service import Service, Settings

    settings = Settings(job_seconds=0.3, fail_rate=0.0, seed=1, latency_ms=0, require_token=False,
                        max_body=1024 * 1024, max_jobs=100, read_timeout=10.0)
    log: list[str] = []
    server, url = _start_serve(Service(settings, wall=lambda: PINNED_CLOCK), log)
    try:
        answers = []
        for label, body in ((SERVE_SAMPLE_VALID, (ROOT / SERVE_SAMPLE_VALID).read_bytes()),
                            ("a body with duration 20 and extra_body.cfg", json.dumps(SERVE_SAMPLE_INVALID).encode())):
            reply = gateway.post_request(url, body)
            shown = json.dumps(reply.document, indent=2, ensure_ascii=False)
            answers.append(f"POST /v1/video/generations   <- {label}\nHTTP/1.1 {reply.status} {HTTPStatus(reply.status).phrase}\n{shown}")
        out = io.StringIO()
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # the SDK marks its video helpers deprecated
            saved = {key: os.environ.get(key) for key in ("KLING_BASE_URL", "KLING_API_KEY")}
            os.environ.update(KLING_BASE_URL=f"{url}/v1", KLING_API_KEY="readme-example-token")
            try:
                exec(compile(GUARD_EXAMPLE, "guard_example.py", "exec"), {"__name__": "__main__"})
            finally:
                for key, value in saved.items():
                    os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    finally:
        server.shutdown()
        server.server_close()
    # A log line ends with the milliseconds the request took: elided, since they change every run.
    logged = [re.sub(r" [0-9.]+ ms$", " … ms", line) for line in log]
    console = "\n".join(["$ kling-lint serve --seed 1", banner("127.0.0.1", 8080), *logged[:2]])
    return {
        "serve": f"```console\n{console}\n```\n\n```http\n" + "\n\n".join(answers) + "\n```",
        "guard": f"```python\n{GUARD_EXAMPLE.rstrip()}\n```\n\nprints:\n\n```text\n{out.getvalue().rstrip()}\n```",
    }


def _start_serve(service: object, log: list[str]) -> tuple[object, str]:
    """``kling-lint serve``'s server for ``service``, in this process on a free port of 127.0.0.1."""
    import threading

    from kling_lint.serve.server import start_server

    server = start_server(service, "127.0.0.1", 0, log.append)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


SEND_SAMPLE = ["--no-curl", "--send", "http://127.0.0.1:8080", "--wait", "examples/batch.jsonl"]


def send_section() -> str:
    """``dry-run --send --wait`` against serve, its clocks pinned: the wall clock, and the job clock
    stepping a fixed time per reading, so that every poll sees the same state every run."""
    import itertools

    from kling_lint.serve.service import Service, Settings

    settings = Settings(job_seconds=0.5, fail_rate=0.0, seed=1, latency_ms=0, require_token=False,
                        max_body=1024 * 1024, max_jobs=100, read_timeout=10.0)
    readings = itertools.count(1)
    service = Service(settings, clock=lambda: next(readings) * 0.03, wall=lambda: PINNED_CLOCK)
    server, url = _start_serve(service, [])
    try:
        argv = [url if arg == "http://127.0.0.1:8080" else arg for arg in SEND_SAMPLE]
        output = _stdout("dry-run", "--color", "never", *argv)
    finally:
        server.shutdown()
        server.server_close()
    output = output.replace(url, "http://127.0.0.1:8080")  # the free port it ran on, as the command shows it
    # The dry run of each request is the same as the dry-run sample above: only its end is shown.
    send_part = output[output.index("sending "):]
    return f"```console\n$ kling-lint dry-run {' '.join(SEND_SAMPLE)}\n[... the dry run of each request, as above ...]\n\n{send_part}\n```"


def render(text: str) -> str:
    for name, body in sections(text).items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    return text


if __name__ == "__main__":
    os.chdir(ROOT)
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in sys.argv:
        sys.exit(0 if wanted == current else 1)
    README.write_text(wanted, encoding="utf-8")
