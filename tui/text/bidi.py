"""The Unicode Bidirectional Algorithm (UAX #9, Unicode 15.0): paragraph levels, lines, order.

``analyse_paragraph`` runs once per paragraph (P2-P3, X1-X10, W1-W7, N0-N2, I1-I2),
``line_levels`` applies L1 to one line of it and ``visual_runs`` applies L2 (both in
:mod:`tui.text.bidi_lines`, and importable from here). Mirroring (L4) is left to the
caller through ``mirrored``.

Bidi classes are kept as a string of one letter per character (see
``bidi_properties.CLASS_LETTERS``); the explicit rules look for the letters of formatting
characters in it, and the weak and neutral rules (:mod:`tui.text.bidi_sequence`) rewrite
it, so the per-character work happens in C. Characters removed by X9
keep a level, that of the character before them (UAX #9 section 5.2), so every array stays
parallel to the text. A paragraph separator inside the text closes every embedding and
isolate (X8) and takes the paragraph level; the paragraph direction still comes from the
first strong character of the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from tui.text.bidi_lines import ParagraphBidi as ParagraphBidi
from tui.text.bidi_lines import line_levels as line_levels
from tui.text.bidi_lines import separator_levels as separator_levels
from tui.text.bidi_lines import trailing_whitespace as trailing_whitespace
from tui.text.bidi_lines import visual_runs as visual_runs
from tui.text.bidi_properties import (
    CLASS_LETTERS,
    bn_characters,
    classify,
    mirroring_glyphs,
    rtl_characters,
    rtl_pages,
)
from tui.text.bidi_sequence import MAX_BRACKET_OPENERS as MAX_BRACKET_OPENERS
from tui.text.bidi_sequence import resolve_sequence

MAX_DEPTH = 125
"""The deepest explicit embedding level (BD2)."""

_EXPLICIT_OR_SEPARATOR = re.compile("[1-9B]")
_REMOVED_RUN = re.compile("[1-5b][1-5b]*")
_ISOLATE_OR_SEPARATOR = re.compile("[6-9B]")
_STRONG_OR_INITIATOR = re.compile("[LRA678]")
_STRONG = re.compile("[LRA]")
_SAME_LEVEL_RUN = re.compile(rb"(.)\1*", re.DOTALL)
_OVERRIDE_TO = {
    direction: str.maketrans(
        {letter: direction for letter in CLASS_LETTERS.values() if letter != "b"}
    )
    for direction in "LR"
}
_ISOLATE_INITIATORS = "678"
_ISOLATE_CONTROLS = "6789"
_OVERRIDE_OF = {"3": "L", "4": "R"}


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds anything (R, AL, AN, explicit formatting) that needs UAX #9."""
    if text.isascii():
        return False
    first = ord(text[0])
    if 0x0590 <= first <= 0x08FF and rtl_pages().page(first >> 8)[first & 0xFF]:
        # Most right-to-left paragraphs begin with a Hebrew or Arabic letter: one look
        # spares the pass over the whole text.
        return True
    found = rtl_pages().any_in(text)
    if found is None:
        return rtl_characters().found_in(text)
    return found


def mirrored(ch: str) -> str | None:
    """The Bidi_Mirroring_Glyph of ``ch``, for rule L4 at odd levels."""
    return mirroring_glyphs().get(ch)


def analyse_paragraph(text: str, base_level: int | None = None, *, rtl: bool = False) -> ParagraphBidi:
    """Resolve the levels of one paragraph; ``base_level`` None means P2-P3 decide it.

    ``rtl`` True says the caller has found :func:`has_rtl` true already."""
    if base_level not in (None, 0, 1):
        raise ValueError(f"base_level must be None, 0 or 1, not {base_level!r}")
    if base_level != 1 and not rtl and not has_rtl(text):
        removed = frozenset(bn_characters().positions(text))
        return ParagraphBidi(0, bytes(len(text)), removed, True)
    classes = classify(text)
    if _only_implicit(classes):
        # The usual paragraph: a single isolating run sequence at the paragraph level.
        if base_level is None:
            strong = _STRONG.search(classes)
            base_level = 0 if strong is None or strong.group() == "L" else 1
        sos = "R" if base_level & 1 else "L"
        levels = resolve_sequence(classes, text, base_level, sos, sos)
        return ParagraphBidi(base_level, levels, frozenset(), _all_zero(base_level, levels), classes)
    isolates = _matching_pdis(classes)
    if base_level is None:
        base_level = _first_strong_level(classes, 0, len(text), isolates) or 0
    explicit: bytes | bytearray
    if _has_explicit(classes):
        after_x, explicit = _explicit_levels(classes, base_level, isolates)
    else:
        after_x, explicit = classes, bytes((base_level,)) * len(text)
    removed_runs = [run.span() for run in _REMOVED_RUN.finditer(classes)]
    if removed_runs:
        levels = _resolve_with_removals(
            text, classes, after_x, explicit, base_level, isolates, removed_runs
        )
        removed = frozenset(i for start, end in removed_runs for i in range(start, end))
    else:
        # Isolate controls and no other explicit formatting: X9 removes nothing.
        levels = _resolve(after_x, classes, text, explicit, base_level, isolates)
        removed = frozenset()
    return ParagraphBidi(base_level, levels, removed, _all_zero(base_level, levels), classes)


