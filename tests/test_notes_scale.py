"""Scale: 10,000 annotations on one document, 100,000 in the store, every export format.

These tests check what comes back at that scale; how long it takes is measured by
``tests/bench/notes_bench.py``.
"""

from __future__ import annotations

import random

import pytest

from tui.locations import seeds_dir
from tui.notes.exporters.brat import to_brat
from tui.notes.exporters.collection import ExportScope, collect
from tui.notes.exporters.csv_table import to_csv
from tui.notes.exporters.jsonl import to_jsonl
from tui.notes.exporters.markdown import to_markdown
from tui.notes.exporters.w3c import to_w3c
from tui.notes.store import Store

CHINESE = (seeds_dir() / "002_859d7618586743be.txt").read_text(encoding="utf-8")
TAGS = (("question",), ("evidence", "todo"), ())


def fill(store: Store, doc_hash: str, text: str, count: int, rng: random.Random) -> None:
    with store.transaction():
        for index in range(count):
            start = rng.randrange(0, len(text) - 100)
            store.add_annotation(
                doc_hash,
                text,
                start,
                start + rng.randint(5, 90),
                TAGS[index % 3],
                "n" if index % 2 else "",
                "ana",
            )


def test_listing_ten_thousand_annotations(tmp_path):
    path = tmp_path / "notes.sqlite3"
    doc = "a" * 64
    with Store.open(path) as store:
        fill(store, doc, CHINESE, 10_000, random.Random(1))
    with Store.open(path) as store:
        listed = store.annotations(doc)
        again = store.annotations(doc)
    assert len(listed) == 10_000 and again == listed
    assert [(a.start, a.end, a.id) for a in listed] == sorted((a.start, a.end, a.id) for a in listed)


def test_a_listing_sees_another_instances_commit(tmp_path):
    path = tmp_path / "notes.sqlite3"
    doc = "b" * 64
    with Store.open(path) as reader, Store.open(path) as writer:
        writer.add_annotation(doc, CHINESE, 0, 10)
        assert len(reader.annotations(doc)) == 1
        writer.add_annotation(doc, CHINESE, 10, 20)
        assert len(reader.annotations(doc)) == 2


@pytest.mark.slow
def test_exporting_one_hundred_thousand_annotations(tmp_path):
    rng = random.Random(2)
    text = (CHINESE * 40)[:200_000]
    docs = [f"{index:064x}" for index in range(10)]
    with Store.open(tmp_path / "notes.sqlite3") as store:
        for index, doc in enumerate(docs):
            store.register_document(doc, tmp_path / f"doc{index}.txt", f"Doc {index}")
            fill(store, doc, text, 10_000, rng)
        documents = collect(store, ExportScope(), lambda document: text)
    assert sum(len(notes.annotations) for notes in documents) == 100_000
    for name, render in (
        ("md", to_markdown),
        ("w3c", to_w3c),
        ("jsonl", to_jsonl),
        ("csv", to_csv),
        ("brat", to_brat),
    ):
        rendered = render(documents)
        assert rendered, name
