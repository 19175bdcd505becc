"""Curation: where annotators disagree on a document, and the changes that settle it.

Pure functions over annotations (no store, no widgets) plus the undoable changes that
write the curated layer (annotator :data:`CURATION`) through ``tui.notes.history``.

An annotator's *version* of a passage is the set of their items in it, an item being a
span with its tags: ``(start, end, tags)``. Items every annotator marked identically are
*unanimous*; ``accept_identical`` takes them all at once. The others are *contested*, and
contested items that overlap, directly or through a chain, make one *disagreement*: a
region of the text in which the annotators' versions differ. A disagreement is settled
once the curated layer has an annotation in it (other than a unanimous one) or the
curator rejected it; the walk skips settled ones.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tui.notes.curation_record import CURATION, Source
from tui.notes.model import Annotation
from tui.notes.store_api import NoteStore

Item = tuple[int, int, frozenset[str]]


def item_of(annotation: Annotation) -> Item:
    return annotation.start, annotation.end, frozenset(annotation.tags)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A region where the annotators' versions differ; ``versions`` in the order shown."""

    start: int
    end: int
    versions: tuple[tuple[str, tuple[Annotation, ...]], ...]


@dataclass(slots=True)
class Analysis:
    """A document's annotators, unanimous items and disagreements, in reading order."""

    annotators: tuple[str, ...]
    unanimous: dict[Item, tuple[Annotation, ...]]
    regions: list[Disagreement]
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [region.start for region in self.regions]


def annotators_of(annotations: Iterable[Annotation]) -> tuple[str, ...]:
    """Everyone who annotated, the curated layer aside, in a stable (sorted) order."""
    return tuple(sorted({a.annotator for a in annotations if a.annotator != CURATION and a.status == "anchored"}))


def analyse(annotations: Sequence[Annotation], annotators: Sequence[str] | None = None) -> Analysis:
    """Find the unanimous items and the disagreements among ``annotators`` (default: all)."""
    names = tuple(annotators) if annotators is not None else annotators_of(annotations)
    wanted = set(names)
    theirs = [a for a in annotations if a.annotator in wanted and a.status == "anchored"]
    holders: dict[Item, dict[str, Annotation]] = {}
    for annotation in theirs:
        holders.setdefault(item_of(annotation), {}).setdefault(annotation.annotator, annotation)
    everyone = len(wanted)
    unanimous = {
        item: tuple(by[name] for name in names) for item, by in holders.items() if len(by) == everyone and everyone > 1
    }
    contested = sorted(
        (a for a in theirs if item_of(a) not in unanimous), key=lambda a: (a.start, a.end, a.annotator, a.id)
    )
    regions: list[Disagreement] = []
    group: list[Annotation] = []
    group_end = -1
    for annotation in contested:
        if group and annotation.start >= group_end:
            regions.append(_region(group, names))
            group = []
        group.append(annotation)
        group_end = max(group_end, annotation.end) if len(group) > 1 else annotation.end
    if group:
        regions.append(_region(group, names))
    return Analysis(names, unanimous, regions)


def _region(group: list[Annotation], names: tuple[str, ...]) -> Disagreement:
    by: dict[str, list[Annotation]] = {name: [] for name in names}
    for annotation in group:
        by[annotation.annotator].append(annotation)
    start = min(a.start for a in group)
    end = max(a.end for a in group)
    return Disagreement(start, end, tuple((name, tuple(by[name])) for name in names))


def settled(
    analysis: Analysis, curated: Sequence[Annotation], rejected: Iterable[tuple[int, int]]
) -> list[bool]:
    """For each disagreement, whether the curated layer or a rejection settles it."""
    marks = sorted(
        [(a.start, a.end) for a in curated if item_of(a) not in analysis.unanimous and a.status == "anchored"]
        + list(rejected)
    )
    result = [False] * len(analysis.regions)
    if not marks:
        return result
    mark_starts = [start for start, _ in marks]
    # The longest mark starting at or before a region's end is what can reach back into it.
    reach: list[int] = []
    furthest = -1
    for _, end in marks:
        furthest = max(furthest, end)
        reach.append(furthest)
    for index, region in enumerate(analysis.regions):
        last = bisect_left(mark_starts, region.end) - 1
        result[index] = last >= 0 and reach[last] > region.start
    return result


