"""The first screen's import path leaves out what only later screens or commands need.

Start-up pays for every module it imports before the first screen is drawn, so the notes
store (its SQLite and PostgreSQL backends, the journal, even the interface: a screen catches
``tui.notes.store_errors``), the undo history and the changes it records (labels, suggestions,
relations, curation), the reader's prompt input, importers and exporters, schema
validation, charset detection, agreement, the web server, the screens and panels not yet
shown, hashing, the configuration parser (most people have no file), wcwidth (its answers
ship as tables) and the Arabic reshaper (until Arabic is shaped) are imported when first
used. Each check runs in a fresh interpreter so that no other test's imports count. The
first screen does not open the notes store either: it is opened once the screen is up.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from reader_harness import ENGLISH, reader_app, screen_lines, synchronous
from waiting import pilot_until

from tui import app as app_module
from tui.screens.reader_document import ReaderDocument

DEFERRED = (
    "sqlite3",
    "hashlib",
    "tomllib",
    "configparser",
    "importlib.resources",
    "wcwidth",
    "arabic_reshaper",
    "psycopg",
    "jsonschema",
    "charset_normalizer",
    "krippendorff",
    "textual_serve",
    "tui.notes.store",
    "tui.notes.store_api",
    "tui.notes.history",
    "tui.notes.labels",
    "tui.notes.suggestions",
    "tui.notes.suggestion_changes",
    "tui.notes.relations",
    "tui.notes.relation_changes",
    "tui.notes.curation_record",
    "tui.notes.sqlite",
    "tui.notes.postgres",
    "tui.notes.journal",
    "tui.notes.team",
    "tui.notes.exporters",
    "tui.notes.importers",
    "tui.notes.importing",
    "tui.notes.export",
    "tui.notes.agreement",
    "tui.notes.anchoring",
    "tui.notes.commands",
    "tui.screens.help",
    "tui.screens.export",
    "tui.screens.dialogs",
    "tui.screens.tag_picker",
    "tui.screens.tag_manager",
    "tui.screens.note_editor",
    "tui.widgets.annotation_panel",
    "tui.widgets.relation_list",
)
"""Packages and modules (with everything below them) the first screen must not import."""

LIBRARY_DEFERRED = (
    "tui.corpus.discover",
    "tui.corpus.metadata",
    "tui.corpus.identity",
    "tui.text.decode",
    "tui.screens.library_scan",
)
"""What the library's worker alone needs: finding and describing files, and the store's
figures, all of which come after the first frame (which lists the files by name)."""

FIRST_SCREENS = {
    "reader": ["tui.cli", "tui.app", "tui.screens.reader"],
    "library": ["tui.cli", "tui.app", "tui.screens.library"],
}


def loaded_after(modules: list[str]) -> set[str]:
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout))


@pytest.mark.parametrize("screen", sorted(FIRST_SCREENS))
def test_the_first_screen_imports_nothing_it_does_not_show(screen):
    loaded = loaded_after(FIRST_SCREENS[screen])
    assert set(FIRST_SCREENS[screen]) <= loaded
    early = sorted(name for name in loaded if any(name == d or name.startswith(d + ".") for d in DEFERRED))
    assert early == []


def test_the_library_leaves_finding_and_describing_files_to_its_worker():
    loaded = loaded_after(FIRST_SCREENS["library"])
    assert sorted(name for name in LIBRARY_DEFERRED if name in loaded) == []


def test_the_check_sees_a_heavy_module_when_it_is_imported():
    loaded = loaded_after(["tui.cli", "tui.notes.store"])
    assert {"sqlite3", "tui.notes.store"} <= loaded


@synchronous
async def test_the_first_screen_does_not_open_the_store(monkeypatch):
    # Only the first screen may open it here: no delayed opening, no identified document.
    monkeypatch.setattr(app_module, "STORE_OPEN_DELAY", 3600.0)
    monkeypatch.setattr(ReaderDocument, "identify", lambda self, post: None)
    app = reader_app(ENGLISH)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot_until(pilot, lambda: "utf-8" in screen_lines(app)[-2], "the status line")
        assert not app._store_opened
        assert app.store is not None  # opened when asked for


@synchronous
async def test_the_first_screen_has_no_prompt_until_a_question_is_asked():
    app = reader_app(ENGLISH)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot_until(pilot, lambda: "utf-8" in screen_lines(app)[-2], "the status line")
        assert not app.screen.query("#prompt")
        await pilot.press("colon")
        await pilot_until(pilot, lambda: app.screen.focused is app.screen.prompt, "the prompt to take the keys")
        assert app.screen.query_one("#prompt").display
