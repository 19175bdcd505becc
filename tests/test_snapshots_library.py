"""Pictures of the library: the bundled seeds at a roomy and a narrow size, and filtered.

The store lives in tmp_path and the configuration is fixed, so nothing on the machine
running the tests can change the picture.
"""

from __future__ import annotations

import pytest

from tui.app import MarginApp
from tui.config import Config
from tui.locations import seeds_dir

FIXED_CONFIG = Config(width_model="xterm", bidi="app", theme="textual-dark", annotator="test")


@pytest.fixture
def library_app(tmp_path, monkeypatch) -> MarginApp:
    monkeypatch.setenv("MARGIN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MARGIN_STORE", str(tmp_path / "data" / "notes.sqlite3"))
    monkeypatch.setenv("MARGIN_CONFIG", str(tmp_path / "absent.toml"))
    return MarginApp(seeds_dir(), FIXED_CONFIG)


async def described(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(100, 30), (60, 20)], ids=["100x30", "60x20"])
def test_library(snap_compare, library_app, size):
    assert snap_compare(library_app, terminal_size=size, run_before=described)


def test_library_filtered_to_the_arabic_seed(snap_compare, library_app):
    assert snap_compare(library_app, terminal_size=(100, 30), press=["slash", *"arabic", "enter"], run_before=described)
