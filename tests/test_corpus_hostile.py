"""Hostile input at the corpus boundary: odd encodings, odd names, odd files, through the app."""

from __future__ import annotations

import argparse
import os
import socket
import threading
from pathlib import Path

import pytest
from reader_harness import reader_app, screen_lines, settle, synchronous

from tui import cli
from tui.app import MarginApp
from tui.config import Config
from tui.corpus.discover import CorpusError, discover
from tui.corpus.files import NotARegularFile, open_regular
from tui.corpus.identity import content_hash
from tui.corpus.metadata import describe
from tui.corpus.source import SourceError, TextSource
from tui.notes import commands
from tui.notes.store import Store
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen

SIZE = (100, 30)


@pytest.mark.parametrize("name", ["idna", "undefined", "rot13", "base64", "zip"])
@synchronous
async def test_choosing_a_codec_that_is_not_a_text_encoding_changes_nothing(tmp_path: Path, name: str):
    path = tmp_path / "doc.txt"
    path.write_bytes("très bien, ça va\n".encode("cp1252") * 20)
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        source = app.screen.source
        before = screen_lines(app)
        await pilot.press("E", *(["backspace"] * 20), *name, "enter")
        await settle(pilot)
        assert app.screen.source is source
        assert screen_lines(app)[1:-3] == before[1:-3]
        assert any("not a text encoding" in str(n.message) for n in app._notifications)


# -- names that are not UTF-8, through the whole app -----------------------------------------

BAD_NAME = os.fsdecode(b"bad\xff\xfe.txt")


@synchronous
async def test_a_name_that_is_not_utf8_lists_opens_tags_and_exports(tmp_path: Path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    path = folder / BAD_NAME
    path.write_bytes(b"First line of the bad name\nA sentence to tag. Another one.\n")
    (folder / "good.txt").write_text("A good name\n", encoding="utf-8")
    store_path = tmp_path / "notes.sqlite3"
    app = MarginApp(folder, Config(), store_path=store_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        assert set(library._rows) == {path, folder / "good.txt"}
        app.open_document(path)
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        for _ in range(50):
            if reader.document.doc_hash is not None:
                break
            await pilot.pause()
        await pilot.press("s", "1")
        await settle(pilot)
    with Store.open(store_path) as store:
        digest = content_hash(path)
        assert len(store.annotations(digest)) == 1
        assert store.document(digest).path == str(path)
    parser = argparse.ArgumentParser(prog="margin")
    parser.add_argument("--store", type=Path)
    commands.add_subcommands(parser.add_subparsers(dest="command", required=True))
    for fmt in ("jsonl", "csv", "w3c", "md"):
        out = tmp_path / f"export.{fmt}"
        args = parser.parse_args(["--store", str(store_path), "export", "--format", fmt, "-o", str(out)])
        assert args.func(args) == 0
        out.read_text(encoding="utf-8")


# -- special files: never opened, never waited on ---------------------------------------------


def _special_files(folder: Path) -> list[Path]:
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    sock_path = folder / "sock.txt"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    server.close()
    dangling = folder / "dangling.txt"
    dangling.symlink_to(folder / "nowhere.txt")
    device = folder / "zero.txt"
    device.symlink_to("/dev/zero")
    return [fifo, sock_path, dangling, device]


def _within(seconds: float, function, *args):
    """Run ``function`` in a thread; fail (instead of hanging the suite) if it blocks."""
    outcome: list = []

    def run():
        try:
            outcome.append(("value", function(*args)))
        except BaseException as error:  # noqa: BLE001 - reported to the test
            outcome.append(("error", error))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"{function.__name__} blocked on a special file"
    kind, value = outcome[0]
    if kind == "error":
        raise value
    return value


def test_a_folder_skips_and_counts_special_files(tmp_path: Path):
    (tmp_path / "real.txt").write_text("a real document\n", encoding="utf-8")
    specials = _special_files(tmp_path)
    discovery = _within(10, discover, tmp_path)
    assert discovery.documents == [tmp_path / "real.txt"]
    assert discovery.skipped == len(specials)


@pytest.mark.parametrize("kind", ["fifo", "socket", "dangling", "device"])
def test_a_special_file_named_on_purpose_is_refused_at_once(tmp_path: Path, kind: str):
    special = dict(zip(["fifo", "socket", "dangling", "device"], _special_files(tmp_path)))[kind]
    with pytest.raises(CorpusError) as raised:
        _within(10, discover, special)
    assert "\n" not in str(raised.value)
    for reader in (describe, content_hash):
        with pytest.raises(CorpusError):
            _within(10, reader, special)
    with pytest.raises(SourceError):
        _within(10, TextSource.open, special)


@pytest.mark.parametrize("target", ["fifo", "/dev/zero", "/dev/null"])
def test_margin_on_a_special_file_says_one_line_and_exits_2(tmp_path: Path, capsys, target: str):
    if target == "fifo":
        target = str(tmp_path / "pipe")
        os.mkfifo(target)
    assert _within(10, cli.main, [target]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("margin: ") and "not a regular file" in err[0], err


def test_a_file_replaced_by_a_fifo_after_stat_is_still_refused(tmp_path: Path, monkeypatch):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: regular if Path(path) == fifo else real_stat(path, *a, **k))
    with pytest.raises(NotARegularFile):
        _within(10, open_regular, fifo)


@synchronous
async def test_the_library_says_how_many_entries_it_skipped(tmp_path: Path):
    (tmp_path / "real.txt").write_text("a real document\n", encoding="utf-8")
    specials = _special_files(tmp_path)
    app = MarginApp(tmp_path, Config(), store_path=tmp_path / "notes.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#status").render())
        assert f"{len(specials)} skipped" in status, status
