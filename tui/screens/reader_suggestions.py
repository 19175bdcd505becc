"""The model suggestions of the document open in the reader, and my decisions on them.

The reader screen owns one of these beside its :class:`AnnotationSession`. It keeps the
document's suggestions in reading order and my decisions, answers which open suggestion is
under the cursor or next in either direction, and draws the open ones — dim, in their tag's
colour, with a double underline, so they never pass for annotations (mine are chips, others'
a single underline). Accepting and rejecting go through the session's history, so ``u``
undoes them like any other change (a bulk accept is one step).

After a change only my decisions are read again (one indexed query); the suggestions
themselves are read when the document's notes are (re)loaded. Highlights are kept per
suggestion and colour, so a redraw after accepting one of ten thousand rebuilds nothing else.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from rich.style import Style
from textual.message import Message

from tui.corpus.lazy_text import LazyText
from tui.notes.model import ORPHAN, PALETTE, Annotation, Tag
from tui.notes.store_errors import StoreError
from tui.screens.reader_messages import Notice
from tui.widgets.reader_marks import Highlight

if TYPE_CHECKING:
    from tui.notes.suggestion_changes import AcceptSuggestions, RejectSuggestions
    from tui.notes.suggestions import Decision, Suggestion
    from tui.screens.annotation_session import AnnotationSession

ERROR_SECONDS = 10
INCREMENTAL_LIMIT = 64
"""Decisions changed at once beyond which ``open`` is rebuilt rather than edited in place."""


@dataclass
class SuggestionsChanged(Message):
    """The document's suggestions were read again (or placed again after an edit): redraw."""


