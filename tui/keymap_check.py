"""Checking a ``[keymap]`` before it is applied, so a mistake is a warning and not silence.

Textual's ``set_keymap`` accepts anything: an id no binding has is ignored, a key name no
terminal sends is bound to nothing, and a key given to one binding keeps working for
another binding of the same screen, which then wins or loses by order. Each of those gets
one line here; the app shows them at start and carries on with the rest of the keymap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from textual.binding import Binding, BindingType
from textual.keys import KEY_ALIASES, REPLACED_KEYS, Keys, key_to_character

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_KEY_NAMES = frozenset(key.value for key in Keys) | set(REPLACED_KEYS) | set(KEY_ALIASES) | {"space", "newline"}


def valid_key(key: str) -> bool:
    """Whether Textual can ever report ``key`` (``j``, ``ctrl+f``, ``pagedown``, ``left_curly_bracket``)."""
    *modifiers, base = key.split("+")
    if any(modifier not in MODIFIERS for modifier in modifiers) or not base:
        return False
    if len(base) == 1 and base.isprintable():
        return True
    return base in _KEY_NAMES or key_to_character(base) is not None


def _bindings(bindings: Iterable[BindingType]) -> list[Binding]:
    return [binding for binding in bindings if isinstance(binding, Binding)]


def keymap_problems(keymap: Mapping[str, str], scopes: Sequence[Iterable[BindingType]]) -> list[str]:
    """One line per problem in ``keymap`` against the binding ``scopes`` (each a list of
    bindings active together, e.g. the app's and one screen's)."""
    scoped = [_bindings(scope) for scope in scopes]
    known = {binding.id for scope in scoped for binding in scope if binding.id}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            problems.append(f"keymap: no key has the id {binding_id!r}; it was ignored")
            continue
        bad = [key for key in keys.split(",") if not valid_key(key.strip())]
        if bad:
            problems.append(f"keymap: {binding_id}: {', '.join(map(repr, bad))} is not a key name")
    for scope in scoped:
        keys_of: dict[str, list[str]] = {}
        for binding in scope:
            if not binding.id:
                continue
            bound = keymap.get(binding.id, binding.key)
            for key in bound.split(","):
                keys_of.setdefault(key.strip(), []).append(binding.id)
        for key, ids in keys_of.items():
            remapped = [i for i in ids if i in keymap]
            if len(set(ids)) > 1 and remapped:
                others = [i for i in dict.fromkeys(ids) if i != remapped[0]]
                problems.append(
                    f"keymap: {remapped[0]} takes {key!r}, which {', '.join(others)} also uses; "
                    "give one of them another key"
                )
    return list(dict.fromkeys(problems))
