"""Suggestions in both stores: stored once, listed in reading order, decided per annotator,
accepted and rejected through undoable changes, carried over when a document changes."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from postgres_server import ANNOTATORS

from tui.notes.history import DeleteAnnotation, History, RenameTag, add_tag, remove_tag
from tui.notes.model import ORPHAN, make_selectors
from tui.notes.store_api import InvalidRequest, NotAllowed, NotFound
from tui.notes.suggestion_changes import AcceptSuggestions, RejectSuggestions, at_least
from tui.notes.suggestions import ACCEPTED, REJECTED, Suggestion, open_for, suggestion_uid

TEXT = "The first sentence. A second one follows here. And a third to end with."
DOC = "a" * 64
OTHER = "b" * 64


def suggestion(start: int, end: int, tag: str = "PER", score: float | None = 0.9, source: str = "model-x", doc: str = DOC):
    selectors = make_selectors(TEXT, start, end)
    return Suggestion(
        uid=suggestion_uid(doc, start, end, tag, source),
        doc_hash=doc,
        start=start,
        end=end,
        quote=selectors.quote,
        prefix=selectors.prefix,
        suffix=selectors.suffix,
        tag=tag,
        score=score,
        source=source,
        created="2026-11-30T00:00:00Z",
    )


def test_suggestions_are_stored_once_and_listed_in_reading_order(store_opener):
    with store_opener() as store:
        later, first, unscored = suggestion(20, 26), suggestion(4, 9), suggestion(4, 9, "ORG", None)
        assert store.add_suggestions([later, first, unscored]) == 3
        assert store.add_suggestions([first, later, suggestion(0, 3)]) == 1, "the same uid is not stored twice"
        listed = store.suggestions(DOC)
        assert [(s.start, s.end) for s in listed] == [(0, 3), (4, 9), (4, 9), (20, 26)]
        assert {s.uid: s for s in listed}[unscored.uid] == unscored
        assert store.suggestions(OTHER) == []
        assert len(store.suggestions()) == 4


def test_bad_suggestions_are_refused_and_nothing_is_stored(store_opener):
    with store_opener() as store:
        bad = suggestion(4, 9)
        for broken in (
            Suggestion(**{**_fields(bad), "start": 9, "end": 4}),
            Suggestion(**{**_fields(bad), "tag": "two\nlines"}),
            Suggestion(**{**_fields(bad), "score": float("nan")}),
            Suggestion(**{**_fields(bad), "source": " "}),
        ):
            with pytest.raises(InvalidRequest):
                store.add_suggestions([suggestion(0, 3), broken])
        assert store.suggestions(DOC) == []


def _fields(s: Suggestion) -> dict:
    return {name: getattr(s, name) for name in s.__slots__}


def test_decisions_are_per_annotator_and_can_be_taken_back(store_opener):
    with store_opener() as store:
        s, t = suggestion(4, 9), suggestion(20, 26)
        store.add_suggestions([s, t])
        me, other = (ANNOTATORS[0], ANNOTATORS[1])
        store.decide_suggestion(s.uid, REJECTED, annotator=me)
        store.decide_suggestion(t.uid, ACCEPTED, annotation_uid="made-1", annotator=other)
        mine = store.suggestion_decisions(me, DOC)
        assert set(mine) == {s.uid} and mine[s.uid].decision == REJECTED
        theirs = store.suggestion_decisions(other)
        assert theirs[t.uid].annotation_uid == "made-1"
        assert store.suggested_by(DOC) == {"made-1": "model-x"}
        store.undecide_suggestion(s.uid, annotator=me)
        assert store.suggestion_decisions(me, DOC) == {}
        with pytest.raises(NotFound):
            store.decide_suggestion("no-such-uid", REJECTED, annotator=me)
        with pytest.raises(InvalidRequest):
            store.decide_suggestion(s.uid, "maybe", annotator=me)


def test_a_second_decision_replaces_the_first_and_counts_are_of_rows_changed(store_opener):
    """Both backends write these with the one upsert and report rows actually changed."""
    with store_opener() as store:
        s, ghost = suggestion(4, 9), suggestion(20, 26)
        assert store.add_suggestions([s]) == 1
        me = ANNOTATORS[0]
        store.decide_suggestion(s.uid, REJECTED, annotator=me)
        store.decide_suggestion(s.uid, ACCEPTED, annotation_uid="made-2", annotator=me)
        (decided,) = store.suggestion_decisions(me, DOC).values()
        assert (decided.suggestion_uid, decided.decision, decided.annotation_uid) == (s.uid, ACCEPTED, "made-2")
        moved = Suggestion(**{**_fields(s), "start": 5, "quote": TEXT[5:9], "status": ORPHAN})
        assert store.update_suggestion_anchors([moved, ghost]) == 1, "a suggestion not stored is not counted"
        assert store.suggestions(DOC) == [moved]


def test_accept_reject_and_undo_through_the_history(store_opener):
    with store_opener() as store:
        me = getattr(store, "annotator", None) or "ana"
        s, t, u = suggestion(4, 9, "PER", 0.95), suggestion(20, 26, "newtag", 0.5), suggestion(27, 30, "PER", None)
        store.add_suggestions([s, t, u])
        history = History(store)
        (made,) = history.do(AcceptSuggestions(DOC, TEXT, (s,), me))
        assert (made.start, made.end, made.tags, made.quote) == (4, 9, ("PER",), TEXT[4:9])
        assert store.suggestion_decisions(me, DOC)[s.uid].annotation_uid == made.uid
        assert store.suggested_by(DOC) == {made.uid: "model-x"}
        history.do(RejectSuggestions((u,), me))
        assert store.suggestion_decisions(me, DOC)[u.uid].decision == REJECTED
        history.undo()
        history.undo()
        assert store.annotations(DOC) == [] and store.suggestion_decisions(me, DOC) == {}
        history.redo()
        assert [a.uid for a in store.annotations(DOC)] == [made.uid], "redo makes the same annotation again"
        # Accepting several at once is one step; a tag the store did not know is made and undone with it.
        both = at_least([s, t, u], 0.5)
        assert both == (s, t)
        history.undo()
        history.do(AcceptSuggestions(DOC, TEXT, both, me))
        assert {a.tags for a in store.annotations(DOC)} == {("PER",), ("newtag",)}
        assert store.tag("newtag") is not None
        history.undo()
        assert store.annotations(DOC) == [] and store.tag("newtag") is None
        assert store.suggestion_decisions(me, DOC) == {}


def test_deleting_the_accepted_annotation_opens_the_suggestion_and_undo_accepts_it_again(store_opener):
    with store_opener() as store:
        me = getattr(store, "annotator", None) or "ana"
        s, t = suggestion(4, 9, "PER"), suggestion(20, 26, "ORG")
        store.add_suggestions([s, t])
        history = History(store)
        (made,) = history.do(AcceptSuggestions(DOC, TEXT, (s,), me))
        history.do(RejectSuggestions((t,), me))

        def state():
            decided = store.suggestion_decisions(me, DOC)
            return [x.uid for x in open_for(store.suggestions(DOC), decided)], decided

        assert state()[0] == []
        history.do(DeleteAnnotation(made.id))
        still_open, decided = state()
        assert still_open == [s.uid], "deleting the annotation puts its suggestion back among the open ones"
        assert not decided[s.uid].standing and decided[t.uid].standing, "a rejection stands without an annotation"
        history.undo()
        still_open, decided = state()
        assert still_open == [] and decided[s.uid].standing, "undoing the delete accepts it again"
        assert store.suggested_by(DOC) == {made.uid: "model-x"}
        # Open again, then rejected: undoing the rejection and the delete gives back the acceptance.
        history.redo()
        history.do(RejectSuggestions((s,), me))
        assert state()[0] == [] and store.suggestion_decisions(me, DOC)[s.uid].decision == REJECTED
        history.undo()
        assert state()[0] == [s.uid], "the rejection undone: open again, its acceptance still stale"
        history.undo()
        still_open, decided = state()
        assert still_open == [] and decided[s.uid].annotation_uid == made.uid and decided[s.uid].standing
        # Open again, then accepted anew: a second annotation; undoing both gives the first back.
        history.redo()
        (second,) = history.do(AcceptSuggestions(DOC, TEXT, (s,), me))
        assert second.uid != made.uid and store.suggestion_decisions(me, DOC)[s.uid].annotation_uid == second.uid
        history.undo()
        history.undo()
        assert [a.uid for a in store.annotations(DOC)] == [made.uid]
        assert state()[0] == [] and store.suggested_by(DOC) == {made.uid: "model-x"}


def accepted_one(store):
    """A suggestion of PER on 4..9, accepted through the history: (me, it, history, made)."""
    me = getattr(store, "annotator", None) or "ana"
    s = suggestion(4, 9, "PER")
    store.add_suggestions([s])
    history = History(store)
    (made,) = history.do(AcceptSuggestions(DOC, TEXT, (s,), me))
    return me, s, history, made


def test_taking_the_tag_off_an_accepted_annotation_opens_the_suggestion(store_opener):
    with store_opener() as store:
        me, s, history, made = accepted_one(store)

        def open_now() -> list[str]:
            return [x.uid for x in open_for(store.suggestions(DOC), store.suggestion_decisions(me, DOC))]

        history.do(add_tag(store, made.id, "ORG"))
        assert open_now() == [], "another tag beside it changes nothing"
        history.do(remove_tag(store, made.id, "PER"))
        assert [a.tags for a in store.annotations(DOC)] == [("ORG",)]
        assert open_now() == [s.uid], "the annotation stays, without the suggested tag: open again"
        history.undo()
        assert open_now() == [], "the tag back: accepted again"
        history.do(RenameTag("PER", "Person"))
        assert [x.tag for x in store.suggestions(DOC)] == ["Person"], "a rename reaches the suggestions"
        assert open_now() == [] and store.suggestion_decisions(me, DOC)[s.uid].standing
        history.undo()
        assert [x.tag for x in store.suggestions(DOC)] == ["PER"] and open_now() == []


def test_the_open_suggestions_export_counts_a_deleted_acceptance_as_open(store_opener):
    from tui.notes.suggestion_commands import open_suggestions_jsonl

    with store_opener() as store:
        me, s, history, made = accepted_one(store)

        current = SimpleNamespace(hash=DOC, text=TEXT, path="doc.txt", title="doc")

        def exported() -> list[tuple[int, int]]:
            body, _left_out = open_suggestions_jsonl(store, me, lambda digest, path: current, doc_hash=DOC)
            return [(span["start"], span["end"]) for line in body.splitlines() for span in json.loads(line)["spans"]]

        assert exported() == []
        history.do(DeleteAnnotation(made.id))
        assert exported() == [(4, 9)]
        history.undo()
        assert exported() == []


def test_accepting_onto_my_annotation_of_the_same_passage_adds_the_tag(store_opener):
    with store_opener() as store:
        me = getattr(store, "annotator", None) or "ana"
        mine = store.add_annotation(DOC, TEXT, 4, 9, ["todo"], annotator=me)
        per, org = suggestion(4, 9, "PER"), suggestion(4, 9, "ORG")
        store.add_suggestions([per, org])
        history = History(store)
        history.do(AcceptSuggestions(DOC, TEXT, (per, org), me))
        (only,) = store.annotations(DOC)
        assert only.uid == mine.uid and only.tags == ("todo", "PER", "ORG")
        history.undo()
        assert store.annotations(DOC)[0].tags == ("todo",)


def test_moving_and_re_anchoring_keeps_decisions(store_opener):
    with store_opener() as store:
        s = suggestion(4, 9)
        store.add_suggestions([s])
        store.decide_suggestion(s.uid, REJECTED, annotator="ana")
        assert store.move_suggestions(DOC, OTHER) == 1
        (moved,) = store.suggestions(OTHER)
        assert store.suggestion_decisions("ana", OTHER)[s.uid].decision == REJECTED
        from dataclasses import replace

        store.update_suggestion_anchors([replace(moved, start=5, end=10, status=ORPHAN)])
        (orphan,) = store.suggestions(OTHER)
        assert (orphan.start, orphan.end, orphan.status) == (5, 10, ORPHAN)


@pytest.mark.parametrize("store_opener", ["sqlite"], indirect=True)
def test_on_sqlite_a_decision_may_name_any_annotator(store_opener):
    """On an SQLite file annotator names are labels anyone can type (a merge, an import)."""
    with store_opener() as store:
        s = suggestion(4, 9)
        store.add_suggestions([s])
        store.decide_suggestion(s.uid, REJECTED, annotator=ANNOTATORS[1])
        assert store.suggestion_decisions(ANNOTATORS[1])[s.uid].decision == REJECTED


@pytest.mark.parametrize("store_opener", ["postgresql"], indirect=True)
def test_an_annotator_may_not_decide_for_another_on_the_server(store_opener):
    with store_opener() as curator:
        s = suggestion(4, 9)
        curator.add_suggestions([s])
    with store_opener(ANNOTATORS[0]) as annotator:
        annotator.decide_suggestion(s.uid, REJECTED)
        assert annotator.suggestion_decisions()[s.uid].annotator == ANNOTATORS[0]
        with pytest.raises(NotAllowed):
            annotator.decide_suggestion(s.uid, REJECTED, annotator=ANNOTATORS[1])
        assert annotator.add_suggestions([suggestion(20, 26)]) == 1, "any annotator may import suggestions"


def test_offline_a_decision_is_refused_clearly_and_nothing_is_journaled(postgres_server):
    """While the server is away accepting would journal an annotation without its decision:
    it is refused before anything is written, and the suggestions last read stay shown."""
    from tui.notes.store import open_store
    from tui.notes.store_api import StoreOffline

    database = postgres_server.new_database()
    store, notice = open_store(postgres_server.tcp_url(database, ANNOTATORS[0]))
    try:
        with store:
            s = suggestion(4, 9)
            store.add_suggestions([s])
            assert store.suggestions(DOC) == [s]
            postgres_server.stop()
            store.annotations(DOC)  # the reader's next redraw finds the server gone
            assert not store.online
            history = History(store)
            with pytest.raises(StoreOffline, match="suggestions cannot be accepted, rejected"):
                history.do(AcceptSuggestions(DOC, TEXT, (s,), store.annotator))
            with pytest.raises(StoreOffline):
                history.do(RejectSuggestions((s,), store.annotator))
            assert store.pending == 0, "no annotation went to the journal without its decision"
            assert store.suggestions(DOC) == [s], "the suggestions last read are still shown"
    finally:
        if not (postgres_server.data / "postmaster.pid").exists():
            postgres_server.start()
