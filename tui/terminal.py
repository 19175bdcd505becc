"""The terminal's own bidi handling, switched off while Margin draws reordered text.

ECMA-48 mode 8 is BDSM, the bi-directional support mode. Its reset state (``CSI 8 l``)
is the *explicit* mode of the Terminal Working Group's BiDi recommendation: the terminal
shows cells in the order they were written. VTE (GNOME Terminal and friends) honours it;
other terminals ignore an unknown mode. Margin already lays right-to-left text out in
visual order, so a terminal left in the default *implicit* mode (``CSI 8 h``) would
reorder it a second time. Terminals without bidi support draw cells as written anyway.

In "terminal" mode Margin emits logical order and leaves the terminal alone.
"""

from __future__ import annotations

from dataclasses import dataclass

EXPLICIT_BIDI = "\x1b[8l"
"""BDSM reset: the terminal must not reorder what it is given."""
IMPLICIT_BIDI = "\x1b[8h"
"""BDSM set: the terminal's default, restored whenever Margin hands the terminal back."""


@dataclass(frozen=True, slots=True)
class BidiSequences:
    """What to write when Margin takes the terminal and when it gives it back."""

    take: str
    give_back: str


def bidi_sequences(mode: str) -> BidiSequences:
    """The sequences for a bidi mode: "app" (Margin reorders) or "terminal" (it does)."""
    if mode == "app":
        return BidiSequences(take=EXPLICIT_BIDI, give_back=IMPLICIT_BIDI)
    if mode == "terminal":
        return BidiSequences(take="", give_back="")
    raise ValueError(f"unknown bidi mode {mode!r}")
