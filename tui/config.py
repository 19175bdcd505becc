"""Margin's settings: defaults, then the TOML file, then ``MARGIN_*`` variables, then flags.

Every problem is reported as one :class:`ConfigError` line that names where the bad value
came from, so the command line can print it without a traceback.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui import locations

ENV_PREFIX = "MARGIN_"
BIDI_MODES = ("auto", "app", "terminal", "kitty")
AUTO = "auto"
_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class ConfigError(Exception):
    """A setting that cannot be used; the message is one line naming its source."""


@dataclass(frozen=True, slots=True)
class Config:
    """Every user-adjustable setting, each with a default that works out of the box."""

    width_model: str = AUTO
    """How many cells the terminal gives each character (see ``tui.text.width``); "auto" asks it."""
    bidi: str = AUTO
    """How right-to-left text is written (see ``tui.terminal``); "auto" asks the terminal."""
    theme: str = "textual-dark"
    """The Textual theme the app starts with."""
    annotator: str = ""
    """The name recorded on new annotations; empty means the login name."""
    store: Path | str | None = None
    """The annotation store: an SQLite file, or a ``postgresql://`` URL (kept as text); None
    means the default file in the data directory."""
    search_diacritics: bool = False
    """Whether Arabic harakat must match when searching (False ignores them)."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys (``"reader.page-down" = "space,ctrl+f"``), applied with ``set_keymap``."""


SETTING_NAMES = tuple(f.name for f in dataclasses.fields(Config))


def env_name(setting: str) -> str:
    """The environment variable that overrides ``setting``."""
    return ENV_PREFIX + setting.upper()


def load_config(
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """The effective configuration: file < environment < ``overrides`` (command-line flags).

    ``path`` defaults to ``locations.config_file()`` and ``environ`` to ``os.environ``; a
    missing file is not an error, since most people never write one. ``overrides`` entries
    that are None are ignored.
    """
    path = path if path is not None else locations.config_file()
    environ = environ if environ is not None else os.environ
    values: dict[str, Any] = {}
    values.update(_from_file(path))
    values.update(_from_environment(environ))
    values.update(
        (name, _checked(name, value, "command line"))
        for name, value in (overrides or {}).items()
        if value is not None
    )
    return Config(**values)


def _from_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error.strerror}") from None
    import tomllib  # only when there is a file: most people never write one

    try:
        table = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the configuration is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    return {name: _checked(name, value, str(path)) for name, value in table.items()}


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in SETTING_NAMES:
        variable = env_name(name)
        if name == "keymap" or variable not in environ:
            continue
        values[name] = _checked(name, _parse_env(name, environ[variable], variable), variable)
    return values


def _parse_env(name: str, text: str, variable: str) -> Any:
    if name == "search_diacritics":
        word = text.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise ConfigError(f"{variable}: expected true or false, got {text!r}")
    if name == "store":
        return text or None
    return text


def _checked(name: str, value: Any, source: str) -> Any:
    """``value`` converted to the field's type, or a ConfigError naming ``source``."""
    if name not in SETTING_NAMES:
        raise ConfigError(f"{source}: unknown setting {name!r} (known: {', '.join(SETTING_NAMES)})")
    if name == "store":
        if value is None or isinstance(value, Path):
            return value
        if isinstance(value, str) and value:
            from tui.notes.location import parse_location

            return parse_location(value)
        raise ConfigError(f"{source}: store must be a path or a postgresql:// URL")
    if name == "search_diacritics":
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{source}: search_diacritics must be true or false")
    if name == "keymap":
        return _checked_keymap(value, source)
    if not isinstance(value, str):
        raise ConfigError(f"{source}: {name} must be a string")
    if name == "bidi" and value not in BIDI_MODES:
        raise ConfigError(f"{source}: bidi must be one of {', '.join(BIDI_MODES)}, not {value!r}")
    if name == "width_model":
        from tui.text.width import WIDTH_MODELS

        if value != AUTO and value not in WIDTH_MODELS:
            known = ", ".join([AUTO, *sorted(WIDTH_MODELS)])
            raise ConfigError(f"{source}: unknown width model {value!r} (known: {known})")
    if name == "theme":
        from textual.theme import BUILTIN_THEMES

        if value not in BUILTIN_THEMES:
            raise ConfigError(f"{source}: unknown theme {value!r} (known: {', '.join(sorted(BUILTIN_THEMES))})")
    return value


def _checked_keymap(value: Any, source: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{source}: [keymap] must be a table of binding id = \"keys\"")
    keymap: dict[str, str] = {}
    for binding_id, keys in value.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(f"{source}: keymap {binding_id!r} must be a non-empty string of keys")
        keymap[binding_id] = ",".join(key.strip() for key in keys.split(","))
    return keymap
