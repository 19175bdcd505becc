"""No test sleeps for a fixed time and hopes: tests wait on state (see ``waiting.py``).

Every call that sleeps or pauses for a given time (``time.sleep``, ``asyncio.sleep``,
``pilot.pause(seconds)``), in the tests, the benchmarks and the scripts they start, must sit
in one of the polling helpers below, each of which loops on a condition with a deadline.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent

POLLING_HELPERS = {
    ("waiting.py", "until"),
    ("waiting.py", "pilot_until"),
    # Benchmarks follow a terminal pane or a Pilot session frame by frame to time it.
    ("bench/reader_bench.py", "wait_for"),
    ("bench/reader_bench.py", "wait_quiet"),
    ("bench/reader_bench.py", "time_key"),
    ("bench/notes_bench.py", "wait_until"),
    ("bench/startup_cpu_bench.py", "wait_for_file"),
    # Not a wait: a fake terminal that answers late on purpose, to test the probe's deadline.
    ("test_terminal_probe.py", "serve"),
}
SLEEPS = {"sleep", "pause"}
SLEEP_IN_A_SCRIPT = re.compile(r"\b(sleep|pause)\(\s*[^)\s]")


def timed_waits(source: str) -> list[tuple[int, str]]:
    """(line, enclosing function) of every call that waits for a time given as an argument."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Call) and (node.args or node.keywords):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in SLEEPS:
                found.append((node.lineno, function))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SLEEP_IN_A_SCRIPT.search(node.value):
            found.append((node.lineno, function))  # the body of a child process started by a test
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(source), "<module>")
    return found


def test_no_test_sleeps_outside_a_polling_helper():
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        if path == Path(__file__).resolve():
            continue  # its examples are strings that show what it catches
        name = path.relative_to(TESTS).as_posix()
        for line, function in timed_waits(path.read_text(encoding="utf-8")):
            if (name, function) not in POLLING_HELPERS:
                offenders.append(f"{name}:{line} in {function}()")
    assert not offenders, "fixed sleeps; wait on a condition with waiting.until / pilot_until:\n" + "\n".join(offenders)


def test_the_check_finds_a_sleep_in_a_test_a_pause_and_a_child_script():
    source = '''
import time
def test_a():
    time.sleep(0.5)
async def test_b(pilot):
    await pilot.pause(2.5)
    await pilot.pause()
SCRIPT = """
import time
time.sleep(60)
"""
'''
    assert timed_waits(source) == [(4, "test_a"), (6, "test_b"), (8, "<module>")]
