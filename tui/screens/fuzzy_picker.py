"""The one shape of every "type a few letters of a name, or a new name" dialog.

Tags, document categories and relation labels are all picked this way: typing filters and
ranks the names by :func:`fuzzy_score`, ↑/↓ wrap round the list, Enter or a click takes the
highlighted name, a name that does not exist yet is offered last as "create", and Esc gives
``None``. A subclass says how one item is drawn (:meth:`FuzzyPicker.option`), and names its
key bindings with :func:`picker_bindings` so each picker stays remappable on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, Protocol, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.screens.host import host_of
from tui.text.layout import LayoutOptions
from tui.widgets.plain import PlainInput, PlainText, line

CREATE = "\0"
"""Prefix of the id of the option that creates the typed name (no real name holds a NUL)."""


class Named(Protocol):
    @property
    def name(self) -> str: ...


ItemT = TypeVar("ItemT", bound=Named)


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


def picker_bindings(scope: str) -> list[BindingType]:
    """Esc, ↓ and ↑ with ids under ``scope`` (``tags.cancel``), for a keymap to remap."""
    return [
        Binding("escape", "cancel", "Cancel", id=f"{scope}.cancel"),
        Binding("down", "move(1)", "Next", show=False, id=f"{scope}.next"),
        Binding("up", "move(-1)", "Previous", show=False, id=f"{scope}.previous"),
    ]


class FuzzyPicker(ModalScreen[str | None], Generic[ItemT]):
    """Type to filter ``items`` by name; Enter gives the highlighted name or the typed new one."""

    PLACEHOLDER: ClassVar[str] = "name (a new name creates it)"
    CREATE_WIDTH: ClassVar[int] = 44
    """Cells for the typed name on the "create" row."""
    DEFAULT_CSS = """
    FuzzyPicker { align: center middle; }
    FuzzyPicker > Vertical { width: 60; height: auto; max-height: 80%; padding: 1 2; background: $panel; border: thick $primary; }
    FuzzyPicker OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, items: Sequence[ItemT], title: str) -> None:
        super().__init__()
        self.items = list(items)
        self.title_text = title

    @property
    def text_layout(self) -> LayoutOptions:
        """How the app lays out text, for the rows' names."""
        return host_of(self).layout_options

    def option(self, item: ItemT) -> Option:
        """The row of one item; its id must be the item's name."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlainText(self.title_text)
            yield PlainInput(placeholder=self.PLACEHOLDER, id="query")
            yield OptionList(id="choices", markup=False)

    def on_mount(self) -> None:
        self._refresh("")

    def _refresh(self, query: str) -> None:
        choices = self.query_one("#choices", OptionList)
        scored = [(fuzzy_score(query, item.name), item) for item in self.items]
        ranked = sorted(((s, i) for s, i in scored if s is not None), key=lambda si: (-si[0], si[1].name))
        options = [self.option(item) for _score, item in ranked]
        name = query.strip()
        if name and not any(item.name == name for item in self.items):
            shown = line(name, self.CREATE_WIDTH, self.text_layout)
            options.append(Option(Content.assemble(Content.styled("create", "italic"), " ", shown), id=CREATE + name))
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
        self._take(choices.get_option_at_index(choices.highlighted))

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._take(event.option)

    def _take(self, option: Option) -> None:
        self.dismiss((option.id or "").removeprefix(CREATE) or None)

    def action_move(self, delta: int) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            current = choices.highlighted or 0
            choices.highlighted = (current + delta) % choices.option_count

    def action_cancel(self) -> None:
        self.dismiss(None)
