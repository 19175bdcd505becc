"""Curation mode in the reader: walk the annotators' disagreements and settle each one.

The reader owns one :class:`Curation` and routes its curation keys here. While the mode is
on, the reader shows the curated layer (annotator ``curation``) and its tagging writes
there; a :class:`~tui.widgets.curation_stack.CurationStack` under the text shows the
disagreement at the cursor with each annotator's version stacked under the passage.
Every decision is one undoable change in the session's history, so ``u`` reverses it.

Who may curate: anyone on an SQLite file (whose annotator names are labels), and on a
team's server the members of the curators' role (the server refuses everyone else).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from tui.corpus.lazy_text import LazyText
from tui.notes.curation import (
    Analysis,
    Disagreement,
    accept_identical,
    accept_version,
    analyse,
    settled,
)
from tui.notes.curation_record import CURATION
from tui.notes.model import Annotation
from tui.notes.store_api import StoreError
from tui.widgets.curation_stack import CurationStack, passage_bounds

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.screens.annotation_session import AnnotationSession
    from tui.widgets.reader_view import ReaderView

CONTEXT_ROWS = 2
"""Rows shown above a disagreement walked to."""


class Curation:
    """The curation state of one reader: on or off, the disagreements, the one at the cursor."""

    def __init__(
        self, session: AnnotationSession, view: ReaderView, notify: Callable[[str, str], None]
    ) -> None:
        self.session = session
        self.view = view
        self._notify = notify
        self.active = False
        self.analysis: Analysis | None = None
        self.settled: list[bool] = []
        self.stack: CurationStack | None = None
        self._signature: list[int] | None = None
        self._theirs: list[Annotation] = []
        self._seen: list[Annotation] | None = None
        """The session's list of annotations last looked at (each change makes a new one)."""
        self._saved: tuple[frozenset[str] | None, str] | None = None

    # -- who and when ------------------------------------------------------------------

    def refusal(self) -> str | None:
        """Why curation is not possible here, or None."""
        session = self.session
        store = session.store
        if store is None or session.doc_hash is None or session.history is None:
            return session.store_notice or "Still reading the document; try again in a moment."
        if getattr(store, "annotator", None) is not None and not getattr(store, "is_curator", False):
            return "Only curators curate on a team's server (margin admin add-annotator NAME --curator)."
        return None

    def toggle(self, container: Widget, before: Widget) -> None:
        """Curation mode on (the stack mounted in ``container`` before ``before``) or off."""
        if self.active:
            self.leave()
            return
        reason = self.refusal()
        if reason:
            self._notify(reason, "warning")
            return
        session = self.session
        self._saved = (session.layer, session.annotator)
        session.annotator = CURATION
        self.active = True
        self.stack = CurationStack(id="curation")
        container.mount(self.stack, before=before)
        session.show_layer(frozenset({CURATION}))
        self._seen = None
        self.changed()
        analysis = self.analysis
        total = len(analysis.regions) if analysis else 0
        open_ = self.settled.count(False)
        alike = len(analysis.unanimous) if analysis else 0
        self._notify(
            f"Curation: {open_} of {total} disagreements open among {len(analysis.annotators) if analysis else 0} "
            f"annotators; {alike} passages all marked alike (= accepts them).",
            "information",
        )
        if self.current() is None and open_:
            self.walk(1)

    def leave(self) -> None:
        if not self.active:
            return
        self.active = False
        if self._saved is not None:
            layer, annotator = self._saved
            self.session.annotator = annotator
            self.session.show_layer(layer)
        if self.stack is not None:
            self.stack.remove()
            self.stack = None
        self._notify("Curation mode off.", "information")

    # -- state -------------------------------------------------------------------------

    def changed(self, *, redraw: bool = True) -> None:
        """The annotations or rejections may have changed: recompute what depends on them
        (``redraw=False`` when the caller moves on and redraws anyway)."""
        if not self.active or self.session.store is None or self.session.doc_hash is None:
            return
        everyone = self.session.everyone
        if everyone is self._seen:
            return  # already brought up to date by the key that made this change
        self._seen = everyone
        theirs = [a for a in everyone if a.annotator != CURATION]
        curated = [a for a in everyone if a.annotator == CURATION]
        # The analysis depends on the annotators' annotations only, which curation keys
        # never touch: it is redone only when one of them changed (here, or live). An
        # annotation is frozen, so a changed one is a new object: identities tell.
        signature = list(map(id, theirs))
        if signature != self._signature or self.analysis is None:
            self.analysis = analyse(theirs)
            self._signature = signature
            self._theirs = theirs  # kept alive, so no new annotation can reuse an id above
        try:
            rejected = [(r.start, r.end) for r in self.session.store.rejections(self.session.doc_hash)]
        except StoreError as error:
            self._notify(str(error), "error")
            rejected = []
        self.settled = settled(self.analysis, curated, rejected)
        if redraw:
            self.redraw()

    def curated(self) -> list[Annotation]:
        return [a for a in self.session.everyone if a.annotator == CURATION]

    def index_at(self, offset: int) -> int | None:
        """The disagreement holding ``offset``, if any."""
        if self.analysis is None:
            return None
        index = bisect_right(self.analysis.starts, offset) - 1
        if index >= 0 and self.analysis.regions[index].end > offset:
            return index
        return None

    def current(self) -> int | None:
        return self.index_at(self.view.cursor)

    def can_accept(self, k: object) -> bool:
        """Whether ``k`` accepts a version here (else the key tags, as outside curation)."""
        index = self.current() if self.active else None
        if index is None or self.analysis is None or not isinstance(k, int):
            return False
        return 1 <= k <= len(self.analysis.regions[index].versions)

    # -- keys --------------------------------------------------------------------------

    def walk(self, direction: int) -> bool:
        """Go to the next (or previous) open disagreement in reading order."""
        analysis = self.analysis
        if analysis is None:
            return False
        cursor = self.view.cursor
        here = self.index_at(cursor)
        if direction > 0:
            index = here + 1 if here is not None else bisect_right(analysis.starts, cursor)
            order = range(index, len(analysis.regions))
        else:
            index = here - 1 if here is not None else bisect_left(analysis.starts, cursor) - 1
            order = range(index, -1, -1)
        for candidate in order:
            if not self.settled[candidate]:
                self.view.go_to_offset(analysis.regions[candidate].start, context=CONTEXT_ROWS)
                self.redraw()
                return True
        self._notify("No more open disagreements that way.", "information")
        return False

    def accept(self, k: int) -> None:
        """Accept the ``k``-th annotator's version (1-based, as shown) of the disagreement here."""
        index = self._open_here()
        if index is None or self.analysis is None:
            return
        region = self.analysis.regions[index]
        if not 1 <= k <= len(region.versions):
            self._notify(f"There are {len(region.versions)} annotators here: 1–{len(region.versions)}.", "warning")
            return
        change = accept_version(
            self.session.doc_hash or "", self._text(), region, k - 1, self.session.everyone, self._curator()
        )
        self._decide(change)

    def reject(self) -> None:
        """The passage here gets no curated annotation."""
        index = self._open_here()
        if index is None or self.analysis is None:
            return
        region = self.analysis.regions[index]
        from tui.notes.curation import RejectPassage

        self._decide(RejectPassage(self.session.doc_hash or "", region.start, region.end, self._curator()))

    def accept_identical(self) -> None:
        """Accept, for the whole document, every passage all annotators marked alike."""
        if self.analysis is None:
            return
        change = accept_identical(self.session.doc_hash or "", self._text(), self.analysis, self.curated())
        if change is None:
            self._notify("Nothing left that all annotators marked alike.", "information")
            return
        if self.session.do(change) is not None:
            self.changed()
            self._notify(f"Accepted {len(change.items)} passages all annotators marked alike (u undoes).", "information")

    def _open_here(self) -> int | None:
        index = self.current()
        if index is None:
            self._notify("No disagreement at the cursor: ] goes to the next one.", "warning")
            return None
        if self.settled[index]:
            self._notify("This disagreement is settled already (u undoes the decision).", "warning")
            return None
        return index

    def _decide(self, change) -> None:
        if self.session.do(change) is None:
            return
        self.changed(redraw=False)
        if not self.settled.count(False):
            self.redraw()
            self._notify("Every disagreement is settled.", "information")
        elif not self.walk(1):
            self.redraw()  # the open ones are behind the cursor: [ goes back to them

    def _text(self) -> LazyText:
        assert self.session.source is not None
        return LazyText(self.session.source)

    def _curator(self) -> str:
        return self._saved[1] if self._saved is not None else self.session.annotator

    # -- drawing -----------------------------------------------------------------------

    def redraw(self) -> None:
        stack = self.stack
        analysis = self.analysis
        if stack is None or analysis is None:
            return
        total = len(analysis.regions)
        open_ = self.settled.count(False)
        index = self.current()
        if index is None:
            stack.show(f"Curation · {open_}/{total} disagreements open · ] next · [ previous · = accept all alike · C leave")
            return
        region = analysis.regions[index]
        state = "settled" if self.settled[index] else "open"
        keys = f"1–{len(region.versions)} accept · 0 reject" if not self.settled[index] else "u undoes"
        header = f"Disagreement {index + 1}/{total} ({state}) · {keys} · ] [ walk · {open_} open"
        passage, start = self._passage(region)
        stack.show(header, region, passage, start, self._options(region.start), self.session.tags)

    def _passage(self, region: Disagreement) -> tuple[str, int]:
        source = self.session.source
        assert source is not None
        around_start = max(0, region.start - 2 * 24)
        around_end = min(source.length, region.end + 2 * 24)
        around = source.text(around_start, around_end)
        start, end = passage_bounds(around, around_start, region.start, region.end)
        return source.text(start, end), start

    def _options(self, offset: int):
        pager = self.view.pager
        level = pager.paragraph(self.view.source.block_at(offset)).base_level
        return replace(pager.options, base_level=level)
