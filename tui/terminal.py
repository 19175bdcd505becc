"""How the terminal treats right-to-left text and Indic vowel signs, and why Margin thinks so.

ECMA-48 mode 8 is BDSM, the bi-directional support mode. Its reset state (``CSI 8 l``)
is the *explicit* mode of the Terminal Working Group's BiDi recommendation: the terminal
shows cells in the order they were written. VTE (GNOME Terminal and friends) honours it;
other terminals ignore an unknown mode. Margin already lays right-to-left text out in
visual order, so a terminal left in the default *implicit* mode (``CSI 8 h``) would
reorder it a second time. Terminals without bidi support draw cells as written anyway.

Three ways of writing right-to-left text (bidi modes):

- ``app``: Margin shapes and reorders; the terminal draws cells as written.
- ``terminal``: Margin writes logical order and the terminal reorders and shapes each row
  (mlterm, Konsole). They ignore ``CSI 8 l``.
- ``kitty``: the terminal does not reorder, but shapes each run of non-blank cells with
  HarfBuzz, which draws a run of Arabic letters right to left. Margin places runs in visual
  order and writes each right-to-left run back to front, unshaped.

``auto`` (the default) picks one at start: a terminal that answers DECRQM 8 knows the bidi
modes (app mode plus ``CSI 8 l``); otherwise the environment names the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tui.terminal_probe import ProbeAnswers
from tui.text.layout import LayoutOptions
from tui.text.width import WidthModel

EXPLICIT_BIDI = "\x1b[8l"
"""BDSM reset: the terminal must not reorder what it is given."""
IMPLICIT_BIDI = "\x1b[8h"
"""BDSM set: the terminal's default, restored whenever Margin hands the terminal back."""

AUTO = "auto"
BIDI_WRITERS = ("app", "terminal", "kitty")
DEFAULT_BIDI = "app"
DEFAULT_WIDTH_MODEL = "xterm"

BROWSER_VARIABLE = "MARGIN_TERMINAL"
"""Set to ``xterm.js`` by whatever serves Margin to a browser: no probe, xterm.js's needs."""
BROWSER_TERMINAL = "xterm.js"

HIGHLIGHT_CAVEATS = {
    "terminal": "the terminal reorders rows itself, so Margin cannot know which cell shows "
    "which character: highlights, cursor and selection follow the characters, but a mouse "
    "click on right-to-left text may land on another character",
    "kitty": "inside a right-to-left word the terminal places the letters itself: "
    "highlights cover the right words but may be off by a letter inside a word",
}
"""What a bidi mode cannot promise about highlighting (the app mode is exact)."""


@dataclass(frozen=True, slots=True)
class BidiSequences:
    """What to write when Margin takes the terminal and when it gives it back."""

    take: str
    give_back: str


def bidi_sequences(mode: str) -> BidiSequences:
    """The sequences for a bidi mode (see the module docstring)."""
    if mode == "app":
        return BidiSequences(take=EXPLICIT_BIDI, give_back=IMPLICIT_BIDI)
    if mode in ("terminal", "kitty"):
        return BidiSequences(take="", give_back="")
    raise ValueError(f"unknown bidi mode {mode!r}")


def layout_options(mode: str, width_model: WidthModel) -> LayoutOptions:
    """How text is laid out for a bidi mode."""
    if mode not in BIDI_WRITERS:
        raise ValueError(f"unknown bidi mode {mode!r}")
    return LayoutOptions(width_model=width_model, reorder=mode != "terminal", terminal_shapes=mode == "kitty")


@dataclass(frozen=True, slots=True)
class TerminalReport:
    """The bidi mode and width model Margin uses, and the reason for each."""

    bidi: str = DEFAULT_BIDI
    bidi_reason: str = "the default"
    width_model: str = DEFAULT_WIDTH_MODEL
    width_reason: str = "the default"
    probe_seconds: float | None = None
    """How long asking the terminal took; None when it was not asked."""

    def describe(self) -> str:
        """A few plain lines for the help screen."""
        lines = [
            f"Bidi: {self.bidi} ({self.bidi_reason})",
            f"Widths: {self.width_model} ({self.width_reason})",
        ]
        if self.probe_seconds is not None:
            lines.append(f"Terminal asked in {self.probe_seconds * 1000:.0f} ms")
        if self.bidi in HIGHLIGHT_CAVEATS:
            lines.append(f"Note: {HIGHLIGHT_CAVEATS[self.bidi]}.")
        return "\n".join(lines)


