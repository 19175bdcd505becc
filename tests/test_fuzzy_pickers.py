"""The three fuzzy pickers (tags, document categories, relation labels) behave alike: typing
filters and ranks, ↑/↓ wrap round, Enter or a click takes the highlighted name, a new name
is offered as "create" after the matches, Esc gives nothing — and their text is never markup."""

from __future__ import annotations

from typing import Any

import pytest
from reader_harness import synchronous
from textual.app import App
from textual.widgets import OptionList
from waiting import pilot_until

from tui.notes.labels import Category, CategorySet
from tui.notes.model import Tag
from tui.screens.category_picker import CategoryPicker
from tui.screens.fuzzy_picker import fuzzy_score
from tui.screens.relation_picker import RelationLabelPicker
from tui.screens.tag_picker import TagPicker
from tui.text.layout import LayoutOptions

NAMES = ["cause", "claim", "[b]evidence[/b]", "سبب", "原因"]


def tag_picker() -> TagPicker:
    return TagPicker([Tag(name, "#ff0000", key=str(i)) for i, name in enumerate(NAMES, 1)])


def category_picker() -> CategoryPicker:
    categories = [Category(name, "#00ff00", set="kind" if name == "claim" else None) for name in NAMES]
    return CategoryPicker(categories, [CategorySet("kind", exclusive=True)], chosen=("cause",))


def relation_picker() -> RelationLabelPicker:
    return RelationLabelPicker(NAMES, "Link")


PICKERS = {"tags": (tag_picker, 60), "categories": (category_picker, 64), "relations": (relation_picker, 60)}


class Host(App[None]):
    """The least an app must offer a picker: the engine's layout options."""

    layout_options = LayoutOptions()

    def __init__(self, picker) -> None:
        super().__init__()
        self.picker = picker
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.picker, self.results.append)


def shown(picker) -> list[str]:
    choices = picker.query_one("#choices", OptionList)
    return [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]


def highlighted(picker) -> str | None:
    choices = picker.query_one("#choices", OptionList)
    return None if choices.highlighted is None else choices.get_option_at_index(choices.highlighted).id


async def run(kind: str, *keys: str, then: str | int = "enter") -> tuple[Any, list[str], int]:
    """Open the picker, press ``keys``, then press ``then`` or click its option of that index:
    the picker's result, and its rows and width before ``then``."""
    make, _width = PICKERS[kind]
    app = Host(make())
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await pilot_until(pilot, lambda: app.screen if app.screen is app.picker else None, "the picker")
        await pilot_until(pilot, lambda: picker.query("#choices") and shown(picker), "the choices")
        await pilot.press(*keys)
        rows = shown(picker)
        width = picker.query_one("Vertical").outer_size.width
        if isinstance(then, int):
            await pilot.click(OptionList, offset=(4, 1 + then))
        else:
            await pilot.press(then)
        await pilot_until(pilot, lambda: app.results, "the picker to close")
        return app.results[0], rows, width


@pytest.mark.parametrize("kind", PICKERS)
@synchronous
async def test_typing_ranks_and_enter_takes_the_best(kind):
    result, rows, width = await run(kind, *"cl")
    assert result == "claim"
    assert len(rows) == 2 and "claim" in rows[0], "no other name has a c and then an l"
    assert rows[1] == "create cl"
    assert width == PICKERS[kind][1]


@pytest.mark.parametrize("kind", PICKERS)
@synchronous
async def test_arrows_wrap_round(kind):
    result, rows, _ = await run(kind, "up")
    assert len(rows) == len(NAMES)
    assert result == "原因", "up from the first row wraps to the last (sorted by name)"
    result, _rows, _ = await run(kind, "down", "down")
    assert result == "claim"


@pytest.mark.parametrize("kind", PICKERS)
@synchronous
async def test_a_new_name_is_offered_after_the_matches(kind):
    result, rows, _ = await run(kind, *"ca")
    assert result == "cause" and rows[-1].startswith("create ca")
    result, rows, _ = await run(kind, *"ca", "up")
    assert result == "ca", "the create row gives the typed name"
    result, rows, _ = await run(kind, *"  新 ")
    assert rows == ["create 新"] and result == "新", "spaces round a new name are dropped"


@pytest.mark.parametrize("kind", PICKERS)
@synchronous
async def test_escape_gives_nothing_and_a_click_takes_the_row(kind):
    result, _rows, _ = await run(kind, *"cl", then="escape")
    assert result is None
    result, _rows, _ = await run(kind, then=1)
    assert result == "cause"


@pytest.mark.parametrize("kind", PICKERS)
@synchronous
async def test_names_are_shown_as_typed_never_as_markup(kind):
    result, rows, _ = await run(kind, *"[b]")
    assert any("[b]evidence[/b]" in row for row in rows)
    assert result == "[b]evidence[/b]"


def test_fuzzy_score_prefers_a_prefix_then_a_substring_then_letters_in_order():
    assert fuzzy_score("", "anything") == 0
    assert fuzzy_score("CL", "claim") > fuzzy_score("la", "claim") > fuzzy_score("cm", "claim")
    assert fuzzy_score("mc", "claim") is None
    assert fuzzy_score("سب", "سبب") is not None
