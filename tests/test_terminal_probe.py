"""Asking the terminal at start: a pseudo-terminal answers as each kind of terminal would."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass

import pytest
from reader_harness import ARABIC, read_until
from tools import require_tool
from waiting import until

from tui.terminal import decide, needs_probe, resolved
from tui.terminal_probe import PROBE_TIMEOUT, ProbeAnswers, parse_answers, probe_terminal, questions
from tui.text.width import get_width_model


@dataclass(frozen=True)
class FakeTerminal:
    """How a terminal answers the probe: its DECRQM 8 status (None: silent) and cell widths."""

    bidi_mode: int | None
    spacing_mark_cells: int | None
    """Cells for ਕਿ; None: the terminal does not report its cursor."""
    delay: float = 0.0
    answers_fence: bool = True


XTERM = FakeTerminal(bidi_mode=0, spacing_mark_cells=2)
KITTY = FakeTerminal(bidi_mode=0, spacing_mark_cells=1)
VTE = FakeTerminal(bidi_mode=2, spacing_mark_cells=2)
SILENT = FakeTerminal(bidi_mode=None, spacing_mark_cells=None, answers_fence=False)
SLOW = FakeTerminal(bidi_mode=2, spacing_mark_cells=1, delay=0.3)

_TOKEN = re.compile(rb"\x1b\[([?\d;]*)([$]?[A-Za-z])|\x1b[78]|[\x00-\x1f]|[^\x00-\x1f\x1b]+")


def answer(terminal: FakeTerminal, written: bytes) -> bytes:
    """What ``terminal`` replies to ``written``, tracking the cursor column as it would."""
    widths = get_width_model("xterm" if terminal.spacing_mark_cells == 2 else "kitty")
    column = 1
    replies = b""
    for token in _TOKEN.finditer(written):
        params, final = token.group(1), token.group(2)
        if final is None:
            if not token.group().startswith(b"\x1b") and token.group()[0] >= 0x20:
                column += widths.cluster_width(token.group().decode())
            continue
        if final == b"H":
            column = 1
        elif final == b"$p" and params == b"8" and terminal.bidi_mode is not None:
            replies += b"\x1b[8;%d$y" % terminal.bidi_mode
        elif final == b"n" and params == b"6" and terminal.spacing_mark_cells is not None:
            replies += b"\x1b[1;%dR" % column
        elif final == b"c" and params == b"" and terminal.answers_fence:
            replies += b"\x1b[?62;22c"
    return replies


@contextlib.contextmanager
def fake_terminal(terminal: FakeTerminal):
    """A pty whose far end answers like ``terminal``; yields the near end's descriptor."""
    master, slave = pty.openpty()
    stop = threading.Event()

    def serve() -> None:
        pending = b""
        while not stop.is_set():
            data = read_until(master, lambda out: b"\x1b[c" in out or stop.is_set(), 0.2)
            pending += data
            if b"\x1b[c" in pending:
                time.sleep(terminal.delay)
                with contextlib.suppress(OSError):
                    os.write(master, answer(terminal, pending))
                pending = b""

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield slave
    finally:
        stop.set()
        thread.join(2)
        os.close(slave)
        os.close(master)


def run_probe(terminal: FakeTerminal) -> ProbeAnswers | None:
    with fake_terminal(terminal) as fd:
        return probe_terminal(input_fd=fd, output_fd=fd)


