"""The bundled seeds reach the program wherever it runs from."""

from tui.locations import seeds_dir


def test_seeds_are_found():
    names = sorted(p.name for p in seeds_dir().glob("*.txt"))
    assert len(names) == 5, names
