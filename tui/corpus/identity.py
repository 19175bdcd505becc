"""Content identity: a document is known by its bytes, not by its name or place.

Annotations are anchored to a hash so that a renamed or moved file keeps its notes and a
file edited behind Margin's back is noticed. Hashing comes after the first screen, so
``hashlib`` is imported when a hash is first asked for.
"""

from __future__ import annotations

from pathlib import Path

from tui.corpus.discover import CorpusError
from tui.corpus.files import open_regular
from tui.corpus.names import display_path

BLOCK_SIZE = 1 << 20


def content_hash(path: Path) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB blocks so huge files never sit in memory."""
    import hashlib

    digest = hashlib.sha256()
    try:
        with open_regular(path) as stream:
            while block := stream.read(BLOCK_SIZE):
                digest.update(block)
    except OSError as error:
        raise CorpusError(f"cannot read {display_path(path)}: {error.strerror or error}") from error
    return digest.hexdigest()


def text_hash(data: bytes) -> str:
    """The same digest for bytes already in memory, so both routes name a document alike."""
    import hashlib

    return hashlib.sha256(data).hexdigest()