@pytest.mark.parametrize(
    ("terminal", "environ", "bidi", "width"),
    [
        (XTERM, {"TERM": "xterm"}, "app", "xterm"),
        (KITTY, {"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "1"}, "kitty", "kitty"),
        (KITTY, {"TERM": "mlterm", "MLTERM": "3.9.0"}, "terminal", "kitty"),
        (XTERM, {"TERM": "xterm-256color", "KONSOLE_VERSION": "230800"}, "terminal", "xterm"),
        (VTE, {"TERM": "xterm-256color", "VTE_VERSION": "7200"}, "app", "xterm"),
        (VTE, {"TERM": "mlterm"}, "app", "xterm"),
    ],
)
def test_each_terminal_gets_its_bidi_mode_and_width_model(terminal, environ, bidi, width):
    answers = run_probe(terminal)
    assert answers is not None and answers.complete
    report = decide("auto", "auto", answers, environ)
    assert (report.bidi, report.width_model) == (bidi, width)
    assert report.probe_seconds is not None and report.probe_seconds < PROBE_TIMEOUT
    if terminal.bidi_mode:
        assert "DECRQM" in report.bidi_reason


def test_a_silent_terminal_keeps_the_defaults_and_costs_only_the_bound():
    answers = run_probe(SILENT)
    assert answers == ProbeAnswers(complete=False, seconds=answers.seconds)
    assert PROBE_TIMEOUT <= answers.seconds < PROBE_TIMEOUT + 0.05
    report = decide("auto", "auto", answers, {"TERM": "xterm"})
    assert (report.bidi, report.width_model) == ("app", "xterm")
    assert "did not report" in report.width_reason


def test_answers_later_than_the_bound_are_not_waited_for():
    answers = run_probe(SLOW)
    assert answers is not None and not answers.complete
    assert answers.seconds < PROBE_TIMEOUT + 0.05
    report = decide("auto", "auto", answers, {"TERM": "xterm-kitty"})
    assert (report.bidi, report.width_model) == ("kitty", "kitty")
    assert "no cursor report in time" in report.width_reason
    assert decide("auto", "auto", answers, {"TERM": "xterm"}).width_model == "xterm"


def test_settings_win_over_the_terminal():
    answers = ProbeAnswers(bidi_mode=2, spacing_mark_cells=1, wide_cells=2, complete=True)
    report = decide("terminal", "xterm", answers, {"TERM": "xterm-kitty"})
    assert (report.bidi, report.width_model) == ("terminal", "xterm")
    assert needs_probe("terminal", "xterm", {}) == (False, False)
    assert needs_probe("auto", "kitty", {}) == (True, False)


def test_a_browser_is_not_asked_and_gets_what_xterm_js_needs():
    environ = {"MARGIN_TERMINAL": "xterm.js", "TERM": "xterm-256color"}
    assert needs_probe("auto", "auto", environ) == (False, False)
    report = decide("auto", "auto", None, environ)
    assert (report.bidi, report.width_model) == ("app", "xterm")
    assert "browser" in report.bidi_reason and "browser" in report.width_reason


def test_a_terminal_with_odd_wide_characters_is_not_trusted_on_widths():
    answers = parse_answers(b"\x1b[8;0$y\x1b[1;2R\x1b[1;2R\x1b[?1;2c")
    assert (answers.spacing_mark_cells, answers.wide_cells, answers.complete) == (1, 1, True)
    assert decide("auto", "auto", answers, {}).width_model == "xterm"


def test_keys_typed_during_the_probe_do_not_confuse_it():
    answers = parse_answers(b"j\x1b[8;2$yk\x1b[3;3R\x1b[3;3Rq\x1b[?62;22c\x1b[1;5R")
    assert (answers.bidi_mode, answers.spacing_mark_cells, answers.wide_cells) == (2, 2, 2)


def test_no_terminal_means_no_probe_and_the_defaults():
    read, write = os.pipe()
    try:
        assert probe_terminal(input_fd=read, output_fd=write) is None
    finally:
        os.close(read)
        os.close(write)
    assert (resolved("auto", "auto").bidi, resolved("auto", "auto").width_model) == ("app", "xterm")


def test_the_probe_leaves_the_screen_as_it_found_it():
    written = questions()
    assert written.index("\x1b[?1049h") < written.index("\u0a15") < written.index("\x1b[?1049l")
    assert written.endswith("\x1b[c")
    assert questions(bidi=False, widths=False) == "\x1b[c"


# -- the real program on a pseudo-terminal ---------------------------------------------


@contextlib.contextmanager
def margin_answering(terminal: FakeTerminal, environ: dict[str, str], tmp_path, *arguments: str):
    """``margin`` on a pty whose far end answers like ``terminal``; yields (fd, pid)."""
    pid, fd = pty.fork()
    if pid == 0:
        for name in ("MLTERM", "KONSOLE_VERSION", "KITTY_WINDOW_ID", "VTE_VERSION", "TMUX", "MARGIN_BIDI", "MARGIN_WIDTH_MODEL"):
            os.environ.pop(name, None)
        os.environ.update(environ)
        os.environ["COLUMNS"], os.environ["LINES"] = "100", "30"
        os.environ["MARGIN_DATA_DIR"] = str(tmp_path / "data")
        os.environ["MARGIN_CONFIG"] = str(tmp_path / "none.toml")
        os.execv(sys.executable, [sys.executable, "-m", "tui.cli", *arguments])
    try:
        yield fd
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _serve_probe(fd: int, terminal: FakeTerminal) -> bytes:
    """Answer the probe the program sends first; return everything it wrote."""
    output = read_until(fd, lambda out: b"\x1b[c" in out, 20)
    assert b"\x1b[c" in output, output[-200:]
    os.write(fd, answer(terminal, output))
    return output


def _help_text(fd: int, output: bytes) -> str:
    output = read_until(fd, lambda out: b"utf-8" in out, 30, output)
    os.write(fd, b"?")
    output = read_until(fd, lambda out: b"Widths:" in out and b"Bidi:" in out, 20, output)
    return output.decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("terminal", "environ", "expected"),
    [
        (KITTY, {"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "3"}, ("Bidi: kitty", "Widths: kitty")),
        (VTE, {"TERM": "xterm-256color"}, ("Bidi: app", "DECRQM answered 2", "Widths: xterm")),
    ],
)
def test_the_program_asks_before_drawing_and_help_shows_the_decision(terminal, environ, expected, tmp_path):
    with margin_answering(terminal, environ, tmp_path, str(ARABIC)) as fd:
        output = _serve_probe(fd, terminal)
        assert b"\x1b[?1049h\x1b[?25l\x1b[H" in output
        shown = _help_text(fd, output)
    screen = re.sub(r"\x1b\[[\d;?]*[A-Za-z]", "", shown)
    for part in expected:
        assert part in screen


def test_flags_skip_the_probe(tmp_path):
    with margin_answering(XTERM, {"TERM": "xterm"}, tmp_path, "--bidi", "app", "--width-model", "kitty", str(ARABIC)) as fd:
        output = read_until(fd, lambda out: b"utf-8" in out, 30)
    assert b"\x1b[8$p" not in output and "\u0a15".encode() not in output
    assert b"utf-8" in output


def test_in_tmux_the_probe_finds_the_xterm_model(tmp_path):
    """tmux answers the cursor report itself from its own grid, where ਕਿ takes two cells."""
    require_tool("tmux", "the probe is checked against a real terminal grid (apt-get install tmux)")
    socket = f"margin-probe-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "KITTY_WINDOW_ID", "MLTERM", "KONSOLE_VERSION")}
    env.update(MARGIN_DATA_DIR=str(tmp_path / "data"), MARGIN_CONFIG=str(tmp_path / "none.toml"))
    command = f"{sys.executable} -m tui.cli {ARABIC}"
    subprocess.run(["tmux", "-L", socket, "new", "-d", "-x", "100", "-y", "30", command], env=env, check=True)
    def pane() -> str:
        return subprocess.run(["tmux", "-L", socket, "capture-pane", "-p"], capture_output=True, text=True).stdout

    try:
        until(lambda: "utf-8" in pane(), "the reader's status line", 30)
        subprocess.run(["tmux", "-L", socket, "send-keys", "?"], check=True)
        with contextlib.suppress(AssertionError):
            until(lambda: "Widths:" in pane(), "the help screen", 30)
        screen = pane()
        assert "Widths: xterm (the terminal gives a spacing vowel sign its own cell)" in screen, screen
        assert "Bidi: app" in screen
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
