"""What the store keeps about curation, beside the curated annotations themselves.

The curated layer is made of ordinary annotations whose annotator is :data:`CURATION`.
Two things do not fit an annotation and live in tables of their own, on both backends:
where each curated annotation came from (its *sources*: the annotators' annotations it
was accepted from, by uid) and the passages a curator rejected (so a rejected
disagreement stops being one without any annotation standing for it).
"""

from __future__ import annotations

from dataclasses import dataclass

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
