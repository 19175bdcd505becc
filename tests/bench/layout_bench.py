"""Layout speed, Margin's engine beside the naive pipeline, on every seed.

Run: ``.venv/bin/python tests/bench/layout_bench.py``

For each seed it reports characters per second for a full layout at width 80 (analysis,
line breaking and row layout of every paragraph), then milliseconds for one 200x60 screen
taken from the middle of the document, cold (a new pager: no paragraph analysed yet; what
the process learnt from earlier screens — shaped words, glyphs, character tables — is
kept) and warm (a re-render after a scroll, as the reader does). "first" is the first such
screen of a fresh interpreter, which also loads ICU, the reshaper and the tables the text
needs, and "import" what importing the engine (layout and pager) costs there. The alternative in the same run is what a plain Textual app
does: Rich folds the text at 80 cells and python-bidi's ``get_display`` reorders each row —
no shaping map, no kinsoku, no cell maps, and wrong for right-to-left paragraphs.
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bidi import get_display  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.text import Text  # noqa: E402

from tui.corpus.document import MemorySource  # noqa: E402
from tui.corpus.metadata import describe  # noqa: E402
from tui.text.decode import decode  # noqa: E402
from tui.text.layout import LayoutOptions, analyse, break_rows, layout_row  # noqa: E402
from tui.text.pager import Pager  # noqa: E402

SEEDS = sorted((ROOT / "assets" / "seeds").glob("*.txt"))
REPEATS = 5
SCREENS = 21
"""Cold and warm screens are medians of this many: one screen takes milliseconds, and a
shared machine's speed drifts over seconds."""


def _full_layout(text: str, width: int) -> int:
    options = LayoutOptions()
    rows = 0
    start = 0
    for line in text.split("\n"):
        par = analyse(line, start, options)
        cuts = break_rows(par, width)
        for i in range(len(cuts) - 1):
            layout_row(par, cuts[i], cuts[i + 1], width, options)
            rows += 1
        start += len(line) + 1
    return rows


def _naive_layout(text: str, width: int) -> int:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    rows = 0
    for line in text.split("\n"):
        for row in Text(line).wrap(console, width):
            get_display(row.plain)
            rows += 1
    return rows


def _screen(text: str, cold: bool) -> float:
    source = MemorySource(text)
    pager = Pager(source, 200)
    top = pager.position_of(len(text) // 2)
    if not cold:
        pager.window(top, 60)
        top = pager.move(top, 1)
    t0 = time.perf_counter()
    pager.window(top, 60)
    return (time.perf_counter() - t0) * 1000


_FIRST_SCREEN = """
import json, sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from tui.text.pager import Pager
imported = time.perf_counter() - t0
from tui.corpus.document import MemorySource
from tui.text.decode import decode
text = decode(open({path!r}, "rb").read()).text
body = text
while len(body) < 40000:
    body += "\\n" + text
source = MemorySource(body)
pager = Pager(source, 200)
t0 = time.perf_counter()
pager.window(pager.position_of(len(body) // 2), 60)
first = time.perf_counter() - t0
print(json.dumps([imported * 1000, first * 1000]))
"""


def _fresh_process(path: Path) -> tuple[float, float]:
    """Import and first-screen milliseconds in a new interpreter (medians of three)."""
    runs = []
    for _ in range(3):
        script = _FIRST_SCREEN.format(root=str(ROOT), path=str(path))
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def _best(fn, *args) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    header = (
        f"{'seed':<28} {'script':<9} {'chars':>7} | {'Margin ch/s':>12} {'naive ch/s':>11} | "
        f"{'screen cold ms':>14} {'warm ms':>8} {'naive ms':>9} | {'first ms':>8} {'import ms':>9}"
    )
    print(header)
    print("-" * len(header))
    for path in SEEDS:
        text = decode(path.read_bytes()).text
        # A screen needs enough text; repeat short seeds so 200x60 is full.
        body = text
        while len(body) < 40000:
            body += "\n" + text
        info = describe(path)
        margin = len(text) / _best(_full_layout, text, 80)
        naive = len(text) / _best(_naive_layout, text, 80)
        cold = statistics.median(_screen(body, True) for _ in range(SCREENS))
        warm = statistics.median(_screen(body, False) for _ in range(SCREENS))
        mid = body[len(body) // 2 : len(body) // 2 + 12000]
        naive_screen = _best(_naive_layout, mid, 200) * 1000
        imported, first = _fresh_process(path)
        print(
            f"{path.name:<28} {info.script:<9} {len(text):>7} | {margin:>12,.0f} {naive:>11,.0f} | "
            f"{cold:>14.2f} {warm:>8.2f} {naive_screen:>9.2f} | {first:>8.2f} {imported:>9.2f}"
        )


if __name__ == "__main__":
    main()
