"""Opening the store's file: create, check, migrate, recover a damaged one, or open read-only.

A file that cannot be written (read-only mount, immutable file, file or folder without
write permission) is opened read-only rather than refused: its notes are still shown and
exported, and the store refuses writes with a message saying why. A file that is not a
readable SQLite database is reported before anything writes to it, and ``move_aside``
keeps its bytes for a later rescue.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tui.notes.sqlite.errors import damaged_message, is_busy, translate
from tui.notes.sqlite.schema import (
    BUSY_TIMEOUT_MS,
    check_version,
    configure,
    migrate,
    schema_version,
)
from tui.notes.store_api import StoreDamaged, StoreError, StoreUnavailable

SQLITE_HEADER = b"SQLite format 3\x00"
FIRST_CONTACT_RETRY_S = 0.05
"""Pause between attempts while another process is creating the same store."""


@dataclass(frozen=True, slots=True)
class Opened:
    connection: sqlite3.Connection
    read_only_reason: str | None
    """Why the store is read-only, in words for the user; None when it is writable."""


def open_connection(path: Path, *, create_folder: bool = True, read_only: bool = False) -> Opened:
    """A configured, migrated connection, or a read-only one when the file cannot be written."""
    reason = "it was opened read-only" if read_only else _prepare_location(path, create_folder)
    exists = path.exists() and path.stat().st_size > 0
    if reason is not None:
        if not exists:
            raise StoreUnavailable(f"cannot create the notes store {path} ({reason})")
        return Opened(_connect_read_only(path), reason)
    if exists:
        _check_readable(path)
    try:
        connection = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise translate(path, error) from None
    try:
        _first_contact(connection, path)
    except sqlite3.Error as error:
        connection.close()
        translated = translate(path, error)
        if exists and "readonly" in str(error).lower().replace("-", ""):
            return Opened(_connect_read_only(path), "the file system refused to write it")
        raise translated from None
    except StoreError:
        connection.close()
        raise
    return Opened(connection, None)


def _prepare_location(path: Path, create_folder: bool) -> str | None:
    """Refuse early, with a clear message, what cannot be opened; say why it is read-only."""
    if create_folder:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(
                f"cannot create the folder for the notes store {path} ({error.strerror or error})"
            ) from None
    elif not path.parent.is_dir():
        what = "is not a folder" if path.parent.exists() else "does not exist"
        raise StoreUnavailable(f"cannot open the notes store {path}: the folder {path.parent} {what}")
    if path.is_dir():
        raise StoreUnavailable(f"the notes store {path} is a directory")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise StoreUnavailable(f"the notes store {path} is not readable")
        if _on_read_only_mount(path):
            return "it is on a read-only file system"
        if not os.access(path, os.W_OK):
            return "the file is not writable"
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return f"its folder {path.parent} is not writable"
        return None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreUnavailable(f"cannot create the notes store in {path.parent} (not writable)")
    return None


def _on_read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Read-only, checked; ``immutable`` when SQLite cannot even make its shared-memory file
    beside a WAL database (a read-only folder or mount)."""
    _check_header(path)
    uri = path.resolve().as_uri()
    last: sqlite3.Error | None = None
    for query in ("mode=ro", "mode=ro&immutable=1"):
        try:
            connection = sqlite3.connect(
                f"{uri}?{query}",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            last = error
            continue
        try:
            configure(connection, read_only=True)
            _quick_check(connection, path)
            check_version(schema_version(connection), str(path), read_only=True)
            return connection
        except sqlite3.Error as error:
            connection.close()
            last = error
        except StoreError:
            connection.close()
            raise
    assert last is not None
    raise translate(path, last) from None


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreUnavailable(f"cannot read the notes store {path} ({error.strerror or error})") from None
    if header != SQLITE_HEADER:
        raise StoreDamaged(damaged_message(path, "not an SQLite database"))


def _quick_check(connection: sqlite3.Connection, path: Path) -> None:
    verdict = connection.execute("PRAGMA quick_check(1)").fetchone()[0]
    if verdict != "ok":
        raise StoreDamaged(damaged_message(path, f"quick_check: {verdict}"))


def _check_readable(path: Path) -> None:
    """Look at the file read-only, so a damaged store is reported before anything writes to it."""
    _check_header(path)
    try:
        probe = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error as error:
        raise translate(path, error) from None
    try:
        _quick_check(probe, path)
    except sqlite3.Error as error:
        raise translate(path, error) from None
    finally:
        probe.close()


def _first_contact(connection: sqlite3.Connection, path: Path) -> None:
    """Configure and migrate, waiting out another process doing the same.

    Switching a new file to WAL can report "locked" at once, without the busy handler,
    while a second process is creating the same store: retry until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            configure(connection)
            migrate(connection, str(path))
            return
        except sqlite3.OperationalError as error:
            if not is_busy(error) or time.monotonic() > deadline:
                raise
            time.sleep(FIRST_CONTACT_RETRY_S)


def move_aside(path: Path) -> Path:
    """Rename the damaged file and its WAL companions together, bytes untouched."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while aside.exists():
        counter += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
    try:
        os.rename(path, aside)
        for companion in ("-wal", "-shm"):
            source = Path(f"{path}{companion}")
            if source.exists():
                os.rename(source, Path(f"{aside}{companion}"))
    except OSError as error:
        raise StoreUnavailable(
            f"the notes store {path} is damaged and could not be moved aside ({error.strerror or error})"
        ) from None
    return aside
