"""One psycopg connection shared by threads: connecting, transactions, and errors in our words.

A lost server is not a crash: every driver error becomes a ``StoreError`` whose message has
had the URL's password scrubbed out, and a broken connection is dropped so that the next
call connects again (``StoreOffline`` until the server answers).

It is the ``tui.notes.queries.database.Database`` the shared queries run on: statements come
with SQLite's ``?`` placeholders and are converted to psycopg's ``%s`` here, once each.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator

from tui.notes.location import redact, scrub, url_password
from tui.notes.model import InvalidValue
from tui.notes.postgres.schema import SCHEMA
from tui.notes.queries.database import joined
from tui.notes.queries.placeholders import format_style
from tui.notes.store_api import (
    InvalidRequest,
    NotAllowed,
    StoreError,
    StoreOffline,
    StoreUnavailable,
)

CONNECT_TIMEOUT_S = 3
"""How long one attempt to reach the server may take before the store says it is offline."""


def driver():
    """psycopg, imported on first use; a clear message when the extra is not installed."""
    try:
        import psycopg
    except ImportError:
        raise StoreUnavailable(
            "a PostgreSQL store needs the psycopg driver: pip install 'margin[postgres]'"
        ) from None
    return psycopg


class Connection:
    """The store's connection to the server, reconnecting on demand after a loss."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.location = redact(url)
        self.secrets = tuple(secret for secret in (url_password(url),) if secret)
        self.lock = threading.RLock()
        self.depth = 0
        self.closed = False
        self._connection = None

    # -- connecting -------------------------------------------------------------

    def connect(self, *, search_path: bool = True):
        """A new autocommit connection, or ``StoreOffline`` with a reason free of secrets."""
        psycopg = driver()
        try:
            connection = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.OperationalError as error:
            raise StoreOffline(f"notes offline: cannot reach {self.location} ({self.reason(error)})") from None
        except Exception as error:  # a malformed URL is refused by libpq before any network
            raise StoreUnavailable(f"cannot use the notes store {self.location} ({self.reason(error)})") from None
        if search_path:
            connection.execute(f"SET search_path TO {SCHEMA}")
        return connection

    def live(self):
        """The open connection, connecting first if there is none or it broke."""
        if self.closed:
            raise StoreUnavailable(f"the notes store {self.location} is closed")
        current = self._connection
        if current is None or current.closed or current.broken:
            if current is not None:
                with contextlib.suppress(Exception):
                    current.close()
            self._connection = None
            self._connection = self.connect()
        return self._connection

    def close(self) -> None:
        with self.lock:
            self.closed = True
            if self._connection is not None:
                with contextlib.suppress(Exception):
                    self._connection.close()
                self._connection = None

    @property
    def is_open(self) -> bool:
        return self._connection is not None and not self._connection.closed

    # -- transactions and statements --------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One committed transaction around several calls; nested use joins the outer one."""
        with self.lock, self.errors():
            if self.depth:
                with joined(self):
                    yield
                return
            connection = self.live()
            self.depth = 1
            try:
                with connection.transaction():
                    yield
            finally:
                self.depth = 0

    def read(self, sql: str, parameters: Iterable[object] = ()) -> list[tuple]:
        with self.lock, self.errors():
            return self.live().execute(format_style(sql), tuple(parameters)).fetchall()

    def write(self, sql: str, parameters: Iterable[object] = ()):
        """A statement inside the caller's transaction; returns the cursor."""
        return self._connection.execute(format_style(sql), tuple(parameters))

    def write_many(self, sql: str, rows: Iterable[tuple]) -> int:
        """One statement per row inside the caller's transaction; how many rows it changed."""
        rows = list(rows)
        if not rows:
            return 0
        with self._connection.cursor() as cursor:
            cursor.executemany(format_style(sql), rows)
            return cursor.rowcount

    def insert(self, sql: str, parameters: Iterable[object]) -> int:
        """An ``INSERT`` of one row inside the caller's transaction; the new row's id."""
        return self.write(f"{sql} RETURNING id", parameters).fetchone()[0]

    # -- errors -----------------------------------------------------------------

    def reason(self, error: BaseException) -> str:
        """The first line of a driver message, with every password removed."""
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return scrub(text, self.secrets)

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """psycopg's and the model's exceptions as the store's own, secrets scrubbed."""
        try:
            yield
        except StoreError:
            raise
        except InvalidValue as error:
            raise InvalidRequest(str(error)) from None
        except Exception as error:
            translated = self.translate(error)
            if translated is None:
                raise
            raise translated from None

    def translate(self, error: BaseException) -> StoreError | None:
        psycopg = driver()
        if not isinstance(error, psycopg.Error):
            return None
        from psycopg import errors as pg

        reason = self.reason(error)
        connection = self._connection
        if isinstance(error, psycopg.OperationalError) and (
            connection is None or connection.broken or connection.closed
        ):
            self._connection = None
            return StoreOffline(f"notes offline: lost the connection to {self.location} ({reason})")
        if isinstance(error, pg.InsufficientPrivilege):
            return NotAllowed(f"the notes server refused the change ({reason})")
        if isinstance(error, pg.IntegrityError):
            return InvalidRequest(f"the notes store refused the change ({reason})")
        if isinstance(error, psycopg.InterfaceError):
            return StoreUnavailable(f"the notes store {self.location} is closed ({reason})")
        return StoreError(f"notes store error in {self.location}: {reason}")
