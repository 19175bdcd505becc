"""Suggestions in the reader, by keyboard, on the Arabic, Chinese and Punjabi seeds: . and ,
visit them, y accepts, z rejects, Y accepts all scored at least a threshold, u undoes; every
offset checked in the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reader_harness import ARABIC, CHINESE, PUNJABI, reader_app, settle, synchronous
from waiting import pilot_until

from tui.corpus.identity import content_hash
from tui.locations import default_store
from tui.notes.commands import store_resolver
from tui.notes.store import Store
from tui.notes.suggestion_import import import_suggestions
from tui.notes.suggestions import ACCEPTED, REJECTED
from tui.text.decode import decode
from tui.text.sentences import sentence_boundaries

SIZE = (100, 30)
SEEDS = [ARABIC, CHINESE, PUNJABI]


def sentences(text: str, count: int) -> list[tuple[int, int]]:
    """The first ``count`` sentences from the second paragraph on, without trailing spaces."""
    found = []
    start = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if index >= 1 and line.strip():
            bounds = sentence_boundaries(line)
            for a, b in zip(bounds, bounds[1:], strict=False):
                while b > a and line[b - 1].isspace():
                    b -= 1
                while a < b and line[a].isspace():
                    a += 1
                if b > a:
                    found.append((start + a, start + b))
                if len(found) == count:
                    return found
        start += len(line) + 1
    raise AssertionError("not enough sentences")


def import_three(seed: Path, tmp_path: Path) -> list[tuple[int, int, str, float]]:
    """Three suggestions on the seed (scores .95, .5, .8), imported as a user would."""
    text = decode(seed.read_bytes()).text
    (a, b, c) = sentences(text, 3)
    spans = [(*a, "PER", 0.95), (*b, "ORG", 0.5), (*c, "PER", 0.8)]
    record = {
        "text": text,
        "spans": [{"start": s, "end": e, "label": tag, "score": score} for s, e, tag, score in spans],
        "meta": {"path": str(seed)},
    }
    file = tmp_path / "predicted.jsonl"
    file.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with Store.open(default_store()) as store:
        report = import_suggestions(store, file, store_resolver(store), source="ner-model")
    assert report.added == 3 and not report.unmatched
    return spans


def stored(seed: Path, annotator: str):
    """The seed's annotations, my decisions and its suggestions, as the store has them."""
    digest = content_hash(seed)
    with Store.open(default_store()) as store:
        return (
            store.annotations(digest),
            store.suggestion_decisions(annotator, digest),
            {s.uid: s for s in store.suggestions(digest)},
        )


