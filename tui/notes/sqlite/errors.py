"""SQLite's exceptions in the store's own words: one line, naming the file, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.notes.store_api import (
    InvalidRequest,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreUnavailable,
)

DAMAGE_PHRASES = ("not a database", "malformed", "encrypted", "corrupt")
BUSY_PHRASES = ("locked", "busy")
UNAVAILABLE_PHRASES = ("readonly", "read-only", "unable to open", "disk i/o", "disk is full", "permission")


def damaged_message(path: Path, detail: str) -> str:
    return f"the notes store {path} is damaged ({detail})"


def translate(path: Path, error: sqlite3.Error) -> StoreError:
    """Map a sqlite3 error to the store's own kind with a one-line message."""
    detail = str(error).splitlines()[0] if str(error) else type(error).__name__
    lowered = detail.lower()
    if isinstance(error, sqlite3.DatabaseError) and any(phrase in lowered for phrase in DAMAGE_PHRASES):
        return StoreDamaged(damaged_message(path, detail))
    if any(phrase in lowered for phrase in BUSY_PHRASES):
        return StoreBusy(f"the notes store {path} is busy in another process ({detail})")
    if any(phrase in lowered for phrase in UNAVAILABLE_PHRASES):
        return StoreUnavailable(f"cannot write the notes store {path} ({detail})")
    if isinstance(error, sqlite3.IntegrityError):
        return InvalidRequest(f"the notes store refused the change ({detail})")
    return StoreError(f"notes store error in {path}: {detail}")


def is_busy(error: sqlite3.Error) -> bool:
    message = str(error).lower()
    return any(phrase in message for phrase in BUSY_PHRASES)
