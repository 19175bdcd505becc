"""Team features of both stores: annotators, who may change what, live changes, progress,
tombstones; and on PostgreSQL, row-level security tried with raw SQL."""

from __future__ import annotations

import threading

import pytest
from postgres_server import ANNOTATORS, CURATOR

from tui.notes.store_api import InvalidRequest, NotAllowed, NoteStore
from tui.notes.team import TeamStore, resolve_annotator, watch

TEXT = "The first sentence. A second one follows here. And a third to end with."
DOC = "a" * 64
OTHER = "b" * 64
HOSTILE = "'); DROP TABLE annotations;--"


def test_both_backends_implement_the_interfaces(store_opener):
    with store_opener() as store:
        assert isinstance(store, NoteStore) and isinstance(store, TeamStore)


def test_deleting_leaves_a_tombstone_that_undo_lifts_and_vacuum_purges(store_opener):
    with store_opener() as store:
        kept = store.add_annotation(DOC, TEXT, 0, 5)
        gone = store.add_annotation(DOC, TEXT, 6, 11, tags=["todo"])
        store.delete_annotation(gone.id)
        assert store.annotations(DOC) == [kept], "a tombstone is hidden from listings"
        assert all(a.uid != gone.uid for a in store.all_annotations())
        assert [(s.uid, s.doc_hash) for s in store.tombstones()] == [(gone.uid, DOC)]
        store.restore_annotation(gone)
        assert store.tombstones() == []
        store.delete_annotation(gone.id)
        assert store.vacuum() == 1 and store.tombstones() == []


def test_changes_since_names_the_documents_and_the_tag_set(store_opener):
    with store_opener() as store:
        start = store.change_token()
        assert not store.changes_since(start)
        added = store.add_annotation(DOC, TEXT, 0, 5)
        changes = store.changes_since(start)
        assert changes.documents == {DOC} and changes.token > start
        quiet = store.changes_since(changes.token)
        assert not quiet and quiet.token == changes.token
        store.recolor_tag("todo", "#010203")
        later = store.changes_since(changes.token)
        assert later.tags and not later.documents
        store.set_note(added.id, "n")
        store.add_annotation(OTHER, TEXT, 0, 5)
        assert store.changes_since(later.token).documents == {DOC, OTHER}
        store.set_done(DOC)
        assert store.changes_since(store.changes_since(later.token).token - 0).progress is False
        assert store.changes_since(later.token).progress


def test_a_watcher_in_another_connection_wakes_on_a_commit(store_opener):
    with store_opener() as writer, store_opener() as reader:
        stop = threading.Event()
        seen: list = []
        token = reader.change_token()

        def follow() -> None:
            for changes in watch(reader, stop, token=token, timeout=0.05):
                seen.append(changes)
                stop.set()

        thread = threading.Thread(target=follow, daemon=True)
        with reader.watcher() as probe:
            thread.start()
            writer.add_annotation(DOC, TEXT, 0, 5, tags=["question"])
            assert probe.wait(10), "the writer's commit must wake a watcher"
        thread.join(20)
        assert not thread.is_alive()
        assert seen and DOC in seen[0].documents


def test_progress_counts_annotations_and_done_marks_per_annotator(store_opener):
    with store_opener() as store:
        me = store.annotator or "ana"
        store.add_annotation(DOC, TEXT, 0, 5, annotator=me)
        store.add_annotation(DOC, TEXT, 6, 11, annotator=me)
        store.set_done(DOC, annotator=me)
        store.set_done(DOC, annotator=me)
        progress = store.progress()
        assert progress[DOC].annotations == {me: 2} and progress[DOC].done == {me}
        assert store.done_by(DOC) == [me] and me in store.annotators()
        assert progress[DOC].summary([me, "somebody"]) == "1/2 done"
        store.set_done(DOC, False, annotator=me)
        assert store.done_by(DOC) == []


def test_hostile_names_and_notes_are_stored_as_text(store_opener):
    with store_opener() as store:
        annotation = store.add_annotation(DOC, TEXT, 0, 5, tags=[HOSTILE], note=HOSTILE)
        store.create_tag(HOSTILE + "2")
        store.rename_tag(HOSTILE, HOSTILE + "3")
        store.register_document(OTHER, "/tmp/" + HOSTILE, HOSTILE)
        assert store.get(annotation.id).tags == (HOSTILE + "3",)
        assert store.get(annotation.id).note == HOSTILE
        assert store.document(OTHER).title == HOSTILE
        assert len(store.all_annotations()) == 1


def test_sqlite_takes_the_annotator_it_is_given(tmp_path):
    from tui.notes.store import Store

    with Store.open(tmp_path / "n.sqlite3") as store:
        assert resolve_annotator(store, "ana", "login") == "ana"
        assert resolve_annotator(store, None, "login") == "login"
        assert store.add_annotation(DOC, TEXT, 0, 5, annotator=HOSTILE).annotator == HOSTILE


# -- PostgreSQL only ------------------------------------------------------------------


@pytest.fixture
def team(postgres_server):
    """Open the same fresh database as any role."""
    from tui.notes.store import open_store

    database = postgres_server.new_database()
    opened = []

    def as_role(role: str):
        store = open_store(postgres_server.url(database, role))[0]
        opened.append(store)
        return store

    as_role.server = postgres_server
    as_role.database = database
    yield as_role
    for store in opened:
        store.close()


def test_on_postgresql_the_annotator_is_the_role(team):
    a = team(ANNOTATORS[0])
    assert a.annotator == ANNOTATORS[0] and a.is_curator is False
    assert a.add_annotation(DOC, TEXT, 0, 5).annotator == ANNOTATORS[0]
    assert resolve_annotator(a, None, "login") == ANNOTATORS[0]
    with pytest.raises(InvalidRequest, match="does not match"):
        resolve_annotator(a, "someone-else", "login")
    with pytest.raises(NotAllowed):
        a.add_annotation(DOC, TEXT, 0, 5, annotator="someone-else")


def test_an_annotator_cannot_change_anothers_annotations_but_a_curator_can(team):
    a, b, curator = team(ANNOTATORS[0]), team(ANNOTATORS[1]), team(CURATOR)
    mine = a.add_annotation(DOC, TEXT, 0, 5, tags=["question"], note="a's")
    assert [x.uid for x in b.annotations(DOC)] == [mine.uid], "everyone reads everything"
    for change in (
        lambda: b.set_note(mine.id, "b was here"),
        lambda: b.set_tags(mine.id, ["todo"]),
        lambda: b.delete_annotation(mine.id),
        lambda: b.update_anchor(mine.id, 1, 2, "anchored"),
    ):
        with pytest.raises(NotAllowed, match=ANNOTATORS[0]):
            change()
    assert a.get(mine.id) == mine
    assert curator.set_note(mine.id, "curated").note == "curated"
    curator.delete_annotation(mine.id)
    assert a.get(mine.id) is None


def test_raw_sql_as_another_annotator_cannot_delete_or_alter(team):
    import psycopg

    a = team(ANNOTATORS[0])
    mine = a.add_annotation(DOC, TEXT, 0, 5, tags=["question"], note="a's")
    url = team.server.url(team.database, ANNOTATORS[1])
    with psycopg.connect(url, autocommit=True) as raw:
        raw.execute("SET search_path TO margin")
        assert raw.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1
        assert raw.execute("UPDATE annotations SET note = 'b' WHERE id = %s", (mine.id,)).rowcount == 0
        assert raw.execute("DELETE FROM annotations WHERE id = %s", (mine.id,)).rowcount == 0
        assert raw.execute("DELETE FROM annotation_tags WHERE annotation_id = %s", (mine.id,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute(
                "INSERT INTO annotation_tags(annotation_id, tag, position) VALUES (%s, 'todo', 9)", (mine.id,)
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute(
                "INSERT INTO annotations(uid, doc_hash, start, \"end\", quote, prefix, suffix, note, "
                "annotator, created, modified, status) VALUES ('u', %s, 0, 1, 'T', '', '', '', %s, 'x', "
                "'x', 'anchored')",
                (DOC, ANNOTATORS[0]),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("DELETE FROM tombstones")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("DROP TABLE annotations")
    assert a.get(mine.id) == mine


def test_a_hostile_role_name_is_just_a_name(team):
    import psycopg

    from tui.notes.postgres.admin import add_annotator

    with psycopg.connect(team.server.url(team.database), autocommit=True) as admin:
        assert add_annotator(admin, HOSTILE, "pw-1") is True
        assert add_annotator(admin, HOSTILE, "pw-2") is False
    hostile = team(HOSTILE)
    assert hostile.annotator == HOSTILE
    added = hostile.add_annotation(DOC, TEXT, 0, 5, tags=[HOSTILE], note=HOSTILE)
    other = team(ANNOTATORS[0])
    assert other.get(added.id).annotator == HOSTILE and HOSTILE in other.annotators()


def test_passwords_are_stored_as_scram_verifiers_that_the_server_accepts(team):
    import psycopg

    from tui.notes.postgres.admin import add_annotator

    with psycopg.connect(team.server.url(team.database), autocommit=True) as admin:
        add_annotator(admin, "dana", "Ünïcode pw ✓")
        stored = admin.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'dana'").fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$") and "Ünïcode" not in stored
    with psycopg.connect(team.server.tcp_url(team.database, "dana", "Ünïcode pw ✓")) as ok:
        assert ok.execute("SELECT current_user").fetchone()[0] == "dana"
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(team.server.tcp_url(team.database, "dana", "wrong"))


def test_the_postgresql_store_implements_every_method_of_both_interfaces():
    import inspect

    from tui.notes.journal import JournaledStore
    from tui.notes.postgres.store import PostgresStore
    from tui.notes.sqlite.store import SQLiteStore

    for interface in (NoteStore, TeamStore):
        members = {
            name
            for name, value in vars(interface).items()
            if callable(value) and (not name.startswith("_") or name in ("__enter__", "__exit__"))
        }
        for name in members:
            promised = list(inspect.signature(getattr(interface, name)).parameters)
            for backend in (PostgresStore, SQLiteStore):
                assert list(inspect.signature(getattr(backend, name)).parameters) == promised, (backend, name)
            journaled = getattr(JournaledStore, name, None)
            if journaled is not None:
                assert list(inspect.signature(journaled).parameters) == promised, name


def test_sqlite_batches_of_only_its_own_writes_are_marked_mine(tmp_path):
    from tui.notes.sqlite.store import SQLiteStore

    path = tmp_path / "n.sqlite3"
    with SQLiteStore.open(path) as mine, SQLiteStore.open(path) as theirs:
        start = mine.change_token()
        mine.add_annotation(DOC, TEXT, 0, 5)
        mine.add_annotation(DOC, TEXT, 6, 11)
        own = mine.changes_since(start)
        assert own.documents == {DOC} and own.mine, "two own commits in one batch"
        theirs.add_annotation(DOC, TEXT, 12, 18)
        other = mine.changes_since(own.token)
        assert other.documents == {DOC} and not other.mine
        mine.add_annotation(OTHER, TEXT, 0, 5)
        theirs.add_annotation(DOC, TEXT, 20, 25)
        mixed = mine.changes_since(other.token)
        assert mixed.documents == {DOC, OTHER} and not mixed.mine, "another process wrote in the batch"
        assert not theirs.changes_since(start).mine
