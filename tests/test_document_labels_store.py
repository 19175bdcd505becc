"""Document labels in both stores: categories, sets, exclusive sets, per-annotator labels,
the change log, and on PostgreSQL who may write whose labels (also tried with raw SQL)."""

from __future__ import annotations

import pytest
from postgres_server import ANNOTATORS, CURATOR

from tui.notes.labels import Category, CategorySet, cats, label_space, with_label
from tui.notes.store_api import InvalidRequest, NotAllowed, NotFound, StoreOffline

DOC = "a" * 64
OTHER = "b" * 64
HOSTILE = "'); DROP TABLE document_labels;--"


def names(labels) -> list[tuple[str, str]]:
    return [(label.annotator, label.category) for label in labels]


def test_labels_are_per_annotator_and_categories_are_shared(store_opener):
    with store_opener() as store:
        assert store.categories() == [] and store.category_sets() == []
        who = getattr(store, "annotator", None) or "ana"
        assert store.add_document_label(DOC, "news", who) == ("news",)
        assert store.add_document_label(DOC, "sport", who) == ("news", "sport")
        assert store.add_document_label(DOC, "news", who) == ("news", "sport"), "labelling twice is once"
        assert [c.name for c in store.categories()] == ["news", "sport"], "unknown categories are created"
        assert store.remove_document_label(DOC, "news", who) == ("sport",)
        assert names(store.document_labels(DOC, who)) == [(who, "sport")]
        assert store.labels_by_document(who) == {DOC: ["sport"]}
        assert store.document_labels(OTHER) == []
        assert store.set_document_labels(OTHER, ["b", "a"], who) == ("a", "b")
        assert [(lbl.doc_hash, lbl.category) for lbl in store.all_document_labels()] == [
            (DOC, "sport"), (OTHER, "a"), (OTHER, "b"),
        ]
        assert store.category_usage("a") == 1
        assert store.delete_category("a") == 1
        assert store.labels_by_document() == {DOC: ["sport"], OTHER: ["b"]}
        with pytest.raises(NotFound):
            store.delete_category("a")


def test_an_exclusive_set_keeps_one_label_per_document_and_annotator(store_opener):
    with store_opener() as store:
        who = getattr(store, "annotator", None) or "ana"
        store.create_category("positive", set="sentiment")
        store.create_category("negative", set="sentiment")
        store.create_category("neutral", "#123456", "sentiment")
        assert store.category("neutral") == Category("neutral", "#123456", "sentiment")
        with pytest.raises(InvalidRequest, match="already exists"):
            store.create_category("neutral")
        assert store.category_sets() == [CategorySet("sentiment", False)]
        store.add_document_label(DOC, "positive", who)
        store.add_document_label(DOC, "negative", who)
        assert store.add_document_label(DOC, "topic", who) == ("negative", "positive", "topic"), "open set: both stay"
        with pytest.raises(InvalidRequest, match="cannot be exclusive"):
            store.declare_category_set("sentiment", exclusive=True)
        store.remove_document_label(DOC, "negative", who)
        assert store.declare_category_set("sentiment", exclusive=True) == CategorySet("sentiment", True)
        assert store.add_document_label(DOC, "negative", who) == ("negative", "topic"), "the other one is replaced"
        with pytest.raises(InvalidRequest, match="exclusive"):
            store.set_document_labels(DOC, ["negative", "neutral"], who)
        assert store.set_document_labels(DOC, ["neutral"], who) == ("neutral",)
        store.create_category("mixed")
        store.add_document_label(OTHER, "mixed", who)
        store.add_document_label(OTHER, "neutral", who)
        with pytest.raises(InvalidRequest, match="exclusive"):
            store.set_category_set("mixed", "sentiment")
        store.remove_document_label(OTHER, "neutral", who)
        assert store.set_category_set("mixed", "sentiment").set == "sentiment"
        assert store.declare_category_set("sentiment", exclusive=False).exclusive is False


def test_label_changes_are_logged_for_live_views(store_opener):
    with store_opener() as store:
        who = getattr(store, "annotator", None) or "ana"
        start = store.change_token()
        store.add_document_label(DOC, "news", who)
        changes = store.changes_since(start)
        assert changes.documents == {DOC} and changes.tags, "a label and a new category"
        store.remove_document_label(DOC, "news", who)
        assert store.changes_since(changes.token).documents == {DOC}


def test_labels_follow_a_document_to_its_new_identity(store_opener):
    with store_opener() as store:
        who = getattr(store, "annotator", None) or "ana"
        store.add_document_label(DOC, "news", who)
        assert store.move_document_labels(DOC, OTHER) == 1
        assert store.document_labels(DOC) == [] and names(store.document_labels(OTHER)) == [(who, "news")]


def test_hostile_category_names_are_text_and_bad_ones_are_refused(store_opener):
    with store_opener() as store:
        who = getattr(store, "annotator", None) or "ana"
        store.add_document_label(DOC, HOSTILE, who)
        assert store.labels_by_document(who) == {DOC: [HOSTILE]}
        for bad in ("", "   ", "two\nlines", "tab\there", "esc\x1b[2J"):
            with pytest.raises(InvalidRequest):
                store.add_document_label(DOC, bad, who)
        with pytest.raises(InvalidRequest):
            store.create_category("x", "red")


def test_sqlite_keeps_each_annotators_labels_apart(tmp_path):
    from tui.notes.store import open_store

    with open_store(tmp_path / "n.sqlite3")[0] as store:
        store.add_document_label(DOC, "news", "ana")
        store.add_document_label(DOC, "sport", "ben")
        assert names(store.document_labels(DOC)) == [("ana", "news"), ("ben", "sport")]
        assert store.labels_by_document("ana") == {DOC: ["news"]}
        assert store.labels_by_document() == {DOC: ["news", "sport"]}


