"""Working through a lost server: a local journal of changes, replayed when it answers again.

``JournaledStore`` stands in front of a ``PostgresStore``. While the server answers it
passes every call through. When the server cannot be reached (at start or mid-session) the
store goes *offline*: reads answer from what was last seen plus the changes made since;
new tags, notes, deletions, new annotations and done marks are written to a journal, an
SQLite file in the data folder, durable when the call returns. Relations are shown as last
read, and changing one waits for the server (the call says so with ``StoreOffline``). A thread retries the server
with growing pauses and replays the journal in order, then the store is online again.

Each journal entry names the annotation's uid and carries its whole state after the
change (or its deletion), so replaying an entry twice has the effect of replaying it once:
nothing is lost and nothing is applied twice. ``pending`` counts the entries waiting
("3 changes waiting"); ``offline_reason`` says why, never with a password.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

from tui.notes.location import redact, url_user
from tui.notes.model import ANCHORED, Annotation, Tag, login_name, make_selectors, new_uid, utc_now
from tui.notes.store_api import Gone, NotAllowed, StoreError, StoreOffline, next_color
from tui.notes.suggestions_offline import JournaledSuggestions

FIRST_RETRY_S = 0.5
LAST_RETRY_S = 30.0


class Journal:
    """Pending changes per server, in order, in one SQLite file (``synchronous=FULL``)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
        self._lock = threading.Lock()
        with self._lock:
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute("PRAGMA synchronous = FULL")
            self._connection.execute(
                "CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                "location TEXT NOT NULL, op TEXT NOT NULL, payload TEXT NOT NULL, created TEXT NOT NULL)"
            )

    def append(self, location: str, op: str, payload: dict) -> int:
        with self._lock:
            return self._connection.execute(
                "INSERT INTO pending(location, op, payload, created) VALUES (?, ?, ?, ?)",
                (location, op, json.dumps(payload, ensure_ascii=False), utc_now()),
            ).lastrowid

    def entries(self, location: str) -> list[tuple[int, str, dict]]:
        with self._lock:
            rows = self._connection.execute(
                "SELECT seq, op, payload FROM pending WHERE location = ? ORDER BY seq", (location,)
            ).fetchall()
        return [(seq, op, json.loads(payload)) for seq, op, payload in rows]

    def remove(self, seq: int) -> None:
        with self._lock:
            self._connection.execute("DELETE FROM pending WHERE seq = ?", (seq,))

    def count(self, location: str) -> int:
        with self._lock:
            return self._connection.execute(
                "SELECT count(*) FROM pending WHERE location = ?", (location,)
            ).fetchone()[0]

    def close(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._connection.close()


def _annotation(payload: dict) -> Annotation:
    return Annotation(**{**payload, "tags": tuple(payload["tags"])})


class JournaledStore(JournaledSuggestions):
    """A PostgreSQL store that keeps working, through a journal, while the server is away."""

    def __init__(self, url: str, journal: Journal, store=None, reason: str | None = None) -> None:
        self._url = url
        self._journal = journal
        self._store = store
        self.location = redact(url)
        self.read_only = False
        self.read_only_reason = None
        self.offline_reason: str | None = None if store is not None else reason
        self.annotator = store.annotator if store is not None else (url_user(url) or login_name())
        self.is_curator = store.is_curator if store is not None else False
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._listings: dict[str, list[Annotation]] = {}
        self._tags: list[Tag] = []
        self._overlay: dict[str, Annotation | None] = {}
        """uid -> its state after the journalled changes (None: deleted)."""
        self._new_tags: dict[str, Tag] = {}
        self._relations: dict[str, list] = {}
        """Each document's relations as last read from the server."""
        self._thread: threading.Thread | None = None
        for _, op, payload in journal.entries(self.location):
            self._remember(op, payload)
        if store is None or self.pending:
            self._go_offline(reason)

    @classmethod
    def open(cls, url: str, journal_path: Path) -> tuple[JournaledStore, str | None]:
        from tui.notes.postgres.store import PostgresStore

        journal = Journal(journal_path)
        try:
            store = PostgresStore.open(url)
        except StoreOffline as error:
            opened = cls(url, journal, None, str(error))
            return opened, f"{error}; your changes are kept and sent when the server is back"
        except BaseException:
            journal.close()
            raise
        return cls(url, journal, store), None

    # -- state ----------------------------------------------------------------------

    @property
    def online(self) -> bool:
        return self.offline_reason is None

    @property
    def pending(self) -> int:
        """How many changes wait in the journal for the server."""
        return self._journal.count(self.location)

    def status(self) -> str | None:
        """``None`` when online and nothing waits, else e.g. "notes offline (…); 3 changes waiting"."""
        waiting = self.pending
        if self.online and not waiting:
            return None
        parts = [self.offline_reason or "notes reconnecting"]
        if waiting:
            parts.append(f"{waiting} change{'s' if waiting != 1 else ''} waiting")
        return "; ".join(parts)

    def retry_now(self) -> None:
        """Try the server at once instead of after the current pause."""
        self._wake.set()

    def _go_offline(self, reason: str | None) -> None:
        with self._lock:
            self.offline_reason = reason or "notes offline"
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._reconnect, name="margin-notes-reconnect", daemon=True)
                self._thread.start()

    def _reconnect(self) -> None:
        pause = FIRST_RETRY_S
        while not self._closed.is_set():
            self._wake.wait(pause)
            self._wake.clear()
            if self._closed.is_set():
                return
            try:
                self._replay()
            except StoreError as error:
                with self._lock:
                    self.offline_reason = str(error) if isinstance(error, StoreOffline) else self.offline_reason
                pause = min(pause * 2, LAST_RETRY_S)
                continue
            return

    def _replay(self) -> None:
        """Connect if needed, apply every journal entry in order, then go online."""
        from tui.notes.postgres.store import PostgresStore

        with self._lock:
            if self._store is None:
                self._store = PostgresStore.open(self._url)
                self.annotator, self.is_curator = self._store.annotator, self._store.is_curator
            for seq, op, payload in self._journal.entries(self.location):
                apply(self._store, op, payload)
                self._journal.remove(seq)
            self._store.change_token()
            self._overlay.clear()
            self._new_tags.clear()
            self.offline_reason = None

    # -- passing through -------------------------------------------------------------

    def _call(self, name: str, *args, **kwargs):
        with self._lock:
            if not self.online or self._store is None:
                raise StoreOffline(self.offline_reason or "notes offline")
            try:
                return getattr(self._store, name)(*args, **kwargs)
            except StoreOffline as error:
                self._go_offline(str(error))
                raise

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        from tui.notes.postgres.store import PostgresStore

        if not callable(getattr(PostgresStore, name, None)):
            raise AttributeError(name)
        return lambda *args, **kwargs: self._call(name, *args, **kwargs)

    def close(self) -> None:
        self._closed.set()
        self._wake.set()
        with self._lock:
            if self._store is not None:
                self._store.close()
        self._journal.close()

    def __enter__(self) -> JournaledStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def transaction(self):
        if self.online and self._store is not None:
            return self._store.transaction()
        return contextlib.nullcontext()

    # -- reads that work offline ------------------------------------------------------

    def annotations(self, doc_hash: str) -> list[Annotation]:
        with self._lock:
            if self.online:
                with contextlib.suppress(StoreOffline):
                    listing = self._call("annotations", doc_hash)
                    self._listings[doc_hash] = listing
                    return listing
            base = self._listings.get(doc_hash, [])
            seen = {a.uid for a in base}
            merged = [self._overlay.get(a.uid, a) for a in base]
            merged += [a for uid, a in self._overlay.items() if a is not None and a.doc_hash == doc_hash and uid not in seen]
            return sorted((a for a in merged if a is not None), key=lambda a: (a.start, a.end, a.id))

    def get(self, id: int) -> Annotation | None:
        with self._lock:
            if self.online:
                with contextlib.suppress(StoreOffline):
                    return self._call("get", id)
            for listing in [list(self._overlay.values()), *self._listings.values()]:
                for annotation in listing:
                    if annotation is not None and annotation.id == id:
                        current = self._overlay.get(annotation.uid, annotation)
                        return current
            return None

    def tags(self) -> list[Tag]:
        with self._lock:
            if self.online:
                with contextlib.suppress(StoreOffline):
                    self._tags = self._call("tags")
                    return self._tags
            return [*self._tags, *(tag for name, tag in self._new_tags.items() if all(t.name != name for t in self._tags))]

    def tag(self, name: str) -> Tag | None:
        return next((tag for tag in self.tags() if tag.name == name), None)

    # -- writes that are journalled offline -------------------------------------------

    def _offline_write(self, name: str, *args, **kwargs):
        """Try the server; ``None`` when offline (the caller journals instead)."""
        with self._lock:
            if self.online and not self.pending:
                try:
                    return self._call(name, *args, **kwargs)
                except StoreOffline:
                    pass
            return None

    def _record(self, op: str, payload: dict) -> None:
        self._journal.append(self.location, op, payload)
        self._remember(op, payload)
        if self.online:
            self._go_offline("notes reconnecting")
        self._wake.set()

    def _remember(self, op: str, payload: dict) -> None:
        if op in ("put", "restore"):
            annotation = _annotation(payload)
            self._overlay[annotation.uid] = annotation
            for name in annotation.tags:
                if all(tag.name != name for tag in self._tags) and name not in self._new_tags:
                    used = [t.color for t in [*self._tags, *self._new_tags.values()]]
                    self._new_tags[name] = Tag(name, next_color(used), None)
        elif op == "delete":
            self._overlay[payload["uid"]] = None
        elif op == "tag":
            self._new_tags[payload["name"]] = Tag(payload["name"], payload["color"], payload.get("key"))

    def add_annotation(self, doc_hash, text, start, end, tags=(), note="", annotator=None) -> Annotation:
        result = self._offline_write("add_annotation", doc_hash, text, start, end, tags, note, annotator)
        if result is not None:
            return result
        if annotator and annotator != self.annotator:
            raise NotAllowed(f"annotations are recorded as {self.annotator!r}, not {annotator!r}")
        selectors = make_selectors(text, start, end)
        now = utc_now()
        with self._lock:
            annotation = Annotation(
                id=-(len(self._overlay) + 1), uid=new_uid(), doc_hash=doc_hash, start=start, end=end,
                quote=selectors.quote, prefix=selectors.prefix, suffix=selectors.suffix,
                tags=tuple(dict.fromkeys(tags)), note=note, annotator=self.annotator,
                created=now, modified=now, status=ANCHORED,
            )
            self._record("put", dataclasses.asdict(annotation))
        return annotation

    def _change(self, name: str, id: int, *args, **kwargs) -> Annotation:
        result = self._offline_write(name, id, *args, **kwargs)
        if result is not None:
            return result
        with self._lock:
            current = self.get(id)
            if current is None:
                raise Gone(id)
            if name == "set_tags":
                changed = replace(current, tags=tuple(dict.fromkeys(args[0])))
            elif name == "add_tag":
                changed = replace(current, tags=tuple(dict.fromkeys((*current.tags, args[0]))))
            elif name == "remove_tag":
                changed = replace(current, tags=tuple(tag for tag in current.tags if tag != args[0]))
            else:
                changed = replace(current, note=args[0])
            changed = replace(changed, modified=utc_now())
            self._record("put", dataclasses.asdict(changed))
            return changed

    def set_tags(self, id, tags, *, expected=None) -> Annotation:
        return self._change("set_tags", id, list(tags), expected=expected)

    def add_tag(self, id, name) -> Annotation:
        return self._change("add_tag", id, name)

    def remove_tag(self, id, name) -> Annotation:
        return self._change("remove_tag", id, name)

    def set_note(self, id, note, *, expected=None) -> Annotation:
        return self._change("set_note", id, note, expected=expected)

    def delete_annotation(self, id, *, expected=None) -> Annotation:
        result = self._offline_write("delete_annotation", id, expected=expected)
        if result is not None:
            return result
        with self._lock:
            current = self.get(id)
            if current is None:
                raise Gone(id)
            self._record("delete", {"uid": current.uid})
            return current

    def restore_annotation(self, annotation: Annotation) -> Annotation:
        result = self._offline_write("restore_annotation", annotation)
        if result is not None:
            return result
        with self._lock:
            self._record("restore", dataclasses.asdict(annotation))
            return annotation

    def create_tag(self, name, color=None, key=None) -> Tag:
        result = self._offline_write("create_tag", name, color, key)
        if result is not None:
            return result
        with self._lock:
            used = [t.color for t in self.tags()]
            tag = Tag(name, color or next_color(used), None)
            self._record("tag", {"name": tag.name, "color": tag.color, "key": None})
            return tag

    # -- relations: read from what was last seen, changed only with the server there --------

    def relations(self, doc_hash: str) -> list:
        with self._lock:
            if self.online:
                with contextlib.suppress(StoreOffline):
                    listing = self._call("relations", doc_hash)
                    self._relations[doc_hash] = listing
                    return listing
            gone = {uid for uid, annotation in self._overlay.items() if annotation is None}
            return [r for r in self._relations.get(doc_hash, []) if r.head not in gone and r.child not in gone]

    def _relation_write(self, name: str, *args, **kwargs):
        """Relations are not journalled: while the server is away (or changes still wait for
        it, which a relation may name) a relation change is refused, saying so."""
        with self._lock:
            if not self.online or self.pending:
                reason = self.offline_reason or "notes reconnecting"
                raise StoreOffline(f"{reason}: relations can be changed once the notes server is back")
            return self._call(name, *args, **kwargs)

    def add_relation(self, doc_hash, head, child, label, annotator=None):
        return self._relation_write("add_relation", doc_hash, head, child, label, annotator)

    def restore_relation(self, relation):
        return self._relation_write("restore_relation", relation)

    def delete_relation(self, uid):
        return self._relation_write("delete_relation", uid)

    def delete_relation_label(self, name) -> None:
        self._relation_write("delete_relation_label", name)

    def set_done(self, doc_hash, done=True, annotator=None) -> None:
        if self._offline_write("set_done", doc_hash, done, annotator) is None and not self.online:
            self._record("done", {"doc_hash": doc_hash, "done": done})


def apply(store, op: str, payload: dict) -> None:
    """One journal entry against the server, idempotently (by uid, by name)."""
    if op in ("put", "restore"):
        wanted = _annotation(payload)
        if op == "put" and store.buried(wanted.uid):
            return
        current = store.get_by_uid(wanted.uid)
        if current is None:
            store.restore_annotation(replace(wanted, id=0))
        elif wanted.modified >= current.modified and (current.tags, current.note) != (wanted.tags, wanted.note):
            with store.transaction():
                store.set_tags(current.id, wanted.tags)
                store.set_note(current.id, wanted.note)
    elif op == "delete":
        current = store.get_by_uid(payload["uid"])
        if current is not None:
            store.delete_annotation(current.id)
    elif op == "tag":
        if store.tag(payload["name"]) is None:
            store.create_tag(payload["name"], payload["color"], None)
    elif op == "done":
        store.set_done(payload["doc_hash"], payload["done"])
