"""The curated layer in both stores: provenance and rejected passages; on PostgreSQL only a
curator may write the curation layer, its provenance and its rejections."""

from __future__ import annotations

import pytest
from postgres_server import ANNOTATORS, CURATOR

from tui.notes.curation_record import CURATION, Source
from tui.notes.store_api import NotAllowed

TEXT = "The first sentence. A second one follows here. And a third to end with."
DOC = "c" * 64


def test_provenance_and_rejections_round_trip(store_opener):
    store = store_opener()
    try:
        source = store.add_annotation(DOC, TEXT, 0, 9, ["evidence"])
        curated = store.add_annotation(DOC, TEXT, 0, 9, ["evidence"], annotator=CURATION)
        assert curated.annotator == CURATION
        store.set_provenance(curated.uid, [Source(source.uid, source.annotator), Source("x-uid", "zed")])
        assert store.provenance(curated.uid) == [Source(source.uid, source.annotator), Source("x-uid", "zed")]
        # Setting again replaces rather than adds.
        store.set_provenance(curated.uid, [Source("x-uid", "zed")])
        assert store.all_provenance() == {curated.uid: [Source("x-uid", "zed")]}
        other = store.add_annotation("e" * 64, TEXT, 0, 3, [], annotator=CURATION)
        store.set_provenance(other.uid, [Source("y-uid", "amy")])
        assert store.document_provenance(DOC) == {curated.uid: [Source("x-uid", "zed")]}
        assert store.document_provenance("e" * 64) == {other.uid: [Source("y-uid", "amy")]}
        store.clear_provenance(other.uid)
        store.clear_provenance(curated.uid)
        assert store.provenance(curated.uid) == [] and store.all_provenance() == {}

        store.reject_passage(DOC, 20, 46, "me")
        store.reject_passage(DOC, 20, 46, "me")  # twice is once
        assert [(r.start, r.end, r.doc_hash) for r in store.rejections(DOC)] == [(20, 46, DOC)]
        assert store.rejections("d" * 64) == []
        store.unreject_passage(DOC, 20, 46)
        assert store.rejections(DOC) == []
    finally:
        store.close()


def test_provenance_survives_reopening(store_opener):
    store = store_opener()
    curated = store.add_annotation(DOC, TEXT, 4, 9, ["todo"], annotator=CURATION)
    store.set_provenance(curated.uid, [Source("u1", "ana")])
    store.reject_passage(DOC, 1, 3, "me")
    store.close()
    again = store_opener()
    try:
        assert again.provenance(curated.uid) == [Source("u1", "ana")]
        assert [(r.start, r.end) for r in again.rejections(DOC)] == [(1, 3)]
    finally:
        again.close()


@pytest.fixture
def team(postgres_server):
    from tui.notes.store import open_store

    database = postgres_server.new_database()
    opened = []

    def as_role(role: str):
        store = open_store(postgres_server.url(database, role))[0]
        opened.append(store)
        return store

    yield as_role
    for store in opened:
        store.close()


def test_a_plain_annotator_cannot_write_the_curation_layer_but_a_curator_can(team):
    annotator, curator = team(ANNOTATORS[0]), team(CURATOR)
    mine = annotator.add_annotation(DOC, TEXT, 0, 9, ["evidence"])
    with pytest.raises(NotAllowed):
        annotator.add_annotation(DOC, TEXT, 0, 9, ["evidence"], annotator=CURATION)
    with pytest.raises(NotAllowed):
        annotator.reject_passage(DOC, 0, 9, ANNOTATORS[0])
    with pytest.raises(NotAllowed):
        annotator.set_provenance("forged", [Source(mine.uid, ANNOTATORS[0])])
    assert annotator.rejections(DOC) == [] and annotator.all_provenance() == {}

    curated = curator.add_annotation(DOC, TEXT, 0, 9, ["evidence"], annotator=CURATION)
    curator.set_provenance(curated.uid, [Source(mine.uid, ANNOTATORS[0])])
    curator.reject_passage(DOC, 20, 46, CURATOR)
    # Everyone reads the gold set and where it came from; the annotator still cannot undo it.
    assert annotator.provenance(curated.uid) == [Source(mine.uid, ANNOTATORS[0])]
    assert [(r.start, r.end, r.curator) for r in annotator.rejections(DOC)] == [(20, 46, CURATOR)]
    with pytest.raises(NotAllowed):
        annotator.delete_annotation(curated.id)
    annotator.unreject_passage(DOC, 20, 46)  # row-level security: matches no row it may delete
    annotator.clear_provenance(curated.uid)
    assert len(curator.rejections(DOC)) == 1 and curator.provenance(curated.uid)
