"""Two annotators on one PostgreSQL store, each in a real terminal (tmux): with the "all"
layer each one's tag appears in the other's reader, as the other's initial in the gutter."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from postgres_server import PASSWORD
from reader_harness import ENGLISH
from tools import require_tool
from waiting import until

MARGIN = Path(sys.executable).with_name("margin")
WIDTH, HEIGHT = 100, 30
RETRY_S = 5.0
"""How long keys get to take effect before they are sent again."""


@pytest.fixture(autouse=True)
def _tmux() -> None:
    require_tool("tmux", "the end-to-end tests run margin inside it (apt-get install tmux)")


class Pane:
    """One margin process in its own tmux server."""

    def __init__(self, name: str, url: str, data: Path) -> None:
        self.socket = f"margin-team-{uuid.uuid4().hex[:8]}"
        env = dict(os.environ, MARGIN_DATA_DIR=str(data))
        env.pop("TMUX", None)
        env.pop("MARGIN_STORE", None)
        command = f"{MARGIN} --store '{url}' {ENGLISH}"
        subprocess.run(
            ["tmux", "-L", self.socket, "new", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), command], env=env, check=True
        )
        self.name = name

    def lines(self) -> list[str]:
        out = subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p"], capture_output=True, text=True).stdout
        return out.split("\n")

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "-L", self.socket, "send-keys", key], check=True)

    def gutter(self) -> set[str]:
        return {line[:2] for line in self.lines()[1 : HEIGHT - 2]}

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def annotators(server, database: str) -> list[str]:
    import psycopg

    with psycopg.connect(server.url(database), autocommit=True) as admin:
        return sorted(row[0] for row in admin.execute("SELECT annotator FROM margin.annotations"))


def margin(*arguments: str) -> None:
    result = subprocess.run([str(MARGIN), *arguments], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout + result.stderr


def test_two_annotators_see_each_others_tags(postgres_server, tmp_path):
    server = postgres_server
    suffix = uuid.uuid4().hex[:6]
    database = f"team_{suffix}"
    ana, ben = f"ana_{suffix}", f"ben_{suffix}"
    server.admin_sql(f"CREATE DATABASE {database}")
    margin("admin", "init", server.url(database))
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    for name in (ana, ben):
        margin("admin", "add-annotator", name, "--password-file", str(secret), "--store", server.url(database))
    panes = {
        name: Pane(name, server.tcp_url(database, name), tmp_path / f"data-{name}") for name in (ana, ben)
    }
    try:
        for pane in panes.values():
            until(lambda pane=pane: any("utf-8" in line for line in pane.lines()), f"{pane.name}'s reader", 30)
            pane.keys("L")
            until(lambda pane=pane: any("Whose annotations" in line for line in pane.lines()), "the layer picker", 20)
            pane.keys("a")
        # ana tags the first sentence; ben one two paragraphs down (rows apart on screen).
        wanted = {ana: ["s", "1"], ben: ["}", "}", "s", "2"]}

        sent: dict[str, float] = {}

        def tagged(name: str) -> bool:
            if name in annotators(server, database):
                return True
            if time.monotonic() - sent.get(name, 0.0) > RETRY_S:
                # (Again after a while: keys that came before the store was open did nothing.)
                panes[name].keys("Escape", "g", *wanted[name])
                sent[name] = time.monotonic()
            return False

        until(lambda: tagged(ana) and tagged(ben), "both tags in PostgreSQL", 60)
        assert set(annotators(server, database)) == {ana, ben}
        until(lambda: "B " in panes[ana].gutter(), "ben's initial in ana's gutter", 20)
        until(lambda: "A " in panes[ben].gutter(), "ana's initial in ben's gutter", 20)
        until(lambda: "▌ " in panes[ana].gutter(), "ana's own mark in her gutter", 20)
        until(lambda: "▌ " in panes[ben].gutter(), "ben's own mark in his gutter", 20)
        for pane in panes.values():
            assert PASSWORD not in "\n".join(pane.lines())
    finally:
        for pane in panes.values():
            pane.close()
