"""The reading position survives the ways a terminal program ends besides ``q``: SIGTERM,
SIGHUP (the window closed), and a SIGKILL shortly after scrolling stopped. Margin then
leaves the terminal as it found it (in app bidi mode, ``CSI 8 h`` given back)."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
from pathlib import Path

import pytest
from reader_harness import ENGLISH_LONG, margin_process_on_pty, read_until
from waiting import until

from tui.corpus.identity import content_hash

RESTORE_BIDI = b"\x1b[8h"
LEAVE_ALT_SCREEN = b"\x1b[?1049l"
SCROLLED = re.compile(rb"[1-9][0-9]*% \xc2\xb7")
"""The status row once the reader has moved off 0%."""


def query(store_path: Path, sql: str, digest: str):
    if not store_path.exists():
        return None
    connection = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=5)
    try:
        row = connection.execute(sql, (digest,)).fetchone()
    except sqlite3.OperationalError:
        return None  # the schema is not written yet
    finally:
        connection.close()
    return row[0] if row else None


def position(store_path: Path, digest: str) -> int:
    return query(store_path, "SELECT offset FROM positions WHERE doc_hash = ?", digest) or 0


def exited(pid: int):
    done, status = os.waitpid(pid, os.WNOHANG)
    return (status,) if done else None


@pytest.mark.parametrize("how", ["sigterm", "sighup", "terminal-closed", "scrolling-stopped"])
def test_the_reading_position_is_saved_without_q(how):
    store_path = Path(os.environ["MARGIN_STORE"])
    digest = content_hash(ENGLISH_LONG)
    with margin_process_on_pty("--bidi", "app", str(ENGLISH_LONG)) as (pid, fd):
        output = read_until(fd, lambda out: b"Search" in out, 20)
        until(lambda: query(store_path, "SELECT count(*) FROM documents WHERE hash = ?", digest), "the document")
        os.write(fd, b"   ")  # three pages down
        if how == "scrolling-stopped":
            # Neither a key nor a signal: saved a moment after the scrolling stopped.
            until(lambda: position(store_path, digest) > 0, "the position saved after scrolling", 10)
            return
        output = read_until(fd, lambda out: SCROLLED.search(out[-3000:]), 10, output)
        assert SCROLLED.search(output[-3000:]), "the reader did not scroll"
        if how == "terminal-closed":
            os.close(fd)  # the window goes away: the kernel sends SIGHUP
        else:
            os.kill(pid, signal.SIGTERM if how == "sigterm" else signal.SIGHUP)
            output = read_until(fd, lambda _out: False, 8, output)
        (status,) = until(lambda: exited(pid), "the program to exit", 15)
    assert position(store_path, digest) > 0
    assert os.WIFEXITED(status), status
    if how != "terminal-closed":
        tail = output[-4000:]
        assert RESTORE_BIDI in tail and LEAVE_ALT_SCREEN in tail, tail[-400:]
