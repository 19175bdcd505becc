"""Pick a relation label by typing a few letters of it, or create one by typing a new name."""

from __future__ import annotations

from tui.notes.model import Tag
from tui.notes.store_api import PALETTE
from tui.screens.tag_picker import TagPicker

LABEL_COLOR = PALETTE[7]
"""Relation labels have no colour of their own: one neutral chip for all."""


class RelationLabelPicker(TagPicker):
    """The tag picker's fuzzy search over the store's relation labels; Enter links with the
    highlighted label, or creates the typed one; Esc goes back to choosing the target."""

    PLACEHOLDER = "relation label (a new name creates it)"

    def __init__(self, labels: list[str], title: str) -> None:
        super().__init__([Tag(label, LABEL_COLOR) for label in labels], title)
