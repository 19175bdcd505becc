"""Pick a tag by typing a few letters of it, or create one by typing a new name."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.notes.model import Tag
from tui.widgets.plain import PlainInput, PlainText, chip_style, line

NAME_WIDTH = 44
"""Cells for a tag name in the list: the dialog's width less the chip, key and frame."""


def fuzzy_score(query: str, name: str) -> int | None:
    """Letters of ``query`` in order inside ``name``: a score (higher is better), else None."""
    query, name = query.casefold(), name.casefold()
    if not query:
        return 0
    if name.startswith(query):
        return 1000 - len(name)
    if query in name:
        return 500 - name.index(query)
    position = -1
    gaps = 0
    for ch in query:
        found = name.find(ch, position + 1)
        if found < 0:
            return None
        gaps += found - position - 1
        position = found
    return 100 - gaps


class TagPicker(ModalScreen[str | None]):
    """Type to filter the corpus's tags; Enter applies the highlighted one or creates the typed name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tags.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="tags.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="tags.previous"),
    ]
    DEFAULT_CSS = """
    TagPicker { align: center middle; }
    TagPicker > Vertical { width: 60; height: auto; max-height: 80%; padding: 1 2; background: $panel; border: thick $primary; }
    TagPicker OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, tags: list[Tag], title: str = "Tag the passage") -> None:
        super().__init__()
        self.tags = tags
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlainText(self.title_text)
            yield PlainInput(placeholder="tag name (a new name creates the tag)", id="query")
            yield OptionList(id="choices", markup=False)

    def on_mount(self) -> None:
        self._refresh("")

    def _refresh(self, query: str) -> None:
        choices = self.query_one("#choices", OptionList)
        scored = [(fuzzy_score(query, tag.name), tag) for tag in self.tags]
        ranked = sorted(((s, t) for s, t in scored if s is not None), key=lambda st: (-st[0], st[1].name))
        layout = self.app.layout_options
        options = [
            Option(
                Content.assemble(
                    Content.styled("  ", chip_style(tag.color)),
                    " ",
                    line(tag.name, NAME_WIDTH, layout),
                    Content.styled(f"  {tag.key}", "dim") if tag.key else "",
                ),
                id=tag.name,
            )
            for _score, tag in ranked
        ]
        name = query.strip()
        if name and not any(tag.name == name for tag in self.tags):
            options.append(Option(Content.assemble(Content.styled("create", "italic"), " ", line(name, NAME_WIDTH, layout)), id="\0" + name))
        choices.clear_options()
        choices.add_options(options)
        if options:
            choices.highlighted = 0

    @on(PlainInput.Changed, "#query")
    def _changed(self, event: PlainInput.Changed) -> None:
        self._refresh(event.value)

    @on(PlainInput.Submitted, "#query")
    def _submitted(self, event: PlainInput.Submitted) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.highlighted is None:
            name = event.value.strip()
            self.dismiss(name or None)
            return
        option = choices.get_option_at_index(choices.highlighted)
        self.dismiss((option.id or "").lstrip("\0") or None)

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((event.option.id or "").lstrip("\0") or None)

    def action_move(self, delta: int) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            current = choices.highlighted or 0
            choices.highlighted = (current + delta) % choices.option_count

    def action_cancel(self) -> None:
        self.dismiss(None)
