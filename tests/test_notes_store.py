"""The store: documents, tags, annotations, positions, transactions and schema.

Tests taking the ``store`` fixture run against both backends (SQLite, and a real
PostgreSQL server from ``postgres_server``); the rest are about the SQLite file itself.
"""

from __future__ import annotations

import sqlite3

import pytest

from tui.notes.model import ORPHAN
from tui.notes.store import (
    DEFAULT_TAGS,
    SCHEMA_VERSION,
    InvalidRequest,
    NotFound,
    Store,
    StoreError,
    StoreUnavailable,
)

TEXT = "The first sentence. A second one follows here. And a third to end with."
DOC = "a" * 64


@pytest.fixture
def store(store_opener, tmp_path):
    with store_opener() as opened:
        opened.register_document(DOC, tmp_path / "doc.txt", "Doc")
        yield opened


def test_a_new_store_has_the_default_tags_and_current_schema(tmp_path):
    path = tmp_path / "deep" / "dir" / "notes.sqlite3"
    with Store.open(path) as store:
        assert store.tags() == list(DEFAULT_TAGS)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_reopening_keeps_everything_and_does_not_reseed_tags(tmp_path):
    path = tmp_path / "notes.sqlite3"
    with Store.open(path) as store:
        store.delete_tag("todo")
        store.register_document(DOC, "/x/doc.txt", "Doc")
        added = store.add_annotation(DOC, TEXT, 4, 9)
    with Store.open(path) as store:
        assert "todo" not in [tag.name for tag in store.tags()]
        assert store.annotations(DOC) == [added]


def test_a_version_1_store_is_migrated_with_its_notes(tmp_path):
    path = tmp_path / "notes.sqlite3"
    with Store.open(path) as store:
        store.register_document(DOC, "/x/doc.txt", "Doc")
        added = store.add_annotation(DOC, TEXT, 4, 9, tags=["todo"])
    raw = sqlite3.connect(path)
    _downgrade_to_2(raw)
    raw.execute("DROP TABLE document_settings")
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    with Store.open(path) as store:
        assert store.annotations(DOC) == [added]
        assert store.direction(DOC) is None
        store.set_direction(DOC, 1)
        assert store.direction(DOC) == 1
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()


