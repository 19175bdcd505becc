"""Margin with default options in real terminals on a virtual X screen, read back by OCR.

xterm, mlterm and kitty treat right-to-left text three different ways (see
``tui.terminal``); Margin must find out which at start. Each terminal shows the Arabic seed,
the top rows of a screenshot go through ``tesseract -l ara``, and the words it reads must
come in the document's order (reversed letters give no document words, reversed rows give
pairs backwards). The Gurmukhi seed's rows must end in the cell where the layout says they
end, which only holds when the width model matches the terminal.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from reader_harness import ARABIC, PUNJABI
from tools import missing, require_tool
from waiting import until

from tui.terminal import layout_options
from tui.text.decode import decode
from tui.text.layout import layout_paragraph
from tui.text.width import get_width_model

pytestmark = pytest.mark.slow

MARGIN = Path(sys.executable).with_name("margin")
COLUMNS, LINES = 100, 30
TEXT_WIDTH = COLUMNS - 3  # a two-cell gutter and one cell of padding
OCR_ROWS = 8
MIN_WORDS = 8
MIN_IN_ORDER = 0.6
TERMINALS = {
    "xterm": lambda command: ["xterm", "-geometry", f"{COLUMNS}x{LINES}+0+0", "-fa", "DejaVu Sans Mono", "-fs", "12", "-e", *command],
    "mlterm": lambda command: ["mlterm", "-g", f"{COLUMNS}x{LINES}+0+0", "-e", *command],
    "kitty": lambda command: [
        "kitty", "-o", "remember_window_size=no", "-o", f"initial_window_width={COLUMNS}c",
        "-o", f"initial_window_height={LINES}c", "-o", "font_size=12", *command,
    ],
}
WIDTH_MODEL_NEEDED = {"xterm": "xterm", "kitty": "kitty"}
ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")


@pytest.fixture(scope="module")
def display():
    """A virtual X screen for the module's terminals."""
    for tool, package in [("Xvfb", "xvfb"), ("xterm", "xterm"), ("mlterm", "mlterm"), ("kitty", "kitty"),
                          ("import", "imagemagick"), ("xwininfo", "x11-utils"), ("tesseract", "tesseract-ocr")]:
        require_tool(tool, f"the real-terminal test needs it (apt-get install {package})")
    languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    if "ara" not in languages:
        missing("tesseract has no Arabic model (apt-get install tesseract-ocr-ara)")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as answer:
        number = answer.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


@contextmanager
def terminal_showing(terminal: str, path: Path, display: str, tmp_path: Path):
    """``margin PATH`` in ``terminal``, started once the terminal's window is up, as a user would."""
    go = tmp_path / f"go-{terminal}"
    script = f'until [ -e "{go}" ]; do sleep 0.05; done; exec "{MARGIN}" "{path}"'
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MARGIN_", "KITTY", "MLTERM", "KONSOLE", "TMUX", "VTE"))}
    env.update(
        DISPLAY=display, LIBGL_ALWAYS_SOFTWARE="1", MARGIN_DATA_DIR=str(tmp_path / "data"),
        MARGIN_CONFIG=str(tmp_path / "none.toml"),
    )
    env.pop("TERM", None)
    process = None
    try:
        # A terminal on a fresh virtual screen now and then never maps its window; a user
        # would start it again, and so does the test, once.
        for attempt in range(WINDOW_ATTEMPTS):
            process = subprocess.Popen(TERMINALS[terminal](["sh", "-c", script]), env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                geometry = until(lambda: window_geometry(terminal, display), f"the {terminal} window", 30)
                break
            except AssertionError:
                _stop(process)
                if attempt == WINDOW_ATTEMPTS - 1:
                    raise
        go.touch()
        yield geometry
    finally:
        if process is not None:
            _stop(process)


WINDOW_ATTEMPTS = 2
"""How many times a terminal is started before its missing window fails the test."""


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def window_geometry(terminal: str, display: str) -> tuple[int, int] | None:
    """Width and height of the terminal's top-level window (placed at 0,0), once mapped."""
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True,
                          env=dict(os.environ, DISPLAY=display)).stdout
    for line in tree.splitlines():
        found = re.search(r'\("[^"]*" "([^"]*)"\)\s+(\d+)x(\d+)\+0\+0', line)
        size = (int(found.group(2)), int(found.group(3))) if found else (0, 0)
        # kitty maps a smaller window first, then resizes it to the cells asked for
        if found and found.group(1).lower() == terminal and size[0] > COLUMNS * 8 and size[1] > LINES * 12:
            return size
    return None


def screenshot(display: str, out: Path) -> bytes:
    subprocess.run(["import", "-display", display, "-window", "root", str(out)], check=True, capture_output=True)
    return out.read_bytes()


def settled_screenshot(display: str, tmp_path: Path) -> Path:
    """A screenshot once the screen has drawn and stopped changing."""
    shots: list[bytes] = []
    out = tmp_path / "screen.png"

    def stable() -> bool:
        shots.append(screenshot(display, out))
        # kitty with software GL paints a frame in parts: wait for three equal shots in a row
        return len(shots) >= 4 and shots[-1] == shots[-2] == shots[-3] and len(shots[-1]) > 20_000

    until(stable, "the terminal to show Margin and stop changing", 40)
    return out


