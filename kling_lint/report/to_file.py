"""A report file written whole or not at all: a temporary file beside it, renamed over it at the end.

Only ``--output-file`` imports this. The temporary file is hidden (a leading dot) and ends in
``.tmp``, so that a folder being checked never picks it up; a failed or interrupted run removes it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


@contextmanager
def replacing(path: str, failure: type[Exception]) -> Iterator[tuple[TextIO, tuple[int, int] | None]]:
    """A text stream (UTF-8) that becomes ``path`` when the block ends without an exception.

    Also gives the (device, inode) of the file ``path`` names now, or None. Failing to create,
    write or rename raises ``failure`` with the system's reason.
    """
    folder, name = os.path.split(path)
    identity = None
    mode = None
    try:
        info = os.stat(path)
        identity, mode = (info.st_dev, info.st_ino), info.st_mode & 0o7777
    except OSError:
        pass
    if os.path.isdir(path):
        raise failure(f"{path}: is a folder")
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        if mode is not None:  # a report file replaced keeps its permissions
            os.fchmod(handle, mode)
    except OSError as error:
        raise failure(f"{path}: {(error.strerror or str(error)).lower()}") from None
    done = False
    try:
        with open(handle, "w", encoding="utf-8", errors="backslashreplace", newline="") as stream:
            yield stream, identity
        os.replace(temporary, path)
        done = True
    except OSError as error:
        raise failure(f"{path}: {(error.strerror or str(error)).lower()}") from None
    finally:
        if not done:
            try:
                os.unlink(temporary)
            except OSError:
                pass
