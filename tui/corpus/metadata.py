"""What a document is, told from its first bytes: title, script, language, direction, size.

The corpus list shows every document before any is opened, so ``describe`` reads only a
head of each file and extrapolates the rest (saying so) rather than decoding a 100 MB file.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tui.corpus.discover import CorpusError
from tui.corpus.files import open_regular
from tui.corpus.names import display_name, display_path
from tui.text.bidi import analyse_paragraph, has_rtl
from tui.text.decode import decode
from tui.text.sentences import word_spans

TITLE_MAX_CHARS = 200
HEAD_BYTES = 65536
"""Bytes of a file read to describe it; words beyond are extrapolated from the size."""
MAJORITY_SHARE = 0.5
"""A script owns a document when more than this share of its letters are written in it."""
JAPANESE_KANA_SHARE = 0.1
"""Kana among the letters that make Han-and-kana text Japanese (ISO 15924 "Jpan"), not Chinese."""

_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "Latin"), (0x0061, 0x007A, "Latin"), (0x00AA, 0x00AA, "Latin"),
    (0x00BA, 0x00BA, "Latin"), (0x00C0, 0x02AF, "Latin"), (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"), (0x0530, 0x058F, "Armenian"), (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"), (0x0700, 0x074F, "Syriac"), (0x0750, 0x077F, "Arabic"),
    (0x0780, 0x07BF, "Thaana"), (0x0860, 0x08FF, "Arabic"), (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"), (0x0A00, 0x0A7F, "Gurmukhi"), (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"), (0x0B80, 0x0BFF, "Tamil"), (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"), (0x0D00, 0x0D7F, "Malayalam"), (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"), (0x0E80, 0x0EFF, "Lao"), (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"), (0x10A0, 0x10FF, "Georgian"), (0x1100, 0x11FF, "Hangul"),
    (0x1200, 0x139F, "Ethiopic"), (0x1780, 0x17FF, "Khmer"), (0x1C80, 0x1C8F, "Cyrillic"),
    (0x1E00, 0x1EFF, "Latin"), (0x1F00, 0x1FFF, "Greek"), (0x2C60, 0x2C7F, "Latin"),
    (0x2D00, 0x2D2F, "Georgian"), (0x2DE0, 0x2DFF, "Cyrillic"), (0x2E80, 0x2FDF, "Han"),
    (0x3005, 0x3007, "Han"), (0x3021, 0x3029, "Han"), (0x3038, 0x303B, "Han"),
    (0x3040, 0x309F, "Hiragana"), (0x30A0, 0x30FF, "Katakana"), (0x3100, 0x312F, "Bopomofo"),
    (0x3130, 0x318F, "Hangul"), (0x31A0, 0x31BF, "Bopomofo"), (0x31F0, 0x31FF, "Katakana"),
    (0x3400, 0x4DBF, "Han"), (0x4E00, 0x9FFF, "Han"), (0xA640, 0xA69F, "Cyrillic"),
    (0xA720, 0xA7FF, "Latin"), (0xA8E0, 0xA8FF, "Devanagari"), (0xAB30, 0xAB6F, "Latin"),
    (0xAC00, 0xD7AF, "Hangul"), (0xF900, 0xFAFF, "Han"), (0xFB00, 0xFB06, "Latin"),
    (0xFB1D, 0xFB4F, "Hebrew"), (0xFB50, 0xFDFF, "Arabic"), (0xFE70, 0xFEFF, "Arabic"),
    (0xFF21, 0xFF3A, "Latin"), (0xFF41, 0xFF5A, "Latin"), (0xFF66, 0xFF9F, "Katakana"),
    (0xFFA0, 0xFFDC, "Hangul"), (0x20000, 0x323AF, "Han"),
)
_RANGE_STARTS = [start for start, _end, _script in _SCRIPT_RANGES]

_LANGUAGE_OF_SCRIPT = {
    "Gurmukhi": "pa", "Hangul": "ko", "Hiragana": "ja", "Katakana": "ja", "Thai": "th",
    "Greek": "el", "Hebrew": "he", "Georgian": "ka", "Armenian": "hy", "Bengali": "bn",
    "Devanagari": "hi", "Gujarati": "gu", "Oriya": "or", "Tamil": "ta", "Telugu": "te",
    "Kannada": "kn", "Malayalam": "ml", "Sinhala": "si", "Khmer": "km", "Lao": "lo",
    "Myanmar": "my", "Tibetan": "bo", "Thaana": "dv",
}

TRADITIONAL_ONLY = frozenset(
    "這個們來對說時會國為學發經過還與麼開關點體實現種當問題頭無員業東車電長門見話語樣興網聯華產動從進"
    "讓認優應們專際嗎說號寫區歲"
)
SIMPLIFIED_ONLY = frozenset(
    "这个们来对说时会国为学发经过还与么开关点体实现种当问题头无员业东车电长门见话语样兴网联华产动从进"
    "让认优应专际吗号写区岁"
)
"""Common characters written differently in the two standards (neither appears in the
other's running text), enough to tell the variants apart in a few hundred characters."""

PERSIAN_LETTERS = frozenset("\u06cc\u06a9")  # FARSI YEH, KEHEH: Persian and Urdu spellings
ARABIC_LETTERS = frozenset("\u064a\u0643\u0629")  # YEH, KAF, TEH MARBUTA: Arabic spellings
URDU_LETTERS = frozenset("\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2")

ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in is that it for was on are with as this be by at have from not but "
    "or which an they has were will their can we he she you been".split()
)
ENGLISH_SHARE = 0.12
"""Share of Latin words that must be English function words (about 40% in English prose)."""

