"""UAX #9 rules W1-W7, N0-N2 and I1-I2 over one isolating run sequence.

:mod:`tui.text.bidi` finds the sequences of a paragraph (all of it, for most paragraphs)
and hands each here as a string of class letters (``bidi_properties.CLASS_LETTERS``)
with its sos and eos. The rules are rewrites of those letters as ASCII bytes, so the work
per character happens in C (``bytes.translate``, ``bytes.find``, ``re``) and what Python
does is per sequence, per number or per bracket.
"""

from __future__ import annotations

import re

from tui.text.bidi_properties import bracket_identity, bracket_pattern, paired_brackets

MAX_BRACKET_OPENERS = 63
"""Room on the BD16 bracket stack; an opener beyond it ends pairing for the sequence."""

# Every pattern that is searched for starts with one letter or one set of letters (never a
# look-behind, an alternation or a repetition: ``m+`` is written ``mm*``), so ``re`` skips
# ahead to candidates instead of trying a match at every position.
_NSM_RUN = re.compile(b"mm*")
_EN_RUN = re.compile(b"EE*")
_SEPARATOR_BETWEEN_EN = re.compile(b"E[+,](?=E)")
_COMMA_BETWEEN_AN = re.compile(b"N,(?=N)")
_ET_BEFORE_EN = re.compile(rb"\$\$*(?=E)")
_ET_AFTER_EN = re.compile(rb"E\$+")
_NEUTRALS_BETWEEN_R = re.compile(b"[REN][BS_o6789]+(?=[REN])")
_NEUTRALS_BETWEEN_L = re.compile(b"L[BS_o6789]+(?=L)")
_ON_LETTER = re.compile(b"o")
_STRONG_OF = {b"L": re.compile(b"L"), b"R": re.compile(b"[REN]")}
"""Strong letters of each direction for N0 (numbers count as R)."""

# The last strong letter before a position, matched from the start of the sequence: the
# greedy ``.*`` runs to the end at once, then steps back to it (a scan forward over a
# negated set would cost tens of instructions a letter).
_LAST_STRONG_W2 = re.compile(b"(?s:.*)([LRA])")
_LAST_STRONG_W7 = re.compile(b"(?s:.*)([LR])")
_LAST_STRONG_N0 = re.compile(b"(?s:.*)([LREN])")

_EN_TO_AN = bytes.maketrans(b"E", b"N")
_W3_W6 = bytes.maketrans(b"A+$,", b"Rooo")
"""W3 (AL is R) and W6 (remaining separators and terminators are ON) in one pass: W4 and W5
look at neither AL nor R, so W3 can wait until W6."""
_NEUTRAL_LETTERS = "BS_o6789"
_L, _EN, _AN, _ON, _NSM = b"LENom"
"""Class letters as byte values: ``in`` on bytes takes an integer without raising and
catching a TypeError first, as it does for a bytes operand."""
_FEW_NEUTRALS = 24
"""Up to this many ON letters in a sequence, each is looked at for a bracket."""


def resolve_sequence(classes: str, text: str, level: int, sos: str, eos: str) -> bytes:
    """W1-I2 over one isolating run sequence; returns its levels."""
    direction = b"R" if level & 1 else b"L"
    original = (sos + classes + eos).encode("ascii")
    work = original
    if "m" in classes:
        work = _NSM_RUN.sub(lambda marks: _class_for_marks(original, marks), work)
    if "A" in classes and "E" in classes:
        if "L" in classes or "R" in classes:
            work = _EN_RUN.sub(_after_al, work)
        else:
            # Only sos and eos are L or R: W2 turns every number after the first AL.
            first = work.find(b"A")
            work = work[:first] + work[first:].translate(_EN_TO_AN)
    if _EN in work and ("+" in classes or "," in classes):
        work = _SEPARATOR_BETWEEN_EN.sub(b"EE", work)
    if _AN in work and "," in classes:
        work = _COMMA_BETWEEN_AN.sub(b"NN", work)
    if "$" in classes and _EN in work:
        work = _ET_BEFORE_EN.sub(_same_length_e, work)
        work = _ET_AFTER_EN.sub(_same_length_e, work)
    if direction == b"R" and _L not in work:
        # Right to left with nothing left to right: W7, N0 and N1 have nothing to do, and
        # neutrals end up R whatever their context, so the level table does W3 and W6 too.
        return work[1:-1].translate(_LEVEL_TABLES.get(level) or _level_table(level))
    work = work.translate(_W3_W6)
    if _EN in work:
        work = _EN_RUN.sub(_after_l, work)
    if _ON in work:
        work = _resolve_brackets(work, original, text, direction)
    if direction == b"L":
        work = _NEUTRALS_BETWEEN_R.sub(_same_length_r_after, work)
    else:
        work = _NEUTRALS_BETWEEN_L.sub(_same_length_l, work)
    return work[1:-1].translate(_LEVEL_TABLES.get(level) or _level_table(level))


