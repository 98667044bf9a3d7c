"""The Python API, which the CLI is built on.

    >>> import kling_lint
    >>> [f.rule for f in kling_lint.lint({"model": "kling-v2", "prompt": "a lighthouse"})]
    ['model-unknown']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import Any, NamedTuple

from .contract import Contract, default_contract
from .engine import ImageCheck, import_readers, lint_bytes, lint_value, unreadable
from .files import DEFAULT_MAX_BYTES, STDIN, STDIN_NAME, Exclude, Source, Unreadable, discover, read
from .findings import Finding


class FileResult(NamedTuple):
    """The findings of one file; ``readable`` is False when it could not be read at all."""

    name: str
    findings: list[Finding]
    readable: bool = True


def lint(request: Any, contract: Contract | None = None) -> list[Finding]:
    """Check a request built in code (a dict as it would be sent). Findings have no position."""
    return lint_value(request, contract=contract)


def lint_text(text: str | bytes, filename: str = "<text>", fmt: str | None = None, contract: Contract | None = None) -> list[Finding]:
    """Check the text of a request file; ``fmt`` ("json", "jsonl", "yaml") defaults from ``filename``."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return lint_bytes(data, filename, fmt, contract=contract)


def lint_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES, contract: Contract | None = None) -> list[Finding]:
    """Check one request file; an unreadable file gives one ``unreadable`` finding."""
    return check_source(Source(str(path), str(path)), max_bytes, contract).findings


def check_source(source: Source, max_bytes: int = DEFAULT_MAX_BYTES, contract: Contract | None = None,
                 images: ImageCheck | None = None, data: bytes | None = None) -> FileResult:
    """One file's result; ``data``: its bytes when already read, ``images``: with --fetch-images."""
    try:
        data = read(source, max_bytes) if data is None else data
    except Unreadable as error:
        return FileResult(source.name, [unreadable(source.name, str(error), contract)], readable=False)
    try:
        if source.max_findings is None:
            return FileResult(source.name, lint_bytes(data, source.name, contract=contract, images=images))
        return FileResult(source.name, lint_bytes(data, source.name, contract=contract, max_findings=source.max_findings, images=images))
    except Exception as error:  # a bug of ours must not stop the other files
        if _interrupted(error):  # Ctrl-C inside an import that wrapped it: the run stops, the file is not at fault
            raise KeyboardInterrupt from error
        reason = f"kling-lint failed on this file ({type(error).__name__}: {error}); please report it"
        return FileResult(source.name, [unreadable(source.name, reason, contract)], readable=False)


def _interrupted(error: BaseException) -> bool:
    """Whether a KeyboardInterrupt is what caused ``error`` (anywhere in its chain)."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 400


def lint_paths(arguments: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, jobs: int | None = 1,
               contract: Contract | None = None, stdin_name: str | None = None,
               max_findings: int | None = None, exclude: Exclude | None = None, fetcher: Any = None) -> Iterator[FileResult]:
    """Check files and directories (searched for *.json, *.jsonl, *.yaml, *.yml), one result a file.

    Results come in the order of the arguments, as each file is done, each file once (at its
    first mention). One process by default; ``jobs`` asks for worker processes (forked, this one
    included): a number, or None for one a core once there are enough files to be worth it, as
    ``kling-lint check`` does. ``stdin_name`` is the name, and so the format, of what "-" reads;
    ``max_findings`` caps the findings a file reports; ``exclude(path, named)`` leaves files out
    (a configuration's exclude). With a ``fetcher`` (fetch.ImageFetcher, --fetch-images) the image
    URLs are fetched and checked too, in this process.
    """
    contract = contract or default_contract()
    discovered: Iterator[Source | Unreadable] = discover(list(arguments), stdin_name or STDIN_NAME, exclude)
    if max_findings is not None:
        discovered = (item._replace(max_findings=max_findings) if isinstance(item, Source) else item for item in discovered)
    if fetcher is not None:
        yield from _checked_with_fetched_images(discovered, max_bytes, contract, fetcher)
        return
    if jobs == 1 or not hasattr(os, "fork"):
        for item in discovered:
            yield _result(item, max_bytes, contract)
        return
    # Look ahead far enough to know whether the batch is worth workers; a small batch (the
    # pre-commit case) then streams without ever holding its whole file list.
    head = list(islice(discovered, PARALLEL_FROM))
    items: Iterable[Source | Unreadable] = chain(head, discovered)
    if jobs is not None or len(head) == PARALLEL_FROM:
        from . import parallel

        items = list(items)
        processes = parallel.processes(jobs, len(items))
        if processes > 1 and not any(isinstance(item, Source) and item.path == STDIN for item in items):
            contract.compile()  # before the fork: every worker inherits the built check,
            import_readers()  # and the readers, imported once rather than once a process

            def work(item: Source | Unreadable) -> FileResult:
                return _result(item, max_bytes, contract)

            yield from parallel.in_order(items, work, processes)
            return
    for item in items:
        yield _result(item, max_bytes, contract)


def _checked_with_fetched_images(items: Iterable[Source | Unreadable], max_bytes: int, contract: Contract,
                                  fetcher: Any) -> Iterator[FileResult]:
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
        if data is None or not isinstance(item, Source):
            yield _result(item, max_bytes, contract)
        else:
            yield check_source(item, max_bytes, contract, fetcher.problems, data)


def _result(item: Source | Unreadable, max_bytes: int, contract: Contract | None = None) -> FileResult:
    if isinstance(item, Unreadable):
        return FileResult(item.name, [unreadable(item.name, str(item), contract)], readable=False)
    return check_source(item, max_bytes, contract)
