"""Model suggestions (pre-annotations): predicted spans an annotator accepts or rejects.

A suggestion is not an annotation: it belongs to no annotator, is never exported as an
annotation and has one tag, an optional score and the name of what suggested it (its
``source``, a model say). Like an annotation it keeps quote, prefix and suffix, so it is
found again when its document changes, or kept as an orphan.

Each annotator decides for themselves: accepting makes an annotation of mine with the
suggestion's tag (the decision keeps that annotation's uid, which is the provenance
"suggested by SOURCE"), rejecting hides the suggestion for me. Someone else's decision
changes nothing for me. A suggestion's uid is derived from its document, span, tag and
source, so importing the same file twice adds nothing the second time.

An acceptance stands only while its annotation exists and carries the suggestion's tag: the
store derives that when it reads a decision (:data:`READ_DECISION`) rather than keeping a
flag that a delete, an undo or another window could leave stale. So deleting the annotation,
or taking the tag off it, puts the suggestion back among the open ones, and undoing that
accepts it again. Renaming a tag renames it in the suggestions too.

Offsets are code points of the decoded text, as everywhere in ``tui.notes``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from tui.notes.model import ANCHORED, AnnotationStatus, InvalidValue, check_tag_name

DecisionKind = Literal["accepted", "rejected"]
ACCEPTED: DecisionKind = "accepted"
REJECTED: DecisionKind = "rejected"
DECISIONS = (ACCEPTED, REJECTED)

SUGGESTION_NAMESPACE = uuid.UUID("5b0c1a52-7d4e-4c8e-9a51-6d2f0e8b9c11")
"""Namespace of the uuid5 that names a suggestion by what it says (see ``suggestion_uid``)."""

SUGGESTION_COLUMNS = (
    "uid",
    "doc_hash",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "tag",
    "score",
    "source",
    "status",
    "created",
)
"""The ``suggestions`` table's columns, in ``Suggestion`` field order (both backends)."""

STANDING = (
    "(decision <> 'accepted' OR annotation_uid IS NULL OR EXISTS "
    "(SELECT 1 FROM annotations"
    " JOIN annotation_tags ON annotation_tags.annotation_id = annotations.id"
    " JOIN suggestions ON suggestions.uid = suggestion_decisions.suggestion_uid"
    " WHERE annotations.uid = suggestion_decisions.annotation_uid AND annotation_tags.tag = suggestions.tag))"
)
"""Whether a ``suggestion_decisions`` row still holds: a rejection always, an acceptance
while the annotation it made (or tagged) exists and carries the suggestion's tag."""
READ_DECISION = f"suggestion_uid, doc_hash, annotator, decision, annotation_uid, decided, {STANDING}"
"""What a backend selects from ``suggestion_decisions``, in ``Decision`` field order."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    uid: str
    doc_hash: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    tag: str
    score: float | None
    source: str
    status: AnnotationStatus = ANCHORED
    created: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    """One annotator's answer to one suggestion; ``annotation_uid`` is what accepting made."""

    suggestion_uid: str
    doc_hash: str
    annotator: str
    decision: DecisionKind
    annotation_uid: str | None
    decided: str
    standing: bool = True
    """False for an acceptance whose annotation was deleted since: the suggestion is open
    again (and accepted again when the delete is undone and the annotation is back)."""


def suggestion_uid(doc_hash: str, start: int, end: int, tag: str, source: str) -> str:
    """The same suggestion imported twice gets the same uid, so it is stored once."""
    return str(uuid.uuid5(SUGGESTION_NAMESPACE, f"{doc_hash}\x00{start}\x00{end}\x00{tag}\x00{source}"))


def check_source(source: str) -> str:
    """A source is shown as "suggested by SOURCE": one visible line."""
    name = " ".join(str(source).split())
    if not name:
        raise InvalidValue("a suggestion's source needs a name")
    if any(not char.isprintable() for char in name):
        raise InvalidValue(f"suggestion source {name!r} has control characters")
    return name


def check_suggestion(suggestion: Suggestion) -> None:
    """What a store refuses: a bad span, tag, score, source or decision."""
    if not (type(suggestion.start) is int and type(suggestion.end) is int and 0 <= suggestion.start <= suggestion.end):
        raise InvalidValue(f"suggestion span {suggestion.start!r}..{suggestion.end!r} is not valid")
    check_tag_name(suggestion.tag)
    check_source(suggestion.source)
    score = suggestion.score
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float) or score != score):
        raise InvalidValue(f"suggestion score {score!r} is not a number")


def check_decision(decision: str) -> DecisionKind:
    if decision not in DECISIONS:
        raise InvalidValue(f"a decision is accepted or rejected, not {decision!r}")
    return decision  # type: ignore[return-value]


def suggestion_row(suggestion: Suggestion) -> tuple:
    return tuple(getattr(suggestion, column) for column in SUGGESTION_COLUMNS)


def is_open(decision: Decision | None) -> bool:
    """Whether a suggestion with this decision of mine (None: none) is still mine to decide."""
    return decision is None or not decision.standing


def open_for(suggestions: list[Suggestion], decided: Mapping[str, Decision]) -> list[Suggestion]:
    """The anchored suggestions with no standing decision of mine, in the order given."""
    return [s for s in suggestions if s.status == ANCHORED and is_open(decided.get(s.uid))]
