"""Where a selection starts and ends: after a word motion on a word boundary (never one
letter into the next word, as "بعد تعرضها لحملة ت" was), and never with the paragraph's
indentation or trailing spaces in the quote."""

from __future__ import annotations

import pytest
from reader_harness import ARABIC, CHINESE, PUNJABI, reader_app, settle, synchronous
from waiting import pilot_until

from tui.text.decode import decode
from tui.text.sentences import word_spans

SIZE = (100, 30)
SEEDS = [ARABIC, CHINESE, PUNJABI]
IDS = ["arabic", "chinese", "punjabi"]


def first_line(path) -> str:
    return next(line for line in decode(path.read_bytes()).text.split("\n") if line.strip())


async def tagged(pilot):
    screen = pilot.app.screen
    await pilot_until(pilot, lambda: screen.session.ready(), "the document to be identified")
    await pilot.press("1")
    await settle(pilot)
    return await pilot_until(pilot, lambda: screen.session.annotations, "an annotation")


@pytest.mark.parametrize("seed", SEEDS, ids=IDS)
@synchronous
async def test_v_and_word_motions_end_on_a_word_boundary(seed):
    line = first_line(seed)
    text = decode(seed.read_bytes()).text
    base = text.index(line)
    words = word_spans(line)
    app = reader_app(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        view.set_cursor(base + words[0][0])
        await pilot.press("v", "w", "w")
        assert view.cursor == base + words[2][0]
        (annotation,) = await tagged(pilot)
    expected = line[words[0][0] : words[2][0]].rstrip()
    assert annotation.quote == expected
    assert annotation.quote == text[annotation.start : annotation.end]


@pytest.mark.parametrize("seed", SEEDS, ids=IDS)
@synchronous
async def test_v_and_a_word_back_ends_before_the_anchor_word(seed):
    line = first_line(seed)
    text = decode(seed.read_bytes()).text
    base = text.index(line)
    words = word_spans(line)
    app = reader_app(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        view.set_cursor(base + words[2][0])
        await pilot.press("v", "b")
        assert view.cursor == base + words[1][0]
        (annotation,) = await tagged(pilot)
    assert annotation.quote == line[words[1][0] : words[2][0]].rstrip()


@synchronous
async def test_v_with_character_motions_stays_inclusive():
    app = reader_app(CHINESE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        view.set_cursor(0)
        await pilot.press("v", "w", "l")
        start, end = view.selection
        # A character motion after the word motion: the cluster under the cursor is taken.
        assert end > view.cursor


INDENTED = {
    "chinese": "  不過，這是第一句。這是第二句。  ",
    "arabic": "    بعد تعرضها لحملة تشويه. ثم عادت.   ",
    "punjabi": "\t  ਪੰਜਾਬੀ ਭਾਸ਼ਾ ਬਾਰੇ। ਦੂਜਾ ਵਾਕ।  ",
}


@pytest.mark.parametrize("key", ["s", "p"])
@pytest.mark.parametrize("script", list(INDENTED))
@synchronous
async def test_sentence_and_paragraph_quotes_drop_indentation_and_trailing_spaces(tmp_path, script, key):
    line = INDENTED[script]
    path = tmp_path / f"{script}.txt"
    path.write_text(f"Title\n{line}\nafter\n", encoding="utf-8")
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_curly_bracket", key)
        (annotation,) = await tagged(pilot)
    assert annotation.quote == annotation.quote.strip()
    assert annotation.quote
    if key == "p":
        assert annotation.quote == line.strip()
    else:
        assert line.strip().startswith(annotation.quote)
