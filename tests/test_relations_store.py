"""Relations in both stores: made, listed, deleted, cascaded, undone; rights on PostgreSQL."""

from __future__ import annotations

import pytest
from postgres_server import ANNOTATORS

from tui.notes.history import DeleteAnnotation, History
from tui.notes.relation_changes import AddRelation, DeleteAnnotationWithRelations, DeleteRelation
from tui.notes.store_api import InvalidRequest, NotAllowed, NotFound

TEXT = "ਪਹਿਲਾ ਵਾਕ। 第二句話。 الجملة الثالثة. A fourth to end."
DOC = "d" * 64
OTHER = "e" * 64


def _three(store):
    a = store.add_annotation(DOC, TEXT, 0, 5, tags=["evidence"])
    b = store.add_annotation(DOC, TEXT, 11, 15, tags=["question"])
    c = store.add_annotation(DOC, TEXT, 17, 31)
    return a, b, c


def test_a_relation_is_directed_labelled_and_listed(store_opener):
    with store_opener() as store:
        a, b, c = _three(store)
        made = store.add_relation(DOC, a.uid, b.uid, "supports")
        assert (made.head, made.child, made.label, made.doc_hash) == (a.uid, b.uid, "supports", DOC)
        assert made.id > 0 and made.uid and made.annotator and made.created
        store.add_relation(DOC, b.uid, a.uid, "supports")
        store.add_relation(DOC, c.uid, a.uid, "cause")
        assert [(r.head, r.child) for r in store.relations(DOC)] == [(a.uid, b.uid), (b.uid, a.uid), (c.uid, a.uid)]
        assert store.relation_labels() == ["cause", "supports"], "labels are made on first use, one set"
        assert len(store.relations_of(a.uid)) == 3 and len(store.relations_of(c.uid)) == 1
        assert store.relation_label_usage("supports") == 2
        assert store.all_relations() == store.relations(DOC)
        assert store.relations(OTHER) == []


def test_relations_are_refused_when_they_cannot_hold(store_opener):
    with store_opener() as store:
        a, b, _c = _three(store)
        elsewhere = store.add_annotation(OTHER, TEXT, 0, 5)
        with pytest.raises(ValueError):
            store.add_relation(DOC, a.uid, a.uid, "self")
        with pytest.raises(InvalidRequest):
            store.add_relation(DOC, a.uid, elsewhere.uid, "across")
        with pytest.raises(NotFound):
            store.add_relation(DOC, a.uid, "no-such-uid", "missing")
        with pytest.raises(ValueError):
            store.add_relation(DOC, a.uid, b.uid, "  ")
        store.add_relation(DOC, a.uid, b.uid, "x")
        with pytest.raises(InvalidRequest):
            store.add_relation(DOC, a.uid, b.uid, "x")
        hostile = "'); DROP TABLE relations;--"
        store.add_relation(DOC, b.uid, a.uid, hostile)
        assert hostile in store.relation_labels() and len(store.relations(DOC)) == 2


def test_deleting_an_annotation_takes_its_relations_and_undo_brings_all_back(store_opener):
    with store_opener() as store:
        a, b, c = _three(store)
        history = History(store)
        history.do(AddRelation(DOC, a.uid, b.uid, "supports"))
        history.do(AddRelation(DOC, c.uid, a.uid, "cause"))
        kept = history.do(AddRelation(DOC, b.uid, c.uid, "other"))
        before = store.relations(DOC)
        step = DeleteAnnotationWithRelations(a.id)
        history.do(step)
        assert store.get(a.id) is None
        assert store.relations(DOC) == [kept], "both relations of the annotation went with it"
        assert "2 relations" in step.description
        assert history.undo() == step.description
        assert store.get_by_uid(a.uid) is not None
        assert store.relations(DOC) == before, "one undo brings the annotation and its relations back"
        history.redo()
        assert store.relations(DOC) == [kept]


def test_a_plain_delete_cascades_too(store_opener):
    with store_opener() as store:
        a, b, _c = _three(store)
        store.add_relation(DOC, a.uid, b.uid, "supports")
        History(store).do(DeleteAnnotation(b.id))
        assert store.relations(DOC) == [] and store.relations_of(a.uid) == []


def test_adding_and_deleting_relations_undo(store_opener):
    with store_opener() as store:
        a, b, _c = _three(store)
        history = History(store)
        made = history.do(AddRelation(DOC, a.uid, b.uid, "brand-new"))
        assert store.relation_labels() == ["brand-new"]
        history.undo()
        assert store.relations(DOC) == [] and store.relation_labels() == [], "undo drops a label it created"
        history.redo()
        assert [r.uid for r in store.relations(DOC)] == [made.uid]
        history.do(DeleteRelation(made.uid))
        assert store.relations(DOC) == []
        history.undo()
        assert [r.uid for r in store.relations(DOC)] == [made.uid]
        with pytest.raises(NotFound):
            store.delete_relation("no-such-relation")


def test_relations_follow_their_annotations_to_a_new_identity(store_opener):
    with store_opener() as store:
        a, b, _c = _three(store)
        store.add_relation(DOC, a.uid, b.uid, "supports")
        store.move_annotations(DOC, OTHER)
        assert store.relations(DOC) == []
        assert [(r.head, r.doc_hash) for r in store.relations(OTHER)] == [(a.uid, OTHER)]


def test_a_relation_is_a_change_others_see(store_opener):
    with store_opener() as store:
        a, b, _c = _three(store)
        token = store.change_token()
        made = store.add_relation(DOC, a.uid, b.uid, "supports")
        changes = store.changes_since(token)
        assert changes.documents == {DOC}
        store.delete_relation(made.uid)
        assert store.changes_since(changes.token).documents == {DOC}


@pytest.mark.parametrize("store_opener", ["postgresql"], indirect=True)
def test_on_postgresql_each_annotator_changes_only_their_own_relations(store_opener):
    """Row-level security is PostgreSQL's: this runs on the server only."""
    first, second = ANNOTATORS[:2]
    with store_opener(first) as mine, store_opener(second) as theirs:
        a = mine.add_annotation(DOC, TEXT, 0, 5)
        b = theirs.add_annotation(DOC, TEXT, 11, 15)
        made = mine.add_relation(DOC, a.uid, b.uid, "supports")
        assert made.annotator == first
        assert [r.uid for r in theirs.relations(DOC)] == [made.uid], "everyone reads every relation"
        with pytest.raises(NotAllowed):
            theirs.delete_relation(made.uid)
        with pytest.raises(NotAllowed):
            theirs.add_relation(DOC, b.uid, a.uid, "x", annotator=first)
        import psycopg

        url = store_opener.server.url(store_opener.database, second)
        with psycopg.connect(url, autocommit=True) as raw:
            raw.execute("SET search_path TO margin")
            deleted = raw.execute("DELETE FROM relations WHERE uid = %s", (made.uid,)).rowcount
        assert deleted == 0 and len(mine.relations(DOC)) == 1, "the server refuses raw SQL too"
        theirs.delete_annotation(b.id)
        assert mine.relations(DOC) == [], "deleting an end takes the relation, whoever made it"
