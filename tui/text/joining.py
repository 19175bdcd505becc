"""Arabic words joined exactly as arabic-reshaper joins them, without loading it.

Importing arabic-reshaper and its first call (configuration, a pattern of harakat, the
ligature patterns) cost about as much as laying out a whole screen, and most words need
none of what makes it elaborate: they hold letters, harakat and digits, no joiner. For such
a word this module repeats the reshaper's algorithm (each letter's form from whether it
and its neighbours connect, harakat kept after the letter before them, then the lam-alef
and Allah ligatures Margin enables) over its tables, copied into
:mod:`tui.text.joining_tables` by running this module (``python -m tui.text.joining >
tui/text/joining_tables.py``). A test checks that the copy is current and that the two
give the same text on random words; anything else — joiners, an unknown character —
goes to the reshaper itself.
"""

from __future__ import annotations

from functools import cache

RESHAPER_CONFIGURATION = {
    "delete_harakat": False,
    "delete_tatweel": False,
    "support_ligatures": True,
    "support_zwj": True,
    "shift_harakat_position": False,
    "use_unshaped_instead_of_isolated": False,
}
"""How Margin configures arabic-reshaper: harakat and tatweel kept, ligatures and ZWJ on."""

ISOLATED, INITIAL, MEDIAL, FINAL = 0, 1, 2, 3
_AS_IS = -1
"""The reshaper's NOT_SUPPORTED: a character it leaves alone, which joins nothing."""


@cache
def _tables() -> tuple[
    dict[str, tuple[str, str, str, str]], frozenset[str], frozenset[str], tuple[tuple[str, tuple[str, str, str, str]], ...]
]:
    from tui.text import joining_tables

    forms = joining_tables.FORMS
    harakat = frozenset(joining_tables.HARAKAT)
    known = frozenset(forms).union(joining_tables.AS_IS, harakat).difference("\u200d")
    return forms, known, harakat, joining_tables.LIGATURES


def can_join(word: str) -> bool:
    """Whether :func:`join` shapes ``word`` (letters, harakat, digits and punctuation the
    tables know; not a joiner)."""
    return _tables()[1].issuperset(word)


def join(word: str) -> str:
    """``word`` in presentation forms, as the reshaper configured by Margin gives it.

    Only for a word :func:`can_join` accepts."""
    forms, _known, harakat, ligatures = _tables()
    output: list[list] = []
    harakat_after: dict[int, list[str]] = {}
    for letter in word:
        if letter in harakat:
            harakat_after.setdefault(len(output) - 1, []).append(letter)
            continue
        letter_forms = forms.get(letter)
        if letter_forms is None:
            output.append([letter, _AS_IS])
            continue
        if not output:
            output.append([letter, ISOLATED])
            continue
        previous = output[-1]
        previous_forms = forms.get(previous[0])
        if (
            previous[1] == _AS_IS
            or previous_forms is None
            or not (letter_forms[FINAL] or letter_forms[MEDIAL])
            or not (previous_forms[INITIAL] or previous_forms[MEDIAL])
            or (previous[1] == FINAL and not previous_forms[MEDIAL])
        ):
            output.append([letter, ISOLATED])
        elif previous[1] == ISOLATED:
            previous[1] = INITIAL
            output.append([letter, FINAL])
        else:
            previous[1] = MEDIAL
            output.append([letter, FINAL])
    letters = "".join(letter for letter in word if letter not in harakat) if harakat_after else word
    for start, end, ligature_forms in _ligatures(letters, ligatures):
        first, last = output[start][1], output[end - 1][1]
        if first in (ISOLATED, INITIAL):
            form = ISOLATED if last in (ISOLATED, FINAL) else INITIAL
        else:
            form = FINAL if last in (ISOLATED, FINAL) else MEDIAL
        if not ligature_forms[form]:
            continue
        output[start] = [ligature_forms[form], _AS_IS]
        for k in range(start + 1, end):
            output[k] = ["", _AS_IS]
    if not harakat_after:
        return "".join(letter if form == _AS_IS else forms[letter][form] for letter, form in output if letter)
    shown = harakat_after.get(-1, [])[:]
    for k, (letter, form) in enumerate(output):
        if letter:
            shown.append(letter if form == _AS_IS else forms[letter][form])
        shown.extend(harakat_after.get(k, ()))
    return "".join(shown)


def _ligatures(
    word: str, ligatures: tuple[tuple[str, tuple[str, str, str, str]], ...]
) -> list[tuple[int, int, tuple[str, str, str, str]]]:
    """Leftmost, non-overlapping matches of the ligatures, earlier ones first at a position
    (the reshaper's alternation of patterns, each a literal word here)."""
    found = []
    position = 0
    while position < len(word):
        for letters, ligature_forms in ligatures:
            if word.startswith(letters, position):
                found.append((position, position + len(letters), ligature_forms))
                position += len(letters)
                break
        else:
            position += 1
    return found


def table_module_source() -> str:
    """The source of :mod:`tui.text.joining_tables`, from arabic-reshaper (imported here)."""
    import arabic_reshaper
    from arabic_reshaper.arabic_reshaper import HARAKAT_RE
    from arabic_reshaper.letters import LETTERS_ARABIC
    from arabic_reshaper.ligatures import LIGATURES

    configuration = arabic_reshaper.ArabicReshaper(configuration=dict(RESHAPER_CONFIGURATION)).configuration
    enabled = [(match, forms) for name, (match, forms) in LIGATURES if configuration.getboolean(name)]
    for match, _forms in enabled:
        assert match.isalpha(), match  # each enabled ligature is a literal word
    as_is = [
        chr(code)
        for code in [*range(0x0660, 0x066E), *range(0x06F0, 0x06FA), 0x060C, 0x061B, 0x061F, 0x06D4]
        if chr(code) not in LETTERS_ARABIC and not HARAKAT_RE.match(chr(code))
    ]
    harakat = "".join(chr(code) for code in range(0x10000) if HARAKAT_RE.match(chr(code)))
    rows = "".join(f"    {letter!a}: {forms!a},\n" for letter, forms in LETTERS_ARABIC.items())
    ligature_rows = "".join(f"    ({match!a}, {forms!a}),\n" for match, forms in enabled)
    return (
        f'"""arabic-reshaper {arabic_reshaper.__version__}\'s letter forms and the ligatures Margin enables\n'
        "(generated by ``python -m tui.text.joining``; do not edit).\n\n"
        "FORMS: letter -> (isolated, initial, medial, final), '' where a form does not exist;\n"
        "HARAKAT: the marks it keeps after the letter before them; AS_IS: digits and punctuation\n"
        "it leaves alone; LIGATURES: (letters, forms).\n"
        '"""\n\n'
        f"RESHAPER_VERSION = {arabic_reshaper.__version__!r}\n\n"
        f"FORMS = {{\n{rows}}}\n\n"
        f"HARAKAT = {harakat!a}\n\n"
        f"AS_IS = {''.join(as_is)!a}\n\n"
        f"LIGATURES = (\n{ligature_rows})\n"
    )


if __name__ == "__main__":
    print(table_module_source(), end="")
