"""Pick a document label by typing a few letters of its category, or create one by typing a new name.

Each category shows its colour, a tick when the document carries it already (Enter then
takes it off) and its set, marked ``one of`` when the set is exclusive (choosing it replaces
the set's other label).
"""

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

from tui.notes.labels import Category, CategorySet
from tui.screens.tag_picker import fuzzy_score
from tui.widgets.plain import PlainInput, PlainText, chip_style, line

NAME_WIDTH = 30
"""Cells for a category name: the dialog's width less the chip, tick, set and frame."""
SET_WIDTH = 18
CREATE = "\0"
"""Prefix of the id of the option that creates the typed name."""


class CategoryPicker(ModalScreen[str | None]):
    """Type to filter the categories; Enter toggles the highlighted one or creates the typed name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="categories.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="categories.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="categories.previous"),
    ]
    DEFAULT_CSS = """
    CategoryPicker { align: center middle; }
    CategoryPicker > Vertical { width: 64; height: auto; max-height: 80%; padding: 1 2; background: $panel; border: thick $primary; }
    CategoryPicker OptionList { height: auto; max-height: 16; }
    """

    def __init__(
        self,
        categories: list[Category],
        sets: list[CategorySet],
        chosen: tuple[str, ...],
        title: str = "Label the document",
    ) -> None:
        super().__init__()
        self.categories = categories
        self.exclusive = {s.name for s in sets if s.exclusive}
        self.chosen = set(chosen)
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlainText(self.title_text)
            yield PlainInput(placeholder="category (a new name creates it)", id="query")
            yield OptionList(id="choices", markup=False)

    def on_mount(self) -> None:
        self._refresh("")

    def _option(self, category: Category) -> Option:
        layout = self.app.layout_options
        where: Content | str = ""
        if category.set is not None:
            kind = "one of " if category.set in self.exclusive else ""
            where = Content.assemble("  ", Content.styled(kind, "dim italic"), line(category.set, SET_WIDTH, layout, style="dim"))
        return Option(
            Content.assemble(
                Content.styled("  ", chip_style(category.color)),
                " ✓ " if category.name in self.chosen else "   ",
                line(category.name, NAME_WIDTH, layout),
                where,
            ),
            id=category.name,
        )

    def _refresh(self, query: str) -> None:
        choices = self.query_one("#choices", OptionList)
        scored = [(fuzzy_score(query, category.name), category) for category in self.categories]
        ranked = sorted(((s, c) for s, c in scored if s is not None), key=lambda sc: (-sc[0], sc[1].name))
        options = [self._option(category) for _score, category in ranked]
        name = query.strip()
        if name and not any(category.name == name for category in self.categories):
            layout = self.app.layout_options
            options.append(
                Option(
                    Content.assemble(Content.styled("create", "italic"), " ", line(name, NAME_WIDTH + 8, layout)),
                    id=CREATE + name,
                )
            )
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
            self.dismiss(event.value.strip() or None)
            return
        option = choices.get_option_at_index(choices.highlighted)
        self.dismiss((option.id or "").removeprefix(CREATE) or None)

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((event.option.id or "").removeprefix(CREATE) or None)

    def action_move(self, delta: int) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            current = choices.highlighted or 0
            choices.highlighted = (current + delta) % choices.option_count

    def action_cancel(self) -> None:
        self.dismiss(None)
