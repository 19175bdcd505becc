"""Curating by keyboard, end to end: an Arabic and a Chinese seed, three annotators each in
an SQLite store; walk the disagreements, accept one annotator's version, accept everything
marked alike, reject, undo, tag by hand into the curated layer; then ``margin export
--layer curated`` writes the gold set with its exact code-point offsets and provenance."""

from __future__ import annotations

import argparse
import json

import pytest
from curation_harness import seed_curation
from reader_harness import ARABIC, CHINESE, reader_app, settle, synchronous
from waiting import pilot_until

from tui.locations import default_store
from tui.notes.commands import add_subcommands
from tui.notes.curation_record import CURATION
from tui.notes.store import Store
from tui.widgets.annotation_panel import AnnotationList

SIZE = (110, 40)


def export(*arguments: str) -> int:
    parser = argparse.ArgumentParser(prog="margin")
    parser.add_argument("--store")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["--store", str(default_store()), "export", *arguments])
    return args.func(args)


def curated(digest):
    with Store.open(default_store()) as store:
        return [(a.start, a.end, a.tags) for a in store.annotations(digest) if a.annotator == CURATION]


def stack_marks_hold_their_code_points(stack) -> int:
    """Every cell marked under a passage row shows a code point of the marked span."""
    checked = 0
    for stacked in stack.rows():
        for marks in stacked.marks:
            for mark in marks:
                for x in range(mark.x0, mark.x1):
                    offset = stacked.row.offset_at(x)
                    if offset is None:
                        continue
                    assert mark.annotation.start <= offset < mark.annotation.end
                    checked += 1
    return checked


@pytest.mark.parametrize("seed", [ARABIC, CHINESE], ids=["arabic", "chinese"])
@synchronous
async def test_curating_a_seed_by_keyboard_and_exporting_the_gold_set(seed, tmp_path, capsys):
    plan = seed_curation(seed)
    app = reader_app(seed, annotator="ana")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot_until(pilot, lambda: screen.session.doc_hash == plan.digest, "the document identified")
        await pilot_until(pilot, lambda: len(screen.session.everyone) == 12, "the annotations loaded")

        await pilot.press("C")
        curation = screen.curation
        await pilot_until(pilot, lambda: curation.current() == 0, "the first disagreement at the cursor")
        regions = curation.analysis.regions
        assert [(r.start, r.end) for r in regions] == [plan.d1, plan.d2_long, plan.d3]
        assert [name for name, _ in regions[0].versions] == ["ana", "bo", "carol"]
        # The stack: the passage, and under it one labelled row per annotator whose bars sit
        # under exactly the cells of their span (checked by code point, not by looks).
        await pilot_until(pilot, lambda: curation.stack.rows(), "the stack drawn")
        first = curation.stack.rows()[0]
        assert [len(marks) > 0 for marks in first.marks] == [True, True, False]
        assert stack_marks_hold_their_code_points(curation.stack) >= 2 * (plan.d1[1] - plan.d1[0])
        shown = "\n".join(strip.text for strip in curation.stack._ensure(curation.stack.content_region.width))
        assert "1 ana" in shown and "2 bo" in shown and "3 carol" in shown

        await pilot.press("equals_sign")  # everything all three marked alike
        await pilot_until(pilot, lambda: len(curated(plan.digest)) == 2, "the alike passages accepted")
        await pilot.press("2")  # bo's version of the first disagreement
        await pilot_until(pilot, lambda: curation.current() == 1, "on to the second disagreement")
        await pilot.press("u")  # undone: the first is open again
        await pilot_until(pilot, lambda: curation.settled == [False, False, False], "the decision undone")
        await pilot.press("left_square_bracket")
        await pilot_until(pilot, lambda: curation.current() == 0, "back to the first")
        await pilot.press("2")
        await pilot_until(pilot, lambda: curation.current() == 1, "on to the second disagreement")
        await pilot.press("1")  # ana's (and carol's) longer span
        await pilot_until(pilot, lambda: curation.current() == 2, "on to the third")
        await pilot.press("0")  # bo alone marked it: rejected
        await pilot_until(pilot, lambda: curation.settled == [True, True, True], "every disagreement settled")

        # A tag by hand, outside any disagreement, goes to the curated layer.
        await pilot.press("slash", *plan.manual_word, "enter")
        await pilot_until(pilot, lambda: screen.view.cursor == plan.manual[0], "the search lands on the word")
        await pilot.press("v", "w")
        selection = screen.view.selection
        assert selection is not None and selection[0] == plan.manual[0]
        await pilot.press("5")
        await pilot_until(pilot, lambda: len(curated(plan.digest)) == 5, "the manual tag in the curated layer")
        # The panel says where each curated annotation came from.
        await pilot.press("a")
        listing = screen.query_one(AnnotationList)
        await pilot_until(pilot, lambda: len(listing.entries) == 5, "the curated layer in the panel")
        first_lines = {
            (a.start, a.end): "".join(s.text for s in listing._entry_line(a, 0, 80)) for a in listing.entries
        }
        assert "from ana, bo, carol" in first_lines[plan.unanimous[0][:2]]
        assert "from ana, carol" in first_lines[plan.d2_long]
        assert "from" not in first_lines[selection]
        await pilot.press("escape", "a")
        await pilot.press("C")
        await pilot_until(pilot, lambda: not curation.active, "curation mode left")
        assert screen.session.annotator == "ana"

    out = tmp_path / "gold.jsonl"
    assert export("--layer", "curated", "--format", "jsonl", "-o", str(out)) == 0
    (line,) = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["text"] == plan.text
    got = sorted((s["start"], s["end"], s["label"]) for s in record["spans"])
    expected = sorted(
        [
            *plan.unanimous,
            (*plan.d1, "evidence"),
            (*plan.d2_long, "key-point"),
            (*selection, "todo"),
        ]
    )
    assert got == expected
    for span in record["spans"]:
        assert record["text"][span["start"] : span["end"]] == plan.text[span["start"] : span["end"]]
    sources = {(a["start"], a["end"]): sorted(s["annotator"] for s in a.get("sources", [])) for a in record["meta"]["annotations"]}
    assert all(a["annotator"] == CURATION for a in record["meta"]["annotations"])
    assert sources[plan.unanimous[0][:2]] == ["ana", "bo", "carol"]
    assert sources[plan.d1] == ["bo"]
    assert sources[plan.d2_long] == ["ana", "carol"]
    assert sources[selection] == []
    with Store.open(default_store()) as store:
        assert [(r.start, r.end) for r in store.rejections(plan.digest)] == [plan.d3]
        uids = {a.uid for a in store.annotations(plan.digest) if a.annotator != CURATION}
        assert {s["uid"] for a in record["meta"]["annotations"] for s in a.get("sources", [])} <= uids