class ReaderSuggestions:
    """Suggestions of one document: which are open for me, where, and what y / z / Y do."""

    def __init__(self, session: AnnotationSession, post: Callable[[Message], object]) -> None:
        self.session = session
        self._post = post
        self.suggestions: list[Suggestion] = []
        """The document's suggestions, in reading order (orphans included)."""
        self.decided: dict[str, Decision] = {}
        """My decisions on them, by suggestion uid."""
        self.open: list[Suggestion] = []
        """The anchored ones I have not decided, in reading order: what is drawn and visited."""
        self._starts: list[int] = []
        self._longest = 0
        self._doc_hash: str | None = None
        self._styles: dict[str | None, Style] = {}
        self._highlight_cache: dict[tuple[str, str | None], Highlight] = {}
        self._highlights: list[Highlight] = []
        self._annotation_highlights: list[Highlight] = []
        self._counts = (0, 0, 0)
        self._orphans = 0
        self._by_uid: dict[str, Suggestion] = {}
        self._orphan_uids: list[str] = []
        self._drawn = False
        """Whether ``_highlights`` matches ``open`` one to one (else it is built when drawn)."""
        self._colors: dict[str, str] = {}
        """The tag colours the highlights were drawn in."""

    # -- reading ------------------------------------------------------------------------

    def load(self, *, again: bool = False) -> None:
        """Read the document's suggestions and my decisions (the notes were (re)loaded).

        The suggestions themselves are read once per document, or ``again`` when they were
        placed anew; a reload of the notes (after every change, mine or another's) reads
        only my decisions, so ten thousand suggestions cost nothing per key."""
        store, doc_hash = self.session.store, self.session.doc_hash
        if store is None or doc_hash is None:
            self._doc_hash = None
            self.suggestions, self.decided = [], {}
            self._rebuild()
            return
        if doc_hash == self._doc_hash and not again:
            self.sync()
            return
        try:
            suggestions = store.suggestions(doc_hash)
            decided = store.suggestion_decisions(self.session.annotator, doc_hash) if suggestions else {}
        except StoreError as error:
            self._notice(str(error), "error", ERROR_SECONDS)
            return
        if doc_hash != self._doc_hash:
            self._highlight_cache.clear()
        self._doc_hash = doc_hash
        # Python's order, whatever the server's collation does with the uids' hyphens, so
        # that bisection finds each one again.
        suggestions.sort(key=_ORDER)
        self.suggestions, self.decided = suggestions, decided
        self._by_uid = {s.uid: s for s in suggestions}
        self._orphan_uids = [s.uid for s in suggestions if s.status == ORPHAN]
        self._rebuild()

    def sync(self) -> None:
        """Read my decisions again (after accepting, rejecting, undoing or redoing)."""
        store, doc_hash = self.session.store, self.session.doc_hash
        if not self.suggestions or store is None or doc_hash != self._doc_hash:
            return
        try:
            decided = store.suggestion_decisions(self.session.annotator, doc_hash)
        except StoreError as error:
            self._notice(str(error), "error", ERROR_SECONDS)
            return
        before, after = _closed(self.decided), _closed(decided)
        self.decided = decided
        self._update(before - after, after - before)

    def provenance(self) -> dict[str, str]:
        """Annotations of the document made by accepting a suggestion: uid -> its source
        (for the panel; read only when it is shown)."""
        store, doc_hash = self.session.store, self.session.doc_hash
        if store is None or doc_hash is None:
            return {}
        try:
            return store.suggested_by(doc_hash)
        except StoreError:
            return {}

    def provenance_labels(self) -> dict[str, str]:
        """``"suggested by SOURCE"`` per annotation made by accepting a suggestion, by uid."""
        return {uid: f"suggested by {source}" for uid, source in self.provenance().items()}

    def sources(self, store: object, annotations: list[Annotation]) -> dict[str, str]:
        """Where each listed annotation came from, by uid: the annotators a curated one was
        made from, or the suggestion one accepts; for the annotation panel."""
        from tui.notes.curation_record import provenance_labels

        labels = provenance_labels(store, self.session.doc_hash, annotations)
        labels.update(self.provenance_labels())
        return labels

    def reanchor(self, old_hash: str) -> None:
        """The file changed since the suggestions were placed: find them again. Slow (reads
        the whole text); run it in a thread worker. Posts :class:`SuggestionsChanged`."""
        from tui.notes.suggestion_anchoring import reanchor_suggestions

        store, doc_hash, source = self.session.store, self.session.doc_hash, self.session.source
        if store is None or doc_hash is None or source is None:
            return
        while not source.complete:
            source.index_step()
        try:
            reanchor_suggestions(store, doc_hash, source.text(0, source.length), from_hash=old_hash)
        except StoreError as error:
            self._notice(str(error), "error", ERROR_SECONDS)
            return
        self._post(SuggestionsChanged())

    def _rebuild(self) -> None:
        from tui.notes.suggestions import open_for

        self.open = open_for(self.suggestions, self.decided)
        self._starts = [s.start for s in self.open]
        self._longest = max((s.end - s.start for s in self.open), default=0)
        self._highlights = []
        self._drawn = False
        self._count()

    def _update(self, reopened: set[str], decided: set[str]) -> None:
        """Take newly decided suggestions out of ``open`` and put undone ones back, in
        place: accepting one of ten thousand moves a few list items, rebuilds nothing."""
        if len(reopened) + len(decided) > INCREMENTAL_LIMIT:
            self._rebuild()
            return
        for uid in decided:
            s = self._by_uid.get(uid)
            index = self._index(s) if s is not None else None
            if index is not None and index < len(self.open) and self.open[index].uid == uid:
                del self.open[index], self._starts[index]
                if self._drawn:
                    del self._highlights[index]
        for uid in reopened:
            s = self._by_uid.get(uid)
            if s is None or s.status == ORPHAN:
                continue
            index = self._index(s)
            if index < len(self.open) and self.open[index].uid == uid:
                continue
            self.open.insert(index, s)
            self._starts.insert(index, s.start)
            self._longest = max(self._longest, s.end - s.start)
            if self._drawn:
                self._highlights.insert(index, self._highlight(s, self._colors))
        self._count()

    def _index(self, suggestion: Suggestion) -> int:
        return bisect_left(self.open, _ORDER(suggestion), key=_ORDER)

    def _count(self) -> None:
        from tui.notes.suggestions import ACCEPTED, REJECTED, is_open

        here = self._by_uid
        standing = [d.decision for uid, d in self.decided.items() if d.standing and uid in here]
        self._counts = (standing.count(ACCEPTED), standing.count(REJECTED), len(self.open))
        self._orphans = sum(1 for uid in self._orphan_uids if is_open(self.decided.get(uid)))

    # -- finding ------------------------------------------------------------------------

    def at(self, offset: int) -> Suggestion | None:
        """The open suggestion holding ``offset``, the shortest if several."""
        hi = bisect_right(self._starts, offset)
        lo = bisect_left(self._starts, offset - self._longest)
        found = [s for s in self.open[lo:hi] if s.start <= offset < s.end]
        return min(found, key=lambda s: (s.end - s.start, s.start)) if found else None

    def next_start(self, offset: int, direction: int) -> int | None:
        """Where the next (or previous) open suggestion after ``offset`` starts."""
        if direction > 0:
            index = bisect_right(self._starts, offset)
        else:
            index = bisect_left(self._starts, offset) - 1
        return self._starts[index] if 0 <= index < len(self._starts) else None

    def counts(self) -> tuple[int, int, int]:
        """Accepted, rejected and open, on this document, for me."""
        return self._counts

    def status(self) -> str | None:
        """The status line's part: "suggestions 3 accepted · 1 rejected · 12 open"."""
        if not self.suggestions:
            return None
        accepted, rejected, open_ = self._counts
        lost = f", {self._orphans} not found" if self._orphans else ""
        return f"suggestions {accepted} accepted, {rejected} rejected, {open_} open{lost}"

    # -- deciding -----------------------------------------------------------------------

    def accept(self, offset: int) -> None:
        """Accept the suggestion under the cursor: my annotation with its tag."""
        from tui.notes.suggestion_changes import AcceptSuggestions

        target = self._under(offset)
        if target is not None and self.session.ready():
            self._do(AcceptSuggestions(target.doc_hash, self._text(), (target,), self.session.annotator, self.decided))

    def reject(self, offset: int) -> None:
        """Reject the suggestion under the cursor: hidden for me, and remembered."""
        from tui.notes.suggestion_changes import RejectSuggestions

        target = self._under(offset)
        if target is not None and self.session.ready():
            self._do(RejectSuggestions((target,), self.session.annotator, self.decided))

    def accept_at_least(self, value: str) -> None:
        """Accept every open suggestion scored at or above ``value`` (typed in a prompt)."""
        from tui.notes.suggestion_changes import AcceptSuggestions, at_least

        try:
            threshold = float(value.strip().replace(",", "."))
        except ValueError:
            threshold = float("nan")
        if threshold != threshold:
            self._notice(f"Not a score: {value!r} (type a number such as 0.8).", "warning")
            return
        chosen = at_least(self.open, threshold)
        if not chosen:
            self._notice(f"No open suggestion is scored {threshold:g} or more.", "warning")
            return
        if not self.session.ready():
            return
        change = AcceptSuggestions(chosen[0].doc_hash, self._text(), chosen, self.session.annotator, self.decided)
        if self._do(change):
            count = len(chosen)
            self._notice(f"Accepted {count} suggestion{'s' if count != 1 else ''} scored {threshold:g} or more (u undoes).")

    def _under(self, offset: int) -> Suggestion | None:
        target = self.at(offset)
        if target is None:
            self._notice("No open suggestion under the cursor: . and , go to the next and previous one.", "warning")
        return target

    def _do(self, change: AcceptSuggestions | RejectSuggestions) -> bool:
        return self.session.do(change) is not None

    def _text(self) -> str:
        assert self.session.source is not None
        return LazyText(self.session.source)  # type: ignore[return-value]

    def _notice(self, text: str, severity: str = "information", timeout: float | None = None) -> None:
        self._post(Notice(text, severity, timeout))

    # -- drawing ------------------------------------------------------------------------

    def with_annotations(self, annotations: list[Highlight] | None, tags: list[Tag]) -> list[Highlight]:
        """The reader's highlights: the annotations' (None: those given last time) and the
        open suggestions', in (start, end) order."""
        if annotations is not None:
            self._annotation_highlights = annotations
        if not self.open:
            return self._annotation_highlights
        colors = {t.name: t.color for t in tags}
        if not self._drawn:
            self._highlights = [self._highlight(s, colors) for s in self.open]
            self._drawn = True
        elif colors != self._colors:
            before = self._colors
            changed = {name for name in before.keys() | colors.keys() if before.get(name) != colors.get(name)}
            self._highlights = [
                self._highlight(s, colors) if s.tag in changed else h
                for s, h in zip(self.open, self._highlights, strict=True)
            ]
        self._colors = colors
        annotations = self._annotation_highlights
        if not annotations:
            return list(self._highlights)  # the view keeps it; ours changes in place
        if len(annotations) * 16 < len(self._highlights):
            merged = list(self._highlights)
            for highlight in annotations:
                insort(merged, highlight, key=_BY_PLACE)
            return merged
        # Both lists are in order: Timsort merges the two runs in one pass.
        return sorted([*annotations, *self._highlights], key=_BY_PLACE)

    def _highlight(self, s: Suggestion, colors: dict[str, str]) -> Highlight:
        color = colors.get(s.tag) or _fallback_color(s.tag)
        key = (s.uid, color)
        highlight = self._highlight_cache.get(key)
        if highlight is None:
            highlight = self._highlight_cache[key] = Highlight(s.start, s.end, self._style(color))
        return highlight

    def _style(self, color: str | None) -> Style:
        style = self._styles.get(color)
        if style is None:
            style = self._styles[color] = Style(color=color, dim=True, underline2=True)
        return style


def _closed(decided: dict[str, Decision]) -> set[str]:
    """The suggestions my standing decisions close (an acceptance whose annotation was
    deleted does not: that suggestion is open again)."""
    return {uid for uid, d in decided.items() if d.standing}


_BY_PLACE = attrgetter("start", "end")
_ORDER = attrgetter("start", "end", "uid")


def _fallback_color(tag: str) -> str:
    """A tag the store does not know yet still gets a steady colour of the palette."""
    return PALETTE[zlib.crc32(tag.encode("utf-8", "surrogatepass")) % len(PALETTE)]
