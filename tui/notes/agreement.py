"""Inter-annotator agreement over a corpus: pairwise F1, Cohen's κ, Fleiss' κ,
Krippendorff's α (nominal) and unitizing α_u, per tag and overall, per document and over
the corpus.

Pure computation: documents with their annotators' spans in, a :class:`Report` out. Reading
stores and export files is ``agreement_input``'s job, the command line ``agreement_cli``'s.

What is compared:
- F1 (exact): spans equal in start, end and tag. F1 (overlap): a span counts as found when
  the other annotator has a span of the same tag overlapping it; precision and recall are the
  shares found each way.
- κ and α: an item is an exact (start, end) position any annotator marked; each annotator's
  value there is the tag they gave it, or none. Cohen's κ uses the positions both annotators
  of a pair marked, Fleiss' κ those every annotator marked; α uses every position and pairs
  whatever values it has. A position where one annotator gave several tags (stacked) is left
  out, as INCEpTION leaves out stacked sets. Per tag, these are the category-specific values
  of the same study.
- α_u: each tag's spans are units on the continuum of character offsets [0, length). Over
  the corpus, documents are laid end to end.

Every value that cannot be computed (one annotator, no items, a single category) is None.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, combinations

from tui.notes.agreement_coding import AlphaTally, KappaTally
from tui.notes.agreement_labels import LabelAgreement
from tui.notes.agreement_unitizing import (
    Disagreement,
    category_alpha,
    category_disagreement,
    non_overlapping,
    overall_alpha,
)

MEASURES = ("f1_exact", "f1_overlap", "cohen_kappa", "fleiss_kappa", "alpha_nominal", "alpha_u")
PAIR_MEASURES = frozenset({"f1_exact", "f1_overlap", "cohen_kappa"})
OFFSETS = ("codepoints", "utf16")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    tag: str
    annotator: str


@dataclass(frozen=True, slots=True)
class AgreementDocument:
    """One document as its annotators left it.

    ``key`` names it in reports (the SHA-256 Margin knows it by); ``length`` is the size of
    its continuum in the offsets the spans use; ``annotators`` are those who worked on it,
    including any who marked nothing.
    """

    key: str
    length: int
    annotators: frozenset[str]
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Measures:
    """Agreement of one scope. Pair measures are keyed ``"a|b"``, in the report's annotator order."""

    f1_exact: dict[str, float | None]
    f1_overlap: dict[str, float | None]
    cohen_kappa: dict[str, float | None]
    fleiss_kappa: float | None
    alpha_nominal: float | None
    alpha_u: float | None

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in MEASURES}


@dataclass(frozen=True, slots=True)
class Report:
    annotators: tuple[str, ...]
    documents: int
    offsets: str
    overall: Measures
    by_tag: dict[str, Measures]
    by_document: dict[str, Measures]
    document_labels: LabelAgreement | None = None
    """Agreement on whole-document labels (``agreement_labels``), when there are any."""

    def to_json(self) -> dict:
        shown = {
            "annotators": list(self.annotators),
            "documents": self.documents,
            "offsets": self.offsets,
            "overall": self.overall.to_json(),
            "by_tag": {tag: measures.to_json() for tag, measures in self.by_tag.items()},
            "by_document": {key: measures.to_json() for key, measures in self.by_document.items()},
        }
        if self.document_labels is not None:
            shown["document_labels"] = self.document_labels.to_json()
        return shown


def pair_key(first: str, second: str) -> str:
    return f"{first}|{second}"


# -- tallies that add up across documents ------------------------------------------


@dataclass(slots=True)
class _F1Tally:
    exact: int = 0
    first: int = 0
    second: int = 0
    first_found: int = 0
    second_found: int = 0

    def merge(self, other: _F1Tally) -> None:
        self.exact += other.exact
        self.first += other.first
        self.second += other.second
        self.first_found += other.first_found
        self.second_found += other.second_found

    def f1_exact(self) -> float | None:
        total = self.first + self.second
        return 2 * self.exact / total if total else None

    def f1_overlap(self) -> float | None:
        if not self.first and not self.second:
            return None
        if not self.first or not self.second or not self.first_found or not self.second_found:
            return 0.0
        precision = self.second_found / self.second
        recall = self.first_found / self.first
        return 2 * precision * recall / (precision + recall)


