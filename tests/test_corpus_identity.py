"""A document's identity is the SHA-256 of its bytes, however it is read."""

from __future__ import annotations

import hashlib
import random

import pytest

from tui.corpus.discover import CorpusError
from tui.corpus.identity import BLOCK_SIZE, content_hash, text_hash
from tui.locations import seeds_dir


@pytest.mark.parametrize("seed", sorted(seeds_dir().glob("*.txt")), ids=lambda path: path.name[:3])
def test_seed_hash_is_sha256_of_its_bytes(seed):
    data = seed.read_bytes()
    assert content_hash(seed) == text_hash(data) == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("size", [0, 1, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 2 * BLOCK_SIZE + 7])
def test_streamed_hash_matches_in_memory_hash_across_block_edges(tmp_path, size):
    data = random.Random(size).randbytes(size)
    path = tmp_path / "data.txt"
    path.write_bytes(data)
    assert content_hash(path) == text_hash(data) == hashlib.sha256(data).hexdigest()


def test_one_changed_byte_changes_the_identity():
    data = (seeds_dir() / "001_8fee35915be30630.txt").read_bytes()
    assert text_hash(data) != text_hash(data[:-1] + bytes([data[-1] ^ 1]))


@pytest.mark.parametrize("kind", ["missing", "dangling link", "directory"])
def test_unreadable_path_raises_corpus_error(tmp_path, kind):
    path = tmp_path / "x.txt"
    if kind == "dangling link":
        path.symlink_to(tmp_path / "nowhere")
    elif kind == "directory":
        path.mkdir()
    with pytest.raises(CorpusError, match="cannot read .*x.txt"):
        content_hash(path)
