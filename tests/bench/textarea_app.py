"""The plain Textual way to show a file: the whole text in one read-only ``TextArea``.

The benchmark runs it beside Margin and ``less``. Digits 0-9 jump to 0-90 % of the document
(with a priority binding so the ``TextArea`` cannot swallow them); the benchmark uses them
only to reach different positions, and never times them.

Run: ``.venv/bin/python tests/bench/textarea_app.py FILE``
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import TextArea


class TextAreaReader(App[None]):
    """Read the whole file at start and show it in a read-only ``TextArea``."""

    BINDINGS = [Binding(str(d), f"jump({d})", show=False, priority=True) for d in range(10)]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.text = path.read_text(encoding="utf-8")

    def compose(self) -> ComposeResult:
        yield TextArea(self.text, read_only=True)

    def action_jump(self, tenths: int) -> None:
        area = self.query_one(TextArea)
        row = area.document.line_count * tenths // 10
        area.move_cursor((row, 0), center=True)


if __name__ == "__main__":
    TextAreaReader(Path(sys.argv[1])).run()
