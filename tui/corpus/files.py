"""Opening a document's file: only a regular file, and never in a way that can block.

A FIFO blocks ``open()`` until a writer comes; ``/dev/zero`` never ends; opening some
devices has side effects. So a path is ``stat``-ed first, opened non-blocking, and checked
again on the open descriptor (it may have been replaced in between): whatever is not a
regular file is refused before a byte is read.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotARegularFile(OSError):
    """The path names something other than a regular file; ``strerror`` says what."""


def kind_of(mode: int) -> str:
    """What a file of this mode is, in words ("a FIFO"); "a regular file" for documents."""
    if stat.S_ISREG(mode):
        return "a regular file"
    return next((kind for test, kind in _KINDS if test(mode)), "a special file")


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """``path`` opened for binary reading, or OSError (NotARegularFile if it is not a file)."""
    _require_regular(os.stat(path).st_mode)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        _require_regular(os.fstat(descriptor).st_mode)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_regular(path: str | os.PathLike[str]) -> bytes:
    """The whole of a regular file, like ``Path.read_bytes`` but never from a FIFO or device."""
    with open_regular(path) as stream:
        return stream.read()


def _require_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotARegularFile(errno.EINVAL, f"{kind_of(mode)}, not a regular file")


