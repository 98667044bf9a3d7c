"""The ``check`` command itself, without its command line: paths in, a report out, an exit status back.

Both ways in share it: the click CLI (``cli.check``) and the console script's shortcut for the
plain ``kling-lint check FILE...`` call (``entry``). The defaults below are the command's
defaults; click shows them in ``--help``.

Writing the report can fail however the files went: standard output closed (``>&-``), a full
disk (``> /dev/full``), a reader that leaves (``| head -1``). A reader that leaves ends the
output, not the check: the exit status is the one the run would have had. Any other failure
is one line on standard error and exit 2. A character the output's encoding cannot show is
written as an escape (``\\u732b``), so that no file is lost to it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO, cast

if TYPE_CHECKING:
    from .config import Settings

FORMAT_NAMES = ("text", "json", "github", "sarif")  # kept in step with report.FORMATS by a test
STATISTICS_FORMATS = ("text", "json")  # the formats --statistics can print
DEFAULT_MAX_BYTES = 16 * 1024 * 1024  # kept in step with files.DEFAULT_MAX_BYTES by a test
DEFAULT_MAX_FINDINGS = 1000  # kept in step with engine.DEFAULT_MAX_FINDINGS by a test
COLOR_CHOICES = ("auto", "always", "never")
DEFAULT_FETCH_TIMEOUT = 10.0  # seconds per image with --fetch-images; kept in step with fetch.DEFAULT_TIMEOUT by a test
STDIN = "-"

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_BAD_CONFIGURATION = 2


# How many commands are running in this process: while one is, Ctrl-C is a KeyboardInterrupt that
# the command turns into one line and exit 130 (entry._on_interrupt reads this).
RUNNING: list[bool] = []


@contextmanager
def interruptible() -> Iterator[None]:
    """The span in which a command handles Ctrl-C itself."""
    RUNNING.append(True)
    try:
        yield
    finally:
        RUNNING.pop()


class WriteFailed(Exception):
    """The report could not be written; the message says where and why."""


def run_check(
    paths: Sequence[str],
    output_format: str | None = None,
    strict: bool | None = None,
    max_bytes: int | None = None,
    color: str | None = None,
    jobs: int | None = None,
    quiet: bool = False,
    statistics: bool = False,
    output_file: str | None = None,
    stdin_filename: str | None = None,
    exit_zero: bool = False,
    max_findings: int = DEFAULT_MAX_FINDINGS,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    force_exclude: bool | None = None,
    config_file: str | None = None,
    isolated: bool = False,
    show_settings: bool = False,
    fetch_images: bool = False,
    fetch_timeout: float = DEFAULT_FETCH_TIMEOUT,
    fix: bool = False,
    unsafe_fixes: bool = False,
    diff: bool = False,
) -> int:
    """Check ``paths`` and print the report on standard output (or to ``output_file``); return the exit status.

    0: no errors (or ``exit_zero``); 1: errors (or warnings, with ``strict``); 2: a file could
    not be read, the report could not be written, or the configuration cannot be used. An
    option left None takes its value from the configuration file (config.py), else its
    default; ``show_settings`` prints the settings instead.
    ``fix`` writes the safe fixes (``unsafe_fixes``: all) and reports what is left; ``diff``
    prints them as a diff instead and writes nothing (exit 1 when there is something to fix).
    """
    if list(paths).count(STDIN) > 1:
        say('standard input can be read only once: name "-" once')
        return EXIT_UNREADABLE
    from .config import ConfigError, resolve

    given = {"output_format": output_format, "strict": strict, "max_bytes": max_bytes, "color": color,
             "jobs": jobs, "force_exclude": force_exclude}
    try:
        settings = resolve(given, select, ignore, extend_select, config_file, isolated)
    except ConfigError as error:
        say(f"error: {error}")
        return EXIT_BAD_CONFIGURATION
    if show_settings:
        from .config_apply import describe

        print(describe(settings))
        return EXIT_CLEAN
    chosen = settings.options
    options = _Options(chosen["output_format"], chosen["strict"], chosen["max_bytes"], chosen["color"], chosen["jobs"],
                       quiet, statistics, stdin_filename, exit_zero, max_findings)
    options.fetcher = fetcher(fetch_timeout) if fetch_images else None
    try:
        with interruptible():
            if diff:
                from .fix import run_diff

                with _destination(output_file) as out:
                    return run_diff(paths, unsafe_fixes, options.max_bytes, cast(TextIO, out), settings.contract(), settings.switched_on,
                                    stdin_filename, settings.excludes if settings.exclude else None)
            if fix and STDIN in paths and output_file is None:
                # the fixed text of standard input goes to standard output, so the report goes aside
                return _check(paths, options, _Guarded(sys.stderr, "standard error"), settings, unsafe_fixes)
            with _destination(output_file) as out:
                return _check(paths, options, out, settings, unsafe_fixes if fix else None)
    except WriteFailed as failure:
        say(f"cannot write the report: {failure}")
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        say("interrupted")
        return EXIT_INTERRUPTED


class _Options:
    """The check command's options, as run_check was given them."""

    __slots__ = ("output_format", "strict", "max_bytes", "color", "jobs", "quiet", "statistics", "stdin_filename", "exit_zero", "max_findings",
                 "fetcher")

    def __init__(self, output_format: str, strict: bool, max_bytes: int, color: str, jobs: int | None, quiet: bool,
                 statistics: bool, stdin_filename: str | None, exit_zero: bool, max_findings: int) -> None:
        self.output_format = output_format
        self.strict = strict
        self.max_bytes = max_bytes
        self.color = color
        self.jobs = jobs
        self.quiet = quiet
        self.statistics = statistics
        self.stdin_filename = stdin_filename
        self.exit_zero = exit_zero
        self.max_findings = max_findings
        self.fetcher: Any = None  # fetch.ImageFetcher with --fetch-images