def identical_items(analysis: Analysis, curated: Sequence[Annotation]) -> list[tuple[Item, tuple[Annotation, ...]]]:
    """Unanimous items the curated layer does not hold yet, in reading order."""
    have = {item_of(a) for a in curated}
    return sorted(
        ((item, sources) for item, sources in analysis.unanimous.items() if item not in have),
        key=lambda entry: (entry[0][0], entry[0][1], sorted(entry[0][2])),
    )


def sources_of(item: Item, annotations: Iterable[Annotation]) -> tuple[Source, ...]:
    """Every annotator's annotation that marked exactly ``item``: the provenance of accepting it."""
    return tuple(
        Source(a.uid, a.annotator) for a in annotations if a.annotator != CURATION and item_of(a) == item
    )


# -- changes (``tui.notes.history.Change``) --------------------------------------------


@dataclass(frozen=True, slots=True)
class Accepted:
    """One curated annotation to write: a span, its tags and note, and where it came from."""

    start: int
    end: int
    tags: tuple[str, ...]
    note: str
    sources: tuple[Source, ...]


@dataclass(slots=True)
class AcceptItems:
    """Write curated annotations with their provenance, in one transaction; undo deletes them."""

    doc_hash: str
    text: str
    items: tuple[Accepted, ...]
    label: str
    added: list[Annotation] = field(default_factory=list, init=False)

    @property
    def description(self) -> str:
        return self.label

    def apply(self, store: NoteStore) -> list[Annotation]:
        previous, self.added = self.added, []
        for index, item in enumerate(self.items):
            if previous:
                annotation = store.restore_annotation(previous[index])
            else:
                annotation = store.add_annotation(
                    self.doc_hash, self.text, item.start, item.end, item.tags, item.note, CURATION
                )
            store.set_provenance(annotation.uid, item.sources)
            self.added.append(annotation)
        return self.added

    def revert(self, store: NoteStore) -> None:
        for annotation in self.added:
            store.delete_annotation(annotation.id)
            store.clear_provenance(annotation.uid)

    def touched(self) -> frozenset[int]:
        return frozenset(a.id for a in self.added)


@dataclass(slots=True)
class RejectPassage:
    """Remember that a passage gets no curated annotation; undo forgets it."""

    doc_hash: str
    start: int
    end: int
    curator: str

    @property
    def description(self) -> str:
        return "reject passage"

    def apply(self, store: NoteStore) -> None:
        store.reject_passage(self.doc_hash, self.start, self.end, self.curator)

    def revert(self, store: NoteStore) -> None:
        store.unreject_passage(self.doc_hash, self.start, self.end)

    def touched(self) -> frozenset[int]:
        return frozenset()


def accept_version(
    doc_hash: str, text: str, disagreement: Disagreement, index: int, everyone: Sequence[Annotation], curator: str
) -> AcceptItems | RejectPassage:
    """The change accepting annotator ``index``'s version of ``disagreement`` (an empty
    version is a rejection: the passage gets nothing)."""
    name, mine = disagreement.versions[index]
    if not mine:
        return RejectPassage(doc_hash, disagreement.start, disagreement.end, curator)
    nearby = [a for a in everyone if a.start < disagreement.end and a.end > disagreement.start]
    items = tuple(
        Accepted(a.start, a.end, a.tags, a.note, sources_of(item_of(a), nearby))
        for a in sorted(mine, key=lambda a: (a.start, a.end, a.id))
    )
    return AcceptItems(doc_hash, text, items, f"accept {name}'s version")


def accept_identical(doc_hash: str, text: str, analysis: Analysis, curated: Sequence[Annotation]) -> AcceptItems | None:
    """The change accepting every unanimous item not curated yet; None when there is none."""
    entries = identical_items(analysis, curated)
    if not entries:
        return None
    items = tuple(
        Accepted(
            item[0],
            item[1],
            sources[0].tags,
            next((a.note for a in sources if a.note), ""),
            tuple(Source(a.uid, a.annotator) for a in sources),
        )
        for item, sources in entries
    )
    return AcceptItems(doc_hash, text, items, f"accept {len(items)} passages all annotators marked alike")
