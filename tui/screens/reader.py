"""The reader: one document, laid out by the engine, read and annotated by keyboard.

The screen owns the document's lifecycle — opening it lazily, indexing a huge file in a
worker, remembering the reading position, searching, noticing changes on disk — and leaves
drawing to :class:`~tui.widgets.reader_view.ReaderView`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from tui.commands import BoundActions
from tui.corpus.discover import CorpusError
from tui.corpus.identity import content_hash
from tui.corpus.source import BinaryDocumentError, SourceError, TextSource
from tui.notes.history import History
from tui.notes.model import Annotation, Tag
from tui.notes.store import StoreError
from tui.screens.annotating import Annotating
from tui.screens.host import MarginHost, host_of
from tui.text.layout import LayoutOptions, analyse, display_line
from tui.text.pager import TextBlocks
from tui.text.search import SearchOptions, find_all
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.reader_view import Highlight, ReaderView

INDEX_BATCH = 1 << 19
"""Bytes indexed per step of the background worker (a few milliseconds each)."""

#: Encodings offered when the user changes how a file is decoded.
ENCODINGS = ("utf-8", "utf-16", "gb18030", "big5", "cp1256", "iso-8859-6", "cp1252", "iso-8859-1", "latin-1")


class ReaderCommands(BoundActions):
    """The reader's bound actions in the palette; the nine tag keys stay keys."""

    HIDDEN_PREFIXES = ("reader.tag-",)