def _after_al(numbers: re.Match[bytes]) -> bytes:
    """W2: European numbers whose last strong letter before them is AL are Arabic numbers."""
    last = _LAST_STRONG_W2.match(numbers.string, 0, numbers.start())
    if last is not None and last.group(1) == b"A":
        return b"N" * (numbers.end() - numbers.start())
    return numbers.group()


def _after_l(numbers: re.Match[bytes]) -> bytes:
    """W7: European numbers whose last strong letter before them is L (sos included) are L."""
    last = _LAST_STRONG_W7.match(numbers.string, 0, numbers.start())
    if last is not None and last.group(1) == b"L":
        return b"L" * (numbers.end() - numbers.start())
    return numbers.group()


def _class_for_marks(original: bytes, marks: re.Match[bytes]) -> bytes:
    """W1: nonspacing marks take the class of what precedes them (ON after an isolate control)."""
    start = marks.start()
    previous = original[start - 1]
    return bytes((_ON if previous in b"6789" else previous,)) * (marks.end() - start)


def _same_length_e(run: re.Match[bytes]) -> bytes:
    return b"E" * (run.end() - run.start())


def _same_length_r_after(run: re.Match[bytes]) -> bytes:
    """The first letter kept (it is the strong letter before the neutrals), the rest R."""
    matched = run.group()
    return matched[:1] + b"R" * (len(matched) - 1)


def _same_length_l(run: re.Match[bytes]) -> bytes:
    return b"L" * (run.end() - run.start())


_LEVEL_TABLES: dict[int, bytes] = {}


def _level_table(level: int) -> bytes:
    """W3, W6, N2 and I1-I2 for one embedding level: class letter -> level, a 256-byte table
    for ``bytes.translate`` (AL counts as R; ES, ET and CS left by W4-W5 and neutrals left
    by N1 take the embedding direction)."""
    if level & 1:
        raised = {"R": level, "L": level + 1, "E": level + 1, "N": level + 1}
    else:
        raised = {"L": level, "R": level + 1, "E": level + 2, "N": level + 2}
    raised["A"] = raised["R"]
    for neutral in "+$," + _NEUTRAL_LETTERS:
        raised[neutral] = level
    table = bytearray(range(256))
    for letter, value in raised.items():
        table[ord(letter)] = value
    _LEVEL_TABLES[level] = bytes(table)
    return _LEVEL_TABLES[level]


def _bracket_pairs(work: bytes, original: bytes, text: str) -> list[tuple[int, int]]:
    """BD16 over one sequence; positions are in ``work``, one past those in ``text``."""
    openers, closers = paired_brackets()
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for position in _bracket_positions(original, text):
        if work[position] != _ON:
            continue
        char = bracket_identity(text[position - 1])
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


def _bracket_positions(original: bytes, text: str) -> list[int]:
    """Where the sequence may hold a paired bracket, in order. Brackets are ON, and a
    paragraph has few ON characters (brackets, quotation marks): looking at each of them
    costs less than searching the text for brackets (a set of a hundred characters beyond
    Latin-1 is tested at every character), unless there are many."""
    if original.count(b"o") > _FEW_NEUTRALS:
        return [bracket.start() + 1 for bracket in bracket_pattern().finditer(text)]
    return [neutral.start() for neutral in _ON_LETTER.finditer(original)]


def _resolve_brackets(work: bytes, original: bytes, text: str, direction: bytes) -> bytes:
    """N0: paired brackets take the direction their content and context give them.

    Pairs nest, and are taken in the order of their openings, so the content of a pair
    holds no bracket resolved before it: it is searched in ``work`` as it was."""
    pairs = _bracket_pairs(work, original, text)
    if not pairs:
        return work
    opposite = b"L" if direction == b"R" else b"R"
    letters = bytearray(work)
    for opening, closing in pairs:
        if _holds_direction(work, opening + 1, closing, direction):
            chosen = direction
        elif _holds_direction(work, opening + 1, closing, opposite):
            chosen = opposite if _preceding_strong(letters, opening) == opposite else direction
        else:
            continue
        for bracket in (opening, closing):
            mark = bracket + 1
            while original[mark] == _NSM:
                mark += 1
            letters[bracket:mark] = chosen * (mark - bracket)
    return bytes(letters)


def _holds_direction(work: bytes, start: int, end: int, direction: bytes) -> bool:
    """Whether ``work[start:end]`` holds a strong letter of ``direction`` (numbers are R)."""
    return _STRONG_OF[direction].search(work, start, end) is not None


def _preceding_strong(letters: bytearray, position: int) -> bytes:
    """The first strong direction before ``position`` (numbers count as R); sos ends the search."""
    found = _LAST_STRONG_N0.match(letters, 1, position)
    if found is None:
        return bytes(letters[:1])
    return b"L" if found.group(1) == b"L" else b"R"
