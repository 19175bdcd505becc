"""No import cycles among ``tui`` modules, counting every import the code can run.

Deferred imports (inside a function) and typing-only imports (under ``if TYPE_CHECKING:``)
hide a cycle from the interpreter but not from the reader of the code: both count here, so
layers stay layers. The graph is read from the source with :mod:`ast`, nothing is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tui

PACKAGE_ROOT = Path(tui.__file__).resolve().parent


def module_names() -> dict[str, Path]:
    """Every module of the ``tui`` package by dotted name (packages by their ``__init__``)."""
    names: dict[str, Path] = {}
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _resolve(name: str, package: str, level: int) -> str:
    """The absolute name of a relative import written in a module of ``package``."""
    if not level:
        return name
    base = package.split(".")
    if level > 1:
        base = base[: -(level - 1)]
    return ".".join([*base, name] if name else base)


def imports_of(module: str, source: str, modules: set[str], *, is_package: bool = False) -> set[str]:
    """The ``tui`` modules that ``module`` imports anywhere in ``source``."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source, module)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node.module or "", package, node.level)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in modules:
                    found.add(submodule)
                elif base in modules:
                    found.add(base)
    found.discard(module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = module_names()
    known = set(modules)
    return {
        name: imports_of(name, path.read_text(encoding="utf-8"), known, is_package=path.name == "__init__.py")
        for name, path in modules.items()
    }


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_cycle_within(graph, set(group)) for group in groups]


def _cycle_within(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A concrete cycle inside one strongly connected group, first module repeated at the end."""
    start = min(group)
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return [*reversed(path), start]
                if target not in parents:
                    parents[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle in {sorted(group)}")


SAMPLE = """
from __future__ import annotations
from typing import TYPE_CHECKING
import tui.a
from . import b
from .c import thing
from tui import d

if TYPE_CHECKING:
    from tui.e import Type

def later():
    from tui.f import g
    import tui.h

class K:
    def method(self):
        from ..x import y
"""


def test_every_kind_of_import_is_an_edge():
    """Deferred, typing-only, relative and ``from package import module`` imports all count."""
    modules = {f"tui.{name}" for name in "abcdefghijk"} | {"tui.sub", "tui.sub.m", "tui.x"}
    assert imports_of("tui.sub.m", SAMPLE, modules) == {
        "tui.a", "tui.sub", "tui.d", "tui.e", "tui.f", "tui.h", "tui.x"
    }
    assert imports_of("tui.m", SAMPLE.replace("..x", ".x"), modules) >= {"tui.b", "tui.c", "tui.x"}


def test_the_graph_covers_the_package():
    graph = import_graph()
    assert {"tui.app", "tui.screens.reader", "tui.text.layout"} <= set(graph)
    assert "tui.text.layout" in graph["tui.screens.reader"]


def test_find_cycles_reports_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_among_tui_modules():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)
