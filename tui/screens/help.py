"""The keys of the screen underneath, read from Textual's live binding maps.

Nothing here is a hard-coded list: a key remapped in ``[keymap]`` shows its new key, and a
binding a focused widget shadows (an Input taking ``q``) does not show at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One thing you can do and every key that does it."""

    keys: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class KeyGroup:
    """The bindings one node of the focus chain contributes (a widget, the screen, the app)."""

    title: str
    entries: tuple[KeyEntry, ...]


def key_groups(screen: Screen) -> list[KeyGroup]:
    """The active bindings of ``screen``, grouped by the node that declares them.

    Groups run from the focused widget out to the app, the order Textual tries them in.
    """
    app = screen.app
    grouped: dict[int, tuple[DOMNode, dict[tuple[str, str], list[str]]]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.system:
            continue
        _, entries = grouped.setdefault(id(active.node), (active.node, {}))
        description = binding.description or binding.tooltip or _humanise(binding.action)
        keys = entries.setdefault((binding.action, description), [])
        shown = app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
    return [
        KeyGroup(
            _group_title(node),
            tuple(KeyEntry(tuple(keys), description) for (_, description), keys in entries.items()),
        )
        for node, entries in grouped.values()
    ]


def _group_title(node: DOMNode) -> str:
    return node.BINDING_GROUP_TITLE or _humanise(type(node).__name__)


def _humanise(name: str) -> str:
    words = "".join(f" {c}" if c.isupper() else c for c in name.rsplit(".", 1)[-1]).replace("_", " ")
    return words.strip().capitalize()


class HelpScreen(ModalScreen[None]):
    """A modal list of the keys that work on the screen it was opened from."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
        Binding("space,pagedown,ctrl+f", "page(1)", "Page down", show=False, id="help.page-down"),
        Binding("shift+space,pageup,ctrl+b", "page(-1)", "Page up", show=False, id="help.page-up"),
        Binding("g,home", "edge(0)", "Top", show=False, id="help.top"),
        Binding("G,end", "edge(1)", "End", show=False, id="help.end"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: auto;
        max-width: 90%;
        height: auto;
        max-height: 90%;
        overflow-y: auto;
        border: round $primary;
        border-title-align: center;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen Static {
        width: auto;
    }
    """

    def __init__(self, source: Screen) -> None:
        super().__init__()
        self.groups = key_groups(source)
        self.source_title = _group_title(source)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as body:
            body.border_title = f"Keys · {self.source_title}"
            body.border_subtitle = "j k space g G to scroll · esc, q or ? to close"
            report = getattr(self.app, "terminal_report", "")
            if report:
                yield Static(report + "\n", id="terminal-report", markup=False)
            yield Static(self._content())

    def _content(self) -> Content:
        """Keys right-aligned in one column, descriptions in the next, a title per group."""
        rows = [(", ".join(entry.keys), entry.description) for group in self.groups for entry in group.entries]
        key_width = max((cell_len(keys) for keys, _ in rows), default=0)
        lines: list[Content] = []
        for group in self.groups:
            if lines:
                lines.append(Content(""))
            lines.append(Content.styled(" " * (key_width + 2) + group.title, "underline"))
            for entry in group.entries:
                keys = ", ".join(entry.keys)
                lines.append(
                    Content.assemble(
                        " " * (key_width - cell_len(keys)), (keys, "bold"), "  ", entry.description
                    )
                )
        return Content("\n").join(lines)

    @property
    def _body(self) -> VerticalScroll:
        return self.query_one(VerticalScroll)

    def action_scroll(self, rows: int) -> None:
        self._body.scroll_relative(y=rows, animate=False)

    def action_page(self, direction: int) -> None:
        body = self._body
        body.scroll_relative(y=direction * max(body.scrollable_content_region.height - 1, 1), animate=False)

    def action_edge(self, end: int) -> None:
        body = self._body
        if end:
            body.scroll_end(animate=False)
        else:
            body.scroll_home(animate=False)
