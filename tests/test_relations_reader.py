"""Relations made, shown, deleted and undone by keyboard in the reader, checked in the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_harness import ARABIC, CHINESE, PUNJABI, reader_app, screen_lines, settle, synchronous

from tui.locations import default_store
from tui.notes.store import Store
from tui.screens.dialogs import Confirm
from tui.screens.relation_picker import RelationLabelPicker
from tui.widgets.relation_list import RelationList

SIZE = (110, 32)
LABELS = {"arabic": "سبب", "chinese": "原因", "punjabi": "ਕਰਨ"}
SEEDS = {"arabic": ARABIC, "chinese": CHINESE, "punjabi": PUNJABI}


def stored(path: Path):
    from tui.corpus.identity import content_hash

    digest = content_hash(path)
    with Store.open(default_store()) as store:
        return store.annotations(digest), store.relations(digest)


async def until(pilot, condition, what: str, rounds: int = 200) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"waited in vain for {what}")


async def two_tagged_passages(pilot) -> None:
    """Tag the first sentence and a sentence of the next paragraph, by keyboard."""
    app = pilot.app
    await settle(pilot)
    await pilot.press("g", "s", "1")
    await until(pilot, lambda: len(app.screen.session.annotations) == 1, "the first tag")
    await pilot.press("right_curly_bracket", "s", "2")
    await until(pilot, lambda: len(app.screen.session.annotations) == 2, "the second tag")


async def on_first(pilot) -> None:
    await pilot.press("g", "right_square_bracket", "left_square_bracket")
    screen = pilot.app.screen
    assert screen.session.at(screen.view.cursor)[0] == screen.session.annotations[0]


async def relate(pilot, label: str) -> None:
    app = pilot.app
    await on_first(pilot)
    await pilot.press("r")
    assert "relation from" in str(app.screen.query_one("#status").render())
    assert app.screen.relations.status().endswith("] [ / to the target, Enter links, esc cancels")
    await pilot.press("right_square_bracket", "enter")
    await until(pilot, lambda: isinstance(app.screen, RelationLabelPicker), "the label picker")
    await pilot.press(*label, "enter")
    await until(pilot, lambda: not isinstance(app.screen, RelationLabelPicker), "the picker to close")
    await settle(pilot)


@pytest.mark.parametrize("name", list(SEEDS))
@synchronous
async def test_make_show_delete_and_undo_a_relation_by_keyboard(name):
    seed, label = SEEDS[name], LABELS[name]
    app = reader_app(seed)
    async with app.run_test(size=SIZE) as pilot:
        await two_tagged_passages(pilot)
        screen = app.screen
        await relate(pilot, label)
        (first, second), relations = stored(seed)
        assert [(r.head, r.child, r.label) for r in relations] == [(first.uid, second.uid, label)]
        assert "relation from" not in str(screen.query_one("#status").render())
        # The gutter marks both ends: → where it starts, ← where it points.
        gutter = [row[:2] for row in screen_lines(app)]
        assert any(cell.endswith("→") for cell in gutter) and any(cell.endswith("←") for cell in gutter)
        # The panel lists it as source → label → target.
        await pilot.press("a")
        await settle(pilot)
        listed = screen.query_one(RelationList)
        assert listed.display and len(listed.rows) == 1
        row = "".join(segment.text for segment in listed.render_line(0))
        assert " → " in row and row.count("“") == 2
        screen.view.focus()
        # Undo and redo the relation.
        await pilot.press("u")
        await settle(pilot)
        assert stored(seed)[1] == []
        assert not any(row[:2].endswith(("→", "←")) for row in screen_lines(app))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [r.uid for r in stored(seed)[1]] == [relations[0].uid]
        # Deleting the source asks first, then takes the relation with it, in one undo step.
        await on_first(pilot)
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
        assert "1 relation uses it" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        annotations, relations_now = stored(seed)
        assert [a.uid for a in annotations] == [second.uid] and relations_now == []
        await pilot.press("u")
        await settle(pilot)
        annotations, relations_now = stored(seed)
        assert {a.uid for a in annotations} == {first.uid, second.uid}
        assert [r.uid for r in relations_now] == [relations[0].uid]
        # X on an end deletes the relation alone.
        await on_first(pilot)
        await pilot.press("X")
        await settle(pilot)
        annotations, relations_now = stored(seed)
        assert len(annotations) == 2 and relations_now == []


@synchronous
async def test_escape_cancels_declining_keeps_everything_and_the_panel_deletes():
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await two_tagged_passages(pilot)
        screen = app.screen
        await on_first(pilot)
        await pilot.press("r", "escape")
        assert screen.relations.source is None
        assert "relation from" not in str(screen.query_one("#status").render())
        await pilot.press("enter")  # nothing started: Enter does nothing
        assert app.screen is screen
        # Enter on the source itself is refused with a hint.
        await pilot.press("r", "enter")
        await settle(pilot)
        assert app.screen is screen and screen.relations.source is not None
        await pilot.press("right_square_bracket", "enter")
        await until(pilot, lambda: isinstance(app.screen, RelationLabelPicker), "the label picker")
        await pilot.press(*"دعم", "enter")
        await settle(pilot)
        (first, _second), (relation,) = stored(ARABIC)
        # Declining the confirmation deletes nothing.
        await on_first(pilot)
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
        await pilot.press("n")
        await settle(pilot)
        assert len(stored(ARABIC)[0]) == 2 and len(stored(ARABIC)[1]) == 1
        # The panel's relation list deletes with d.
        await pilot.press("a")
        await settle(pilot)
        screen.query_one(RelationList).focus()
        await pilot.press("d")
        await settle(pilot)
        assert stored(ARABIC)[1] == []
        assert not screen.query_one(RelationList).display
        screen.view.focus()
        await pilot.press("u")
        await settle(pilot)
        assert [r.uid for r in stored(ARABIC)[1]] == [relation.uid]
        assert first.uid == relation.head
