"""The engine, the corpus and the notes stay free of the UI libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    ["tui.text.layout", "tui.text.pager", "tui.text.motion", "tui.text.search", "tui.corpus.source", "tui.notes.store"],
)
def test_importing_loads_neither_textual_nor_rich(module):
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout
