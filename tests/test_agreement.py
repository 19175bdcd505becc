"""How ``tui.notes.agreement.compute`` builds its studies from annotators' spans."""

from __future__ import annotations

import pytest

from tui.notes.agreement import AgreementDocument, Span, compute
from tui.notes.agreement_input import utf16_offsets


def doc(key, length, annotators, *spans):
    return AgreementDocument(key, length, frozenset(annotators), tuple(Span(*s) for s in spans))


def test_positions_are_items_and_unmarked_positions_are_missing():
    """a and b agree on two positions and differ on one; c marked only one of them. Cohen's κ
    a|c sees one item; α pairs whatever values each position has."""
    document = doc(
        "d", 100, "abc",
        (0, 5, "X", "a"), (0, 5, "X", "b"), (0, 5, "X", "c"),
        (10, 15, "Y", "a"), (10, 15, "Y", "b"),
        (20, 25, "X", "a"), (20, 25, "Y", "b"),
    )  # fmt: skip
    report = compute([document])
    assert report.overall.cohen_kappa["a|c"] is None  # one item, one category
    assert report.overall.cohen_kappa["a|b"] == pytest.approx(0.4)
    assert report.overall.fleiss_kappa is None  # only one position all three marked
    # Coincidences: X·X 3 (six ordered pairs, weight 1/2), Y·Y 2, X·Y and Y·X 1 each: n = 7,
    # n_X = 4, n_Y = 3; D_o = 2/7, D_e = 2·4·3 / (7·6).
    assert report.overall.alpha_nominal == pytest.approx(1 - (2 / 7) / (24 / 42))


def test_stacked_positions_are_left_out_of_coding_measures_but_not_of_f1():
    document = doc(
        "d", 50, "ab",
        (0, 5, "X", "a"), (0, 5, "Y", "a"), (0, 5, "Z", "b"),
        (9, 12, "X", "a"), (9, 12, "X", "b"), (20, 25, "Y", "a"), (20, 25, "Y", "b"),
    )  # fmt: skip
    report = compute([document])
    # Counted in any form, the stacked position would be a disagreement.
    assert report.overall.cohen_kappa["a|b"] == 1.0
    assert report.overall.alpha_nominal == 1.0
    assert report.overall.f1_exact["a|b"] == pytest.approx(2 * 2 / 7)


def test_a_document_read_by_one_annotator_only_is_left_out():
    shared = doc("s", 30, "ab", (0, 5, "X", "a"), (0, 5, "X", "b"))
    alone = doc("t", 30, "a", (0, 5, "X", "a"))
    report = compute([shared, alone])
    assert report.documents == 1
    assert list(report.by_document) == ["s"]


def test_an_annotator_who_marked_nothing_still_disagrees():
    """b read the document and marked nothing: F1 0, α_u below 1."""
    report = compute([doc("d", 40, "ab", (0, 10, "X", "a"))])
    assert report.overall.f1_exact["a|b"] == 0.0
    assert report.overall.alpha_u is not None and report.overall.alpha_u < 1


def test_only_the_chosen_annotators_and_tags_count():
    document = doc("d", 40, "abc", (0, 5, "X", "a"), (0, 5, "X", "b"), (0, 5, "Y", "c"), (8, 9, "Z", "a"))
    report = compute([document], annotators=["b", "a"], tags=["X"])
    assert report.annotators == ("b", "a")
    assert list(report.by_tag) == ["X"]
    assert report.overall.f1_exact == {"b|a": 1.0}


def test_utf16_offsets_only_where_the_text_leaves_the_bmp():
    assert utf16_offsets("abc") is None
    convert = utf16_offsets("a😀b𝄞c")
    assert [convert(i) for i in range(6)] == [0, 1, 3, 4, 6, 7]