@pytest.mark.parametrize("seed", SEEDS, ids=["arabic", "chinese", "punjabi"])
@synchronous
async def test_visit_accept_reject_and_undo_by_keyboard(seed, tmp_path):
    spans = import_three(seed, tmp_path)
    text = decode(seed.read_bytes()).text
    app = reader_app(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        view = screen.view
        await pilot_until(pilot, lambda: len(screen.suggestions.open) == 3, "three open suggestions")
        me = screen.session.annotator
        view.set_cursor(0)
        await pilot.press("full_stop")
        assert view.cursor == spans[0][0]
        await pilot.press("full_stop")
        assert view.cursor == spans[1][0]
        await pilot.press("comma")
        assert view.cursor == spans[0][0]
        await pilot.press("y")
        await settle(pilot)
        annotations, decisions, suggestions = stored(seed, me)
        (made,) = annotations
        assert (made.start, made.end, made.tags) == (spans[0][0], spans[0][1], ("PER",))
        assert made.quote == text[spans[0][0] : spans[0][1]]
        (decision,) = decisions.values()
        assert decision.decision == ACCEPTED and decision.annotation_uid == made.uid
        assert suggestions[decision.suggestion_uid].source == "ner-model"
        assert "1 accepted, 0 rejected, 2 open" in screen.query_one("#status").text
        await pilot.press("full_stop", "z")
        await settle(pilot)
        _annotations, decisions, suggestions = stored(seed, me)
        rejected = [d for d in decisions.values() if d.decision == REJECTED]
        assert [(suggestions[d.suggestion_uid].start, suggestions[d.suggestion_uid].end) for d in rejected] == [
            spans[1][:2]
        ]
        assert screen.suggestions.at(spans[1][0]) is None, "a rejected suggestion is hidden for me"
        await pilot.press("u")
        await settle(pilot)
        assert screen.suggestions.at(spans[1][0]) is not None, "undo opens it again"
        await pilot.press("u")
        await settle(pilot)
        annotations, decisions, _ = stored(seed, me)
        assert annotations == [] and decisions == {}
        # Y: every open suggestion scored 0.8 or more, in one step.
        await pilot.press("Y", "0", "full_stop", "8", "enter")
        await settle(pilot)
        annotations, decisions, _ = stored(seed, me)
        assert sorted((a.start, a.end, a.tags) for a in annotations) == [
            (spans[0][0], spans[0][1], ("PER",)),
            (spans[2][0], spans[2][1], ("PER",)),
        ]
        assert sorted(d.annotation_uid for d in decisions.values()) == sorted(a.uid for a in annotations)
        assert screen.suggestions.counts() == (2, 0, 1)
        await pilot.press("u")
        await settle(pilot)
        annotations, decisions, _ = stored(seed, me)
        assert annotations == [] and decisions == {}
        assert screen.suggestions.counts() == (0, 0, 3)


@synchronous
async def test_an_accepted_annotation_says_it_was_suggested_in_the_panel(tmp_path):
    spans = import_three(ARABIC, tmp_path)
    app = reader_app(ARABIC)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot_until(pilot, lambda: len(screen.suggestions.open) == 3, "three open suggestions")
        screen.view.set_cursor(spans[0][0])
        await pilot.press("y", "a")
        await settle(pilot)
        from tui.widgets.annotation_panel import AnnotationList

        listing = screen.query_one(AnnotationList)
        assert len(listing.entries) == 1
        first_row = "".join(segment.text for segment in listing._entry_line(listing.entries[0], 0, 80))
        assert "suggested by ner-model" in first_row


@synchronous
async def test_keys_say_why_when_there_is_nothing_to_do(tmp_path):
    app = reader_app(CHINESE)
    notices = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.notify = lambda message, **kw: notices.append(message)  # type: ignore[method-assign]
        await pilot.press("y", "full_stop", "Y")
        await settle(pilot)
    assert any("No more open suggestions" in n for n in notices)
    assert any("No open suggestions" in n for n in notices)


@synchronous
async def test_a_file_edited_since_the_import_has_its_suggestions_placed_again(tmp_path):
    seed = tmp_path / "chinese.txt"
    seed.write_bytes(CHINESE.read_bytes())
    spans = import_three(seed, tmp_path)
    prefix = "新的一行。\n"
    seed.write_text(prefix + decode(seed.read_bytes()).text, encoding="utf-8")
    app = reader_app(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        moved = sorted((s + len(prefix), e + len(prefix)) for s, e, _tag, _score in spans)
        await pilot_until(
            pilot,
            lambda: sorted((s.start, s.end) for s in screen.suggestions.open) == moved,
            "the suggestions found again after the edit",
        )
    with Store.open(default_store()) as store:
        assert sorted((s.start, s.end) for s in store.suggestions(content_hash(seed))) == moved


async def three_open(pilot):
    """The reader once its three imported suggestions are open: (screen, me, status text)."""
    await settle(pilot)
    screen = pilot.app.screen
    await pilot_until(pilot, lambda: len(screen.suggestions.open) == 3, "three open suggestions")

    def status() -> str:
        return screen.query_one("#status").text

    return screen, screen.session.annotator, status


@pytest.mark.parametrize("seed", [ARABIC, PUNJABI], ids=["arabic", "punjabi"])
@synchronous
async def test_deleting_an_accepted_annotation_opens_its_suggestion_and_undo_accepts_it_again(seed, tmp_path):
    spans = import_three(seed, tmp_path)
    app = reader_app(seed)
    async with app.run_test(size=SIZE) as pilot:
        screen, me, status = await three_open(pilot)
        start = spans[0][0]

        def drawn() -> bool:
            """Whether the suggestion's own dim underline is among the view's highlights."""
            return any(h.start == start and h.end == spans[0][1] and h.style.underline2 for h in screen.view.highlights)

        screen.view.set_cursor(start)
        await pilot.press("y")
        await pilot_until(pilot, lambda: "1 accepted, 0 rejected, 2 open" in status(), "the acceptance counted")
        (made,) = stored(seed, me)[0]
        assert not drawn() and screen.suggestions.at(start) is None
        await pilot.press("D")
        await pilot_until(pilot, lambda: "0 accepted, 0 rejected, 3 open" in status(), "the suggestion open again")
        annotations, decisions, _ = stored(seed, me)
        assert annotations == [] and decisions, "the decision is kept, for an undo"
        assert screen.suggestions.at(start) is not None and drawn(), "shown again, and y takes it"
        await pilot.press("u")
        await pilot_until(pilot, lambda: "1 accepted, 0 rejected, 2 open" in status(), "accepted again by the undo")
        assert [a.uid for a in stored(seed, me)[0]] == [made.uid]
        assert screen.suggestions.at(start) is None and not drawn()
        await pilot.press("ctrl+r")
        await pilot_until(pilot, lambda: "0 accepted, 0 rejected, 3 open" in status(), "open again by the redo")
        # Accepted anew from the reopened suggestion: one annotation, counted once.
        await pilot.press("y")
        await pilot_until(pilot, lambda: "1 accepted, 0 rejected, 2 open" in status(), "accepted anew")
        (again,) = stored(seed, me)[0]
        assert (again.start, again.end) == spans[0][:2] and again.uid != made.uid


@synchronous
async def test_taking_the_suggested_tag_off_an_accepted_annotation_opens_the_suggestion(tmp_path):
    spans = import_three(ARABIC, tmp_path)
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        screen, me, status = await three_open(pilot)
        start = spans[0][0]
        screen.view.set_cursor(start)
        await pilot.press("y")
        await pilot_until(pilot, lambda: "1 accepted, 0 rejected, 2 open" in status(), "the acceptance counted")
        await pilot.press("1")
        await pilot_until(pilot, lambda: [a.tags for a in stored(ARABIC, me)[0]] == [("PER", "key-point")], "a second tag")
        await pilot.press("t")
        await pilot.press(*"PER", "enter")
        await pilot_until(pilot, lambda: "0 accepted, 0 rejected, 3 open" in status(), "open again without its tag")
        assert [a.tags for a in stored(ARABIC, me)[0]] == [("key-point",)], "the annotation stays"
        assert screen.suggestions.at(start) is not None
        await pilot.press("u")
        await pilot_until(pilot, lambda: "1 accepted, 0 rejected, 2 open" in status(), "accepted again by the undo")
        assert screen.suggestions.at(start) is None
