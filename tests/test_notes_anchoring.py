"""Re-anchoring after edits: exact, moved, fuzzy or orphan, never lost, always whole clusters."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.notes.anchoring import reanchor, reanchor_document
from tui.notes.model import make_selectors
from tui.notes.store import Store
from tui.text.graphemes import grapheme_boundaries

EXT_B = "\U0002000b"
SCRIPTS = (
    "abcdefghijklmnopqrstuvwxyz",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "ਕਖਗਘਚਛਜਝਟਠਡਢਣਤਥਦਧਨਪਫਬਭਮਯਰਲਵਸਹ",
    "的一是不了人我在有他這為之大來以個中上們" + EXT_B,
)
GURMUKHI_SIGNS = "ਾਿੀੁੂੇੈੋੌਂ"


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def passage(text: str, start: int, end: int) -> Passage:
    selectors = make_selectors(text, start, end)
    return Passage(start, end, selectors.quote, selectors.prefix, selectors.suffix)


def word(rng: random.Random) -> str:
    letters = rng.choice(SCRIPTS)
    chars = []
    for _ in range(rng.randint(2, 7)):
        chars.append(rng.choice(letters))
        if letters is SCRIPTS[2] and rng.random() < 0.4:
            chars.append(rng.choice(GURMUKHI_SIGNS))
    return "".join(chars)


def words(rng: random.Random, count: int) -> str:
    return " ".join(word(rng) for _ in range(count))


def document(rng: random.Random) -> tuple[str, int, int]:
    """A text of random multilingual words and a passage of whole words inside it."""
    before, inside, after = (
        words(rng, rng.randint(5, 120)),
        words(rng, rng.randint(6, 20)),
        words(rng, rng.randint(5, 120)),
    )
    text = f"{before} {inside} {after}"
    start = len(before) + 1
    return text, start, start + len(inside)


def word_starts(text: str, low: int, high: int) -> list[int]:
    return [index for index in range(low, high) if index == 0 or text[index - 1] == " "]


def check_whole_clusters(text: str, start: int, end: int) -> None:
    boundaries = set(grapheme_boundaries(text))
    assert start in boundaries and end in boundaries, (start, end)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    side=st.sampled_from(["before", "after", "both"]),
    kind=st.sampled_from(["insert", "delete"]),
)
def test_edits_outside_the_passage_keep_it_exactly(seed, side, kind):
    rng = random.Random(seed)
    text, start, end = document(rng)
    original = passage(text, start, end)
    edited = text
    if side in ("after", "both"):
        position = rng.choice(word_starts(text, end + 1, len(text)))
        edited = _word_edit(edited, position, kind, rng, limit=len(edited))
    if side in ("before", "both"):
        position = rng.choice(word_starts(text, 0, start))
        edited = _word_edit(edited, position, kind, rng, limit=start)
    anchor = reanchor(original, edited)
    assert anchor.status in ("exact", "moved")
    assert edited[anchor.start : anchor.end] == original.quote
    check_whole_clusters(edited, anchor.start, anchor.end)


def _word_edit(text: str, position: int, kind: str, rng: random.Random, *, limit: int) -> str:
    if kind == "insert":
        return text[:position] + words(rng, rng.randint(1, 40)) + " " + text[position:]
    stop = text.find(" ", position)
    stop = limit if stop == -1 or stop >= limit else stop + 1
    return text[:position] + text[stop:]


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32), edits=st.integers(1, 3), shift=st.integers(-40, 40))
def test_small_edits_inside_give_a_fuzzy_anchor_at_the_right_place(seed, edits, shift):
    rng = random.Random(seed)
    text, start, end = document(rng)
    original = passage(text, start, end)
    edited_quote = list(original.quote)
    for _ in range(edits):
        index = rng.randrange(1, len(edited_quote) - 1)
        operation = rng.choice(["replace", "insert", "delete"])
        if operation == "replace":
            edited_quote[index] = rng.choice(rng.choice(SCRIPTS))
        elif operation == "insert":
            edited_quote.insert(index, rng.choice(rng.choice(SCRIPTS)))
        else:
            del edited_quote[index]
    new_quote = "".join(edited_quote)
    padding = words(rng, 30)[: abs(shift)] if shift > 0 else ""
    head = padding + text[: start - (0 if shift >= 0 else min(-shift, start - 1))]
    edited = head + new_quote + text[end:]
    anchor = reanchor(original, edited)
    if anchor.status in ("exact", "moved"):
        assert edited[anchor.start : anchor.end] == original.quote
    else:
        assert anchor.status == "fuzzy"
        where = (len(head), len(head) + len(new_quote))
        assert anchor.start < where[1] and where[0] < anchor.end, (anchor, where)
        assert abs(anchor.start - where[0]) <= edits + 2 and abs(anchor.end - where[1]) <= edits + 2
    check_whole_clusters(edited, anchor.start, anchor.end)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32), margin=st.integers(0, 30))
def test_a_deleted_passage_is_an_orphan_or_a_weak_fuzzy_match(seed, margin):
    rng = random.Random(seed)
    text, start, end = document(rng)
    original = passage(text, start, end)
    edited = text[: max(0, start - margin)] + text[end + margin :]
    anchor = reanchor(original, edited)
    assert anchor.status in ("orphan", "fuzzy")
    if anchor.status == "fuzzy":
        assert anchor.score < 0.95 and 0 <= anchor.start < anchor.end <= len(edited)
    else:
        assert (anchor.start, anchor.end) == (start, end), "an orphan keeps its old offsets"


REPEATED = "Say it once. The same words. Filler between the two. The same words. End."


@pytest.mark.parametrize(
    ("text", "start", "end", "edited", "expected"),
    [
        pytest.param(REPEATED, 13, 28, REPEATED, ("exact", 13, 28), id="unchanged"),
        pytest.param(
            REPEATED, 54, 69, "Prepended. " + REPEATED, ("moved", 65, 80), id="second-of-two-by-context"
        ),
        pytest.param(
            REPEATED, 13, 28, "Prepended. " + REPEATED, ("moved", 24, 39), id="first-of-two-by-context"
        ),
        pytest.param("e", 0, 1, "e\u0301 e", ("moved", 3, 4), id="never-inside-a-cluster"),
        pytest.param(
            f"前文{EXT_B}中文段落後文", 2, 6, f"新的前文{EXT_B}中文段落後文", ("moved", 4, 8), id="ext-b"
        ),
        pytest.param("abc", 0, 3, "", ("orphan", 0, 3), id="empty-text"),
    ],
)
def test_reanchoring_cases(text, start, end, edited, expected):
    anchor = reanchor(passage(text, start, end), edited)
    assert (anchor.status, anchor.start, anchor.end) == expected


def test_a_fuzzy_match_is_widened_to_whole_gurmukhi_clusters():
    text = "ਪਹਿਲਾ ਸ਼ਬਦ ਦੂਜਾ ਪ੍ਰਕਾਸ਼ ਤੀਜਾ ਚੌਥਾ ਸ਼ਬਦ ਅੰਤ ਦਾ ਪਾਠ ਇੱਥੇ"
    start = text.index("ਦੂਜਾ")
    end = text.index("ਚੌਥਾ")
    original = passage(text, start, end)
    edited = text.replace("ਪ੍ਰਕਾਸ਼", "ਪ੍ਰਕਾਸ")
    anchor = reanchor(original, edited)
    assert anchor.status == "fuzzy"
    check_whole_clusters(edited, anchor.start, anchor.end)


def test_reanchoring_a_megabyte_tells_each_kind_of_edit_apart():
    rng = random.Random(7)
    text = words(rng, 200_000)[:1_000_000]
    start = text.index(" ", 500_000) + 1
    end = text.index(" ", start + 150)
    original = passage(text, start, end)
    cases = {
        "exact": text,
        "moved": text[:1000] + words(rng, 3000) + text[1000:],
        "fuzzy": text[: start + 40] + "##" + text[start + 43 :],
        "fuzzy far": text[:1000] + words(rng, 3000) + text[1000 : start + 40] + "##" + text[start + 43 :],
        "orphan": text[: start - 5] + text[end + 5 :],
    }
    for expected, edited in cases.items():
        anchor = reanchor(original, edited)
        assert anchor.status == expected.split()[0]
        if anchor.status in ("exact", "moved"):
            assert edited[anchor.start : anchor.end] == original.quote


def test_reanchor_document_updates_only_what_changed(tmp_path):
    old_hash, new_hash = "1" * 64, "2" * 64
    text = "Alpha beta gamma delta. " * 3 + "Unique passage to keep. Another unique line. The end of it."
    with Store.open(tmp_path / "notes.sqlite3") as store:
        kept = store.add_annotation(
            old_hash, text, text.index("Unique"), text.index("Unique") + 23, tags=["todo"]
        )
        edited_away = store.add_annotation(old_hash, text, text.index("Another"), text.index("Another") + 20)
        tail = store.add_annotation(old_hash, text, text.index("The end"), len(text))
        store.set_position(old_hash, 5)
        edited = "New opening. " + text.replace("Another unique line. ", "").replace(
            "The end of it.", "The end of them."
        )
        report = reanchor_document(store, new_hash, edited, from_hash=old_hash)
        assert (report.exact, report.moved, report.fuzzy, report.orphan) == (0, 1, 1, 1)
        assert store.annotations(old_hash) == [] and store.position(new_hash) == 5
        moved = store.get(kept.id)
        assert edited[moved.start : moved.end] == moved.quote == kept.quote and moved.tags == ("todo",)
        assert store.get(edited_away.id).status == "orphan"
        fuzzy = store.get(tail.id)
        assert fuzzy.status == "anchored" and edited[fuzzy.start : fuzzy.end] == fuzzy.quote
        again = reanchor_document(store, new_hash, edited)
        assert (again.exact, again.orphan, again.updated) == (2, 1, ())


def _edit_distances(pattern: str, text: str, anchored: bool) -> list[int]:
    """The textbook dynamic programme the bit-parallel search must agree with."""
    previous = list(range(len(pattern) + 1))
    result = []
    for j, character in enumerate(text, start=1):
        current = [j if anchored else 0]
        for i, expected in enumerate(pattern, start=1):
            current.append(
                min(previous[i] + 1, current[i - 1] + 1, previous[i - 1] + (expected != character))
            )
        result.append(current[-1])
        previous = current
    return result


@given(st.text("abcé", min_size=1, max_size=12), st.text("abcé", max_size=30), st.booleans())
def test_bit_parallel_search_matches_the_dynamic_programme(pattern, text, anchored):
    from tui.notes.anchoring import _end_distances

    assert _end_distances(pattern, text, anchored=anchored) == _edit_distances(pattern, text, anchored)
