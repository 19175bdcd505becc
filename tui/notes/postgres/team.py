"""The PostgreSQL store's team side of its own: the change log read in one query, and ``LISTEN``."""

from __future__ import annotations

import contextlib

from tui.notes.postgres.schema import CHANNEL
from tui.notes.team import Changes


class PostgresWatcher:
    """A second connection that ``LISTEN``s; ``wait`` returns at the first notification."""

    def __init__(self, db) -> None:
        self._db = db
        self._connection = db.connect()
        self._connection.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> bool:
        with self._db.errors():
            if self._connection.broken or self._connection.closed:
                from tui.notes.store_api import StoreOffline

                raise StoreOffline(f"notes offline: lost the connection to {self._db.location}")
            for _ in self._connection.notifies(timeout=timeout, stop_after=1):
                return True
            return False

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._connection.close()

    def __enter__(self) -> PostgresWatcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class PostgresTeamMixin:
    """What a server does its own way in ``tui.notes.team.TeamStore`` (the rest is
    ``tui.notes.queries.team``): reading the change log in one query, and ``LISTEN``."""

    def changes_since(self, token: int) -> Changes:
        latest, documents, tags, progress = self._db.read(
            "SELECT max(id), array_agg(DISTINCT doc_hash) FILTER (WHERE kind = 'annotations'), "
            "coalesce(bool_or(kind = 'tags'), false), coalesce(bool_or(kind = 'progress'), false) "
            "FROM changes WHERE id > ?",
            (token,),
        )[0]
        return Changes(
            token=token if latest is None else latest,
            documents=frozenset(documents or ()),
            tags=bool(tags),
            progress=bool(progress),
        )

    def watcher(self) -> PostgresWatcher:
        return PostgresWatcher(self._db)
