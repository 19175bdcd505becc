"""Pictures of the reader: every seed at 100x30 and 60x20, and a tagged Arabic passage.

Review a changed picture (``pytest --snapshot-update`` writes it) before accepting it:
the SVG shows the cells exactly as the terminal receives them.
"""

from __future__ import annotations

import pytest

from tui.app import MarginApp
from tui.config import Config
from tui.locations import seeds_dir

FIXED_CONFIG = Config(width_model="xterm", bidi="app", theme="textual-dark", annotator="test")
SEEDS = sorted(seeds_dir().glob("*.txt"))


async def settled(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(100, 30), (60, 20)], ids=["100x30", "60x20"])
@pytest.mark.parametrize("seed", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_reader(snap_compare, seed, size):
    app = MarginApp(seed, FIXED_CONFIG, open_file=True)
    assert snap_compare(app, terminal_size=size, run_before=settled)


def test_reader_with_a_tagged_rtl_sentence_and_the_panel(snap_compare):
    app = MarginApp(SEEDS[1], FIXED_CONFIG, open_file=True)
    assert snap_compare(
        app,
        terminal_size=(100, 30),
        run_before=settled,
        press=["right_curly_bracket", "s", "1", "right_parenthesis", "s", "2", "a"],
    )
