"""Agreement on document labels: Cohen's κ per pair, Fleiss' κ and Krippendorff's α over documents.

An item is a document. An annotator's value on it is the set of labels they gave it (for an
exclusive set, its one label), or nothing when they gave it no label: κ then leaves the
document out for that pair (Cohen) or altogether (Fleiss), α keeps it with the value
missing. Two annotators agree on a document when they chose exactly the same labels.

Per label, the same measures on a yes/no value: whether the annotator gave the document
that label, over the documents the annotator labelled at all.

The tallies are ``agreement_coding``'s, so the formulas are those of the span measures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
        tally = KappaTally(2)
        for item in items:
            if item[i] is not None and item[j] is not None:
                tally.add((item[i], item[j]))
        cohen[f"{first}|{second}"] = tally.cohen()
    fleiss = KappaTally(len(annotators))
    alpha = AlphaTally()
    for item in items:
        if all(value is not None for value in item):
            fleiss.add(item)
        alpha.add(item)
    return LabelMeasures(cohen, fleiss.fleiss(), alpha.alpha())
