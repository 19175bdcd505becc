"""Notes survive a killed app, a damaged store and a store that cannot be written."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from reader_harness import (
    ARABIC,
    ENGLISH,
    margin_on_pty,
    read_until,
    reader_app,
    settle,
    synchronous,
)
from waiting import until

from tui.corpus.identity import content_hash
from tui.locations import default_store
from tui.notes.store import Store

SIZE = (100, 30)


def stored(path: Path, query: str, *parameters) -> int:
    """A count read from the store by another connection, as a second process would see it."""
    if not path.exists():
        return 0
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return connection.execute(query, parameters).fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # the schema is not written yet
    finally:
        connection.close()


def test_sigkill_right_after_tagging_loses_nothing(tmp_path):
    """The real program on a pseudo-terminal: tag three sentences, then SIGKILL at once."""
    store_path = Path(os.environ["MARGIN_STORE"])
    digest = content_hash(ENGLISH)
    with margin_on_pty(str(ENGLISH)) as fd:
        read_until(fd, lambda out: b"Search" in out, 20)
        # Tagging waits for the document's identity, which a worker registers in the store.
        until(lambda: stored(store_path, "SELECT count(*) FROM documents WHERE hash = ?", digest), "the document")
        os.write(fd, b"s1)s2)s3")
        # SIGKILL (leaving the block) as soon as the third tag is committed, mid-session.
        until(lambda: stored(store_path, "SELECT count(*) FROM annotations WHERE doc_hash = ?", digest) >= 3, "3 tags")
    with Store.open(store_path) as store:
        annotations = store.annotations(content_hash(ENGLISH))
        assert len(annotations) == 3
        assert store.integrity_check() == "ok"


@synchronous
async def test_a_damaged_store_is_kept_aside_and_the_reader_still_opens(tmp_path):
    store_path = default_store()
    store_path.parent.mkdir(parents=True, exist_ok=True)
    garbage = b"this is not a database\x00" * 100
    store_path.write_bytes(garbage)
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.view.window()
        # A new store works: tagging goes on.
        await pilot.press("s", "1")
        await settle(pilot)
        assert len(app.screen.session.annotations) == 1
        assert app.store_notice and "damaged" in app.store_notice.lower()
    aside = [p for p in store_path.parent.iterdir() if ".damaged" in p.name]
    assert len(aside) == 1
    assert aside[0].read_bytes() == garbage


@synchronous
async def test_a_store_that_cannot_be_written_leaves_reading_working(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the store's folder should be")
    monkeypatch.setenv("MARGIN_STORE", str(blocker / "notes.sqlite3"))
    app = reader_app(ENGLISH)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.store is None
        assert app.store_notice
        await pilot.press("space", "s", "1")
        await settle(pilot)
        assert app.screen.view.top_offset > 0
        assert app.screen.session.annotations == []