class ReaderScreen(Annotating, Screen):
    """Read one document; ``?`` lists every key."""

    COMMANDS = {ReaderCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll(1)", "Down", show=False, id="reader.scroll-down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="reader.scroll-up"),
        Binding("space,pagedown", "page(1)", "Page down", id="reader.page-down"),
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
        Binding("colon", "goto", "Go to", id="reader.goto", priority=True),
        Binding("slash", "search", "Search", id="reader.search", priority=True),
        Binding("n", "note_or_next_hit", "Note / next hit", show=False, id="reader.next-hit"),
        Binding("N", "next_hit(-1)", "Previous hit", show=False, id="reader.previous-hit"),
        Binding("s", "select_sentence", "Select sentence", id="reader.select-sentence"),
        Binding("p", "select_paragraph", "Select paragraph", show=False, id="reader.select-paragraph"),
        Binding("v", "visual", "Start or end a selection", show=False, id="reader.visual"),
        *[Binding(str(k), f"tag_key('{k}')", f"Tag {k}", show=False, id=f"reader.tag-{k}") for k in range(1, 10)],
        Binding("t", "pick_tag", "Tag…", id="reader.pick-tag"),
        Binding("ctrl+n", "note", "Write note", show=False, id="reader.note"),
        Binding("D", "delete_annotation", "Delete annotation", show=False, id="reader.delete-annotation"),
        Binding("u", "undo", "Undo", show=False, id="reader.undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="reader.redo"),
        Binding("right_square_bracket", "annotation(1)", "Next annotation", show=False, id="reader.next-annotation"),
        Binding("left_square_bracket", "annotation(-1)", "Previous annotation", show=False, id="reader.previous-annotation"),
        Binding("a", "toggle_panel", "Annotations", id="reader.panel"),
        Binding("T", "manage_tags", "Manage tags", show=False, id="reader.manage-tags"),
        Binding("x", "export", "Export…", id="reader.export"),
        Binding("d", "direction", "Paragraph direction", show=False, id="reader.direction"),
        Binding("E", "encoding", "Encoding", show=False, id="reader.encoding", priority=True),
        Binding("R", "reload", "Reload", show=False, id="reader.reload"),
        Binding("q,escape", "back", "Back", id="reader.back"),
    ]
    """
    | Id | Keys | Action |
    | :- | :- | :- |
    | reader.scroll-down / -up | j k ↓ ↑ | Scroll a row (the cursor stays on screen). |
    | reader.page-down / -up | space PgDn / shift+space PgUp | Scroll a screen. |
    | reader.top / bottom | g Home / G End | First or last row. |
    | reader.next- / previous-paragraph | } { | Next or previous paragraph. |
    | reader.next- / previous-sentence | ) ( | Next or previous sentence. |
    | reader.cursor-right / -left | l → / h ← | Cursor one cluster right or left on screen. |
    | reader.next- / previous-word | w / b | Next or previous word (reading order). |
    | reader.cursor-down / -up | J / K | Cursor one row down or up. |
    | reader.goto | : | Go to a percentage (``40%``) or a paragraph number. |
    | reader.search | / | Search (case, width and diacritics folded). |
    | reader.next- / previous-hit | n / N | Next or previous search hit; with a selection, ``n`` writes its note. |
    | reader.select-sentence / -paragraph | s / p | Select the sentence or paragraph at the cursor. |
    | reader.visual | v | Start (or end) a selection at the cursor; motions extend it. |
    | reader.tag-1 … tag-9 | 1 … 9 | Apply the tag bound to that key (toggle it on the annotation under the cursor). |
    | reader.pick-tag | t | Pick or create a tag for the selection. |
    | reader.note | ctrl+n (n) | Write the note of the selection or of the annotation under the cursor. |
    | reader.delete-annotation | D | Delete the annotation under the cursor. |
    | reader.undo / redo | u / ctrl+r | Undo or redo the last annotation change. |
    | reader.next- / previous-annotation | ] / [ | Jump to the next or previous annotation. |
    | reader.panel | a | Show or hide the annotations panel. |
    | reader.manage-tags | T | Rename, recolour or delete tags. |
    | reader.export | x | Export notes. |
    | reader.direction | d | Paragraph direction: from the text, left to right, right to left. |
    | reader.encoding | E | Decode the file with another encoding. |
    | reader.reload | R | Read the file again from disk. |
    | reader.back | q Esc | Back to the library (Esc first closes a prompt or a search). |
    """

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

    def __init__(self, path: Path, *, force_text: bool = False, encoding: str | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.force_text = force_text
        self.encoding = encoding
        self.doc_hash: str | None = None
        self.source: TextSource | None = None
        self.view: ReaderView | None = None
        self._prompt_kind: str | None = None
        self._query = ""
        self._indexed = 1.0
        self._searching: float | None = None
        self._after_index = None
        """A move that waits for the index to be complete (G, a percentage)."""
        self._title = self.path.name
        self._binary = False
        self._direction: int | None = None
        """The document's paragraph direction when the reader overrides it (0 LTR, 1 RTL)."""
        self.history: History | None = None
        self.annotations: list[Annotation] = []
        """The document's annotations in reading order."""
        self._highlights: dict[tuple, Highlight] = {}
        self._styles: dict[str | None, tuple[Style, Style]] = {}
        self.tags: list[Tag] = []

    @property
    def host(self) -> MarginHost:
        return host_of(self)

    # -- composition --------------------------------------------------------------------

    def _options(self) -> LayoutOptions:
        return replace(self.host.layout_options, base_level=self._direction)

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        yield Static("", id="notice")
        self.source = self._open_source()
        self.view = ReaderView(self.source, self._options(), id="view")
        self.view.on_moved = self._update_status
        with Horizontal(id="body"):
            yield self.view
            yield AnnotationPanel(self.host.layout_options, id="panel")
        with Vertical(id="bottom"):
            yield Input(id="prompt")
            yield Static("", id="status")
            yield Footer()

    def _open_source(self) -> TextSource | TextBlocks:
        self._binary = False
        try:
            return TextSource.open(self.path, encoding=self.encoding, force_text=self.force_text)
        except BinaryDocumentError:
            self._binary = True
            return TextBlocks("")
        except SourceError as error:
            self.notify(str(error), severity="error", timeout=10)
            return TextBlocks("")

    def on_mount(self) -> None:
        self._show_title()
        assert self.source is not None
        if self._binary:
            self._notice(
                "This looks like a binary file. Press E to choose an encoding, or R to show it anyway "
                "with control characters as symbols."
            )
        if not self.source.complete:
            self._indexed = 0.0
        self.set_interval(2.0, self._check_disk)
        self.view.focus()
        self._update_status()
        # Background work starts once the first screen is on the terminal, so it does not
        # compete with drawing it.
        self.call_after_refresh(self._start_background_work)

    def _start_background_work(self) -> None:
        if self.source is not None and not self.source.complete:
            self._index()
        self._identify()

    def _show_title(self) -> None:
        title = self.path.name
        if self.source is not None and self.source.block_count:
            for i in range(min(self.source.block_count, 50)):
                text = self.source.block(i).text.strip()
                if text:
                    title = text
                    break
        self._title = title
        width = max(self.app.size.width - 2, 10)
        options = self._options()
        header = self.query_one("#title", Static)
        header.update(display_line(title, width, options))
        header.set_class(options.reorder and analyse(title, 0, options).base_level == 1, "-rtl")

    def _notice(self, message: str | None) -> None:
        notice = self.query_one("#notice", Static)
        notice.update(message or "")
        notice.set_class(bool(message), "-open")

    # -- background work ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def _index(self) -> None:
        worker = get_current_worker()
        source = self.source
        reported = 0.0
        while source is not None and not source.complete and not worker.is_cancelled:
            # Small batches: the reader waits for the source's lock while a batch is indexed.
            fraction = source.index_step(INDEX_BATCH)
            if fraction - reported >= 0.02 or source.complete:
                reported = fraction
                self.app.call_from_thread(self._indexing_progress, fraction)

    def _indexing_progress(self, fraction: float) -> None:
        self._indexed = fraction
        if self.view is not None and len(self.view.window()) < self.view.content_size.height:
            self.view.reload()
        if self.source is not None and self.source.complete and self._after_index is not None:
            move, self._after_index = self._after_index, None
            move()
        self._update_status()

    @work(thread=True, exclusive=True, group="identify")
    def _identify(self) -> None:
        try:
            digest = content_hash(self.path)
        except (CorpusError, OSError) as error:
            self.app.call_from_thread(self.notify, f"{error}; notes are off for this document.", severity="warning")
            return
        self.app.call_from_thread(self._identified, digest)

    def _identified(self, digest: str) -> None:
        self.doc_hash = digest
        store = self.host.store
        if store is None:
            return
        try:
            previous = store.document_by_path(str(self.path))
            store.register_document(digest, str(self.path), self._title)
            position = store.position(digest)
            direction = store.direction(digest)
            self.history = History(store)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        if previous is not None and previous.hash != digest:
            self._reanchor(previous.hash)
        else:
            self._load_annotations()
        if direction is not None and direction != self._direction:
            self._direction = direction
            self.view.reload(self._options())
            self._show_title()
        if position and self.view is not None and self.view.top_offset == 0:
            self.view.go_to_offset(position)

    def _remember_position(self) -> None:
        store = self.host.store
        if store is None or self.doc_hash is None or self.view is None:
            return
        try:
            store.set_position(self.doc_hash, self.view.top_offset)
        except Exception as error:
            self.notify(str(error), severity="error")

    def _check_disk(self) -> None:
        if self.source is not None and self.source.changed():
            self._notice("The file changed on disk. Press R to reload it.")

    # -- status -------------------------------------------------------------------------

    def _update_status(self) -> None:
        if self.view is None or self.source is None:
            return
        source = self.source
        rows = self.view.window()
        parts = []
        if rows:
            top = rows[0][0].block
            length = source.length if source.complete else max(source.length, 1)
            percent = 100 * self.view.top_offset / length if length else 100
            if rows[-1][0] == self.view.pager.last() and source.complete:
                percent = 100
            parts.append(f"{percent:3.0f}%")
            total = source.block_count
            parts.append(f"¶ {top + 1}/{total}{'' if source.complete else '+'}")
        else:
            parts.append("empty")
        parts.append(source.encoding)
        if self._indexed < 1:
            parts.append(f"indexing {self._indexed:.0%}")
        if self._searching is not None:
            parts.append(f"searching {self._searching:.0%} (Esc cancels)")
        elif self.view.hits:
            current = (self.view.current_hit or 0) + 1
            parts.append(f"“{self._query}” {current}/{len(self.view.hits)}")
        elif self._query:
            parts.append(f"“{self._query}” not found")
        self.query_one("#status", Static).update(" · ".join(parts))

    # -- actions: reading ---------------------------------------------------------------

    def action_scroll(self, delta: int) -> None:
        self.view.scroll_rows(delta)

    def action_page(self, direction: int) -> None:
        self.view.page(direction)

    def action_top(self) -> None:
        self.view.go_home()

    def action_bottom(self) -> None:
        self._when_indexed(self.view.go_end, "the end")

    def _when_indexed(self, move, where: str) -> None:
        """Moves that need the whole document wait for the index, if it is still being built."""
        if self.source is None or self.source.complete:
            move()
            return
        self._after_index = move
        self.notify(f"Still indexing the file: going to {where} when it is done.")

    def action_paragraph(self, direction: int) -> None:
        motion = self.view.motion
        target = motion.next_paragraph(self.view.cursor) if direction > 0 else motion.prev_paragraph(self.view.cursor)
        self.view.set_cursor(target)

    def action_sentence(self, direction: int) -> None:
        motion = self.view.motion
        target = motion.next_sentence(self.view.cursor) if direction > 0 else motion.prev_sentence(self.view.cursor)
        self.view.set_cursor(target)

    def action_word(self, direction: int) -> None:
        motion = self.view.motion
        target = motion.next_word(self.view.cursor) if direction > 0 else motion.prev_word(self.view.cursor)
        self.view.set_cursor(target)

    def _cursor_is_rtl(self) -> bool:
        pos = self.view.pager.position_of(self.view.cursor)
        return self.view.pager.paragraph(pos.block).base_level == 1 and self.host.bidi_mode != "terminal"

    def action_cursor_right(self) -> None:
        motion = self.view.motion
        forward = not self._cursor_is_rtl()
        self.view.set_cursor(motion.next_unit(self.view.cursor) if forward else motion.prev_unit(self.view.cursor))

    def action_cursor_left(self) -> None:
        motion = self.view.motion
        forward = self._cursor_is_rtl()
        self.view.set_cursor(motion.next_unit(self.view.cursor) if forward else motion.prev_unit(self.view.cursor))

    def action_cursor_row(self, delta: int) -> None:
        self.view.move_visual_row(delta)

    def action_back(self) -> None:
        if self._prompt_kind is not None:
            self._close_prompt()
            return
        if self.view.anchor is not None:
            self.view.clear_selection()
            return
        panel = self.query_one("#panel", AnnotationPanel)
        if panel.has_class("-open") and panel.has_focus_within:
            self.view.focus()
            return
        if self._searching is not None:
            self.workers.cancel_group(self, "search")
            self._searching = None
            self._update_status()
            return
        if self.view.hits or self._query:
            self._query = ""
            self.view.set_hits([], None)
            self._update_status()
            return
        self._remember_position()
        self.dismiss() if self.app.screen_stack[-2:-1] else self.app.exit()

    def on_unmount(self) -> None:
        self._remember_position()
        if self.source is not None:
            self.source.close()

    # -- prompts ------------------------------------------------------------------------

    PROMPT_ACTIONS = frozenset({"goto", "search", "encoding"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that open a prompt are priority bindings (so typing straight on after them
        is not lost); while a prompt is open they are just characters to type."""
        if action in self.PROMPT_ACTIONS and self._prompt_kind is not None:
            return False
        return True

    def _open_prompt(self, kind: str, placeholder: str, value: str = "") -> None:
        self._prompt_kind = kind
        prompt = self.query_one("#prompt", Input)
        prompt.placeholder = placeholder
        prompt.value = value
        prompt.add_class("-open")
        # Focus at once, not on the next turn of the event loop, so keys typed right
        # after the one that opened the prompt reach it (its binding has priority).
        self.set_focus(prompt)

    def _close_prompt(self) -> None:
        self._prompt_kind = None
        prompt = self.query_one("#prompt", Input)
        prompt.remove_class("-open")
        self.set_focus(self.view)

    def action_goto(self) -> None:
        self._open_prompt("goto", "Go to: a percentage (40%) or a paragraph number (120)")

    def action_search(self) -> None:
        self._open_prompt("search", "Search (case, width and diacritics folded); Enter to search", self._query)

    def action_encoding(self) -> None:
        self._open_prompt("encoding", "Encoding: " + ", ".join(ENCODINGS), self.source.encoding if self.source else "")

    @on(Input.Submitted, "#prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        kind = self._prompt_kind
        value = event.value.strip()
        self._close_prompt()
        if kind == "goto":
            self._goto(value)
        elif kind == "search":
            self._start_search(value)
        elif kind == "encoding":
            self._reopen(encoding=value or None)

    def on_key(self, event) -> None:
        if event.key == "escape" and self._prompt_kind is not None:
            event.stop()
            self._close_prompt()

    def _goto(self, value: str) -> None:
        source = self.source
        try:
            if value.endswith("%"):
                fraction = min(max(float(value[:-1]) / 100, 0.0), 1.0)
                if fraction >= 1.0:
                    self._when_indexed(self.view.go_end, "the end")
                    return
                self._when_indexed(lambda: self.view.go_to_offset(int(self.source.length * fraction)), value)
            else:
                number = int(value)
                block = min(max(number - 1, 0), max(source.block_count - 1, 0))
                self.view.go_to_offset(source.block(block).start)
        except ValueError:
            self.notify(f"Not a percentage or a paragraph number: {value!r}", severity="warning")

    # -- search -------------------------------------------------------------------------

    def _start_search(self, query: str) -> None:
        self._query = query
        self.view.set_hits([], None)
        if not query:
            self._update_status()
            return
        self._searching = 0.0
        self._update_status()
        self._search(query, SearchOptions(ignore_diacritics=not self.host.config.search_diacritics))

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str, options: SearchOptions) -> None:
        worker = get_current_worker()
        source = self.source
        hits: list[tuple[int, int]] = []
        i = 0
        # Blocks past the index are indexed on demand, so a search started while the
        # file is still being indexed reads it to the end.
        while i < source.block_count or not source.complete:
            if worker.is_cancelled:
                return
            try:
                block = source.block(i)
            except IndexError:
                break
            hits.extend(find_all(block.text, query, options, base=block.start))
            i += 1
            if i % 2000 == 0:
                fraction = i / max(source.block_count, 1) if source.complete else getattr(source, "progress", 0.0)
                self.app.call_from_thread(self._search_progress, fraction)
        self.app.call_from_thread(self._search_done, query, hits)

    def _search_progress(self, fraction: float) -> None:
        if self._searching is not None:
            self._searching = fraction
            self._update_status()

    def _search_done(self, query: str, hits: list[tuple[int, int]]) -> None:
        self._searching = None
        if query != self._query:
            return
        current = None
        cursor = self.view.cursor
        for i, (start, _end) in enumerate(hits):
            if start >= cursor:
                current = i
                break
        if current is None and hits:
            current = 0
        self.view.set_hits(hits, current)
        if current is not None:
            self.view.go_to_offset(hits[current][0], context=2)
        self._update_status()

    def action_next_hit(self, direction: int) -> None:
        hits = self.view.hits
        if not hits:
            if self._query:
                self.notify(f"“{self._query}” not found", severity="warning")
            return
        current = self.view.current_hit
        current = 0 if current is None else (current + direction) % len(hits)
        self.view.set_hits(hits, current)
        self.view.go_to_offset(hits[current][0], context=2)
        self._update_status()

    # -- reloading ----------------------------------------------------------------------

    def action_reload(self) -> None:
        self._reopen(encoding=self.encoding, force_text=True)

    def _reopen(self, *, encoding: str | None = None, force_text: bool | None = None) -> None:
        if encoding is not None:
            try:
                "".encode(encoding)
            except LookupError:
                self.notify(f"Unknown encoding: {encoding}", severity="error")
                return
        offset = self.view.top_offset
        self.encoding = encoding
        if force_text is not None:
            self.force_text = force_text
        old = self.source
        self.source = self._open_source()
        self.view.set_source(self.source)
        self.view.go_to_offset(min(offset, self.source.length), move_cursor=True)
        if old is not None:
            old.close()
        self.doc_hash = None
        self.history = None
        self._identify()
        self._notice(None)
        if self._binary:
            self._notice("This looks like a binary file. Press R to show it anyway with control characters as symbols.")
        self._show_title()
        if not self.source.complete:
            self._indexed = 0.0
            self._index()
        self._update_status()

    def action_direction(self) -> None:
        """Cycle the paragraph direction: from the text, left to right, right to left."""
        self._direction = {None: 0, 0: 1, 1: None}[self._direction]
        self.view.reload(self._options())
        self._show_title()
        names = {None: "from the text", 0: "left to right", 1: "right to left"}
        self.notify(f"Paragraph direction: {names[self._direction]}")
        if self.host.store is not None and self.doc_hash is not None:
            try:
                self.host.store.set_direction(self.doc_hash, self._direction)
            except StoreError as error:
                self.notify(str(error), severity="error")
