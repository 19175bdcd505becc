"""Suggestions through a journaled PostgreSQL store (``tui.notes.journal.JournaledStore``).

Reads pass through to the server and are remembered, so a reader that loses the server
keeps showing the suggestions it had. Decisions are not journaled: accepting one makes an
annotation *and* records the decision, and a journal replays annotations only, so while the
server is away (or changes still wait to be sent) a decision is refused with a clear
``StoreOffline`` before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.notes.store_api import StoreOffline
from tui.notes.suggestions import Decision, Suggestion


class JournaledSuggestions:
    """Mixed into ``JournaledStore``, which provides ``_call``, ``online``, ``pending`` and
    ``offline_reason``."""

    def _remembered_suggestions(self) -> dict[str | None, list[Suggestion]]:
        cache = self.__dict__.get("_suggestion_listings")
        if cache is None:
            cache = self.__dict__["_suggestion_listings"] = {}
        return cache

    def _suggestion_write(self, name: str, *args, **kwargs):
        if not self.online or self.pending:
            raise _refused(self.offline_reason or "changes are still waiting to be sent")
        try:
            return self._call(name, *args, **kwargs)
        except StoreOffline as error:
            raise _refused(str(error)) from None

    def suggestions(self, doc_hash: str | None = None) -> list[Suggestion]:
        remembered = self._remembered_suggestions()
        try:
            listing = self._call("suggestions", doc_hash)
        except StoreOffline:
            if doc_hash in remembered:
                return list(remembered[doc_hash])
            raise
        remembered[doc_hash] = listing
        return listing

    def suggestion_decisions(self, annotator: str | None = None, doc_hash: str | None = None) -> dict[str, Decision]:
        return self._call("suggestion_decisions", annotator, doc_hash)

    def suggested_by(self, doc_hash: str) -> dict[str, str]:
        return self._call("suggested_by", doc_hash)

    def add_suggestions(self, suggestions: Iterable[Suggestion]) -> int:
        return self._suggestion_write("add_suggestions", list(suggestions))

    def decide_suggestion(
        self, uid: str, decision: str, *, annotation_uid: str | None = None, annotator: str | None = None
    ) -> Decision:
        return self._suggestion_write(
            "decide_suggestion", uid, decision, annotation_uid=annotation_uid, annotator=annotator
        )

    def undecide_suggestion(self, uid: str, *, annotator: str | None = None) -> None:
        self._suggestion_write("undecide_suggestion", uid, annotator=annotator)

    def update_suggestion_anchors(self, suggestions: Iterable[Suggestion]) -> int:
        return self._suggestion_write("update_suggestion_anchors", list(suggestions))

    def move_suggestions(self, from_hash: str, to_hash: str) -> int:
        return self._suggestion_write("move_suggestions", from_hash, to_hash)


def _refused(reason: str) -> StoreOffline:
    return StoreOffline(
        f"suggestions cannot be accepted, rejected or imported while the notes server is away "
        f"({reason}); nothing was changed, try again once it is back"
    )
