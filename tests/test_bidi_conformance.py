"""Every line of BidiCharacterTest.txt (Unicode 15.0): paragraph level, levels, visual order.

Each case is one paragraph laid out as one line: L1 over the whole paragraph, then L2.
Levels of characters removed by X9 ('x' in the file) are not compared, and removed
characters are left out of the visual order, as the file prescribes.

No case is excluded: the 78 code points the file uses have the same Bidi_Class in
Python's Unicode 14.0 ``unicodedata`` as in the 15.0 data (checked against
DerivedBidiClass.txt 15.0).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import pytest
from visual_order import visual_order

from tui.text.bidi import analyse_paragraph, line_levels

DATA = Path(__file__).parent / "data" / "BidiCharacterTest.txt.gz"
DIRECTIONS = {"0": 0, "1": 1, "2": None}


@dataclass(frozen=True, slots=True)
class Case:
    line_number: int
    code_points: str
    base_level: int | None
    paragraph_level: int
    levels: tuple[str, ...]
    order: tuple[int, ...]

    @property
    def text(self) -> str:
        return "".join(chr(int(code, 16)) for code in self.code_points.split())


def _cases() -> list[Case]:
    cases = []
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        for line_number, line in enumerate(lines, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            code_points, direction, paragraph, levels, order = line.rstrip("\n").split(";")
            cases.append(
                Case(
                    line_number,
                    code_points,
                    DIRECTIONS[direction],
                    int(paragraph),
                    tuple(levels.split()),
                    tuple(int(index) for index in order.split()),
                )
            )
    return cases


def _outcome(case: Case) -> tuple[int, tuple[str, ...], tuple[int, ...]]:
    text = case.text
    par = analyse_paragraph(text, case.base_level)
    levels = line_levels(par, text, 0, len(text))
    written = tuple("x" if i in par.removed else str(level) for i, level in enumerate(levels))
    order = tuple(i for i in visual_order(levels) if i not in par.removed)
    return par.base_level, written, order


@pytest.mark.slow
def test_bidi_character_test_file(capsys):
    cases = _cases()
    failures = []
    for case in cases:
        got = _outcome(case)
        expected = (case.paragraph_level, case.levels, case.order)
        if got != expected:
            failures.append(
                f"line {case.line_number}: {case.code_points} (direction {case.base_level})\n"
                f"  expected level {expected[0]}, levels {' '.join(expected[1])},"
                f" order {' '.join(map(str, expected[2]))}\n"
                f"  got      level {got[0]}, levels {' '.join(got[1])},"
                f" order {' '.join(map(str, got[2]))}"
            )
    passed = len(cases) - len(failures)
    with capsys.disabled():
        print(
            f"\nBidiCharacterTest.txt: {passed}/{len(cases)} cases pass"
            f" ({100 * passed / len(cases):.3f}%), none excluded"
        )
    assert len(cases) > 90_000
    assert failures == [], "\n".join(failures[:50])
