"""File names as a person sees them, and as the file system knows them.

A POSIX file name is bytes. Python decodes it with ``surrogateescape``, so a name that is
not UTF-8 (``bad\\xff\\xfe.txt``) becomes a str holding lone surrogates: it opens fine, but
it can be neither drawn on a terminal, nor bound into SQLite text, nor written to a UTF-8
file. Every path that leaves the file system therefore goes through one of two doors here:

- to be *shown* (a title, a row, a message): :func:`display_name` / :func:`display_path`,
  where each byte that is not UTF-8 reads as U+FFFD and control characters as their
  pictures, the same stand-ins the reader uses;
- to be *kept* (the notes store, an export): :func:`portable_path`, text that any UTF-8
  writer accepts and that :func:`path_from_portable` turns back into the very same bytes.
"""

from __future__ import annotations

import os
from urllib.parse import quote_from_bytes, unquote_to_bytes, urlsplit

from tui.text.controls import display_text

FILE_URI_PREFIX = "file://"
"""Marks a kept path whose name is not UTF-8: it is then a file URI with its bytes
percent-encoded (RFC 8089). A plain kept path is absolute, so it never starts so."""

_URI_SAFE = "/"


def is_portable(path: str | os.PathLike[str]) -> bool:
    """Whether the path's text is its bytes decoded as UTF-8 (no escaped byte in it)."""
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def display_path(path: str | os.PathLike[str]) -> str:
    """The whole path, safe to show: U+FFFD for each byte that is not UTF-8, pictures for
    controls (a newline or ESC in a name never reaches the terminal raw)."""
    return display_text(os.fspath(path))


def display_name(path: str | os.PathLike[str]) -> str:
    """The last part of the path (the path itself if it has none), safe to show."""
    text = os.fspath(path)
    name = os.path.basename(text.rstrip(os.sep)) or text
    return display_text(name)


def portable_path(path: str | os.PathLike[str]) -> str:
    """The path as text for the store or an export, exact to the byte.

    A path whose name is UTF-8 is kept as it is, so existing stores and exports read the
    same; any other becomes a ``file://`` URI of its bytes, made absolute first.
    """
    text = os.fspath(path)
    if is_portable(text):
        return text
    return FILE_URI_PREFIX + quote_from_bytes(os.fsencode(os.path.abspath(text)), safe=_URI_SAFE)


def path_from_portable(text: str) -> str:
    """The path :func:`portable_path` kept, with its original bytes (surrogate-escaped)."""
    if not text.startswith(FILE_URI_PREFIX):
        return text
    return os.fsdecode(unquote_to_bytes(urlsplit(text).path))
