"""What the store keeps about curation, beside the curated annotations themselves.

The curated layer is made of ordinary annotations whose annotator is :data:`CURATION`.
Two things do not fit an annotation and live in tables of their own, on both backends:
where each curated annotation came from (its *sources*: the annotators' annotations it
was accepted from, by uid) and the passages a curator rejected (so a rejected
disagreement stops being one without any annotation standing for it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.notes.model import Annotation

CURATION = "curation"
"""The annotator of the curated layer: the gold set."""


@dataclass(frozen=True, slots=True)
class Source:
    """One annotator's annotation a curated annotation was accepted from."""

    uid: str
    annotator: str


@dataclass(frozen=True, slots=True)
class Rejection:
    """A passage the curator decided gets no curated annotation."""

    doc_hash: str
    start: int
    end: int
    curator: str
    created: str


def provenance_labels(store: object, doc_hash: str | None, annotations: Iterable[Annotation]) -> dict[str, str]:
    """``"from ana, carol"`` per curated annotation's uid, for lists that show annotations;
    nothing is read from the store unless a curated annotation is among them."""
    if doc_hash is None or not any(a.annotator == CURATION for a in annotations):
        return {}
    reader = getattr(store, "document_provenance", None)
    if reader is None:
        return {}
    try:
        found = reader(doc_hash)
    except Exception:  # the list is shown without provenance rather than not at all
        return {}
    return {uid: "from " + ", ".join(sorted({s.annotator for s in sources})) for uid, sources in found.items()}
