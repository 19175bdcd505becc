"""``margin merge``, ``margin status`` and ``margin admin``: merging is by uid, newest wins,
tombstones stay deleted, and running it twice changes nothing."""

from __future__ import annotations

import psycopg
import pytest
from postgres_server import ANNOTATORS, CURATOR

from tui import cli
from tui.notes.merge import merge
from tui.notes.store import Store, open_store

TEXT = "One. Two here. Three more. Four at last. Five."
DOC = "d" * 64


def _offline_store(path, who: str):
    store = Store.open(path)
    store.register_document(DOC, "/home/" + who + "/doc.txt", "Doc")
    return store


def test_merge_adds_updates_deletes_and_is_idempotent(store_opener, tmp_path):
    source = _offline_store(tmp_path / "src.sqlite3", "ana")
    with store_opener() as target:
        who = target.annotator or "ana"
        shared = source.add_annotation(DOC, TEXT, 0, 4, tags=["question"], annotator=who)
        doomed = source.add_annotation(DOC, TEXT, 5, 14, annotator=who)
        source.create_tag("only-in-source", "#abcdef")
        first = merge(source, target)
        assert (first.added, first.updated, first.deleted, first.tags, first.documents) == (2, 0, 0, 1, 1)
        assert target.get_by_uid(shared.uid).tags == ("question",)
        assert target.document(DOC) is not None and target.tag("only-in-source").color == "#abcdef"

        # The source edits one later, deletes the other; the target changes nothing.
        edited = source.set_tags(shared.id, ["evidence"])
        with source.transaction():
            source._db.write("UPDATE annotations SET modified = ? WHERE id = ?", ("2999-01-01T00:00:00Z", edited.id))
        source.delete_annotation(doomed.id)
        second = merge(source, target)
        assert (second.added, second.updated, second.deleted) == (0, 1, 1)
        assert target.get_by_uid(shared.uid).tags == ("evidence",)
        assert target.get_by_uid(doomed.uid) is None

        again = merge(source, target)
        assert (again.added, again.updated, again.deleted, again.tags, again.documents) == (0, 0, 0, 0, 0)
        assert again.skipped == 2

        # An older copy elsewhere never brings the deleted one back.
        stale = _offline_store(tmp_path / "stale.sqlite3", "bo")
        stale.restore_annotation(doomed)
        assert merge(stale, target).added == 0 and target.get_by_uid(doomed.uid) is None
        stale.close()
    source.close()


def test_merge_command_reports_each_source(tmp_path, capsys):
    sources = []
    for who in ("ana", "bo"):
        path = tmp_path / f"{who}.sqlite3"
        with _offline_store(path, who) as store:
            store.add_annotation(DOC, TEXT, 0, 4, tags=["todo"], annotator=who)
        sources.append(str(path))
    into = tmp_path / "team.sqlite3"
    assert cli.main(["merge", *sources, "--into", str(into)]) == 0
    assert cli.main(["merge", *sources, "--into", str(into)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("1 added, 0 updated, 0 deleted, 0 skipped; 0 new tags, 1 new documents")
    assert out[2].startswith("total: 2 added")
    assert out[-1].startswith("total: 0 added, 0 updated, 0 deleted, 2 skipped")
    with Store.open(into) as team:
        assert sorted(team.annotators()) == ["ana", "bo"]


def test_status_prints_documents_by_annotators(tmp_path, capsys):
    path = tmp_path / "team.sqlite3"
    with _offline_store(path, "ana") as store:
        store.register_document(DOC, "/x", "Title\x1b[2J")
        store.add_annotation(DOC, TEXT, 0, 4, annotator="ana")
        store.add_annotation(DOC, TEXT, 5, 9, annotator="ana")
        store.add_annotation(DOC, TEXT, 5, 9, annotator="bo")
        store.set_done(DOC, annotator="ana")
    assert cli.main(["status", "--store", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["document", "ana", "bo", "done"]
    assert lines[1].split() == ["Title", "[2J", "2", "done", "1", "1/2"]
    assert "\x1b" not in "".join(lines)


def test_admin_commands_against_a_server(postgres_server, tmp_path, capsys):
    database = postgres_server.new_database()
    admin_url = postgres_server.url(database)
    assert cli.main(["admin", "init", admin_url]) == 0
    secret = tmp_path / "pw"
    secret.write_text("Very-Secret-7\nignored\n")
    assert cli.main(["admin", "add-annotator", "erin", "--password-file", str(secret), "--store", admin_url]) == 0
    assert cli.main(["admin", "add-annotator", "fay", "--curator", "--password-file", str(secret), "--store", admin_url]) == 0
    out = capsys.readouterr().out
    assert "Very-Secret-7" not in out and "created annotator 'erin'" in out and "created curator 'fay'" in out
    with psycopg.connect(postgres_server.tcp_url(database, "erin", "Very-Secret-7")) as erin:
        assert erin.execute("SELECT current_user").fetchone()[0] == "erin"
    with open_store(postgres_server.tcp_url(database, "fay", "Very-Secret-7"))[0] as fay:
        assert fay.is_curator
    with open_store(postgres_server.url(database, CURATOR))[0] as curator:
        gone = curator.add_annotation(DOC, TEXT, 0, 4)
        curator.delete_annotation(gone.id)
    assert cli.main(["admin", "vacuum", "--store", postgres_server.url(database, CURATOR)]) == 0
    assert "purged 1 tombstones" in capsys.readouterr().out


def test_an_annotator_cannot_name_someone_else_on_a_server(postgres_server):
    from tui.notes.store_api import InvalidRequest
    from tui.notes.team import resolve_annotator

    with open_store(postgres_server.url(postgres_server.new_database(), ANNOTATORS[1]))[0] as store:
        with pytest.raises(InvalidRequest):
            resolve_annotator(store, ANNOTATORS[0], "login")
        assert resolve_annotator(store, ANNOTATORS[1], "login") == ANNOTATORS[1]


def test_merge_carries_relations_and_keeps_them_on_updated_annotations(store_opener, tmp_path):
    source = _offline_store(tmp_path / "src.sqlite3", "ana")
    with store_opener() as target:
        who = target.annotator or "ana"
        head = source.add_annotation(DOC, TEXT, 0, 4, tags=["question"], annotator=who)
        child = source.add_annotation(DOC, TEXT, 5, 14, annotator=who)
        related = source.add_relation(DOC, head.uid, child.uid, "answers", annotator=who)
        first = merge(source, target)
        assert first.relations == 1 and "1 relations added" in first.describe()
        assert [(r.uid, r.head, r.child, r.label) for r in target.relations(DOC)] == [
            (related.uid, head.uid, child.uid, "answers")
        ]
        # A newer copy of an end replaces the target's; the relation stays.
        source.set_tags(head.id, ["evidence"])
        with source.transaction():
            source._db.write("UPDATE annotations SET modified = ? WHERE id = ?", ("2999-01-01T00:00:00Z", head.id))
        second = merge(source, target)
        assert (second.updated, second.relations) == (1, 0)
        assert [r.uid for r in target.relations(DOC)] == [related.uid]
        assert merge(source, target).relations == 0
    source.close()
