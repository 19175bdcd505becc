"""Annotating in the reader: selections, tags, notes, undo, the panel and re-anchoring.

The reader screen mixes this in; it keeps the document's annotations in reading order and
redraws only what a change touched, so tagging stays instant with thousands of them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort

from rich.style import Style
from textual import work

from tui.corpus.lazy_text import LazyText
from tui.notes.history import (
    AddAnnotation,
    DeleteAnnotation,
    SetNote,
    add_tag,
    remove_tag,
    touched_annotations,
)
from tui.notes.model import ORPHAN, Annotation
from tui.notes.store import StoreError
from tui.screens.note_editor import NoteEditor
from tui.screens.tag_picker import TagPicker
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.reader_view import Highlight


def _reading_order(annotation: Annotation) -> tuple[int, int, int]:
    return annotation.start, annotation.end, annotation.id


class Annotating:
    """The annotation half of the reader screen."""

    @work(thread=True, exclusive=True, group="reanchor")
    def _reanchor(self, old_hash: str) -> None:
        """The file changed since its notes were made: find every passage again."""
        from tui.notes.anchoring import reanchor_document

        store = self.host.store
        text = self.source.text(0, self.source.length) if self.source.complete else None
        if text is None:
            while not self.source.complete:
                self.source.index_step()
            text = self.source.text(0, self.source.length)
        try:
            report = reanchor_document(store, self.doc_hash, text, from_hash=old_hash)
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=10)
            return
        moved = report.moved + report.fuzzy
        message = f"The document changed on disk: {moved} passages found again elsewhere, {report.orphan} orphaned."
        self.app.call_from_thread(self._after_reanchor, message if moved or report.orphan else None)

    def _after_reanchor(self, message: str | None) -> None:
        if message:
            self.notify(message, timeout=10)
        self._load_annotations()

    def _load_annotations(self) -> None:
        """Read the document's annotations and tags from the store and draw them."""
        store = self.host.store
        if store is None or self.doc_hash is None:
            return
        try:
            self.annotations = store.annotations(self.doc_hash)
            self.tags = store.tags()
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self._highlights.clear()
        self._draw_annotations()

    def _refresh_annotations(self, change) -> None:
        """After one change: re-read only the annotations it touched (all, for a tag-wide one)."""
        touched = touched_annotations(change) if change is not None else None
        store = self.host.store
        if touched is None or store is None:
            self._load_annotations()
            return
        try:
            fresh = {id: store.get(id) for id in touched}
            self.tags = store.tags()
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        kept = [a for a in self.annotations if a.id not in touched]
        for annotation in fresh.values():
            if annotation is not None and annotation.doc_hash == self.doc_hash:
                insort(kept, annotation, key=_reading_order)
        self.annotations = kept
        self._draw_annotations()

    def _draw_annotations(self) -> None:
        """Highlights in tag colours (one style pair per colour) and, if open, the panel."""
        colors = {t.name: t.color for t in self.tags}
        highlights = []
        for a in self.annotations:
            if a.status == ORPHAN:
                continue
            color = colors.get(a.tags[0]) if a.tags else None
            key = (a.id, a.modified, color)
            highlight = self._highlights.get(key)
            if highlight is None:
                style, mark = self._tag_styles(color)
                highlight = self._highlights[key] = Highlight(a.start, a.end, style, mark)
            highlights.append(highlight)
        self.view.set_highlights(highlights, presorted=True)
        panel = self.query_one("#panel", AnnotationPanel)
        if panel.has_class("-open"):
            panel.show(self.annotations, self.tags)

    def _tag_styles(self, color: str | None) -> tuple[Style, Style]:
        styles = self._styles.get(color)
        if styles is None:
            if color:
                styles = (Style(bgcolor=color, color="#000000"), Style(color=color))
            else:
                styles = (Style(underline=True), Style(color="white"))
            self._styles[color] = styles
        return styles


    # -- selecting and tagging ----------------------------------------------------------

    def action_select_sentence(self) -> None:
        start, end = self.view.motion.sentence_range(self.view.cursor)
        if end > start:
            self.view.select(start, end)

    def action_select_paragraph(self) -> None:
        start, end = self.view.motion.paragraph_range(self.view.cursor)
        if end > start:
            self.view.select(start, end)

    def action_visual(self) -> None:
        if self.view.anchor is None:
            self.view.anchor = self.view.cursor
            self.view.refresh()
        else:
            self.view.clear_selection()

    def _annotations_at(self, offset: int) -> list[Annotation]:
        """Anchored annotations holding ``offset``, the shortest first."""
        found = [a for a in self.annotations if a.status != ORPHAN and a.start <= offset < a.end]
        return sorted(found, key=lambda a: a.end - a.start)

    def _ready_to_annotate(self) -> bool:
        if self.host.store is None:
            self.notify(self.host.store_notice or "No note store: notes cannot be saved.", severity="error")
            return False
        if self.doc_hash is None or self.history is None:
            self.notify("Still reading the document; try again in a moment.", severity="warning")
            return False
        return True

    def _do(self, change) -> object | None:
        """Apply one change: committed to the store before this returns."""
        try:
            result = self.history.do(change)
        except (StoreError, ValueError) as error:
            self.notify(str(error), severity="error", timeout=10)
            return None
        self._refresh_annotations(change)
        return result

    def apply_tag(self, name: str) -> None:
        """Tag the selection, or toggle the tag on the annotation under the cursor."""
        if not self._ready_to_annotate():
            return
        selection = self.view.selection
        if selection is not None:
            start, end = selection
            same = next((a for a in self.annotations if (a.start, a.end) == (start, end)), None)
            if same is not None:
                self._do(add_tag(self.host.store, same.id, name))
            else:
                self._do(AddAnnotation(self.doc_hash, LazyText(self.source), start, end, (name,), "", self.host.annotator))
            self.view.clear_selection()
            return
        under = self._annotations_at(self.view.cursor)
        if under:
            target = under[0]
            change = remove_tag if name in target.tags else add_tag
            self._do(change(self.host.store, target.id, name))
            return
        self.notify("Select a passage first: s sentence, p paragraph, v to start a selection.", severity="warning")

    def action_tag_key(self, key: str) -> None:
        tag = next((t for t in self.tags if t.key == key), None) if self.tags else None
        if tag is None and self.host.store is not None:
            try:
                tag = next((t for t in self.host.store.tags() if t.key == key), None)
            except StoreError:
                tag = None
        if tag is None:
            self.notify(f"No tag is bound to {key}; press t to pick or create one.", severity="warning")
            return
        self.apply_tag(tag.name)

    def action_pick_tag(self) -> None:
        if not self._ready_to_annotate():
            return

        def picked(name: str | None) -> None:
            if name:
                self.apply_tag(name)

        self.app.push_screen(TagPicker(self.host.store.tags()), picked)

    def action_note_or_next_hit(self) -> None:
        if self.view.anchor is not None or (not self._query and self._annotations_at(self.view.cursor)):
            self.action_note()
        else:
            self.action_next_hit(1)

    def action_note(self) -> None:
        if not self._ready_to_annotate():
            return
        selection = self.view.selection
        if selection is not None:
            start, end = selection
            quote = self.source.text(start, end)
            existing = next((a for a in self.annotations if (a.start, a.end) == (start, end)), None)
        else:
            under = self._annotations_at(self.view.cursor)
            if not under:
                self.notify("Select a passage first, or put the cursor on an annotation.", severity="warning")
                return
            existing = under[0]
            start, end, quote = existing.start, existing.end, existing.quote

        def written(note: str | None) -> None:
            if note is None:
                return
            if existing is not None:
                self._do(SetNote(existing.id, note))
            else:
                self._do(AddAnnotation(self.doc_hash, LazyText(self.source), start, end, (), note, self.host.annotator))
            self.view.clear_selection()

        self.app.push_screen(NoteEditor(quote, existing.note if existing else "", self._options()), written)

    def action_delete_annotation(self) -> None:
        if not self._ready_to_annotate():
            return
        under = self._annotations_at(self.view.cursor)
        if not under:
            self.notify("No annotation under the cursor.", severity="warning")
            return
        self._do(DeleteAnnotation(under[0].id))
        self.notify("Annotation deleted (u undoes).")

    def action_undo(self) -> None:
        self._step("undo", "Undone", "Nothing to undo.")

    def action_redo(self) -> None:
        self._step("redo", "Redone", "Nothing to redo.")

    def _step(self, method: str, done_label: str, nothing: str) -> None:
        """Undo or redo one change and redraw what it touched."""
        if self.history is None:
            return
        try:
            done = getattr(self.history, method)()
        except (StoreError, ValueError) as error:
            self.notify(str(error), severity="error")
            return
        self.notify(f"{done_label}: {done}" if done else nothing)
        if done:
            self._refresh_annotations(self.history.last_change)

    def action_annotation(self, direction: int) -> None:
        cursor = self.view.cursor
        starts = [a.start for a in self.annotations]
        if direction > 0:
            index = bisect_right(starts, cursor)
            step = 1
        else:
            index = bisect_left(starts, cursor) - 1
            step = -1
        while 0 <= index < len(self.annotations) and self.annotations[index].status == ORPHAN:
            index += step
        if not 0 <= index < len(self.annotations):
            self.notify("No more annotations that way.")
            return
        self.view.go_to_offset(self.annotations[index].start, context=2)

    def action_toggle_panel(self) -> None:
        panel = self.query_one("#panel", AnnotationPanel)
        opening = not panel.has_class("-open")
        panel.set_class(opening, "-open")
        if opening:
            panel.show(self.annotations, self.tags)
            panel.query_one("#annotation-list").focus()
        else:
            self.view.focus()

    def on_annotation_list_jump(self, event: AnnotationPanel.Jump) -> None:
        if event.annotation.status == ORPHAN:
            self.notify("This passage could not be found in the document any more.", severity="warning")
            return
        self.view.go_to_offset(event.annotation.start, context=2)
        self.view.focus()

    def on_annotation_list_delete(self, event: AnnotationPanel.Delete) -> None:
        if self._ready_to_annotate():
            self._do(DeleteAnnotation(event.annotation.id))
            self.notify("Annotation deleted (u undoes).")

    def action_manage_tags(self) -> None:
        if not self._ready_to_annotate():
            return
        from tui.screens.tag_manager import TagManager

        self.app.push_screen(TagManager(self.history), lambda _result: self._load_annotations())

    def action_export(self) -> None:
        if self.host.store is None:
            self.notify(self.host.store_notice or "No note store.", severity="error")
            return
        from tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.path, self.doc_hash))
