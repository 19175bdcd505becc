"""Visible stand-ins for characters a terminal would obey instead of drawing.

A document's ESC starts escape sequences that clear the screen or retitle the
window, C1 controls (U+0080..U+009F) are CSI, OSC and friends to terminals that
honour 8-bit controls, and U+2028/U+2029 may move the cursor. Each such code
point is replaced by exactly one single-cell symbol, so offsets and widths keep
a one-to-one relation with the text:

- C0 controls U+0000..U+001F except TAB: the Control Pictures U+2400..U+241F
  (ESC shows as `␛`); TAB is expanded by layout and never reaches this module;
- DEL: `␡` (U+2421);
- C1 controls: `␦` (U+2426 SYMBOL FOR SUBSTITUTE FORM TWO), since Unicode has
  no pictures for them;
- LINE SEPARATOR and PARAGRAPH SEPARATOR: `␤` (U+2424 SYMBOL FOR NEWLINE);
- lone surrogates, which cannot be encoded for output at all: U+FFFD.

Every stand-in is one cell in every width model (the Control Pictures are
East Asian Width neutral, so CJK terminals draw them narrow too).
"""

from __future__ import annotations

import re

TAB = "\t"
DEL_PICTURE = "\u2421"
C1_PICTURE = "\u2426"
SEPARATOR_PICTURE = "\u2424"
REPLACEMENT_CHARACTER = "\ufffd"

_SUBSTITUTES: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if chr(code) != TAB},
    0x7F: DEL_PICTURE,
    **{code: C1_PICTURE for code in range(0x80, 0xA0)},
    0x2028: SEPARATOR_PICTURE,
    0x2029: SEPARATOR_PICTURE,
    **{code: REPLACEMENT_CHARACTER for code in range(0xD800, 0xE000)},
}

_NEEDS_SUBSTITUTION = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def display_char(ch: str) -> str:
    """The character to draw for ``ch``: itself, or its visible stand-in."""
    return _SUBSTITUTES.get(ord(ch), ch)


def needs_substitution(text: str) -> bool:
    """Whether any character of ``text`` must be replaced before it reaches the terminal."""
    return _NEEDS_SUBSTITUTION.search(text) is not None


def display_text(text: str) -> str:
    """``text`` with every such character replaced; same length, same offsets."""
    if _NEEDS_SUBSTITUTION.search(text) is None:
        return text
    return text.translate(_SUBSTITUTES)