def _all_zero(base_level: int, levels: bytes) -> bool:
    """Whether every level is 0; no level is below the paragraph's, so a right-to-left
    paragraph (not empty) is answered without counting."""
    if base_level and levels:
        return False
    return levels.count(0) == len(levels)


def _has_explicit(classes: str) -> bool:
    """Whether ``classes`` holds an explicit formatting character (X1-X8 have work to do).

    Nine substring tests cost less than one scan by a regular expression."""
    return (
        "1" in classes or "2" in classes or "3" in classes or "4" in classes or "5" in classes
        or "6" in classes or "7" in classes or "8" in classes or "9" in classes
    )


def _only_implicit(classes: str) -> bool:
    """Whether only the implicit rules apply: no explicit formatting, nothing X9 removes."""
    return "b" not in classes and not _has_explicit(classes)


def _matching_pdis(classes: str) -> dict[int, int]:
    """BD9: isolate initiator index -> index of its matching PDI."""
    matches: dict[int, int] = {}
    if not any(control in classes for control in _ISOLATE_CONTROLS):
        return matches
    open_initiators: list[int] = []
    for control in _ISOLATE_OR_SEPARATOR.finditer(classes):
        letter = control.group()
        if letter == "9":
            if open_initiators:
                matches[open_initiators.pop()] = control.start()
        elif letter == "B":
            open_initiators.clear()
        else:
            open_initiators.append(control.start())
    return matches


def _first_strong_level(
    classes: str, start: int, end: int, isolates: dict[int, int]
) -> int | None:
    """P2-P3 over ``classes[start:end]``: 0 or 1 from the first strong letter, skipping isolates."""
    position = start
    while True:
        found = _STRONG_OR_INITIATOR.search(classes, position, end)
        if found is None:
            return None
        letter = found.group()
        if letter == "L":
            return 0
        if letter in "RA":
            return 1
        closing = isolates.get(found.start())
        if closing is None:
            return None
        position = closing + 1


def _paragraph_end(classes: str, index: int) -> int:
    separator = classes.find("B", index)
    return separator if separator >= 0 else len(classes)


def _next_level(level: int, rtl: bool) -> int:
    return (level + 1) | 1 if rtl else (level + 2) & ~1


def _explicit_levels(
    classes: str, base_level: int, isolates: dict[int, int]
) -> tuple[str, bytearray]:
    """X1-X8: explicit levels, and classes with overrides applied (X6, X5a-X5c, X6a)."""
    levels = bytearray(len(classes))
    parts: list[str] = []
    stack: list[tuple[int, str, bool]] = [(base_level, "", False)]
    overflow_isolates = overflow_embeddings = valid_isolates = 0
    position = 0
    for control in _EXPLICIT_OR_SEPARATOR.finditer(classes):
        index = control.start()
        level, override, _ = stack[-1]
        if index > position:
            levels[position:index] = bytes((level,)) * (index - position)
            segment = classes[position:index]
            parts.append(segment.translate(_OVERRIDE_TO[override]) if override else segment)
        letter = control.group()
        levels[index] = level
        if letter in "1234":
            new_level = _next_level(level, rtl=letter in "24")
            if new_level <= MAX_DEPTH and not overflow_isolates and not overflow_embeddings:
                stack.append((new_level, _OVERRIDE_OF.get(letter, ""), False))
            elif not overflow_isolates:
                overflow_embeddings += 1
            parts.append(letter)
        elif letter == "5":
            if overflow_embeddings and not overflow_isolates:
                overflow_embeddings -= 1
            elif not overflow_isolates and not stack[-1][2] and len(stack) >= 2:
                stack.pop()
            parts.append(letter)
        elif letter in _ISOLATE_INITIATORS:
            parts.append(override or letter)
            if letter == "8":
                closing = isolates.get(index)
                end = closing if closing is not None else _paragraph_end(classes, index)
                rtl = _first_strong_level(classes, index + 1, end, isolates) == 1
            else:
                rtl = letter == "7"
            new_level = _next_level(level, rtl)
            if new_level <= MAX_DEPTH and not overflow_isolates and not overflow_embeddings:
                valid_isolates += 1
                stack.append((new_level, "", True))
            else:
                overflow_isolates += 1
        elif letter == "9":
            if overflow_isolates:
                overflow_isolates -= 1
            elif valid_isolates:
                overflow_embeddings = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_isolates -= 1
            level, override, _ = stack[-1]
            levels[index] = level
            parts.append(override or letter)
        else:
            stack = [(base_level, "", False)]
            overflow_isolates = overflow_embeddings = valid_isolates = 0
            levels[index] = base_level
            parts.append(letter)
        position = index + 1
    level, override, _ = stack[-1]
    if position < len(classes):
        levels[position:] = bytes((level,)) * (len(classes) - position)
        segment = classes[position:]
        parts.append(segment.translate(_OVERRIDE_TO[override]) if override else segment)
    return "".join(parts), levels


