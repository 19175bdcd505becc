"""Make Rich and Textual measure cells with Margin's width model.

Rich 15 counts Gurmukhi spacing vowel signs (U+0A3E, U+0A3F, U+0A40) as 0 cells while
tmux, xterm and VTE draw them in 1; Textual then pads every Gurmukhi row and the screen
tears. The engine measures with one model, and this module installs the same model in
Rich's per-character measure, so what Textual crops and pads is what the layout planned.
"""

from __future__ import annotations

import sys
from functools import lru_cache

import rich.cells

from tui.text.width import WidthModel

_ORIGINAL_SIZE = rich.cells.get_character_cell_size
_ORIGINAL_TABLE = rich.cells.load_cell_table


def use_width_model(model: WidthModel) -> None:
    """Route every Rich/Textual cell measurement through ``model``."""

    @lru_cache(maxsize=65536)
    def character_cell_size(character: str, unicode_version: str = "auto") -> int:
        return model.char_width(character)

    @lru_cache(maxsize=8)
    def cell_table(unicode_version: str = "auto") -> rich.cells.CellTable:
        table = _ORIGINAL_TABLE(unicode_version)
        # The model is additive per code point; an emoji variation selector adds nothing.
        return rich.cells.CellTable(table.unicode_version, table.widths, frozenset())

    for module in list(sys.modules.values()):
        namespace = getattr(module, "__dict__", None)
        if not namespace:
            continue
        current = namespace.get("get_character_cell_size")
        if current is _ORIGINAL_SIZE or getattr(current, "_margin_model", False):
            namespace["get_character_cell_size"] = character_cell_size
    character_cell_size._margin_model = True  # type: ignore[attr-defined]
    rich.cells.load_cell_table = cell_table
    rich.cells.cached_cell_len.cache_clear()
    _clear_textual_caches()


def _clear_textual_caches() -> None:
    """Textual memoises some measurements; drop them so none predates the model."""
    for name in ("textual._cells", "textual.strip", "textual.content"):
        module = sys.modules.get(name)
        if module is None:
            continue
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", "").startswith(("rich", "textual")):
                clear()