def _downgrade_to_2(raw: sqlite3.Connection) -> None:
    """Undo schema versions 3 to 8 (tombstones, progress, change log; the encoding; relations;
    curation; suggestions; document labels) as a version 2 file had it."""
    triggers = [row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    for trigger in triggers:
        raw.execute(f"DROP TRIGGER {trigger}")
    tables = (
        "document_labels",
        "categories",
        "category_sets",
        "suggestion_decisions",
        "suggestions",
        "relations",
        "relation_labels",
        "tombstones",
        "progress",
        "changes",
        "curation_sources",
        "curation_rejections",
    )
    for table in tables:
        raw.execute(f"DROP TABLE {table}")
    raw.execute("ALTER TABLE document_settings DROP COLUMN encoding")
    raw.execute("PRAGMA user_version = 2")
    raw.commit()


def _downgrade_to_6(raw: sqlite3.Connection) -> None:
    """Undo schema versions 7 and 8 (suggestions and decisions; document labels)."""
    _drop_labels(raw)
    raw.execute("DROP TRIGGER suggestions_move")
    raw.execute("DROP TABLE suggestion_decisions")
    raw.execute("DROP TABLE suggestions")
    raw.execute("PRAGMA user_version = 6")
    raw.commit()


def test_a_version_6_store_gains_suggestions(tmp_path):
    path = tmp_path / "notes.sqlite3"
    with Store.open(path) as store:
        added = store.add_annotation(DOC, TEXT, 4, 9, tags=["todo"])
    raw = sqlite3.connect(path)
    _downgrade_to_6(raw)
    raw.close()
    with Store.open(path) as store:
        assert store.annotations(DOC) == [added] and store.suggestions(DOC) == []
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()


def test_a_version_2_store_gains_tombstones_progress_and_the_change_log(tmp_path):
    path = tmp_path / "notes.sqlite3"
    with Store.open(path) as store:
        added = store.add_annotation(DOC, TEXT, 4, 9, tags=["todo"])
    raw = sqlite3.connect(path)
    _downgrade_to_2(raw)
    raw.close()
    with Store.open(path) as store:
        assert store.annotations(DOC) == [added]
        assert store.tombstones() == [] and store.change_token() == 0
        store.delete_annotation(added.id)
        assert [stone.uid for stone in store.tombstones()] == [added.uid]
        assert store.changes_since(0).documents == {DOC}


def test_a_version_5_store_gains_the_curation_tables(tmp_path):
    path = tmp_path / "notes.sqlite3"
    with Store.open(path) as store:
        added = store.add_annotation(DOC, TEXT, 4, 9, tags=["todo"])
    raw = sqlite3.connect(path)
    _downgrade_to_6(raw)
    raw.execute("DROP TABLE curation_sources")
    raw.execute("DROP TABLE curation_rejections")
    raw.execute("PRAGMA user_version = 5")
    raw.commit()
    raw.close()
    with Store.open(path) as store:
        assert store.annotations(DOC) == [added]
        assert store.all_provenance() == {} and store.rejections(DOC) == []


def test_a_version_3_store_gains_the_remembered_encoding(tmp_path):
    path = tmp_path / "notes.sqlite3"
    with Store.open(path) as store:
        store.register_document(DOC, "/x/doc.txt", "Doc")
        store.set_direction(DOC, 1)
    raw = sqlite3.connect(path)
    _downgrade_to_6(raw)
    _drop_relations(raw)
    raw.execute("ALTER TABLE document_settings DROP COLUMN encoding")
    raw.execute("DROP TABLE curation_sources")
    raw.execute("DROP TABLE curation_rejections")
    raw.execute("PRAGMA user_version = 3")
    raw.commit()
    raw.close()
    with Store.open(path) as store:
        assert store.encoding(DOC) is None and store.direction(DOC) == 1
        store.set_encoding(DOC, "cp1256")
        assert store.encoding(DOC) == "cp1256" and store.direction(DOC) == 1


def _drop_relations(raw: sqlite3.Connection) -> None:
    """Undo schema version 5 (relations) as a version 4 file had it."""
    for trigger in ("relations_log_insert", "relations_log_delete", "relations_follow"):
        raw.execute(f"DROP TRIGGER {trigger}")
    raw.execute("DROP TABLE relations")
    raw.execute("DROP TABLE relation_labels")


def test_a_version_4_store_gains_relations(tmp_path):
    path = tmp_path / "notes.sqlite3"
    with Store.open(path) as store:
        a = store.add_annotation(DOC, TEXT, 0, 3)
        b = store.add_annotation(DOC, TEXT, 4, 9)
    raw = sqlite3.connect(path)
    _downgrade_to_6(raw)
    _drop_relations(raw)
    raw.execute("DROP TABLE curation_sources")
    raw.execute("DROP TABLE curation_rejections")
    raw.execute("PRAGMA user_version = 4")
    raw.commit()
    raw.close()
    with Store.open(path) as store:
        assert store.relations(DOC) == []
        store.add_relation(DOC, a.uid, b.uid, "supports")
        assert [r.label for r in store.relations(DOC)] == ["supports"]


def _drop_labels(raw: sqlite3.Connection) -> None:
    """Undo schema version 8 (document labels) as a version 7 file had it."""
    for trigger in ("document_labels_log_insert", "document_labels_log_delete") + tuple(
        f"categories_log_{kind}" for kind in ("insert", "update", "delete")
    ):
        raw.execute(f"DROP TRIGGER {trigger}")
    for table in ("document_labels", "categories", "category_sets"):
        raw.execute(f"DROP TABLE {table}")


def test_a_version_7_store_gains_document_labels_and_keeps_its_notes(tmp_path):
    path = tmp_path / "notes.sqlite3"
    with Store.open(path) as store:
        added = store.add_annotation(DOC, TEXT, 4, 9, tags=["todo"])
    raw = sqlite3.connect(path)
    _drop_labels(raw)
    raw.execute("PRAGMA user_version = 7")
    raw.commit()
    raw.close()
    with Store.open(path) as store:
        assert store.annotations(DOC) == [added]
        assert store.add_document_label(DOC, "news", "ana") == ("news",)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()


def test_encoding_and_direction_are_remembered_apart(store):
    assert store.encoding(DOC) is None
    store.set_encoding(DOC, "gb18030")
    store.set_direction(DOC, 0)
    assert (store.encoding(DOC), store.direction(DOC)) == ("gb18030", 0)
    store.set_encoding(DOC, None)
    assert (store.encoding(DOC), store.direction(DOC)) == (None, 0)
    with pytest.raises(InvalidRequest):
        store.set_encoding(DOC, "  ")


def test_a_store_from_a_newer_margin_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    Store.open(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreUnavailable, match="newer"):
        Store.open(path)


def test_documents_keep_their_last_path(store):
    store.register_document(DOC, "/moved/doc.txt", "Doc")
    assert store.document(DOC).path == "/moved/doc.txt"
    assert store.document_by_path("/moved/doc.txt").hash == DOC
    assert store.document_by_path("/nowhere.txt") is None
    assert store.document("b" * 64) is None
    assert [document.hash for document in store.documents()] == [DOC]


def test_reading_positions(store):
    assert store.position(DOC) is None
    store.set_position(DOC, 120)
    store.set_position(DOC, 42)
    assert store.position(DOC) == 42
    with pytest.raises(InvalidRequest):
        store.set_position(DOC, -1)


def test_add_annotation_computes_quote_and_context(store):
    annotation = store.add_annotation(DOC, TEXT, 20, 46, tags=["question"], note="why?", annotator="ana")
    assert annotation.quote == TEXT[20:46] == "A second one follows here."
    assert annotation.prefix == TEXT[:20][-32:] and annotation.suffix == TEXT[46:78]
    assert (annotation.tags, annotation.note, annotation.annotator) == (("question",), "why?", "ana")
    assert annotation.status == "anchored" and annotation.created == annotation.modified
    assert store.get(annotation.id) == annotation
    assert store.get_by_uid(annotation.uid) == annotation


def test_annotator_defaults_to_the_os_user(store):
    assert store.add_annotation(DOC, TEXT, 0, 3).annotator


@pytest.mark.parametrize(("start", "end"), [(5, 5), (9, 4), (-2, 3), (0, len(TEXT) + 1)])
def test_bad_spans_are_refused_with_a_store_error(store, start, end):
    with pytest.raises(InvalidRequest):
        store.add_annotation(DOC, TEXT, start, end)
    assert store.annotations(DOC) == []


def test_annotations_come_in_reading_order(store):
    spans = [(20, 46), (0, 19), (20, 25), (4, 9), (0, 19)]
    added = [store.add_annotation(DOC, TEXT, start, end) for start, end in spans]
    listed = store.annotations(DOC)
    assert [(a.start, a.end) for a in listed] == sorted(spans)
    assert [a.id for a in listed if (a.start, a.end) == (0, 19)] == [added[1].id, added[4].id]
    assert store.annotations("f" * 64) == []


def test_tag_changes_on_an_annotation(store):
    annotation = store.add_annotation(DOC, TEXT, 0, 19, tags=["question"])
    assert store.set_tags(annotation.id, ["question", "brand-new"]).tags == ("question", "brand-new")
    assert store.tag("brand-new") is not None, "unknown tags are created on first use"
    assert store.set_tags(annotation.id, ["todo", "evidence", "todo"]).tags == ("todo", "evidence")
    assert store.get(annotation.id).tags == ("todo", "evidence")
    assert store.set_note(annotation.id, "ملاحظة").note == "ملاحظة"
    assert store.get(annotation.id).note == "ملاحظة"


def test_unknown_ids_and_tags_raise_not_found(store):
    for call in (
        lambda: store.set_note(999, "x"),
        lambda: store.set_tags(999, []),
        lambda: store.delete_annotation(999),
        lambda: store.update_anchor(999, 0, 1, "anchored"),
        lambda: store.rename_tag("nope", "other"),
        lambda: store.recolor_tag("nope", "#000000"),
        lambda: store.delete_tag("nope"),
        lambda: store.set_tag_key("nope", "1"),
    ):
        with pytest.raises(NotFound):
            call()


def test_create_tag_picks_free_colour_and_key(store):
    tag = store.create_tag("sources")
    assert tag.key == "6" and tag.color not in {t.color for t in DEFAULT_TAGS}
    assert store.create_tag("explicit", "#123456", None).color == "#123456"
    with pytest.raises(InvalidRequest):
        store.create_tag("sources")
    with pytest.raises(InvalidRequest):
        store.create_tag("bad colour", "blue")
    with pytest.raises(InvalidRequest):
        store.create_tag("\n")


def test_keys_move_between_tags(store):
    store.set_tag_key("todo", "1")
    keys = {tag.name: tag.key for tag in store.tags()}
    assert keys["todo"] == "1" and keys["key-point"] is None
    store.set_tag_key("todo", None)
    assert store.tag("todo").key is None
    with pytest.raises(InvalidRequest):
        store.set_tag_key("todo", "x")


def test_rename_and_recolor_reach_every_annotation(store):
    first = store.add_annotation(DOC, TEXT, 0, 19, tags=["question", "todo"])
    store.rename_tag("question", "open question")
    assert store.get(first.id).tags == ("open question", "todo")
    assert store.tag("question") is None
    with pytest.raises(InvalidRequest):
        store.rename_tag("todo", "open question")
    store.recolor_tag("todo", "#ABCDEF")
    assert store.tag("todo").color == "#abcdef"


def test_delete_tag_keeps_the_annotations(store):
    tagged = [store.add_annotation(DOC, TEXT, 0, 19, tags=["todo", "question"]) for _ in range(3)]
    store.add_annotation(DOC, TEXT, 20, 46, tags=["question"])
    assert store.tag_usage("todo") == 3
    assert store.delete_tag("todo") == 3
    assert store.tag_usage("todo") == 0
    assert [store.get(a.id).tags for a in tagged] == [("question",)] * 3
    assert len(store.annotations(DOC)) == 4


def test_delete_and_restore_keep_id_and_uid(store):
    annotation = store.add_annotation(DOC, TEXT, 0, 19, tags=["todo"], note="n")
    store.add_annotation(DOC, TEXT, 20, 46)
    deleted = store.delete_annotation(annotation.id)
    assert store.get(annotation.id) is None and deleted == annotation
    later = store.add_annotation(DOC, TEXT, 47, 71)
    assert later.id != annotation.id, "ids are never reused"
    assert store.restore_annotation(deleted) == annotation
    with pytest.raises(InvalidRequest):
        store.restore_annotation(deleted)


def test_update_anchor_refreshes_selectors_from_new_text(store):
    annotation = store.add_annotation(DOC, TEXT, 20, 46)
    edited = "Inserted. " + TEXT
    moved = store.update_anchor(annotation.id, 30, 56, "anchored", edited)
    assert (moved.quote, moved.prefix) == (edited[30:56], edited[:30])
    assert moved.modified == annotation.modified
    orphaned = store.update_anchor(annotation.id, 30, 56, ORPHAN)
    assert orphaned.status == ORPHAN and orphaned.quote == moved.quote
    assert store.get(annotation.id) == orphaned


def test_move_annotations_to_a_new_identity(store):
    store.add_annotation(DOC, TEXT, 0, 19)
    store.set_position(DOC, 10)
    assert store.move_annotations(DOC, "c" * 64) == 1
    assert store.annotations(DOC) == [] and len(store.annotations("c" * 64)) == 1
    assert store.position("c" * 64) == 10


def test_summaries(store):
    other = "b" * 64
    store.add_annotation(DOC, TEXT, 0, 19, tags=["todo", "question"])
    store.add_annotation(DOC, TEXT, 20, 46, tags=["todo"])
    store.add_annotation(other, TEXT, 0, 19)
    assert store.annotation_counts() == {DOC: 2, other: 1}
    assert store.tags_by_document() == {DOC: ["question", "todo"]}
    stats = store.stats()
    assert (stats.documents, stats.annotations, stats.orphans, stats.untagged) == (2, 3, 0, 1)
    assert stats.by_tag == {"question": 1, "todo": 2}
    assert stats.by_document_and_tag == {DOC: {"question": 1, "todo": 2}}


def test_a_failed_transaction_writes_nothing(store):
    with pytest.raises(NotFound), store.transaction():
        store.add_annotation(DOC, TEXT, 0, 19)
        store.create_tag("temporary")
        store.set_note(12345, "no such annotation")
    assert store.annotations(DOC) == [] and store.tag("temporary") is None


def test_driver_errors_never_escape_raw(store):
    store.close()
    with pytest.raises(StoreError) as caught:
        store.annotations(DOC)
    assert not isinstance(caught.value, sqlite3.Error)
    assert type(caught.value).__module__ == "tui.notes.store_errors"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (sqlite3.DatabaseError("file is not a database"), "StoreDamaged"),
        (sqlite3.DatabaseError("database disk image is malformed"), "StoreDamaged"),
        (sqlite3.OperationalError("database is locked"), "StoreBusy"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "StoreUnavailable"),
        (sqlite3.OperationalError("unable to open database file"), "StoreUnavailable"),
        (sqlite3.OperationalError("disk I/O error"), "StoreUnavailable"),
        (sqlite3.IntegrityError("UNIQUE constraint failed: tags.key"), "InvalidRequest"),
        (sqlite3.OperationalError("no such table: annotations"), "StoreError"),
    ],
)
def test_sqlite_errors_map_to_store_errors(error, expected):
    from pathlib import Path

    from tui.notes.sqlite.errors import translate as _translate

    translated = _translate(Path("/data/notes.sqlite3"), error)
    assert type(translated).__name__ == expected
    assert "/data/notes.sqlite3" in str(translated) or expected == "InvalidRequest"


def test_an_open_sqlite_store_is_a_note_store_with_its_location(tmp_path):
    """Every method is checked for both backends in ``test_store_queries``."""
    from tui.notes.store import NoteStore

    with Store.open(tmp_path / "notes.sqlite3") as opened:
        assert isinstance(opened, NoteStore)
        assert opened.location == str(tmp_path / "notes.sqlite3") and opened.read_only is False


def test_open_store_returns_the_store_and_no_notice_for_a_healthy_file(tmp_path):
    from tui.notes.store import open_store

    store, notice = open_store(tmp_path / "notes.sqlite3")
    with store:
        assert notice is None and store.tags() == list(DEFAULT_TAGS)
