"""Regenerate the golden rows of every seed at widths 40 and 80.

Run: ``.venv/bin/python tests/data/make_golden.py`` (needs ``fribidi`` from Debian's
libfribidi-bin). Row boundaries come from Margin's line breaker; the visual text of every
row that holds a right-to-left character comes from GNU FriBidi — an independent UAX #9
and shaping implementation — run on that row alone with the paragraph's direction
(``--nobreak --nopad --reordernsm``: L3 as Margin applies it), its U+FEFF ligature padding
removed. Rows without right-to-left text keep Margin's own output, reviewed by eye.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.text import bidi  # noqa: E402
from tui.text.decode import decode  # noqa: E402
from tui.text.layout import layout_paragraph  # noqa: E402

WIDTHS = (40, 80)
OUT = Path(__file__).resolve().parent / "golden"


def fribidi_rows(texts: list[str], rtl: bool) -> list[str]:
    """Reorder and shape each text as one line, all in one fribidi run."""
    if not texts:
        return []
    flag = "--rtl" if rtl else "--ltr"
    result = subprocess.run(
        ["fribidi", "--nobreak", "--nopad", "--reordernsm", flag],
        input="\n".join(texts) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return [line.replace("\ufeff", "") for line in result.stdout.split("\n")[: len(texts)]]


def golden(text: str, width: int) -> list[dict]:
    rows_out: list[dict] = []
    start = 0
    for line in text.split("\n"):
        rows = layout_paragraph(line, width, start=start)
        rtl_rows = [r for r in rows if bidi.has_rtl(text[r.start : r.end])]
        expected = dict(zip((r.start for r in rtl_rows), fribidi_rows([text[r.start : r.end] for r in rtl_rows], rows[0].rtl)))
        for row in rows:
            shown = expected.get(row.start, row.text())
            rows_out.append({"start": row.start, "end": row.end, "rtl": row.rtl, "text": shown.strip(" ")})
        start += len(line) + 1
    return rows_out


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for path in sorted((ROOT / "assets" / "seeds").glob("*.txt")):
        text = decode(path.read_bytes()).text
        for width in WIDTHS:
            target = OUT / f"{path.stem}.w{width}.json"
            target.write_text(json.dumps(golden(text, width), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
            print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