def _resolve_with_removals(
    text: str,
    classes: str,
    after_x: str,
    explicit: bytes | bytearray,
    base_level: int,
    isolates: dict[int, int],
    removed_runs: list[tuple[int, int]],
) -> bytes:
    """X9: resolve the text without the removed characters, then give those their levels."""
    kept: list[tuple[int, int]] = []
    position = 0
    for start, end in removed_runs:
        if start > position:
            kept.append((position, start))
        position = end
    if position < len(text):
        kept.append((position, len(text)))
    run_starts = [start for start, _ in removed_runs]
    removed_before: list[int] = []
    total = 0
    for start, end in removed_runs:
        total += end - start
        removed_before.append(total)

    def compressed(index: int) -> int:
        runs_before = bisect_right(run_starts, index)
        return index - (removed_before[runs_before - 1] if runs_before else 0)

    kept_isolates = {compressed(i): compressed(j) for i, j in isolates.items()}
    resolved = _resolve(
        "".join(after_x[a:b] for a, b in kept),
        "".join(classes[a:b] for a, b in kept),
        "".join(text[a:b] for a, b in kept),
        b"".join(explicit[a:b] for a, b in kept),
        base_level,
        kept_isolates,
    )
    levels = bytearray(len(text))
    offset = 0
    for start, end in kept:
        levels[start:end] = resolved[offset : offset + end - start]
        offset += end - start
    for start, end in removed_runs:
        previous = levels[start - 1] if start else base_level
        levels[start:end] = bytes((previous,)) * (end - start)
    return bytes(levels)


def _resolve(
    after_x: str,
    classes: str,
    text: str,
    explicit: bytes | bytearray,
    base_level: int,
    isolates: dict[int, int],
) -> bytes:
    """X10 to I2 over text without X9-removed characters."""
    if not after_x:
        return b""
    runs = [run.span() for run in _SAME_LEVEL_RUN.finditer(explicit)]
    run_at = {start: number for number, (start, _) in enumerate(runs)}
    pieces: list[bytes] = [b""] * len(runs)
    continued: set[int] = set()
    for number, run in enumerate(runs):
        if number in continued:
            continue
        sequence = [number]
        while True:
            following = run_at.get(isolates.get(runs[sequence[-1]][1] - 1, -1))
            if following is None:
                break
            continued.add(following)
            sequence.append(following)
        first = run[0]
        last = runs[sequence[-1]][1] - 1
        level = explicit[first]
        before = explicit[first - 1] if first else base_level
        if classes[last] in _ISOLATE_INITIATORS or last + 1 == len(after_x):
            after = base_level
        else:
            after = explicit[last + 1]
        spans = [runs[n] for n in sequence]
        resolved = resolve_sequence(
            "".join(after_x[a:b] for a, b in spans),
            "".join(text[a:b] for a, b in spans),
            level,
            "R" if max(level, before) & 1 else "L",
            "R" if max(level, after) & 1 else "L",
        )
        offset = 0
        for n, (a, b) in zip(sequence, spans):
            pieces[n] = resolved[offset : offset + b - a]
            offset += b - a
    return b"".join(pieces)
