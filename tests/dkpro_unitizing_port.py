"""A line-by-line port of DKPro Agreement's ``KrippendorffAlphaUnitizingAgreement``
(dkpro-statistics 2.3.1, ``calculateObservedCategoryDisagreement`` and
``calculateExpectedCategoryDisagreement``): its segment sweep and per-unit scan over every gap,
kept slow and literal so the linear-time version in ``tui.notes.agreement_unitizing`` can be
checked against it on random studies. Units are (begin, length, rater, category).
"""

from __future__ import annotations

from fractions import Fraction


def measure_distance(offset1, length1, category1, offset2, length2, category2):
    begin_diff = offset1 - offset2
    length_diff = length1 - length2
    if category1 is not None and category2 is not None and -length1 < begin_diff < length2:
        return begin_diff * begin_diff + (begin_diff + length_diff) ** 2
    if category1 is not None and category2 is None and -length_diff >= begin_diff >= 0:
        return length1 * length1
    if category1 is None and category2 is not None and -length_diff <= begin_diff <= 0:
        return length2 * length2
    return 0


def _sorted(units):
    # UnitizingAnnotationUnit.compareTo: offset, length, rater.
    return sorted(units, key=lambda unit: (unit[0], unit[1], unit[2]))


def observed(units, begin, length, raters, category):
    units = _sorted(units)
    result = 0
    for r1 in range(raters):
        for r2 in range(r1 + 1, raters):
            units1 = iter([u for u in units if u[2] == r1 and u[3] == category])
            units2 = iter([u for u in units if u[2] == r2 and u[3] == category])
            next1, next2 = next(units1, None), next(units2, None)
            offset1, length1, offset2, length2 = begin, 0, begin, 0
            category1 = category2 = None
            pos = begin
            while pos < begin + length and (next1 is not None or next2 is not None):
                if pos == offset1 + length1:
                    if next1 is not None and pos == next1[0]:
                        length1, category1 = next1[1], next1[3]
                        next1 = next(units1, None)
                    else:
                        length1 = (next1[0] if next1 is not None else begin + length) - pos
                        category1 = None
                    offset1 = pos
                if pos == offset2 + length2:
                    if next2 is not None and pos == next2[0]:
                        length2, category2 = next2[1], next2[3]
                        next2 = next(units2, None)
                    else:
                        length2 = (next2[0] if next2 is not None else begin + length) - pos
                        category2 = None
                    offset2 = pos
                result += measure_distance(offset1, length1, category1, offset2, length2, category2)
                pos = min(offset1 + length1, offset2 + length2)
    return Fraction(2 * result, raters * (raters - 1) * length * length)


def expected(units, begin, length, raters, category):
    mine = [u for u in _sorted(units) if u[3] == category]
    count = len(mine)
    squared = sum(u[1] * (u[1] - 1) for u in mine)
    gaps = []
    for rater in range(raters):
        position = begin
        for u in (u for u in mine if u[2] == rater):
            if u[0] > position:
                gaps.append(u[0] - position)
            position = u[0] + u[1]
        if position < begin + length:
            gaps.append(begin + length - position)
    result = Fraction(0)
    for u in mine:
        size = u[1]
        result += Fraction((count - 1) * (2 * size**3 - 3 * size * size + size), 3)
        result += size * size * sum(gap - size + 1 for gap in gaps if gap >= size)
    result *= Fraction(2, length)
    return result / (raters * length * (raters * length - 1) - squared)
