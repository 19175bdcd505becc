"""The reader: one document, laid out by the engine, read and annotated by keyboard.

The screen composes and routes. It owns three objects and reacts to their messages
(:mod:`tui.screens.reader_messages`): a :class:`ReaderDocument` (the file: opening,
indexing, identifying, what the store remembers of it), a :class:`Search` and an
:class:`AnnotationSession` (annotations, undo). Drawing is
:class:`~tui.widgets.reader_view.ReaderView`'s; the go-to, search and encoding questions are
:class:`~tui.screens.reader_prompt.ReaderPrompt`'s, and the status line is composed by
:mod:`tui.screens.reader_status`. Keys are listed by their descriptions below, by ``?`` and
in the README (a test keeps the README in step).

The module is longer than most because the reader has forty-odd keys: each is a short
action that routes to the view or to one of the objects above, and reads best beside the
bindings and the messages it answers to; the state itself lives in those objects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from tui.commands import BoundActions
from tui.corpus.document import DocumentSource
from tui.corpus.names import display_name
from tui.notes.model import ORPHAN, Annotation
from tui.notes.store_errors import StoreError
from tui.screens.annotation_session import ERROR_SECONDS, AnnotationSession
from tui.screens.host import MarginHost, host_of
from tui.screens.reader_document import ReaderDocument
from tui.screens.reader_labels import ReaderLabels
from tui.screens.reader_messages import (
    AnnotationsChanged,
    Identified,
    IdentityFailed,
    IndexProgress,
    Notice,
    Reanchored,
    SearchDone,
    SearchProgress,
)
from tui.screens.reader_prompt import ENCODING, GOTO, SEARCH, THRESHOLD, ReaderPrompt, resolve_goto
from tui.screens.reader_relations import ReaderRelations
from tui.screens.reader_search import Search, search_source
from tui.screens.reader_status import StatusState, notes_status, selection_hint, status_line
from tui.screens.reader_suggestions import ReaderSuggestions, SuggestionsChanged
from tui.text.decode import NotATextEncoding, text_encoding, text_encodings
from tui.text.layout import LayoutOptions
from tui.text.search import SearchOptions
from tui.widgets.annotation_highlights import AnnotationHighlights
from tui.widgets.plain import PlainText, line_text
from tui.widgets.reader_view import ReaderView

POSITION_SAVE_SECONDS = 1.0
"""The reading position is saved this long after scrolling stops."""
DISK_CHECK_SECONDS = 2.0
"""How often the reader looks whether the file changed on disk."""
NOTES_STATUS_SECONDS = 1.0
"""How often the status line looks whether the notes server is away and changes wait."""
HIT_CONTEXT_ROWS = 2
"""Rows shown above a search hit or an annotation jumped to."""

DIRECTIONS: dict[int | None, str] = {None: "from the text", 0: "left to right", 1: "right to left"}
"""Paragraph direction overrides in the order ``d`` cycles through them."""
BINARY_NOTICE = "This looks like a binary file. Press R to show it anyway with control characters as symbols."

if TYPE_CHECKING:
    from tui.screens.curation import Curation
    from tui.screens.store_watch import StoreChanged
    from tui.widgets.annotation_panel import AnnotationPanel
    from tui.widgets.relation_list import RelationList, RelationRow


class ReaderCommands(BoundActions):
    """The reader's bound actions in the palette; the nine tag keys stay keys."""

    HIDDEN_PREFIXES = ("reader.tag-", "reader.accept-")


