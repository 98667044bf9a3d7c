"""The ``check`` command itself, without its command line: paths in, a report out, an exit status back.

Both ways in share it: the click CLI (``cli.check``) and the console script's shortcut for the
plain ``kling-lint check FILE...`` call (``entry``). The defaults below are the command's
defaults; click shows them in ``--help``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

FORMAT_NAMES = ("text", "json", "github", "sarif")  # kept in step with report.FORMATS by a test
DEFAULT_MAX_BYTES = 16 * 1024 * 1024  # kept in step with files.DEFAULT_MAX_BYTES by a test
COLOR_CHOICES = ("auto", "always", "never")
DEFAULT_FETCH_TIMEOUT = 10.0  # seconds per image with --fetch-images; kept in step with fetch.DEFAULT_TIMEOUT by a test

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130


def run_check(
    paths: Sequence[str],
    output_format: str = "text",
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    color: str = "auto",
    jobs: int | None = None,
    fetch_images: bool = False,
    fetch_timeout: float = DEFAULT_FETCH_TIMEOUT,
) -> int:
    """Check ``paths`` and print the report on standard output; return the exit status.

    0: no errors; 1: errors (or warnings, with ``strict``); 2: a file could not be read.
    """
    out = sys.stdout
    try:
        fetcher = _fetcher(fetch_timeout) if fetch_images else None
        return _check(paths, output_format, strict, max_bytes, _use_color(color, out), jobs, out, fetcher)
    except BrokenPipeError:  # the reader left (`kling-lint check ... | head`): stop quietly
        _silence(out)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        print("kling-lint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _fetcher(timeout: float) -> object:
    from .fetch import ImageFetcher  # the network code loads only with --fetch-images

    return ImageFetcher(timeout)


def _check(paths: Sequence[str], output_format: str, strict: bool, max_bytes: int, color: bool, jobs: int | None, out: TextIO,
           fetcher: object = None) -> int:
    from . import __version__
    from .api import lint_paths
    from .findings import Severity, Summary
    from .report import reporter

    context = {}
    if output_format == "sarif":  # SARIF describes the rules that fired and the tool's version
        from .contract import RULES

        context = {"rules": RULES, "version": __version__}
    report = reporter(output_format, out, color, **context)
    files = errors = warnings = unreadable = 0
    for result in lint_paths(paths, max_bytes, jobs, fetcher):
        files += result.readable
        unreadable += not result.readable
        errors += sum(f.severity is Severity.ERROR for f in result.findings)
        warnings += sum(f.severity is Severity.WARNING for f in result.findings)
        report.file(result.name, result.findings)
    report.finish(Summary(files, errors, warnings, unreadable))
    out.flush()
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if errors or (strict and warnings) else EXIT_CLEAN


def _use_color(choice: str, stream: object) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _silence(stream: TextIO) -> None:
    """Point standard output at /dev/null, so that the flush at exit cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except (OSError, ValueError):  # not a real file (a test's capture): nothing will flush it
        pass
