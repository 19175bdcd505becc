"""Disagreements found among annotators' annotations, and when one counts as settled."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from tui.notes.curation import analyse, identical_items, settled, sources_of
from tui.notes.curation_record import CURATION
from tui.notes.model import Annotation

_BASE = Annotation(0, "", "d" * 64, 0, 1, "", "", "", (), "", "", "", "", "anchored")
_ids = iter(range(1, 10**9))


def ann(annotator: str, start: int, end: int, *tags: str, status: str = "anchored") -> Annotation:
    number = next(_ids)
    return replace(_BASE, id=number, uid=f"u{number}", annotator=annotator, start=start, end=end, tags=tags, status=status)


def spans(analysis):
    return [(r.start, r.end) for r in analysis.regions]


def test_alike_passages_are_unanimous_and_the_rest_make_regions():
    annotations = [
        ann("a", 0, 5, "x"), ann("b", 0, 5, "x"), ann("c", 0, 5, "x"),  # all alike
        ann("a", 10, 15, "x"), ann("b", 10, 15, "y"),  # tag differs, c marked nothing
        ann("a", 20, 30, "x"), ann("b", 25, 35, "x"), ann("c", 34, 40, "x"),  # a chain of overlaps
        ann("a", 50, 55, "x"), ann("b", 50, 55, "x"),  # c missing: a disagreement too
        ann("c", 60, 62, "y", status="orphan"),  # orphans are not compared
        ann(CURATION, 0, 5, "x"),  # the curated layer is not an annotator
    ]  # fmt: skip
    analysis = analyse(annotations)
    assert analysis.annotators == ("a", "b", "c")
    assert set(analysis.unanimous) == {(0, 5, frozenset({"x"}))}
    assert spans(analysis) == [(10, 15), (20, 40), (50, 55)]
    first = analysis.regions[0]
    assert [(name, [a.tags for a in version]) for name, version in first.versions] == [
        ("a", [("x",)]), ("b", [("y",)]), ("c", [])
    ]  # fmt: skip


def test_a_region_is_settled_by_a_curated_annotation_in_it_or_a_rejection():
    annotations = [ann("a", 10, 15, "x"), ann("b", 10, 15, "y"), ann("a", 20, 25, "x"), ann("a", 40, 45, "x")]
    analysis = analyse(annotations)
    assert settled(analysis, [], []) == [False, False, False]
    assert settled(analysis, [ann(CURATION, 11, 12, "y")], [(40, 45)]) == [True, False, True]
    # A curated copy of a unanimous item settles nothing around it.
    both = analyse([ann("a", 0, 30, "x"), ann("b", 0, 30, "x"), ann("a", 5, 8, "y")])
    assert settled(both, [ann(CURATION, 0, 30, "x")], []) == [False]
    # A long mark reaching back over a region from before it settles it.
    assert settled(analysis, [ann(CURATION, 0, 50, "z")], []) == [True, True, True]


def test_identical_items_leave_out_those_curated_already_and_sources_name_every_holder():
    annotations = [ann(n, 0, 5, "x") for n in "ab"] + [ann(n, 7, 9, "y") for n in "ab"]
    analysis = analyse(annotations)
    assert [item[:2] for item, _ in identical_items(analysis, [])] == [(0, 5), (7, 9)]
    assert [item[:2] for item, _ in identical_items(analysis, [ann(CURATION, 0, 5, "x")])] == [(7, 9)]
    assert sorted(s.annotator for s in sources_of((0, 5, frozenset({"x"})), annotations)) == ["a", "b"]


span = st.tuples(st.integers(0, 60), st.integers(1, 8), st.sampled_from("xy"), st.sampled_from("abc"))


@given(st.lists(span, max_size=40))
def test_regions_are_ordered_disjoint_and_hold_every_contested_annotation(raw):
    annotations = [ann(who, start, start + size, tag) for start, size, tag, who in raw]
    analysis = analyse(annotations)
    regions = analysis.regions
    assert all(a.end <= b.start for a, b in zip(regions, regions[1:], strict=False))
    for annotation in annotations:
        item = (annotation.start, annotation.end, frozenset(annotation.tags))
        holders = [r for r in regions if any(annotation in v for _n, v in r.versions)]
        if item in analysis.unanimous:
            continue
        assert len(holders) == 1 and holders[0].start <= annotation.start and annotation.end <= holders[0].end
