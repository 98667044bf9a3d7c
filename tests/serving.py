"""Start ``kling-lint serve`` for a test: a real process on 127.0.0.1, a free port, stopped after.

Its standard error (one line a request) is collected as it comes, so that tests can read the
log and the pipe never fills.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

STARTUP_SECONDS = 20.0
STOP_SECONDS = 5.0


class Served:
    def __init__(self, process: subprocess.Popen[str], url: str, log: list[str]) -> None:
        self.process = process
        self.url = url  # http://127.0.0.1:PORT
        self.log = log  # standard error, line by line

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = self.url.removeprefix("http://").rsplit(":", 1)
        return host, int(port)

    def request_lines(self) -> list[str]:
        """The log lines of requests (method path status rules ms)."""
        return [line for line in self.log if re.match(r"^\S+ \S+ \d{3} \S+ [0-9.]+ ms$", line)]

    def wait_for_log(self, count: int, limit: float = 5.0) -> list[str]:
        """The request lines, once there are ``count`` of them (or ``limit`` seconds have passed)."""
        deadline = time.monotonic() + limit
        while len(self.request_lines()) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.request_lines()

    def stop(self, sign: int = signal.SIGTERM) -> float:
        """Send ``sign``; the seconds the server took to exit."""
        started = time.monotonic()
        self.process.send_signal(sign)
        self.process.wait(STOP_SECONDS)
        return time.monotonic() - started


@contextlib.contextmanager
def serving(*options: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """A running server with ``options`` (``--port 0`` is added); SIGTERM when the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kling_lint", "serve", "--port", "0", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **(env or {})},
    )
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(line.rstrip("\n") for line in process.stderr), daemon=True)
    reader.start()
    try:
        first = _first_line(process)
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", first)
        assert match, f"no address in {first!r}; log: {log}"
        yield Served(process, match.group(1), log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join(STOP_SECONDS)


def _first_line(process: subprocess.Popen[str]) -> str:
    lines: list[str] = []
    thread = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
    thread.start()
    thread.join(STARTUP_SECONDS)
    if not lines or not lines[0]:
        process.kill()
        raise AssertionError(f"kling-lint serve did not start (exit {process.poll()})")
    return lines[0]


EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
FILE_LEVEL_RULES = ("syntax", "duplicate-key", "yaml11-ambiguous", "unused-suppression")  # about a YAML file's text, not its request


def _request_bodies(path: str) -> list[bytes]:
    """The JSON bodies a file's requests would be sent as: a JSON file's own bytes, YAML re-written."""
    import json

    from kling_lint.load import format_of, load

    with open(path, "rb") as handle:
        data = handle.read()
    fmt = format_of(path, data)
    if fmt == "json":
        return [data]
    if fmt == "jsonl":
        return [line for line in data.splitlines() if line.strip()]
    return [json.dumps(document.value).encode() for document in load(data, fmt).documents if document.checkable]


def valid_bodies() -> list[tuple[str, bytes]]:
    """(name, body) for every request of every valid example."""
    from kling_lint.load import SUFFIXES

    out = []
    for name in sorted(os.listdir(EXAMPLES)):
        path = os.path.join(EXAMPLES, name)
        if os.path.isfile(path) and os.path.splitext(name)[1] in SUFFIXES:  # not prices.toml
            out.extend((f"{name}#{i}", body) for i, body in enumerate(_request_bodies(path)))
    return out


def invalid_bodies() -> list[tuple[str, bytes, str]]:
    """(name, body, rule) for every invalid example whose rule survives being sent as JSON."""
    import json

    import kling_lint
    from kling_lint.load import SUFFIXES

    folder = os.path.join(EXAMPLES, "invalid")
    out = []
    for name in sorted(os.listdir(folder)):
        rule = name.split(".", 1)[0]
        if os.path.splitext(name)[1] not in SUFFIXES or (rule in FILE_LEVEL_RULES and not name.endswith(".json")):
            continue
        bodies = _request_bodies(os.path.join(folder, name))
        if len(bodies) > 1:  # a batch holds valid requests beside the broken one: keep the broken ones
            bodies = [body for body in bodies if kling_lint.lint(json.loads(body))]
        out.extend((f"{name}#{i}", body, rule) for i, body in enumerate(bodies))
    return out
