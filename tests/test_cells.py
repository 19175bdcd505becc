"""Rich and Textual measure cells exactly as the engine does once the model is installed."""

from __future__ import annotations

import subprocess
import sys


def _measure(model: str) -> str:
    code = f"""
from rich.cells import cell_len
from textual.strip import Strip
from rich.segment import Segment
from tui.text.width import get_width_model
from tui.widgets.cells import use_width_model
from tui.text.layout import layout_paragraph, LayoutOptions
text = open("assets/seeds/000_2b95fd20893b1bf4.txt", encoding="utf-8").read().split("\\n")[4]
before = cell_len("ਕਿ")
model = get_width_model({model!r})
use_width_model(model)
rows = layout_paragraph(text, 80, LayoutOptions(width_model=model))
mismatch = sum(1 for r in rows if cell_len(r.text()) != sum(r.widths))
strip = Strip([Segment(rows[0].text())])
print(before, cell_len("ਕਿ"), mismatch, strip.cell_length == sum(rows[0].widths))
"""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def test_rich_counts_gurmukhi_spacing_vowels_as_the_terminal_does():
    before, after, mismatch, strip_ok = _measure("xterm")
    assert before == "1"  # Rich alone: U+0A3F is 0 cells
    assert after == "2"
    assert mismatch == "0"
    assert strip_ok == "True"


def test_the_narrow_model_reaches_rich_too():
    _before, after, mismatch, _ = _measure("kitty")
    assert after == "1"
    assert mismatch == "0"
