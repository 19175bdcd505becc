"""Finding an annotated passage again after its document was edited.

Steps, cheapest first:

1. **exact** – the stored offsets still hold the quote, as whole clusters (an ``e``
   that became the base of ``é`` is not the same passage).
2. **moved** – the quote occurs elsewhere. Occurrences are ranked by how much of the
   stored prefix and suffix they agree with (a repeated phrase is told apart by its
   surroundings), then by closeness to the old position.
3. **fuzzy** – the quote itself was edited. Candidate regions come from the old
   position and from exact hits of the prefix, the suffix and pieces of the quote
   (``str.find``, fast on megabytes); in each region Myers' bit-parallel algorithm
   finds the substring with the fewest edits. A candidate scores
   ``0.8 × quote similarity + 0.1 × prefix similarity + 0.1 × suffix similarity``,
   quote similarity being ``1 − edits / len(quote)``; it is accepted at
   ``FUZZY_THRESHOLD`` (0.7) with a quote similarity of at least ``MIN_QUOTE_SIMILARITY``
   (0.5). So a quote with 30 % of its characters edited still anchors when its
   surroundings are intact, and a short quote matching a stranger's text does not.
4. **orphan** – nothing good enough; the annotation is kept with its old offsets.

Offsets land on grapheme cluster boundaries: a match that would start or end inside
a cluster is widened to whole clusters (and an exact hit that is not whole is not
taken).
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from tui.notes.model import ANCHORED, ORPHAN, Annotation, make_selectors
from tui.notes.store_api import NoteStore
from tui.text.graphemes import grapheme_boundaries

AnchorStatus = Literal["exact", "moved", "fuzzy", "orphan"]

FUZZY_THRESHOLD = 0.7
MIN_QUOTE_SIMILARITY = 0.5
QUOTE_WEIGHT = 0.8
CONTEXT_WEIGHT = 0.1
MAX_OCCURRENCES = 10_000
"""Occurrences of a quote ranked for 'moved', from the start of the text: a bound for a
two-letter quote in a megabyte."""
NEAR_SLACK = 256
"""Characters searched on each side of the old position; farther moves are found by the probes."""
CANDIDATE_SLACK = 64
MAX_REGIONS = 24
CLUSTER_WINDOW = 64
"""Context given to the grapheme segmenter around one offset; longer clusters do not occur in text."""


class Anchorable(Protocol):
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class Anchor:
    start: int
    end: int
    status: AnchorStatus
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class ReanchorReport:
    exact: int
    moved: int
    fuzzy: int
    orphan: int
    updated: tuple[int, ...]
    """Ids of annotations whose offsets or status changed in the store."""


def reanchor(annotation: Anchorable, text: str) -> Anchor:
    """Where the annotation's passage is in ``text`` now."""
    return _reanchor(annotation, text, _Clusters(text))


def _reanchor(annotation: Anchorable, text: str, clusters: _Clusters) -> Anchor:
    quote = annotation.quote
    start, end = annotation.start, annotation.end
    if not quote or not text:
        return Anchor(start, end, "orphan", 0.0)
    if start >= 0 and text[start:end] == quote and clusters.is_boundary(start) and clusters.is_boundary(end):
        return Anchor(start, end, "exact")
    moved = _best_occurrence(annotation, text, clusters)
    if moved is not None:
        return Anchor(moved, moved + len(quote), "moved")
    fuzzy = _best_approximate(annotation, text, clusters)
    if fuzzy is not None:
        return fuzzy
    return Anchor(start, end, "orphan", 0.0)


