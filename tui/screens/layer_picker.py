"""Choose whose annotations the reader shows: mine, everyone's, or the annotators ticked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection


@dataclass(frozen=True)
class LayerChoice:
    """The annotators to show; ``None`` shows everyone's annotations."""

    annotators: frozenset[str] | None


class LayerPicker(ModalScreen[LayerChoice | None]):
    """``m`` mine only, ``a`` everyone, space ticks annotators and Enter shows the ticked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="layers.cancel"),
        Binding("m", "mine", "Mine only", id="layers.mine"),
        Binding("a", "everyone", "Everyone", id="layers.all"),
        Binding("enter", "apply", "Show the ticked", id="layers.apply", priority=True),
    ]
    DEFAULT_CSS = """
    LayerPicker { align: center middle; }
    LayerPicker > Vertical { width: 60; height: auto; max-height: 80%; padding: 1 2; background: $panel; border: thick $primary; }
    LayerPicker SelectionList { height: auto; max-height: 16; }
    """

    def __init__(self, mine: str, annotators: list[str], shown: frozenset[str] | None) -> None:
        super().__init__()
        self.mine = mine
        self.annotators = [mine, *(a for a in annotators if a != mine)]
        self.shown = shown

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Whose annotations to show", markup=False)
            yield Static("m mine only · a everyone · space ticks · Enter shows the ticked", markup=False)
            yield SelectionList[str](
                *(
                    Selection(
                        Content(f"{name} (me)" if name == self.mine else name),
                        name,
                        self.shown is None or name in self.shown,
                    )
                    for name in self.annotators
                ),
                id="annotators",
            )

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_mine(self) -> None:
        self.dismiss(LayerChoice(frozenset({self.mine})))

    def action_everyone(self) -> None:
        self.dismiss(LayerChoice(None))

    def action_apply(self) -> None:
        ticked = frozenset(self.query_one(SelectionList).selected)
        if ticked >= frozenset(self.annotators):
            self.dismiss(LayerChoice(None))
        else:
            self.dismiss(LayerChoice(ticked or frozenset({self.mine})))
