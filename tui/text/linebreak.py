"""Where a paragraph may wrap: UAX #14 opportunities tightened by CJK kinsoku.

ICU's LineBreaker runs with locale "en@lb=strict". Strict is what Chinese and
Japanese typesetting call kinsoku: small kana, iteration marks and the prolonged
sound mark (line break class CJ) never start a line. Root and "en" already
default to strict in ICU 78 while "ja" defaults to normal, so the keyword is
spelled out to keep the choice independent of ICU's locale data. The rules do
not otherwise depend on language, which suits documents that mix scripts; "zh"
would only add optional breaks before `“` after `，` or `：` (12 in the
Chinese seed's 5,498 characters).

ICU still allows a few breaks that kinsoku rejects: after a space before `…`,
`ー`, a small kana or a closing `”` (UAX #14 breaks after any space), and before
a full-width `％` that follows closing punctuation. The sets below remove
those. Offsets are code points.
"""

from __future__ import annotations

from functools import cache
from itertools import repeat
from operator import itemgetter, sub
from typing import Any

from tui.text.simple_breaks import simple_breaks, simple_opportunities
from tui.text.utf16 import convert_offsets, without_surrogates

LINE_BREAK_LOCALE = "en@lb=strict"

NO_LINE_START = frozenset(
    "、。，．：；？！）」』】〕〉》”’・ー…‥ヽヾゝゞ々〻"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    ",.:;?!)]}"
    "）］｝，．：；？！％"
    "〗〙〛｠｣､｡･ｰﾞﾟ"
    "‼⁇⁈⁉"
)
"""Closing punctuation, small kana and marks that must not begin a line."""

NO_LINE_END = frozenset(
    "（「『【〔〈《“‘［｛([{"
    "〖〘〚｟｢"
)
"""Opening brackets and quotation marks that must not end a line."""

MANDATORY_BREAK_AFTER = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
"""Characters after which a line always ends, whatever follows (UAX #14 BK, CR, LF, NL)."""


@cache
def _line_breaking() -> tuple[Any, Any]:
    """ICU's line breaker and its locale, imported and parsed at the first paragraph that is
    broken into lines (a locale given as a string is parsed again on every call)."""
    from icu4py.breakers import LineBreaker
    from icu4py.locale import Locale

    return LineBreaker, Locale(LINE_BREAK_LOCALE)


def uax14_breaks(text: str) -> list[int]:
    """UAX #14 break opportunities: offsets where a line may start, ending with ``len(text)``.

    Plain text (letters, digits, marks, spaces, a few punctuation marks) is broken without
    ICU (:mod:`tui.text.simple_breaks`), everything else by ICU."""
    if not text:
        return []
    simple = simple_breaks(text)
    if simple is not None:
        return simple
    return icu_breaks(text)


def icu_breaks(text: str) -> list[int]:
    """ICU's break opportunities, as :func:`uax14_breaks` gives them."""
    if not text:
        return []
    breaker, locale = _line_breaking()
    segments = breaker(without_surrogates(text), locale).segments()
    return convert_offsets(text, map(itemgetter(1), segments))


def line_break_opportunities(text: str) -> list[int]:
    """UAX #14 opportunities minus those that break kinsoku; hard breaks always stay.

    Breaks found without ICU need no look at all unless a row starts before a separator
    (:func:`tui.text.simple_breaks.simple_opportunities`)."""
    simple = simple_opportunities(text)
    if simple is not None and not simple[1]:
        return simple[0]
    return kinsoku_kept(text, simple[0] if simple is not None else icu_breaks(text))


def kinsoku_kept(text: str, breaks: list[int]) -> list[int]:
    """``breaks`` (ending with ``len(text)``) without those that break kinsoku.

    The characters on both sides of every opportunity are picked out at once and checked
    as two sets; only when one of them is closing or opening punctuation is each offset
    looked at."""
    if len(breaks) < 2:
        return breaks
    inner = breaks[:-1]
    after = itemgetter(*inner)(text)
    before = itemgetter(*map(sub, inner, repeat(1)))(text)
    if NO_LINE_START.isdisjoint(after) and NO_LINE_END.isdisjoint(before):
        return breaks
    end = len(text)
    return [
        offset
        for offset in breaks
        if offset == end
        or text[offset - 1] in MANDATORY_BREAK_AFTER
        or (text[offset] not in NO_LINE_START and text[offset - 1] not in NO_LINE_END)
    ]
