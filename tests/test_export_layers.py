"""``margin export --annotator NAME`` (repeatable) and ``--layer curated``: whose annotations
an export carries, in every format; a curated annotation's sources travel in JSONL."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest

from tui.corpus.identity import content_hash
from tui.notes.commands import add_subcommands
from tui.notes.curation_record import CURATION, Source
from tui.notes.store import Store

TEXT = "سطر عربي أول. 第二行。 A third line.\n"


def run(store_path, *arguments: str) -> int:
    parser = argparse.ArgumentParser(prog="margin")
    parser.add_argument("--store")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["--store", str(store_path), *arguments])
    return args.func(args)


@pytest.fixture
def layered(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(TEXT, encoding="utf-8")
    store_path = tmp_path / "notes.sqlite3"
    digest = content_hash(path)
    with Store.open(store_path) as store:
        store.register_document(digest, path, "doc")
        ana = store.add_annotation(digest, TEXT, 0, 3, ["x"], annotator="ana")
        store.add_annotation(digest, TEXT, 14, 17, ["y"], annotator="bo")
        store.add_annotation(digest, TEXT, 19, 24, ["z"], annotator="cy")
        gold = store.add_annotation(digest, TEXT, 0, 3, ["x"], annotator=CURATION)
        store.set_provenance(gold.uid, [Source(ana.uid, "ana")])
    return store_path, tmp_path, ana


def annotators_in_csv(out) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    return sorted({row["annotator"] for row in rows})


def test_annotator_filters_repeat_and_the_curated_layer_stands_alone(layered):
    store_path, folder, ana = layered
    out = folder / "two.csv"
    assert run(store_path, "export", "--format", "csv", "--annotator", "ana", "--annotator", "bo", "-o", str(out)) == 0
    assert annotators_in_csv(out) == ["ana", "bo"]
    everyone = folder / "all.csv"
    assert run(store_path, "export", "--format", "csv", "-o", str(everyone)) == 0
    assert annotators_in_csv(everyone) == ["ana", "bo", CURATION, "cy"]
    gold = folder / "gold.jsonl"
    assert run(store_path, "export", "--format", "jsonl", "--layer", "curated", "-o", str(gold)) == 0
    record = json.loads(gold.read_text(encoding="utf-8"))
    assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == [(0, 3, "x")]
    (meta,) = record["meta"]["annotations"]
    assert meta["annotator"] == CURATION and meta["sources"] == [{"uid": ana.uid, "annotator": "ana"}]
    assert record["text"][0:3] == "سطر"


def test_an_annotator_with_nothing_exports_nothing_and_the_curated_layer_takes_no_other_name(layered, capsys):
    store_path, folder, _ana = layered
    out = folder / "none.csv"
    assert run(store_path, "export", "--format", "csv", "--annotator", "nobody", "-o", str(out)) == 0
    assert annotators_in_csv(out) == []
    assert run(store_path, "export", "--layer", "curated", "--annotator", "ana") == 2
    assert "--layer curated" in capsys.readouterr().err
