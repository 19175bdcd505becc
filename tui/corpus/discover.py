"""Finding the documents of a corpus: every text-like file under a folder, in a stable order.

A corpus folder is often a checkout or a download directory, so discovery skips what is
never reading matter (hidden entries, VCS and build folders), judges each file by its
suffix and by a sniff of its first bytes, and treats anything it cannot read as absent.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator
from pathlib import Path

from tui.text.decode import decode

TEXT_SUFFIXES = frozenset(
    {
        "", ".txt", ".text", ".md", ".markdown", ".rst", ".org", ".adoc", ".tex",
        ".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".xml", ".html", ".htm", ".xhtml",
        ".srt", ".vtt", ".ass", ".ssa", ".sub", ".lrc", ".log", ".yaml", ".yml", ".toml",
        ".ini", ".cfg", ".conf",
    }
)
SKIPPED_DIRECTORIES = frozenset({".git", "__pycache__", "node_modules"})
SNIFF_BYTES = 8192
WIDE_UNICODE_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
"""UTF-16 and UTF-32 byte order marks (UTF-32 LE begins with the UTF-16 LE mark)."""


class CorpusError(Exception):
    """A corpus problem the user can act on, worded as one line fit for a status bar."""


def discover(root: Path) -> list[Path]:
    """Every text-like document under ``root`` (or ``root`` itself if it is a file), sorted."""
    if not os.path.lexists(root):
        raise CorpusError(f"no such file or folder: {root}")
    if not root.exists():
        raise CorpusError(f"broken link: {root}")
    if not root.is_dir():
        # A file named on purpose is opened even if it looks binary: the reader says so
        # and offers to show it anyway. It only has to be readable.
        try:
            with open(root, "rb") as stream:
                stream.read(1)
        except OSError as error:
            raise CorpusError(f"cannot read {root}: {error.strerror or error}") from None
        return [root]
    found = sorted(path for path in _walk(root, set()) if _has_text_suffix(path) and looks_like_text(path))
    if not found:
        raise CorpusError(f"no text documents in {root}")
    return found


def looks_like_text(path: Path) -> bool:
    """Whether the first bytes of a file read as text; an unreadable file does not.

    NUL bytes disqualify a file unless a UTF-16/32 byte order mark explains them: guessing
    BOM-less UTF-16 is right for a decoder told the file is text, too generous for a scan.
    """
    try:
        with open(path, "rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError:
        return False
    if b"\x00" in head and not head.startswith(WIDE_UNICODE_MARKS):
        return False
    return not decode(head).binary


def _has_text_suffix(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES


def _walk(directory: Path, visited: set[tuple[int, int]]) -> Iterator[Path]:
    """Files below ``directory``, following symlinks but entering each real folder once."""
    try:
        status = directory.stat()
    except OSError:
        return
    identity = (status.st_dev, status.st_ino)
    if identity in visited:
        return
    visited.add(identity)
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIPPED_DIRECTORIES:
            continue
        path = directory / entry.name
        try:
            if entry.is_dir():
                yield from _walk(path, visited)
            elif entry.is_file():
                yield path
        except OSError:
            continue
