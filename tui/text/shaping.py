"""Arabic shaping with a map back to the logical text.

Terminals draw each code point in its isolated form, so Margin replaces Arabic letters
by their presentation forms (arabic-reshaper) before reordering. The reshaper changes the
length of the text — lam-alef and the Allah ligature fuse letters, and a diacritic inside
a ligature moves after it — without saying how, so this module aligns its output with the
input and returns *groups*: contiguous logical ranges with the text that shows them.
Everything downstream (cursor, highlights, selection) keeps working on logical offsets.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from itertools import accumulate, compress, count
from operator import attrgetter
from typing import Any, NamedTuple, cast

from tui.text.joining import RESHAPER_CONFIGURATION, can_join, join

_ARABIC_BLOCKS = "\u0600-\u06FF\u0750-\u077F\u0870-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Any Arabic code point; a presentation form; a run of Arabic letters, marks, tatweel
    and joiners (joining never reaches past one), captured so that splitting keeps it.
    Compiled at the first text that is not ASCII: large character classes take a good
    part of a millisecond each."""
    return (
        re.compile(f"[{_ARABIC_BLOCKS}]"),
        re.compile("[\uFB50-\uFDFF\uFE70-\uFEFF]"),
        re.compile(f"([{_ARABIC_BLOCKS}\u200c\u200d]+)"),
    )


class _Settings:
    """The reshaper's configuration with each answer remembered.

    ``ArabicReshaper.reshape`` asks its ConfigParser section for six booleans on every call,
    which cost about as much as shaping a short word; the settings never change here."""

    def __init__(self, section) -> None:
        self._section = section
        self._answers: dict[str, bool] = {}

    def getboolean(self, key: str) -> bool:
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = self._section.getboolean(key)
        return answer

    def get(self, key: str, *args, **kwargs):
        return self._section.get(key, *args, **kwargs)


@cache
def _reshaper() -> Any:
    """The reshaper, made (and arabic-reshaper imported) when the first Arabic is shaped."""
    import arabic_reshaper

    reshaper = arabic_reshaper.ArabicReshaper(configuration=dict(RESHAPER_CONFIGURATION))
    reshaper.configuration = _Settings(reshaper.configuration)
    return reshaper


class Shaped(NamedTuple):
    """A paragraph's shaped rendering, aligned with the logical text.

    ``text`` has one code point per logical code point — its presentation form — so any
    slice of it shows the same slice of the paragraph. A ligature fuses several code points
    (lam + alef, with a diacritic between them pushed after it): ``ligatures`` lists each as
    ``(start, end, shown)``, a logical range and the text that shows all of it; inside such a
    range ``text`` keeps the logical letters, and nothing may split the range.
    """

    text: str
    ligatures: tuple[tuple[int, int, str], ...]
    changed: bool


_TEXT = attrgetter("text")
_LIGATURES = attrgetter("ligatures")
_CHANGED = attrgetter("changed")


def has_arabic(text: str) -> bool:
    """Whether any code point could need shaping."""
    return not text.isascii() and _patterns()[0].search(text) is not None


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me")


@lru_cache(maxsize=512)
def _letters(ch: str) -> str:
    """The logical letters a presentation form stands for (NFKC without its marks)."""
    return unicodedata.normalize("NFKC", ch)


def _align(text: str, shaped: str) -> list[tuple[int, int, str]] | None:
    """Pair each output character with the input indices it shows; None if they disagree."""
    out: list[tuple[int, int, str]] = []
    i = 0
    n = len(text)
    skipped: list[int] = []
    for ch in shaped:
        if skipped and ch == text[skipped[0]]:
            j = skipped.pop(0)
            out.append((j, j + 1, ch))
            continue
        if i < n and ch == text[i]:
            out.append((i, i + 1, ch))
            i += 1
            continue
        if not _patterns()[1].match(ch):
            return None
        letters = _letters(ch)
        first = i
        k = 0
        while k < len(letters):
            if i >= n:
                return None
            if text[i] == letters[k] or _letters(text[i]) == letters[k]:
                k += 1
                i += 1
            elif _is_mark(text[i]) and k > 0:
                skipped.append(i)
                i += 1
            else:
                return None
        out.append((first, i, ch))
    if skipped or i != n:
        return None
    return out


def _group(text: str, pieces: list[tuple[int, int, str]]) -> Shaped:
    """Merge overlapping output ranges into contiguous groups, keeping output order; a group
    of one code point goes into ``text``, a wider one is a ligature."""
    shown = list(text)
    ligatures: list[tuple[int, int, str]] = []
    group_start = 0
    group_end = 0
    buffer: list[str] = []

    def close() -> None:
        if group_end - group_start == 1 and len(buffer) == 1:
            shown[group_start] = buffer[0]
        else:
            ligatures.append((group_start, group_end, "".join(buffer)))

    for start, end, ch in pieces:
        if buffer and start >= group_end:
            close()
            buffer = []
            group_start = start
        buffer.append(ch)
        group_end = max(group_end, end)
    if buffer:
        close()
    if group_end != len(text):
        return unshaped(text)
    return Shaped("".join(shown), tuple(ligatures), True)


