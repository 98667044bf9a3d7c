"""The Python API, which the CLI is built on.

    >>> import kling_lint
    >>> [f.rule for f in kling_lint.lint({"model": "kling-v3-std-silent"})]
    ['prompt-missing']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .engine import lint_bytes, lint_value, unreadable
from .files import DEFAULT_MAX_BYTES, Source, Unreadable, discover, read
from .findings import Finding


@dataclass(frozen=True)
class FileResult:
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


def lint_paths(arguments: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[FileResult]:
    """Check files and directories (searched for *.json, *.jsonl, *.yaml, *.yml), one result a file."""
    for item in discover(list(arguments)):
        if isinstance(item, Unreadable):
            yield FileResult(item.name, [unreadable(item.name, str(item))], readable=False)
        else:
            yield check_source(item, max_bytes)