def plan_reanchoring(annotations: Iterable[Annotation], text: str) -> tuple[dict[str, int], list[Annotation]]:
    """What re-anchoring ``annotations`` against ``text`` finds: counts per outcome and the
    annotations whose place, status or context changed, as they should now be. Pure: the
    reader stores the result (``reanchor_document``), an export of a changed file uses it
    as it is."""
    counts = {"exact": 0, "moved": 0, "fuzzy": 0, "orphan": 0}
    changed: list[Annotation] = []
    clusters = _Clusters(text, whole=True)
    for annotation in annotations:
        anchor = _reanchor(annotation, text, clusters)
        counts[anchor.status] += 1
        if anchor.status == "orphan":
            if annotation.status != ORPHAN:
                changed.append(replace(annotation, status=ORPHAN))
        elif anchor.status != "exact" or annotation.status != ANCHORED or _context_changed(annotation, text):
            selectors = make_selectors(text, anchor.start, anchor.end)
            changed.append(
                replace(
                    annotation,
                    start=anchor.start,
                    end=anchor.end,
                    status=ANCHORED,
                    quote=selectors.quote,
                    prefix=selectors.prefix,
                    suffix=selectors.suffix,
                )
            )
    return counts, changed


def reanchor_document(
    store: NoteStore, doc_hash: str, text: str, *, from_hash: str | None = None
) -> ReanchorReport:
    """Re-anchor every annotation of a document in one transaction, writing only what changed.

    With ``from_hash`` the annotations of the document's previous identity (its bytes
    before the edit) are first carried over to ``doc_hash``, with its document labels.
    """
    with store.transaction():
        if from_hash is not None and from_hash != doc_hash:
            store.move_annotations(from_hash, doc_hash)
            if callable(getattr(store, "move_document_labels", None)):
                store.move_document_labels(from_hash, doc_hash)
        counts, changed = plan_reanchoring(store.annotations(doc_hash), text)
        for annotation in changed:
            store.update_anchor(
                annotation.id,
                annotation.start,
                annotation.end,
                annotation.status,
                text if annotation.status == ANCHORED else None,
            )
    return ReanchorReport(updated=tuple(annotation.id for annotation in changed), **counts)


def _context_changed(annotation: Anchorable, text: str) -> bool:
    """Whether the stored prefix or suffix went stale: refreshing them keeps the next search sharp."""
    selectors = make_selectors(text, annotation.start, annotation.end)
    return (selectors.prefix, selectors.suffix) != (annotation.prefix, annotation.suffix)


# -- moved ---------------------------------------------------------------------


def _occurrences(text: str, quote: str) -> Iterator[int]:
    found = text.find(quote)
    count = 0
    while found != -1 and count < MAX_OCCURRENCES:
        yield found
        count += 1
        found = text.find(quote, found + 1)


def _best_occurrence(annotation: Anchorable, text: str, clusters: _Clusters) -> int | None:
    """The best-ranked occurrence that starts and ends between grapheme clusters."""
    quote, prefix, suffix = annotation.quote, annotation.prefix, annotation.suffix
    ranked = []
    for found in _occurrences(text, quote):
        end = found + len(quote)
        agreement = _common_suffix(prefix, text[max(0, found - len(prefix)) : found]) + _common_prefix(
            suffix, text[end : end + len(suffix)]
        )
        ranked.append((agreement, -abs(found - annotation.start), found))
    ranked.sort(reverse=True)
    for _agreement, _closeness, found in ranked:
        if clusters.is_boundary(found) and clusters.is_boundary(found + len(quote)):
            return found
    return None


def _common_prefix(a: str, b: str) -> int:
    if a == b:
        return len(a)
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def _common_suffix(a: str, b: str) -> int:
    if a == b:
        return len(a)
    length = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        length += 1
    return length


# -- fuzzy ---------------------------------------------------------------------


