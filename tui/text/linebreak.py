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

from icu4py.breakers import LineBreaker

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


def uax14_breaks(text: str) -> list[int]:
    """ICU's break opportunities: offsets where a line may start, ending with ``len(text)``."""
    if not text:
        return []
    segments = LineBreaker(without_surrogates(text), LINE_BREAK_LOCALE).segments()
    return convert_offsets(text, (end for _start, end in segments))


def line_break_opportunities(text: str) -> list[int]:
    """UAX #14 opportunities minus those that break kinsoku; hard breaks always stay."""
    breaks = uax14_breaks(text)
    if not breaks:
        return breaks
    end = len(text)
    return [
        offset
        for offset in breaks
        if offset == end
        or text[offset - 1] in MANDATORY_BREAK_AFTER
        or (text[offset] not in NO_LINE_START and text[offset - 1] not in NO_LINE_END)
    ]
