"""Pick a document label by typing a few letters of its category, or create one by typing a new name.

Each category shows its colour, a tick when the document carries it already (Enter then
takes it off) and its set, marked ``one of`` when the set is exclusive (choosing it replaces
the set's other label).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.widgets.option_list import Option

from tui.notes.labels import Category, CategorySet
from tui.screens.fuzzy_picker import FuzzyPicker, picker_bindings
from tui.widgets.plain import chip_style, line

NAME_WIDTH = 30
"""Cells for a category name: the dialog's width less the chip, tick, set and frame."""
SET_WIDTH = 18


class CategoryPicker(FuzzyPicker[Category]):
    """Type to filter the categories; Enter toggles the highlighted one or creates the typed name."""

    BINDINGS: ClassVar[list[BindingType]] = picker_bindings("categories")
    PLACEHOLDER = "category (a new name creates it)"
    CREATE_WIDTH = NAME_WIDTH + 8
    DEFAULT_CSS = """
    CategoryPicker > Vertical { width: 64; }
    """

    def __init__(
        self,
        categories: list[Category],
        sets: list[CategorySet],
        chosen: tuple[str, ...],
        title: str = "Label the document",
    ) -> None:
        super().__init__(categories, title)
        self.exclusive = {s.name for s in sets if s.exclusive}
        self.chosen = set(chosen)

    def option(self, item: Category) -> Option:
        where: Content | str = ""
        if item.set is not None:
            kind = "one of " if item.set in self.exclusive else ""
            where = Content.assemble("  ", Content.styled(kind, "dim italic"), line(item.set, SET_WIDTH, self.text_layout, style="dim"))
        return Option(
            Content.assemble(
                Content.styled("  ", chip_style(item.color)),
                " ✓ " if item.name in self.chosen else "   ",
                line(item.name, NAME_WIDTH, self.text_layout),
                where,
            ),
            id=item.name,
        )
