"""Annotation values: selectors come from the text, validators refuse what cannot be stored."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.notes.model import (
    CONTEXT_LENGTH,
    InvalidValue,
    check_color,
    check_key,
    check_tag_name,
    make_selectors,
    new_uid,
    utc_now,
)

EXT_B = "\U0002000b"


@pytest.mark.parametrize(
    ("text", "start", "end", "quote", "prefix", "suffix"),
    [
        ("hello world", 6, 11, "world", "hello ", ""),
        (f"a{EXT_B}b", 1, 2, EXT_B, "a", "b"),
        ("x" * 40 + "Q" + "y" * 40, 40, 41, "Q", "x" * CONTEXT_LENGTH, "y" * CONTEXT_LENGTH),
        ("مرحبا بالعالم", 6, 13, "بالعالم", "مرحبا ", ""),
    ],
)
def test_selectors_are_slices_of_the_text(text, start, end, quote, prefix, suffix):
    selectors = make_selectors(text, start, end)
    assert (selectors.quote, selectors.prefix, selectors.suffix) == (quote, prefix, suffix)


@pytest.mark.parametrize(("start", "end"), [(3, 3), (4, 2), (-1, 2), (0, 99), (0.0, 2)])
def test_selectors_refuse_spans_outside_the_text(start, end):
    with pytest.raises(InvalidValue):
        make_selectors("hello", start, end)


@given(st.text(min_size=1), st.data())
def test_selectors_always_match_the_text(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    selectors = make_selectors(text, start, end)
    assert text[start:end] == selectors.quote
    assert text[:start].endswith(selectors.prefix) and text[end:].startswith(selectors.suffix)
    assert len(selectors.prefix) == min(start, CONTEXT_LENGTH)


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        (check_tag_name, "  question ", "question"),
        (check_tag_name, "سؤال", "سؤال"),
        (check_color, "#A0B1C2", "#a0b1c2"),
        (check_key, "7", "7"),
        (check_key, None, None),
    ],
)
def test_validators_accept_and_normalise(check, value, expected):
    assert check(value) == expected


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (check_tag_name, ""),
        (check_tag_name, "   "),
        (check_tag_name, "two\nlines"),
        (check_tag_name, "tab\there"),
        (check_color, "red"),
        (check_color, "#12345"),
        (check_key, "0"),
        (check_key, "10"),
    ],
)
def test_validators_refuse(check, value):
    with pytest.raises(InvalidValue):
        check(value)


def test_uids_are_uuid4_and_times_are_utc_iso():
    uid = new_uid()
    assert uid[14] == "4" and len(uid) == 36 and uid != new_uid()
    stamp = utc_now()
    assert len(stamp) == 20 and stamp[10] == "T" and stamp.endswith("Z")
