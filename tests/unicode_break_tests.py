"""Reading Unicode's break test files (``÷`` a boundary, ``×`` none, code points in hex)."""

from __future__ import annotations

from pathlib import Path


def break_cases(path: Path) -> list[tuple[int, str, list[int]]]:
    """``(line number, text, boundary offsets)`` for every test line, offsets including 0."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        body = line.split("#", 1)[0].split()
        if not body:
            continue
        text, boundaries = "", []
        for token in body:
            if token == "÷":
                boundaries.append(len(text))
            elif token != "×":
                text += chr(int(token, 16))
        cases.append((number, text, boundaries))
    return cases