def _best_approximate(annotation: Anchorable, text: str, clusters: _Clusters) -> Anchor | None:
    quote = annotation.quote
    best: tuple[float, int, int, int] | None = None
    for low, high in _candidate_regions(annotation, text):
        match = _approximate_match(quote, text, low, high, annotation.start)
        if match is None:
            continue
        start, end, edits = match
        start, end = clusters.widen(start, end)
        if start >= end:
            continue
        quote_similarity = max(0.0, 1.0 - edits / len(quote))
        if quote_similarity < MIN_QUOTE_SIMILARITY:
            continue
        score = (
            QUOTE_WEIGHT * quote_similarity
            + CONTEXT_WEIGHT
            * _similarity(annotation.prefix, text[max(0, start - len(annotation.prefix)) : start])
            + CONTEXT_WEIGHT * _similarity(annotation.suffix, text[end : end + len(annotation.suffix)])
        )
        candidate = (score, -abs(start - annotation.start), start, end)
        if best is None or candidate > best:
            best = candidate
    if best is None or best[0] < FUZZY_THRESHOLD:
        return None
    score, _closeness, start, end = best
    return Anchor(start, end, "fuzzy", round(score, 4))


def _similarity(expected: str, found: str) -> float:
    if not expected:
        return 1.0
    return difflib.SequenceMatcher(None, expected, found, autojunk=False).ratio()