def gray_pixels(path: Path, crop: str) -> tuple[int, int, bytes]:
    """Width, height and 8-bit gray pixels of a crop (ImageMagick geometry) of ``path``."""
    data = subprocess.run(["convert", str(path), "-crop", crop, "+repage", "-colorspace", "gray",
                           "-depth", "8", "pgm:-"], capture_output=True, check=True).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert header, "ImageMagick gave no PGM"
    width, height = int(header.group(1)), int(header.group(2))
    return width, height, data[header.end():]


def ocr_words(path: Path, geometry: tuple[int, int], tmp_path: Path) -> list[str]:
    width, height = geometry
    crop = tmp_path / "top.png"
    rows = height * (OCR_ROWS + 1) // LINES
    subprocess.run(["convert", str(path), "-crop", f"{width}x{rows}+0+0", "+repage", "-resize", "200%",
                    "-negate", str(crop)], check=True)
    text = subprocess.run(["tesseract", str(crop), "-", "-l", "ara", "--psm", "6"],
                          capture_output=True, text=True, check=True).stdout
    return ARABIC_WORD.findall(text)


def order_score(words: list[str], document: list[str]) -> tuple[float, int]:
    """The share of adjacent pairs of recognised document words that stand in the document's
    order (the second within three words after the first), and how many words were recognised."""
    positions: dict[str, list[int]] = {}
    for index, word in enumerate(document):
        positions.setdefault(word, []).append(index)
    known = [word for word in words if word in positions]
    pairs = list(zip(known, known[1:]))
    in_order = sum(
        any(0 < b - a <= 3 for a in positions[first] for b in positions[second]) for first, second in pairs
    )
    return (in_order / len(pairs) if pairs else 0.0), len(known)


@pytest.mark.parametrize("terminal", list(TERMINALS))
def test_arabic_reads_in_order_with_default_options(terminal, display, tmp_path):
    document = ARABIC_WORD.findall(decode(ARABIC.read_bytes()).text)
    readings: list[tuple[float, int, list[str]]] = []

    def reads_in_order() -> bool:
        shot = settled_screenshot(display, tmp_path)
        geometry = window_geometry(terminal, display)
        words = ocr_words(shot, geometry, tmp_path) if geometry else []
        readings.append((*order_score(words, document), words))
        return readings[-1][1] >= MIN_WORDS and readings[-1][0] >= MIN_IN_ORDER

    with terminal_showing(terminal, ARABIC, display, tmp_path), contextlib.suppress(AssertionError):
        until(reads_in_order, "the Arabic rows to read in order", 20)
    score, known, words = readings[-1]
    print(f"{terminal}: {known} document words, adjacent pairs in order {score:.2f}")
    assert known >= MIN_WORDS, f"{terminal}: OCR found only {known} document words: {words}"
    assert score >= MIN_IN_ORDER, f"{terminal}: words out of order ({score:.2f}): {words}"


def expected_row_ends(path: Path, model: str) -> list[int]:
    """The cell each screen row of the reader ends in (gutter included), from the layout."""
    options = layout_options("app", get_width_model(model))
    ends: list[int] = []
    for line in decode(path.read_bytes()).text.split("\n"):
        ends += [2 + row.cell_width for row in layout_paragraph(line, TEXT_WIDTH, options)]
    return ends[: LINES - 3]


def misplaced_rows(shot: Path, geometry: tuple[int, int], expected: list[int]) -> list[tuple[int, int, int]]:
    """(screen row, expected end cell, seen end cell) of each full row that ends short."""
    width, height = geometry
    cell_w, cell_h = width / COLUMNS, height / LINES
    w, _h, pixels = gray_pixels(shot, f"{width}x{height}+0+0")
    misplaced = []
    for screen_row, end in enumerate(expected, start=1):
        top, bottom = int(screen_row * cell_h + 2), int((screen_row + 1) * cell_h - 2)
        last_ink = max((x for y in range(top, bottom) for x in range(w) if pixels[y * w + x] > 140), default=-1)
        seen_end = int(last_ink // cell_w) + 1
        # Glyphs of a proportional Gurmukhi font overhang their cells (up to five seen in
        # xterm); a wrong width model ends a row short by a cell per vowel sign (~20).
        if end >= TEXT_WIDTH - 12 and seen_end < end - 2:
            misplaced.append((screen_row, end, seen_end))
    return misplaced


@pytest.mark.parametrize("terminal", list(WIDTH_MODEL_NEEDED))
def test_gurmukhi_rows_end_where_the_layout_says(terminal, display, tmp_path):
    expected = expected_row_ends(PUNJABI, WIDTH_MODEL_NEEDED[terminal])
    full = sum(end >= TEXT_WIDTH - 12 for end in expected)
    assert full >= 10
    found: list[list[tuple[int, int, int]]] = []

    def rows_in_place() -> bool:
        shot = settled_screenshot(display, tmp_path)
        geometry = window_geometry(terminal, display)
        found.append(misplaced_rows(shot, geometry, expected) if geometry else [(0, 0, 0)])
        return not found[-1]

    with terminal_showing(terminal, PUNJABI, display, tmp_path), contextlib.suppress(AssertionError):
        until(rows_in_place, "the rows to end in their cells", 15)
    print(f"{terminal}: {full - len(found[-1])} of {full} full rows end in their cell")
    assert not found[-1], f"{terminal}: rows (screen row, expected end cell, seen) {found[-1]}"
