"""The bundled seeds reach the program wherever it runs from, and an installed (not
editable) Margin holds every package of the source tree: the suite runs from an editable
install, where a package missing from ``pyproject.toml`` still imports."""

import tomllib
from pathlib import Path

from tui.locations import seeds_dir

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_in_the_tree_is_installed():
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    in_tree = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "tui").rglob("__init__.py")
    }
    assert in_tree - declared == set(), "packages missing from pyproject.toml"


def test_seeds_are_found():
    names = sorted(p.name for p in seeds_dir().glob("*.txt"))
    assert len(names) == 5, names