def _candidate_regions(annotation: Anchorable, text: str) -> list[tuple[int, int]]:
    """Stretches of text worth an approximate search, merged, nearest the old position first."""
    length = len(annotation.quote)
    guess = min(max(annotation.start, 0), len(text))
    regions = [(guess - NEAR_SLACK, guess + length + NEAR_SLACK)]
    slack = CANDIDATE_SLACK + length // 2

    def around(expected_start: int) -> None:
        regions.append((expected_start - slack, expected_start + length + slack))

    for context in _context_probes(annotation.prefix, from_end=True):
        for found in _nearest(text, context, guess):
            around(found + len(context))
    for context in _context_probes(annotation.suffix, from_end=False):
        for found in _nearest(text, context, guess + length):
            around(found - length)
    for offset, piece in _quote_pieces(annotation.quote):
        for found in _nearest(text, piece, guess + offset):
            around(found - offset)
    clamped = sorted((max(0, low), min(len(text), high)) for low, high in regions)
    merged: list[tuple[int, int]] = []
    for low, high in clamped:
        if low >= high:
            continue
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    merged.sort(key=lambda region: abs((region[0] + region[1]) // 2 - guess))
    return merged[:MAX_REGIONS]


def _context_probes(context: str, *, from_end: bool) -> list[str]:
    """The whole context and the half next to the passage, in case the far half was edited."""
    if len(context) < 8:
        return []
    half = context[len(context) // 2 :] if from_end else context[: len(context) // 2]
    return [context, half] if len(half) >= 8 else [context]


def _quote_pieces(quote: str) -> list[tuple[int, str]]:
    """Up to eight slices of the quote: one of them survives any few scattered edits."""
    if len(quote) < 16:
        return []
    size = max(8, len(quote) // 8)
    return [(offset, quote[offset : offset + size]) for offset in range(0, len(quote) - size + 1, size)]


def _nearest(text: str, needle: str, position: int) -> list[int]:
    """The occurrences of ``needle`` just after and just before ``position``."""
    found = []
    after = text.find(needle, max(0, position))
    if after != -1:
        found.append(after)
    before = text.rfind(needle, 0, max(0, position) + len(needle) - 1)
    if before != -1 and before != after:
        found.append(before)
    return found


def _approximate_match(quote: str, text: str, low: int, high: int, guess: int) -> tuple[int, int, int] | None:
    """The substring of ``text[low:high]`` closest to ``quote`` in edit distance: (start, end, edits)."""
    region = text[low:high]
    if not region:
        return None
    distances = _end_distances(quote, region, anchored=False)
    fewest = min(distances)
    ends = [index + 1 for index, distance in enumerate(distances) if distance == fewest]
    expected_end = guess - low + len(quote)
    end = min(ends, key=lambda candidate: abs(candidate - expected_end))
    reach = max(0, end - len(quote) - fewest)
    backwards = _end_distances(quote[::-1], region[reach:end][::-1], anchored=True)
    start_edits = min(backwards)
    lengths = [index + 1 for index, distance in enumerate(backwards) if distance == start_edits]
    length = min(lengths, key=lambda candidate: abs(candidate - len(quote)))
    return low + end - length, low + end, start_edits


def _end_distances(pattern: str, text: str, *, anchored: bool) -> list[int]:
    """Myers' bit-vector algorithm: for each ``j``, the edit distance of ``pattern`` to the best
    substring of ``text`` ending at ``j`` (``anchored``: to all of ``text[:j + 1]``)."""
    length = len(pattern)
    full = (1 << length) - 1
    high = 1 << (length - 1)
    equal: dict[str, int] = {}
    for index, character in enumerate(pattern):
        equal[character] = equal.get(character, 0) | (1 << index)
    positive, negative, score = full, 0, length
    distances = []
    for character in text:
        eq = equal.get(character, 0)
        xv = eq | negative
        xh = ((((eq & positive) + positive) & full) ^ positive) | eq
        horizontal_positive = negative | (~(xh | positive) & full)
        horizontal_negative = positive & xh
        if horizontal_positive & high:
            score += 1
        elif horizontal_negative & high:
            score -= 1
        horizontal_positive = ((horizontal_positive << 1) | anchored) & full
        horizontal_negative = (horizontal_negative << 1) & full
        positive = horizontal_negative | (~(xv | horizontal_positive) & full)
        negative = horizontal_positive & xv
        distances.append(score)
    return distances


# -- grapheme clusters ---------------------------------------------------------


class _Clusters:
    """Grapheme cluster boundaries of one text, asked about a few offsets at a time.

    One annotation needs a handful of offsets: each is checked by segmenting a small
    window around it. A whole document's worth of re-anchoring (``whole``) segments
    the text once, on the first question, and answers the rest by lookup.
    """

    def __init__(self, text: str, *, whole: bool = False) -> None:
        self._text = text
        self._whole = whole
        self._all: list[int] | None = None
        self._set: frozenset[int] | None = None

    def _everything(self) -> tuple[list[int], frozenset[int]] | None:
        if not self._whole:
            return None
        if self._all is None:
            self._all = grapheme_boundaries(self._text)
            self._set = frozenset(self._all)
        return self._all, self._set

    def is_boundary(self, position: int) -> bool:
        text = self._text
        if position <= 0 or position >= len(text):
            return 0 <= position <= len(text)
        if (
            text[position - 1].isascii()
            and text[position].isascii()
            and text[position - 1 : position + 1] != "\r\n"
        ):
            return True
        everything = self._everything()
        if everything is not None:
            return position in everything[1]
        boundaries, _low, _high = self._window(position)
        return position in boundaries

    def widen(self, start: int, end: int) -> tuple[int, int]:
        """The smallest run of whole clusters covering ``start..end``."""
        if not self.is_boundary(start):
            start = self._before(start)
        if not self.is_boundary(end):
            end = self._after(end)
        return start, end

    def _before(self, position: int) -> int:
        everything = self._everything()
        if everything is not None:
            return everything[0][bisect.bisect_right(everything[0], position) - 1]
        boundaries, low, _high = self._window(position)
        return max((b for b in boundaries if b <= position and (b > low or low == 0)), default=position)

    def _after(self, position: int) -> int:
        everything = self._everything()
        if everything is not None:
            return everything[0][bisect.bisect_left(everything[0], position)]
        boundaries, _low, high = self._window(position)
        return min(
            (b for b in boundaries if b >= position and (b < high or high == len(self._text))),
            default=position,
        )

    def _window(self, position: int) -> tuple[list[int], int, int]:
        low = max(0, position - CLUSTER_WINDOW)
        high = min(len(self._text), position + CLUSTER_WINDOW)
        return [low + offset for offset in grapheme_boundaries(self._text[low:high])], low, high
