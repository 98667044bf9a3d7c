"""The Python API, which the CLI is built on.

    >>> import kling_lint
    >>> [f.rule for f in kling_lint.lint({"model": "kling-v3-std-silent"})]
    ['prompt-missing']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import partial
from itertools import chain, islice
from typing import Any, NamedTuple

from .engine import lint_bytes, lint_value, unreadable
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


def check_source(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> FileResult:
    try:
        data = read(source, max_bytes)
    except Unreadable as error:
        return FileResult(source.name, [unreadable(source.name, str(error))], readable=False)
    try:
        return FileResult(source.name, lint_bytes(data, source.name))
    except Exception as error:  # noqa: BLE001 - a bug of ours must not stop the other files
        reason = f"kling-lint failed on this file ({type(error).__name__}: {error}); please report it"
        return FileResult(source.name, [unreadable(source.name, reason)], readable=False)


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 400


def lint_paths(arguments: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, jobs: int | None = None) -> Iterator[FileResult]:
    """Check files and directories (searched for *.json, *.jsonl, *.yaml, *.yml), one result a file.

    Results come in the order of the arguments, as each file is done. A large batch is spread
    over ``jobs`` processes (default: one a core); each file is still read and checked alone.
    """
    discovered = discover(list(arguments))
    # Look ahead far enough to know whether the batch is worth workers; a small batch (the
    # pre-commit case) then streams without ever holding its whole file list.
    head = list(islice(discovered, PARALLEL_FROM))
    items: Iterable[Source | Unreadable] = chain(head, discovered)
    done = None
    if jobs != 1 and (jobs is not None or len(head) == PARALLEL_FROM):
        items = list(items)
        files = [item for item in items if isinstance(item, Source) and item.path != STDIN]
        if _workers(jobs, len(files)) > 1:
            done = _checked_in_parallel(files, max_bytes, jobs)
    for item in items:
        if isinstance(item, Unreadable):
            yield FileResult(item.name, [unreadable(item.name, str(item))], readable=False)
        elif done is not None and item.path != STDIN:
            yield next(done)
        else:
            yield check_source(item, max_bytes)


def _workers(jobs: int | None, files: int) -> int:
    if jobs is not None:
        return max(1, min(jobs, files))
    if files < PARALLEL_FROM:
        return 1
    return min(os.cpu_count() or 1, 8)


def _checked_in_parallel(files: list[Source], max_bytes: int, jobs: int | None) -> Iterator[FileResult]:
    import multiprocessing

    from .contract.conforms import compile_schema

    compile_schema()  # once, before the workers are forked from this process
    workers = _workers(jobs, len(files))
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with multiprocessing.get_context(method).Pool(workers) as pool:
        chunk = max(1, min(64, len(files) // (workers * 4)))
        yield from pool.imap(partial(check_source, max_bytes=max_bytes), files, chunksize=chunk)
