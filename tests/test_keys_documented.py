"""The README's key tables and the bindings agree, both ways.

Keys are declared once, in each class's ``BINDINGS`` (``?`` lists them from there); the
README repeats them for people who have not started Margin yet. This test fails when a
binding is added, removed, renamed or rebound without the README following, or the README
documents a key that is not bound."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.keys import _character_to_key

from tui.app import MarginApp
from tui.screens.agreement import AgreementScreen
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.library_table import LibraryTable

README = Path(__file__).resolve().parent.parent / "README.md"
TABLES = {
    "Everywhere": (MarginApp,),
    "Library": (LibraryScreen, LibraryTable),
    "Agreement screen": (AgreementScreen,),
    "Reader": (ReaderScreen,),
}
NAMED_KEYS = {
    "↓": "down", "↑": "up", "→": "right", "←": "left", "PgDn": "pagedown", "PgUp": "pageup",
    "Esc": "escape", "Home": "home", "End": "end", "Enter": "enter",
}  # fmt: skip
ID = re.compile(r"^[a-z]+\.[a-z0-9-]+$")
RANGE = re.compile(r"`([^`]*?)(\d+)`–`\1(\d+)`")


def _expand(cell: str) -> list[str]:
    """The backticked tokens of a cell, with ```x1`–`x9``` ranges spelled out."""
    cell = RANGE.sub(lambda m: " ".join(f"`{m[1]}{n}`" for n in range(int(m[2]), int(m[3]) + 1)), cell)
    return re.findall(r"`([^`]+)`", cell)


def _key_name(shown: str) -> str:
    if shown in NAMED_KEYS:
        return NAMED_KEYS[shown]
    return _character_to_key(shown) if len(shown) == 1 else shown


def readme_tables() -> dict[str, list[tuple[set[str], set[str]]]]:
    """Per section: each row's binding ids and the Textual names of its keys."""
    tables: dict[str, list[tuple[set[str], set[str]]]] = {}
    section = None
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            section = line[4:].strip() if line[4:].strip() in TABLES else None
            continue
        if section is None or not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[:2] == ["Keys", "Id"]:
            continue
        ids = set(_expand(cells[1]))
        assert all(ID.match(i) for i in ids), f"not a binding id in {line!r}"
        keys = {_key_name(token) for token in _expand(cells[0])}
        tables.setdefault(section, []).append((ids, keys))
    return tables


def bound(classes) -> dict[str, set[str]]:
    """Binding id to its keys, for every binding with an id in these classes."""
    keys: dict[str, set[str]] = {}
    for cls in classes:
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.id:
                keys[binding.id] = {key.strip() for key in binding.key.split(",")}
    return keys


def test_the_readme_parser_reads_keys_and_ranges():
    assert _expand("`1`–`3` and `a`") == ["1", "2", "3", "a"]
    assert _expand("`reader.tag-1`–`reader.tag-2`") == ["reader.tag-1", "reader.tag-2"]
    assert {_key_name(k) for k in ["}", "↓", "PgDn", "ctrl+r", "G"]} == {
        "right_curly_bracket", "down", "pagedown", "ctrl+r", "G"
    }  # fmt: skip


@pytest.mark.parametrize("section", list(TABLES))
def test_readme_keys_match_the_bindings(section):
    rows = readme_tables()[section]
    keys = bound(TABLES[section])
    documented = [i for ids, _keys in rows for i in ids]
    assert len(documented) == len(set(documented)), f"an id is documented twice: {sorted(documented)}"
    assert set(documented) == set(keys), (
        f"bound but not in the README: {sorted(set(keys) - set(documented))}; "
        f"in the README but not bound: {sorted(set(documented) - set(keys))}"
    )
    for ids, shown in rows:
        expected = set().union(*(keys[i] for i in ids))
        assert shown == expected, f"{sorted(ids)}: README shows {sorted(shown)}, bound to {sorted(expected)}"
