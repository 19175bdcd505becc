"""The values an annotator works with: tags, documents, annotations.

Offsets are code-point indices into a document's decoded logical text, the same
indices Python slicing uses, so ``text[start:end] == quote`` holds for every
anchored annotation whatever the script.
"""

from __future__ import annotations

import getpass
import os
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

AnnotationStatus = Literal["anchored", "orphan"]
ANCHORED: AnnotationStatus = "anchored"
ORPHAN: AnnotationStatus = "orphan"

CONTEXT_LENGTH = 32
"""Characters of prefix and suffix kept beside a quote, enough to tell repeated passages apart."""

EXCERPT_LENGTH = 24
"""Characters of a quote shown in a message about it (an undo, a relation)."""

TAG_KEYS = tuple("123456789")
PALETTE = (
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#d55e00",
    "#cc79a7",
    "#f0e442",
    "#0072b2",
    "#999999",
    "#a6761d",
    "#66a61e",
)
"""Tag colours: Okabe–Ito's colour-blind-safe colours first, then a few distinct extras."""

_COLOR = re.compile(r"#[0-9a-f]{6}")


class InvalidValue(ValueError):
    """A tag name, colour, key or span that cannot be stored."""


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    color: str
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    hash: str
    path: str
    title: str


@dataclass(frozen=True, slots=True)
class Selectors:
    """What re-anchoring needs to find a passage again after the document changes."""

    quote: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class Annotation:
    id: int
    uid: str
    doc_hash: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    tags: tuple[str, ...]
    note: str
    annotator: str
    created: str
    modified: str
    status: AnnotationStatus


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """A quote as a message names it: on one line, cut to ``limit`` characters, in quotes."""
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= limit else flat[: limit - 1] + '…'}”"


def make_selectors(text: str, start: int, end: int) -> Selectors:
    """Quote plus surrounding context, refusing spans that do not fit the text."""
    check_span(text, start, end)
    return Selectors(
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
    )


def check_span(text: str, start: int, end: int) -> None:
    """A passage must be a non-empty slice of the text."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise InvalidValue(f"offsets must be integers, got {start!r}..{end!r}")
    if not 0 <= start < end <= len(text):
        raise InvalidValue(f"span {start}..{end} is not a non-empty passage of a {len(text)}-character text")


def utc_now() -> str:
    """ISO 8601 UTC with a ``Z``, second precision: sortable as text and readable in exports."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def login_name() -> str:
    """Who is annotating when nobody said: the login name, whatever the platform offers."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def new_uid() -> str:
    return str(uuid.uuid4())


def check_tag_name(name: str) -> str:
    """Tag names become brat labels, CSV cells and Markdown words: one visible line."""
    if not isinstance(name, str):
        raise InvalidValue(f"tag name must be text, got {name!r}")
    cleaned = name.strip()
    if not cleaned:
        raise InvalidValue("tag name is empty")
    if any(ch in cleaned for ch in "\t\r\n") or not cleaned.isprintable():
        raise InvalidValue(f"tag name {name!r} contains control characters")
    return cleaned


def check_color(color: str) -> str:
    normalised = color.strip().lower() if isinstance(color, str) else ""
    if not _COLOR.fullmatch(normalised):
        raise InvalidValue(f"colour {color!r} is not of the form #rrggbb")
    return normalised


def check_key(key: str | None) -> str | None:
    if key is not None and key not in TAG_KEYS:
        raise InvalidValue(f"tag key {key!r} is not one of 1-9")
    return key
