"""Opening the reader headless, and reading back what it shows."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import pty
import select
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tui.app import MarginApp
from tui.config import Config
from tui.locations import seeds_dir

SEEDS = sorted(seeds_dir().glob("*.txt"))
PUNJABI, ARABIC, CHINESE, ENGLISH, ENGLISH_LONG = SEEDS


def synchronous(test):
    """Run an async test with asyncio.run (the suite uses no async plugin)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def reader_app(path: Path, config: Config | None = None, **options) -> MarginApp:
    return MarginApp(Path(path), config or Config(), open_file=True, **options)


def screen_lines(app: MarginApp) -> list[str]:
    """The text of every terminal row, as the compositor would send it."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


async def settle(pilot) -> None:
    """Let pending messages, workers and the refreshes they cause finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@contextlib.contextmanager
def margin_process_on_pty(*arguments: str) -> Iterator[tuple[int, int]]:
    """The real program on a pseudo-terminal (100x30); yields its process id and its
    terminal's file descriptor, and kills it afterwards, whatever happened."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["COLUMNS"], os.environ["LINES"] = "100", "30"
        os.execv(sys.executable, [sys.executable, "-m", "tui.cli", *arguments])
    try:
        yield pid, fd
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        with contextlib.suppress(OSError):
            os.close(fd)


@contextlib.contextmanager
def margin_on_pty(*arguments: str) -> Iterator[int]:
    """The real program on a pseudo-terminal; yields its terminal's file descriptor."""
    with margin_process_on_pty(*arguments) as (_pid, fd):
        yield fd


def read_until(fd: int, done: Callable[[bytes], bool], timeout: float, output: bytes = b"") -> bytes:
    """Everything the program writes until ``done(output)``, end of output or ``timeout``."""
    deadline = time.time() + timeout
    while time.time() < deadline and not done(output):
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    return output
