"""Accepting and rejecting suggestions as undoable changes (``tui.notes.history.Change``).

Accepting records my decision first and then makes the annotation, in the history's one
transaction: a store that cannot record decisions (a team server that is away) refuses
before anything is written, so no annotation is journaled without its provenance. Many
suggestions accepted at once (``Y``) are one change, so one undo takes them all back.

Undoing a decision puts back the one it replaced, if any: a suggestion accepted, its
annotation deleted (so open again) and then decided anew is, after undoing that decision
and the delete, accepted again with its first annotation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tui.notes.model import ANCHORED, Annotation, excerpt, make_selectors, new_uid, utc_now
from tui.notes.store_errors import StoreOffline
from tui.notes.suggestions import ACCEPTED, REJECTED, Decision, Suggestion

if TYPE_CHECKING:
    from tui.notes.store_api import NoteStore


@dataclass(slots=True)
class _Accepted:
    """What accepting one suggestion did, so it can be undone and done again exactly."""

    suggestion: Suggestion
    annotation: Annotation
    """The annotation now carrying the suggestion's tag (made, or mine already)."""
    made: bool
    """Whether accepting made ``annotation`` (else it only added the tag, or nothing)."""
    previous_tags: tuple[str, ...] | None
    """An existing annotation's tags before the suggestion's was added (None: unchanged)."""


@dataclass(slots=True)
class AcceptSuggestions:
    """Accept suggestions: each becomes my annotation with its tag (or adds the tag to my
    annotation of exactly that passage), and my decision names that annotation."""

    doc_hash: str
    text: str
    suggestions: tuple[Suggestion, ...]
    annotator: str
    previous: Mapping[str, Decision] | None = None
    """My decisions before this change, by suggestion uid, if the caller has them (else
    they are read from the store)."""
    done: list[_Accepted] = field(default_factory=list, init=False)
    created_tags: tuple[str, ...] = field(default=(), init=False)
    replaced: dict[str, Decision] | None = field(default=None, init=False)

    @property
    def description(self) -> str:
        if len(self.suggestions) == 1:
            return f"accept suggestion {excerpt(self.suggestions[0].quote)}"
        return f"accept {len(self.suggestions)} suggestions"

    def apply(self, store: NoteStore) -> list[Annotation]:
        known = {tag.name for tag in store.tags()}
        self.created_tags = tuple(dict.fromkeys(s.tag for s in self.suggestions if s.tag not in known))
        if not self.done:
            self.replaced = _replaced(store, self.suggestions, self.annotator, self.previous)
            self.previous = None
            self.done = self._plan(store)
        results = []
        for index, step in enumerate(self.done):
            store.decide_suggestion(
                step.suggestion.uid, ACCEPTED, annotation_uid=step.annotation.uid, annotator=self.annotator
            )
            if step.made:
                step = self.done[index] = _replace_annotation(step, store.restore_annotation(step.annotation))
            elif step.previous_tags is not None:
                store.set_tags(step.annotation.id, (*step.previous_tags, step.suggestion.tag))
            results.append(step.annotation)
        return results

    def _plan(self, store: NoteStore) -> list[_Accepted]:
        mine = {
            (a.start, a.end): a
            for a in store.annotations(self.doc_hash)
            if a.annotator == self.annotator and a.status == ANCHORED
        }
        planned: list[_Accepted] = []
        making: dict[tuple[int, int], int] = {}
        """Spans this change makes an annotation for, to the step that makes it."""
        for s in self.suggestions:
            if (s.start, s.end) in making:
                # Several suggestions of one passage (different tags): one annotation, all tags.
                first = planned[making[(s.start, s.end)]]
                if s.tag not in first.annotation.tags:
                    first.annotation = replace(first.annotation, tags=(*first.annotation.tags, s.tag))
                planned.append(_Accepted(s, first.annotation, False, None))
                continue
            existing = mine.get((s.start, s.end))
            if existing is not None:
                previous = None if s.tag in existing.tags else existing.tags
                if previous is not None:
                    mine[(s.start, s.end)] = replace(existing, tags=(*existing.tags, s.tag))
                planned.append(_Accepted(s, existing, False, previous))
                continue
            selectors = make_selectors(self.text, s.start, s.end)
            now = utc_now()
            annotation = Annotation(
                id=0,
                uid=new_uid(),
                doc_hash=self.doc_hash,
                start=s.start,
                end=s.end,
                quote=selectors.quote,
                prefix=selectors.prefix,
                suffix=selectors.suffix,
                tags=(s.tag,),
                note="",
                annotator=self.annotator,
                created=now,
                modified=now,
                status=ANCHORED,
            )
            making[(s.start, s.end)] = len(planned)
            planned.append(_Accepted(s, annotation, True, None))
        return planned

    def revert(self, store: NoteStore) -> None:
        for step in reversed(self.done):
            if step.made:
                store.delete_annotation(step.annotation.id)
            elif step.previous_tags is not None:
                store.set_tags(step.annotation.id, step.previous_tags)
            _take_back(store, step.suggestion.uid, self.replaced, self.annotator)
        for name in self.created_tags:
            if store.tag(name) is not None and store.tag_usage(name) == 0:
                store.delete_tag(name)

    def touched(self) -> frozenset[int]:
        """The annotations this change made or retagged (what the reader reads again)."""
        return frozenset(step.annotation.id for step in self.done if step.annotation.id)


