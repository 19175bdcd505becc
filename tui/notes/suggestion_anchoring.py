"""Finding suggestions again after their document changed, as annotations are found again.

The same steps as ``tui.notes.anchoring``: at the old place, else the nearest exact quote,
else a fuzzy match of quote and context, else an orphan (kept, not shown, never dropped).
"""

from __future__ import annotations

from dataclasses import replace

from tui.notes.anchoring import reanchor
from tui.notes.model import ANCHORED, ORPHAN, make_selectors
from tui.notes.store_api import NoteStore
from tui.notes.suggestions import Suggestion


def plan_suggestions(suggestions: list[Suggestion], text: str) -> list[Suggestion]:
    """The suggestions whose place, status or context changed, as they should now be."""
    changed = []
    for s in suggestions:
        if s.end <= len(text) and text[s.start : s.end] == s.quote and s.status == ANCHORED:
            selectors = make_selectors(text, s.start, s.end) if s.end > s.start else None
            if selectors is None or (selectors.prefix, selectors.suffix) == (s.prefix, s.suffix):
                continue
        anchor = reanchor(s, text)
        if anchor.status == "orphan":
            if s.status != ORPHAN:
                changed.append(replace(s, status=ORPHAN))
            continue
        selectors = make_selectors(text, anchor.start, anchor.end)
        changed.append(
            replace(
                s,
                start=anchor.start,
                end=anchor.end,
                status=ANCHORED,
                quote=selectors.quote,
                prefix=selectors.prefix,
                suffix=selectors.suffix,
            )
        )
    return changed


def reanchor_suggestions(store: NoteStore, doc_hash: str, text: str, *, from_hash: str | None = None) -> int:
    """Carry a document's suggestions to its new identity and place them in ``text``, in
    one transaction; returns how many moved or were orphaned."""
    with store.transaction():
        if from_hash is not None and from_hash != doc_hash:
            store.move_suggestions(from_hash, doc_hash)
        changed = plan_suggestions(store.suggestions(doc_hash), text)
        if changed:
            store.update_suggestion_anchors(changed)
    return len(changed)
