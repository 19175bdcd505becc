"""Document labels through every export format and back: JSONL (spaCy ``cats``), W3C (the
document as target), CSV and Markdown; and through ``margin export`` / ``margin import``."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from reader_harness import ARABIC, CHINESE, PUNJABI

from tui.corpus.identity import content_hash
from tui.notes.commands import store_resolver
from tui.notes.export import load_text, render
from tui.notes.exporters.collection import ExportScope, collect
from tui.notes.importing import NotesImportError, import_bytes, import_file
from tui.notes.store import Store

FORMATS = ("jsonl", "w3c", "csv", "md")


@pytest.fixture
def corpus(tmp_path):
    """The Arabic, Chinese and Punjabi seeds labelled by two annotators (one exclusive set,
    one open category), with a tagged passage on one of them."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    source = Store.open(tmp_path / "source.sqlite3")
    hashes = {}
    for seed in (ARABIC, CHINESE, PUNJABI):
        path = folder / seed.name
        shutil.copy(seed, path)
        hashes[seed] = digest = content_hash(path)
        source.register_document(digest, path, f"Seed {seed.stem[:3]}")
    for name in ("positive", "negative", "neutral"):
        source.create_category(name, set="sentiment")
    source.declare_category_set("sentiment", exclusive=True)
    source.add_document_label(hashes[ARABIC], "positive", "ana")
    source.add_document_label(hashes[ARABIC], "poetry", "ana")
    source.add_document_label(hashes[ARABIC], "negative", "ben")
    source.add_document_label(hashes[CHINESE], "neutral", "ana")
    source.add_document_label(hashes[PUNJABI], "قصيدة [b]", "ben")
    text = (folder / CHINESE.name).read_text(encoding="utf-8")
    source.add_annotation(hashes[CHINESE], text, 0, 5, ["question"], "", "ana")
    target = Store.open(tmp_path / "target.sqlite3")
    yield source, target, hashes, tmp_path
    source.close()
    target.close()


def rendered(store: Store, fmt: str) -> str:
    return render(fmt, collect(store, ExportScope(), load_text))


def triples(store: Store) -> set[tuple[str, str, str]]:
    return {(label.doc_hash, label.annotator, label.category) for label in store.all_document_labels()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_labels_round_trip_through_every_format(corpus, fmt):
    source, target, _hashes, tmp_path = corpus
    exported = rendered(source, fmt)
    path = tmp_path / f"labels.{fmt}"
    path.write_text(exported, encoding="utf-8")
    report = import_file(target, path, store_resolver(target))
    assert report.labels == 5
    assert triples(target) == triples(source)
    if fmt in ("jsonl", "w3c", "csv"):
        assert {(a.quote, a.tags) for a in target.all_annotations()} == {(a.quote, a.tags) for a in source.all_annotations()}
    again = import_file(target, path, store_resolver(target))
    assert again.labels == 0 and triples(target) == triples(source)
    if fmt != "md":
        assert rendered(target, fmt) == exported, "exported again, the file is the same"


def test_jsonl_carries_spacy_cats_over_the_sets_in_use(corpus):
    source, _target, hashes, _tmp_path = corpus
    lines = {json.loads(line)["meta"]["hash"]: json.loads(line) for line in rendered(source, "jsonl").splitlines()}
    space = {"negative", "neutral", "positive", "poetry", "قصيدة [b]"}
    arabic = lines[hashes[ARABIC]]
    assert set(arabic["cats"]) == space
    assert arabic["cats"]["positive"] == 0.5 and arabic["cats"]["negative"] == 0.5, "two annotators, one each"
    assert arabic["cats"]["poetry"] == 0.5 and arabic["cats"]["neutral"] == 0.0
    chinese = lines[hashes[CHINESE]]
    assert chinese["cats"] == {name: 1.0 if name == "neutral" else 0.0 for name in space}
    assert chinese["spans"] == [{"start": 0, "end": 5, "label": "question"}]
    assert {entry["annotator"] for entry in arabic["meta"]["labels"]} == {"ana", "ben"}


def test_w3c_targets_the_document_itself_and_matches_the_export_schema(corpus):
    import jsonschema

    from tui.notes.importers.common import load_schema

    source, _target, hashes, _tmp_path = corpus
    collection = json.loads(rendered(source, "w3c"))
    jsonschema.Draft202012Validator(load_schema("w3c_export")).validate(collection)
    labels = [item for item in collection["first"]["items"] if item["motivation"] == "classifying"]
    assert len(labels) == 5 and collection["total"] == 6
    for item in labels:
        assert "selector" not in item["target"] and item["target"]["source"]["sha256"] in hashes.values()
        (body,) = item["body"]
        assert body["purpose"] == "classifying" and body["type"] == "TextualBody"


def test_csv_has_a_row_per_label_without_offsets(corpus):
    source, *_ = corpus
    rows = list(csv.DictReader(io.StringIO(rendered(source, "csv").lstrip("\ufeff"))))
    labels = [row for row in rows if not row["start"]]
    assert sorted((row["tag"], row["annotator"]) for row in labels) == sorted(
        [("positive", "ana"), ("poetry", "ana"), ("negative", "ben"), ("neutral", "ana"), ("قصيدة [b]", "ben")]
    )
    assert all(row["end"] == row["quote"] == row["uid"] == "" for row in labels)


def test_markdown_lists_each_label_in_its_own_section(corpus):
    source, *_ = corpus
    text = rendered(source, "md")
    section = text[text.index("## Document labels") :]
    assert section.count("\n- ") == 5
    assert "- \u2067قصيدة \\[b\\]\u2069 · ben · " in section, "escaped, and isolated right to left"


def test_spacy_textcat_lines_import_as_labels(corpus):
    _source, target, hashes, tmp_path = corpus
    path = tmp_path / "corpus" / CHINESE.name
    line = {"text": path.read_text(encoding="utf-8"), "cats": {"POS": 0.9, "NEG": 0.1}, "meta": {"path": str(path)}}
    report = import_bytes(target, (json.dumps(line, ensure_ascii=False) + "\n").encode(), store_resolver(target), source="x")
    assert report.labels == 1
    assert triples(target) == {(hashes[CHINESE], "unknown", "POS")}


def test_bad_labels_are_refused_and_nothing_is_written(corpus):
    _source, target, _hashes, tmp_path = corpus
    path = tmp_path / "corpus" / CHINESE.name
    bad = {"text": "x", "cats": {"two\nlines": 1.0}, "meta": {"path": str(path)}}
    with pytest.raises(NotesImportError, match="control characters"):
        import_bytes(target, json.dumps(bad).encode(), store_resolver(target), source="x")
    unknown = {"text": "x", "cats": {"a": 1.0}, "meta": {"path": str(tmp_path / "nowhere.txt")}}
    with pytest.raises(NotesImportError, match="unknown document"):
        import_bytes(target, json.dumps(unknown).encode(), store_resolver(target), source="x")
    assert triples(target) == set()


def test_export_and_import_commands_carry_labels(corpus, capsys):
    from tui.cli import main

    source, _target, _hashes, tmp_path = corpus
    source.close()
    out = tmp_path / "labels.jsonl"
    assert main(["--store", str(tmp_path / "source.sqlite3"), "export", "--format", "jsonl", "-o", str(out)]) == 0
    assert main(["--store", str(tmp_path / "fresh.sqlite3"), "import", str(out)]) == 0
    assert "5 document labels" in capsys.readouterr().out
    with Store.open(tmp_path / "fresh.sqlite3") as fresh, Store.open(tmp_path / "source.sqlite3") as again:
        assert triples(fresh) == triples(again)
