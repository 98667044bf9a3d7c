"""The Python API, which the CLI is built on.

    >>> import kling_lint
    >>> [f.rule for f in kling_lint.lint({"model": "kling-v3-std-silent"})]
    ['prompt-missing']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import Any, NamedTuple

from .engine import ImageCheck, lint_bytes, lint_value, unreadable
from .files import DEFAULT_MAX_BYTES, STDIN, Source, Unreadable, discover, read
from .findings import Finding


class FileResult(NamedTuple):
    """The findings of one file; ``readable`` is False when it could not be read at all."""

    name: str
    findings: list[Finding]
    readable: bool = True


def lint(request: Any) -> list[Finding]:
    """Check a request built in code (a dict as it would be sent). Findings have no position."""
    return lint_value(request)


def lint_text(text: str | bytes, filename: str = "<text>", fmt: str | None = None) -> list[Finding]:
    """Check the text of a request file; ``fmt`` ("json", "jsonl", "yaml") defaults from ``filename``."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return lint_bytes(data, filename, fmt)


def lint_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Finding]:
    """Check one request file; an unreadable file gives one ``unreadable`` finding."""
    return check_source(Source(str(path), str(path)), max_bytes).findings


def check_source(source: Source, max_bytes: int = DEFAULT_MAX_BYTES, images: ImageCheck | None = None,
                 data: bytes | None = None) -> FileResult:
    try:
        data = read(source, max_bytes) if data is None else data
    except Unreadable as error:
        return FileResult(source.name, [unreadable(source.name, str(error))], readable=False)
    try:
        return FileResult(source.name, lint_bytes(data, source.name, images=images))
    except Exception as error:  # noqa: BLE001 - a bug of ours must not stop the other files
        reason = f"kling-lint failed on this file ({type(error).__name__}: {error}); please report it"
        return FileResult(source.name, [unreadable(source.name, reason)], readable=False)


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 400
# Files are dealt out in chunks of this many, round robin: results stream in order while the
# other processes work ahead, and no process holds more than a chunk of results.
CHUNK = 128


def lint_paths(arguments: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, jobs: int | None = None,
               fetcher: Any = None) -> Iterator[FileResult]:
    """Check files and directories (searched for *.json, *.jsonl, *.yaml, *.yml), one result a file.

    Results come in the order of the arguments, as each file is done. A large batch is spread
    over ``jobs`` processes (default: one a core), this one included; each file is still read
    and checked alone. With a ``fetcher`` (fetch.ImageFetcher, --fetch-images) the image URLs
    are fetched and checked too, in this process.
    """
    if fetcher is not None:
        yield from _checked_with_fetched_images(discover(list(arguments)), max_bytes, fetcher)
        return
    discovered = discover(list(arguments))
    # Look ahead far enough to know whether the batch is worth workers; a small batch (the
    # pre-commit case) then streams without ever holding its whole file list.
    head = list(islice(discovered, PARALLEL_FROM))
    items: Iterable[Source | Unreadable] = chain(head, discovered)
    if jobs != 1 and (jobs is not None or len(head) == PARALLEL_FROM) and hasattr(os, "fork"):
        items = list(items)
        processes = _processes(jobs, len(items))
        if processes > 1 and not any(isinstance(item, Source) and item.path == STDIN for item in items):
            yield from _checked_in_parallel(items, max_bytes, processes)
            return
    for item in items:
        yield _result(item, max_bytes)


def _checked_with_fetched_images(items: Iterable[Source | Unreadable], max_bytes: int, fetcher: Any) -> Iterator[FileResult]:
    """Read every file first and start fetching its image URLs, so that they are fetched several
    at a time (each once) while the files are checked in order."""
    read_files: list[tuple[Source | Unreadable, bytes | None]] = []
    for item in items:
        data = None
        if isinstance(item, Source):
            try:
                data = read(item, max_bytes)
            except Unreadable as error:
                item = error
            else:
                try:
                    fetcher.prefetch_file(data, item.name)
                except Exception:  # noqa: BLE001 - a file kling-lint fails on: check_source reports it
                    pass
        read_files.append((item, data))
    for item, data in read_files:
        yield _result(item, max_bytes) if data is None else check_source(item, max_bytes, fetcher.problems, data)


def _result(item: Source | Unreadable, max_bytes: int) -> FileResult:
    if isinstance(item, Unreadable):
        return FileResult(item.name, [unreadable(item.name, str(item))], readable=False)
    return check_source(item, max_bytes)


def _processes(jobs: int | None, files: int) -> int:
    wanted = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    return max(1, min(wanted, files // CHUNK + 1))


def _checked_in_parallel(items: list[Source | Unreadable], max_bytes: int, processes: int) -> Iterator[FileResult]:
    """Chunk i is checked by process i % processes; this process is number 0 and reports all.

    A worker writes one pickled list of results per chunk to its pipe. Should a worker fail,
    or not start, this process checks that worker's chunks itself.
    """
    import pickle
    import signal

    chunks = [items[start:start + CHUNK] for start in range(0, len(items), CHUNK)]
    readers: dict[int, Any] = {}
    pids = []
    finished = False
    try:
        for number in range(1, processes):
            read_end, write_end = os.pipe()
            try:
                pid = os.fork()
            except OSError:  # no more processes allowed: this one checks the rest
                os.close(read_end)
                os.close(write_end)
                break
            if pid == 0:  # the worker
                os.close(read_end)
                for reader in readers.values():
                    reader.close()
                _work(chunks[number::processes], write_end, max_bytes)
                os._exit(1)  # not reached: a worker never runs on into its parent's code
            os.close(write_end)
            pids.append(pid)
            readers[number] = os.fdopen(read_end, "rb")
        for index, chunk in enumerate(chunks):
            reader = readers.get(index % processes)
            results = None
            if reader is not None:
                try:
                    results = pickle.load(reader)
                except Exception:  # noqa: BLE001 - the worker died: check its chunks here
                    readers.pop(index % processes).close()
            yield from results if results is not None else (_result(item, max_bytes) for item in chunk)
        finished = True
    finally:
        for reader in readers.values():
            reader.close()
        for pid in pids:
            if not finished:  # the caller stopped early: the workers' files are not wanted
                os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)


def _work(chunks: list[list[Source | Unreadable]], write_end: int, max_bytes: int) -> None:
    """A worker's life: check its chunks, write their results, and leave without cleanup.

    ``os._exit`` skips what belongs to the parent: its buffered output, its atexit handlers.
    """
    import pickle

    status = 0
    try:
        with os.fdopen(write_end, "wb") as out:
            for chunk in chunks:
                pickle.dump([_result(item, max_bytes) for item in chunk], out, pickle.HIGHEST_PROTOCOL)
                out.flush()
    except BaseException:  # noqa: BLE001 - the parent left, or Ctrl-C: nothing to report
        status = 1
    os._exit(status)
