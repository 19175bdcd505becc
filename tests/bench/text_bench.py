"""Segmentation speed on every seed: Margin's boundaries beside ICU's alone.

Run: ``.venv/bin/python tests/bench/text_bench.py``

Characters per second, best of five, for grapheme clusters (``grapheme_boundaries``: ICU
plus the ASCII fast path and the Gurmukhi conjunct rule) and line break opportunities
(``line_break_opportunities``: ICU's UAX #14 plus kinsoku). The alternative in the same run
is ICU's answer converted to code points and nothing more (``icu_grapheme_boundaries``,
``uax14_breaks``), so the table shows what Margin's own rules cost on top.

A second table breaks each paragraph on its own, as layout does: the paragraphs that
:mod:`tui.text.simple_breaks` handles, by it and by ICU, and how many it leaves to ICU.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.text.graphemes import grapheme_boundaries, icu_grapheme_boundaries  # noqa: E402
from tui.text.linebreak import icu_breaks, line_break_opportunities, uax14_breaks  # noqa: E402
from tui.text.simple_breaks import simple_breaks  # noqa: E402

SEEDS = sorted((ROOT / "assets" / "seeds").glob("*.txt"))
REPEATS = 5


def chars_per_second(segment: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        began = time.perf_counter()
        segment(text)
        best = min(best, time.perf_counter() - began)
    return len(text) / best


def main() -> None:
    print(f"machine: nproc {os.cpu_count()}, Python {platform.python_version()}")
    header = (
        f"{'seed':<28} {'chars':>7} | {'graphemes ch/s':>15} {'ICU alone':>12} | "
        f"{'line breaks ch/s':>17} {'ICU alone':>12}"
    )
    print(header)
    print("-" * len(header))
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        print(
            f"{path.name:<28} {len(text):>7} | "
            f"{chars_per_second(grapheme_boundaries, text):>15,.0f} {chars_per_second(icu_grapheme_boundaries, text):>12,.0f} | "
            f"{chars_per_second(line_break_opportunities, text):>17,.0f} {chars_per_second(uax14_breaks, text):>12,.0f}"
        )

    print()
    header = f"{'seed':<28} {'paragraphs':>10} {'to ICU':>7} | {'shortcut us/par':>16} {'ICU us/par':>11}"
    print(header)
    print("-" * len(header))
    for path in SEEDS:
        paragraphs = [line for line in path.read_text(encoding="utf-8").split("\n") if line]
        handled = [line for line in paragraphs if simple_breaks(line) is not None]
        if not handled:
            print(f"{path.name:<28} {len(paragraphs):>10} {len(paragraphs):>7} |")
            continue
        per_paragraph = 1e6 / len(handled)
        print(
            f"{path.name:<28} {len(paragraphs):>10} {len(paragraphs) - len(handled):>7} | "
            f"{per_paragraph * seconds_for_all(simple_breaks, handled):>16,.1f} "
            f"{per_paragraph * seconds_for_all(icu_breaks, handled):>11,.1f}"
        )


def seconds_for_all(breaks: Callable[[str], object], paragraphs: list[str]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        began = time.perf_counter()
        for paragraph in paragraphs:
            breaks(paragraph)
        best = min(best, time.perf_counter() - began)
    return best


if __name__ == "__main__":
    main()