LEFT_TO_RIGHT_MARK = "\u200e"
RIGHT_TO_LEFT_MARK = "\u200f"

_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """One row of the corpus list; ``words`` is an estimate when ``words_estimated``."""

    path: Path
    title: str
    script: str
    language: str
    direction: str
    size: int
    words: int
    encoding: str
    binary: bool
    words_estimated: bool


def describe(path: Path, head_bytes: int = HEAD_BYTES) -> DocumentInfo:
    """Metadata from at most ``head_bytes`` of ``path``; raises CorpusError if unreadable."""
    try:
        with open_regular(path) as stream:
            size = os.fstat(stream.fileno()).st_size
            head = stream.read(head_bytes)
    except OSError as error:
        raise CorpusError(f"cannot read {display_path(path)}: {error.strerror or error}") from error
    truncated = len(head) < size
    if truncated:
        head = _whole_characters(head)
    decoded = decode(head)
    text = decoded.text
    words = len(word_spans(text))
    if truncated and head:
        words = round(words * size / len(head))
    script, language = ("Unknown", "und") if decoded.binary else guess_script_and_language(text)
    return DocumentInfo(
        path=path,
        title=display_name(path) if decoded.binary else title_of(text) or display_name(path),
        script=script,
        language=language,
        direction="ltr" if decoded.binary else direction_of(text),
        size=size,
        words=words,
        encoding=decoded.encoding,
        binary=decoded.binary,
        words_estimated=truncated,
    )


def title_of(text: str) -> str:
    """The first non-blank line, spaces collapsed.

    Control characters stay: every place that shows a title draws them as their pictures,
    as the reader does, so the library and the reader show the same title."""
    for line in text.split("\n"):
        title = " ".join(line.split())
        if title:
            return title[:TITLE_MAX_CHARS]
    return ""


def guess_script_and_language(text: str) -> tuple[str, str]:
    """The majority script of the letters and a BCP-47 guess of the language written in it."""
    letters = Counter()
    for char, count in Counter(text).items():
        script = script_of(char)
        if script:
            letters[script] += count
    total = sum(letters.values())
    if not total:
        return "Unknown", "und"
    script, count = letters.most_common(1)[0]
    kana = letters["Hiragana"] + letters["Katakana"]
    if kana >= total * JAPANESE_KANA_SHARE and kana + letters["Han"] > total * MAJORITY_SHARE:
        return "Japanese", "ja"
    if count <= total * MAJORITY_SHARE:
        return "Mixed", "und"
    if script == "Han":
        return script, _chinese_variant(text)
    if script == "Arabic":
        return script, _arabic_script_language(text)
    if script == "Latin":
        return script, "en" if _looks_english(text) else "und"
    return script, _LANGUAGE_OF_SCRIPT.get(script, "und")


@lru_cache(maxsize=8192)
def script_of(char: str) -> str:
    """The script of a letter (by block, else by its Unicode name), or "" for a non-letter."""
    if not unicodedata.category(char).startswith("L") and char != "\u3007":
        return ""
    code = ord(char)
    index = bisect_right(_RANGE_STARTS, code) - 1
    if index >= 0:
        start, end, script = _SCRIPT_RANGES[index]
        if start <= code <= end:
            return script
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0].title() if name else "Unknown"


def direction_of(text: str) -> str:
    """"rtl" when the first strong character of the text (rules P2-P3) is right-to-left.

    A paragraph with no strong character outside isolates says nothing, so the next one
    decides: a trailing LRM or RLM tells "first strong is R" and "first strong is L" apart
    from "none".
    """
    if not has_rtl(text):
        return "ltr"
    for line in text.split("\n"):
        if analyse_paragraph(line + LEFT_TO_RIGHT_MARK).base_level == 1:
            return "rtl"
        if analyse_paragraph(line + RIGHT_TO_LEFT_MARK).base_level == 0:
            return "ltr"
    return "ltr"


def _chinese_variant(text: str) -> str:
    traditional = sum(1 for char in text if char in TRADITIONAL_ONLY)
    simplified = sum(1 for char in text if char in SIMPLIFIED_ONLY)
    if traditional > simplified:
        return "zh-Hant"
    if simplified > traditional:
        return "zh-Hans"
    return "zh"


def _arabic_script_language(text: str) -> str:
    persian = sum(1 for char in text if char in PERSIAN_LETTERS)
    arabic = sum(1 for char in text if char in ARABIC_LETTERS)
    if persian <= arabic:
        return "ar"
    return "ur" if any(char in URDU_LETTERS for char in text) else "fa"


def _looks_english(text: str) -> bool:
    words = [word.lower() for word in _LATIN_WORD.findall(text)]
    if not words:
        return False
    common = sum(1 for word in words if word in ENGLISH_FUNCTION_WORDS)
    return common >= len(words) * ENGLISH_SHARE


def _whole_characters(head: bytes) -> bytes:
    """Drop a character cut in half by the end of the head, so the sniff sees clean text."""
    if b"\x00" in head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) - len(head) % 4]
    pending = codecs.getincrementaldecoder("utf-8")("replace")
    pending.decode(head, final=False)
    buffered, _flag = pending.getstate()
    return head[: len(head) - len(buffered)]
