"""A reader's own rows per document: reading position, paragraph direction, encoding.

On a file there is one reader and one row per document; on a server each annotator keeps
their own (the row's ``annotator`` defaults to the login role). A backend says which with
two constants, fixed SQL fragments that never hold a value: ``_reader_key``, the columns a
row is unique on, and ``_own_rows``, the condition that picks this reader's row.
"""

from __future__ import annotations

from tui.notes.model import utc_now
from tui.notes.queries.database import Backend
from tui.notes.store_api import InvalidRequest


class SettingsQueries(Backend):
    """``NoteStore``'s reading positions and per-document settings."""

    _reader_key = "doc_hash"
    _own_rows = ""

    def set_position(self, doc_hash: str, offset: int) -> None:
        if not isinstance(offset, int) or offset < 0:
            raise InvalidRequest(f"reading position must be a non-negative integer, got {offset!r}")
        with self.transaction():
            self._db.write(
                'INSERT INTO positions(doc_hash, "offset", updated) VALUES (?, ?, ?) '
                f'ON CONFLICT ({self._reader_key}) DO UPDATE SET "offset" = excluded."offset", '
                "updated = excluded.updated",
                (doc_hash, offset, utc_now()),
            )

    def position(self, doc_hash: str) -> int | None:
        rows = self._db.read(f'SELECT "offset" FROM positions WHERE doc_hash = ?{self._own_rows}', (doc_hash,))
        return rows[0][0] if rows else None

    def set_direction(self, doc_hash: str, level: int | None) -> None:
        """Remember a document's paragraph direction (0 LTR, 1 RTL; None: from its text)."""
        if level not in (None, 0, 1):
            raise InvalidRequest(f"direction must be 0, 1 or None, got {level!r}")
        self._set_setting("direction", doc_hash, level)

    def direction(self, doc_hash: str) -> int | None:
        return self._setting("direction", doc_hash)

    def set_encoding(self, doc_hash: str, encoding: str | None) -> None:
        """Remember the encoding a reader chose for a document (None: detect it again)."""
        if encoding is not None and (not isinstance(encoding, str) or not encoding.strip()):
            raise InvalidRequest(f"encoding must be a codec name or None, got {encoding!r}")
        self._set_setting("encoding", doc_hash, encoding)

    def encoding(self, doc_hash: str) -> str | None:
        return self._setting("encoding", doc_hash)

    def _set_setting(self, column: str, doc_hash: str, value: object) -> None:
        _check_setting(column)
        with self.transaction():
            self._db.write(
                f"INSERT INTO document_settings(doc_hash, {column}) VALUES (?, ?) "
                f"ON CONFLICT ({self._reader_key}) DO UPDATE SET {column} = excluded.{column}",
                (doc_hash, value),
            )

    def _setting(self, column: str, doc_hash: str):
        _check_setting(column)
        rows = self._db.read(f"SELECT {column} FROM document_settings WHERE doc_hash = ?{self._own_rows}", (doc_hash,))
        return rows[0][0] if rows else None


SETTINGS = frozenset({"direction", "encoding"})
"""The ``document_settings`` columns, the only names ever put into those statements."""


def _check_setting(column: str) -> None:
    if column not in SETTINGS:
        raise ValueError(f"not a document setting: {column!r}")
