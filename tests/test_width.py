"""Cell widths: one additive model per terminal family."""

from __future__ import annotations

import ctypes
import ctypes.util
import locale
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import wcwidth
from hypothesis import given
from hypothesis import strategies as st

from tui.locations import seeds_dir
from tui.text import width as width_module
from tui.text.graphemes import grapheme_boundaries
from tui.text.width import (
    DEFAULT_WIDTH_MODEL,
    SPACING_MARKS,
    WIDTH_MODELS,
    WidthModel,
    get_width_model,
    text_width,
)

XTERM = WIDTH_MODELS["xterm"]
KITTY = WIDTH_MODELS["kitty"]

CHAR_WIDTHS = [
    # (character, xterm, kitty)
    ("a", 1, 1),
    (" ", 1, 1),
    ("中", 2, 2),
    ("\U0002000b", 2, 2),
    ("、", 2, 2),
    ("Ａ", 2, 2),
    ("ਕ", 1, 1),
    ("\u0a3e", 1, 0),
    ("\u0a3f", 1, 0),
    ("\u0a40", 1, 0),
    ("\u0a03", 1, 0),
    ("\u0903", 1, 0),
    ("\u0a4d", 0, 0),
    ("\u0a02", 0, 0),
    ("\u0a70", 0, 0),
    ("\u0301", 0, 0),
    ("\u064e", 0, 0),
    ("\u20dd", 0, 0),
    ("\u200b", 0, 0),
    ("\u200d", 0, 0),
    ("\ufeff", 0, 0),
    ("\u1160", 0, 0),
    ("ب", 1, 1),
    ("\ufe8e", 1, 1),
    ("\ufefb", 1, 1),
    ("\ufdf2", 1, 1),
    ("\x1b", 0, 0),
    ("\x00", 0, 0),
    ("\t", 0, 0),
    ("\x7f", 0, 0),
    ("\x9b", 0, 0),
    ("\u2426", 1, 1),
    ("\u241b", 1, 1),
    ("\ufffd", 1, 1),
]


@pytest.mark.parametrize(("ch", "xterm", "kitty"), CHAR_WIDTHS)
def test_char_width(ch: str, xterm: int, kitty: int) -> None:
    assert (XTERM.char_width(ch), KITTY.char_width(ch)) == (xterm, kitty)


@pytest.mark.parametrize(
    ("text", "xterm", "kitty"),
    [
        ("ਕਿ", 2, 1),
        ("ਪ੍ਰ", 2, 2),
        ("ਪ੍ਰਧਾਨ", 5, 4),
        ("中文abc", 7, 7),
        ("e\u0301", 1, 1),
        ("مرحبا", 5, 5),
        ("", 0, 0),
        ("plain ascii", 11, 11),
    ],
)
def test_text_width(text: str, xterm: int, kitty: int) -> None:
    assert (text_width(text, XTERM), text_width(text, KITTY)) == (xterm, kitty)


@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=40))
def test_widths_are_additive(text: str) -> None:
    for model in WIDTH_MODELS.values():
        bounds = grapheme_boundaries(text)
        clusters = [text[start:end] for start, end in zip(bounds, bounds[1:])]
        assert text_width(text, model) == sum(map(model.cluster_width, clusters))
        assert text_width(text, model) == sum(map(model.char_width, text))
        assert all(model.char_width(ch) in (0, 1, 2) for ch in text)


def test_models_are_named_and_looked_up() -> None:
    assert DEFAULT_WIDTH_MODEL in WIDTH_MODELS
    assert {"xterm", "kitty"} <= set(WIDTH_MODELS)
    for name, model in WIDTH_MODELS.items():
        assert model.name == name
        assert get_width_model(name) is model


def test_unknown_model_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="kitty.*xterm"):
        get_width_model("vt100")


@pytest.fixture
def libc_wcwidth() -> Iterator[Callable[[str], int]]:
    """The C library's wcwidth under a UTF-8 locale, which tmux measures with."""
    saved = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    wcwidth = ctypes.CDLL(ctypes.util.find_library("c")).wcwidth
    wcwidth.argtypes = [ctypes.c_wchar]
    wcwidth.restype = ctypes.c_int
    try:
        yield wcwidth
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)


def test_xterm_model_matches_the_c_library_on_every_seed_character(
    libc_wcwidth: Callable[[str], int],
) -> None:
    characters: set[str] = set()
    for path in seeds_dir().glob("*.txt"):
        characters |= set(path.read_text(encoding="utf-8"))
    disagreements = {
        f"U+{ord(ch):04X}": (XTERM.char_width(ch), libc_wcwidth(ch))
        for ch in characters
        if XTERM.char_width(ch) != max(libc_wcwidth(ch), 0)
    }
    assert len(characters) > 900
    assert disagreements == {}


@given(st.characters(exclude_categories=["Cs"]))
def test_models_are_wcwidth_and_differ_only_on_spacing_marks(ch: str) -> None:
    assert KITTY.char_width(ch) == max(wcwidth.wcwidth(ch), 0)
    assert (XTERM.char_width(ch) != KITTY.char_width(ch)) == (ch in SPACING_MARKS)


def test_the_generated_width_tables_are_current() -> None:
    """Regenerate with ``python -m tui.text.width > tui/text/width_tables.py``."""
    shipped = Path(width_module.__file__).with_name("width_tables.py").read_text(encoding="utf-8")
    assert shipped == width_module.table_module_source()


def test_the_tables_answer_as_wcwidth_on_every_code_point() -> None:
    fresh = WidthModel(name="fresh", spacing_mark_width=0)
    wrong = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if fresh.char_width(chr(code)) != max(wcwidth.wcwidth(chr(code)), 0)
    ]
    assert wrong == []


def test_starting_margin_does_not_import_wcwidth() -> None:
    probe = "import sys, tui.text.layout; print('wcwidth' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
