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
STDIN_NAME = "<stdin>"  # how output names standard input, unless --stdin-filename says otherwise


class Source(NamedTuple):
    """A file to check: ``name`` as shown in output, ``path`` to read ("-" for standard input),
    and how many findings it may report (None: the engine's default). The cap travels with the
    file so that it reaches whichever process checks it."""

    name: str
    path: str
    max_findings: int | None = None


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


def discover(arguments: list[str], stdin_name: str = STDIN_NAME, exclude: Exclude | None = None) -> Iterator[Source | Unreadable]:
    """The request files named by ``arguments``: files as given, directories searched.

    Directories are walked without following links (no loops), skipping hidden folders; a
    directory that holds no request file or cannot be listed, or a path that does not exist,
    yields Unreadable. Each file comes once, at its first mention: a path named twice, or named
    and also reached through a folder (before or after), and "-" named twice are not repeated.
    Paths are compared as written (made relative to the current folder and normalised), which
    costs no system call; two links to one file are two files. What ``exclude`` leaves out is
    skipped; a directory whose request files are all left out is not an error.
    """
    seen = _Seen()
    for argument in arguments:
        if argument == STDIN:
            if not seen.stdin:
                seen.stdin = True
                yield Source(stdin_name, STDIN)
        elif exclude is not None and exclude(argument, True):
            continue
        elif os.path.isdir(argument):
            key = _normal(argument)
            if any(_walk_reaches(folder, key, is_folder=True) for folder in seen.folders):
                continue
            found = False
            for source in _walk(argument, seen, exclude):
                found = True
                if source is not _PRUNED:
                    yield source
            seen.folders.append(key)
            if not found:
                yield Unreadable(printable(argument), "no request files (*.json, *.jsonl, *.yaml, *.yml) in this directory")
        else:  # a missing file is reported when it is read, with the system's reason
            key = _normal(argument)
            if key in seen.files or any(_walk_reaches(folder, key) for folder in seen.folders):
                continue
            seen.files.add(key)
            yield Source(printable(argument), argument)


class _Seen:
    """What discover has yielded so far: standard input, files named, folders walked (as keys)."""

    def __init__(self) -> None:
        self.stdin = False
        self.files: set[str] = set()
        self.folders: list[str] = []


# Yielded by _walk for a subfolder left out because an earlier argument walked it: the folder
# then still counts as holding request files.
_PRUNED: Source | Unreadable = Unreadable("", "")


def _normal(path: str) -> str:
    """``path`` as a key that two spellings of one path share: normalised, relative to here.

    A path that is already normal (the usual case) is returned as it is, so that the key of a
    path from the command line costs no memory of its own.
    """
    if "/." in path or "//" in path or path.startswith((".", "/")) or path.endswith("/") or os.sep != "/":
        normal = os.path.normpath(path)
        if os.path.isabs(normal) or normal.startswith(os.pardir):  # "../here/a.json" is "a.json"
            normal = os.path.abspath(normal)
            here = os.getcwd()
            if normal.startswith(here + os.sep):
                normal = normal[len(here) + 1:]
            elif normal == here:
                normal = os.curdir
        return path if normal == path else normal
    return path


def _walk_reaches(folder: str, key: str, is_folder: bool = False) -> bool:
    """Whether walking ``folder`` reaches the file (or folder) ``key``: below it, through no
    hidden folder or link, and, for a file, with a request file's suffix."""
    if folder == os.curdir and not (key.startswith(os.pardir) or os.path.isabs(key)):
        rest = key
    elif key.startswith(folder + os.sep) or (is_folder and key == folder):
        rest = key[len(folder) + 1:]
    else:
        return False
    parts = rest.split(os.sep) if rest not in ("", os.curdir) else []
    if any(part.startswith(".") for part in parts):
        return False
    if not is_folder and not _is_request_file(parts[-1]):
        return False
    links = parts if is_folder else parts[:-1]
    return not any(os.path.islink(os.path.join(folder, *links[:depth])) for depth in range(1, len(links) + 1))


def _is_request_file(name: str) -> bool:
    dot = name.rfind(".")
    return not name.startswith(".") and dot > 0 and name[dot:].lower() in SUFFIXES


def _walk(top: str, seen: _Seen, exclude: Exclude | None = None) -> Iterator[Source | Unreadable]:
    failures: list[OSError] = []
    for folder, subfolders, names in os.walk(top, onerror=failures.append):
        while failures:  # a folder that could not be listed (os.walk reports it before moving on)
            error = failures.pop(0)
            yield Unreadable(printable(error.filename or folder), _reason(error))
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        if seen.folders:  # a folder an earlier argument walked is not walked again
            kept = [d for d in subfolders if _normal(os.path.join(folder, d)) not in seen.folders]
            if len(kept) < len(subfolders):
                subfolders[:] = kept
                yield _PRUNED
        if exclude is not None:  # the configuration's exclude: a folder left out is not walked
            kept = [d for d in subfolders if not exclude(os.path.join(folder, d), False)]
            if len(kept) < len(subfolders):
                subfolders[:] = kept
                yield _PRUNED
        for name in sorted(names):
            if _is_request_file(name):
                path = os.path.join(folder, name)
                if seen.files and _normal(path) in seen.files:
                    continue
                if exclude is not None and exclude(path, False):
                    yield _PRUNED
                    continue
                yield Source(printable(path), path)
    for error in failures:
        yield Unreadable(printable(error.filename or top), _reason(error))


def read(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a request file, or Unreadable; a file over ``max_bytes`` is not read whole."""
    if source.path == STDIN:
        data = _read_stdin(source.name, max_bytes)
    else:
        try:
            data = _read_file(source.path, max_bytes)
        except Unreadable as error:
            raise Unreadable(source.name, str(error)) from None
    if len(data) > max_bytes:
        raise Unreadable(source.name, f"larger than the {_size(max_bytes)} limit (raise it with --max-bytes)")
    return data


def _read_stdin(name: str, max_bytes: int) -> bytes:
    """Standard input, or Unreadable when it is closed (``<&-``) or cannot be read."""
    if sys.stdin is None:  # Python found file descriptor 0 closed at start-up
        raise Unreadable(name, "standard input is closed")
    try:
        return sys.stdin.buffer.read(max_bytes + 1)
    except (OSError, ValueError) as error:  # ValueError: closed meanwhile
        reason = _reason(error) if isinstance(error, OSError) else "it is closed"
        raise Unreadable(name, f"standard input cannot be read: {reason}") from None


def _read_file(path: str, max_bytes: int) -> bytes:
    try:
        # A FIFO or device is refused before it is opened: opening one can wake its writer.
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise Unreadable(path, _FOLDER if stat.S_ISDIR(mode) else _NOT_REGULAR)
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
_FOLDER = "a folder, not a file (kling_lint.lint_paths, like `kling-lint check`, checks the request files in a folder)"


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MiB" if count >= 1024 * 1024 else f"{count:,} bytes"
