"""Layers in the reader: mine by default (blind), everyone's or chosen annotators' by L;
others' annotations drawn distinctly and refused to change unless I am a curator."""

from __future__ import annotations

from reader_harness import ENGLISH, reader_app, screen_lines, settle, synchronous
from waiting import pilot_until

from tui.corpus.identity import content_hash
from tui.locations import default_store
from tui.notes.store import Store
from tui.screens.layer_picker import LayerPicker
from tui.text.decode import decode
from tui.widgets.annotation_highlights import initial
from tui.widgets.annotation_panel import AnnotationPanel

SIZE = (100, 30)


def seed_others(path, who=("ben",)):
    """Annotations by other annotators on the first sentence of the document."""
    text = decode(path.read_bytes()).text
    digest = content_hash(path)
    start = len(text) - len(text.lstrip())
    end = text.index(".", start) + 1
    with Store.open(default_store()) as store:
        store.register_document(digest, path, path.name)
        for name in who:
            store.add_annotation(digest, text, start, end, ["evidence"], "", annotator=name)
    return digest, start, end


def ids(digest):
    with Store.open(default_store()) as store:
        return [(a.annotator, a.tags) for a in store.annotations(digest)]


@synchronous
async def test_others_hidden_by_default_then_shown_distinctly_and_not_changeable():
    digest, start, end = seed_others(ENGLISH, ("ben", "cleo"))
    app = reader_app(ENGLISH, annotator="ana")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot_until(pilot, lambda: screen.session.doc_hash, "the document identified")
        assert screen.session.annotations == []
        assert len(screen.session.everyone) == 2
        assert not any(line.startswith("B ") for line in screen_lines(app))

        await pilot.press("L")
        picker = await pilot_until(pilot, lambda: isinstance(app.screen, LayerPicker) and app.screen, "the layer picker")
        assert [s for s in picker.annotators] == ["ana", "ben", "cleo"]
        await pilot.press("a")
        await pilot_until(pilot, lambda: len(screen.session.annotations) == 2, "everyone's annotations shown")
        await settle(pilot)
        assert {h.glyph for h in screen.view.highlights} == {"B", "C"}
        assert all(h.style.underline and h.style.bgcolor is None for h in screen.view.highlights)
        lines = screen_lines(app)
        assert any(line[:2] in ("B ", "C ") for line in lines), lines[:6]

        # Another's annotation under the cursor: delete, retag and note are refused.
        screen.view.set_cursor(start)
        await pilot.press("D")
        await pilot.press("1")
        await settle(pilot)
        assert sorted(ids(digest)) == [("ben", ("evidence",)), ("cleo", ("evidence",))]

        # The panel names the annotator and filters by annotator.
        await pilot.press("a")
        panel = screen.query_one("#panel", AnnotationPanel)
        await pilot_until(pilot, lambda: len(panel.shown) == 2, "the panel listing both")
        from textual.widgets import Select

        panel.query_one("#annotator-filter", Select).value = "cleo"
        await pilot_until(pilot, lambda: [a.annotator for a in panel.shown] == ["cleo"], "the panel filtered to cleo")
        await pilot.press("escape")

        # Selecting the same span and tagging makes my own annotation beside theirs.
        screen.view.select(start, end)
        await pilot.press("2")
        await settle(pilot)
        assert ("ana", ("question",)) in ids(digest)

        # Back to mine only: theirs are hidden again.
        await pilot.press("L")
        await pilot_until(pilot, lambda: isinstance(app.screen, LayerPicker), "the layer picker")
        await pilot.press("m")
        await pilot_until(pilot, lambda: [a.annotator for a in screen.session.annotations] == ["ana"], "mine only")


@synchronous
async def test_chosen_annotators_layer():
    seed_others(ENGLISH, ("ben", "cleo"))
    app = reader_app(ENGLISH, annotator="ana")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot_until(pilot, lambda: screen.session.doc_hash, "the document identified")
        await pilot.press("L")
        await pilot_until(pilot, lambda: isinstance(app.screen, LayerPicker), "the layer picker")
        await pilot.press("down", "space", "enter")  # tick ben beside me
        await pilot_until(pilot, lambda: screen.session.layer == frozenset({"ana", "ben"}), "ana and ben chosen")
        assert [a.annotator for a in screen.session.annotations] == ["ben"]


def test_initial_is_one_safe_cell():
    assert initial("ben") == "B"
    assert initial("ਗੁਰ") == "ਗ"
    assert initial("\x1b[31mx") == "•"
    assert initial("汉字") == "•"
    assert initial("") == "•"


@synchronous
async def test_live_updates_from_another_process_on_the_same_sqlite_file():
    """A second connection writes; the open reader and panel show it within 1 s (bounded
    here more loosely for a loaded machine) without moving the cursor or the selection."""
    digest, start, end = seed_others(ENGLISH, ())
    app = reader_app(ENGLISH, annotator="ana")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot_until(pilot, lambda: screen.session.doc_hash, "the document identified")
        await pilot.press("L", "a")
        await pilot.press("a")  # the panel
        panel = screen.query_one("#panel", AnnotationPanel)
        screen.view.focus()
        screen.view.set_cursor(end + 3)
        screen.view.select(end + 3, end + 9)
        top, cursor, selection = screen.view.top_offset, screen.view.cursor, screen.view.selection
        text = decode(ENGLISH.read_bytes()).text
        with Store.open(default_store()) as other:
            other.add_annotation(digest, text, start, end, ["evidence"], "", annotator="ben")
        await pilot_until(pilot, lambda: [a.annotator for a in screen.session.annotations] == ["ben"], "ben's tag shown")
        await pilot_until(pilot, lambda: [a.annotator for a in panel.shown] == ["ben"], "ben's tag in the panel")
        assert {h.glyph for h in screen.view.highlights} == {"B"}
        # The tag set: renamed and recoloured elsewhere.
        with Store.open(default_store()) as other:
            other.rename_tag("evidence", "proof")
            other.recolor_tag("proof", "#123456")
        await pilot_until(
            pilot, lambda: any(t.name == "proof" and t.color == "#123456" for t in screen.session.tags), "the renamed tag"
        )
        await pilot_until(pilot, lambda: screen.session.annotations[0].tags == ("proof",), "the annotation retagged")
        with Store.open(default_store()) as other:
            other.create_tag("brand-new", None, "7")
        await pilot_until(pilot, lambda: any(t.name == "brand-new" for t in screen.session.tags), "the new tag")
        assert (screen.view.top_offset, screen.view.cursor, screen.view.selection) == (top, cursor, selection)