def _reshape(text: str) -> str | None:
    """arabic-reshaper's output, or None where it fails (it raises IndexError on some
    sequences, such as a ZWJ before a lam-alef)."""
    try:
        return _reshaper().reshape(text)
    except Exception:
        return None


def unshaped(text: str) -> Shaped:
    """The identity shaping."""
    return Shaped(text, (), False)


def ligatures_only(text: str) -> Shaped:
    """Letters as they are, except lam-alef ligatures, for terminals that shape themselves
    but give lam-alef a single cell (mlterm): fusing it here keeps every row its width."""
    shaped = shape(text)
    ligatures = tuple(lig for lig in shaped.ligatures if all("\ufef5" <= ch <= "\ufefc" for ch in lig[2]))
    return Shaped(text, ligatures, bool(ligatures))




def shape(text: str) -> Shaped:
    """Shape a paragraph: each Arabic run on its own (nothing joins across a space, a digit
    or a Latin letter), so runs — words, mostly — are shaped once and remembered.

    The runs not seen before are given to the reshaper in one call, separated by spaces
    (which join with nothing): per call it has a fixed cost larger than a short word's.
    The paragraph is put together from the runs' shaped text and the text between them
    without a loop over its words; only the few runs holding a ligature are placed."""
    if not has_arabic(text):
        return unshaped(text)
    # Split at runs, kept: the text between runs at even indices, the runs at odd ones.
    pieces = _patterns()[2].split(text)
    runs = pieces[1::2]
    found = list(map(_SHAPED_RUNS.get, runs))
    if None in found:
        _remember_runs(set(runs).difference(_SHAPED_RUNS))
        found = list(map(_SHAPED_RUNS.get, runs))
        if None in found:
            # The memory was cleared to make room, taking runs this paragraph had found.
            _remember_runs(set(runs).difference(_SHAPED_RUNS))
            found = list(map(_SHAPED_RUNS.__getitem__, runs))
    shaped_runs = cast("list[Shaped]", found)
    if not any(map(_CHANGED, shaped_runs)):
        return unshaped(text)
    ligatures: list[tuple[int, int, str]] = []
    if any(map(_LIGATURES, shaped_runs)):
        offsets = list(accumulate(map(len, pieces), initial=0))
        for k in compress(count(), map(_LIGATURES, shaped_runs)):
            a = offsets[2 * k + 1]
            ligatures.extend((a + start, a + end, shown) for start, end, shown in shaped_runs[k].ligatures)
    pieces[1::2] = map(_TEXT, shaped_runs)
    return Shaped("".join(pieces), tuple(ligatures), True)


_SHAPED_RUNS: dict[str, Shaped] = {}
_SHAPED_RUNS_LIMIT = 65536
"""Runs remembered before the memory is cleared (words recur: a book has a few thousand)."""


def _remember_runs(runs: set[str]) -> None:
    if not runs:
        return
    if len(_SHAPED_RUNS) + len(runs) > _SHAPED_RUNS_LIMIT:
        _SHAPED_RUNS.clear()
    if _joins_without_reshaper():
        # Words of letters alone (most words) are joined here, as the reshaper would.
        simple = {run for run in runs if can_join(run)}
        for run in simple:
            _SHAPED_RUNS[run] = _from_reshaped(run, join(run))
        runs = runs - simple
        if not runs:
            return
    # Joiners are shaped alone: with one at a run's end the reshaper moves a mark across the
    # space into the next run.
    alone = [run for run in runs if "\u200c" in run or "\u200d" in run]
    ordered = sorted(runs.difference(alone))
    together = _reshape(" ".join(ordered)) if len(ordered) > 1 else None
    parts: list[str | None] = list(together.split(" ")) if together is not None else []
    if len(parts) != len(ordered):
        # One run the reshaper cannot take spoils the batch: shape each alone.
        alone += ordered
        ordered, parts = [], []
    for run, shaped in zip(ordered, parts):
        _SHAPED_RUNS[run] = _from_reshaped(run, shaped)
    for run in alone:
        _SHAPED_RUNS[run] = _from_reshaped(run, _reshape(run))


@cache
def _joins_without_reshaper() -> bool:
    """Whether :mod:`tui.text.joining` copies the installed reshaper's tables: its version
    file is read without importing the package (package metadata takes far longer)."""
    from importlib.util import find_spec
    from pathlib import Path

    from tui.text import joining_tables

    spec = find_spec("arabic_reshaper")
    for location in (spec.submodule_search_locations or []) if spec else []:
        version_file = Path(location) / "__version__.py"
        if version_file.is_file():
            return version_file.read_text(encoding="utf-8").strip() == f"__version__ = {joining_tables.RESHAPER_VERSION!r}"
    return False


def _from_reshaped(run: str, shaped: str | None) -> Shaped:
    if shaped is None or shaped == run:
        return unshaped(run)
    pieces = _align(run, shaped)
    if pieces is None:
        return unshaped(run)
    return _group(run, pieces)
