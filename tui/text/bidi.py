"""The Unicode Bidirectional Algorithm (UAX #9, Unicode 15.0): paragraph levels, lines, order.

``analyse_paragraph`` runs once per paragraph (P2-P3, X1-X10, W1-W7, N0-N2, I1-I2),
``line_levels`` applies L1 to one line of it and ``visual_order`` applies L2 (both in
:mod:`tui.text.bidi_lines`, and importable from here). Mirroring (L4) is left to the
caller through ``mirrored``.

Bidi classes are kept as a string of one letter per character (see
``bidi_properties.CLASS_LETTERS``) and the weak and neutral rules are regular-expression
rewrites of that string, so the per-character work happens in C. Characters removed by X9
keep a level, that of the character before them (UAX #9 section 5.2), so every array stays
parallel to the text. A paragraph separator inside the text closes every embedding and
isolate (X8) and takes the paragraph level; the paragraph direction still comes from the
first strong character of the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from tui.text.bidi_lines import ParagraphBidi as ParagraphBidi
from tui.text.bidi_lines import line_levels as line_levels
from tui.text.bidi_lines import separator_levels as separator_levels
from tui.text.bidi_lines import trailing_whitespace as trailing_whitespace
from tui.text.bidi_lines import visual_order as visual_order
from tui.text.bidi_properties import (
    CLASS_LETTERS,
    bn_characters,
    bracket_identity,
    bracket_pattern,
    classify,
    mirroring_glyphs,
    paired_brackets,
    rtl_characters,
    rtl_pages,
)

MAX_DEPTH = 125
"""The deepest explicit embedding level (BD2)."""

MAX_BRACKET_OPENERS = 63
"""Room on the BD16 bracket stack; an opener beyond it ends pairing for the sequence."""

_EXPLICIT = re.compile("[1-9]")
_EXPLICIT_OR_SEPARATOR = re.compile("[1-9B]")
_REMOVED_RUN = re.compile("[1-5b]+")
_ISOLATE_OR_SEPARATOR = re.compile("[6-9B]")
_STRONG_OR_INITIATOR = re.compile("[LRA678]")
_NSM_RUN = re.compile("m+")
_AFTER_AL = re.compile("A[^LR]*")
_AFTER_L = re.compile("L[^R]*")
# The patterns start with what they look for or the letter before it (never a look-behind),
# so ``re`` skips ahead to candidates instead of trying every position.
_SEPARATOR_BETWEEN_EN = re.compile("E[+,](?=E)")
_COMMA_BETWEEN_AN = re.compile("N,(?=N)")
_ET_BY_EN = re.compile(r"\$+(?=E)|E\$+")
_NEUTRALS_BETWEEN_R = re.compile("[REN][BS_o6789]+(?=[REN])")
_NEUTRALS_BETWEEN_L = re.compile("L[BS_o6789]+(?=L)")
_SAME_LEVEL_RUN = re.compile(rb"(.)\1*", re.DOTALL)

_W6 = str.maketrans("+$,", "ooo")
_NEUTRALS_TO = {
    "L": str.maketrans("BS_o6789", "L" * 8),
    "R": str.maketrans("BS_o6789", "R" * 8),
}
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
    isolates = _matching_pdis(classes)
    if base_level is None:
        base_level = _first_strong_level(classes, 0, len(text), isolates) or 0
    explicit: bytes | bytearray | None = None
    if _EXPLICIT.search(classes) is None:
        after_x = classes
    else:
        after_x, explicit = _explicit_levels(classes, base_level, isolates)
    removed_runs = []
    if "b" in classes or explicit is not None:
        removed_runs = [run.span() for run in _REMOVED_RUN.finditer(classes)]
    if removed_runs:
        if explicit is None:
            explicit = bytes((base_level,)) * len(text)
        levels = _resolve_with_removals(
            text, classes, after_x, explicit, base_level, isolates, removed_runs
        )
        removed = frozenset(i for start, end in removed_runs for i in range(start, end))
    elif explicit is None:
        # One level, no isolate: the paragraph is a single isolating run sequence.
        sos = "R" if base_level & 1 else "L"
        levels = _resolve_sequence(classes, text, base_level, sos, sos).encode("latin-1")
        removed = frozenset()
    else:
        levels = _resolve(after_x, classes, text, explicit, base_level, isolates)
        removed = frozenset()
    return ParagraphBidi(base_level, levels, removed, levels.count(0) == len(levels), classes)


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
    pieces: list[str] = [""] * len(runs)
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
        resolved = _resolve_sequence(
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
    return "".join(pieces).encode("latin-1")


def _resolve_sequence(classes: str, text: str, level: int, sos: str, eos: str) -> str:
    """W1-I2 over one isolating run sequence; returns its levels as ``chr`` values."""
    direction = "R" if level & 1 else "L"
    original = sos + classes + eos
    work = original
    if "m" in classes:
        before = work
        work = _NSM_RUN.sub(lambda marks: _class_for_marks(before[marks.start() - 1], len(marks.group())), work)
    if "A" in classes:
        if "E" in work:
            work = _AFTER_AL.sub(lambda span: span.group().replace("E", "N"), work)
        work = work.replace("A", "R")
    if "E" in work and ("+" in work or "," in work):
        work = _SEPARATOR_BETWEEN_EN.sub("EE", work)
    if "N" in work and "," in work:
        work = _COMMA_BETWEEN_AN.sub("NN", work)
    if "$" in work and "E" in work:
        work = _ET_BY_EN.sub(lambda run: "E" * len(run.group()), work)
    work = work.translate(_W6)
    if "E" in work:
        work = _AFTER_L.sub(lambda span: span.group().replace("E", "L"), work)
    if "o" in work and bracket_pattern().search(text):
        work = _resolve_brackets(work, original, text, direction)
    if direction == "L":
        work = _NEUTRALS_BETWEEN_R.sub(_same_length_r_after, work)
    else:
        work = _NEUTRALS_BETWEEN_L.sub(_same_length_l, work)
    return work[1:-1].translate(_NEUTRALS_TO[direction]).translate(_level_table(level))


def _class_for_marks(previous: str, count: int) -> str:
    """W1: nonspacing marks take the class of what precedes them (ON after an isolate control)."""
    return ("o" if previous in _ISOLATE_CONTROLS else previous) * count


def _same_length_r_after(run: re.Match[str]) -> str:
    """The first letter kept (it is the strong letter before the neutrals), the rest R."""
    matched = run.group()
    return matched[0] + "R" * (len(matched) - 1)


def _same_length_l(run: re.Match[str]) -> str:
    return "L" * len(run.group())


@cache
def _level_table(level: int) -> dict[int, str]:
    """I1-I2 for one embedding level: resolved class letter -> level as a character."""
    if level & 1:
        raised = {"R": level, "L": level + 1, "E": level + 1, "N": level + 1}
    else:
        raised = {"L": level, "R": level + 1, "E": level + 2, "N": level + 2}
    return {ord(letter): chr(value) for letter, value in raised.items()}


def _bracket_pairs(work: str, text: str) -> list[tuple[int, int]]:
    """BD16 over one sequence; positions are in ``work``, one past those in ``text``."""
    openers, closers = paired_brackets()
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for bracket in bracket_pattern().finditer(text):
        position = bracket.start() + 1
        if work[position] != "o":
            continue
        char = bracket_identity(bracket.group())
        closing = openers.get(char)
        if closing is not None:
            if len(stack) == MAX_BRACKET_OPENERS:
                break
            stack.append((closing, position))
        elif char in closers:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], position))
                    del stack[depth:]
                    break
    pairs.sort()
    return pairs


def _resolve_brackets(work: str, original: str, text: str, direction: str) -> str:
    """N0: paired brackets take the direction their content and context give them."""
    pairs = _bracket_pairs(work, text)
    if not pairs:
        return work
    opposite = "L" if direction == "R" else "R"
    letters = list(work)
    for opening, closing in pairs:
        strong = {"R" if letter in "EN" else letter for letter in letters[opening + 1 : closing]}
        if direction in strong:
            chosen = direction
        elif opposite in strong:
            chosen = _preceding_strong(letters, opening)
            if chosen != opposite:
                chosen = direction
        else:
            continue
        for bracket in (opening, closing):
            letters[bracket] = chosen
            mark = bracket + 1
            while original[mark] == "m":
                letters[mark] = chosen
                mark += 1
    return "".join(letters)


def _preceding_strong(letters: list[str], position: int) -> str:
    """The first strong direction before ``position`` (numbers count as R); sos ends the search."""
    for index in range(position - 1, 0, -1):
        letter = letters[index]
        if letter == "L":
            return "L"
        if letter in "REN":
            return "R"
    return letters[0]
