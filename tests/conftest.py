"""Every test runs with its own data directory and store, never the user's."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_margin_locations(tmp_path, monkeypatch):
    monkeypatch.setenv("MARGIN_DATA_DIR", str(tmp_path / "margin-data"))
    monkeypatch.setenv("MARGIN_STORE", str(tmp_path / "margin-data" / "notes.sqlite3"))
    monkeypatch.setenv("MARGIN_CONFIG", str(tmp_path / "no-config.toml"))


pytest_plugins = ["postgres_server"]
"""The throwaway PostgreSQL cluster and the fixture that runs store tests on both backends."""
