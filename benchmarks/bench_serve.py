#!/usr/bin/env python3
"""Benchmark ``kling-lint serve`` against Stoplight Prism on the same requests, in one run.

What it does (standard library only, plus Node's npm for Prism):

1. Starts ``kling-lint serve`` (this checkout's, ``python -m kling_lint``) on a free port of
   127.0.0.1, as it ships: every request logged (to /dev/null here).
2. Installs ``@stoplight/prism-cli`` from npm into a cache folder (``--cache``; once, then
   reused), writes an OpenAPI 3.1 document of the endpoint whose request schema is kling-lint's
   own schema (its ``$defs`` moved to ``components/schemas``), with the job as the 200 example
   and the gateway's error object as the 400 one, and starts ``prism mock`` on it
   (``--verboseLevel warn``: Prism's per-request log off, its fastest setting).
3. Checks both servers answer the valid body 200 and the invalid one 4xx (not timed).
4. For each concurrency (``--concurrency``, default 1,16,64) and body (valid: the text-to-video
   example; invalid: the same with ``duration: 99``), runs ``--rounds`` rounds of ``--seconds``
   each, alternating the two servers: that many keep-alive connections, each sending its next
   request as soon as the last answer is in (a closed loop, asyncio, one process). Reports
   requests per second (median of the rounds) and the p50 and p99 latency of every request.

Usage: python benchmarks/bench_serve.py [--seconds 3] [--rounds 3] [--concurrency 1,16,64]
       [--cache ~/.cache/kling-lint-bench] [--prism-version 5.14.2] [--skip-prism] [--markdown]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "kling-v3-video-request.schema.json"
VALID_BODY = (ROOT / "examples" / "text-to-video.json").read_bytes()
INVALID_BODY = json.dumps({**json.loads(VALID_BODY), "duration": 99}).encode()
PRISM_PACKAGE = "@stoplight/prism-cli"
STARTUP_SECONDS = 60


# ---------------------------------------------------------------------------------------------
# The servers
# ---------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with status {process.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{name} did not listen on port {port} within {STARTUP_SECONDS} s")


def start_kling_lint(port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "kling_lint", "serve", "--port", str(port), "--job-seconds", "3"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, process, "kling-lint serve")
    return process


def install_prism(cache: Path, version: str) -> Path:
    """The prism executable, installed from npm into ``cache`` unless it is there already."""
    folder = cache / f"prism-{version}"
    executable = folder / "node_modules" / ".bin" / "prism"
    if not executable.exists():
        if shutil.which("npm") is None:
            raise SystemExit("npm is needed to install Prism (or pass --skip-prism)")
        folder.mkdir(parents=True, exist_ok=True)
        print(f"installing {PRISM_PACKAGE}@{version} into {folder} ...", file=sys.stderr)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(folder),
                        f"{PRISM_PACKAGE}@{version}"], check=True, stdout=subprocess.DEVNULL)
    return executable


def openapi_document() -> dict:
    """OpenAPI 3.1 for POST /v1/video/generations, the request schema being kling-lint's own.

    Written here until ``kling-lint schema --openapi`` lands. The schema's ``$defs`` move to
    ``components/schemas``, and its references with them.
    """
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    definitions = schema.pop("$defs")
    schema.pop("$schema", None)
    text = json.dumps({"request": schema, **definitions}).replace('"#/$defs/', '"#/components/schemas/')
    components = json.loads(text)
    job = {"id": "video_0", "task_id": "video_0", "object": "video.generation.job", "model": "kling-v3-std-silent",
           "prompt": "A lighthouse at dusk", "status": "queued", "progress": 0, "duration": 5, "video_url": None,
           "result": None, "error": None, "warnings": [], "created_at": 0, "completed_at": None, "metadata": {}}
    error = {"error": {"message": "duration must be a whole number of seconds from 3 to 15, got 99",
                       "type": "invalid_request_error", "param": "$.duration", "code": "duration-range"}, "findings": []}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kling v3 video generation (kling-lint's contract)", "version": "1"},
        "paths": {"/v1/video/generations": {"post": {
            "operationId": "createVideoGeneration",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/request"}}}},
            "responses": {
                "200": {"description": "the job", "content": {"application/json": {"schema": {"type": "object"}, "example": job}}},
                "400": {"description": "an invalid request", "content": {"application/json": {"schema": {"type": "object"}, "example": error}}},
            },
        }}},
        "components": {"schemas": components},
    }


def start_prism(executable: Path, port: int, folder: Path) -> subprocess.Popen:
    document = folder / "openapi.json"
    document.write_text(json.dumps(openapi_document(), indent=1), encoding="utf-8")
    command = [str(executable), "mock", "--host", "127.0.0.1", "--port", str(port), "--verboseLevel", "warn", str(document)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_for_port(port, process, "prism mock")
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM) if process.pid == os.getpgid(process.pid) else process.terminate()
        except ProcessLookupError:
            return
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------------------------------------
# The load: closed-loop keep-alive clients
# ---------------------------------------------------------------------------------------------

def http_request(port: int, body: bytes) -> bytes:
    head = (f"POST /v1/video/generations HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """The status of one response, read whole; and whether the server closes the connection."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, chunked, close = 0, False, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name == b"connection":
            close = value == b"close"
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status, close


