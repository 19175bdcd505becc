"""Annotations as BIO tags on tokens: what the CoNLL and spaCy exports share.

The rules, in the order they apply (the README repeats them):

- **One label per span.** An annotation's label is its first tag (tags keep the order
  they were given); when the export is limited to one tag, that tag. An untagged
  annotation is labelled ``NOTE``, as in the other span formats. Whitespace in a label
  becomes ``_`` so a line stays ``token<TAB>tag``.
- **Separators at a span's ends are trimmed.** A span that holds only whitespace has no
  token and is left out (counted as ``empty``).
- **Overlapping or nested spans:** BIO gives a token one tag, so the longest span is
  kept, then the earliest, then the one listed first; a span overlapping one already
  kept is left out (counted as ``overlapping``). ``strict`` callers fail instead.
- **A span edge inside a token splits the token there**, so every kept span is exactly
  a run of whole tokens and reads back with its own offsets (``from_bio``); extending
  the span to the token's bounds would change what the annotator chose (an Arabic
  clitic, part of a compound).
- **Sentences** come from the engine's segmentation; a sentence boundary inside a kept
  span is not written, so an entity never crosses a blank line.

Tags are IOB2: every span starts with ``B-``, so two adjacent spans stay two.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from tui.notes.exporters.collection import UNTAGGED_LABEL, DocumentNotes
from tui.notes.model import Annotation
from tui.text.sentences import sentence_boundaries
from tui.text.tokens import is_separator, split_at, tokens

OUTSIDE = "O"
BEGIN = "B-"
INSIDE = "I-"
OVERLAP_RULE = "kept the longest span, then the earliest"


@dataclass(frozen=True, slots=True, order=True)
class LabelledSpan:
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class BioDocument:
    """One document's tokens, their BIO tags and where its sentences start."""

    text: str
    tokens: tuple[tuple[int, int], ...]
    tags: tuple[str, ...]
    sentence_starts: tuple[int, ...]
    """Indices into ``tokens``; the first is 0 when there is any token."""
    kept: tuple[LabelledSpan, ...]
    overlapping: int
    empty: int

    def words(self) -> list[str]:
        return [self.text[start:end] for start, end in self.tokens]

    def sentences(self) -> list[range]:
        """Token index ranges, one per sentence."""
        bounds = [*self.sentence_starts, len(self.tokens)]
        return [range(start, end) for start, end in zip(bounds, bounds[1:]) if end > start]


@dataclass(frozen=True, slots=True)
class Losses:
    """What BIO could not hold, over all documents."""

    overlapping: int = 0
    empty: int = 0
    several_tags: int = 0

    def __add__(self, other: Losses) -> Losses:
        return Losses(
            self.overlapping + other.overlapping,
            self.empty + other.empty,
            self.several_tags + other.several_tags,
        )


def clean_label(label: str) -> str:
    return "_".join(label.split()) or "_"


def label_of(annotation: Annotation, tag: str | None = None) -> str:
    if tag is not None and tag in annotation.tags:
        return tag
    return annotation.tags[0] if annotation.tags else UNTAGGED_LABEL


def spans_of(notes: DocumentNotes, tag: str | None = None) -> list[LabelledSpan]:
    """The document's placed annotations as labelled spans, in the store's order."""
    return [LabelledSpan(a.start, a.end, label_of(a, tag)) for a in notes.placed()]


def trim(text: str, span: LabelledSpan) -> LabelledSpan | None:
    start, end = max(0, span.start), min(span.end, len(text))
    while start < end and is_separator(text[start]):
        start += 1
    while end > start and is_separator(text[end - 1]):
        end -= 1
    if start == end:
        return None
    return span if (start, end) == (span.start, span.end) else LabelledSpan(start, end, span.label)


def resolve(text: str, spans: list[LabelledSpan]) -> tuple[list[LabelledSpan], int, int]:
    """(kept spans in text order, overlapping ones left out, empty ones left out)."""
    trimmed = [trim(text, span) for span in spans]
    present = [span for span in trimmed if span is not None]
    empty = len(trimmed) - len(present)
    order = sorted(range(len(present)), key=lambda i: (present[i].start - present[i].end, present[i].start, i))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[LabelledSpan] = []
    for index in order:
        span = present[index]
        at = bisect.bisect_left(starts, span.start)
        if at < len(starts) and starts[at] < span.end:
            continue
        if at > 0 and ends[at - 1] > span.start:
            continue
        starts.insert(at, span.start)
        ends.insert(at, span.end)
        kept.insert(at, span)
    return kept, len(present) - len(kept), empty


def losses(documents: list[DocumentNotes], tag: str | None = None) -> Losses:
    """What BIO would leave out, without tokenizing: cheap enough to ask before exporting."""
    total = Losses()
    for notes in documents:
        if notes.text is None:
            continue
        placed = notes.placed()
        _kept, overlapping, empty = resolve(notes.text, spans_of(notes, tag))
        several = sum(1 for a in placed if len(a.tags) > 1 and not (tag is not None and tag in a.tags))
        total = total + Losses(overlapping, empty, several)
    return total


def to_bio(text: str, spans: list[LabelledSpan]) -> BioDocument:
    kept, overlapping, empty = resolve(text, spans)
    pieces = split_at(tokens(text), (edge for span in kept for edge in (span.start, span.end)))
    tags = [OUTSIDE] * len(pieces)
    starts = [start for start, _end in pieces]
    inside_spans: list[tuple[int, int]] = []
    for span in kept:
        first = bisect.bisect_left(starts, span.start)
        last = bisect.bisect_left(starts, span.end)
        if first == last:
            continue
        label = clean_label(span.label)
        tags[first] = BEGIN + label
        for index in range(first + 1, last):
            tags[index] = INSIDE + label
        inside_spans.append((span.start, span.end))
    return BioDocument(
        text,
        tuple(pieces),
        tuple(tags),
        _sentence_starts(text, starts, inside_spans),
        tuple(kept),
        overlapping,
        empty,
    )


def _sentence_starts(text: str, starts: list[int], kept: list[tuple[int, int]]) -> tuple[int, ...]:
    if not starts:
        return ()
    result = [0]
    kept_starts = [start for start, _end in kept]
    for boundary in sentence_boundaries(text)[1:-1]:
        at = bisect.bisect_right(kept_starts, boundary) - 1
        if at >= 0 and kept[at][0] < boundary < kept[at][1]:
            continue
        index = bisect.bisect_left(starts, boundary)
        if index > result[-1] and index < len(starts):
            result.append(index)
    return tuple(result)


def document_bio(notes: DocumentNotes, tag: str | None = None) -> BioDocument | None:
    """None when the document's text is not at hand (span formats leave it out)."""
    if notes.text is None:
        return None
    return to_bio(notes.text, spans_of(notes, tag))


def from_bio(starts_ends: list[tuple[int, int]], tags: list[str]) -> list[LabelledSpan]:
    """Spans from tokens' offsets and their tags. An ``I-`` that does not continue a span of
    its label starts one (the lenient reading of IOB1 files)."""
    spans: list[LabelledSpan] = []
    open_label: str | None = None
    open_start = open_end = 0
    for (start, end), tag in zip(starts_ends, tags):
        if tag.startswith(INSIDE) and open_label == tag[len(INSIDE) :]:
            open_end = end
            continue
        if open_label is not None:
            spans.append(LabelledSpan(open_start, open_end, open_label))
            open_label = None
        if tag.startswith((BEGIN, INSIDE)):
            open_label, open_start, open_end = tag[2:], start, end
    if open_label is not None:
        spans.append(LabelledSpan(open_start, open_end, open_label))
    return spans