@dataclass(slots=True)
class RejectSuggestions:
    """Reject suggestions for me: hidden in my reader, remembered in the store."""

    suggestions: tuple[Suggestion, ...]
    annotator: str
    previous: Mapping[str, Decision] | None = None
    """As for :class:`AcceptSuggestions`."""
    replaced: dict[str, Decision] | None = field(default=None, init=False)

    @property
    def description(self) -> str:
        if len(self.suggestions) == 1:
            return f"reject suggestion {excerpt(self.suggestions[0].quote)}"
        return f"reject {len(self.suggestions)} suggestions"

    def apply(self, store: NoteStore) -> tuple[Suggestion, ...]:
        if self.replaced is None:
            self.replaced = _replaced(store, self.suggestions, self.annotator, self.previous)
            self.previous = None
        for s in self.suggestions:
            store.decide_suggestion(s.uid, REJECTED, annotator=self.annotator)
        return self.suggestions

    def revert(self, store: NoteStore) -> None:
        for s in reversed(self.suggestions):
            _take_back(store, s.uid, self.replaced, self.annotator)

    def touched(self) -> frozenset[int]:
        return frozenset()


def is_suggestion_change(change: object) -> bool:
    return isinstance(change, AcceptSuggestions | RejectSuggestions)


def at_least(suggestions: Sequence[Suggestion], threshold: float) -> tuple[Suggestion, ...]:
    """Those scored at or above ``threshold`` (a suggestion without a score is never)."""
    return tuple(s for s in suggestions if s.score is not None and s.score >= threshold)


def _replaced(
    store: NoteStore, suggestions: Sequence[Suggestion], annotator: str, previous: Mapping[str, Decision] | None
) -> dict[str, Decision]:
    """The decisions of mine that deciding ``suggestions`` replaces (stale acceptances)."""
    if previous is None:
        previous = {}
        try:
            for doc_hash in {s.doc_hash for s in suggestions}:
                previous.update(store.suggestion_decisions(annotator, doc_hash))
        except StoreOffline:
            return {}  # deciding is refused offline, with its own clear message
    return {s.uid: previous[s.uid] for s in suggestions if s.uid in previous}


def _take_back(store: NoteStore, uid: str, replaced: dict[str, Decision] | None, annotator: str) -> None:
    """Undo my decision on ``uid``: put back the one it replaced, or none."""
    before = (replaced or {}).get(uid)
    if before is None:
        store.undecide_suggestion(uid, annotator=annotator)
    else:
        store.decide_suggestion(uid, before.decision, annotation_uid=before.annotation_uid, annotator=annotator)


def _replace_annotation(step: _Accepted, annotation: Annotation) -> _Accepted:
    return _Accepted(step.suggestion, annotation, step.made, step.previous_tags)