async def client(port: int, request: bytes, until: float, latencies: list[float], statuses: collections.Counter) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(request)
            status, close = await read_response(reader)
            latencies.append(time.perf_counter() - started)
            statuses[status] += 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


async def load(port: int, body: bytes, concurrency: int, seconds: float) -> tuple[float, list[float], collections.Counter]:
    latencies: list[float] = []
    statuses: collections.Counter = collections.Counter()
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(client(port, http_request(port, body), until, latencies, statuses) for _ in range(concurrency)))
    return len(latencies) / (time.perf_counter() - started), latencies, statuses


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------

def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() if shutil.which("node") else "no node"
    return (f"{os.cpu_count()} cores {platform.machine()} ({model or 'unknown CPU'}), {platform.system()} {platform.release()}, "
            f"CPython {platform.python_version()}, Node {node}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", default="1,16,64")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "kling-lint-bench")
    parser.add_argument("--prism-version", default="5.14.2")
    parser.add_argument("--skip-prism", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    options = parser.parse_args()
    levels = [int(level) for level in options.concurrency.split(",")]

    servers: dict[str, int] = {}
    processes = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        try:
            servers["kling-lint serve"] = free_port()
            processes.append(start_kling_lint(servers["kling-lint serve"]))
            if not options.skip_prism:
                executable = install_prism(options.cache, options.prism_version)
                servers["Prism"] = free_port()
                processes.append(start_prism(executable, servers["Prism"], Path(folder)))
            results = run(servers, levels, options)
        finally:
            for process in processes:
                stop(process)
    report(results, list(servers), options)


def run(servers: dict[str, int], levels: list[int], options: argparse.Namespace) -> dict:
    bodies = {"valid": VALID_BODY, "invalid": INVALID_BODY}
    for name, port in servers.items():  # correctness first, and a warm-up
        for kind, body in bodies.items():
            _, _, statuses = asyncio.run(load(port, body, 4, 1.0))
            wanted = (lambda s: s == 200) if kind == "valid" else (lambda s: 400 <= s < 500)
            if not all(wanted(status) for status in statuses):
                raise SystemExit(f"{name} answered the {kind} body with {dict(statuses)}")
    results: dict = {}
    for level in levels:
        for kind, body in bodies.items():
            for name, port in servers.items():
                results[(level, kind, name)] = {"rates": [], "latencies": [], "statuses": collections.Counter()}
            for _ in range(options.rounds):
                for name, port in servers.items():
                    rate, latencies, statuses = asyncio.run(load(port, body, level, options.seconds))
                    cell = results[(level, kind, name)]
                    cell["rates"].append(rate)
                    cell["latencies"].extend(latencies)
                    cell["statuses"].update(statuses)
            print(f"done: {level} clients, {kind} body", file=sys.stderr)
    return results


def report(results: dict, names: list[str], options: argparse.Namespace) -> None:
    print(f"Machine: {machine()}; {options.rounds} rounds of {options.seconds:g} s per cell, alternating servers.")
    print(f"Prism: {PRISM_PACKAGE}@{options.prism_version}, --verboseLevel warn.\n" if "Prism" in names else "")
    header = "| clients | body | " + " | ".join(f"{n} req/s | {n} p50 | {n} p99" for n in names) + " |"
    print(header)
    print("|" + "---|" * (2 + 3 * len(names)))
    levels = sorted({level for level, _, _ in results})
    for level in levels:
        for kind in ("valid", "invalid"):
            cells = []
            for name in names:
                cell = results[(level, kind, name)]
                statuses = "/".join(str(s) for s in sorted(cell["statuses"]))
                cells += [f"{statistics.median(cell['rates']):,.0f} ({statuses})",
                          f"{percentile(cell['latencies'], 0.50) * 1000:.2f} ms",
                          f"{percentile(cell['latencies'], 0.99) * 1000:.2f} ms"]
            print(f"| {level} | {kind} | " + " | ".join(cells) + " |")
    if "Prism" in names:
        print()
        for level in levels:
            for kind in ("valid", "invalid"):
                ours, theirs = results[(level, kind, "kling-lint serve")], results[(level, kind, "Prism")]
                faster = statistics.median(ours["rates"]) > statistics.median(theirs["rates"])
                lower = percentile(ours["latencies"], 0.99) < percentile(theirs["latencies"], 0.99)
                verdict = "met" if faster and lower else "NOT met"
                print(f"- {level} clients, {kind}: more requests/s than Prism and a lower p99: {verdict}")


if __name__ == "__main__":
    main()
