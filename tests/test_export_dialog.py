"""Exporting from the app, by keyboard all the way, and never overwriting without asking."""

from __future__ import annotations

import json

from reader_harness import ARABIC, reader_app, settle, synchronous

from tui.screens.dialogs import Confirm
from tui.screens.export import ExportScreen
from tui.text.decode import decode

SIZE = (100, 40)


async def _set_destination(pilot, path) -> None:
    screen = pilot.app.screen
    field = screen.query_one("#destination")
    field.focus()
    field.value = str(path)
    await pilot.pause()


@synchronous
async def test_export_markdown_then_jsonl_by_keyboard(tmp_path):
    text = decode(ARABIC.read_bytes()).text
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_curly_bracket", "s", "1")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        target = tmp_path / "notes.md"
        await _set_destination(pilot, target)
        await pilot.press("enter")
        await settle(pilot)
        markdown = target.read_text(encoding="utf-8")
        (annotation,) = app.screen_stack[-2].session.annotations
        assert annotation.quote in markdown
        assert "\u2067" in markdown  # the right-to-left quote is isolated for Markdown viewers
        assert "Wrote 1 annotation" in str(app.screen.query_one("#result").render())

        # Choose JSONL with the keyboard: focus the format list, open it, move down twice.
        app.screen.query_one("#format").focus()
        await pilot.press("enter", "down", "down", "enter")
        await settle(pilot)
        assert app.screen.query_one("#format").value == "jsonl"
        jsonl = tmp_path / "notes.jsonl"
        await _set_destination(pilot, jsonl)
        await pilot.press("ctrl+s")
        await settle(pilot)
        (line,) = jsonl.read_text(encoding="utf-8").splitlines()
        record = json.loads(line)
        (span,) = record["spans"]
        assert record["text"][span["start"] : span["end"]] == annotation.quote == text[span["start"] : span["end"]]


@synchronous
async def test_an_existing_file_is_only_overwritten_after_confirmation(tmp_path):
    target = tmp_path / "existing.md"
    target.write_text("keep me", encoding="utf-8")
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "1", "x")
        await settle(pilot)
        await _set_destination(pilot, target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") != "keep me"


@synchronous
async def test_the_dialog_exports_the_curated_layer_alone(tmp_path):
    from curation_harness import seed_curation

    from tui.notes.curation_record import CURATION

    plan = seed_curation(ARABIC)
    app = reader_app(ARABIC, annotator="ana")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C", "equals_sign")  # the two passages all three marked alike
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        whose = app.screen.query_one("#annotator")
        whose.focus()
        await pilot.press("enter", "down", "enter")  # past "Everyone's" to the curated layer
        await settle(pilot)
        assert whose.value == CURATION
        app.screen.query_one("#format").focus()
        await pilot.press("enter", "down", "down", "enter")
        await settle(pilot)
        target = tmp_path / "gold.jsonl"
        await _set_destination(pilot, target)
        await pilot.press("ctrl+s")
        await settle(pilot)
    record = json.loads(target.read_text(encoding="utf-8"))
    assert sorted((s["start"], s["end"], s["label"]) for s in record["spans"]) == sorted(plan.unanimous)
    assert {a["annotator"] for a in record["meta"]["annotations"]} == {CURATION}
