"""UTF-8 byte bookkeeping for a file indexed lazily: how many bytes a decoded piece came
from (invalid sequences included), where a sniffed head ends on a whole character, and
the byte order marks decoding dropped.
"""

from __future__ import annotations

import codecs

_REPLACEMENT_UTF8 = "\ufffd".encode()
_UTF8_CODECS = frozenset({"utf-8", "utf-8-sig"})


def is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name in _UTF8_CODECS


def removed_marks(head: bytes, decoded: str) -> int:
    """How many leading byte order marks decode() dropped, so the scan skips the same."""
    return _leading_marks(head.decode("utf-8", "replace")) - _leading_marks(decoded)


def _leading_marks(text: str) -> int:
    return len(text) - len(text.lstrip("\ufeff"))


def whole_utf8_characters(head: bytes) -> bytes:
    """``head`` without a UTF-8 sequence cut short by the end of the sniff."""
    pending = codecs.getincrementaldecoder("utf-8")("replace")
    pending.decode(head, final=False)
    buffered, _flag = pending.getstate()
    return head[: len(head) - len(buffered)]


def utf8_span(raw: bytes, offset: int, text: str) -> int:
    """How many bytes of ``raw`` from ``offset`` decode (with 'replace') to ``text``.

    Each U+FFFD is either the character itself (EF BF BD) or one maximal invalid subpart,
    whose length the strict decoder reports.
    """
    if "\ufffd" not in text:
        return len(text.encode())
    position = offset
    for number, segment in enumerate(text.split("\ufffd")):
        if number:
            position += _replacement_span(raw, position)
        position += len(segment.encode())
    return position - offset


def _replacement_span(raw: bytes, position: int) -> int:
    if raw.startswith(_REPLACEMENT_UTF8, position):
        return len(_REPLACEMENT_UTF8)
    try:
        raw[position : position + 4].decode()
    except UnicodeDecodeError as error:
        return error.end
    raise AssertionError("U+FFFD without an invalid byte sequence")
