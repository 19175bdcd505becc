"""Make Rich and Textual measure cells with Margin's width model.

Rich 15 counts Gurmukhi spacing vowel signs (U+0A3E, U+0A3F, U+0A40) as 0 cells while
tmux, xterm and VTE draw them in 1; Textual then pads every Gurmukhi row and the screen
tears. The engine measures with one model, and this module installs the same model as
Rich's per-character measure, so what Textual crops and pads is what the layout planned.

Rich's own table cannot simply be rewritten: wcwidth's tables (Unicode 18) and Rich's
(Unicode 17) differ on about a thousand code points, and building a range table from the
model costs over a second. So the function itself is replaced, at the few places that hold
it by name (``BINDING_SITES``). ``tests/test_cells.py`` imports every Rich and Textual
module and fails if any other place still holds Rich's function after the switch, and
measures a Gurmukhi string through ``Text``, ``Segment``, ``Strip`` and ``Content``.
"""

from __future__ import annotations

import sys
from functools import lru_cache

import rich.cells
import rich.segment

from tui.text.width import WidthModel

BINDING_SITES = ("rich.cells", "rich.segment", "textual._wrap", "textual.widgets._input")
"""Modules that import ``get_character_cell_size`` by name (Rich 15, Textual 8.2), Rich's own
module first: a module imported after the switch then takes the model's function from it."""

_RICH_TABLE = rich.cells.load_cell_table


@lru_cache(maxsize=8)
def _table_without_emoji_widening(unicode_version: str = "auto") -> rich.cells.CellTable:
    """Rich's table with no narrow-to-wide set: the model is additive per code point, so a
    variation selector 16 after a character adds nothing, as in the engine."""
    table = _RICH_TABLE(unicode_version)
    return rich.cells.CellTable(table.unicode_version, table.widths, frozenset())


def use_width_model(model: WidthModel) -> None:
    """Route every Rich/Textual cell measurement through ``model``."""

    @lru_cache(maxsize=65536)
    def get_character_cell_size(character: str, unicode_version: str = "auto") -> int:
        return model.char_width(character)

    for name in BINDING_SITES:
        module = sys.modules.get(name)
        if module is not None:
            module.get_character_cell_size = get_character_cell_size  # type: ignore[attr-defined]
    rich.cells.load_cell_table = _table_without_emoji_widening
    # Rich's two memos of measured text; Textual keeps none that depends on widths.
    rich.cells.cached_cell_len.cache_clear()
    split_cells = getattr(rich.segment.Segment, "_split_cells", None)
    if hasattr(split_cells, "cache_clear"):
        split_cells.cache_clear()
