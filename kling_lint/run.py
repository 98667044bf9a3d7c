"""The ``check`` command itself, without its command line: paths in, a report out, an exit status back.

Both ways in share it: the click CLI (``cli.check``) and the console script's shortcut for the
plain ``kling-lint check FILE...`` call (``entry``). The defaults below are the command's
defaults; click shows them in ``--help``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from .config import Settings

FORMAT_NAMES = ("text", "json", "github", "sarif")  # kept in step with report.FORMATS by a test
DEFAULT_MAX_BYTES = 16 * 1024 * 1024  # kept in step with files.DEFAULT_MAX_BYTES by a test
COLOR_CHOICES = ("auto", "always", "never")

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_BAD_CONFIGURATION = 2


def run_check(
    paths: Sequence[str],
    output_format: str | None = None,
    strict: bool | None = None,
    max_bytes: int | None = None,
    color: str | None = None,
    jobs: int | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    force_exclude: bool | None = None,
    config_file: str | None = None,
    isolated: bool = False,
    show_settings: bool = False,
) -> int:
    """Check ``paths`` and print the report on standard output; return the exit status.

    0: no errors; 1: errors (or warnings, with ``strict``); 2: a file could not be read, or the
    configuration cannot be used. An option left None takes its value from the configuration
    file (config.py), else its default; ``show_settings`` prints the settings instead.
    """
    from .config import ConfigError, resolve

    options = {"output_format": output_format, "strict": strict, "max_bytes": max_bytes, "color": color,
               "jobs": jobs, "force_exclude": force_exclude}
    try:
        settings = resolve(options, select, ignore, extend_select, config_file, isolated)
    except ConfigError as error:
        print(f"kling-lint: error: {error}", file=sys.stderr)
        return EXIT_BAD_CONFIGURATION
    if show_settings:
        from .config_apply import describe

        print(describe(settings))
        return EXIT_CLEAN
    out = sys.stdout
    chosen = settings.options
    try:
        return _check(paths, chosen["output_format"], chosen["strict"], chosen["max_bytes"],
                      _use_color(chosen["color"], out), chosen["jobs"], out, settings)
    except BrokenPipeError:  # the reader left (`kling-lint check ... | head`): stop quietly
        _silence(out)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        print("kling-lint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _check(paths: Sequence[str], output_format: str, strict: bool, max_bytes: int, color: bool, jobs: int | None, out: TextIO,
           settings: Settings) -> int:
    from . import __version__
    from .api import lint_paths
    from .findings import Severity, Summary
    from .report import reporter

    contract = settings.contract()  # the team's: its extra_body keys, its severities
    context = {}
    if output_format == "sarif":  # SARIF describes the rules that fired and the tool's version
        context = {"rules": contract.rules, "version": __version__}
    report = reporter(output_format, out, color, **context)
    files = errors = warnings = unreadable = 0
    exclude = settings.excludes if settings.exclude else None
    for result in lint_paths(paths, max_bytes, jobs, contract, exclude):
        findings = settings.switched_on(result.findings)
        files += result.readable
        unreadable += not result.readable
        errors += sum(f.severity is Severity.ERROR for f in findings)
        warnings += sum(f.severity is Severity.WARNING for f in findings)
        report.file(result.name, findings)
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
