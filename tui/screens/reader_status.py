"""What the reader's status line says, composed from plain state without touching widgets.

Where the reader is (percentage and paragraph), how the file is decoded, whether the notes
server is away and how many changes wait, how far indexing and searching have got, the
search hits, and what can be done with a selection. The screen gathers the state into a
:class:`StatusState` and shows :func:`status_line`'s answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tui.corpus.document import DocumentSource
from tui.notes.store_errors import StoreError

SEPARATOR = " · "


@dataclass(frozen=True)
class StatusState:
    """Everything the status line depends on, read from the screen's objects in one place."""

    source: DocumentSource
    shown: bool
    """Some rows are on screen (else the document is empty)."""
    at_last_row: bool
    """The last row of the document is on screen."""
    top_offset: int
    cursor: int
    indexed: float
    query: str
    searching: float | None
    hits: int
    current_hit: int | None
    notes: str | None
    selection_hint: str | None
    more: tuple[str, ...] = ()
    """What modes of the reader have to say (linking a relation, say), last."""


def status_line(state: StatusState) -> str:
    """``12% · ¶ 3/40 · utf-8 · …`` — the parts that apply, most important first."""
    source = state.source
    parts = []
    if state.shown:
        here = source.block_at(min(state.cursor, max(source.length - 1, 0))) if source.block_count else 0
        length = source.length if source.complete else max(source.length, 1)
        percent = 100 * state.top_offset / length if length else 100
        if state.at_last_row and source.complete:
            percent = 100
        parts.append(f"{percent:3.0f}%")
        parts.append(f"¶ {here + 1}/{source.block_count}{'' if source.complete else '+'}")
    else:
        parts.append("empty")
    parts.append(source.encoding)
    if state.notes:
        parts.append(state.notes)
    if state.indexed < 1:
        parts.append(f"indexing {state.indexed:.0%}")
    if state.searching is not None:
        parts.append(f"searching {state.searching:.0%} (Esc cancels)")
    elif state.hits:
        parts.append(f"“{state.query}” {(state.current_hit or 0) + 1}/{state.hits}")
    elif state.query:
        parts.append(f"“{state.query}” not found")
    if state.selection_hint:
        parts.append(state.selection_hint)
    parts.extend(state.more)
    return SEPARATOR.join(parts)


def selection_hint(keys_by_action: Mapping[str, str]) -> str:
    """What can be done with the selection, with the keys bound now (a keymap may move them)."""

    def key(action: str, fallback: str) -> str:
        return keys_by_action.get(action, fallback)

    return (
        f"selection: 1-9 tag, {key('pick_tag', 't')} pick a tag, {key('note', 'ctrl+n')} note, "
        f"{key('back', 'escape')} cancel"
    )


def notes_status(store: Any) -> str | None:
    """"3 changes waiting" and "notes offline: reason" while the notes server is away;
    the count first, as the reason can be long and the line is cut at the edge."""
    if not callable(getattr(store, "status", None)):
        return None
    try:
        waiting = store.pending
        online = store.online
        reason = store.offline_reason
    except StoreError:
        return "notes offline"
    if online and not waiting:
        return None
    parts = [f"{waiting} change{'s' if waiting != 1 else ''} waiting"] if waiting else []
    parts.append(reason or "notes offline")
    return SEPARATOR.join(parts)
