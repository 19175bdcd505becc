"""Decoding: every input gives text, the same text every time, and the right encoding."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.locations import seeds_dir
from tui.text.controls import display_char, display_text, needs_substitution
from tui.text.decode import (
    Decoded,
    NotATextEncoding,
    decode,
    normalise_newlines,
    text_encoding,
    text_encodings,
)


def _seed(prefix: str) -> str:
    (path,) = seeds_dir().glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


PUNJABI = _seed("000")
ARABIC = _seed("001")
CHINESE = _seed("002")
ENGLISH = _seed("003")
ARABIC_IN_ISO_8859_6 = ARABIC.replace("“", '"').replace("”", '"')
"""ISO-8859-6 has no curly quotation marks, the only characters of the seed it lacks."""
LATIN = "Größere Änderungen, déjà vu, naïve façade, El niño comió piña. Ça va très bien."
WINDOWS_LATIN = "“Quoted” café — crème brûlée costs 5 € … Œuvre. "

ENCODED_CASES = [
    # (label, bytes, expected text, encoding, bom)
    ("utf-8", PUNJABI.encode("utf-8"), PUNJABI, "utf-8", False),
    ("utf-8 with BOM", codecs.BOM_UTF8 + ENGLISH.encode(), ENGLISH, "utf-8-sig", True),
    ("utf-16-le with BOM", codecs.BOM_UTF16_LE + CHINESE.encode("utf-16-le"), CHINESE, "utf-16-le", True),
    ("utf-16-be with BOM", codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), ARABIC, "utf-16-be", True),
    ("utf-32-le with BOM", codecs.BOM_UTF32_LE + PUNJABI.encode("utf-32-le"), PUNJABI, "utf-32-le", True),
    ("utf-32-be with BOM", codecs.BOM_UTF32_BE + CHINESE.encode("utf-32-be"), CHINESE, "utf-32-be", True),
    ("utf-16-le without BOM", PUNJABI.encode("utf-16-le"), PUNJABI, "utf-16-le", False),
    ("utf-16-be without BOM", ENGLISH.encode("utf-16-be"), ENGLISH, "utf-16-be", False),
    ("utf-32-le without BOM", ARABIC.encode("utf-32-le"), ARABIC, "utf-32-le", False),
    ("gb18030", CHINESE.encode("gb18030"), CHINESE, "gb18030", False),
    ("big5", CHINESE.encode("big5"), CHINESE, "big5", False),
    ("gb18030 paragraph", CHINESE[:300].encode("gb18030"), CHINESE[:300], "gb18030", False),
    ("big5 paragraph", CHINESE[:300].encode("big5"), CHINESE[:300], "big5", False),
    ("windows-1256", ARABIC.encode("cp1256"), ARABIC, "cp1256", False),
    ("iso-8859-6", ARABIC_IN_ISO_8859_6.encode("iso8859-6"), ARABIC_IN_ISO_8859_6, "iso-8859-6", False),
    ("windows-1256 paragraph", ARABIC[:200].encode("cp1256"), ARABIC[:200], "cp1256", False),
    ("iso-8859-6 paragraph", ARABIC[:200].encode("iso8859-6"), ARABIC[:200], "iso-8859-6", False),
    ("iso-8859-1", LATIN.encode("latin-1"), LATIN, "cp1252", False),
    ("windows-1252", WINDOWS_LATIN.encode("cp1252"), WINDOWS_LATIN, "cp1252", False),
    ("short iso-8859-1", "José".encode("latin-1"), "José", "cp1252", False),
    ("empty", b"", "", "utf-8", False),
]


@pytest.mark.parametrize(
    ("data", "text", "encoding", "bom"),
    [case[1:] for case in ENCODED_CASES],
    ids=[case[0] for case in ENCODED_CASES],
)
def test_encodings_are_recognised(data: bytes, text: str, encoding: str, bom: bool) -> None:
    decoded = decode(data)
    assert (decoded.encoding, decoded.bom, decoded.binary, decoded.replacements) == (
        encoding,
        bom,
        False,
        0,
    )
    assert decoded.text == text


INVALID_CASES = [
    # (label, bytes, expected text, replacements)
    ("stray bytes in utf-8", "ਕਿਤਾਬ ".encode() + b"\xff\xfe" + "中文。".encode(), "ਕਿਤਾਬ ��中文。", 2),
    ("truncated at end of file", "ਕਿਤਾਬ 中".encode()[:-1], "ਕਿਤਾਬ �", 1),
    ("lone continuation byte", "日本語 \x80 テキスト".encode().replace(b"\xc2\x80", b"\x80"), "日本語 � テキスト", 1),
    ("damaged seed", PUNJABI[:300].encode() + b"\xc3" + PUNJABI[300:].encode(), None, 1),
]


@pytest.mark.parametrize(
    ("data", "text", "replacements"),
    [case[1:] for case in INVALID_CASES],
    ids=[case[0] for case in INVALID_CASES],
)
def test_invalid_utf8_stays_utf8_with_counted_replacements(
    data: bytes, text: str | None, replacements: int
) -> None:
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.replacements == replacements
    assert decoded.text.count("\ufffd") == replacements
    if text is not None:
        assert decoded.text == text


def test_a_genuine_replacement_character_is_not_counted() -> None:
    decoded = decode("a\ufffdb ਕਿਤਾਬ ".encode() + b"\xff")
    assert (decoded.text, decoded.replacements) == ("a\ufffdb ਕਿਤਾਬ \ufffd", 1)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour"),
        (b"\r\r\n\n", "\n\n\n"),
        ("ਇੱਕ\r\nدو\r三".encode("utf-16"), "ਇੱਕ\nدو\n三"),
    ],
)
def test_line_ends_become_lf(data: bytes, text: str) -> None:
    assert decode(data).text == text


def test_normalise_newlines() -> None:
    assert normalise_newlines("a\r\nb\rc\n\r\n") == "a\nb\nc\n\n"


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,
        b"\x7fELF\x02\x01\x01\x00" + bytes(200) + b"text",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" * 20,
        bytes([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0E, 0x0F]) * 40 + b"some text",
    ],
    ids=["all bytes", "elf header", "zip header", "control soup"],
)
def test_binary_is_flagged(data: bytes) -> None:
    assert decode(data).binary


def test_explicit_encoding_is_used_with_replacement() -> None:
    data = CHINESE[:50].encode("big5") + b"\xff"
    decoded = decode(data, "big5")
    assert decoded.encoding == "big5"
    assert decoded.text == CHINESE[:50] + "\ufffd"
    assert decoded.replacements == 1


def test_explicit_encoding_reports_and_drops_the_bom() -> None:
    decoded = decode(codecs.BOM_UTF8 + b"abc", "utf-8")
    assert (decoded.text, decoded.bom) == ("abc", True)


ESCAPE_DOCUMENT = (
    "Title\x1b[2J\x1b[H\x1b]0;owned\x07 body \x1b[31mred\x1b[0m\n"
    "C1 CSI \x9b2J, NEL \x85, DEL \x7f, BS FF VT \x08\x0c\x0b, \u2028line\u2029para\tend\n"
)


def test_escape_sequences_never_reach_the_terminal_raw() -> None:
    decoded = decode(ESCAPE_DOCUMENT.encode("utf-8"))
    assert decoded.encoding == "utf-8"
    assert needs_substitution(decoded.text)
    drawn = "".join(display_char(ch) for ch in decoded.text)
    forbidden = [ch for ch in drawn if ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F]
    assert forbidden == ["\t"]
    assert not needs_substitution(drawn)
    assert display_text(decoded.text) == "".join(map(display_char, decoded.text))


@pytest.mark.parametrize(
    ("ch", "shown"),
    [
        ("\x1b", "\u241b"),
        ("\x00", "\u2400"),
        ("\x07", "\u2407"),
        ("\n", "\u240a"),
        ("\x7f", "\u2421"),
        ("\x9b", "\u2426"),
        ("\x85", "\u2426"),
        ("\u2028", "\u2424"),
        ("\u2029", "\u2424"),
        ("\ud800", "\ufffd"),
        ("\t", "\t"),
        ("a", "a"),
        ("ਕ", "ਕ"),
        ("\u200d", "\u200d"),
    ],
)
def test_display_char(ch: str, shown: str) -> None:
    assert display_char(ch) == shown


@given(st.binary(max_size=512))
def test_decode_never_raises_and_never_leaves_cr(data: bytes) -> None:
    decoded = decode(data)
    assert "\r" not in decoded.text
    assert decoded.replacements == decoded.text.count("\ufffd") - _genuine_replacements(data, decoded)
    assert decode(data) == decoded


def _genuine_replacements(data: bytes, decoded: Decoded) -> int:
    """U+FFFD characters that the bytes themselves encode under the chosen encoding."""
    codec = decoded.encoding
    return data.decode(codec, "ignore").count("\ufffd")


@given(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=200))
def test_utf8_text_round_trips(text: str) -> None:
    decoded = decode(text.encode("utf-8"))
    assert decoded.text == normalise_newlines(text.removeprefix("\ufeff"))
    assert decoded.replacements == 0


# -- BOM-less UTF-16/32: claimed on evidence, never on a few stray NULs -------------------

SEEDS = [PUNJABI, ARABIC, CHINESE, ENGLISH]
WIDE_CODECS = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]


@pytest.mark.parametrize(
    "data",
    [
        b"hello\0world\0\0 nul bytes here\nsecond line\0\n",
        b"\0\0\0\0plain ascii after four NULs\n",
        b"a\0b\0c\0d\0 and then a long line of ordinary text that follows the pairs\n",
        b"record\0" * 20,
        "مرحبا\0 بالعالم\0\0 نص\0".encode("cp1256"),
        "汽車代替馬車\0工廠\0\0代替\0".encode(),
        "汽車代替馬車\0工廠\0\0代替\0".encode("gb18030"),
    ],
    ids=["ascii", "leading-nuls", "pairs-then-ascii", "records", "cp1256", "utf-8-chinese", "gb18030"],
)
def test_stray_nuls_do_not_make_wide_unicode(data: bytes) -> None:
    assert not decode(data).encoding.startswith(("utf-16", "utf-32"))


@given(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=400),
    st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=40),
)
def test_ascii_with_nuls_is_never_wide_unicode(text: str, positions: list[int]) -> None:
    data = bytearray(text.encode("ascii"))
    for position in positions[: max(1, len(data) // 5)]:
        data.insert(min(position, len(data)), 0)
    assert not decode(bytes(data)).encoding.startswith(("utf-16", "utf-32"))


@pytest.mark.parametrize("codec", WIDE_CODECS)
@pytest.mark.parametrize("text", [*SEEDS, "hello world\n", "Short line.\nAnother.\n"], ids=["pa", "ar", "zh", "en", "hello", "lines"])
def test_bomless_wide_unicode_is_recognised(text: str, codec: str) -> None:
    decoded = decode(text.encode(codec))
    assert (decoded.encoding, decoded.text, decoded.bom) == (codec, text, False)


@given(st.sampled_from(SEEDS), st.integers(min_value=0, max_value=10_000), st.integers(200, 3000), st.sampled_from(WIDE_CODECS))
def test_slices_of_real_text_in_bomless_wide_unicode_are_recognised(text: str, start: int, size: int, codec: str) -> None:
    piece = text[start % len(text) :][:size].lstrip("\ufeff")
    if len(piece) < 200:
        return
    assert decode(piece.encode(codec)).encoding == codec


def test_invalid_surrogates_are_not_utf16() -> None:
    lone_high_surrogates = ("\0a" + "\ud800a").encode("utf-16-le", "surrogatepass") * 20
    assert not decode(lone_high_surrogates).encoding.startswith("utf-16")


# -- encodings a user may choose ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("UTF8", "utf-8"), ("latin-1", "iso-8859-1"), ("iso8859_6", "iso-8859-6"), ("Big5", "big5"),
     ("windows-1256", "cp1256"), (" gb18030 ", "gb18030"), ("utf_16", "utf-16")],
)
def test_text_encoding_names_canonically(name: str, canonical: str) -> None:
    assert text_encoding(name) == canonical


@pytest.mark.parametrize(
    "name",
    ["idna", "undefined", "punycode", "rot13", "rot_13", "base64", "zip", "zlib", "bz2", "hex",
     "uu", "quopri", "charmap", "unicode_escape", "raw_unicode_escape", "no-such-codec", "", "utf\0"],
)
def test_text_encoding_refuses_what_does_not_decode_bytes_to_text(name: str) -> None:
    with pytest.raises(NotATextEncoding):
        text_encoding(name)
    with pytest.raises(LookupError):
        decode(b"abc", name)


def test_supported_encodings_cover_the_common_ones_and_all_decode() -> None:
    names = text_encodings()
    assert {"utf-8", "utf-16", "gb18030", "big5", "cp1256", "iso-8859-6", "cp1252"} <= set(names)
    assert not {"idna", "undefined", "rot-13", "base64", "charmap"} & set(names)
    assert all(text_encoding(name) == name for name in names)


@given(st.binary(max_size=64), st.sampled_from(text_encodings()))
def test_every_supported_encoding_decodes_any_bytes(data: bytes, name: str) -> None:
    assert isinstance(decode(data, name).text, str)
