"""Golden rows of every seed at widths 40 and 80.

The right-to-left rows' expected text was produced by GNU FriBidi (see
``tests/data/make_golden.py``); the rest is Margin's own reviewed output. FriBidi leaves an
isolated letter in its nominal form (U+0621 HAMZA) where arabic-reshaper writes the
isolated presentation form (U+FE80); both draw the same glyph, so isolated forms are
compared as their letters — and nothing else is normalised.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from tui.text.decode import decode
from tui.text.layout import layout_paragraph

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden"
CASES = sorted(GOLDEN.glob("*.json"))


def _isolated_as_letters(text: str) -> str:
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 and "ISOLATED FORM" in unicodedata.name(ch, "") else ch)
    return "".join(out)


def test_every_seed_has_golden_rows_at_both_widths():
    seeds = sorted((ROOT / "assets" / "seeds").glob("*.txt"))
    assert len(CASES) == 2 * len(seeds) == 10


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_rows_match_golden(case: Path):
    seed, width = case.stem.rsplit(".w", 1)
    text = decode((ROOT / "assets" / "seeds" / f"{seed}.txt").read_bytes()).text
    expected = json.loads(case.read_text(encoding="utf-8"))
    got = []
    start = 0
    for line in text.split("\n"):
        for row in layout_paragraph(line, int(width), start=start):
            got.append({"start": row.start, "end": row.end, "rtl": row.rtl, "text": row.text().strip(" ")})
        start += len(line) + 1
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert (g["start"], g["end"], g["rtl"]) == (e["start"], e["end"], e["rtl"]), (g, e)
        assert _isolated_as_letters(g["text"]) == _isolated_as_letters(e["text"]), (
            f"row {g['start']}-{g['end']}\n got      {g['text']!r}\n expected {e['text']!r}"
        )


def test_arabic_rows_were_checked_against_fribidi():
    rows = json.loads((GOLDEN / "001_8fee35915be30630.w80.json").read_text(encoding="utf-8"))
    rtl = [r for r in rows if r["rtl"]]
    assert len(rtl) > 30
    # FriBidi output keeps U+0621 nominal: its presence proves the file did not come from Margin.
    assert any("\u0621" in r["text"] for r in rtl)
