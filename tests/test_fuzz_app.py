"""The whole app, driven at random: every key of every screen, resizes and text typed into
prompts and editors, on every seed and on hostile files. After every step nothing has
crashed, the store passes SQLite's integrity check, and every anchored annotation's quote is
the document's text at its offsets.

Hypothesis drives a synchronous state machine while Textual runs on asyncio; each example
gets an event loop of its own, on this thread, that runs only while a step is being taken
(``loop.run_until_complete``). Between steps the app's tasks simply wait, and worker threads'
messages queue up until the next step runs the loop again.

CI runs a few examples (about a minute on a loaded two-core machine); set
``MARGIN_FUZZ_EXAMPLES`` to run more, with a fresh random seed each run.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from reader_harness import SEEDS, reader_app
from textual import events
from textual.binding import Binding
from textual.keys import _character_to_key

from tui.app import MarginApp
from tui.locations import default_store
from tui.notes.model import ORPHAN

EXAMPLES = int(os.environ.get("MARGIN_FUZZ_EXAMPLES", "0") or 0)
STEP_SECONDS = 30.0
"""A step that takes longer than this is a hang, and fails the test."""

HOSTILE_FILES: dict[str, bytes] = {
    "markup-title.txt": b"Closing tag only [/red] title [@click=app.quit]Quit me[/]\n[bold]x[/bold] more text. Second.\n",
    "escapes.txt": b"before\x1b]0;PWNED\x07 \x1b[2J\x1b[31mRED\x1b[0m \xc2\x9b31m after\n" * 8,
    "invalid-utf8.txt": b"good start \xff\xfe\xc3\x28 bad \xed\xa0\x80 surrogate\n" + "عربي\n".encode() * 5,
    "nuls.txt": b"hello\x00world\x00\x00 nul bytes here\nsecond line\x00\n",
    "rlo.txt": "abc \u202egnp.exe\u202c def. שלום עולם \u2067x\u2069 end.\n".encode() * 6,
    "empty.txt": b"",
    "binary.bin": bytes(range(256)) * 16,
    "crlf-bom.txt": "\ufeffFirst line.\r\nSecond ਪੰਜਾਬੀ line.\r\n\r\n第三行。\r\n".encode(),
}

TYPED = st.text(
    alphabet=st.sampled_from(
        list("abc xyz019%-:/[]@=.,") + list("بعد تعرضها") + list("不過，這。") + list("ਪੰਜਾਬੀ ਨੋਟ") + ["\u202e", "\u200d"]
    ),
    max_size=12,
)


@cache
def documents() -> tuple[Path, ...]:
    """The seeds and the hostile files (written once per test run)."""
    folder = Path(tempfile.mkdtemp(prefix="margin-fuzz-"))
    hostile = []
    for name, data in HOSTILE_FILES.items():
        path = folder / name
        path.write_bytes(data)
        hostile.append(path)
    return (*SEEDS, *hostile)


@cache
def every_key() -> tuple[str, ...]:
    """Every key bound on any screen or widget of the app, and the keys dialogs answer to."""
    from tui.screens.dialogs import Ask, Confirm
    from tui.screens.export import ExportScreen
    from tui.screens.help import HelpScreen
    from tui.screens.library import LibraryScreen
    from tui.screens.note_editor import NoteEditor
    from tui.screens.reader import ReaderScreen
    from tui.screens.tag_manager import TagManager
    from tui.screens.tag_picker import TagPicker
    from tui.widgets.annotation_panel import AnnotationList
    from tui.widgets.library_table import LibraryTable

    owners = (
        MarginApp, ReaderScreen, LibraryScreen, AnnotationList, LibraryTable,
        Ask, Confirm, ExportScreen, HelpScreen, NoteEditor, TagManager, TagPicker,
    )  # fmt: skip
    keys = {"enter", "tab", "shift+tab", "escape", "backspace", "up", "down", "left", "right", "ctrl+p"}
    for owner in owners:
        for binding in owner.BINDINGS:
            bound = binding.key if isinstance(binding, Binding) else binding[0]
            keys.update(key.strip() for key in bound.split(","))
    keys.discard("ctrl+z")  # suspends the process: not something a headless test can resume
    return tuple(sorted(keys))


class AppMachine(RuleBasedStateMachine):
    """One app on one document per example; rules are what a user at the keyboard can do."""

    def __init__(self) -> None:
        super().__init__()
        # The export dialog offers the working folder; a random Enter must write elsewhere.
        self._folder = tempfile.TemporaryDirectory()
        self._was_in = os.getcwd()
        os.chdir(self._folder.name)
        self.loop = asyncio.new_event_loop()
        self.app: MarginApp | None = None
        self.path: Path | None = None
        self.pilot = None
        self._steps: asyncio.Queue | None = None
        self._driver: asyncio.Task | None = None

    # -- running the app on this example's loop ---------------------------------------

    async def _drive(self, started: asyncio.Future) -> None:
        """One task owns the app for its whole life (Textual keeps context in it) and takes
        the steps, one at a time, from a queue."""
        self._steps = asyncio.Queue()
        async with self.app.run_test(size=(100, 30)) as pilot:
            self.pilot = pilot
            await self._settle()
            started.set_result(None)
            while True:
                step, done = await self._steps.get()
                if step is None:
                    done.set_result(None)
                    break
                try:
                    await step()
                    await self._settle()
                except BaseException as error:  # handed to the rule that asked for the step
                    done.set_exception(error)
                else:
                    done.set_result(None)

    async def _settle(self) -> None:
        if self.app.return_code is not None:
            return
        await self.pilot.pause()
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()

    def _wait(self, future: asyncio.Future) -> None:
        self.loop.run_until_complete(asyncio.wait_for(future, STEP_SECONDS))

    def _start(self) -> None:
        self.app = reader_app(self.path)
        started = self.loop.create_future()
        self._driver = self.loop.create_task(self._drive(started))
        self._wait(started)

    def _stop(self) -> None:
        driver, self._driver = self._driver, None
        if driver is None:
            return
        if not driver.done():
            done = self.loop.create_future()
            self._steps.put_nowait((None, done))
        self.loop.run_until_complete(asyncio.wait_for(driver, STEP_SECONDS))

    def _running(self) -> bool:
        return self.app is not None and self.app.return_code is None and self.app._exception is None

    def _step(self, coroutine_factory) -> None:
        """Take one step; an app that quit cleanly is started again on the same document."""
        if not self._running() or self._driver is None or self._driver.done():
            self._check_exit()
            self._stop()
            self._start()
        done = self.loop.create_future()
        self._steps.put_nowait((coroutine_factory, done))
        self._wait(done)
        self._check_exit()

    def _check_exit(self) -> None:
        app = self.app
        assert app is not None
        assert app._exception is None, f"the app crashed: {app._exception!r}"
        assert app.return_code in (None, 0), f"the app exited with status {app.return_code}"

    # -- rules ----------------------------------------------------------------------------

    @initialize(index=st.integers(min_value=0))
    def open_a_document(self, index: int) -> None:
        files = documents()
        self.path = files[index % len(files)]
        self._start()

    @rule(keys=st.lists(st.sampled_from(every_key()), min_size=1, max_size=4))
    def press(self, keys: list[str]) -> None:
        self._step(lambda: self.pilot.press(*keys))

    @rule(width=st.integers(min_value=12, max_value=180), height=st.integers(min_value=5, max_value=60))
    def resize(self, width: int, height: int) -> None:
        self._step(lambda: self.pilot.resize_terminal(width, height))

    @precondition(lambda self: self.app is not None)
    @rule(text=TYPED, enter=st.booleans())
    def type_text(self, text: str, enter: bool) -> None:
        """Characters as a terminal sends them (combining marks included, which Pilot's
        ``press`` drops), into whatever has focus: a prompt, an editor, a filter."""

        async def typing():
            for character in text:
                key = character if character.isalnum() else _character_to_key(character)
                self.app._driver.send_message(events.Key(key, character))
                await self.pilot.pause()
            if enter:
                await self.pilot.press("enter")

        self._step(typing)

    # -- what must hold after every step -------------------------------------------------

    @invariant()
    def nothing_crashed(self) -> None:
        if self.app is not None:
            self._check_exit()

    @invariant()
    def the_store_is_whole(self) -> None:
        path = default_store()
        if not path.exists():
            return
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            connection.close()

    @invariant()
    def every_quote_is_the_text_at_its_offsets(self) -> None:
        if not self._running() or self.app.store is None:
            return
        from tui.screens.reader import ReaderScreen

        for screen in self.app.screen_stack:
            if not isinstance(screen, ReaderScreen) or screen.document.doc_hash is None:
                continue
            source = screen.source
            for annotation in self.app.store.annotations(screen.document.doc_hash):
                if annotation.status == ORPHAN:
                    continue
                assert annotation.end <= source.length, (annotation, source.length)
                shown = source.text(annotation.start, annotation.end)
                assert shown == annotation.quote, (annotation.id, annotation.quote, shown)

    def teardown(self) -> None:
        try:
            self._stop()
            if self.app is not None:
                self._check_exit()
        finally:
            self.loop.close()
            os.chdir(self._was_in)
            self._folder.cleanup()


AppMachine.TestCase.settings = settings(
    max_examples=EXAMPLES or 6,
    stateful_step_count=30,
    deadline=None,
    derandomize=not EXAMPLES,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
test_the_app_survives_random_use = AppMachine.TestCase
