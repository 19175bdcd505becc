"""What a team needs from a store beyond one person's notes: who, what changed, who is done.

Both backends implement ``TeamStore`` beside ``NoteStore``:

- **annotators**: every annotation carries its ``annotator``; ``annotators()`` lists the
  names present (annotations and done marks), for a layer picker.
- **live updates**: every change to annotations, tags or done marks is logged with a
  rising number. ``change_token()`` gives the current number; ``changes_since(token)``
  says what changed after it (which documents' annotations, whether the tag set or the
  done marks). ``watcher()`` blocks until something may have changed: PostgreSQL
  ``LISTEN/NOTIFY``, SQLite ``PRAGMA data_version`` polled on a second connection. ``watch``
  below ties them together for a worker thread.
- **progress**: ``set_done`` marks a document done for an annotator; ``progress()`` gives
  per document the annotations of each annotator and who is done ("2/3 done").
- **tombstones**: a deleted annotation leaves its uid and deletion time, so that merging
  an older copy never brings it back; ``vacuum()`` purges them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from tui.notes.store_api import InvalidRequest, NoteStore, StoreError

WATCH_TIMEOUT_S = 0.25
"""How often a watching thread looks at its stop flag while nothing changes."""
RETRY_LIMIT_S = 30.0
"""The longest pause between attempts to reach a store that went away."""


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed after a token; ``token`` is the one to ask with next time."""

    token: int
    documents: frozenset[str] = frozenset()
    """Documents (by hash) whose annotations were added, changed or deleted."""
    tags: bool = False
    """The tag set changed: a tag created, renamed, recoloured, rebound or deleted."""
    progress: bool = False
    """Somebody marked a document done or not done."""
    mine: bool = False
    """Every change in the batch was written by this process's own store connection, which
    has already shown them: a reader need not read its document again."""

    def __bool__(self) -> bool:
        return bool(self.documents or self.tags or self.progress)


@dataclass(frozen=True, slots=True)
class Tombstone:
    uid: str
    doc_hash: str
    annotator: str
    deleted: str
    """When it was deleted: ISO 8601 UTC, as ``Annotation.modified``."""


@dataclass(frozen=True, slots=True)
class DocumentProgress:
    doc_hash: str
    annotations: dict[str, int] = field(default_factory=dict)
    """Annotator -> how many annotations they have on this document."""
    done: frozenset[str] = frozenset()
    """The annotators who marked this document done."""

    def summary(self, team: Sequence[str]) -> str:
        """``"2/3 done"``: how many of ``team`` are done with this document."""
        return f"{len(self.done.intersection(team))}/{len(team)} done"


class Watcher(Protocol):
    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds; True when the store may have changed since last time."""

    def close(self) -> None: ...


@runtime_checkable
class TeamStore(Protocol):
    annotator: str | None
    """PostgreSQL: the role logged in, the only name this store writes as. SQLite: None
    (the app's ``--annotator`` decides)."""
    is_curator: bool
    """Whether other annotators' annotations may be changed (always, on a private SQLite file)."""

    def annotators(self) -> list[str]: ...
    def change_token(self) -> int: ...
    def changes_since(self, token: int) -> Changes: ...
    def watcher(self) -> Watcher: ...
    def set_done(self, doc_hash: str, done: bool = True, annotator: str | None = None) -> None: ...
    def done_by(self, doc_hash: str) -> list[str]: ...
    def progress(self) -> dict[str, DocumentProgress]: ...
    def tombstones(self) -> list[Tombstone]: ...
    def bury(self, tombstone: Tombstone) -> None: ...
    def vacuum(self) -> int: ...


def toggle_done(store: NoteStore, doc_hash: str, annotator: str) -> str:
    """Mark the document done for ``annotator``, or not done if it was; what happened, in words.
    Raises ``StoreError``."""
    done = annotator not in store.done_by(doc_hash)  # type: ignore[attr-defined]
    store.set_done(doc_hash, done, annotator)  # type: ignore[attr-defined]
    return "Marked done." if done else "Marked not done."


def resolve_annotator(store: NoteStore, requested: str | None, default: str) -> str:
    """Who annotates: the server's role for PostgreSQL (another ``--annotator`` is refused),
    else the requested name or ``default`` (the login name)."""
    role = getattr(store, "annotator", None)
    if role is None:
        return requested or default
    if requested and requested != role:
        raise InvalidRequest(
            f"--annotator {requested!r} does not match the notes server's login {role!r}: "
            "with a shared store you annotate as the role you log in as"
        )
    return role


def watch(
    store: TeamStore,
    stop: threading.Event,
    *,
    token: int | None = None,
    timeout: float = WATCH_TIMEOUT_S,
) -> Iterator[Changes]:
    """Yield each batch of changes after ``token`` until ``stop`` is set; for a worker thread.

    Pass the ``change_token()`` read when the view was loaded, so that nothing committed
    between loading and watching is missed (without one, watching starts from now).

    A store that goes away (server lost) is retried with growing pauses, and whatever
    changed meanwhile is reported once it answers again; the watcher never raises
    ``StoreError`` at its caller.
    """
    pause = timeout
    while not stop.is_set():
        try:
            watcher = store.watcher()
        except StoreError:
            stop.wait(pause)
            pause = min(pause * 2, RETRY_LIMIT_S)
            continue
        try:
            if token is None:
                token = store.change_token()
            else:
                changes = store.changes_since(token)
                token = changes.token
                if changes:
                    yield changes
            pause = timeout
            while not stop.is_set():
                if not watcher.wait(timeout):
                    continue
                changes = store.changes_since(token)
                token = changes.token
                if changes:
                    yield changes
        except StoreError:
            stop.wait(pause)
            pause = min(pause * 2, RETRY_LIMIT_S)
        finally:
            watcher.close()
