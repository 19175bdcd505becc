"""Relations in the reader: made by keyboard, listed in the panel, marked in the gutter.

``r`` on an annotation starts a relation from it (its *source*); the reader moves to the
target annotation with any motion (``]``, ``[``, a search), Enter asks for a label and links
the two. The relation in progress is shown on the status line until it is made or Esc
cancels it. Each change is one step of the reader's undo history; deleting an annotation
that relations use asks first and then removes it and them in one step.

The object belongs to the reader screen, which routes keys and messages to it; it reads
the annotation session (what is under the cursor, the undo history) and draws through the
view and the panel, and keeps only the relation state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.notes.model import ORPHAN, Annotation, excerpt
from tui.notes.store_errors import StoreError

if TYPE_CHECKING:
    from tui.notes.relations import Relation
SOURCE, TARGET = 1, 2
"""A passage's part in a relation, as the gutter marks it."""
CONTEXT_ROWS = 2
"""Rows shown above a passage jumped to, as for annotations."""


class ReaderRelations:
    """The open document's relations and the one being made."""

    def __init__(self, screen: Any) -> None:
        """``screen`` is the reader: its ``session``, ``view``, ``app``, ``notify``, status line
        and ``show_relations`` are what this object reads and draws through."""
        self._screen = screen
        self.relations: list[Relation] = []
        """The document's relations (everyone's), oldest first."""
        self.source: Annotation | None = None
        """The annotation a relation is being made from, until it is made or cancelled."""

    @property
    def _session(self):
        return self._screen.session

    def _notify(self, text: str, severity: str = "information") -> None:
        self._screen.notify(text, severity=severity, markup=False)

    def _key(self, action: str, fallback: str) -> str:
        """The key bound to ``action`` now (a keymap may move it), as a person types it:
        ``fallback`` (a Textual key name) when it is still one of them."""
        from textual.keys import format_key, key_to_character

        names = [name for name, active in self._screen.active_bindings.items() if active.binding.action == action]
        name = fallback if fallback in names or not names else names[0]
        character = key_to_character(name)
        return character if character and character.isprintable() else format_key(name)

    # -- making one ---------------------------------------------------------------------

    def start(self) -> None:
        """Start a relation from the annotation under the cursor."""
        session = self._session
        if not session.ready():
            return
        under = session.at(self._screen.view.cursor)
        if not under:
            self._notify("Put the cursor on an annotation to start a relation from it.", "warning")
            return
        self.source = under[0]
        self._screen._update_status()

    def cancel(self) -> bool:
        """Drop the relation being made; False when there was none."""
        if self.source is None:
            return False
        self.source = None
        self._notify("Relation cancelled.")
        self._screen._update_status()
        return True

    def status(self) -> str | None:
        """The status line's part while a relation is being made."""
        if self.source is None:
            return None
        return (
            f"relation from {excerpt(self.source.quote, 8)}: {self.status_keys()} to the target, "
            f"Enter links, {self._key('back', 'escape')} cancels"
        )

    def finish(self) -> None:
        """Link the source to the annotation under the cursor, with a label picked next."""
        source, session = self.source, self._session
        if source is None or not session.ready():
            return
        under = [a for a in session.at(self._screen.view.cursor) if a.uid != source.uid]
        if not under:
            here = "That is the passage the relation starts from" if session.at(self._screen.view.cursor) else (
                "No annotation under the cursor"
            )
            self._notify(f"{here}: move to the target annotation ({self.status_keys()}), then Enter.", "warning")
            return
        target = under[0]
        try:
            labels = session.store.relation_labels()
        except StoreError as error:
            self._notify(str(error), "error")
            return
        from tui.screens.relation_picker import RelationLabelPicker

        def picked(label: str | None) -> None:
            if label:
                self.link(source, target, label)

        # Each quote on a row of its own: two right-to-left quotes on one row would be
        # reordered as one run, target first.
        title = f"A relation from {excerpt(source.quote, 40)}\nto {excerpt(target.quote, 40)}"
        self._screen.app.push_screen(RelationLabelPicker(labels, title), picked)

    def status_keys(self) -> str:
        keys = (
            self._key("annotation(1)", "right_square_bracket"),
            self._key("annotation(-1)", "left_square_bracket"),
            self._key("search", "slash"),
        )
        return " ".join(keys)

    def link(self, source: Annotation, target: Annotation, label: str) -> None:
        from tui.notes.relation_changes import AddRelation

        session = self._session
        if session.doc_hash is None:
            return
        change = AddRelation(session.doc_hash, source.uid, target.uid, label, session.annotator)
        if session.do(change) is not None:
            self.source = None
            self._notify(f"Linked {excerpt(source.quote, 16)} to {excerpt(target.quote, 16)} as {label} (u undoes).")
            self._screen._update_status()

    # -- deleting -----------------------------------------------------------------------

    def delete(self, relation: Relation) -> None:
        from tui.notes.relation_changes import DeleteRelation

        if self._session.ready() and self._session.do(DeleteRelation(relation.uid)) is not None:
            self._notify(f"Relation {relation.label} deleted (u undoes).")

    def delete_at_cursor(self) -> None:
        """Delete the newest relation of the annotation under the cursor (again for the next)."""
        from tui.notes.relations import involving

        session = self._session
        if not session.ready():
            return
        under = session.at(self._screen.view.cursor)
        linked = [r for a in under for r in involving(self.relations, a.uid)]
        if not linked:
            self._notify("No relation on the annotation under the cursor.", "warning")
            return
        newest = max(linked, key=lambda relation: relation.id)
        self.delete(newest)

    def delete_annotation(self, annotation: Annotation) -> None:
        """Delete an annotation; when relations use it, ask first, then remove them with it."""
        from tui.notes.relation_changes import DeleteAnnotationWithRelations
        from tui.notes.relations import involving

        session = self._session
        if not session.ready():
            return
        count = len(involving(self.relations, annotation.uid))
        if not count:
            session.delete(annotation.id)
            return
        if not session.may_change(annotation):
            return
        from tui.screens.dialogs import Confirm

        def answered(yes: bool | None) -> None:
            if yes and session.do(DeleteAnnotationWithRelations(annotation.id)) is not None:
                self._notify(f"Annotation and {count} relation{'s' if count != 1 else ''} deleted (u undoes).")

        question = (
            f"Delete the annotation {excerpt(annotation.quote, 32)}? {count} relation"
            f"{'s use' if count != 1 else ' uses'} it and will be deleted with it (u undoes all)."
        )
        self._screen.app.push_screen(Confirm(question), answered)

    # -- showing ------------------------------------------------------------------------

    def go_to_source(self, relation: Relation) -> None:
        """Show the passage a relation starts from (the panel's Enter)."""
        source = next((a for a in self._session.annotations if a.uid == relation.head), None)
        if source is not None:
            self._screen.view.go_to_offset(source.start, context=CONTEXT_ROWS)
            self._screen.view.focus()

    def reload(self, annotations: list[Annotation], *, reread: bool = True) -> None:
        """Draw the relations between shown annotations, read again from the store when
        ``reread`` or the last change made or removed relations (a tag or a note cannot)."""
        from tui.notes.relation_changes import RELATION_CHANGES
        from tui.widgets.relation_list import RelationRow

        session = self._session
        store, doc_hash = session.store, session.doc_hash
        last = session.history.last_change if session.history is not None else None
        if store is None or doc_hash is None:
            self.relations = []
        elif reread or isinstance(last, RELATION_CHANGES):
            try:
                self.relations = store.relations(doc_hash)
            except StoreError as error:
                self._notify(str(error), "error")
        shown = {a.uid: a for a in annotations if a.status != ORPHAN}
        if self.source is not None and self.source.uid not in shown:
            self.source = None
            self._screen._update_status()
        rows = [
            RelationRow(r, shown.get(r.head), shown.get(r.child))
            for r in self.relations
            if r.head in shown and r.child in shown
        ]
        ends = [(row.head.start, row.head.end, SOURCE) for row in rows if row.head is not None]
        ends += [(row.child.start, row.child.end, TARGET) for row in rows if row.child is not None]
        self._screen.view.set_relation_ends(ends)
        self._screen.show_relations(rows)
