"""In a browser the export dialog hands the export to the browser as a download."""

from __future__ import annotations

import io
import zipfile

import pytest
from reader_harness import ARABIC, reader_app, settle, synchronous

from tui.app import MarginApp
from tui.notes.exporters.collection import ExportScope
from tui.notes.store import Store
from tui.screens.export import ExportScreen
from tui.serve.delivery import download_name, export_bytes

SIZE = (100, 40)


@pytest.fixture
def in_a_browser(monkeypatch):
    """The app believes it runs under textual-serve; deliveries are recorded, not sent."""
    delivered: list[dict] = []

    def deliver_binary(self, path_or_file, **options):
        delivered.append({"data": path_or_file.read(), **options})
        return "key"

    monkeypatch.setattr(MarginApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(MarginApp, "deliver_binary", deliver_binary)
    return delivered


async def tag_and_export(pilot, app, fmt_downs: int = 0) -> None:
    await settle(pilot)
    await pilot.press("right_curly_bracket", "s", "1")
    await settle(pilot)
    await pilot.press("x")
    await settle(pilot)
    assert isinstance(app.screen, ExportScreen)
    assert not app.screen.query_one("#destination").display  # no server path to type
    assert "download" in str(app.screen.query_one("#destination-label").render())
    if fmt_downs:
        app.screen.query_one("#format").focus()
        await pilot.press("enter", *["down"] * fmt_downs, "enter")
        await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)


@synchronous
async def test_export_in_a_browser_is_a_download_of_what_the_command_writes(in_a_browser, tmp_path, monkeypatch):
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await tag_and_export(pilot, app)
        store = app.store
        expected, _ = export_bytes(store, "md", ExportScope(doc_hash=app.screen.doc_hash))
    (delivery,) = in_a_browser
    assert delivery["save_filename"] == download_name(ARABIC.stem, "md")
    assert delivery["mime_type"] == "text/markdown"
    assert delivery["data"] == expected
    assert "\u2067" in delivery["data"].decode("utf-8")  # the Arabic quote is in it
    assert list(here.iterdir()) == []  # nothing written where a terminal export would go


@synchronous
async def test_brat_in_a_browser_is_a_zip_of_its_folder(in_a_browser, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await tag_and_export(pilot, app, fmt_downs=4)
    (delivery,) = in_a_browser
    assert delivery["save_filename"].endswith("-notes.zip")
    names = zipfile.ZipFile(io.BytesIO(delivery["data"])).namelist()
    assert any(name.endswith(".ann") for name in names) and any(name.endswith(".txt") for name in names)


def test_download_names_are_plain_ascii():
    assert download_name("تقرير 2025", "csv") == "2025-notes.csv"
    assert download_name("", "w3c") == "margin-notes.jsonld"
    assert download_name('a"; b\r\nX', "md") == "a-b-X-notes.md"
    assert Store  # the store module is importable without textual-serve
