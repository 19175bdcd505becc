"""Undo and redo put the store back exactly, one transaction per step."""

from __future__ import annotations

import pytest

from tui.notes.history import (
    AddAnnotation,
    DeleteAnnotation,
    DeleteTag,
    History,
    RecolorTag,
    RenameTag,
    SetNote,
    SetTags,
    add_tag,
    remove_tag,
)
from tui.notes.store import NotFound, Store

TEXT = "One sentence here. Another sentence there. A third for luck."
DOC = "e" * 64


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "notes.sqlite3") as opened:
        yield opened


def snapshot(store: Store) -> tuple:
    return tuple(store.annotations(DOC)), tuple(store.tags())


def test_add_undo_redo_keeps_id_and_uid(store):
    history = History(store)
    added = history.do(AddAnnotation(DOC, TEXT, 0, 18, ("question",), "first"))
    assert history.undo() == "add annotation “One sentence here.”"
    assert store.annotations(DOC) == []
    assert history.redo() is not None
    assert store.annotations(DOC) == [added]
    assert history.redo() is None


@pytest.mark.parametrize(
    "make_change",
    [
        lambda store, id: DeleteAnnotation(id),
        lambda store, id: SetTags(id, ("todo", "evidence")),
        lambda store, id: add_tag(store, id, "brand-new"),
        lambda store, id: remove_tag(store, id, "question"),
        lambda store, id: SetNote(id, "rewritten"),
        lambda store, id: RenameTag("question", "asked"),
        lambda store, id: RecolorTag("question", "#000000"),
        lambda store, id: DeleteTag("question"),
    ],
    ids=["delete", "set-tags", "add-tag", "remove-tag", "set-note", "rename", "recolor", "delete-tag"],
)
def test_every_change_undoes_and_redoes_exactly(store, make_change):
    history = History(store)
    first = history.do(AddAnnotation(DOC, TEXT, 0, 18, ("question", "todo"), "note"))
    history.do(AddAnnotation(DOC, TEXT, 19, 42, ("evidence", "question")))
    before = snapshot(store)
    history.do(make_change(store, first.id))
    after = snapshot(store)
    assert after != before
    assert history.undo() is not None
    assert _without_times(snapshot(store)) == _without_times(before)
    assert history.redo() is not None
    assert _without_times(snapshot(store)) == _without_times(after)


def _without_times(state: tuple) -> tuple:
    annotations, tags = state
    return tuple((a.id, a.uid, a.start, a.end, a.tags, a.note, a.quote) for a in annotations), tags


def test_delete_tag_undo_restores_tag_order_on_each_annotation(store):
    history = History(store)
    one = store.add_annotation(DOC, TEXT, 0, 18, tags=["todo", "question", "evidence"])
    two = store.add_annotation(DOC, TEXT, 19, 42, tags=["question"])
    history.do(DeleteTag("question"))
    assert store.get(one.id).tags == ("todo", "evidence") and store.get(two.id).tags == ()
    history.undo()
    assert store.get(one.id).tags == ("todo", "question", "evidence")
    assert store.get(two.id).tags == ("question",)
    assert store.tag("question").key == "2"


def test_a_new_change_clears_redo(store):
    history = History(store)
    history.do(AddAnnotation(DOC, TEXT, 0, 18))
    history.undo()
    history.do(AddAnnotation(DOC, TEXT, 19, 42))
    assert history.redo() is None


def test_depth_is_bounded(store):
    history = History(store, depth=3)
    for start in range(5):
        history.do(AddAnnotation(DOC, TEXT, start, start + 3))
    undone = [history.undo() for _ in range(5)]
    assert undone[3:] == [None, None] and all(undone[:3])
    assert len(store.annotations(DOC)) == 2


def test_a_failed_undo_stays_undoable(store):
    history = History(store)
    added = history.do(AddAnnotation(DOC, TEXT, 0, 18))
    history.do(SetNote(added.id, "x"))
    store.delete_annotation(added.id)
    with pytest.raises(NotFound):
        history.undo()
    store.restore_annotation(added)
    assert history.undo() == "edit note" and store.get(added.id).note == ""


def test_nothing_to_undo(store):
    history = History(store)
    assert history.undo() is None and history.redo() is None
