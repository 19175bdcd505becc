"""Waiting on state, with a bound: the only place in the tests that sleeps.

A test never sleeps for a fixed time and hopes; it polls a condition until it holds or a
deadline passes, then fails with what it was waiting for. ``test_no_fixed_sleeps`` checks
that no other test code sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

POLL_SECONDS = 0.02
"""How often a condition is checked: short beside any deadline, long beside the check."""


def until(condition: Callable[[], T], what: str, timeout: float = 20.0) -> T:
    """Poll ``condition`` until it returns something true; return that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what}")
        time.sleep(POLL_SECONDS)


async def pilot_until(pilot, condition: Callable[[], T], what: str, timeout: float = 10.0) -> T:
    """Like ``until`` inside a Pilot session: the app keeps running while we wait."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what}")
        await pilot.pause(POLL_SECONDS)
