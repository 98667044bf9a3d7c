"""The console script (and ``python -m kling_lint``).

pre-commit runs ``kling-lint check FILE...`` on every commit, and importing click alone takes
about 30 ms of the 70 ms such a check may cost. So that one call, a ``check`` followed by
nothing but file names, runs here without click, with the command's defaults. Any other
command line (an option, ``--help``, a mistake) goes to the click CLI in ``cli``.
tests/test_entry.py holds the shortcut to click's reading of the same command line.
"""

from __future__ import annotations

import signal
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # nothing more is imported before main() installs the Ctrl-C handler
    from collections.abc import Sequence


def plain_check_paths(arguments: Sequence[str]) -> list[str] | None:
    """The paths of ``check PATH...`` when every argument after ``check`` is a path, else None.

    A path is anything click would not take for an option: ``-`` (standard input), or an
    argument that does not start with ``-``.
    """
    if len(arguments) < 2 or arguments[0] != "check":
        return None
    paths = list(arguments[1:])
    if all(path == "-" or not path.startswith("-") for path in paths):
        return paths
    return None


def main() -> None:
    # From here on Ctrl-C is one line and exit 130; before (Python's own start-up, importing this
    # package) only Python could say otherwise.
    signal.signal(signal.SIGINT, _on_interrupt)
    try:
        paths = plain_check_paths(sys.argv[1:])
        if paths is not None:
            from .run import run_check

            _quit(run_check(paths))
        from .cli import main as click_main

        click_main(prog_name="kling-lint")
    except KeyboardInterrupt:  # Ctrl-C before a command's own handler is in place (its imports)
        try:
            print("kling-lint: interrupted", file=sys.stderr)
        except (AttributeError, OSError, ValueError):
            pass
        _leave(130)
    except SystemExit as done:
        _leave(done.code)


def _leave(status: str | int | None) -> None:
    """Exit with ``status``. The work is done and reported: a Ctrl-C from now on is ignored, since
    Python's shutdown puts back the default action, which would kill the process by the signal
    (exit -2) after the report said otherwise. An ignored signal stays ignored through shutdown."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(status)


def _quit(status: int) -> None:
    """Leave at once with ``status`` after a plain check, skipping Python's shutdown.

    The shutdown frees every object one by one and tears down every module: 8% of a one-file
    check (callgrind: 194 M instructions with it, 178 M without), paid on every commit. Here
    nothing is left for it to do: the report is written and flushed by run_check, no file is
    open for writing, no thread runs and no worker is left (parallel reaps them); the standard
    streams are flushed below. A stream that cannot be flushed any more (the reader left) is
    what run_check already made the status say."""
    import os

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as _leave: the report said what happened
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    os._exit(status)


def _on_interrupt(signum: int, frame: object) -> None:
    """Ctrl-C: inside a running command (run.interruptible), a KeyboardInterrupt, which the
    command ends with one line and 130; anywhere else (an import, click reading the options,
    Python exiting), the same line and 130 at once: nothing has been written yet, or all of it.

    No import here: the signal may land in the middle of one.
    """
    run = sys.modules.get("kling_lint.run")
    if run is not None and getattr(run, "RUNNING", None):
        raise KeyboardInterrupt
    import os

    try:
        os.write(2, b"kling-lint: interrupted\n")
    except OSError:  # standard error closed: the status says it
        pass
    os._exit(130)
