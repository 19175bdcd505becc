"""Running ``margin serve`` in a subprocess and finding what it started.

The server prints its address (with the token) once it listens; a reader thread collects
its output so that a test can wait for that line without blocking on a pipe.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from waiting import until

ADDRESS = re.compile(r"(http://\S+?/)(\?token=(\S+))?\s*$", re.MULTILINE)


def require_serve() -> None:
    """Skip (or fail under CI) when the serve extra is not installed."""
    try:
        import aiohttp  # noqa: F401
        import textual_serve  # noqa: F401
    except ImportError:
        from tools import missing

        missing("textual-serve is not installed: pip install -e '.[serve]'")


@dataclass
class Served:
    process: subprocess.Popen
    base: str
    """``http://127.0.0.1:PORT/``"""
    token: str | None
    output: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.base}?token={self.token}"

    @property
    def port(self) -> int:
        return int(self.base.rstrip("/").rsplit(":", 1)[1])

    def visitor_processes(self):
        """The live (not zombie) processes below the server: one Margin per visitor."""
        import psutil

        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        alive = []
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                if child.status() != psutil.STATUS_ZOMBIE:
                    alive.append(child)
        return alive

    def all_children(self) -> list[int]:
        """Every process below the server, zombies included (a reaped process is gone)."""
        import psutil

        try:
            return [child.pid for child in psutil.Process(self.process.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            return []


def margin_command() -> list[str]:
    return [sys.executable, "-m", "tui.cli"]


@contextlib.contextmanager
def serving(*arguments: str, env: dict[str, str] | None = None, expect_token: bool = True) -> Iterator[Served]:
    """``margin serve --port 0 ARGUMENTS...`` until the block ends; its address parsed."""
    process = subprocess.Popen(
        [*margin_command(), "serve", "--port", "0", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env if env is not None else dict(os.environ),
        start_new_session=True,
    )
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        found = until(
            lambda: ADDRESS.search("".join(output)) or process.poll() is not None,
            "margin serve to print its address",
            timeout=30,
        )
        if found is True or process.poll() is not None:
            pytest.fail(f"margin serve stopped: {''.join(output)}")
        match = ADDRESS.search("".join(output))
        assert match is not None
        token = match.group(3)
        if expect_token:
            assert token and token != "THEIR-TOKEN", "".join(output)
        yield Served(process, match.group(1), token if expect_token else None, output)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        reader.join(timeout=5)


def seed_path(index: int) -> Path:
    from tui.locations import seeds_dir

    return sorted(seeds_dir().glob("*.txt"))[index]
