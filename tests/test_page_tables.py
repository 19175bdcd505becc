"""Page tables answer per code point as a plain per-character lookup would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.text import page_tables
from tui.text.page_tables import PageTable, membership


def _value(code_point: int) -> int:
    """A byte that differs from page to page and within one, and is 0 on whole pages."""
    page = code_point >> 8
    if page % 3 == 0:
        return 0
    return (code_point * 7 + page) % 5


TABLE = PageTable(lambda page: bytes(_value((page << 8) + low) for low in range(256)))

# Many pages at once (a Chinese paragraph uses dozens), pages with nothing on them, ASCII.
BMP_TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0x0300, max_codepoint=0x03FF),
    ),
    max_size=80,
)


@given(BMP_TEXT)
def test_of_is_the_per_character_lookup(text: str) -> None:
    assert TABLE.of(text) == bytes(_value(ord(ch)) for ch in text)


@given(BMP_TEXT)
def test_any_in_says_whether_any_character_has_a_value(text: str) -> None:
    assert TABLE.any_in(text) == any(_value(ord(ch)) for ch in text)


@given(BMP_TEXT, st.integers(0, 0xFF))
def test_a_page_after_the_last_asked_for_gives_none(text: str, last_page: int) -> None:
    found = TABLE.of(text, last_page)
    if any(ord(ch) >> 8 > last_page for ch in text):
        assert found is None
    else:
        assert found == bytes(_value(ord(ch)) for ch in text)


def test_beyond_the_basic_plane_there_is_no_answer() -> None:
    assert TABLE.of("a\U0001f600") is None
    assert TABLE.any_in("a\U0001f600") is None


def test_the_same_text_asked_twice_and_a_new_one_are_both_right() -> None:
    text = "\u4e00a\u0601"
    assert TABLE.of(text) == TABLE.of(text) == bytes(_value(ord(ch)) for ch in text)
    other = "".join(reversed(text))
    assert TABLE.of(other) == bytes(_value(ord(ch)) for ch in other)
    assert page_tables._split("") is not None and TABLE.of("") == b""


def test_membership_marks_its_ranges_across_page_edges() -> None:
    table = membership([(0x00FE, 0x0102), (0x4E10, 0x4E10)])
    assert table.of("\u00fd\u00fe\u0102\u0103\u4e10\u4e11") == b"\x00\x01\x01\x00\x01\x00"
    assert table.any_in("\u4e11\u00fd") is False
