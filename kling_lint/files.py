"""Which files to check, and reading them safely: capped, never a FIFO, never written."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator
from typing import NamedTuple

from .load import SUFFIXES

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
STDIN = "-"


class Source(NamedTuple):
    """A file to check: ``name`` as shown in output, ``path`` to read ("-" for standard input)."""

    name: str
    path: str


class Unreadable(Exception):
    """A file or directory that cannot be read: ``name`` and, as the message, why."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(reason)
        self.name = name


def printable(path: str) -> str:
    """A path as output shows it: bytes that are not UTF-8 (kept by Python as surrogates) escaped."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# Whether a path is left out (the configuration's exclude): the path, and whether it was named
# on the command line (True) or found by a directory walk (False).
Exclude = Callable[[str, bool], bool]


def discover(arguments: list[str], exclude: Exclude | None = None) -> Iterator[Source | Unreadable]:
    """The request files named by ``arguments``: files as given, directories searched.

    Directories are walked without following links (no loops), skipping hidden folders and
    what ``exclude`` leaves out; a directory that holds no request file (none excluded) or
    cannot be listed, or a path that does not exist, yields Unreadable.
    """
    for argument in arguments:
        if argument == STDIN:
            yield Source("<stdin>", STDIN)
        elif exclude is not None and exclude(argument, True):
            continue
        elif os.path.isdir(argument):
            found = False
            excluded: list[str] = []
            for source in _walk(argument, exclude, excluded):
                found = True
                yield source
            if not found and not excluded:
                yield Unreadable(printable(argument), "no request files (*.json, *.jsonl, *.yaml, *.yml) in this directory")
        else:  # a missing file is reported when it is read, with the system's reason
            yield Source(printable(argument), argument)


def _walk(top: str, exclude: Exclude | None = None, excluded: list[str] | None = None) -> Iterator[Source | Unreadable]:
    failures: list[OSError] = []
    left_out = excluded if excluded is not None else []
    for folder, subfolders, names in os.walk(top, onerror=failures.append):
        while failures:  # a folder that could not be listed (os.walk reports it before moving on)
            error = failures.pop(0)
            yield Unreadable(printable(error.filename or folder), _reason(error))
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and not _left_out(folder, d, exclude, left_out))
        for name in sorted(names):
            if name.startswith("."):
                continue
            dot = name.rfind(".")
            if dot > 0 and name[dot:].lower() in SUFFIXES and not _left_out(folder, name, exclude, left_out):
                path = os.path.join(folder, name)
                yield Source(printable(path), path)
    for error in failures:
        yield Unreadable(printable(error.filename or top), _reason(error))


def _left_out(folder: str, name: str, exclude: Exclude | None, excluded: list[str]) -> bool:
    if exclude is None or not exclude(os.path.join(folder, name), False):
        return False
    excluded.append(name)
    return True


def read(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a request file, or Unreadable; a file over ``max_bytes`` is not read whole."""
    if source.path == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        try:
            data = _read_file(source.path, max_bytes)
        except Unreadable as error:
            raise Unreadable(source.name, str(error)) from None
    if len(data) > max_bytes:
        raise Unreadable(source.name, f"larger than the {_size(max_bytes)} limit (raise it with --max-bytes)")
    return data


def _read_file(path: str, max_bytes: int) -> bytes:
    try:
        # A FIFO or device is refused before it is opened: opening one can wake its writer.
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise Unreadable(path, _NOT_REGULAR)
        # O_NONBLOCK: should the path become a FIFO since, opening it must not wait for a writer.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise Unreadable(path, _reason(error)) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(path, _NOT_REGULAR)
        if info.st_size > max_bytes:
            raise Unreadable(path, f"{_size(info.st_size)}, larger than the {_size(max_bytes)} limit (raise it with --max-bytes)")
        # Ask for the size stat gives, plus one byte to see a file that grew meanwhile: a larger
        # request would make os.read allocate (and the kernel zero) a buffer that size each time.
        chunks = []
        remaining = max_bytes + 1
        wanted = min(info.st_size + 1, remaining)
        while remaining > 0:
            chunk = os.read(handle, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
            wanted = min(1 << 20, remaining)
        return b"".join(chunks)
    except OSError as error:
        raise Unreadable(path, _reason(error)) from None
    finally:
        os.close(handle)


_NOT_REGULAR = "not a regular file (a FIFO, socket or device is not read)"


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MiB" if count >= 1024 * 1024 else f"{count:,} bytes"
