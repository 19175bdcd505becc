"""Agreement on document labels: Cohen's κ per pair, Fleiss' κ and Krippendorff's α over documents.

An item is a document. An annotator's value on it is the set of labels they gave it (for an
exclusive set, its one label), or nothing when they gave it no label: κ then leaves the
document out for that pair (Cohen) or altogether (Fleiss), α keeps it with the value
missing. Two annotators agree on a document when they chose exactly the same labels.

Per label, the same measures on a yes/no value: whether the annotator gave the document
that label, over the documents the annotator labelled at all.

The formulas are those of the span measures (``agreement_coding``); Cohen's κ is computed
from each pair's table of value pairs, counted in one pass, which is the same value as
tallying the items one by one and much faster on thousands of documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from tui.notes.agreement_coding import AlphaTally, KappaTally

LABEL_MEASURES = ("cohen_kappa", "fleiss_kappa", "alpha_nominal")


@dataclass(frozen=True, slots=True)
class LabelMeasures:
    cohen_kappa: dict[str, float | None]
    fleiss_kappa: float | None
    alpha_nominal: float | None

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in LABEL_MEASURES}


@dataclass(frozen=True, slots=True)
class LabelAgreement:
    """The ``document_labels`` section of an agreement report."""

    documents: int
    """Documents at least two of the annotators labelled."""
    overall: LabelMeasures
    by_label: dict[str, LabelMeasures]

    def to_json(self) -> dict:
        return {
            "documents": self.documents,
            "overall": self.overall.to_json(),
            "by_label": {name: measures.to_json() for name, measures in self.by_label.items()},
        }


def label_agreement(labels: Iterable[tuple[str, str, str]], annotators: Sequence[str]) -> LabelAgreement:
    """``labels`` are (document, annotator, label) triples; pairs are keyed ``"a|b"`` in
    ``annotators`` order, as in the span report."""
    chosen: dict[str, dict[str, set[str]]] = {}
    wanted = set(annotators)
    names: set[str] = set()
    for document, annotator, label in labels:
        if annotator in wanted:
            chosen.setdefault(document, {}).setdefault(annotator, set()).add(label)
            names.add(label)
    documents = sorted(chosen)
    whole = [tuple(_set_value(chosen[d].get(a)) for a in annotators) for d in documents]
    overall = _measures(whole, annotators)
    by_label = {}
    for name in sorted(names, key=lambda n: (n.casefold(), n)):
        items = [
            tuple(None if a not in chosen[d] else name in chosen[d][a] for a in annotators) for d in documents
        ]
        by_label[name] = _measures(items, annotators)
    shared = sum(1 for d in documents if len(chosen[d]) >= 2)
    return LabelAgreement(shared, overall, by_label)


def _set_value(labels: set[str] | None) -> tuple[str, ...] | None:
    return None if labels is None else tuple(sorted(labels))


def _measures(items: list[tuple], annotators: Sequence[str]) -> LabelMeasures:
    cohen: dict[str, float | None] = {}
    for (i, first), (j, second) in combinations(enumerate(annotators), 2):
        table = Counter((item[i], item[j]) for item in items if item[i] is not None and item[j] is not None)
        cohen[f"{first}|{second}"] = _cohen(table)
    fleiss = KappaTally(len(annotators))
    alpha = AlphaTally()
    for item, times in Counter(items).items():
        if None not in item:
            fleiss.add(item, times)
        alpha.add(item, times)
    return LabelMeasures(cohen, fleiss.fleiss(), alpha.alpha())


def _cohen(table: Counter) -> float | None:
    """Cohen's κ from counts of (first rater's value, second's): ``KappaTally(2).cohen()``."""
    items = sum(table.values())
    first: Counter = Counter()
    second: Counter = Counter()
    agreeing = 0
    for (a, b), count in table.items():
        first[a] += count
        second[b] += count
        if a == b:
            agreeing += count
    if not items or len(first.keys() | second.keys()) < 2:
        return None
    observed = Fraction(agreeing, items)
    expected = Fraction(sum(first[value] * second[value] for value in first), items * items)
    if expected == 0:
        return float(observed)
    if expected == 1:
        return None
    return float((observed - expected) / (1 - expected))
