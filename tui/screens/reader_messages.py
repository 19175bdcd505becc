"""What the reader's workers and state objects report to the screen, as small messages.

Workers run in threads and never touch widgets: they post one of these (posting is
thread-safe) and the screen, on its own thread, updates what is shown. The annotation
session reports the same way, so the screen has one place to react to each kind of news.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.notes.model import Annotation, Tag


@dataclass
class IndexProgress(Message):
    """The background index of a huge file reached ``fraction`` (1.0 when complete)."""

    fraction: float


@dataclass
class Identified(Message):
    """The file's content hash: the key of its notes and its reading position."""

    digest: str


@dataclass
class IdentityFailed(Message):
    """The file could not be hashed (it vanished, or cannot be read): notes stay off."""

    reason: str


@dataclass
class SearchProgress(Message):
    """A search has read ``fraction`` of the document."""

    fraction: float


@dataclass
class SearchDone(Message):
    """Every hit of ``query`` as logical ranges, in document order."""

    query: str
    hits: list[tuple[int, int]]


@dataclass
class AnnotationsChanged(Message):
    """The document's annotations (reading order) or the tags changed; redraw them.

    ``reloaded`` when the whole list was read again (cached highlight styles may go)."""

    annotations: list[Annotation]
    tags: list[Tag]
    reloaded: bool = False


@dataclass
class Reanchored(Message):
    """The notes of a changed file were placed again; ``summary`` says what moved, if anything."""

    summary: str | None


@dataclass
class Notice(Message):
    """Something to tell the reader in a notification."""

    text: str
    severity: str = "information"
    timeout: float | None = None
