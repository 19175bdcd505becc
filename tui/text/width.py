"""How many terminal cells a character takes: one model for layout, cursor and Textual.

Terminals disagree about spacing combining marks (general category Mc, such as
the Gurmukhi vowel signs U+0A3E, U+0A3F, U+0A40): xterm, tmux, VTE, konsole,
alacritty, iTerm2, ghostty and VS Code advance the cursor one cell for them,
kitty, foot, wezterm and mlterm none. A row measured with the wrong model
overflows or leaves gaps, so the model is chosen by name and everything that
measures text asks the same object.

Both models are wcwidth 0.9.4 per code point (Unicode 18.0 tables): East Asian
Wide and Fullwidth 2, nonspacing and enclosing marks, zero-width format
characters and Hangul medial/final jamo 0, everything else 1, with C0/C1
controls (wcwidth's -1) counted 0 because they are never drawn raw. wcwidth's
`wcwidth()` also gives Mc 0; only its string functions (`wcswidth`, `width`)
add a cell for an Mc after a base, so the "xterm" model makes Mc 1 per code
point. Widths stay additive over code points so that a per-character cell table
handed to Rich measures exactly what layout measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import wcwidth
from wcwidth.table_mc import CATEGORY_MC

DEFAULT_WIDTH_MODEL = "xterm"

SPACING_MARKS = frozenset(
    chr(code)
    for low, high in CATEGORY_MC[wcwidth.list_versions()[-1]]
    for code in range(low, high + 1)
)
"""General category Mc in the Unicode version of wcwidth's own tables."""


class _WidthCache(dict[str, int]):
    """Per-model memo of code point widths; a miss computes and stores."""

    __slots__ = ("spacing_mark_width",)

    def __init__(self, spacing_mark_width: int) -> None:
        super().__init__()
        self.spacing_mark_width = spacing_mark_width

    def __missing__(self, ch: str) -> int:
        if ch in SPACING_MARKS:
            width = self.spacing_mark_width
        else:
            width = max(wcwidth.wcwidth(ch), 0)
        self[ch] = width
        return width


@dataclass(frozen=True, slots=True)
class WidthModel:
    """A terminal family's cell widths, additive over code points."""

    name: str
    spacing_mark_width: int
    _widths: _WidthCache = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_widths", _WidthCache(self.spacing_mark_width))

    def char_width(self, ch: str) -> int:
        """Cells for one code point: 0, 1 or 2."""
        return self._widths[ch]

    def cluster_width(self, cluster: str) -> int:
        """Cells for a grapheme cluster: the sum of its code points' widths."""
        return sum(map(self._widths.__getitem__, cluster))


WIDTH_MODELS: dict[str, WidthModel] = {
    "xterm": WidthModel(name="xterm", spacing_mark_width=1),
    "kitty": WidthModel(name="kitty", spacing_mark_width=0),
}


def get_width_model(name: str) -> WidthModel:
    """The model called ``name``; unknown names are reported with the valid ones."""
    try:
        return WIDTH_MODELS[name]
    except KeyError:
        valid = ", ".join(sorted(WIDTH_MODELS))
        raise ValueError(f"unknown width model {name!r}; choose one of: {valid}") from None


def text_width(text: str, model: WidthModel) -> int:
    """Cells for a whole string under ``model``."""
    if text.isascii() and text.isprintable():
        return len(text)
    return model.cluster_width(text)
