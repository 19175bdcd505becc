"""Opening the reader headless, and reading back what it shows."""

from __future__ import annotations

import asyncio
import functools
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


async def settle(pilot, seconds: float = 0.1) -> None:
    """Let workers and refreshes finish."""
    await pilot.pause(seconds)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
