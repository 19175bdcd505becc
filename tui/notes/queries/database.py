"""What the shared queries need from a backend: a ``Database`` and a few hooks.

``Database`` is the connection as the queries use it, whatever the driver: statements with
``?`` placeholders, the caller's transaction, the backend's errors already translated into
``StoreError``. ``Backend`` is the base of the query mixins: the store class of a backend
sets ``_db`` and overrides the hooks where its rules differ.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol, Self


class Database(Protocol):
    """One connection shared by threads (``lock``), with nested transactions (``depth``)."""

    lock: Any
    depth: int

    def close(self) -> None: ...

    def transaction(self) -> AbstractContextManager[None]:
        """One committed transaction around several calls; nested use joins the outer one."""
        ...

    def errors(self) -> AbstractContextManager[None]:
        """The driver's and the model's exceptions as ``StoreError``."""
        ...

    def read(self, sql: str, parameters: Iterable[object] = ()) -> list[tuple]:
        """Every row of a query, outside or inside a transaction."""
        ...

    def write(self, sql: str, parameters: Iterable[object] = ()) -> Any:
        """A statement inside the caller's transaction; the cursor (``rowcount``, ``fetchone``)."""
        ...

    def write_many(self, sql: str, rows: Iterable[tuple]) -> int:
        """One statement per row inside the caller's transaction; how many rows it changed."""
        ...

    def insert(self, sql: str, parameters: Iterable[object]) -> int:
        """An ``INSERT`` of one row into a table with an ``id`` key; the row's ``id``."""
        ...


@contextlib.contextmanager
def joined(db: Database) -> Iterator[None]:
    """A transaction inside one already open on ``db``: one level deeper, nothing committed
    here; the outermost transaction commits or rolls back everything."""
    db.depth += 1
    try:
        yield
    finally:
        db.depth -= 1


class Backend:
    """The base of the query mixins: the store's ``_db`` and the rules a backend may change.

    Every backend says whose name a write is recorded under (``_annotator_for``) and when a
    remembered listing is stale (``AnnotationQueries._fresh_listings``); the rest defaults to
    a file's rules: one reader, who may change every row.
    """

    _db: Database
    is_curator = True
    """Whether this store may change every annotator's rows (on a server, a curator role)."""

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[None]:
        """One committed transaction around several calls; nested use joins the outer one."""
        return self._db.transaction()

    def _annotator_for(self, annotator: str | None) -> str:
        """The name a write is recorded under when the caller names ``annotator`` (or None)."""
        raise NotImplementedError

    def _may_change(self, owner: str, what: str) -> None:
        """Refuse (``NotAllowed``) a change to ``owner``'s ``what`` ("annotation", "relation")."""
