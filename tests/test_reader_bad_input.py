"""Bad and hostile files: the reader says what is wrong and never lets the document drive the terminal."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from reader_harness import margin_on_pty, read_until, reader_app, screen_lines, settle, synchronous
from waiting import pilot_until

SIZE = (100, 30)
C0_C1 = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]}


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@synchronous
async def test_binary_file_gets_a_notice_and_can_be_shown_anyway(tmp_path):
    path = write(tmp_path, "blob.bin", bytes(range(256)) * 64)
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("binary" in line for line in screen_lines(app))
        assert app.screen.view.source.block_count <= 1
        await pilot.press("R")
        await settle(pilot)
        assert app.screen.view.source.block_count > 1
        for line in screen_lines(app):
            assert not (set(line) & C0_C1)


@synchronous
async def test_invalid_bytes_and_legacy_encodings_show_and_say_their_encoding(tmp_path):
    bad = write(tmp_path, "bad.txt", "héllo wörld ".encode() * 10 + b"\xff\xfe\xc3(" + "中文".encode())
    arabic = write(tmp_path, "arabic-1256.txt", "مرحبا بالعالم، هذا نص عربي للتجربة. ".encode("cp1256") * 20)
    for path, encoding in ((bad, "utf-8"), (arabic, "cp1256")):
        app = reader_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            status = screen_lines(app)[-2]
            assert encoding in status, status
            assert app.screen.view.window()


@synchronous
async def test_the_encoding_can_be_changed(tmp_path):
    path = write(tmp_path, "big5.txt", "很多年後，面對已成巨頭的阿裡巴巴。".encode("big5") * 30)
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await pilot.press(*(["backspace"] * 20))
        await pilot.press(*"latin-1", "enter")
        await settle(pilot)
        assert "iso-8859-1" in screen_lines(app)[-2]


@synchronous
async def test_empty_file(tmp_path):
    path = write(tmp_path, "empty.txt", b"")
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("j", "space", "G", "g", "right_curly_bracket", "s", "1", "l", "w"):
            await pilot.press(key)
        assert app.screen.view.cursor == 0


@synchronous
async def test_a_five_megabyte_single_line(tmp_path):
    path = write(tmp_path, "line.txt", ("word مرحبا 中文 " * 400_000).encode())
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        assert view.window()
        await pilot.press("G")
        await settle(pilot)
        assert view.window()[-1][0] == view.pager.last()


@synchronous
async def test_a_file_that_changes_or_vanishes_gets_a_notice_and_reloads(tmp_path):
    path = write(tmp_path, "live.txt", b"first version\n")
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        path.write_bytes(b"second version, longer\n")
        os.utime(path, (time.time() + 5, time.time() + 5))
        await pilot_until(pilot, lambda: notice_shown(app), "the changed-on-disk notice")
        await pilot.press("R")
        await settle(pilot)
        assert app.screen.view.window()[0][1].text().startswith("second")
        assert not notice_shown(app), "reloading answers the notice"
        messages: list[str] = []
        notify = app.notify
        app.notify = lambda message, **options: (messages.append(str(message)), notify(message, **options))[1]
        path.unlink()
        await pilot_until(pilot, lambda: notice_shown(app), "the notice for a vanished file")
        await pilot.press("R")
        await settle(pilot)
        assert [row.text() for _position, row in app.screen.view.window()] == [""]
        assert any("cannot open" in message and str(path) in message for message in messages), messages


def notice_shown(app) -> bool:
    return any("changed on disk" in line for line in screen_lines(app))


@synchronous
async def test_nul_bytes_and_bidi_overrides_are_visible(tmp_path):
    path = write(tmp_path, "tricky.txt", "name\x00x and \u202etxt.exe\u202c end\n".encode())
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # One NUL makes the file look binary: the notice, then R shows it anyway.
        assert any("binary" in line for line in screen_lines(app))
        await pilot.press("R")
        await settle(pilot)
        row = app.screen.view.window()[0][1].text()
        assert "\u2400" in row
        assert "⇐" in row and "\u202e" not in row


HOSTILE = "before\x1b]0;PWNED\x07 \x1b[2J\x1b[31mRED\x1b[0m \x9b31m after\n" * 5


def test_no_escape_sequence_from_the_document_reaches_the_terminal(tmp_path):
    """Run the real program on a pseudo-terminal and scan every byte it writes."""
    path = write(tmp_path, "hostile.txt", HOSTILE.encode())
    with margin_on_pty(str(path)) as fd:
        painted = (b"after", "\u241b".encode(), b"Search")
        output = read_until(fd, lambda out: all(part in out.replace(b"\x1b", b"") for part in painted), 20)
        os.write(fd, b"\x11")  # ctrl+q
        output = read_until(fd, lambda _out: False, 5, output)
    assert b"after" in output, output[-2000:]
    assert b"PWNED\x07" not in output
    assert b"\x1b]0;PWNED" not in output
    assert b"\x1b[31mRED" not in output
    assert b"\xc2\x9b31m" not in output
    # The symbols are what the reader sees instead.
    assert "␛".encode() in output


@synchronous
async def test_end_and_search_while_a_big_file_is_still_indexing(tmp_path, monkeypatch):
    from tui.corpus import source as source_module

    # Indexing waits until both keys are in, so they always arrive while it is under way.
    keys_in = threading.Event()
    index_step = source_module.TextSource.index_step

    def index_step_after_the_keys(self, *args, **kwargs):
        keys_in.wait(20)
        return index_step(self, *args, **kwargs)

    monkeypatch.setattr(source_module.TextSource, "index_step", index_step_after_the_keys)
    # A search worker indexes as it reads and may finish the index at any time; what must not
    # happen is the keys themselves indexing to the end on the UI thread.
    index_batch = source_module.TextSource._index_batch
    finished_by_the_keys: list[bool] = []

    def index_batch_recorded(self, *args, **kwargs):
        index_batch(self, *args, **kwargs)
        if self.complete and threading.current_thread() is threading.main_thread() and not keys_in.is_set():
            finished_by_the_keys.append(True)

    monkeypatch.setattr(source_module.TextSource, "_index_batch", index_batch_recorded)

    lines = [f"line {n} of a long file with a word in it" for n in range(400_000)]
    lines[-1] = "THE LAST LINE"
    path = write(tmp_path, "big.txt", "\n".join(lines).encode())
    assert path.stat().st_size > source_module.LAZY_THRESHOLD
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.source.complete
        await pilot.press("G", "slash", *"last line", "enter")
        assert not finished_by_the_keys
        keys_in.set()
        await pilot_until(
            pilot, lambda: screen.source.complete and screen.search.running is None, "indexing and search to finish", 20
        )
        await settle(pilot)
        view = screen.view
        assert any(row.text().startswith("THE LAST LINE") for _p, row in view.window())
        assert len(view.hits) == 1
        text_end = screen.source.length
        assert view.hits[0] == (text_end - len("LAST LINE"), text_end)
