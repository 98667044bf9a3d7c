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

STDIN_ARGUMENT = "-"
EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130


def run_check(
    paths: Sequence[str],
    output_format: str = "text",
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    color: str = "auto",
    jobs: int | None = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    diff: bool = False,
) -> int:
    """Check ``paths`` and print the report on standard output; return the exit status.

    0: no errors; 1: errors (or warnings, with ``strict``); 2: a file could not be read.
    ``fix`` writes the safe fixes (``unsafe_fixes``: all) and reports what is left; ``diff``
    prints them as a diff instead and writes nothing (exit 1 when there is something to fix).
    """
    out = sys.stdout
    try:
        if diff:
            from .fix import run_diff

            return run_diff(paths, unsafe_fixes, max_bytes, out)
        if fix:  # the fixed text of standard input goes to standard output, so the report goes aside
            report_to = sys.stderr if STDIN_ARGUMENT in paths else out
            return _check(paths, output_format, strict, max_bytes, _use_color(color, report_to), jobs, report_to, unsafe_fixes)
        return _check(paths, output_format, strict, max_bytes, _use_color(color, out), jobs, out)
    except BrokenPipeError:  # the reader left (`kling-lint check ... | head`): stop quietly
        _silence(out)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        print("kling-lint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _check(paths: Sequence[str], output_format: str, strict: bool, max_bytes: int, color: bool, jobs: int | None, out: TextIO,
           unsafe_fixes: bool | None = None) -> int:
    """The report of ``paths``; ``unsafe_fixes`` not None: after ``--fix`` (with unsafe fixes when True)."""
    from . import __version__
    from .api import lint_paths
    from .findings import SAFE, Severity, Summary
    from .report import reporter

    context = {}
    if output_format == "sarif":  # SARIF describes the rules that fired and the tool's version
        from .contract import RULES

        context = {"rules": RULES, "version": __version__}
    report = reporter(output_format, out, color, **context)
    files = errors = warnings = unreadable = fixable = unsafe_fixable = 0
    fixer = None
    if unsafe_fixes is not None:
        from .fix import FixRun

        fixer = FixRun(unsafe_fixes, max_bytes)
    for result in fixer.results(paths) if fixer else lint_paths(paths, max_bytes, jobs):
        files += result.readable
        unreadable += not result.readable
        errors += sum(f.severity is Severity.ERROR for f in result.findings)
        warnings += sum(f.severity is Severity.WARNING for f in result.findings)
        fixable += sum(f.fix is not None and f.fix.applicability == SAFE for f in result.findings)
        unsafe_fixable += sum(f.fix is not None and f.fix.applicability != SAFE for f in result.findings)
        report.file(result.name, result.findings)
    fixed = fixer.fixed if fixer else 0
    report.finish(Summary(files, errors, warnings, unreadable, fixable, unsafe_fixable, fixed))
    out.flush()
    if unreadable or (fixer and fixer.not_written):
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
