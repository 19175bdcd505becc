"""A document's logical text, read lazily so a 100 MB file opens at once.

The logical text is exactly ``decode(data).text``: lines joined by LF, whatever the file's
line endings. The reader serves it as *blocks*, the unit the layout engine treats as one
bidi paragraph: a line, or a piece of a line too long to lay out in one go.

Small files and legacy encodings are decoded whole. Large UTF-8 files are scanned in
batches (the shape of Textualize toolong's ``log_file.py``): each batch finds the line
breaks of a few MiB and records, per block, its byte and code point offsets in compact
arrays; block text is read back on demand and kept in a small LRU cache. Ranges are read
with ordinary file reads rather than through an mmap, because touching an mmap of a file
that another program truncated kills the process with SIGBUS, while a short read can be
reported as a ``SourceError`` and offered as a reload.
"""

from __future__ import annotations

import codecs
import os
import re
import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from typing import BinaryIO

from tui.corpus.cuts import long_line_cuts
from tui.corpus.files import open_regular
from tui.corpus.names import display_path
from tui.corpus.utf8 import is_utf8, removed_marks, utf8_span, whole_utf8_characters
from tui.text.decode import NotATextEncoding, decode, text_encoding
from tui.text.pager import Block

MAX_BLOCK_CHARS = 4096
"""Longest block; longer lines are cut (at a space near the limit when there is one)."""
LAZY_THRESHOLD = 8 << 20
"""Files at least this large, and in UTF-8, are indexed lazily instead of decoded whole."""
INDEX_BATCH_BYTES = 4 << 20
"""Bytes scanned per ``index_step`` by default."""
ON_DEMAND_BATCH_BYTES = 1 << 16
"""Bytes scanned at a time when a read reaches past the index: small, so the first screen
of a huge file decodes about a screenful, not megabytes (the worker indexes the rest)."""
SNIFF_BYTES = 65536
"""Head of a large file decoded to choose its encoding before it is indexed lazily."""
BLOCK_CACHE_SIZE = 512
"""Decoded blocks of a lazily indexed file kept in memory (a few screens either way)."""
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_LINE_BREAK_TEXT = re.compile(r"\r\n|\r|\n")
_UTF8_BOM = b"\xef\xbb\xbf"


class SourceError(Exception):
    """Reading a document failed; the message is one line fit for a status bar."""


class BinaryDocumentError(SourceError):
    """The file looks binary; opening it again with ``force_text=True`` shows it anyway."""


