"""The installed ``margin`` command in a real terminal (tmux), read back as code points.

A capture pasted into a bidi-aware viewer looks right even when it is wrong, so this test
compares code points: what tmux holds in each cell must be the engine's visual row —
shaped presentation forms, right-to-left order, mirrored brackets, right alignment.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from reader_harness import ARABIC, PUNJABI
from tools import require_tool
from waiting import until

from tui.text.decode import decode
from tui.text.layout import layout_paragraph

MARGIN = Path(sys.executable).with_name("margin")
WIDTH, HEIGHT = 100, 30
TEXT_WIDTH = WIDTH - 3  # a two-cell gutter and one cell of padding on the right

@pytest.fixture(autouse=True)
def _tmux() -> None:
    require_tool("tmux", "the end-to-end tests run margin inside it (apt-get install tmux)")


def body_of(lines: list[str]) -> list[str]:
    """The document rows of a capture, without the gutter, title, status and footer."""
    return [line[2:].rstrip() for line in lines[1 : HEIGHT - 2]]


def capture(path: Path, tmp_path: Path) -> list[str]:
    """The pane once it shows ``path``'s first rows as the engine lays them out, or, after
    20 s, whatever it shows then (the test's assertions then say what differs)."""
    expected = [row.rstrip() for row in expected_rows(path, HEIGHT - 3)]
    socket = f"margin-test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, MARGIN_DATA_DIR=str(tmp_path / "data"), MARGIN_STORE=str(tmp_path / "data" / "s.db"))
    env.pop("TMUX", None)
    command = f"{MARGIN} {path}"
    subprocess.run(["tmux", "-L", socket, "new", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), command], env=env, check=True)
    def pane() -> list[str]:
        out = subprocess.run(["tmux", "-L", socket, "capture-pane", "-p"], capture_output=True, text=True).stdout
        return out.split("\n")

    try:
        with contextlib.suppress(AssertionError):
            until(lambda: body_of(pane()) == expected and any("utf-8" in line for line in pane()), "the rows", 20)
        return pane()
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def expected_rows(path: Path, count: int) -> list[str]:
    text = decode(path.read_bytes()).text
    rows: list[str] = []
    start = 0
    for line in text.split("\n"):
        for row in layout_paragraph(line, TEXT_WIDTH, start=start):
            rows.append(" " * (row.xs[0] if row.xs else 0) + row.text())
        start += len(line) + 1
        if len(rows) >= count:
            break
    return rows[:count]


def test_margin_is_installed_as_a_command():
    assert MARGIN.exists(), MARGIN


def test_arabic_rows_reach_the_terminal_shaped_and_right_to_left(tmp_path):
    lines = capture(ARABIC, tmp_path)
    body = body_of(lines)
    expected = [row.rstrip() for row in expected_rows(ARABIC, len(body))]
    assert body == expected
    first = body[0].rstrip()
    # Right-aligned, and its rightmost cell is the paragraph's first letter, alef, isolated.
    assert len(lines[1].rstrip()) == 2 + TEXT_WIDTH
    assert first[-1] == "\ufe8d"
    assert "\u0627" not in "".join(body)  # no unshaped alef reaches the terminal
    mirrored = next(line for line in body if "53" in line)
    assert mirrored.index("(") < mirrored.index("53") < mirrored.index(")")


def test_gurmukhi_rows_stay_whole(tmp_path):
    lines = capture(PUNJABI, tmp_path)
    body = body_of(lines)
    expected = [row.rstrip() for row in expected_rows(PUNJABI, len(body))]
    assert body == expected
