"""Bytes to logical text: the one place where an encoding is guessed.

The order is fixed so the same bytes always give the same text: an explicit
encoding; a byte order mark; BOM-less UTF-32/UTF-16 (claimed only when NULs sit
where those encodings put them and the result reads as text, before the NULs
make the file look binary); strict UTF-8; UTF-8 that
is mostly valid (a few damaged bytes do not make a file legacy-encoded);
charset-normalizer's guess among legacy encodings; UTF-8 with replacement
characters. Decoding never fails on data: invalid bytes become U+FFFD and are
counted.
"""

from __future__ import annotations

import codecs
import encodings
import encodings.aliases
import pkgutil
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

SAMPLE_SIZE = 1 << 16
"""Bytes inspected for the binary and BOM-less UTF-16/32 heuristics."""

DETECTION_SIZE = 1 << 20
"""Bytes handed to charset-normalizer; larger files are judged by their beginning."""

BINARY_CONTROL_SHARE = 0.05
"""Share of stray C0 controls above which data is called binary.

TAB, LF, VT, FF, CR, BEL, BS and ESC are not counted: terminal logs and
overstruck manual pages use them. Random bytes have about 9% of the rest."""

MIN_VALID_PER_INVALID = 4
"""Valid UTF-8 multibyte characters needed per invalid sequence to stay UTF-8.

Legacy Chinese and Arabic text read as UTF-8 gives fewer than 0.3 valid
sequences per invalid one."""

MIN_WIDE_NULS = 4
"""NUL bytes a sample needs before BOM-less UTF-16/32 is considered at all."""

WIDE_NUL_SHARE = 0.7
"""Share of 16-bit units with a NUL high byte that BOM-less UTF-16 needs when the same
bytes also read as 8-bit text. UTF-16 of English or other Latin text has over 95%; ASCII
with a few stray NULs has a few percent."""

MAX_IMPLAUSIBLE_SHARE = 0.01
"""Share of unassigned, private-use or surrogate characters a plausible decoding may hold."""

MAX_BYTE_SHARE = 0.3
"""Most any one byte value may make up of 8-bit text."""

_IMPLAUSIBLE_CATEGORIES = frozenset({"Cn", "Co", "Cs"})

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
"""(mark, codec for the rest, encoding reported); UTF-32 LE before UTF-16 LE, its prefix."""

_BOM_CONSUMING = frozenset({"utf-8-sig", "utf-16", "utf-32"})
"""Codecs that drop the byte order mark themselves."""

_WIDE_UNICODE = (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2))

_STRAY_CONTROLS = bytes(
    code for code in range(0x20) if code not in b"\t\n\x0b\x0c\r\x07\x08\x1b"
)

LEGACY_CANDIDATES = (
    "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1254", "iso8859_9", "cp1258",
    "cp1251", "koi8_r", "iso8859_5", "cp1253", "iso8859_7",
    "cp1256", "iso8859_6", "cp1255", "iso8859_8", "cp874",
    "gb18030", "big5", "cp950", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949",
)
"""Encodings detection chooses from: the Windows and ISO 8859 code pages and the East
Asian multibyte encodings that text files are actually found in. Without the list,
short Latin text came out as EBCDIC, DOS or Urdu code pages. The Baltic pages are
left out because charset-normalizer rated Windows-1257 above Windows-1252 for
German, French and Spanish text; such files need an explicit encoding."""

PREFERRED = ("cp1252", "gb18030", "big5", "cp1256", "iso8859-6")
"""Taken, in this order, when detection rates several encodings equally: Windows-1252
is what "Latin-1" files nearly always are (and it reads ISO-8859-1 text the same),
the others are the legacy encodings of Margin's Chinese and Arabic readers."""

_TIE = 0.01