class TextSource:
    """The logical text of one document, indexed into blocks as it is scanned."""

    def __init__(
        self,
        path: Path,
        encoding: str,
        binary: bool,
        size: int,
        stamp: tuple[int, int],
        max_block_chars: int,
        batch_bytes: int,
    ) -> None:
        self.path = path
        self.encoding = encoding
        self.binary = binary
        self.size = size
        self._stamp = stamp
        self._max_block_chars = max_block_chars
        self._batch_bytes = batch_bytes
        self._lock = threading.RLock()
        self._cp_starts = array("q")
        self._byte_starts = array("q")
        self._ends_paragraph = bytearray()
        self._next_cp = 0
        self._next_byte = 0
        self._complete = False
        self._text: str | None = None
        self._stream: BinaryIO | None = None
        self._cache: OrderedDict[int, str] = OrderedDict()

    @classmethod
    def open(
        cls,
        path: Path,
        encoding: str | None = None,
        force_text: bool = False,
        *,
        max_block_chars: int = MAX_BLOCK_CHARS,
        lazy_threshold: int = LAZY_THRESHOLD,
        batch_bytes: int = ON_DEMAND_BATCH_BYTES,
    ) -> TextSource:
        """Open ``path``; of a large UTF-8 file only the first ``batch_bytes`` are indexed
        here, the rest by ``index_step`` or, ``batch_bytes`` at a time, by reads that need it.

        Raises SourceError for unreadable files, and BinaryDocumentError for binary files
        unless ``force_text``.
        """
        if max_block_chars < 1 or batch_bytes < 1:
            raise ValueError("max_block_chars and batch_bytes must be positive")
        if encoding is not None:
            try:
                encoding = text_encoding(encoding)
            except NotATextEncoding as error:
                raise SourceError(str(error)) from None
        try:
            stream = open_regular(path)
        except OSError as error:
            raise SourceError(f"cannot open {display_path(path)}: {error.strerror or error}") from error
        try:
            status = os.fstat(stream.fileno())
            head = stream.read(SNIFF_BYTES) if status.st_size >= lazy_threshold else b""
            if len(head) < status.st_size:
                head = whole_utf8_characters(head)
            sniffed = decode(head, encoding) if head else None
            lazy = sniffed is not None and is_utf8(encoding or sniffed.encoding)
            if not lazy:
                stream.seek(0)
                data = stream.read()
        except OSError as error:
            stream.close()
            raise SourceError(f"cannot read {display_path(path)}: {error.strerror or error}") from error
        stamp = (status.st_size, status.st_mtime_ns)
        if lazy:
            source = cls(
                path, sniffed.encoding, sniffed.binary, status.st_size, stamp, max_block_chars, batch_bytes
            )
            source._start_lazy(stream, removed_marks(head, sniffed.text) * len(_UTF8_BOM))
        else:
            stream.close()
            decoded = decode(data, encoding)
            source = cls(
                path, decoded.encoding, decoded.binary, len(data), stamp, max_block_chars, batch_bytes
            )
            source._start_in_memory(decoded.text)
        if source.binary and not force_text:
            source.close()
            raise BinaryDocumentError(f"{display_path(path)} looks like a binary file")
        source.index_step(batch_bytes)
        return source

    def __enter__(self) -> TextSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def block_count(self) -> int:
        """Blocks indexed so far; grows while indexing runs."""
        return len(self._cp_starts)

    @property
    def complete(self) -> bool:
        """Whether the whole file is indexed, so ``length`` and ``block_count`` are final."""
        return self._complete

    @property
    def progress(self) -> float:
        """Share of the file's bytes indexed, 0..1."""
        if self._complete or not self.size:
            return 1.0
        return self._next_byte / self.size

    @property
    def length(self) -> int:
        """Length of the logical text; a lower bound until indexing is complete."""
        return self._next_cp

    def index_step(self, max_bytes: int = INDEX_BATCH_BYTES) -> float:
        """Index about ``max_bytes`` more of the file and return the share indexed.

        Meant to be called repeatedly from a worker; each call is short, so the worker can
        report progress and stop when cancelled.
        """
        with self._lock:
            if not self._complete:
                self._index_batch(max(1, max_bytes))
            return self.progress

    def block(self, index: int) -> Block:
        """Block ``index``, indexing further first if it has not been reached yet."""
        with self._lock:
            self._index_until(lambda: index < len(self._cp_starts))
            if not 0 <= index < len(self._cp_starts):
                raise IndexError(f"block {index} out of range")
            ends_paragraph = bool(self._ends_paragraph[index])
            return Block(
                start=self._cp_starts[index],
                text=self._block_text(index),
                paragraph_start=index == 0 or bool(self._ends_paragraph[index - 1]),
                paragraph_end=ends_paragraph,
            )

    def block_at(self, offset: int) -> int:
        """Index of the block holding code point ``offset``; a line's LF belongs to its block."""
        with self._lock:
            self._index_until(lambda: offset < self._next_cp)
            if not 0 <= offset <= self._next_cp:
                raise IndexError(f"offset {offset} out of range")
            return bisect_right(self._cp_starts, offset) - 1

    def text(self, start: int, end: int) -> str:
        """The logical text ``[start, end)``, clipped to its length like a str slice."""
        if start < 0 or end < start:
            raise ValueError(f"bad range {start}..{end}")
        with self._lock:
            self._index_until(lambda: end <= self._next_cp)
            end = min(end, self._next_cp)
            if start >= end:
                return ""
            if self._text is not None:
                return self._text[start:end]
            first = self.block_at(start)
            last = self.block_at(end - 1)
            pieces = []
            for index in range(first, last + 1):
                pieces.append(self._block_text(index))
                if self._ends_paragraph[index] and not self._is_last_line(index):
                    pieces.append("\n")
            origin = self._cp_starts[first]
            return "".join(pieces)[start - origin : end - origin]

    def changed(self) -> bool:
        """Whether the file on disk differs (size or modification time) or is gone."""
        try:
            status = os.stat(self.path)
        except OSError:
            return True
        return (status.st_size, status.st_mtime_ns) != self._stamp

    def close(self) -> None:
        """Release the file; blocks already indexed in memory stay readable if decoded whole."""
        with self._lock:
            if self._stream is not None:
                self._stream.close()
                self._stream = None
            self._cache.clear()

    def _start_in_memory(self, text: str) -> None:
        self._text = text
        lines = text.split("\n")
        self._append_lines(lines, None, None, final=True)
        self._complete = True

    def _start_lazy(self, stream: BinaryIO, skipped: int) -> None:
        self._stream = stream
        self._next_byte = skipped

    def _index_until(self, reached: Callable[[], bool]) -> None:
        while not self._complete and not reached():
            self._index_batch(self._batch_bytes)

    def _index_batch(self, max_bytes: int) -> None:
        """Index whole lines from the scan position; a line longer than the batch is indexed
        piece by piece, each piece ending where the cut would fall if the line were whole."""
        want = max_bytes
        while True:
            remaining = self.size - self._next_byte
            chunk = self._read(self._next_byte, min(want, remaining))
            if len(chunk) >= remaining:
                self._index_lines(chunk, final=True)
                self._complete = True
                return
            end = max(chunk.rfind(b"\n"), chunk.rfind(b"\r", 0, len(chunk) - 1)) + 1
            if end:
                self._index_lines(chunk[:end], final=False)
                return
            if self._index_line_prefix(chunk[:-1] if chunk.endswith(b"\r") else chunk):
                return
            want *= 2

    def _index_lines(self, raw: bytes, final: bool) -> None:
        text = raw.decode("utf-8", "replace")
        carriage_returns = raw.count(b"\r")
        if carriage_returns and carriage_returns != raw.count(b"\r\n"):
            byte_lines = _LINE_BREAK_BYTES.split(raw)
            terminators = [len(match) for match in _LINE_BREAK_BYTES.findall(raw)]
            text_lines = _LINE_BREAK_TEXT.split(text)
        else:
            # LF or CRLF only: a byte line keeps its CR, which its step of length + 1 covers.
            byte_lines = raw.split(b"\n")
            terminators = None
            text_lines = (text.replace("\r\n", "\n") if carriage_returns else text).split("\n")
        if final:
            terminators = None if terminators is None else [*terminators, 0]
        else:
            byte_lines.pop()
            text_lines.pop()
        self._append_lines(text_lines, byte_lines, terminators, final)

    def _append_lines(
        self,
        text_lines: list[str],
        byte_lines: list[bytes] | None,
        terminators: list[int] | None,
        final: bool,
    ) -> None:
        """Record the blocks of whole lines; the last one ends the text when ``final``."""
        cp_steps = [len(line) + 1 for line in text_lines]
        if final:
            cp_steps[-1] -= 1
        if byte_lines is None:
            byte_steps = None
        elif terminators is None:
            byte_steps = [len(line) + 1 for line in byte_lines]
            if final:
                byte_steps[-1] -= 1
        else:
            byte_steps = [len(line) + terminator for line, terminator in zip(byte_lines, terminators)]
        if max(map(len, text_lines)) <= self._max_block_chars:
            self._cp_starts.extend(accumulate(cp_steps[:-1], initial=self._next_cp))
            if byte_steps is not None:
                self._byte_starts.extend(accumulate(byte_steps[:-1], initial=self._next_byte))
            self._ends_paragraph.extend(b"\x01" * len(cp_steps))
        else:
            self._append_cut_lines(text_lines, byte_lines, byte_steps)
        self._next_cp += sum(cp_steps)
        if byte_steps is not None:
            self._next_byte += sum(byte_steps)

    def _append_cut_lines(
        self, text_lines: list[str], byte_lines: list[bytes] | None, byte_steps: list[int] | None
    ) -> None:
        cp = self._next_cp
        byte = self._next_byte
        for number, line in enumerate(text_lines):
            raw = None if byte_lines is None else byte_lines[number]
            self._append_pieces(line, raw, cp, byte, long_line_cuts(line, self._max_block_chars))
            self._ends_paragraph[-1] = 1
            cp += len(line) + 1
            if byte_steps is not None:
                byte += byte_steps[number]

    def _index_line_prefix(self, raw: bytes) -> bool:
        """Index the leading pieces of a line that does not end within ``raw``."""
        text = codecs.getincrementaldecoder("utf-8")("replace").decode(raw, final=False)
        cuts = long_line_cuts(text, self._max_block_chars)
        if not cuts:
            return False
        consumed = self._append_pieces(text[: cuts[-1]], raw, self._next_cp, self._next_byte, cuts[:-1])
        self._next_cp += cuts[-1]
        self._next_byte += consumed
        return True

    def _append_pieces(self, line: str, raw: bytes | None, cp: int, byte: int, cuts: list[int]) -> int:
        """Record blocks for ``line`` cut at ``cuts``; returns the bytes the line spans."""
        byte_offset = 0
        previous = 0
        for cut in [*cuts, len(line)]:
            self._cp_starts.append(cp + previous)
            self._ends_paragraph.append(0)
            if raw is not None:
                self._byte_starts.append(byte + byte_offset)
                byte_offset += utf8_span(raw, byte_offset, line[previous:cut])
            previous = cut
        return byte_offset

    def _is_last_line(self, index: int) -> bool:
        return self._complete and index == len(self._cp_starts) - 1

    def _block_length(self, index: int) -> int:
        following = index + 1
        end = self._cp_starts[following] if following < len(self._cp_starts) else self._next_cp
        newline = self._ends_paragraph[index] and not self._is_last_line(index)
        return end - self._cp_starts[index] - newline

    def _block_text(self, index: int) -> str:
        start = self._cp_starts[index]
        length = self._block_length(index)
        if self._text is not None:
            return self._text[start : start + length]
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        following = index + 1
        byte_start = self._byte_starts[index]
        byte_end = self._byte_starts[following] if following < len(self._byte_starts) else self._next_byte
        text = self._read(byte_start, byte_end - byte_start).decode("utf-8", "replace")
        if self._ends_paragraph[index]:
            text = text.rstrip("\r\n")
        if len(text) != length:
            raise SourceError(f"{display_path(self.path)} changed on disk; reload it")
        self._cache[index] = text
        if len(self._cache) > BLOCK_CACHE_SIZE:
            self._cache.popitem(last=False)
        return text

    def _read(self, offset: int, count: int) -> bytes:
        if self._stream is None:
            raise SourceError(f"{display_path(self.path)} is closed")
        try:
            self._stream.seek(offset)
            data = self._stream.read(count)
        except OSError as error:
            raise SourceError(f"cannot read {display_path(self.path)}: {error.strerror or error}") from error
        if len(data) != count:
            raise SourceError(f"{display_path(self.path)} changed on disk; reload it")
        return data
