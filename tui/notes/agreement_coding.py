"""Coding measures on items: Cohen's κ, Fleiss' κ and Krippendorff's α (nominal).

An item is a tuple with one value per rater; None means the rater gave no value there. The
formulas are DKPro Agreement's (``CohenKappaAgreement``, ``FleissKappaAgreement``,
``KrippendorffAlphaAgreement`` with ``NominalDistanceFunction``), with their category
specific variants (κ_j of Fleiss 1971, which DKPro also uses for Cohen's κ after Agresti
1992; α with the coincidence matrix folded to "this category or another"). Where DKPro throws
``InsufficientDataException`` (fewer than two categories) or would answer NaN, the result is
None.

κ needs complete items: only items every rater coded are tallied. α takes missing values: an
item with a single value cannot be paired and adds nothing (Krippendorff 2004, p. 230).

Tallies are integer counts that add up: a corpus is the sum of its documents' tallies, and
one pass over the items serves the overall value and every category. Ratios are exact
fractions until the final float.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

Item = Sequence[Hashable | None]


@dataclass(slots=True)
class KappaTally:
    """Complete items of a fixed number of raters (2 for Cohen's κ, all for Fleiss' κ)."""

    raters: int
    items: int = 0
    agreeing: int = 0
    """Σ over items and categories of n(n−1): agreeing ordered rater pairs."""
    chosen: Counter = field(default_factory=Counter)
    """Per category, how often it was chosen."""
    squares: Counter = field(default_factory=Counter)
    """Per category, Σ over items of n²."""
    per_rater: list[Counter] = field(default_factory=list)
    """Per rater and category, how often it was chosen (Cohen's expected agreement)."""

    def __post_init__(self) -> None:
        if not self.per_rater:
            self.per_rater = [Counter() for _ in range(self.raters)]

    def add(self, item: Item, times: int = 1) -> None:
        """Tally a complete item (every value present), ``times`` over (identical items)."""
        self.items += times
        if len(item) == 2:
            first, second = item
            self.per_rater[0][first] += times
            self.per_rater[1][second] += times
            if first == second:
                self.agreeing += 2 * times
                self.chosen[first] += 2 * times
                self.squares[first] += 4 * times
            else:
                self.chosen[first] += times
                self.chosen[second] += times
                self.squares[first] += times
                self.squares[second] += times
            return
        counts = Counter(item)
        for value, n in counts.items():
            self.agreeing += n * (n - 1) * times
            self.chosen[value] += n * times
            self.squares[value] += n * n * times
        for rater, value in enumerate(item):
            self.per_rater[rater][value] += times

    def merge(self, other: KappaTally) -> None:
        self.items += other.items
        self.agreeing += other.agreeing
        self.chosen.update(other.chosen)
        self.squares.update(other.squares)
        for mine, theirs in zip(self.per_rater, other.per_rater):
            mine.update(theirs)

    def _observed(self) -> Fraction:
        return Fraction(self.agreeing, (self.raters - 1) * self.raters * self.items)

    def cohen(self) -> float | None:
        """Cohen's κ: chance from each rater's own category shares (two raters)."""
        if not self._usable():
            return None
        total = 0
        for value in self.chosen:
            product = 1
            for counts in self.per_rater:
                product *= counts[value]
            total += product
        expected = total / self.items**self.raters
        return _chance_corrected(self._observed(), expected)

    def fleiss(self) -> float | None:
        """Fleiss' κ: chance from the pooled category shares."""
        if not self._usable():
            return None
        expected = Fraction(sum(n * n for n in self.chosen.values()), (self.items * self.raters) ** 2)
        return _chance_corrected(self._observed(), expected)

    def for_category(self, category: Hashable) -> float | None:
        """κ_j = (P_j − p_j) / (1 − p_j); None when the category is never or always chosen."""
        if self.raters < 2 or not self.items:
            return None
        total = self.items * self.raters
        share = Fraction(self.chosen[category], total)
        if share in (0, 1):
            return None
        agreement = (self.squares[category] - total * share) / (total * (self.raters - 1) * share)
        return float((agreement - share) / (1 - share))

    def _usable(self) -> bool:
        return self.raters >= 2 and self.items > 0 and len(+self.chosen) >= 2


def _chance_corrected(observed: Fraction, expected: Fraction) -> float | None:
    if expected == 0:
        return float(observed)
    if expected == 1:
        return None
    return float((observed - expected) / (1 - expected))


@dataclass(slots=True)
class AlphaTally:
    """Krippendorff's α (nominal) from the coincidence matrix; items may lack values."""

    categories: set = field(default_factory=set)
    """Every category seen, paired or not: DKPro counts them all."""
    pairable: int = 0
    totals: Counter = field(default_factory=Counter)
    disagreeing: Counter = field(default_factory=Counter)
    """Per item size m, Σ of ordered pairs of different values (each weighs 1/(m−1))."""
    folded: dict = field(default_factory=dict)
    """Per category, per m: Σ 2k(m−k), the disagreeing pairs once folded to c / not c."""

    def add(self, item: Item, times: int = 1) -> None:
        """Tally an item, ``times`` over (identical items)."""
        counts = Counter(value for value in item if value is not None)
        self.categories.update(counts)
        m = sum(counts.values())
        if m < 2:
            return
        self.pairable += m * times
        for value, k in counts.items():
            self.totals[value] += k * times
        self.disagreeing[m] += (m * m - sum(n * n for n in counts.values())) * times
        for value, k in counts.items():
            if k != m:
                self.folded.setdefault(value, Counter())[m] += 2 * k * (m - k) * times

    def merge(self, other: AlphaTally) -> None:
        self.categories |= other.categories
        self.pairable += other.pairable
        self.totals.update(other.totals)
        self.disagreeing.update(other.disagreeing)
        for value, by_size in other.folded.items():
            self.folded.setdefault(value, Counter()).update(by_size)

    def alpha(self) -> float | None:
        if len(self.categories) < 2 or self.pairable < 2:
            return None
        n = self.pairable
        observed = _weighted(self.disagreeing) / n
        expected = Fraction(n * n - sum(count * count for count in self.totals.values()), n * (n - 1))
        if expected == 0:
            return 1.0 if observed == 0 else None
        return float(1 - observed / expected)

    def for_category(self, category: Hashable) -> float | None:
        """α of one category against all others; on complete data, DKPro's
        ``calculateCategoryAgreement``."""
        n = self.pairable
        chosen = self.totals.get(category, 0)
        if n < 2 or chosen in (0, n):
            return None
        observed = _weighted(self.folded.get(category, Counter())) / n
        expected = Fraction(2 * chosen * (n - chosen), n * (n - 1))
        return float(1 - observed / expected)


def _weighted(by_size: Counter) -> Fraction:
    return sum((Fraction(total, m - 1) for m, total in by_size.items()), Fraction(0))


def kappa_tally(items: Iterable[Item], raters: int) -> KappaTally:
    """A κ tally of the complete items among ``items``."""
    tally = KappaTally(raters)
    for item in items:
        if None not in item:
            tally.add(item)
    return tally


def alpha_tally(items: Iterable[Item]) -> AlphaTally:
    tally = AlphaTally()
    for item in items:
        tally.add(item)
    return tally


def cohen_kappa(items: Sequence[Item]) -> float | None:
    """Cohen's κ (1960) of two raters over their complete items."""
    return kappa_tally(items, 2).cohen()


def fleiss_kappa(items: Sequence[Item]) -> float | None:
    """Fleiss' κ (1971) over the complete items."""
    return kappa_tally(items, len(items[0]) if items else 0).fleiss()


def alpha_nominal(items: Sequence[Item]) -> float | None:
    """Krippendorff's α (nominal); missing values allowed."""
    return alpha_tally(items).alpha()
