"""Rich and Textual measure cells exactly as the engine does once the model is installed.

These tests run in a fresh interpreter: the switch is process-wide, and the first one must
see every Rich and Textual module imported before it, as a real start-up does. If a Rich or
Textual upgrade adds a place that holds Rich's measure by name, or a measuring path that
goes around it, these fail and say where.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GURMUKHI = "ਕਿਤਾਬ ਪੜ੍ਹੀ"  # U+0A3F and U+0A3E are spacing marks (Mc): 0 cells to Rich, 1 to xterm

PROBE = """
import importlib, json, pkgutil, sys
import rich, textual

# Everything Rich and Textual would ever import, loaded before the switch.
for package in (rich, textual):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        try:
            importlib.import_module(info.name)
        except Exception:
            pass

import rich.cells
from rich.cells import cell_len, chop_cells, set_cell_size
from rich.segment import Segment
from rich.text import Text
from textual.content import Content
from textual.strip import Strip
from tui.text.width import get_width_model, text_width
from tui.widgets.cells import use_width_model

original = rich.cells.get_character_cell_size
text = sys.argv[1]
before = cell_len(text)
report = {"before": before, "models": {}}
for name in sys.argv[2:]:
    model = get_width_model(name)
    use_width_model(model)
    installed = rich.cells.get_character_cell_size
    stale = sorted(
        module_name
        for module_name, module in list(sys.modules.items())
        if module_name.split(".")[0] in ("rich", "textual")
        and getattr(module, "__dict__", {}).get("get_character_cell_size", installed) is not installed
    )
    strip = Strip([Segment(text)])
    report["models"][name] = {
        "model": text_width(text, model),
        "cell_len": cell_len(text),
        "Text.cell_len": Text(text).cell_len,
        "Segment.cell_length": Segment(text).cell_length,
        "Strip.cell_length": strip.cell_length,
        "Strip.crop": sum(s.cell_length for s in strip.crop(0, 4)._segments),
        "Content.cell_length": Content(text).cell_length,
        "set_cell_size": cell_len(set_cell_size(text, 4)),
        "chop_cells": [cell_len(part) for part in chop_cells(text, 4)],
        "Segment.split_cells": [s.cell_length for s in Segment(text).split_cells(3)],
        "stale": stale,
        "original_still_used": original is installed,
    }
print(json.dumps(report))
"""


def measure(*models: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, GURMUKHI, *models], cwd=REPO, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])  # importing every module may print


def test_every_measuring_path_uses_the_model_after_each_switch():
    report = measure("xterm", "kitty", "xterm")
    assert report["before"] == 7, "Rich alone counts the spacing vowel signs as 0 cells"
    expected = {"xterm": 10, "kitty": 7}
    for name, seen in report["models"].items():
        total = expected[name]
        assert seen["model"] == total
        assert not seen["stale"], f"still bound to an old measure: {seen['stale']}"
        assert not seen["original_still_used"]
        for path in ("cell_len", "Text.cell_len", "Segment.cell_length", "Strip.cell_length", "Content.cell_length"):
            assert seen[path] == total, (name, path, seen[path])
        assert seen["Strip.crop"] == 4, (name, seen)
        assert seen["set_cell_size"] == 4, (name, seen)
        assert sum(seen["chop_cells"]) == total and max(seen["chop_cells"]) <= 4, (name, seen)
        assert sum(seen["Segment.split_cells"]) == total and seen["Segment.split_cells"][0] <= 3, (name, seen)


def test_the_model_reaches_rich_on_every_gurmukhi_row_of_the_seed():
    code = """
from rich.cells import cell_len
from tui.text.layout import LayoutOptions, layout_paragraph
from tui.text.width import get_width_model
from tui.widgets.cells import use_width_model
import sys
model = get_width_model(sys.argv[2])
use_width_model(model)
text = open(sys.argv[1], encoding="utf-8").read()
rows = [row for line in text.split("\\n") for row in layout_paragraph(line, 80, LayoutOptions(width_model=model))]
print(len(rows), sum(1 for row in rows if cell_len(row.text()) != sum(row.widths)))
"""
    seed = next((REPO / "assets" / "seeds").glob("000_*.txt"))
    for name in ("xterm", "kitty"):
        out = subprocess.run(
            [sys.executable, "-c", code, str(seed), name], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.split()
        rows, mismatched = map(int, out)
        assert rows > 50 and mismatched == 0, (name, rows, mismatched)
