"""Where Margin keeps and finds things: the only module that knows file locations.

Directories are created on demand, never at import time. Environment variables
override every location so tests and scripts can point Margin elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "margin"


def seeds_dir() -> Path:
    """The bundled sample corpus, from a source checkout or an installed package."""
    source_tree = Path(__file__).resolve().parent.parent / "assets" / "seeds"
    if source_tree.is_dir():
        return source_tree
    from importlib import resources

    return Path(str(resources.files("tui._assets") / "seeds"))


def config_file() -> Path:
    """The user's TOML configuration (``MARGIN_CONFIG`` points elsewhere)."""
    override = os.environ.get("MARGIN_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def data_dir() -> Path:
    """Where the annotation store and reading positions live (``MARGIN_DATA_DIR``)."""
    override = os.environ.get("MARGIN_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def default_store() -> Path:
    """The SQLite annotation store (``MARGIN_STORE`` overrides the whole path)."""
    override = os.environ.get("MARGIN_STORE")
    return Path(override) if override else data_dir() / "notes.sqlite3"
