"""TextSource serves exactly decode()'s logical text, whichever way the file is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.corpus.source import BinaryDocumentError, SourceError, TextSource
from tui.locations import seeds_dir
from tui.text.decode import decode
from tui.text.graphemes import grapheme_boundaries
from tui.text.pager import Block

TEXT_PIECES = [
    "word", " ", "  ", "ਪ੍ਰਕਾਸ਼", "ਕਿਵੇਂ", "مرحبا", "لا", "中文", "。", "𠀋", "e\u0301",
    "🇺🇸", "👨\u200d👩\u200d👧", "\ufffd", "\ufeff", "\t", "x" * 40, "ab cd " * 8,
]
INVALID_BYTES = [b"\xff", b"\x80", b"\xe2\x82", b"\xf0\x90\x80", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf"]
LINE_BREAKS = [b"\n", b"\r\n", b"\r"]
LONGEST_TEST_CLUSTER = 8

fragment = st.one_of(
    st.sampled_from(TEXT_PIECES).map(str.encode),
    st.sampled_from(INVALID_BYTES),
    st.sampled_from(LINE_BREAKS),
)
documents = st.tuples(st.booleans(), st.lists(fragment, max_size=60)).map(
    lambda marked: (b"\xef\xbb\xbf" if marked[0] else b"") + b"".join(marked[1])
)

@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("sources")


def all_blocks(source: TextSource) -> list[Block]:
    blocks = []
    while True:
        try:
            blocks.append(source.block(len(blocks)))
        except IndexError:
            return blocks


def rejoin(blocks: list[Block]) -> str:
    return "".join(block.text + ("\n" if block.paragraph_end else "") for block in blocks)[:-1]


def check_agreement(source: TextSource, expected: str, limit: int) -> None:
    blocks = all_blocks(source)
    assert source.complete
    assert source.length == len(expected)
    assert rejoin(blocks) == expected
    assert sum(block.paragraph_end for block in blocks) == expected.count("\n") + 1
    for index, block in enumerate(blocks):
        end = block.start + len(block.text)
        assert expected[block.start : end] == block.text
        assert source.text(block.start, end) == block.text
        assert source.block_at(block.start) == index
        assert source.block_at(end) == index + (not block.paragraph_end)
        assert block.paragraph_start == (index == 0 or blocks[index - 1].paragraph_end)
        assert len(block.text) <= limit
        assert "\n" not in block.text and "\r" not in block.text


def cut_positions_are_grapheme_boundaries(blocks: list[Block], expected: str) -> None:
    line_start = 0
    for block in blocks:
        if block.paragraph_start:
            line_start = block.start
        if not block.paragraph_end:
            line_end = expected.find("\n", line_start)
            line = expected[line_start : len(expected) if line_end < 0 else line_end]
            cut = block.start + len(block.text) - line_start
            assert cut in grapheme_boundaries(line), (line, cut)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=documents,
    limit=st.integers(LONGEST_TEST_CLUSTER, 48),
    batch=st.integers(1, 64),
    reads=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 60)), max_size=6),
)
def test_lazy_utf8_offsets_agree_with_decode(scratch, data, limit, batch, reads):
    path = scratch / "lazy.txt"
    path.write_bytes(data)
    expected = decode(data, "utf-8").text
    with TextSource.open(
        path, encoding="utf-8", lazy_threshold=0, max_block_chars=limit, batch_bytes=batch
    ) as source:
        for start, length in reads:
            assert source.text(start, start + length) == expected[start : start + length]
        while source.index_step(batch) < 1:
            pass
        check_agreement(source, expected, limit)
        cut_positions_are_grapheme_boundaries(all_blocks(source), expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=documents, limit=st.integers(1, 48), lazy=st.booleans())
def test_sniffed_encoding_offsets_agree_with_decode(scratch, data, limit, lazy):
    path = scratch / "sniffed.txt"
    path.write_bytes(data)
    expected = decode(data).text
    with TextSource.open(
        path, force_text=True, lazy_threshold=0 if lazy else 1 << 30, max_block_chars=limit, batch_bytes=7
    ) as source:
        assert source.encoding == decode(data).encoding
        check_agreement(source, expected, limit)


@pytest.mark.parametrize("lazy_threshold", [0, 1 << 30], ids=["lazy", "in-memory"])
@pytest.mark.parametrize("seed", sorted(seeds_dir().glob("*.txt")), ids=lambda path: path.name[:3])
def test_seeds_read_back_whole(seed, lazy_threshold):
    expected = decode(seed.read_bytes()).text
    with TextSource.open(seed, lazy_threshold=lazy_threshold, max_block_chars=300, batch_bytes=4096) as source:
        check_agreement(source, expected, 300)


def test_long_line_is_cut_after_a_space_near_the_limit(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("alpha beta gamma delta epsilon " * 400, encoding="utf-8")
    with TextSource.open(path, lazy_threshold=0, max_block_chars=4096) as source:
        blocks = all_blocks(source)
    assert [block.paragraph_end for block in blocks] == [False] * (len(blocks) - 1) + [True]
    assert all(block.text.endswith(" ") for block in blocks[:-1])
    assert all(4096 - 512 <= len(block.text) <= 4096 for block in blocks[:-1])


def test_line_without_spaces_is_cut_between_clusters(tmp_path):
    path = tmp_path / "conjuncts.txt"
    path.write_text("ਪ੍ਰ" * 50, encoding="utf-8")
    with TextSource.open(path, lazy_threshold=0, max_block_chars=10, batch_bytes=16) as source:
        blocks = all_blocks(source)
    assert [block.text for block in blocks] == ["ਪ੍ਰ" * 3] * 16 + ["ਪ੍ਰ" * 2]


def test_progress_grows_to_one_in_batches(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_bytes(b"line\r\n" * 1000)
    source = TextSource.open(path, lazy_threshold=0, batch_bytes=600)
    steps = [source.progress]
    while not source.complete:
        steps.append(source.index_step(600))
    assert steps == [step / 10 for step in range(1, 11)]
    assert source.block_count == 1001 and source.length == 5000


def test_opening_indexes_one_batch_only(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 100 + b"\n" + b"y" * 200_000)
    source = TextSource.open(path, lazy_threshold=0, batch_bytes=1000)
    assert source.block_count == 1 and not source.complete
    assert source.block(0).text == "x" * 100
    assert source.progress == 101 / len(path.read_bytes())


def test_binary_file_needs_force_text(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(BinaryDocumentError, match="binary"):
        TextSource.open(path)
    with TextSource.open(path, force_text=True) as source:
        assert source.binary
        assert source.text(0, 10**9) == decode(path.read_bytes()).text


@pytest.mark.parametrize("kind", ["missing", "dangling link", "directory"])
def test_unreadable_paths_raise_source_error(tmp_path, kind):
    path = tmp_path / "x.txt"
    if kind == "dangling link":
        path.symlink_to(tmp_path / "nowhere")
    elif kind == "directory":
        path.mkdir()
    with pytest.raises(SourceError, match="x.txt"):
        TextSource.open(path)


def test_change_on_disk_is_noticed_and_reported(tmp_path):
    path = tmp_path / "log.txt"
    path.write_bytes(b"0123456789\n" * 10_000)
    source = TextSource.open(path, lazy_threshold=0, batch_bytes=1000)
    assert source.block(0).text == "0123456789" and not source.changed()
    with open(path, "r+b") as stream:
        stream.truncate(500)
    assert source.changed()
    with pytest.raises(SourceError, match="changed on disk"):
        source.block(9_000)
    path.unlink()
    assert source.changed()


def test_in_memory_for_legacy_encodings(tmp_path):
    path = tmp_path / "gb.txt"
    text = "中文的文本。\n第二行"
    path.write_bytes(text.encode("gb18030") * 50)
    with TextSource.open(path, lazy_threshold=0) as source:
        assert source.encoding == decode(path.read_bytes()).encoding != "utf-8"
        assert source.text(0, 10**9) == decode(path.read_bytes()).text


def test_flags_are_cut_between_pairs_wherever_the_window_starts(tmp_path):
    path = tmp_path / "flags.txt"
    path.write_text("🇺🇸" * 100, encoding="utf-8")
    with TextSource.open(path, lazy_threshold=0, max_block_chars=42) as source:
        blocks = all_blocks(source)
    assert rejoin(blocks) == "🇺🇸" * 100
    assert all(len(block.text) % 2 == 0 for block in blocks), [len(block.text) for block in blocks]


def test_a_line_longer_than_the_batch_is_indexed_piece_by_piece(tmp_path):
    path = tmp_path / "one-line.txt"
    path.write_text("ਸਤਿ ਸ੍ਰੀ ਅਕਾਲ " * 20_000, encoding="utf-8")
    with TextSource.open(path, lazy_threshold=0, max_block_chars=100, batch_bytes=4096) as source:
        assert 0 < source.progress < 0.01 and source.block_count > 5
        assert all(not source.block(index).paragraph_end for index in range(source.block_count))
        assert source.text(0, 10**9) == path.read_text(encoding="utf-8")


def test_character_cut_by_the_sniff_does_not_change_the_encoding(tmp_path):
    path = tmp_path / "ascii-then-accent.txt"
    data = b"a" * 65535 + "é".encode() + b"\nmore\n"
    path.write_bytes(data)
    with TextSource.open(path, lazy_threshold=0, batch_bytes=1 << 14) as source:
        assert source.encoding == "utf-8" and not source.complete
        assert source.text(65530, 65540) == decode(data).text[65530:65540]


BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("encoding", [None, "utf-8"])
@pytest.mark.parametrize(
    "data",
    [b"", BOM, BOM + BOM, BOM + b"text", BOM + BOM + b"x\r\ny", b"x" + BOM, BOM + b"\r\n" + BOM],
)
def test_byte_order_marks_are_dropped_as_decode_drops_them(tmp_path, data, encoding):
    path = tmp_path / "marked.txt"
    path.write_bytes(data)
    with TextSource.open(path, encoding, lazy_threshold=0, batch_bytes=2) as source:
        assert source.text(0, 100) == decode(data, encoding).text
        assert rejoin(all_blocks(source)) == decode(data, encoding).text


def test_unknown_encoding_is_a_source_error(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_bytes(b"text\n")
    with pytest.raises(SourceError, match="unknown encoding: klingon-8"):
        TextSource.open(path, "klingon-8")


@pytest.mark.parametrize("name", ["idna", "undefined", "rot13", "base64", "no-such-codec"])
def test_an_encoding_that_is_not_a_text_encoding_is_refused_cleanly(tmp_path, name):
    path = tmp_path / "doc.txt"
    path.write_bytes("caf\u00e9 \xff\n".encode("latin-1"))
    with pytest.raises(SourceError, match="encoding"):
        TextSource.open(path, encoding=name)


def test_the_first_screen_of_a_huge_file_decodes_little_of_it(scratch):
    line = ("A line of a huge file, مرحبا, 中文 and ਪ੍ਰਕਾਸ਼ to fill it. " * 3).encode() + b"\n"
    path = scratch / "huge.txt"
    path.write_bytes(line * ((4 << 20) // len(line)))
    with TextSource.open(path, lazy_threshold=0) as source:
        shown = [source.block(index) for index in range(60)]
        assert shown[59].text.startswith("A line")
        assert source.progress * source.size <= 1 << 16
