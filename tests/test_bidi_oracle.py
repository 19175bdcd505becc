"""python-bidi as an independent oracle: Margin's visual order of one-row paragraphs must
equal ``bidi.get_display`` on random mixed text.

python-bidi 0.6 wraps Rust's unicode-bidi, a separate implementation of UAX #9. Its Rust
path does not mirror brackets, moves a newline to the front and puts a combining mark
before its base, where UAX #9's L3 option and Margin keep it after. So the alphabet has no
mirrored characters, no newlines and no marks, and no lam-alef pair (Margin shapes it into
one ligature cell). Margin's order is read from the row's maps, as the code points each
cell shows, so shaping does not enter the comparison.
"""

from __future__ import annotations

import unicodedata

import pytest
from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.text.layout import LayoutOptions, layout_paragraph

ALPHABET = (
    "abc XYZ"  # L
    "\u05d0\u05d1\u05d2"  # R: Hebrew
    "\u0628\u062a\u0633\u0645\u0627"  # AL: Arabic letters (no lam)
    "0189"  # EN
    "\u0660\u0661\u0669"  # AN: Arabic-Indic digits
    "\u06f1\u06f2"  # EN: extended Arabic-Indic digits
    "+-"  # ES
    ",.:/"  # CS
    "#$%\u00b0"  # ET
    "!?;\"'&*@_"  # ON, none mirrored
    " \u00a0"  # WS, CS
)
assert not any(unicodedata.mirrored(ch) or unicodedata.combining(ch) for ch in ALPHABET)

WIDE = 10_000
texts = st.text(alphabet=ALPHABET, min_size=1, max_size=60)


def margin_visual(text: str, base_level: int | None) -> str:
    (row,) = layout_paragraph(text, WIDE, LayoutOptions(base_level=base_level))
    return "".join(text[start:end] for start, end in zip(row.starts, row.ends))


@pytest.mark.parametrize(("base_level", "base_dir"), [(None, None), (0, "L"), (1, "R")])
@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_visual_order_matches_python_bidi(text, base_level, base_dir):
    assert margin_visual(text, base_level) == get_display(text, base_dir=base_dir)


def test_the_oracle_disagrees_with_a_wrong_order():
    """The comparison can fail: logical order is not what either side shows for mixed text."""
    text = "abc \u05d0\u05d1\u05d2 12"
    assert get_display(text) == margin_visual(text, None) != text
