"""Whole-or-nothing file writes: a reader never sees half an export.

The bytes go to a temporary file in the target's directory (same file system,
so the final rename is atomic), are fsynced, then take the target's name; the
directory is fsynced too so the new name survives a power cut. Without
``force`` the final step is a hard link, which fails if the name exists, so a
file that appears between the check and the write is still not overwritten.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class OutputExists(FileExistsError):
    """The target exists and overwriting was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists")
        self.path = path


def write_atomic(path: Path, data: bytes | str, *, force: bool = False) -> None:
    """Write ``data`` (text is UTF-8 encoded) to ``path`` atomically."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    if not force and path.exists():
        raise OutputExists(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        _write_through_temporary(path, directory, payload, force)
    except OutputExists:
        raise
    except OSError as error:
        # The temporary file's name means nothing to the user: name the destination.
        raise OSError(error.errno, error.strerror or str(error), str(path)) from None
    _fsync_directory(directory)


def _write_through_temporary(path: Path, directory: Path, payload: bytes, force: bool) -> None:
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(descriptor, _file_mode(path))
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(temporary, path)
        else:
            _publish_without_overwrite(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _file_mode(path: Path) -> int:
    """An overwritten file keeps its mode; a new one gets what ``open`` would give it."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _publish_without_overwrite(temporary: str, path: Path) -> None:
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise OutputExists(path) from None
    except OSError:
        # File systems without hard links: the existence check above is the guard.
        if path.exists():
            raise OutputExists(path) from None
        os.replace(temporary, path)


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