def needs_probe(bidi: str, width_model: str, environ: Mapping[str, str]) -> tuple[bool, bool]:
    """Which questions are worth asking the terminal: (bidi, widths)."""
    if environ.get(BROWSER_VARIABLE) == BROWSER_TERMINAL:
        return False, False
    return bidi == AUTO, width_model == AUTO


def decide(
    bidi: str, width_model: str, answers: ProbeAnswers | None, environ: Mapping[str, str]
) -> TerminalReport:
    """Resolve ``auto`` settings from the terminal's answers and its environment."""
    chosen_bidi, bidi_reason = _decide_bidi(bidi, answers, environ)
    chosen_width, width_reason = _decide_width(width_model, answers, environ)
    return TerminalReport(
        bidi=chosen_bidi,
        bidi_reason=bidi_reason,
        width_model=chosen_width,
        width_reason=width_reason,
        probe_seconds=answers.seconds if answers is not None else None,
    )


def resolved(bidi: str, width_model: str) -> TerminalReport:
    """Settings taken as they are, ``auto`` meaning the defaults (no terminal to ask)."""
    return decide(bidi, width_model, None, {})


def _decide_bidi(bidi: str, answers: ProbeAnswers | None, environ: Mapping[str, str]) -> tuple[str, str]:
    if bidi != AUTO:
        return bidi, "chosen in the settings"
    if environ.get(BROWSER_VARIABLE) == BROWSER_TERMINAL:
        return "app", "in a browser: xterm.js has no bidi"
    if answers is not None and answers.bidi_mode in (1, 2, 3, 4):
        return "app", f"the terminal knows bidi mode 8 (DECRQM answered {answers.bidi_mode}); Margin sends CSI 8 l"
    term = environ.get("TERM", "")
    if environ.get("MLTERM") or term.startswith("mlterm"):
        return "terminal", "mlterm reorders right-to-left text itself"
    if environ.get("KONSOLE_VERSION"):
        return "terminal", "Konsole reorders right-to-left text itself"
    if term == "xterm-kitty" or environ.get("KITTY_WINDOW_ID"):
        return "kitty", "kitty shapes each run of letters itself"
    if answers is None:
        return DEFAULT_BIDI, "the default (no terminal to ask)"
    return "app", "the terminal does not reorder text"


def _decide_width(width_model: str, answers: ProbeAnswers | None, environ: Mapping[str, str]) -> tuple[str, str]:
    if width_model != AUTO:
        return width_model, "chosen in the settings"
    if environ.get(BROWSER_VARIABLE) == BROWSER_TERMINAL:
        return "xterm", "in a browser: xterm.js gives a spacing vowel sign one cell"
    if answers is None:
        return DEFAULT_WIDTH_MODEL, "the default (no terminal to ask)"
    cells, wide = answers.spacing_mark_cells, answers.wide_cells
    if cells is None or wide is None:
        term = environ.get("TERM", "")
        if term == "xterm-kitty" or environ.get("KITTY_WINDOW_ID") or environ.get("MLTERM") or term.startswith("mlterm"):
            return "kitty", "no cursor report in time; the environment names kitty or mlterm"
        return DEFAULT_WIDTH_MODEL, "the default (the terminal did not report its cursor in time)"
    if wide != 2:
        return DEFAULT_WIDTH_MODEL, f"the default (the terminal drew a wide character in {wide} cells)"
    if cells == 2:
        return "xterm", "the terminal gives a spacing vowel sign its own cell"
    if cells == 1:
        return "kitty", "the terminal draws a spacing vowel sign inside its consonant's cell"
    return DEFAULT_WIDTH_MODEL, f"the default (ਕਿ took {cells} cells)"
