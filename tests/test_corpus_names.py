"""File names that are not UTF-8, or hold controls: shown safely, kept exactly."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.corpus.discover import discover
from tui.corpus.identity import content_hash
from tui.corpus.metadata import describe
from tui.corpus.names import (
    display_name,
    display_path,
    is_portable,
    path_from_portable,
    portable_path,
)
from tui.notes.export import render
from tui.notes.exporters.collection import DocumentNotes
from tui.notes.store import Store
from tui.text.decode import decode

BAD = os.fsdecode(b"bad\xff\xfe.txt")
"""A name whose bytes are not UTF-8: Python holds it as lone surrogates."""

HOSTILE_NAMES = [
    os.fsdecode(b"bad\xff\xfe.txt"),
    os.fsdecode(b"latin-\xe9t\xe9.txt"),
    "new\nline.txt",
    "esc\x1b[31mred.txt",
    "rlo\u202egnp.txt",
    "tab\tand\x7fdel.txt",
    "عربي.txt",
    "中文.txt",
]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (BAD, "bad\ufffd\ufffd.txt"),
        ("new\nline.txt", "new\u240aline.txt"),
        ("esc\x1b[31m.txt", "esc\u241b[31m.txt"),
        ("عربي.txt", "عربي.txt"),
    ],
)
def test_display_name_shows_bad_bytes_as_replacement_and_controls_as_pictures(name: str, shown: str) -> None:
    assert display_name(Path("/some/folder") / name) == shown
    assert display_path(Path("/some/folder") / name) == "/some/folder/" + shown
    shown.encode("utf-8")


names = st.binary(min_size=1, max_size=40).filter(lambda raw: b"/" not in raw and b"\0" not in raw and raw not in (b".", b".."))


@given(names)
def test_portable_path_keeps_the_exact_bytes_and_is_always_utf8(raw: bytes) -> None:
    path = os.fsdecode(b"/corpus/" + raw)
    kept = portable_path(path)
    kept.encode("utf-8")
    assert os.fsencode(path_from_portable(kept)) == b"/corpus/" + raw
    if is_portable(path):
        assert kept == path


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for number, name in enumerate(HOSTILE_NAMES):
        (folder / name).write_bytes(f"Document {number} title\nbody text\n".encode())
    return folder


def test_hostile_names_are_discovered_and_described(odd_folder: Path) -> None:
    found = discover(odd_folder).documents
    assert sorted(path.name for path in found) == sorted(HOSTILE_NAMES)
    for path in found:
        info = describe(path)
        info.title.encode("utf-8")
        content_hash(path)


def test_a_binary_document_with_a_bad_name_is_titled_by_its_display_name(tmp_path: Path) -> None:
    path = tmp_path / BAD
    path.write_bytes(bytes(range(256)) * 8)
    assert describe(path).title == "bad\ufffd\ufffd.txt"


def test_the_store_keeps_bad_names_to_the_byte(store_opener, odd_folder: Path) -> None:
    with store_opener() as store:
        for path in discover(odd_folder).documents:
            digest = content_hash(path)
            store.register_document(digest, path, display_name(path))
            assert store.document(digest).path == str(path)
            assert store.document_by_path(path).hash == digest
        assert sorted(Path(document.path).name for document in store.documents()) == sorted(HOSTILE_NAMES)


@pytest.mark.parametrize("fmt", ["md", "w3c", "jsonl", "csv", "brat"])
def test_exports_of_a_document_with_a_bad_name_write_and_keep_its_bytes(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / BAD
    path.write_bytes(b"A title\nsome text to tag\n")
    text = decode(path.read_bytes()).text
    with Store.open(tmp_path / "notes.sqlite3") as store:
        digest = content_hash(path)
        store.register_document(digest, path, display_name(path))
        store.add_annotation(digest, text, 0, 7, ("key-point",), "")
        document = store.document(digest)
        notes = DocumentNotes(document, text, tuple(store.annotations(digest)))
    rendered = render(fmt, [notes])
    output = rendered if isinstance(rendered, str) else "".join([*rendered, *rendered.values()])
    output.encode("utf-8")
    if fmt == "jsonl":
        record = json.loads(output.splitlines()[0])
        assert os.fsencode(path_from_portable(record["meta"]["path"])) == os.fsencode(path)
    if fmt in ("w3c", "csv"):
        assert "bad%FF%FE.txt" in output


@pytest.mark.parametrize("fmt", ["jsonl", "w3c"])
def test_an_import_finds_the_bad_name_it_was_exported_with(tmp_path: Path, fmt: str) -> None:
    from tui.notes.importing import import_bytes

    path = tmp_path / BAD
    path.write_bytes(b"A title\nsome text to tag\n")
    text = decode(path.read_bytes()).text
    with Store.open(tmp_path / "notes.sqlite3") as store:
        digest = content_hash(path)
        store.register_document(digest, path, display_name(path))
        store.add_annotation(digest, text, 0, 7, ("key-point",), "")
        notes = DocumentNotes(store.document(digest), text, tuple(store.annotations(digest)))
    asked: list[str | None] = []

    def resolver(hash_: str | None, path_: str | None):
        asked.append(path_)
        return None

    with Store.open(tmp_path / "other.sqlite3") as other, contextlib.suppress(Exception):
        import_bytes(other, render(fmt, [notes]).encode("utf-8"), resolver, source="export")
    assert str(path) in asked
