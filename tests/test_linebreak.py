"""Line break opportunities: UAX #14 conformance, kinsoku, and each seed script."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from unicode_break_tests import break_cases

from tui.locations import seeds_dir
from tui.text.linebreak import (
    NO_LINE_END,
    NO_LINE_START,
    line_break_opportunities,
    uax14_breaks,
)

TEST_FILE = Path(__file__).parent / "data" / "LineBreakTest.txt"

_RULE_CHANGES: dict[str, tuple[int, ...]] = {
    "LB20a (Unicode 15.1): no break after a word-initial hyphen, HY × AL/HL": (
        2265, 2267, 2313, 2315, 2421, 2423, 2425, 2427, 2429, 2431,
    ),
    "LB25 (since Unicode 15.1): IS × NU keeps a number's leading separator, as in ',0' and 'a.2'": (
        2873, 2875, 7576, 7577, 7578, 7579, 7580, 7581, 7583, 7584, 7585, 7586, 7587,
    ),
    "LB15c (Unicode 15.1): SP ÷ IS NU, so 'equals .35' breaks before the '.' instead of after it": (
        7477,
    ),
    "LB15a/LB15b (Unicode 15.1): only an initial (Pi) quotation mark after a break or space,"
    " or a final (Pf) one before one, binds across spaces; U+0022 and a '«' after a letter do not": (
        4770, 4772, 4818, 4820, 7514, 7515, 7519, 7520,
    ),
    "LB21a (Unicode 15.1): HL (HY | BA) × [^HL], so a break is allowed before a second Hebrew letter": (
        7680,
    ),
}
"""LineBreakTest-15.0 lines whose expectations rules revised after 15.0 contradict; ICU 78
implements Unicode 17."""

EXCLUDED_LINES = {line: rule for rule, lines in _RULE_CHANGES.items() for line in lines}


def _conformance_cases() -> list[tuple[int, str, list[int]]]:
    return [(number, text, [o for o in breaks if o > 0]) for number, text, breaks in break_cases(TEST_FILE)]


def test_line_break_conformance() -> None:
    cases = _conformance_cases()
    failures = {
        number: (text, expected, uax14_breaks(text))
        for number, text, expected in cases
        if uax14_breaks(text) != expected
    }
    unexplained = {number: case for number, case in failures.items() if number not in EXCLUDED_LINES}
    passed = len(cases) - len(failures)
    print(f"LineBreakTest 15.0: {passed}/{len(cases)} pass ({passed / len(cases):.2%})")
    assert unexplained == {}
    assert set(EXCLUDED_LINES) <= set(failures), "an excluded line passes now: drop it"


def _seed(prefix: str) -> str:
    (path,) = seeds_dir().glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


CHINESE_FORBIDDEN_STARTS = "，。」：；？！、"


def test_chinese_seed_lines_never_start_with_closing_punctuation() -> None:
    for paragraph in _seed("002").split("\n"):
        for offset in line_break_opportunities(paragraph)[:-1]:
            assert paragraph[offset] not in CHINESE_FORBIDDEN_STARTS, paragraph[offset - 5 : offset + 5]
            assert paragraph[offset - 1] not in NO_LINE_END, paragraph[offset - 5 : offset + 5]


def test_chinese_seed_breaks_between_ideographs() -> None:
    paragraph = max(_seed("002").split("\n"), key=len)
    breaks = line_break_opportunities(paragraph)
    assert len(breaks) > len(paragraph) * 0.6


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_space_separated_scripts_break_after_spaces(prefix: str) -> None:
    for paragraph in _seed(prefix).split("\n"):
        if not paragraph:
            continue
        breaks = line_break_opportunities(paragraph)
        assert breaks[-1] == len(paragraph)
        inner = breaks[:-1]
        assert all(paragraph[offset - 1] in " -–—/" for offset in inner), paragraph
        words = paragraph.split(" ")
        spaces_followed_by_words = sum(1 for word in words[1:] if word and word[0].isalnum())
        after_space = sum(1 for offset in inner if paragraph[offset - 1] == " ")
        assert after_space >= spaces_followed_by_words


@pytest.mark.parametrize(
    ("text", "breaks"),
    [
        ("hello world", [6, 11]),
        ("ਪੰਜਾਬੀ ਭਾਸ਼ਾ ਹੈ।", [7, 13, 16]),
        ("مرحبا بالعالم", [6, 13]),
        ("中文。「你好」，謝謝", [1, 3, 5, 8, 9, 10]),
        ("中ぁ々ー", [4]),
        ("一\n、二", [2, 3, 4]),
        ("𠀋𠀋。", [1, 3]),
        ("", []),
    ],
)
def test_opportunities(text: str, breaks: list[int]) -> None:
    assert line_break_opportunities(text) == breaks


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("はい …そうです", 3),
        ("カード ッ", 4),
        ("他說 ”好”", 3),
        ("增長了一倍）％", 6),
    ],
)
def test_kinsoku_removes_breaks_that_icu_allows(text: str, offset: int) -> None:
    assert offset in uax14_breaks(text)
    assert offset not in line_break_opportunities(text)


_CJK = st.sampled_from("中文你好我是字、。，「」『』（）“”‘’ー々ぁっャ…！？ abc.,()\n")


@given(st.text(_CJK, max_size=40))
def test_opportunities_respect_kinsoku(text: str) -> None:
    breaks = line_break_opportunities(text)
    assert set(breaks) <= set(uax14_breaks(text))
    for offset in breaks:
        if offset < len(text) and text[offset - 1] != "\n":
            assert text[offset] not in NO_LINE_START
            assert text[offset - 1] not in NO_LINE_END
    if text:
        assert breaks[-1] == len(text)
        newline_breaks = {index + 1 for index, ch in enumerate(text) if ch == "\n"}
        assert newline_breaks <= set(breaks)
