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

The per-code-point answers are read from :mod:`tui.text.width_tables`, ranges generated
from wcwidth by running this module (``python -m tui.text.width >
tui/text/width_tables.py``): importing wcwidth itself costs about as much as a tenth of a
bare Textual app's start. A test compares the tables with wcwidth over every code point.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from tui.text import width_tables

DEFAULT_WIDTH_MODEL = "xterm"

SPACING_MARKS = frozenset(
    chr(code) for low, high in zip(*width_tables.SPACING_MARK, strict=True) for code in range(low, high + 1)
)
"""General category Mc in the Unicode version of wcwidth's own tables."""


def _within(ranges: tuple[Sequence[int], Sequence[int]], code_point: int) -> bool:
    lows, highs = ranges
    i = bisect_right(lows, code_point) - 1
    return i >= 0 and code_point <= highs[i]


def _wcwidth(code_point: int) -> int:
    """wcwidth's ``wcwidth()`` for one code point, with its -1 counted 0 and Mc as 0."""
    if _within(width_tables.WIDE, code_point):
        return 2
    if _within(width_tables.ZERO, code_point) or _within(width_tables.SPACING_MARK, code_point):
        return 0
    return 1


class _WidthCache(dict[str, int]):
    """Per-model memo of code point widths; a miss computes and stores."""

    __slots__ = ("spacing_mark_width",)

    def __init__(self, spacing_mark_width: int) -> None:
        super().__init__()
        self.spacing_mark_width = spacing_mark_width

    def __missing__(self, ch: str) -> int:
        code_point = ord(ch)
        if _within(width_tables.SPACING_MARK, code_point):
            width = self.spacing_mark_width
        else:
            width = _wcwidth(code_point)
        self[ch] = width
        return width


class WidthModel:
    """A terminal family's cell widths, additive over code points.

    A plain class rather than a frozen dataclass, which would cost most of a millisecond
    to define at start-up; two models are equal when their name and rule are."""

    __slots__ = ("name", "spacing_mark_width", "_widths")

    def __init__(self, name: str, spacing_mark_width: int) -> None:
        self.name = name
        self.spacing_mark_width = spacing_mark_width
        self._widths = _WidthCache(spacing_mark_width)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WidthModel):
            return NotImplemented
        return (self.name, self.spacing_mark_width) == (other.name, other.spacing_mark_width)

    def __hash__(self) -> int:
        return hash((self.name, self.spacing_mark_width))

    def __repr__(self) -> str:
        return f"WidthModel(name={self.name!r}, spacing_mark_width={self.spacing_mark_width!r})"

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


def table_module_source() -> str:
    """The source of :mod:`tui.text.width_tables`, derived from wcwidth (imported only here)."""
    import wcwidth
    from wcwidth.table_mc import CATEGORY_MC

    version = wcwidth.list_versions()[-1]
    spacing = {code for low, high in CATEGORY_MC[version] for code in range(low, high + 1)}

    def ranges(wanted) -> str:
        lows: list[int] = []
        highs: list[int] = []
        for code in range(0x110000):
            if not wanted(code):
                continue
            if highs and highs[-1] == code - 1:
                highs[-1] = code
            else:
                lows.append(code)
                highs.append(code)

        def column(values: list[int]) -> str:
            rows = [", ".join(f"0x{v:X}" for v in values[i : i + 8]) for i in range(0, len(values), 8)]
            return "(\n" + "".join(f"        {row},\n" for row in rows) + "    )"

        return f"(\n    {column(lows)},\n    {column(highs)},\n)"

    widths = [max(wcwidth.wcwidth(chr(code)), 0) for code in range(0x110000)]
    return (
        f'"""Cell widths per code point from wcwidth {wcwidth.__version__} (Unicode {version}), as\n'
        "(lows, highs) range columns; generated by ``python -m tui.text.width``, do not edit.\n\n"
        "ZERO: no cell (marks, format characters, controls), spacing marks (Mc) left out;\n"
        "WIDE: two cells; SPACING_MARK: general category Mc, whose width depends on the model.\n"
        '"""\n\n'
        f"WCWIDTH_VERSION = {wcwidth.__version__!r}\n\n"
        f"ZERO = {ranges(lambda code: widths[code] == 0 and code not in spacing)}\n\n"
        f"WIDE = {ranges(lambda code: widths[code] == 2)}\n\n"
        f"SPACING_MARK = {ranges(spacing.__contains__)}\n"
    )


if __name__ == "__main__":
    print(table_module_source(), end="")