class ReaderScreen(Screen):
    """Read one document; ``?`` lists every key."""

    COMMANDS = {ReaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll(1)", "Down", show=False, id="reader.scroll-down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="reader.scroll-up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="reader.page-down"),
        Binding("shift+space,pageup", "page(-1)", "Page up", show=False, id="reader.page-up"),
        Binding("g,home", "top", "Top", show=False, id="reader.top"),
        Binding("G,end", "bottom", "End", show=False, id="reader.bottom"),
        Binding("right_curly_bracket", "paragraph(1)", "Next paragraph", show=False, id="reader.next-paragraph"),
        Binding("left_curly_bracket", "paragraph(-1)", "Previous paragraph", show=False, id="reader.previous-paragraph"),
        Binding("right_parenthesis", "sentence(1)", "Next sentence", show=False, id="reader.next-sentence"),
        Binding("left_parenthesis", "sentence(-1)", "Previous sentence", show=False, id="reader.previous-sentence"),
        Binding("l,right", "cursor_right", "Cursor right", show=False, id="reader.cursor-right"),
        Binding("h,left", "cursor_left", "Cursor left", show=False, id="reader.cursor-left"),
        Binding("w", "word(1)", "Next word", show=False, id="reader.next-word"),
        Binding("b", "word(-1)", "Previous word", show=False, id="reader.previous-word"),
        Binding("J", "cursor_row(1)", "Cursor down a row", show=False, id="reader.cursor-down"),
        Binding("K", "cursor_row(-1)", "Cursor up a row", show=False, id="reader.cursor-up"),
        Binding("colon", "goto", "Go to", show=False, id="reader.goto", priority=True),
        Binding("slash", "search", "Search", id="reader.search", priority=True),
        Binding("n", "note_or_next_hit", "Note / next hit", show=False, id="reader.next-hit", priority=True),
        Binding("N", "next_hit(-1)", "Previous hit", show=False, id="reader.previous-hit"),
        Binding("s", "select_sentence", "Select sentence", id="reader.select-sentence"),
        Binding("p", "select_paragraph", "Select paragraph", show=False, id="reader.select-paragraph"),
        Binding("v", "visual", "Start or end a selection", show=False, id="reader.visual"),
        *[Binding(str(k), f"accept({k})", f"Accept version {k}", show=False, id=f"reader.accept-{k}") for k in range(1, 10)],
        *[Binding(str(k), f"tag_key('{k}')", f"Tag {k}", show=False, id=f"reader.tag-{k}") for k in range(1, 10)],
        Binding("t", "pick_tag", "Tag…", id="reader.pick-tag"),
        Binding("c", "label_document", "Label document…", show=False, id="reader.label-document"),
        Binding("ctrl+n", "note", "Write note", show=False, id="reader.note", priority=True),
        Binding("D", "delete_annotation", "Delete annotation", show=False, id="reader.delete-annotation"),
        Binding("u", "undo", "Undo", show=False, id="reader.undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="reader.redo"),
        Binding("right_square_bracket", "curate_walk(1)", "Next disagreement", show=False, id="reader.next-disagreement"),
        Binding("left_square_bracket", "curate_walk(-1)", "Previous disagreement", show=False, id="reader.previous-disagreement"),
        Binding("right_square_bracket", "annotation(1)", "Next annotation", show=False, id="reader.next-annotation"),
        Binding("left_square_bracket", "annotation(-1)", "Previous annotation", show=False, id="reader.previous-annotation"),
        Binding("r", "relate", "Start a relation", show=False, id="reader.relate"),
        Binding("enter", "finish_relation", "Link relation", show=False, id="reader.relate-finish"),
        Binding("X", "delete_relation", "Delete relation", show=False, id="reader.delete-relation"),
        Binding("full_stop", "suggestion(1)", "Next suggestion", show=False, id="reader.next-suggestion"),
        Binding("comma", "suggestion(-1)", "Previous suggestion", show=False, id="reader.previous-suggestion"),
        Binding("y", "accept_suggestion", "Accept suggestion", show=False, id="reader.accept-suggestion"),
        Binding("z", "reject_suggestion", "Reject suggestion", show=False, id="reader.reject-suggestion"),
        Binding("Y", "accept_suggestions", "Accept suggestions scored…", show=False, id="reader.accept-suggestions", priority=True),
        Binding("a", "toggle_panel", "Annotations", id="reader.panel"),
        Binding("M", "toggle_done", "Mark document done", show=False, id="reader.done"),
        Binding("C", "curate", "Curation mode", show=False, id="reader.curate"),
        Binding("0", "reject", "Reject the passage", show=False, id="reader.reject"),
        Binding("equals_sign", "accept_identical", "Accept all marked alike", show=False, id="reader.accept-identical"),
        Binding("L", "layers", "Layers: whose annotations", show=False, id="reader.layers"),
        Binding("T", "manage_tags", "Manage tags", show=False, id="reader.manage-tags"),
        Binding("x", "export", "Export…", show=False, id="reader.export"),
        Binding("d", "direction", "Paragraph direction", show=False, id="reader.direction"),
        Binding("E", "encoding", "Encoding", show=False, id="reader.encoding", priority=True),
        Binding("R", "reload", "Reload", show=False, id="reader.reload"),
        Binding("q,escape", "back", "Back", id="reader.back"),
    ]

    DEFAULT_CSS = """
    ReaderScreen #title { dock: top; height: 1; background: $panel; color: $foreground; text-style: bold; padding: 0 1; }
    ReaderScreen #title.-rtl { text-align: right; }
    ReaderScreen #bottom { dock: bottom; height: auto; }
    ReaderScreen #bottom Footer { dock: none; }
    ReaderScreen #status { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    ReaderScreen #prompt { display: none; }
    ReaderScreen #prompt.-open { display: block; }
    ReaderScreen #notice { height: auto; padding: 1 2; display: none; background: $warning 20%; }
    ReaderScreen #notice.-open { display: block; }
    ReaderScreen #body { height: 1fr; }
    ReaderScreen #view { width: 1fr; }
    ReaderScreen #panel { display: none; }
    ReaderScreen #panel.-open { display: block; }
    """

    PROMPT_ACTIONS = frozenset({"goto", "search", "encoding", "note_or_next_hit", "note", "accept_suggestions"})
    CURATION_ACTIONS = frozenset({"curate_walk", "reject", "accept_identical"})

    def __init__(
        self, path: Path, *, force_text: bool = False, encoding: str | None = None, curate: bool = False
    ) -> None:
        super().__init__()
        self.document = ReaderDocument(path, encoding=encoding, force_text=force_text)
        self.search = Search()
        self.relations = ReaderRelations(self)
        self.session: AnnotationSession | None = None
        """Created on mount, once the app (and its store) is reachable."""
        self.suggestions: ReaderSuggestions | None = None
        """The model suggestions beside the session's annotations (created with it)."""
        self.labels: ReaderLabels
        self.view: ReaderView | None = None
        self._highlights = AnnotationHighlights()
        self.prompt = ReaderPrompt(id="prompt")
        """Go to, search and encoding questions, one at a time, under the text."""
        self._after_index: Callable[[], None] | None = None
        """A move that waits for the index to be complete (G, a percentage)."""
        self._title = display_name(self.document.path)
        self._encoding_chosen = False
        """The reader picked another encoding: remember it and place the notes again once identified."""
        self._position_timer: Timer | None = None
        self._direction: int | None = None
        """The document's paragraph direction when the reader overrides it (0 LTR, 1 RTL)."""
        self._last_notes_status: str | None = None
        self._relation_rows: list[RelationRow] = []
        """The relations the panel lists, kept for when it is first opened."""
        self.curation: Curation | None = None
        self._curate_when_identified = curate

    @property
    def host(self) -> MarginHost:
        return host_of(self)

    @property
    def path(self) -> Path:
        return self.document.path

    @property
    def source(self) -> DocumentSource:
        return self.document.source

    # -- composition --------------------------------------------------------------------

    def _options(self) -> LayoutOptions:
        return replace(self.host.layout_options, base_level=self._direction)

    def compose(self) -> ComposeResult:
        host = self.host
        # The store is handed over once the document is identified: opening it is not the first screen's job.
        self.session = AnnotationSession(None, host.annotator, self.post_message)
        self.suggestions = ReaderSuggestions(self.session, self.post_message)
        self.labels = ReaderLabels(self.session, self.post_message)
        yield PlainText("", wrap=False, message=False, id="title")
        yield PlainText("", id="notice")
        self._open_document()
        self.view = ReaderView(self.source, self._options(), id="view")
        self.view.on_moved = self._update_status
        with Horizontal(id="body"):
            yield self.view
        with Vertical(id="bottom") as bottom:
            self.prompt.home = bottom
            yield PlainText("", wrap=False, id="status")
            yield Footer()

    def _open_document(self) -> None:
        error = self.document.open()
        if error:
            self.notify(error, severity="error", timeout=ERROR_SECONDS, markup=False)

    def on_mount(self) -> None:
        self._show_title()
        if self.document.binary:
            self._notice(
                "This looks like a binary file. Press E to choose an encoding, or R to show it anyway "
                "with control characters as symbols."
            )
        self.set_interval(DISK_CHECK_SECONDS, self._check_disk)
        self.set_interval(NOTES_STATUS_SECONDS, self._notes_tick)
        self.view.focus()
        self._update_status()
        # Background work starts once the first screen is on the terminal, so it does not
        # compete with drawing it.
        self.call_after_refresh(self._start_background_work)

    def _start_background_work(self) -> None:
        if not self.source.complete:
            self._index()
        self._identify()

    def _show_title(self) -> None:
        self._title = title = self.document.title()
        header = self.query_one("#title", PlainText)
        header.options = self._options()
        header.update(title)
        header.refresh(layout=True)
        header.set_class(line_text(title, 1, header.options)[1], "-rtl")

    def _notice(self, message: str | None) -> None:
        notice = self.query_one("#notice", PlainText)
        notice.update(message or "")
        notice.set_class(bool(message), "-open")

    def _check_disk(self) -> None:
        if self.document.changed():
            self._notice("The file changed on disk. Press R to reload it.")

    # -- workers and what they report ---------------------------------------------------

    def _index(self) -> None:
        self.run_worker(partial(self.document.index, self.post_message), thread=True, exclusive=True, group="index")

    def _identify(self) -> None:
        self.run_worker(partial(self.document.identify, self.post_message), thread=True, exclusive=True, group="identify")

    def on_index_progress(self, message: IndexProgress) -> None:
        self.document.indexed = message.fraction
        if self.view is not None and len(self.view.window()) < self.view.content_size.height:
            self.view.reload()
        if self.source.complete and self._after_index is not None:
            move, self._after_index = self._after_index, None
            move()
        self._update_status()

    def on_identity_failed(self, message: IdentityFailed) -> None:
        self.notify(message.reason, severity="warning", markup=False)

    def on_identified(self, message: Identified) -> None:
        host = self.host
        store = host.store
        if self.session is None:
            return
        self.session.use_store(store, host.annotator, host.store_notice)
        if store is None:
            return
        chosen, self._encoding_chosen = self._encoding_chosen, False
        try:
            # With the notes server away, annotating goes on: the changes wait in the journal.
            known = self.document.register(store, message.digest, self._title, keep_encoding=chosen)
        except StoreError as error:
            self._encoding_chosen = chosen
            self.notify(str(error), severity="error", timeout=ERROR_SECONDS, markup=False)
            return
        if not chosen and self.document.differs_from(known.encoding):
            # Decode the file as the reader chose last time.
            self._reopen(encoding=known.encoding)
            return
        self.session.start(message.digest, self.source)
        if known.old_hash is not None or chosen:
            # The text the notes index changed (the file, or how it is decoded): place them again.
            reanchor = partial(self.session.reanchor, known.old_hash or message.digest)
            self.run_worker(reanchor, thread=True, exclusive=True, group="reanchor")
            again = partial(self.suggestions.reanchor, known.old_hash or message.digest)
            self.run_worker(again, thread=True, exclusive=True, group="reanchor-suggestions")
        else:
            self.session.load()
        if known.direction is not None and known.direction != self._direction:
            self._direction = known.direction
            self.view.reload(self._options())
            self._show_title()
        if known.position and self.view.top_offset == 0:
            self.view.go_to_offset(known.position)
        if self._curate_when_identified:  # opened for curation: from the first disagreement
            self._curate_when_identified = False
            self.view.go_home()
            self.action_curate()
        self._position_moved()

    def on_reanchored(self, message: Reanchored) -> None:
        if message.summary:
            self.notify(message.summary, timeout=ERROR_SECONDS, markup=False)
        self.session.load()

    def on_annotations_changed(self, message: AnnotationsChanged) -> None:
        """Highlights in tag colours and, if open, the panel."""
        mine = self.host.annotator
        highlights = self._highlights.build(message.annotations, message.tags, reloaded=message.reloaded, mine=mine)
        if message.reloaded:
            self.suggestions.load()
        else:
            self.suggestions.sync()
        merged = self.suggestions.with_annotations(highlights, message.tags)
        if merged != self.view.highlights:  # a reload that changed nothing redraws nothing
            self.view.set_highlights(merged, presorted=True)
        panel = self._panel()
        if panel is not None and panel.has_class("-open"):
            sources = self.suggestions.sources(self.host.store, message.annotations)
            panel.show(message.annotations, message.tags, mine, sources)
        if self.curation is not None and self.curation.active:
            self.curation.changed()
        self.relations.reload(message.annotations, reread=message.reloaded)
        self.labels.refresh()
        self._update_status()

    def show_relations(self, rows: list[RelationRow]) -> None:
        self._relation_rows = rows
        panel = self._panel()
        if panel is not None:
            panel.show_relations(rows)

    def _panel(self) -> AnnotationPanel | None:
        """The annotation panel, once it has been opened: it is not part of the first screen."""
        found = self.query("#panel")
        return found.first() if found else None

    def on_suggestions_changed(self, message: SuggestionsChanged) -> None:
        self.suggestions.load(again=True)
        self.view.set_highlights(self.suggestions.with_annotations(None, self.session.tags), presorted=True)
        self._update_status()

    def on_store_changed(self, message: StoreChanged) -> None:
        """Another annotator or process changed this document's notes or the tags: redraw
        them in place (the cursor, selection and scroll stay)."""
        session = self.session
        if session is None or session.doc_hash is None:
            return
        changes = message.changes
        if changes.mine and not changes.tags:
            return
        if changes.tags or session.doc_hash in changes.documents:
            session.load()

    def on_notice(self, message: Notice) -> None:
        self.notify(message.text, severity=message.severity, timeout=message.timeout, markup=False)

    def on_search_progress(self, message: SearchProgress) -> None:
        self.search.progress(message.fraction)
        self._update_status()

    def on_search_done(self, message: SearchDone) -> None:
        if not self.search.finish(message.query):
            return
        current = Search.first_hit_from(message.hits, self.view.cursor)
        self.view.set_hits(message.hits, current)
        if current is not None:
            self.view.go_to_offset(message.hits[current][0], context=HIT_CONTEXT_ROWS)
        self._update_status()

    def _remember_position(self) -> None:
        if self.view is not None:
            error = self.document.remember_position(self.host.store, self.view.top_offset)
            if error:
                self.notify(error, severity="error", markup=False)

    def save_position(self) -> None:
        """Save the reading position now (on leaving, or on SIGTERM/SIGHUP)."""
        self._remember_position()

    def _position_moved(self) -> None:
        """Scrolling: save the position once it has stopped for a moment."""
        if self.view is None or self.view.top_offset == self.document.saved_position:
            return
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(POSITION_SAVE_SECONDS, self._remember_position)

    # -- status -------------------------------------------------------------------------

    def _update_status(self) -> None:
        if self.view is None:
            return
        self._position_moved()
        view = self.view
        rows = view.window()
        state = StatusState(
            source=self.source,
            shown=bool(rows),
            at_last_row=bool(rows) and rows[-1][0] == view.pager.last(),
            top_offset=view.top_offset,
            cursor=view.cursor,
            indexed=self.document.indexed,
            query=self.search.query,
            searching=self.search.running,
            hits=len(view.hits),
            current_hit=view.current_hit,
            notes=notes_status(self.host.opened_store),
            selection_hint=None if view.anchor is None else self._selection_hint(),
            more=tuple(
                part
                for part in (self.labels.summary(), self.suggestions.status(), self.relations.status())
                if part
            ),
        )
        self.query_one("#status", PlainText).update(status_line(state))

    def _selection_hint(self) -> str:
        keys: dict[str, str] = {}
        for name, active in self.active_bindings.items():
            keys.setdefault(active.binding.action, name)
        return selection_hint(keys)

    def _notes_tick(self) -> None:
        """Redraw the status line when the notes server's state changed (not while leaving)."""
        if self.is_attached and self.query("#status"):
            notes = notes_status(self.host.opened_store)
            if notes != self._last_notes_status:
                self._last_notes_status = notes
                self._update_status()

    # -- actions: reading ---------------------------------------------------------------

    def action_scroll(self, delta: int) -> None:
        self.view.scroll_rows(delta)

    def action_page(self, direction: int) -> None:
        self.view.page(direction)

    def action_top(self) -> None:
        self.view.go_home()

    def action_bottom(self) -> None:
        self._when_indexed(self.view.go_end, "the end")

    def _when_indexed(self, move: Callable[[], None], where: str) -> None:
        """Moves that need the whole document wait for the index, if it is still being built."""
        if self.source.complete:
            move()
            return
        self._after_index = move
        self.notify(f"Still indexing the file: going to {where} when it is done.", markup=False)

    def action_paragraph(self, direction: int) -> None:
        motion = self.view.motion
        self.view.set_cursor((motion.next_paragraph if direction > 0 else motion.prev_paragraph)(self.view.cursor))

    def action_sentence(self, direction: int) -> None:
        motion = self.view.motion
        self.view.set_cursor((motion.next_sentence if direction > 0 else motion.prev_sentence)(self.view.cursor))

    def action_word(self, direction: int) -> None:
        motion = self.view.motion
        self.view.set_cursor((motion.next_word if direction > 0 else motion.prev_word)(self.view.cursor), by_word=True)

    def _cursor_is_rtl(self) -> bool:
        pos = self.view.pager.position_of(self.view.cursor)
        return self.view.pager.paragraph(pos.block).base_level == 1 and self.host.bidi_mode != "terminal"

    def action_cursor_right(self) -> None:
        self._cursor_unit(forward=not self._cursor_is_rtl())

    def action_cursor_left(self) -> None:
        self._cursor_unit(forward=self._cursor_is_rtl())

    def _cursor_unit(self, *, forward: bool) -> None:
        motion = self.view.motion
        self.view.set_cursor((motion.next_unit if forward else motion.prev_unit)(self.view.cursor))

    def action_cursor_row(self, delta: int) -> None:
        self.view.move_visual_row(delta)

    def action_back(self) -> None:
        """Close the innermost thing open: prompt, selection, panel focus, search; then leave."""
        if self.prompt.kind is not None:
            self._close_prompt()
            return
        if self.relations.cancel():
            return
        if self.view.anchor is not None:
            self.view.clear_selection()
            return
        panel = self._panel()
        if panel is not None and panel.has_class("-open") and panel.has_focus_within:
            self.view.focus()
            return
        if self.search.running is not None:
            self.workers.cancel_group(self, "search")
            self.search.running = None
            self._update_status()
            return
        if self.view.hits or self.search.query:
            self.search.clear()
            self.view.set_hits([], None)
            self._update_status()
            return
        self._remember_position()
        self.dismiss() if self.app.screen_stack[-2:-1] else self.app.exit()

    def on_unmount(self) -> None:
        self._remember_position()
        self.document.close()

    # -- prompts ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that open a prompt or the note editor are priority bindings (so typing straight
        on after them is not lost); while a prompt is open they are just characters to type."""
        if action in self.PROMPT_ACTIONS and self.prompt.kind is not None:
            return False
        if action == "finish_relation":
            return self.relations.source is not None
        if action in self.CURATION_ACTIONS:
            return self.curation is not None and self.curation.active
        if action == "accept":
            return self.curation is not None and self.view.anchor is None and self.curation.can_accept(*parameters)
        return True

    def _close_prompt(self) -> None:
        self.prompt.close()
        self.set_focus(self.view)

    def action_goto(self) -> None:
        self.prompt.ask(GOTO)

    def action_search(self) -> None:
        self.prompt.ask(SEARCH, self.search.query)

    def action_encoding(self) -> None:
        self.prompt.ask(ENCODING, self.source.encoding, completions=text_encodings())

    def on_reader_prompt_answered(self, event: ReaderPrompt.Answered) -> None:
        self._close_prompt()
        if event.kind == GOTO:
            self._goto(event.value)
        elif event.kind == SEARCH:
            self._start_search(event.value)
        elif event.kind == ENCODING:
            self._choose_encoding(event.value)
        elif event.kind == THRESHOLD:
            self.suggestions.accept_at_least(event.value)

    def on_key(self, event) -> None:
        if event.key == "escape" and self.prompt.kind is not None:
            event.stop()
            self._close_prompt()

    def _goto(self, value: str) -> None:
        goto = resolve_goto(value, self.source)
        if goto.message:
            self.notify(goto.message, severity="warning" if goto.warning else "information", markup=False)
        if goto.end:
            self._when_indexed(self.view.go_end, "the end")
        elif goto.fraction is not None:
            fraction = goto.fraction
            self._when_indexed(lambda: self.view.go_to_offset(int(self.source.length * fraction)), value)
        elif goto.block is not None:
            self.view.go_to_offset(self.source.block(goto.block).start)

    # -- search -------------------------------------------------------------------------

    def _start_search(self, query: str) -> None:
        self.view.set_hits([], None)
        if self.search.begin(query):
            options = SearchOptions(ignore_diacritics=not self.host.config.search_diacritics)
            work = partial(search_source, self.source, query, options, self.post_message)
            self.run_worker(work, thread=True, exclusive=True, group="search")
        self._update_status()

    def action_next_hit(self, direction: int) -> None:
        hits = self.view.hits
        if not hits:
            if self.search.running is not None:
                self.notify("Still searching; the hits come when it is done.", markup=False)
            elif self.search.query:
                self.notify(f"“{self.search.query}” not found", severity="warning", markup=False)
            else:
                self.notify("No search yet: press / to search.", severity="warning", markup=False)
            return
        current = self.view.current_hit
        current = 0 if current is None else (current + direction) % len(hits)
        self.view.set_hits(hits, current)
        self.view.go_to_offset(hits[current][0], context=HIT_CONTEXT_ROWS)
        self._update_status()

    # -- reloading ----------------------------------------------------------------------

    def action_reload(self) -> None:
        self._reopen(encoding=self.document.encoding, force_text=True)

    def _choose_encoding(self, value: str) -> None:
        """Decode the file with ``value`` (empty: detect again), remember the choice for this
        document and place its notes again in the newly decoded text."""
        if value:
            try:
                value = text_encoding(value)
            except NotATextEncoding as error:
                self.notify(str(error), severity="error", markup=False)
                return
        if (value or None) == self.document.encoding:
            return
        self._encoding_chosen = True
        self._reopen(encoding=value or None)
        self.notify(f"Encoding: {value or 'detected again'}; it is remembered for this document.", markup=False)

    def _reopen(self, *, encoding: str | None = None, force_text: bool | None = None) -> None:
        if encoding is not None:
            try:
                encoding = text_encoding(encoding)
            except NotATextEncoding as error:
                self.notify(str(error), severity="error", markup=False)
                return
        offset = self.view.top_offset
        self.document.encoding = encoding
        if force_text is not None:
            self.document.force_text = force_text
        self.session.stop()
        self._open_document()
        self.view.set_source(self.source)
        self.view.go_to_offset(min(offset, self.source.length), move_cursor=True)
        self._identify()
        self._notice(BINARY_NOTICE if self.document.binary else None)
        self._show_title()
        if not self.source.complete:
            self._index()
        self._update_status()

    def action_direction(self) -> None:
        """Cycle the paragraph direction: from the text, left to right, right to left."""
        order = list(DIRECTIONS)
        self._direction = order[(order.index(self._direction) + 1) % len(order)]
        self.view.reload(self._options())
        self._show_title()
        self.notify(f"Paragraph direction: {DIRECTIONS[self._direction]}", markup=False)
        store, digest = self.host.store, self.document.doc_hash
        if store is not None and digest is not None:
            try:
                store.set_direction(digest, self._direction)
            except StoreError as error:
                self.notify(str(error), severity="error", markup=False)

    # -- actions: annotating ------------------------------------------------------------

    def action_select_sentence(self) -> None:
        self._select(self.view.motion.sentence_range(self.view.cursor))

    def action_select_paragraph(self) -> None:
        self._select(self.view.motion.paragraph_range(self.view.cursor))

    def _select(self, span: tuple[int, int]) -> None:
        start, end = span
        if end > start:
            self.view.select(start, end)

    def action_visual(self) -> None:
        if self.view.anchor is None:
            self.view.anchor = self.view.cursor
            self.view.refresh()
        else:
            self.view.clear_selection()
        self._update_status()

    def apply_tag(self, name: str) -> None:
        """Tag the selection, or toggle the tag on the annotation under the cursor."""
        if self.session.tag(name, self.view.selection, self.view.cursor):
            self.view.clear_selection()

    def action_tag_key(self, key: str) -> None:
        if self.host.store is None:
            self.notify(self.host.store_notice or "Annotations are off: no note store.", severity="warning", markup=False)
            return
        tag = self.session.tag_for_key(key)
        if tag is None:
            self.notify(f"No tag is bound to {key}; press t to pick or create one.", severity="warning", markup=False)
            return
        self.apply_tag(tag.name)

    def action_pick_tag(self) -> None:
        if not self.session.ready():
            return
        from tui.screens.tag_picker import TagPicker

        def picked(name: str | None) -> None:
            if name:
                self.apply_tag(name)

        try:
            tags = self.host.store.tags()
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.app.push_screen(TagPicker(tags), picked)

    def action_label_document(self) -> None:
        self.labels.pick(self.app)

    def action_note_or_next_hit(self) -> None:
        if self.view.anchor is not None or (not self.search.query and self.session.at(self.view.cursor)):
            self.action_note()
        else:
            self.action_next_hit(1)

    def action_note(self) -> None:
        if not self.session.ready():
            return
        selection = self.view.selection
        existing: Annotation | None
        if selection is not None:
            start, end = selection
            quote = self.source.text(start, end)
            existing = self.session.spanning(start, end)
        else:
            under = self.session.at(self.view.cursor)
            if not under:
                self.notify("Select a passage first, or put the cursor on an annotation.", severity="warning")
                return
            existing = under[0]
            start, end, quote = existing.start, existing.end, existing.quote

        def written(note: str | None) -> None:
            if note is not None:
                self.session.write_note(existing, start, end, note)
                self.view.clear_selection()

        from tui.screens.note_editor import NoteEditor

        self.app.push_screen(NoteEditor(quote, existing.note if existing else "", self._options()), written)

    def action_delete_annotation(self) -> None:
        if not self.session.ready():
            return
        under = self.session.at(self.view.cursor)
        if not under:
            self.notify("No annotation under the cursor.", severity="warning")
            return
        self.relations.delete_annotation(under[0])

    def action_undo(self) -> None:
        self.session.undo()

    def action_redo(self) -> None:
        self.session.redo()

    def action_annotation(self, direction: int) -> None:
        start = self.session.next_start(self.view.cursor, direction)
        if start is None:
            self.notify("No more annotations that way.")
            return
        self.view.go_to_offset(start, context=HIT_CONTEXT_ROWS)

    def action_suggestion(self, direction: int) -> None:
        start = self.suggestions.next_start(self.view.cursor, direction)
        if start is None:
            self.notify("No more open suggestions that way.", markup=False)
            return
        self.view.go_to_offset(start, context=HIT_CONTEXT_ROWS)

    def action_accept_suggestion(self) -> None:
        self.suggestions.accept(self.view.cursor)

    def action_reject_suggestion(self) -> None:
        self.suggestions.reject(self.view.cursor)

    def action_accept_suggestions(self) -> None:
        if self.suggestions.open:
            self.prompt.ask(THRESHOLD)
        else:
            self.notify("No open suggestions on this document.", markup=False)

    # -- curation (state and actions in tui.screens.curation) ----------------------------

    def action_curate(self) -> None:
        if self.curation is None:
            from tui.screens.curation import Curation

            self.curation = Curation(self.session, self.view, self._curation_notice)
        self.curation.toggle(self.query_one("#bottom"), self.query_one("#status"))

    def action_curate_walk(self, direction: int) -> None:
        self.curation.walk(direction)

    def action_accept(self, k: int) -> None:
        self.curation.accept(k)

    def action_reject(self) -> None:
        self.curation.reject()

    def action_accept_identical(self) -> None:
        self.curation.accept_identical()

    def _curation_notice(self, text: str, severity: str) -> None:
        self.notify(text, severity=severity, markup=False)  # type: ignore[arg-type]

    async def action_toggle_panel(self) -> None:
        panel = self._panel()
        if panel is None:
            from tui.widgets.annotation_panel import AnnotationPanel

            panel = AnnotationPanel(self.host.layout_options, id="panel")
            await self.query_one("#body").mount(panel)
            panel.show_relations(self._relation_rows)
        opening = not panel.has_class("-open")
        panel.set_class(opening, "-open")
        if opening:
            sources = self.suggestions.sources(self.host.store, self.session.annotations)
            panel.show(self.session.annotations, self.session.tags, self.host.annotator, sources)
            panel.query_one("#annotation-list").focus()
        else:
            self.view.focus()

    def action_toggle_done(self) -> None:
        """Mark this document done for me (the library counts who is done), or not done."""
        if not self.session.ready():
            return
        store = self.host.store
        if not callable(getattr(store, "set_done", None)):
            self.notify("This store keeps no progress.", severity="warning")
            return
        try:
            from tui.notes.team import toggle_done

            message = toggle_done(store, self.session.doc_hash, self.host.annotator)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=ERROR_SECONDS, markup=False)
            return
        self.notify(message, markup=False)

    def action_layers(self) -> None:
        """Choose whose annotations are shown: mine (the default, blind), everyone's, or chosen annotators'."""
        from tui.screens.layer_picker import LayerChoice, LayerPicker

        def chosen(choice: LayerChoice | None) -> None:
            if choice is not None:
                self.session.show_layer(choice.annotators)
                shown = "everyone's" if choice.annotators is None else ", ".join(sorted(choice.annotators))
                self.notify(f"Showing annotations: {shown}", markup=False)

        self.app.push_screen(LayerPicker(self.host.annotator, self.session.annotators(), self.session.layer), chosen)

    def on_annotation_list_jump(self, event: AnnotationPanel.Jump) -> None:
        if event.annotation.status == ORPHAN:
            self.notify("This passage could not be found in the document any more.", severity="warning")
            return
        self.view.go_to_offset(event.annotation.start, context=HIT_CONTEXT_ROWS)
        self.view.focus()

    def on_annotation_list_delete(self, event: AnnotationPanel.Delete) -> None:
        self.relations.delete_annotation(event.annotation)

    def action_relate(self) -> None:
        self.relations.start()

    def action_finish_relation(self) -> None:
        self.relations.finish()

    def action_delete_relation(self) -> None:
        self.relations.delete_at_cursor()

    def on_relation_list_jump(self, event: RelationList.Jump) -> None:
        self.relations.go_to_source(event.relation)

    def on_relation_list_delete(self, event: RelationList.Delete) -> None:
        self.relations.delete(event.relation)

    def action_manage_tags(self) -> None:
        if not self.session.ready():
            return
        from tui.screens.tag_manager import TagManager

        self.app.push_screen(TagManager(self.session.history), self._tags_managed)

    def _tags_managed(self, _result: object) -> None:
        """A tag may have been renamed: in the notes and in the suggestions."""
        self.suggestions.load(again=True)
        self.session.load()

    def action_export(self) -> None:
        if self.host.store is None:
            self.notify(self.host.store_notice or "No note store.", severity="error", markup=False)
            return
        from tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.path, self.document.doc_hash))
