"""Krippendorff's unitizing alpha (α_u, Krippendorff 1995) over a continuum of offsets.

The numbers are DKPro Agreement's (``KrippendorffAlphaUnitizingAgreement``), computed in
linear time instead of DKPro's sweeps and per-unit scans over every gap:

- Observed disagreement of a category, for each pair of raters: every pair of overlapping
  units adds (Δbegin)² + (Δend)²; a unit that overlaps none of the other rater's units lies
  inside one of that rater's gaps and adds its length². DKPro walks both raters' segments
  side by side; only these pairs have a nonzero distance, so the sums are the same. Summed
  over ordered pairs and divided by R(R-1)L².
- Expected disagreement: DKPro's closed form, with the inner sum over gaps at least as long
  as a unit taken from sorted gap lengths and suffix sums.

All sums are integers and the ratios are exact fractions, so D_o = D_e is decided exactly
(DKPro's rule then gives 0, or 1 when both are 0) before one final float. Units of one rater
and category must not overlap; :func:`non_overlapping` drops the later of two, as INCEpTION
does before it hands units to DKPro.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate


@dataclass(frozen=True, slots=True)
class Unit:
    begin: int
    length: int
    rater: int
    category: str


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Observed and expected disagreement of one category, exact."""

    observed: Fraction
    expected: Fraction


def non_overlapping(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """One rater's (begin, end) spans of one category, sorted by begin then longest first,
    without any span that starts before an earlier one ends (INCEpTION's rule), and without
    empty spans, which carry no mass."""
    kept = []
    reach = None
    for begin, end in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        if end <= begin:
            continue
        if reach is None or begin >= reach:
            kept.append((begin, end))
        reach = end if reach is None else max(reach, end)
    return kept


def category_disagreement(
    by_rater: Sequence[Sequence[tuple[int, int]]], begin: int, length: int
) -> Disagreement | None:
    """D_o and D_e of one category; ``by_rater[r]`` holds rater r's units as sorted,
    non-overlapping (begin, end) spans inside the continuum. None without two raters, a
    continuum or a unit."""
    raters = len(by_rater)
    if raters < 2 or length <= 0 or not any(by_rater):
        return None
    pairs = 0
    for first in range(raters):
        for second in range(first + 1, raters):
            pairs += _pair_distance(by_rater[first], by_rater[second])
    observed = Fraction(2 * pairs, raters * (raters - 1) * length * length)

    lengths = [end - start for units in by_rater for start, end in units]
    gaps = sorted(gap for units in by_rater for gap in _gaps(units, begin, begin + length))
    suffix = list(accumulate(reversed(gaps)))[::-1] + [0]
    count = len(lengths)
    total = 0
    squared = 0
    for unit_length in lengths:
        first_fit = bisect_left(gaps, unit_length)
        fitting = len(gaps) - first_fit
        # Sum over gaps g >= l of (g - l + 1): the places a unit of length l fits in g.
        places = suffix[first_fit] - (unit_length - 1) * fitting
        total += (count - 1) * unit_length * (unit_length - 1) * (2 * unit_length - 1) // 3
        total += unit_length * unit_length * places
        squared += unit_length * (unit_length - 1)
    denominator = length * (raters * length * (raters * length - 1) - squared)
    expected = Fraction(2 * total, denominator) if denominator else Fraction(0)
    return Disagreement(observed, expected)


def _pair_distance(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]) -> int:
    """Σ of DKPro's unit distances between two raters' sorted, non-overlapping units."""
    total = 0
    first_hit = [False] * len(first)
    second_hit = [False] * len(second)
    j = 0
    for i, (begin, end) in enumerate(first):
        while j < len(second) and second[j][1] <= begin:
            j += 1
        k = j
        while k < len(second) and second[k][0] < end:
            other_begin, other_end = second[k]
            total += (begin - other_begin) ** 2 + (end - other_end) ** 2
            first_hit[i] = second_hit[k] = True
            k += 1
    total += sum((end - begin) ** 2 for (begin, end), hit in zip(first, first_hit) if not hit)
    total += sum((end - begin) ** 2 for (begin, end), hit in zip(second, second_hit) if not hit)
    return total


def _gaps(units: Sequence[tuple[int, int]], begin: int, end: int) -> list[int]:
    gaps = []
    position = begin
    for start, stop in units:
        if start > position:
            gaps.append(start - position)
        position = max(position, stop)
    if end > position:
        gaps.append(end - position)
    return gaps


def category_alpha(disagreement: Disagreement | None) -> float | None:
    """α_u of one category. DKPro answers 0 when D_o = D_e (even 0 = 0); with no expected
    disagreement there is nothing to compare, so that case is None here."""
    if disagreement is None or disagreement.expected == 0:
        return None
    return float(1 - disagreement.observed / disagreement.expected)


def overall_alpha(disagreements: Iterable[Disagreement | None]) -> float | None:
    """1 − mean D_o / mean D_e over the categories, as DKPro's ``calculateAgreement``:
    equal disagreements give 0, or 1 when both are 0."""
    known = [item for item in disagreements if item is not None]
    if not known:
        return None
    observed = sum((item.observed for item in known), Fraction(0))
    expected = sum((item.expected for item in known), Fraction(0))
    if observed == expected:
        return 1.0 if observed == 0 else 0.0
    if expected == 0:
        return None
    return float(1 - observed / expected)


def study_alpha(
    units: Iterable[Unit], raters: int, begin: int, length: int
) -> tuple[float | None, dict[str, float | None], dict[str, Disagreement | None]]:
    """α_u overall and per category for a DKPro-style study: a list of units, a rater count
    and a continuum. Returns (overall, per category α, per category disagreement)."""
    grouped: dict[str, list[list[tuple[int, int]]]] = {}
    for unit in units:
        grouped.setdefault(unit.category, [[] for _ in range(raters)])[unit.rater].append(
            (unit.begin, unit.begin + unit.length)
        )
    disagreements = {
        category: category_disagreement([non_overlapping(spans) for spans in by_rater], begin, length)
        for category, by_rater in sorted(grouped.items())
    }
    by_category = {category: category_alpha(value) for category, value in disagreements.items()}
    return overall_alpha(disagreements.values()), by_category, disagreements
