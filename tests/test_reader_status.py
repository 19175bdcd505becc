"""The reader's status line and go-to answers, read from plain state (no app needed)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tui.corpus.document import MemorySource
from tui.screens.reader_prompt import Goto, resolve_goto
from tui.screens.reader_status import StatusState, notes_status, selection_hint, status_line

SOURCE = MemorySource("one\ntwo\nthree\nfour")


def state(**changes) -> StatusState:
    base = StatusState(
        source=SOURCE,
        shown=True,
        at_last_row=False,
        top_offset=0,
        cursor=0,
        indexed=1.0,
        query="",
        searching=None,
        hits=0,
        current_hit=None,
        notes=None,
        selection_hint=None,
    )
    return replace(base, **changes)


def test_position_paragraph_and_encoding():
    assert status_line(state(top_offset=9, cursor=9)) == " 50% · ¶ 3/4 · utf-8"


def test_the_last_row_on_screen_is_all_of_it():
    assert status_line(state(top_offset=4, at_last_row=True)).startswith("100%")


def test_an_empty_document():
    assert status_line(state(shown=False)) == "empty · utf-8"


def test_search_states_in_order_of_news():
    assert "searching 40% (Esc cancels)" in status_line(state(query="x", searching=0.4, hits=3))
    assert "“x” 2/3" in status_line(state(query="x", hits=3, current_hit=1))
    assert "“x” not found" in status_line(state(query="x"))


def test_notes_indexing_and_selection_hint_follow():
    line = status_line(state(notes="2 changes waiting", indexed=0.25, selection_hint="selection: …"))
    assert line.endswith("utf-8 · 2 changes waiting · indexing 25% · selection: …")


def test_the_selection_hint_names_the_keys_bound_now():
    hint = selection_hint({"pick_tag": "T", "note": "ctrl+e"})
    assert "T pick a tag" in hint and "ctrl+e note" in hint and "escape cancel" in hint


class Away:
    status = staticmethod(lambda: None)
    pending = 1
    online = False
    offline_reason = "notes offline: server gone"


def test_notes_status_counts_first_then_the_reason():
    assert notes_status(Away()) == "1 change waiting · notes offline: server gone"
    assert notes_status(object()) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("50%", Goto(fraction=0.5)),
        ("100%", Goto(end=True)),
        ("250%", Goto(end=True, message="250% is outside 0–100%: went to 100%.")),
        ("-5%", Goto(fraction=0.0, message="-5% is outside 0–100%: went to 0%.")),
        ("2", Goto(block=1)),
        ("9", Goto(block=3, message="There is no paragraph 9 (1–4): went to paragraph 4.")),
        ("nan%", Goto(message="Not a percentage or a paragraph number: 'nan%'", warning=True)),
        ("two", Goto(message="Not a percentage or a paragraph number: 'two'", warning=True)),
    ],
)
def test_goto_answers(typed, expected):
    assert resolve_goto(typed, SOURCE) == expected


class NoBlocks(MemorySource):
    block_count = 0


def test_goto_with_no_paragraphs_says_so():
    assert resolve_goto("3", NoBlocks("")) == Goto(message="The document is empty: nothing to go to.")