def test_pure_rules():
    exclusive = {"positive": "s", "negative": "s"}
    assert with_label(("positive", "topic"), "negative", exclusive) == ("topic", "negative")
    assert with_label(("positive",), "topic", exclusive) == ("positive", "topic")
    categories = [Category("positive", "#000000", "s"), Category("negative", "#000000", "s"), Category("t", "#000000")]
    assert label_space(["positive"], categories) == ("negative", "positive")
    assert label_space(["t", "new"], categories) == ("new", "t")
    from tui.notes.labels import DocumentLabel

    two = [DocumentLabel(DOC, "a", "positive", ""), DocumentLabel(DOC, "b", "negative", "")]
    assert cats(two, ("negative", "positive")) == {"negative": 0.5, "positive": 0.5}
    assert cats(two[:1], ("negative", "positive")) == {"negative": 0.0, "positive": 1.0}


# -- PostgreSQL only ------------------------------------------------------------------


@pytest.fixture
def team(postgres_server):
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


def test_an_annotator_writes_only_their_own_labels_but_a_curator_may(team):
    a, b, curator = team(ANNOTATORS[0]), team(ANNOTATORS[1]), team(CURATOR)
    assert a.add_document_label(DOC, "news") == ("news",)
    assert names(b.document_labels(DOC)) == [(ANNOTATORS[0], "news")], "everyone reads every label"
    with pytest.raises(NotAllowed):
        b.add_document_label(DOC, "sport", ANNOTATORS[0])
    with pytest.raises(NotAllowed):
        b.remove_document_label(DOC, "news", ANNOTATORS[0])
    assert b.add_document_label(DOC, "sport") == ("sport",)
    assert curator.remove_document_label(DOC, "news", ANNOTATORS[0]) == ()
    assert names(a.document_labels(DOC)) == [(ANNOTATORS[1], "sport")]
    b.declare_category_set("genre", exclusive=True)
    assert a.category_sets() == [CategorySet("genre", True)], "sets are the team's"


def test_raw_sql_cannot_touch_anothers_labels(team):
    import psycopg

    a = team(ANNOTATORS[0])
    a.add_document_label(DOC, "news")
    with psycopg.connect(team.server.url(team.database, ANNOTATORS[1]), autocommit=True) as raw:
        raw.execute("SET search_path TO margin")
        assert raw.execute("SELECT count(*) FROM document_labels").fetchone()[0] == 1
        assert raw.execute("DELETE FROM document_labels").rowcount == 0
        assert raw.execute("UPDATE document_labels SET category = 'news'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute(
                "INSERT INTO document_labels(doc_hash, annotator, category, created) VALUES (%s, %s, 'news', 'x')",
                (OTHER, ANNOTATORS[0]),
            )
    assert names(a.document_labels(DOC)) == [(ANNOTATORS[0], "news")]


def test_label_writes_offline_are_refused_with_a_clear_message(tmp_path, monkeypatch):
    from tui.notes.journal import Journal, JournaledStore

    store = JournaledStore("postgresql://ann@nowhere.invalid/db", Journal(tmp_path / "j.sqlite3"), None, "notes offline: the server did not answer")
    try:
        with pytest.raises(StoreOffline, match="notes offline"):
            store.add_document_label(DOC, "news")
        with pytest.raises(StoreOffline):
            store.document_labels(DOC)
    finally:
        store.close()


def test_the_categories_command_lists_adds_groups_and_deletes(tmp_path, capsys):
    from tui.cli import main

    store = ["--store", str(tmp_path / "n.sqlite3")]
    assert main([*store, "categories"]) == 0 and capsys.readouterr().out == "no categories\n"
    assert main([*store, "categories", "add", "positive", "--set", "sentiment"]) == 0
    assert main([*store, "categories", "add", "negative", "--set", "sentiment", "--color", "#112233"]) == 0
    assert main([*store, "categories", "exclusive", "sentiment"]) == 0
    assert main([*store, "categories", "add", "poetry"]) == 0
    assert main([*store, "categories", "move", "poetry", "--set", "form"]) == 0
    capsys.readouterr()
    assert main([*store, "categories"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "form", "  poetry  #56b4e9  0",
        "sentiment (exclusive)", "  negative  #112233  0", "  positive  #e69f00  0",
    ]  # fmt: skip
    assert main([*store, "categories", "add", "esc\x1b[2J"]) == 2
    assert "\\x1b" in capsys.readouterr().err
    assert main([*store, "categories", "delete", "poetry"]) == 0
    assert main([*store, "categories", "delete", "poetry"]) == 2


def test_a_version_5_server_is_upgraded_with_its_notes(postgres_server):
    import psycopg

    from tui.notes.store import open_store

    database = postgres_server.new_database()
    with open_store(postgres_server.url(database, ANNOTATORS[0]))[0] as store:
        kept = store.add_annotation(DOC, "Some text to keep.", 0, 4, ["todo"])
    with psycopg.connect(postgres_server.url(database), autocommit=True) as admin:
        admin.execute("SET search_path TO margin")
        admin.execute("DROP TABLE document_labels, categories, category_sets")
        admin.execute("DROP FUNCTION log_tag_set()")
        admin.execute("UPDATE schema_version SET version = 5")
    with open_store(postgres_server.url(database))[0] as upgraded:
        assert [a.uid for a in upgraded.annotations(DOC)] == [kept.uid]
    with open_store(postgres_server.url(database, ANNOTATORS[0]))[0] as store:
        assert store.add_document_label(DOC, "news") == ("news",), "the grants cover the new tables"
