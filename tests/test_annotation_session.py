"""The reader's annotation session on its own: changes reach the store at once, and the screen
hears about them only through messages."""

from __future__ import annotations

import pytest

from tui.corpus.document import MemorySource
from tui.notes.store import Store
from tui.screens.annotation_session import AnnotationSession
from tui.screens.reader_messages import AnnotationsChanged, Notice, Reanchored

TEXT = "First sentence here. Second one there.\nA second paragraph."
DIGEST = "d" * 64


@pytest.fixture
def session(tmp_path):
    posted: list = []
    with Store.open(tmp_path / "notes.sqlite3") as store:
        store.register_document(DIGEST, str(tmp_path / "doc.txt"), "doc")
        session = AnnotationSession(store, "ana", posted.append)
        session.posted = posted  # type: ignore[attr-defined]
        yield session


def changes(session) -> list[AnnotationsChanged]:
    return [m for m in session.posted if isinstance(m, AnnotationsChanged)]


def notices(session) -> list[str]:
    return [m.text for m in session.posted if isinstance(m, Notice)]


def test_nothing_changes_before_the_document_is_identified(session):
    assert not session.ready()
    assert session.tag("todo", (0, 5), 0) is False
    assert notices(session) == ["Still reading the document; try again in a moment.", "Still reading the document; try again in a moment."]
    assert session.store.annotations(DIGEST) == []


def test_tag_toggle_note_delete_undo_redo(session):
    session.start(DIGEST, MemorySource(TEXT))
    session.load()
    assert changes(session)[-1].reloaded and changes(session)[-1].annotations == []

    assert session.tag("todo", (0, 20), 0) is True
    (added,) = session.store.annotations(DIGEST)
    assert (added.start, added.end, added.quote, added.tags, added.annotator) == (0, 20, TEXT[:20], ("todo",), "ana")
    assert changes(session)[-1].annotations == session.annotations == [added]
    assert not changes(session)[-1].reloaded, "one change re-reads only what it touched"

    # No selection: the tag toggles on the annotation under the cursor.
    assert session.tag("todo", None, 5) is False
    assert session.store.get(added.id).tags == ()
    session.tag("evidence", None, 5)
    assert session.store.get(added.id).tags == ("evidence",)

    session.write_note(session.spanning(0, 20), 0, 20, "why?")
    assert session.store.get(added.id).note == "why?"
    session.write_note(None, 21, 38, "second")
    assert [a.note for a in session.annotations] == ["why?", "second"]
    assert session.next_start(0, 1) == 21 and session.next_start(21, -1) == 0 and session.next_start(30, 1) is None

    session.delete(added.id)
    assert session.store.get(added.id) is None and [a.start for a in session.annotations] == [21]
    session.undo()
    assert [a.start for a in session.annotations] == [0, 21]
    assert session.store.get(added.id).note == "why?"
    session.redo()
    assert [a.start for a in session.annotations] == [21]
    assert "Annotation deleted (u undoes)." in notices(session)
    assert notices(session)[-1].startswith("Redone: ")


def test_nothing_under_the_cursor_is_said_not_stored(session):
    session.start(DIGEST, MemorySource(TEXT))
    session.tag("todo", None, 3)
    assert session.store.annotations(DIGEST) == []
    assert notices(session) == ["Select a passage first: s sentence, p paragraph, v to start a selection."]


def test_without_a_store_the_session_says_why(tmp_path):
    posted: list = []
    session = AnnotationSession(None, "ana", posted.append, store_notice="Annotations are off: locked")
    assert session.start(DIGEST, MemorySource(TEXT)) is False
    assert session.tag("todo", (0, 5), 0) is False
    assert [m.text for m in posted] == ["Annotations are off: locked"]


def test_reanchoring_reports_by_message(session, tmp_path):
    old = "o" * 64
    store = session.store
    store.register_document(old, str(tmp_path / "old.txt"), "old")
    moved_text = "New first line.\n" + TEXT
    session.start(old, MemorySource(TEXT))
    session.tag("todo", (21, 38), 0)
    store.register_document(DIGEST, str(tmp_path / "doc.txt"), "doc")
    session.start(DIGEST, MemorySource(moved_text))
    session.reanchor(old)
    (report,) = [m for m in session.posted if isinstance(m, Reanchored)]
    assert report.summary and "1 passages found again" in report.summary
    session.load()
    (annotation,) = session.annotations
    assert moved_text[annotation.start : annotation.end] == TEXT[21:38]