@dataclass(slots=True)
class _Tally:
    """Everything one scope (a document, or the corpus) needs, for all tags at once."""

    pairs: list[tuple[int, int]]
    raters: int
    f1: dict = field(default_factory=dict)
    """(pair index, tag) → _F1Tally."""
    cohen: list[KappaTally] = field(default_factory=list)
    fleiss: KappaTally | None = None
    alpha: AlphaTally = field(default_factory=AlphaTally)

    def __post_init__(self) -> None:
        self.cohen = [KappaTally(2) for _ in self.pairs]
        self.fleiss = KappaTally(self.raters)

    def merge(self, other: _Tally) -> None:
        for key, tally in other.f1.items():
            self.f1.setdefault(key, _F1Tally()).merge(tally)
        for mine, theirs in zip(self.cohen, other.cohen):
            mine.merge(theirs)
        self.fleiss.merge(other.fleiss)
        self.alpha.merge(other.alpha)

    def f1_for(self, pair: int, tags: Iterable[str]) -> _F1Tally:
        total = _F1Tally()
        for tag in tags:
            found = self.f1.get((pair, tag))
            if found is not None:
                total.merge(found)
        return total


def _overlap_found(mine: Sequence[tuple[int, int]], theirs: Sequence[tuple[int, int]]) -> int:
    """How many of ``mine`` overlap at least one of ``theirs`` (sorted by start): the spans
    of theirs that start before my end reach past my start iff their longest reach does."""
    starts = [start for start, _end in theirs]
    reach = list(accumulate((end for _start, end in theirs), max))
    found = 0
    for start, end in mine:
        before = bisect_left(starts, end)
        if before and reach[before - 1] > start:
            found += 1
    return found


def _tally_document(
    document: AgreementDocument, annotators: Sequence[str], tags: frozenset[str] | None
) -> _Tally:
    index = {name: position for position, name in enumerate(annotators)}
    pairs = list(combinations(range(len(annotators)), 2))
    tally = _Tally(pairs, len(annotators))
    present = [name in document.annotators for name in annotators]

    by_rater_tag: dict[tuple[int, str], set[tuple[int, int]]] = {}
    positions: dict[tuple[int, int], list[set[str] | None]] = {}
    for span in document.spans:
        rater = index.get(span.annotator)
        if rater is None or not present[rater] or (tags is not None and span.tag not in tags):
            continue
        by_rater_tag.setdefault((rater, span.tag), set()).add((span.start, span.end))
        values = positions.setdefault((span.start, span.end), [None] * len(annotators))
        if values[rater] is None:
            values[rater] = set()
        values[rater].add(span.tag)

    span_tags = {tag for _rater, tag in by_rater_tag}
    ordered = {key: sorted(spans) for key, spans in by_rater_tag.items()}
    for pair_index, (first, second) in enumerate(pairs):
        if not (present[first] and present[second]):
            continue
        for tag in span_tags:
            mine = ordered.get((first, tag), [])
            theirs = ordered.get((second, tag), [])
            if not mine and not theirs:
                continue
            tally.f1[pair_index, tag] = _F1Tally(
                exact=len(by_rater_tag.get((first, tag), set()) & by_rater_tag.get((second, tag), set())),
                first=len(mine),
                second=len(theirs),
                first_found=_overlap_found(mine, theirs) if theirs else 0,
                second_found=_overlap_found(theirs, mine) if mine else 0,
            )

    everyone = all(present)
    for values in positions.values():
        if any(value is not None and len(value) > 1 for value in values):
            continue
        item = tuple(None if value is None else next(iter(value)) for value in values)
        tally.alpha.add(item)
        for pair_index, (first, second) in enumerate(pairs):
            if item[first] is not None and item[second] is not None:
                tally.cohen[pair_index].add((item[first], item[second]))
        if everyone and None not in item:
            tally.fleiss.add(item)
    return tally


# -- α_u ---------------------------------------------------------------------------


