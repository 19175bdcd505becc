"""Margin in a real browser: headless chromium, textual-serve's xterm.js, Margin's own rows.

xterm.js draws cells as written (no bidi, no shaping), so what its buffer holds must be the
engine's visual rows code point by code point, each ending in the cell the layout planned:
Arabic shaped and right to left, CJK wide, Gurmukhi vowel signs in their own cells.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_harness import chromium, expected_rows, ink, last_inked_cell, terminal_rows
from serve_harness import require_serve, seed_path, serving
from waiting import until

from tui.corpus.identity import content_hash
from tui.notes.store import Store
from tui.terminal import BROWSER_VARIABLE, decide
from tui.text.decode import decode
from tui.text.sentences import sentence_boundaries

SEEDS = [seed_path(i) for i in range(5)]
PUNJABI, ARABIC, CHINESE, ENGLISH, ENGLISH_LONG = SEEDS
GUTTER = 2
FIRST_SCREEN_SECONDS = 40
BROWSER_MODEL = decide("auto", "auto", None, {BROWSER_VARIABLE: "xterm.js"}).width_model


@pytest.fixture(scope="module")
def browser():
    require_serve()
    with chromium() as driver:
        yield driver


def body(screen: dict) -> list[tuple[str, list[str]]]:
    """The document rows of the screen, without the title, the status line and the footer."""
    return [(text[GUTTER:].rstrip(), cells[GUTTER:]) for text, cells in screen["lines"][1 : screen["rows"] - 2]]


def expected_body(path: Path, screen: dict) -> list[tuple[str, int]]:
    rows = expected_rows(path, screen["cols"] - GUTTER - 1, screen["rows"] - 3)
    return [(text.rstrip(), end) for text, end in rows]


def first_screen(driver, path: Path) -> tuple[dict, list[tuple[str, int]]]:
    """The terminal once its rows are the engine's rows of ``path`` (or, at the deadline,
    whatever it shows: the caller's assertions then say what differs)."""
    latest: dict = {}

    def drawn() -> bool:
        screen = terminal_rows(driver)
        if not screen:
            return False
        latest["screen"] = screen
        return [text for text, _ in body(screen)] == [text for text, _ in expected_body(path, screen)]

    try:
        until(drawn, f"the browser to show the first rows of {path.name}", timeout=FIRST_SCREEN_SECONDS)
    except AssertionError:
        if not latest:
            raise
    screen = latest["screen"]
    return screen, expected_body(path, screen)


def first_sentence(path: Path) -> tuple[int, int]:
    text = decode(path.read_bytes()).text
    line = text.split("\n", 1)[0]
    bounds = sentence_boundaries(line)
    start, end = bounds[0], bounds[1]
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def test_tag_a_sentence_in_the_browser_and_find_it_in_the_store(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    store = Path(os.environ["MARGIN_STORE"])
    with serving(str(ARABIC)) as served:
        browser.get(served.url)
        assert browser.current_url == served.base  # the token left the address bar
        screen, expected = first_screen(browser, ARABIC)
        assert [text for text, _ in body(screen)] == [text for text, _ in expected]
        browser.execute_script("window.marginTerminal.focus()")
        ActionChains(browser).send_keys("s").perform()
        ActionChains(browser).send_keys("1").perform()
        start, end = first_sentence(ARABIC)
        text = decode(ARABIC.read_bytes()).text

        def annotations():
            if not store.exists():
                return []
            with Store.open(store) as notes:
                return notes.annotations(content_hash(ARABIC))

        found = until(annotations, "the tag to reach the store")
        assert [(a.start, a.end, a.quote) for a in found] == [(start, end, text[start:end])]
        # The export dialog's Export becomes a download in the browser.
        downloads = tmp_path / "downloads"
        downloads.mkdir()
        browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        ActionChains(browser).send_keys("x").perform()
        until(lambda: "Export notes" in "\n".join(line for line, _ in terminal_rows(browser)["lines"]), "the export dialog")
        ActionChains(browser).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
        # Chromium names the final file while it still writes to a .crdownload beside it.
        def finished():
            if any(downloads.glob("*.crdownload")):
                return []
            return [p for p in downloads.glob("*.md") if p.stat().st_size > 0]

        markdown = until(finished, "the export to arrive as a download")[0]
        assert text[start:end] in markdown.read_text(encoding="utf-8")
        browser.switch_to.window(browser.window_handles[0])
        resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert resources and all(name.startswith(served.base) for name in resources), resources
        assert browser.execute_script("return document.fonts.check('16px \"Roboto Mono\"')")
        browser.get("about:blank")
        until(lambda: served.all_children() == [], "the visitor's Margin to end when its page is gone")


def test_without_the_token_the_page_and_the_websocket_are_refused(browser):
    with serving(str(ENGLISH)) as served:
        browser.delete_all_cookies()
        browser.get(served.base)
        assert "403 Forbidden" in browser.find_element("tag name", "body").text
        outcome = browser.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            const socket = new WebSocket(arguments[0]);
            socket.onopen = () => done("open");
            socket.onerror = () => done("refused");
            """,
            served.base.replace("http", "ws") + "ws",
        )
        assert outcome == "refused"
        assert served.visitor_processes() == []


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_each_seed_first_screen_matches_the_terminal_rows(browser, seed, tmp_path):
    with serving(str(seed)) as served:
        browser.get(served.url)
        screen, expected = first_screen(browser, seed)
        shot = tmp_path / f"{seed.stem}.png"
        png = browser.get_screenshot_as_png()
        shot.write_bytes(png)
        browser.get("about:blank")
    shown = body(screen)
    assert [text for text, _ in shown] == [text for text, _ in expected]
    # Each row ends in the cell the layout planned: no vowel sign or wide character
    # took a different number of cells in the browser than in Margin's width model.
    assert [last_inked_cell(cells) for _, cells in shown] == [end for _, end in expected]
    measured = ink(browser, png)
    assert measured is not None, "the screenshot is not a readable PNG"
    assert measured["colours"] > 2 and measured["pixels"] - measured["background"] > measured["pixels"] // 100, measured
