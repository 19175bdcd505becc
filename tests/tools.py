"""One policy for the external programs some tests need (tmux, GNU FriBidi, PostgreSQL).

On a developer's machine a missing program skips the test and says what to install; with
``CI=true`` it fails the test, so that CI cannot pass by skipping what it was meant to run.
"""

from __future__ import annotations

import os
import shutil

import pytest


def strict() -> bool:
    """Whether a missing tool is a failure (CI) rather than a skip."""
    return os.environ.get("CI") == "true"


def missing(reason: str) -> None:
    """Skip with ``reason``, or fail with it under ``CI=true``; never returns."""
    if strict():
        pytest.fail(f"{reason} (CI=true: a missing tool is a failure)", pytrace=False)
    pytest.skip(reason)


def require_tool(name: str, why: str, *, path: str | None = None) -> str:
    """The full path of program ``name`` (searched on ``path``, else ``PATH``).

    ``why`` says what the test uses it for and what to install, for the skip or failure.
    """
    found = shutil.which(name, path=path)
    if found is None:
        missing(f"{name} is not installed: {why}")
    return found
