"""One source protocol: every source the reader can be given offers all of it."""

from __future__ import annotations

import pytest

import tui.text.pager as pager
from tui.corpus.document import DocumentSource, MemorySource
from tui.corpus.lazy_text import LazyText
from tui.corpus.source import TextSource
from tui.locations import seeds_dir
from tui.text.pager import Block, Blocks

SEED = sorted(seeds_dir().glob("*.txt"))[1]


def protocol_members(protocol: type) -> set[str]:
    return {
        name
        for klass in protocol.__mro__
        if klass not in (object,) and getattr(klass, "_is_protocol", False)
        for name in vars(klass)
        if not name.startswith("_")
    }


def test_the_protocol_names_everything_the_reader_uses():
    assert protocol_members(DocumentSource) >= {
        "block_count", "block", "block_at", "length", "text", "complete", "progress",
        "index_step", "encoding", "binary", "changed", "close",
    }


@pytest.mark.parametrize("make", [lambda: TextSource.open(SEED), lambda: MemorySource("one\ntwo\n")], ids=["file", "memory"])
def test_every_source_offers_the_whole_protocol(make):
    source = make()
    missing = {name for name in protocol_members(DocumentSource) if not hasattr(source, name)}
    assert not missing
    assert isinstance(source.block(0), Block)
    assert source.index_step() == source.progress == 1.0 or not source.complete
    source.close()


def test_the_engine_knows_only_blocks():
    assert protocol_members(Blocks) == {"block_count", "block", "block_at"}
    for concern in ("TextBlocks", "TextBlock", "BlockSource"):
        assert not hasattr(pager, concern)


def test_memory_source_serves_lines_as_blocks_and_slices():
    source = MemorySource("alpha\n\nبيت\n")
    assert [source.block(i) for i in range(source.block_count)] == [
        Block(0, "alpha"), Block(6, ""), Block(7, "بيت"), Block(11, ""),
    ]
    assert source.block_at(8) == 2 and source.block_at(6) == 1
    assert LazyText(source)[7:10] == "بيت" and len(LazyText(source)) == 11