_BIG5_FAMILY: dict[str, tuple[str, ...]] = {
    "big5": ("big5", "cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
}
"""Codecs tried in turn for detected Big5; the first that decodes strictly wins, since
Windows and Hong Kong Big5 extend the plain table. (GB18030 already contains GBK.)"""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Logical text and how it was obtained from the bytes."""

    text: str
    encoding: str
    bom: bool
    binary: bool
    replacements: int


class NotATextEncoding(LookupError):
    """A codec name that is unknown, or names a codec that does not turn bytes into text."""


NOT_FILE_ENCODINGS = frozenset(
    {"idna", "punycode", "undefined", "charmap", "unicode-escape", "raw-unicode-escape"}
)
"""Codecs Python files among text encodings that no text file is written in: they fail on
ordinary bytes (idna, punycode, undefined), map nothing (charmap), or read backslash
escapes rather than characters."""

_PROBE = bytes(range(256))


@lru_cache(maxsize=256)
def text_encoding(name: str) -> str:
    """The canonical name of the text encoding ``name``, or NotATextEncoding saying why not.

    Only codecs that decode any bytes to str are accepted, so a name typed by a user can
    never reach a bytes-to-bytes codec (base64, zip, rot13) or one that raises on data.
    """
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, ValueError):
        raise NotATextEncoding(f"unknown encoding: {name}") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_FILE_ENCODINGS:
        raise NotATextEncoding(f"not a text encoding: {name}")
    try:
        probe = _PROBE.decode(info.name, "replace")
    except (UnicodeError, LookupError, ValueError, TypeError):
        raise NotATextEncoding(f"not a text encoding: {name}") from None
    if not isinstance(probe, str):
        raise NotATextEncoding(f"not a text encoding: {name}")
    return _canonical(info.name)


@lru_cache(maxsize=1)
def text_encodings() -> tuple[str, ...]:
    """Every encoding :func:`text_encoding` accepts, by canonical name, sorted (for completion)."""
    names = set(encodings.aliases.aliases.values())
    names.update(module.name for module in pkgutil.iter_modules(encodings.__path__))
    accepted = set()
    for name in names:
        try:
            accepted.add(text_encoding(name))
        except NotATextEncoding:
            continue
    return tuple(sorted(accepted))


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so a paragraph ends with exactly one character."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode ``data``, with ``encoding`` if given (a name :func:`text_encoding` refuses
    raises NotATextEncoding, a LookupError)."""
    if encoding is not None:
        return _decode_as(data, encoding)
    for mark, codec, reported in _BOMS:
        if data.startswith(mark):
            return _decoded(data[len(mark) :], codec, reported, binary=False, bom=True)
    sample = data[:SAMPLE_SIZE]
    if b"\x00" in sample:
        wide = _bomless_wide_unicode(sample)
        if wide is not None:
            return _decoded(data, wide, wide, binary=False)
    binary = _looks_binary(sample)
    try:
        return Decoded(normalise_newlines(data.decode("utf-8")), "utf-8", False, binary, 0)
    except UnicodeDecodeError:
        pass
    if binary or _mostly_utf8(data):
        return _decoded(data, "utf-8", "utf-8", binary=binary)
    codec = _detect_legacy(data)
    return _decoded(data, codec, _canonical(codec), binary=False)


def _decoded(data: bytes, codec: str, reported: str, *, binary: bool, bom: bool = False) -> Decoded:
    text = data.decode(codec, "replace")
    replacements = 0
    if "\ufffd" in text:
        replacements = len(text) - len(data.decode(codec, "ignore"))
    return Decoded(normalise_newlines(text), reported, bom, binary, replacements)


def _decode_as(data: bytes, encoding: str) -> Decoded:
    """Decode with the caller's encoding; its byte order mark, if any, is still dropped."""
    codec = codecs.lookup(text_encoding(encoding)).name
    binary = not codec.startswith(("utf-16", "utf-32")) and _looks_binary(data[:SAMPLE_SIZE])
    decoded = _decoded(data, codec, _canonical(encoding), binary=binary)
    if codec in _BOM_CONSUMING and data.startswith(tuple(mark for mark, _, _ in _BOMS)):
        return replace(decoded, bom=True)
    if decoded.text.startswith("\ufeff"):
        return replace(decoded, text=decoded.text[1:], bom=True)
    return decoded


def _canonical(name: str) -> str:
    """Python's codec name, with ISO 8859 parts spelled as the standard spells them."""
    canonical = codecs.lookup(name).name
    if canonical.startswith("iso8859-"):
        return "iso-8859-" + canonical.removeprefix("iso8859-")
    return canonical


def _bomless_wide_unicode(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 without a BOM, claimed only on real evidence.

    A reading must decode strictly (paired surrogates, code points in range; a unit cut
    at the sample's end is allowed) into plausible text: no NUL character, few stray
    controls, almost nothing unassigned or private. A UTF-16 reading must also find its
    NULs where UTF-16 puts them, in the high byte of a unit more often than in the low
    one; and when the same bytes also read as 8-bit text (ASCII with a few stray NULs),
    most units must have that NUL. Of the readings left, the one with the most ASCII wins,
    which separates little from big endian.
    """
    if sample.count(0) < MIN_WIDE_NULS:
        return None
    reads_as_8bit = _reads_as_8bit_text(sample)
    best: tuple[int, str] | None = None
    for codec, unit in _WIDE_UNICODE:
        usable = sample[: len(sample) - len(sample) % unit]
        text = _strictly_decoded(usable, codec)
        if not text or not _plausible_text(text):
            continue
        if unit == 2:
            high, low = _nul_shares(usable, high_first=codec.endswith("be"))
            if high <= low or (reads_as_8bit and high < WIDE_NUL_SHARE):
                continue
        ascii_count = len(text.encode("ascii", "ignore"))
        if best is None or ascii_count > best[0]:
            best = (ascii_count, codec)
    return best[1] if best else None


def _strictly_decoded(data: bytes, codec: str) -> str | None:
    """``data`` decoded strictly, tolerating only a character cut by the end; else None."""
    try:
        return codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except UnicodeDecodeError:
        return None


def _plausible_text(text: str) -> bool:
    """Whether ``text`` looks written: no NUL, few stray controls, few unassigned or private
    characters (bytes misread as UTF-16 land all over the code space)."""
    if "\x00" in text or _stray_control_share(text) > BINARY_CONTROL_SHARE:
        return False
    odd = sum(
        count
        for char, count in Counter(text).items()
        if unicodedata.category(char) in _IMPLAUSIBLE_CATEGORIES
    )
    return odd <= MAX_IMPLAUSIBLE_SHARE * len(text)


def _nul_shares(data: bytes, *, high_first: bool) -> tuple[float, float]:
    """Shares of 16-bit units whose high byte, and whose low byte, is NUL."""
    units = len(data) // 2
    if not units:
        return 0.0, 0.0
    first = data[0::2].count(0) / units
    second = data[1::2].count(0) / units
    return (first, second) if high_first else (second, first)


def _reads_as_8bit_text(sample: bytes) -> bool:
    """Whether the bytes other than NUL read as ordinary 8-bit text: valid UTF-8, few
    stray controls, and no byte value dominating (UTF-16 of Arabic or Gurmukhi repeats
    its block's byte in every unit; the commonest byte of prose, space, is under 20%)."""
    rest = sample.replace(b"\x00", b"")
    if not rest or _strictly_decoded(rest, "utf-8") is None:
        return False
    if (len(rest) - len(rest.translate(None, _STRAY_CONTROLS))) > BINARY_CONTROL_SHARE * len(rest):
        return False
    return max(Counter(rest).values()) <= MAX_BYTE_SHARE * len(rest)


def _stray_control_share(text: str) -> float:
    strays = sum(text.count(chr(code)) for code in _STRAY_CONTROLS)
    return strays / len(text)


def _looks_binary(sample: bytes) -> bool:
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    strays = len(sample) - len(sample.translate(None, _STRAY_CONTROLS))
    return strays / len(sample) > BINARY_CONTROL_SHARE


def _mostly_utf8(data: bytes) -> bool:
    """Whether invalid sequences are rare among UTF-8 multibyte characters.

    A file cut inside its last character has one invalid sequence, at the end;
    one valid multibyte character before it is then enough.
    """
    replaced = data.decode("utf-8", "replace")
    invalid = len(replaced) - len(data.decode("utf-8", "ignore"))
    valid = len(replaced) - len(replaced.encode("ascii", "ignore")) - invalid
    if invalid == 1 and valid >= 1 and _cut_short_utf8(data):
        return True
    return valid >= MIN_VALID_PER_INVALID * invalid


def _cut_short_utf8(data: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _detection_sample(data: bytes) -> bytes:
    """A prefix ending at a line break, so no multibyte character is cut in half."""
    if len(data) <= DETECTION_SIZE:
        return data
    cut = data.rfind(b"\n", 0, DETECTION_SIZE)
    return data[: cut + 1] if cut > 0 else data[:DETECTION_SIZE]


def _detect_legacy(data: bytes) -> str:
    """The legacy codec charset-normalizer finds most plausible, or UTF-8 if none."""
    sample = _detection_sample(data)
    import charset_normalizer  # only for bytes that are not UTF-8: most files never need it

    matches = charset_normalizer.from_bytes(sample, cp_isolation=list(LEGACY_CANDIDATES))
    best = matches.best()
    if best is None:
        return "utf-8"
    tied = {
        codecs.lookup(name).name
        for match in matches
        if match.chaos <= best.chaos + _TIE and match.coherence >= best.coherence - _TIE
        for name in match.could_be_from_charset
    }
    codec = next((name for name in PREFERRED if name in tied), codecs.lookup(best.encoding).name)
    family = _BIG5_FAMILY.get(codec, (codec,))
    return next((name for name in family if _decodes_strictly(sample, name)), family[0])


def _decodes_strictly(sample: bytes, codec: str) -> bool:
    try:
        sample.decode(codec)
    except UnicodeDecodeError:
        return False
    return True
