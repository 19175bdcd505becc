"""Pick a tag by typing a few letters of it, or create one by typing a new name."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.widgets.option_list import Option

from tui.notes.model import Tag
from tui.screens.fuzzy_picker import FuzzyPicker, picker_bindings
from tui.widgets.plain import chip_style, line

NAME_WIDTH = 44
"""Cells for a tag name in the list: the dialog's width less the chip, key and frame."""


class TagPicker(FuzzyPicker[Tag]):
    """Type to filter the corpus's tags; Enter applies the highlighted one or creates the typed name."""

    BINDINGS: ClassVar[list[BindingType]] = picker_bindings("tags")
    PLACEHOLDER = "tag name (a new name creates the tag)"
    CREATE_WIDTH = NAME_WIDTH

    def __init__(self, tags: list[Tag], title: str = "Tag the passage") -> None:
        super().__init__(tags, title)

    def option(self, item: Tag) -> Option:
        return Option(
            Content.assemble(
                Content.styled("  ", chip_style(item.color)),
                " ",
                line(item.name, NAME_WIDTH, self.text_layout),
                Content.styled(f"  {item.key}", "dim") if item.key else "",
            ),
            id=item.name,
        )