def fetcher(timeout: float) -> Any:
    """The run's image fetcher (--fetch-images): the network code loads only then."""
    from .fetch import ImageFetcher

    return ImageFetcher(timeout)


def _check(paths: Sequence[str], options: _Options, out: _Guarded, settings: Settings, unsafe_fixes: bool | None = None) -> int:
    """The report of ``paths``; ``unsafe_fixes`` not None: after ``--fix`` (with unsafe fixes when True)."""
    from . import __version__
    from .api import lint_paths
    from .findings import SAFE, Severity, Summary
    from .report import reporter

    contract = settings.contract()  # the team's: its extra_body keys, its severities
    context: dict[str, Any] = {"quiet": options.quiet}
    if options.output_format == "sarif":  # SARIF describes the rules that fired and the tool's version
        context.update(rules=contract.rules, version=__version__)
    color = _use_color(options.color, out.stream)
    stream = cast(TextIO, out)  # a reporter only writes and flushes, which _Guarded does as a TextIO would
    if options.statistics:
        from .report.statistics import Reporter

        report = Reporter(stream, color, as_json=options.output_format == "json", quiet=options.quiet)
    else:
        report = reporter(options.output_format, stream, color, **context)
    files = errors = warnings = unreadable = fixable = unsafe_fixable = 0
    max_findings = None if options.max_findings == DEFAULT_MAX_FINDINGS else options.max_findings
    exclude = settings.excludes if settings.exclude else None
    fixer = None
    if unsafe_fixes is not None:
        from .fix import FixRun

        fixer = FixRun(unsafe_fixes, options.max_bytes, contract, keep=settings.switched_on)
    results = fixer.results(paths, options.stdin_filename, exclude) if fixer else lint_paths(
        paths, options.max_bytes, options.jobs, contract, stdin_name=options.stdin_filename,
        max_findings=max_findings, exclude=exclude, fetcher=options.fetcher)
    for result in results:
        findings = settings.switched_on(result.findings)
        files += 1
        unreadable += not result.readable
        for finding in findings:
            if finding.severity is Severity.ERROR:
                errors += 1
            else:
                warnings += 1
        fixable += sum(f.fix is not None and f.fix.applicability == SAFE for f in findings)
        unsafe_fixable += sum(f.fix is not None and f.fix.applicability != SAFE for f in findings)
        if out.replaces is not None and os.path.basename(result.name) == out.replaces[0]:
            out.refuse_if_same(result.name)
        report.file(result.name, findings)
    fixed = fixer.fixed if fixer else 0
    report.finish(Summary(files, errors, warnings, unreadable, fixable, unsafe_fixable, fixed))
    out.flush()
    if unreadable or (fixer and fixer.not_written):
        return EXIT_UNREADABLE
    if options.exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if errors or (options.strict and warnings) else EXIT_CLEAN


