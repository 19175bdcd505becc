"""Importing the engine does no work its first screen may not need.

ICU (several milliseconds to load) is imported by the first paragraph that must be broken
into lines or clusters or segmented into words and is not plain enough for the engine's own
shortcuts (letters, digits, marks, spaces), arabic-reshaper only for a word the
generated joining table cannot join, and no large character class is compiled at import.
Each check runs in a fresh interpreter so that no other test's imports count.
"""

from __future__ import annotations

import subprocess
import sys

ENGINE = "tui.text.layout, tui.text.pager, tui.text.motion, tui.text.sentences, tui.text.tokens, tui.text.search"


def _run(script: str) -> str:
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()


def test_importing_the_engine_loads_neither_icu_nor_the_reshaper():
    loaded = _run(f"import sys, {ENGINE}; print(sorted(m for m in ('icu4py', 'arabic_reshaper') if m in sys.modules))")
    assert loaded == "[]"


def test_a_title_that_fits_needs_no_icu():
    script = (
        "import sys; from tui.text.layout import single_row;"
        "print(single_row('Alibaba 中文 AI — «التزام ضخم»', 80)[0] != '', 'icu4py' in sys.modules)"
    )
    assert _run(script) == "True False"


def test_a_paragraph_that_wraps_loads_icu_when_it_is_laid_out():
    script = "import sys; from tui.text.layout import layout_paragraph; layout_paragraph('{word} ' * 40, 20); print('icu4py' in sys.modules)"
    assert _run(script) == "True"


def test_a_plain_paragraph_wraps_without_icu():
    script = "import sys; from tui.text.layout import layout_paragraph; layout_paragraph('word, ' * 40, 20); print('icu4py' in sys.modules)"
    assert _run(script) == "False"
