"""A lost notes server: work goes on through the journal, nothing is lost or applied twice,
and no message ever shows a password."""

from __future__ import annotations

import psycopg
import pytest
from postgres_server import ANNOTATORS, PASSWORD
from waiting import until

from tui.notes.location import redact, scrub
from tui.notes.store import open_store
from tui.notes.store_api import StoreError, StoreOffline

TEXT = "One. Two here. Three more. Four at last. Five."
DOC = "d" * 64


@pytest.fixture
def server_database(postgres_server):
    database = postgres_server.new_database()
    yield postgres_server, database
    if not (postgres_server.data / "postmaster.pid").exists():
        postgres_server.start()


def _rows(server, database: str) -> list[tuple]:
    with psycopg.connect(server.url(database), autocommit=True) as admin:
        return admin.execute(
            "SELECT a.uid, a.note, coalesce(string_agg(t.tag, ',' ORDER BY t.position), '') "
            "FROM margin.annotations a LEFT JOIN margin.annotation_tags t ON t.annotation_id = a.id "
            "GROUP BY a.uid, a.note ORDER BY a.uid"
        ).fetchall()


def test_tags_made_while_the_server_is_down_arrive_exactly_once(server_database):
    server, database = server_database
    store, notice = open_store(server.tcp_url(database, ANNOTATORS[0]))
    with store:
        assert notice is None and store.online
        first = store.add_annotation(DOC, TEXT, 0, 4, tags=["question"])
        store.annotations(DOC)
        server.stop()
        tagged = [
            store.add_annotation(DOC, TEXT, 5, 14, tags=["evidence"]),
            store.add_annotation(DOC, TEXT, 15, 26, tags=["todo"], note="offline note"),
        ]
        tagged.append(store.add_tag(first.id, "key-point"))
        assert not store.online and store.pending == 3
        assert "3 changes waiting" in store.status()
        assert PASSWORD not in store.status()
        shown = store.annotations(DOC)
        assert {a.uid for a in shown} == {first.uid, *(a.uid for a in tagged[:2])}
        assert next(a for a in shown if a.uid == first.uid).tags == ("question", "key-point")
        server.start()
        store.retry_now()
        until(lambda: store.online and store.pending == 0, "the journal to be replayed")
    rows = _rows(server, database)
    assert len(rows) == 3, rows
    assert sorted(rows) == sorted(
        [
            (first.uid, "", "question,key-point"),
            (tagged[0].uid, "", "evidence"),
            (tagged[1].uid, "offline note", "todo"),
        ]
    )


def test_replaying_an_entry_twice_changes_nothing(server_database):
    from tui.notes.journal import apply
    from tui.notes.postgres.store import PostgresStore

    server, database = server_database
    with PostgresStore.open(server.url(database, ANNOTATORS[0])) as store:
        added = store.add_annotation(DOC, TEXT, 0, 4, tags=["todo"])
        import dataclasses

        payload = dataclasses.asdict(added) | {"uid": "replayed-uid", "id": 0}
        for _ in range(2):
            apply(store, "put", payload)
            apply(store, "delete", {"uid": added.uid})
            apply(store, "tag", {"name": "once", "color": "#123456"})
        assert [a.uid for a in store.annotations(DOC)] == ["replayed-uid"]
        assert [t.name for t in store.tags()].count("once") == 1
        apply(store, "put", dataclasses.asdict(added))
        assert store.get_by_uid(added.uid) is None, "a deleted annotation does not come back"


def test_a_server_down_at_start_still_opens_and_the_journal_outlives_the_process(server_database):
    server, database = server_database
    url = server.tcp_url(database, ANNOTATORS[0])
    server.stop()
    store, notice = open_store(url)
    with store:
        assert not store.online and "offline" in notice and PASSWORD not in notice
        assert store.annotator == ANNOTATORS[0]
        made = store.add_annotation(DOC, TEXT, 5, 14, tags=["brand-new"], note="kept")
        assert store.pending == 1 and store.annotations(DOC) == [made]
        assert "brand-new" in [tag.name for tag in store.tags()]
    store, _ = open_store(url)
    with store:
        assert store.pending == 1 and [a.uid for a in store.annotations(DOC)] == [made.uid]
        server.start()
        store.retry_now()
        until(lambda: store.online and store.pending == 0, "the journal to be replayed")
        assert [(a.uid, a.tags, a.note) for a in store.annotations(DOC)] == [(made.uid, ("brand-new",), "kept")]


def test_no_message_shows_the_password(server_database, tmp_path):
    server, database = server_database
    secret = "pa:ss@w/rd?&=%s'x"
    from urllib.parse import quote

    bad_port = f"postgresql://{ANNOTATORS[0]}:{quote(secret, safe='')}@127.0.0.1:1/{database}"
    wrong_password = server.tcp_url(database, ANNOTATORS[0], password=secret)
    messages = []
    for url in (bad_port, wrong_password, f"postgres://u:{quote(secret, safe='')}@127.0.0.1:1/x?sslmode=nonsense"):
        try:
            store, notice = open_store(url)
        except StoreError as error:
            messages.append(str(error))
        else:
            messages.extend([notice or "", store.status() or "", store.location])
            with pytest.raises(StoreOffline) as caught:
                store.stats()
            messages.append(str(caught.value))
            store.close()
    assert messages
    for message in messages:
        assert secret not in message and quote(secret, safe="") not in message, message
    assert redact(bad_port).count("***") == 1
    assert scrub(f"password={secret} host=x") == "password=*** host=x"


def test_the_command_line_never_prints_the_password(server_database, capsys):
    from tui import cli

    server, database = server_database
    url = server.tcp_url(database, ANNOTATORS[0], password="wrong-Secret-9")
    assert cli.main(["status", "--store", url]) == 1
    assert cli.main(["admin", "init", url.replace(str(server.port), "1")]) == 1
    captured = capsys.readouterr()
    assert "wrong-Secret-9" not in captured.out + captured.err
    assert "margin:" in captured.err


def test_relations_are_shown_offline_and_changed_only_online(server_database):
    server, database = server_database
    store, _notice = open_store(server.tcp_url(database, ANNOTATORS[0]))
    with store:
        a = store.add_annotation(DOC, TEXT, 0, 4)
        b = store.add_annotation(DOC, TEXT, 5, 14)
        made = store.add_relation(DOC, a.uid, b.uid, "supports")
        assert store.relations(DOC) == [made]
        store.annotations(DOC)
        server.stop()
        assert store.relations(DOC) == [made], "shown as last read"
        with pytest.raises(StoreOffline, match="relations can be changed once the notes server is back"):
            store.add_relation(DOC, b.uid, a.uid, "answers")
        with pytest.raises(StoreOffline):
            store.delete_relation(made.uid)
        store.delete_annotation(b.id)
        assert store.relations(DOC) == [], "a relation whose end was deleted offline is not shown"
        server.start()
        store.retry_now()
        until(lambda: store.online and store.pending == 0, "the journal to be replayed")
        assert store.relations(DOC) == [], "the server's cascade removed it"
