"""Hostile input at the corpus boundary: odd encodings, odd names, odd files, through the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader_harness import reader_app, screen_lines, settle, synchronous

SIZE = (100, 30)


@pytest.mark.parametrize("name", ["idna", "undefined", "rot13", "base64", "zip"])
@synchronous
async def test_choosing_a_codec_that_is_not_a_text_encoding_changes_nothing(tmp_path: Path, name: str):
    path = tmp_path / "doc.txt"
    path.write_bytes("très bien, ça va\n".encode("cp1252") * 20)
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        source = app.screen.source
        before = screen_lines(app)
        await pilot.press("E", *(["backspace"] * 20), *name, "enter")
        await settle(pilot)
        assert app.screen.source is source
        assert screen_lines(app)[1:-3] == before[1:-3]
        assert any("not a text encoding" in str(n.message) for n in app._notifications)
