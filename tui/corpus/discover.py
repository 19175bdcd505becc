"""Finding the documents of a corpus: every text-like file under a folder, in a stable order.

A corpus folder is often a checkout or a download directory, so discovery skips what is
never reading matter (hidden entries, VCS and build folders), judges each file by its
suffix and by a sniff of its first bytes, and never opens anything but a regular file:
FIFOs, sockets, devices, broken links and unreadable files are counted as skipped.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tui.corpus.files import open_regular
from tui.corpus.names import display_path
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
"""Bytes read to tell text from binary while scanning a folder."""
WIDE_UNICODE_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
"""UTF-16 and UTF-32 byte order marks (UTF-32 LE begins with the UTF-16 LE mark)."""


class CorpusError(Exception):
    """A corpus problem the user can act on, worded as one line fit for a status bar."""


@dataclass(frozen=True, slots=True)
class Discovery:
    """The documents found, sorted, and how many entries could not be documents."""

    documents: list[Path]
    skipped: int = 0
    """FIFOs, sockets, devices and broken links anywhere below, and text-like files that
    could not be read: named so the user knows the list is not the whole folder."""


def discover(root: Path) -> Discovery:
    """Every text-like document under ``root`` (or ``root`` itself if it is a file)."""
    if not os.path.lexists(root):
        raise CorpusError(f"no such file or folder: {display_path(root)}")
    try:
        mode = os.stat(root).st_mode
    except FileNotFoundError:
        raise CorpusError(f"broken link: {display_path(root)}") from None
    except OSError as error:
        raise CorpusError(f"cannot open {display_path(root)}: {_reason(error)}") from None
    if stat.S_ISDIR(mode):
        skipped: list[Path] = []
        candidates = [path for path in _walk(root, set(), skipped) if _has_text_suffix(path)]
        found = []
        for path in candidates:
            verdict = _sniff(path)
            if verdict is None:
                skipped.append(path)
            elif verdict:
                found.append(path)
        if not found:
            raise CorpusError(f"no text documents in {display_path(root)}")
        return Discovery(sorted(found), len(skipped))
    # A file named on purpose is opened even if it looks binary: the reader says so and
    # offers to show it anyway. It only has to be a readable regular file.
    try:
        with open_regular(root) as stream:
            stream.read(1)
    except OSError as error:
        raise CorpusError(f"cannot open {display_path(root)}: {_reason(error)}") from None
    return Discovery([root])


def looks_like_text(path: Path) -> bool:
    """Whether the first bytes of a regular file read as text; anything unreadable does not."""
    return bool(_sniff(path))


def _sniff(path: Path) -> bool | None:
    """Whether a file reads as text, or None if it cannot be read (or is not a file).

    NUL bytes disqualify a file unless a UTF-16/32 byte order mark explains them: guessing
    BOM-less UTF-16 is right for a decoder told the file is text, too generous for a scan.
    """
    try:
        with open_regular(path) as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError:
        return None
    if b"\x00" in head and not head.startswith(WIDE_UNICODE_MARKS):
        return False
    return not decode(head).binary


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _has_text_suffix(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES


def _walk(directory: Path, visited: set[tuple[int, int]], skipped: list[Path]) -> Iterator[Path]:
    """Regular files below ``directory``, following symlinks but entering each real folder
    once (a link back up is a loop, not more documents); special files go to ``skipped``."""
    try:
        status = directory.stat()
    except OSError:
        skipped.append(directory)
        return
    identity = (status.st_dev, status.st_ino)
    if identity in visited:
        return
    visited.add(identity)
    try:
        with os.scandir(directory) as listing:
            entries = list(listing)
    except OSError:
        skipped.append(directory)
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIPPED_DIRECTORIES:
            continue
        path = directory / entry.name
        try:
            mode = entry.stat().st_mode
        except OSError:
            skipped.append(path)
            continue
        if stat.S_ISDIR(mode):
            yield from _walk(path, visited, skipped)
        elif stat.S_ISREG(mode):
            yield path
        else:
            skipped.append(path)


