"""The reader on a team's PostgreSQL store: another annotator's tags arrive live, and a lost
server says "notes offline" and counts the changes waiting, never showing a password."""

from __future__ import annotations

from pathlib import Path

import pytest
from postgres_server import ANNOTATORS, PASSWORD
from reader_harness import ENGLISH, reader_app, settle, synchronous
from waiting import pilot_until

from tui.corpus.identity import content_hash
from tui.notes.postgres.store import PostgresStore
from tui.screens.layer_picker import LayerPicker
from tui.screens.tag_picker import TagPicker
from tui.text.decode import decode

SIZE = (100, 30)


@pytest.fixture
def server_database(postgres_server):
    database = postgres_server.new_database()
    yield postgres_server, database
    if not (postgres_server.data / "postmaster.pid").exists():
        postgres_server.start()


def status_line(app) -> str:
    return str(app.screen.query_one("#status").render())


@synchronous
async def _live(server, database):
    text = decode(ENGLISH.read_bytes()).text
    digest = content_hash(ENGLISH)
    app = reader_app(ENGLISH, store_path=server.tcp_url(database, ANNOTATORS[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert app.annotator == ANNOTATORS[0]
        await pilot_until(pilot, lambda: screen.session.doc_hash, "the document identified")
        await pilot.press("L")
        await pilot_until(pilot, lambda: isinstance(app.screen, LayerPicker), "the layer picker")
        await pilot.press("a")
        screen.view.set_cursor(40)
        cursor, top = screen.view.cursor, screen.view.top_offset
        with PostgresStore.open(server.tcp_url(database, ANNOTATORS[1])) as other:
            other.add_annotation(digest, text, 0, 10, ["evidence"])
            other.create_tag("from-b", "#abcdef")
        await pilot_until(
            pilot, lambda: [a.annotator for a in screen.session.annotations] == [ANNOTATORS[1]], "B's annotation live"
        )
        await pilot_until(pilot, lambda: any(t.name == "from-b" for t in screen.session.tags), "B's new tag live")
        assert (screen.view.cursor, screen.view.top_offset) == (cursor, top)
        # B's annotation is not mine: deleting it is refused, and it stays on the server.
        screen.view.set_cursor(2)
        await pilot.press("D")
        await settle(pilot)
        with PostgresStore.open(server.tcp_url(database, ANNOTATORS[1])) as other:
            assert len(other.annotations(digest)) == 1


def test_another_annotators_tags_arrive_live(server_database):
    _live(*server_database)


@synchronous
async def _offline(server, database, journal_dir: Path):
    server.stop()
    app = reader_app(ENGLISH, store_path=server.tcp_url(database, ANNOTATORS[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot_until(pilot, lambda: "offline" in status_line(app) or "reconnecting" in status_line(app), "notes offline")
        assert PASSWORD not in status_line(app)
        await pilot_until(pilot, lambda: screen.session.doc_hash, "the document identified")
        screen.view.set_cursor(0)
        await pilot.press("s", "t")
        await pilot_until(pilot, lambda: isinstance(app.screen, TagPicker), "the tag picker")
        await pilot.press(*"offline-tag", "enter")
        await pilot_until(pilot, lambda: "waiting" in status_line(app), "changes waiting in the status line")
        assert [a.tags for a in screen.session.annotations] == [("offline-tag",)]
        assert PASSWORD not in status_line(app)
        server.start()
        app.store.retry_now()
        await pilot_until(pilot, lambda: "waiting" not in status_line(app), "the journal replayed", timeout=30)
    with PostgresStore.open(server.tcp_url(database, ANNOTATORS[0])) as store:
        assert [a.tags for a in store.annotations(content_hash(ENGLISH))] == [("offline-tag",)]


def test_notes_offline_then_changes_waiting_then_replayed(server_database, tmp_path):
    _offline(*server_database, tmp_path)
