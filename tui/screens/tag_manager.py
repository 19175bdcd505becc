"""Rename, recolour, rebind and delete the corpus's tags, every change undoable."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.notes.history import DeleteTag, History, RecolorTag, RenameTag
from tui.notes.model import InvalidValue, Tag
from tui.notes.store import StoreError
from tui.screens.dialogs import Ask, Confirm
from tui.widgets.plain import PlainText, chip_style, line

NAME_WIDTH = 32
"""Cells for a tag name: the dialog's width less the chip, key, count and frame."""


class TagManager(ModalScreen[None]):
    """r rename, c recolour, k bind a key, d delete (after saying how many passages it touches)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rename", "Rename", id="tagman.rename"),
        Binding("c", "recolor", "Recolour", id="tagman.recolor"),
        Binding("k", "rebind", "Key", id="tagman.key"),
        Binding("d,delete", "delete", "Delete", id="tagman.delete"),
        Binding("escape,q", "close", "Close", id="tagman.close"),
    ]
    DEFAULT_CSS = """
    TagManager { align: center middle; }
    TagManager > Vertical { width: 64; height: auto; max-height: 80%; padding: 1 2; background: $panel; border: thick $primary; }
    TagManager OptionList { height: auto; max-height: 20; }
    """

    def __init__(self, history: History) -> None:
        super().__init__()
        self.history = history
        self.store = history._store
        self.tags: list[Tag] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlainText("Tags — r rename · c recolour · k key · d delete · Esc close")
            yield OptionList(id="tag-list", markup=False)

    def on_mount(self) -> None:
        self._refresh()
        self.query_one("#tag-list").focus()

    def _refresh(self) -> None:
        listing = self.query_one("#tag-list", OptionList)
        highlighted = listing.highlighted or 0
        self.tags = self.store.tags()
        listing.clear_options()
        layout = self.app.layout_options
        listing.add_options(
            [
                Option(
                    Content.assemble(
                        Content.styled("    ", chip_style(tag.color)),
                        f" {tag.key or ' '}  ",
                        line(tag.name, NAME_WIDTH, layout),
                        "  ",
                        Content.styled(f"{self.store.tag_usage(tag.name)} passages", "dim"),
                    )
                )
                for tag in self.tags
            ]
        )
        if self.tags:
            listing.highlighted = min(highlighted, len(self.tags) - 1)

    def _current(self) -> Tag | None:
        index = self.query_one("#tag-list", OptionList).highlighted
        return self.tags[index] if index is not None and index < len(self.tags) else None

    def _run(self, change) -> None:
        try:
            self.history.do(change)
        except (StoreError, InvalidValue, ValueError) as error:
            self.notify(str(error), severity="error", markup=False)
        self._refresh()

    def action_rename(self) -> None:
        tag = self._current()
        if tag is not None:
            self.app.push_screen(Ask(f"New name for {tag.name}:", tag.name), lambda new: new and new != tag.name and self._run(RenameTag(tag.name, new.strip())))

    def action_recolor(self) -> None:
        tag = self._current()
        if tag is not None:
            self.app.push_screen(Ask(f"Colour for {tag.name} (#rrggbb):", tag.color), lambda color: color and self._run(RecolorTag(tag.name, color.strip().lower())))

    def action_rebind(self) -> None:
        tag = self._current()
        if tag is None:
            return

        def bound(key: str | None) -> None:
            if key is None:
                return
            try:
                self.store.set_tag_key(tag.name, key.strip() or None)
            except (StoreError, InvalidValue, ValueError) as error:
                self.notify(str(error), severity="error", markup=False)
            self._refresh()

        self.app.push_screen(Ask(f"Key 1-9 for {tag.name} (empty for none):", tag.key or ""), bound)

    def action_delete(self) -> None:
        tag = self._current()
        if tag is None:
            return
        count = self.store.tag_usage(tag.name)
        question = f"Delete the tag “{tag.name}”? It is on {count} annotation{'s' if count != 1 else ''}; they stay, without this tag. (u undoes)"
        self.app.push_screen(Confirm(question), lambda yes: yes and self._run(DeleteTag(tag.name)))

    def action_close(self) -> None:
        self.dismiss(None)
