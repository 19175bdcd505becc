"""describe() tells script, language and direction from a document's first bytes."""

from __future__ import annotations

import pytest

from tui.corpus.discover import CorpusError
from tui.corpus.metadata import (
    TITLE_MAX_CHARS,
    DocumentInfo,
    describe,
    direction_of,
    guess_script_and_language,
    script_of,
    title_of,
)
from tui.locations import seeds_dir

SEED_FACTS = [
    ("000", "Gurmukhi", "pa", "ltr", "ਡਰੈਗਨ ਦੀ ਭੱਠੀ: Alibaba ਚੀਨ ਦਾ AI ਭਵਿੱਖ ਕਿਵੇਂ ਘੜ ਰਿਹਾ ਹੈ"),
    ("001", "Arabic", "ar", "rtl", "التزام ضخم لتوسيع قدرات الذكاء الاصطناعي"),
    ("002", "Han", "zh-Hant", "ltr", "【鬥陣歡樂城官網】從互聯網到AI崛起,上海能彎道超車嗎?_LK娛樂城保證出款"),
    ("003", "Latin", "en", "ltr", "HOW CHINA'S TECH WILL BE INDISPENSIBLE FOR THE WORLD..."),
    ("004", "Latin", "en", "ltr", None),
]


@pytest.mark.parametrize("prefix, script, language, direction, title", SEED_FACTS, ids=[row[0] for row in SEED_FACTS])
def test_seeds_are_described(prefix, script, language, direction, title):
    (path,) = seeds_dir().glob(f"{prefix}_*.txt")
    info = describe(path)
    assert (info.script, info.language, info.direction) == (script, language, direction)
    assert info.size == path.stat().st_size
    assert (info.encoding, info.binary, info.words_estimated) == ("utf-8", False, False)
    assert info.words > 300
    if title is not None:
        assert info.title == title
    assert len(info.title) <= TITLE_MAX_CHARS


SAMPLES = [
    ("这个国家的经济发展很快，我们都说这是时代的变化。", "Han", "zh-Hans"),
    ("這個國家的經濟發展很快，我們都說這是時代的變化。", "Han", "zh-Hant"),
    ("中文文本", "Han", "zh"),
    ("これは日本語の文章です。漢字とかなで書きます。", "Japanese", "ja"),
    ("한국어 문장입니다", "Hangul", "ko"),
    ("Это русский текст", "Cyrillic", "und"),
    ("Le chat est sur la table avec une souris", "Latin", "und"),
    ("The cat is on the table with a mouse", "Latin", "en"),
    ("مرحبا بكم في المكتبة", "Arabic", "ar"),
    ("این یک کتاب خوب است", "Arabic", "fa"),
    ("یہ ایک اچھی کتاب ہے", "Arabic", "ur"),
    ("שלום עולם", "Hebrew", "he"),
    ("ਸਤਿ ਸ੍ਰੀ ਅਕਾਲ", "Gurmukhi", "pa"),
    ("hello مرحبا", "Mixed", "und"),
    ("1234 -- !!", "Unknown", "und"),
    ("", "Unknown", "und"),
]


@pytest.mark.parametrize("text, script, language", SAMPLES, ids=[row[2] + ":" + row[1] for row in SAMPLES])
def test_script_and_language_guesses(text, script, language):
    assert guess_script_and_language(text) == (script, language)


@pytest.mark.parametrize(
    "char, script",
    [("a", "Latin"), ("ß", "Latin"), ("Ａ", "Latin"), ("ب", "Arabic"), ("ﺏ", "Arabic"), ("ਕ", "Gurmukhi"),
     ("中", "Han"), ("𠀋", "Han"), ("ア", "Katakana"), ("ߊ", "Nko"), ("1", ""), ("\u0a3f", ""), (" ", "")],
)
def test_script_of_letters(char, script):
    assert script_of(char) == script


@pytest.mark.parametrize(
    "text, direction",
    [
        ("Hello مرحبا", "ltr"),
        ("مرحبا Hello", "rtl"),
        ("123 - مرحبا", "rtl"),
        ("2024\n\n« مرحبا »", "rtl"),
        ("\u2067abc\u2069 مرحبا", "rtl"),
        ("\u2066مرحبا\u2069 Hello", "ltr"),
        ("\u2067abc\u2069\nمرحبا", "rtl"),
        ("\u2066مرحبا\u2069\n\nHello", "ltr"),
        ("١٢٣\nHello", "ltr"),
        ("", "ltr"),
    ],
)
def test_direction_follows_the_first_strong_character(text, direction):
    assert direction_of(text) == direction


@pytest.mark.parametrize(
    "text, title",
    [
        ("\n  \n  Title here  \nbody", "Title here"),
        ("\x1b[2J\x1b]0;evil\x07Real title", "\x1b[2J\x1b]0;evil\x07Real title"),
        ("x" * 500, "x" * TITLE_MAX_CHARS),
        ("\n\n", ""),
    ],
)
def test_title_is_the_first_non_blank_line_controls_kept(text, title):
    assert title_of(text) == title


def test_big_file_is_described_from_its_head(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("ਸਤਿ ਸ੍ਰੀ ਅਕਾਲ, ਸਭ ਨੂੰ ਜੀ ਆਇਆਂ ਨੂੰ।\n" * 20_000, encoding="utf-8")
    info = describe(path, head_bytes=10_001)
    assert info.words_estimated and info.script == "Gurmukhi" and info.encoding == "utf-8"
    assert 8 * 20_000 * 0.97 < info.words < 8 * 20_000 * 1.03


def test_binary_file_is_flagged(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(range(256)) * 8)
    info = describe(path)
    assert isinstance(info, DocumentInfo)
    assert (info.binary, info.title, info.script, info.language) == (True, "blob.txt", "Unknown", "und")


def test_empty_file_is_titled_by_its_name(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    info = describe(path)
    assert (info.title, info.words, info.size, info.words_estimated) == ("empty.txt", 0, 0, False)


@pytest.mark.parametrize("kind, message", [("missing", "cannot read"), ("dangling link", "cannot read"),
                                           ("directory", "not a regular file")])
def test_unreadable_path_raises_corpus_error(tmp_path, kind, message):
    path = tmp_path / "x.txt"
    if kind == "dangling link":
        path.symlink_to(tmp_path / "nowhere")
    elif kind == "directory":
        path.mkdir()
    with pytest.raises(CorpusError, match=message):
        describe(path)