class _Guarded:
    """The report's stream, its failures made plain.

    A reader that leaves (a broken pipe) silences the stream for the rest of the run; any other
    failure raises WriteFailed, naming where the report was going.
    """

    def __init__(self, stream: TextIO, where: str, replaces: tuple[str, tuple[int, int]] | None = None) -> None:
        self.stream = stream
        self.where = where
        self.reader_left = False
        # The base name and (device, inode) of an output file that exists already: it is
        # refused if it turns out to be one of the files checked.
        self.replaces = replaces

    @property
    def encoding(self) -> str | None:  # JSON output escapes what a non-Unicode encoding cannot show
        return getattr(self.stream, "encoding", None)

    def write(self, text: str) -> None:
        if not self.reader_left:
            self._do(self.stream.write, text)

    def flush(self) -> None:
        if not self.reader_left:
            self._do(self.stream.flush)

    def _do(self, action: Any, *args: Any) -> None:
        try:
            action(*args)
        except BrokenPipeError:
            self.reader_left = True
            _silence(self.stream)
        except (OSError, ValueError) as error:  # ValueError: the stream was closed
            _silence(self.stream)
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            raise WriteFailed(f"{self.where}: {reason.lower()}") from None

    def refuse_if_same(self, name: str) -> None:
        """``name`` was checked: refuse to write the report over it, if it is the output file."""
        try:
            info = os.stat(name)
        except OSError:
            return
        if self.replaces is not None and (info.st_dev, info.st_ino) == self.replaces[1]:
            raise WriteFailed(f"{self.where} is one of the files checked; kling-lint never writes a file it checks")


@contextmanager
def _destination(output_file: str | None) -> Iterator[_Guarded]:
    """Standard output, or a temporary file beside ``output_file`` that replaces it at the end.

    The report file is written whole or not at all: an interrupted or failed run leaves the
    previous file (or none) as it was.
    """
    if output_file is None:
        stream = sys.stdout
        if stream is None:  # Python found file descriptor 1 closed at start-up
            raise WriteFailed("standard output is closed")
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
        yield _Guarded(stream, "standard output")
        return
    from .report.to_file import replacing

    with replacing(output_file, WriteFailed) as (stream, identity):
        replaces = None if identity is None else (os.path.basename(output_file), identity)
        yield _Guarded(stream, output_file, replaces)


def _use_color(choice: str, stream: object) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def say(message: str) -> None:
    """One line on standard error, if there is one to write to."""
    if sys.stderr is None:  # closed at start-up; print(file=None) would write to standard output
        return
    from .redact import redact  # a path in a message may be named after a pasted key

    try:
        print(f"kling-lint: {redact(message)}", file=sys.stderr)
    except (AttributeError, OSError, ValueError):  # stderr closed too: the exit status says it
        pass


def _silence(stream: TextIO) -> None:
    """Point the stream's descriptor at /dev/null, so that the flush at exit cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture): nothing will flush it
        pass
