"""Ask the terminal, before Textual takes it, how it treats bidi text and Indic vowel signs.

One write holds every question, then a Primary Device Attributes request (``CSI c``) that
every terminal answers: its reply marks the end of the answers, so a terminal that ignores
a question costs no waiting. The whole exchange is bounded (50 ms by default); whatever
has not arrived by then counts as unanswered.

- **DECRQM 8** (``CSI 8 $ p``): does the terminal know ECMA-48 mode 8 (BDSM), the Terminal
  WG's bidi switch? A reply of 1-4 means yes; 0 means it does not know the mode.
- **Widths**: on the alternate screen (so nothing shows), a Gurmukhi consonant with a
  spacing vowel sign (``ਕਿ``) and then a wide character are written from the home position,
  each followed by a cursor position report (``CSI 6n``). The columns tell how many cells
  the terminal gave each.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import sys
import time
from dataclasses import dataclass

PROBE_TIMEOUT = 0.05
"""Seconds the probe may take in all, answers included."""

SPACING_MARK_SAMPLE = "\u0a15\u0a3f"
"""ਕਿ: two cells where spacing marks advance the cursor (xterm), one where they do not (kitty)."""
WIDE_SAMPLE = "\u4e2d"
"""中: two cells everywhere; a terminal that says otherwise cannot be trusted on the sample."""

_ASK_BIDI_MODE = "\x1b[8$p"
_ASK_POSITION = "\x1b[6n"
_FENCE = "\x1b[c"
_MODE_REPLY = re.compile(rb"\x1b\[8;(\d+)\$y")
_POSITION_REPLY = re.compile(rb"\x1b\[(\d+);(\d+)R")
_FENCE_REPLY = re.compile(rb"\x1b\[\?[\d;]*c")


@dataclass(frozen=True, slots=True)
class ProbeAnswers:
    """What the terminal said; None where it said nothing in time."""

    bidi_mode: int | None = None
    """The DECRQM status of mode 8: 0 unknown, 1 set, 2 reset, 3 permanently set, 4 permanently reset."""
    spacing_mark_cells: int | None = None
    """Cells the terminal advanced for :data:`SPACING_MARK_SAMPLE`."""
    wide_cells: int | None = None
    """Cells the terminal advanced for :data:`WIDE_SAMPLE`."""
    complete: bool = False
    """Whether the closing device-attributes reply arrived (every answer is in)."""
    seconds: float = 0.0
    """How long the exchange took."""


def questions(*, bidi: bool = True, widths: bool = True) -> str:
    """Everything the probe writes, in one string."""
    parts = []
    if bidi:
        parts.append(_ASK_BIDI_MODE)
    if widths:
        parts += [
            "\x1b[?1049h\x1b[?25l\x1b[H",
            SPACING_MARK_SAMPLE,
            _ASK_POSITION,
            "\x1b[H",
            WIDE_SAMPLE,
            _ASK_POSITION,
            "\x1b[2J\x1b[?1049l\x1b[?25h",
        ]
    parts.append(_FENCE)
    return "".join(parts)


def parse_answers(data: bytes, *, widths: bool = True, seconds: float = 0.0) -> ProbeAnswers:
    """Read the replies out of whatever the terminal sent (keys typed meanwhile are ignored)."""
    mode = _MODE_REPLY.search(data)
    fence = _FENCE_REPLY.search(data)
    end = fence.start() if fence else len(data)
    positions = [int(column) for _row, column in _POSITION_REPLY.findall(data[:end])] if widths else []
    return ProbeAnswers(
        bidi_mode=int(mode.group(1)) if mode else None,
        spacing_mark_cells=positions[0] - 1 if len(positions) >= 1 else None,
        wide_cells=positions[1] - 1 if len(positions) >= 2 else None,
        complete=fence is not None,
        seconds=seconds,
    )


def probe_terminal(
    *,
    bidi: bool = True,
    widths: bool = True,
    timeout: float = PROBE_TIMEOUT,
    input_fd: int | None = None,
    output_fd: int | None = None,
) -> ProbeAnswers | None:
    """Ask the terminal Textual is about to use (its input is stdin, its output stderr).

    None when either is not a terminal: there is no one to ask, and nothing is written."""
    import termios

    started = time.perf_counter()
    input_fd = sys.__stdin__.fileno() if input_fd is None and sys.__stdin__ else input_fd
    output_fd = sys.__stderr__.fileno() if output_fd is None and sys.__stderr__ else output_fd
    if input_fd is None or output_fd is None or not (os.isatty(input_fd) and os.isatty(output_fd)):
        return None
    try:
        saved = termios.tcgetattr(input_fd)
    except termios.error:
        return None
    raw = list(saved)
    raw[3] &= ~(termios.ECHO | termios.ICANON)  # lflag: no echo, bytes as they come
    raw[6] = list(saved[6])
    raw[6][termios.VMIN], raw[6][termios.VTIME] = 0, 0
    try:
        termios.tcsetattr(input_fd, termios.TCSANOW, raw)
        data = _exchange(input_fd, output_fd, questions(bidi=bidi, widths=widths).encode(), started + timeout)
    finally:
        with contextlib.suppress(termios.error):
            termios.tcsetattr(input_fd, termios.TCSANOW, saved)
    return parse_answers(data, widths=widths, seconds=time.perf_counter() - started)


def _exchange(fd: int, output_fd: int, query: bytes, deadline: float) -> bytes:
    """Write ``query`` and read until the fence reply arrives or the deadline passes."""
    try:
        os.write(output_fd, query)
    except OSError:
        return b""
    data = b""
    while not _FENCE_REPLY.search(data):
        left = deadline - time.perf_counter()
        if left <= 0:
            break
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data