def _unit_disagreements(
    documents: Sequence[AgreementDocument], annotators: Sequence[str], tags: frozenset[str] | None
) -> dict[str, Disagreement | None]:
    """Per tag D_o and D_e over ``documents`` laid end to end, among ``annotators``."""
    index = {name: position for position, name in enumerate(annotators)}
    grouped: dict[str, list[list[tuple[int, int]]]] = {}
    offset = 0
    for document in documents:
        local: dict[tuple[str, int], list[tuple[int, int]]] = {}
        for span in document.spans:
            rater = index.get(span.annotator)
            if rater is None or (tags is not None and span.tag not in tags):
                continue
            local.setdefault((span.tag, rater), []).append((span.start, span.end))
        for (tag, rater), spans in local.items():
            target = grouped.setdefault(tag, [[] for _ in annotators])[rater]
            target.extend((offset + start, offset + end) for start, end in non_overlapping(spans))
        offset += document.length
    return {
        tag: category_disagreement(by_rater, 0, offset) for tag, by_rater in sorted(grouped.items())
    }


# -- the report --------------------------------------------------------------------


def _measures(
    tally: _Tally,
    annotators: Sequence[str],
    tags: Sequence[str],
    unit: dict[str, Disagreement | None],
    category: str | None = None,
) -> Measures:
    names = [pair_key(annotators[first], annotators[second]) for first, second in tally.pairs]
    scope = [category] if category is not None else list(tags)
    f1 = [tally.f1_for(pair, scope) for pair in range(len(tally.pairs))]
    if category is None:
        cohen = [kappa.cohen() for kappa in tally.cohen]
        fleiss = tally.fleiss.fleiss()
        alpha = tally.alpha.alpha()
        alpha_u = overall_alpha(unit.values())
    else:
        cohen = [kappa.for_category(category) for kappa in tally.cohen]
        fleiss = tally.fleiss.for_category(category)
        alpha = tally.alpha.for_category(category)
        alpha_u = category_alpha(unit.get(category))
    return Measures(
        f1_exact=dict(zip(names, (item.f1_exact() for item in f1))),
        f1_overlap=dict(zip(names, (item.f1_overlap() for item in f1))),
        cohen_kappa=dict(zip(names, cohen)),
        fleiss_kappa=fleiss,
        alpha_nominal=alpha,
        alpha_u=alpha_u,
    )


def compute(
    documents: Iterable[AgreementDocument],
    *,
    annotators: Sequence[str] | None = None,
    tags: Iterable[str] | None = None,
    offsets: str = "codepoints",
) -> Report:
    """Agreement among ``annotators`` (default: everyone found, sorted) on ``tags`` (default:
    all) over ``documents``. Documents fewer than two of the annotators worked on are left out.

    ``offsets`` only labels the report: the spans and lengths must already count in it.
    """
    documents = list(documents)
    if annotators is None:
        annotators = sorted({name for document in documents for name in document.annotators})
    annotators = tuple(annotators)
    wanted = frozenset(tags) if tags is not None else None
    chosen = set(annotators)
    kept = [document for document in documents if len(document.annotators & chosen) >= 2]
    kept.sort(key=lambda document: document.key)

    all_tags = sorted(
        {
            span.tag
            for document in kept
            for span in document.spans
            if span.annotator in chosen and (wanted is None or span.tag in wanted)
        }
    )
    corpus = _Tally(list(combinations(range(len(annotators)), 2)), len(annotators))
    by_document = {}
    for document in kept:
        tally = _tally_document(document, annotators, wanted)
        corpus.merge(tally)
        present = [name for name in annotators if name in document.annotators]
        unit = _unit_disagreements([document], present, wanted)
        by_document[document.key] = _measures(tally, annotators, all_tags, unit)

    # Over the corpus, α_u needs every rater on every stretch of the continuum: only the
    # documents all the annotators worked on are laid end to end.
    complete = [document for document in kept if chosen <= document.annotators]
    unit = _unit_disagreements(complete, annotators, wanted)
    return Report(
        annotators=annotators,
        documents=len(kept),
        offsets=offsets,
        overall=_measures(corpus, annotators, all_tags, unit),
        by_tag={tag: _measures(corpus, annotators, all_tags, unit, tag) for tag in all_tags},
        by_document=by_document,
    )
