"""Imports: round trips, merging, re-anchoring, and bad input that writes nothing."""

from __future__ import annotations

import json
import shutil

import pytest

from tui.corpus.identity import content_hash
from tui.locations import seeds_dir
from tui.notes.commands import store_resolver
from tui.notes.export import load_text
from tui.notes.exporters.collection import ExportScope, collect
from tui.notes.exporters.jsonl import to_jsonl
from tui.notes.exporters.w3c import to_w3c
from tui.notes.importing import NotesImportError, import_bytes, import_file
from tui.notes.store import Store
from tui.text.decode import decode
from tui.text.sentences import sentence_boundaries

EXPORTERS = {"w3c": to_w3c, "jsonl": to_jsonl}


@pytest.fixture
def corpus(tmp_path):
    """Copies of the seeds, a store annotating sentences of each, and an empty second store."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    source = Store.open(tmp_path / "source.sqlite3")
    for index, seed in enumerate(sorted(seeds_dir().glob("*.txt"))):
        path = folder / seed.name
        shutil.copy(seed, path)
        text = decode(path.read_bytes()).text
        digest = content_hash(path)
        source.register_document(digest, path, f"Seed {index}")
        bounds = sentence_boundaries(text)
        for number, (start, end) in enumerate(list(zip(bounds, bounds[1:], strict=False))[:8]):
            if text[start:end].strip():
                tags = [("question",), ("evidence", "todo"), ()][number % 3]
                source.add_annotation(
                    digest, text, start, end, tags, f"note {number}" if number % 2 else "", "ana"
                )
    target = Store.open(tmp_path / "target.sqlite3")
    yield source, target, folder, tmp_path
    source.close()
    target.close()


def export(store: Store, format: str) -> str:
    return EXPORTERS[format](collect(store, ExportScope(), load_text))


def everything(store: Store) -> tuple:
    return (
        tuple(store.all_annotations()),
        tuple(store.tags()),
        tuple(store.documents()),
    )


@pytest.mark.parametrize("format", ["w3c", "jsonl"])
def test_round_trip_into_an_empty_store(corpus, format):
    source, target, _folder, tmp_path = corpus
    exported = export(source, format)
    path = tmp_path / f"notes.{format}"
    path.write_text(exported, encoding="utf-8")
    report = import_file(target, path, store_resolver(target))
    count = len(source.all_annotations())
    assert (report.added, report.skipped, report.unanchored) == (count, 0, 0)
    assert export(target, format) == exported
    again = import_file(target, path, store_resolver(target))
    assert (again.added, again.skipped) == (0, count)


def test_import_reanchors_against_an_edited_document(corpus):
    source, target, folder, _tmp_path = corpus
    exported = export(source, "w3c").encode()
    english = folder / "004_e145bc4021a03735.txt"
    original = english.read_text(encoding="utf-8")
    bounds = sentence_boundaries(original)
    deleted = original[bounds[2] : bounds[3]]
    english.write_text("A new opening paragraph.\n\n" + original.replace(deleted, ""), encoding="utf-8")
    report = import_bytes(target, exported, store_resolver(target), source="export")
    assert report.unanchored == 1 and report.added == len(source.all_annotations())
    new_hash = content_hash(english)
    text = decode(english.read_bytes()).text
    landed = target.annotations(new_hash)
    assert [a.quote for a in landed if a.status == "orphan"] == [deleted]
    for annotation in landed:
        if annotation.status == "anchored":
            assert text[annotation.start : annotation.end] == annotation.quote


@pytest.mark.parametrize(
    "shape",
    ["collection", "page", "list", "single"],
)
def test_w3c_shapes_from_other_tools(corpus, shape):
    source, target, folder, _tmp_path = corpus
    path = folder / "003_3892daf3cf1b88e8.txt"
    text = decode(path.read_bytes()).text
    quote = "breathtaking scale and speed"
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.org/anno/1",
        "type": "Annotation",
        "bodyValue": "a comment",
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": "scale"},
            {"type": "Image", "id": "x"},
        ],
        "target": {"source": path.as_uri(), "selector": {"type": "TextQuoteSelector", "exact": quote}},
    }
    document = {
        "collection": {
            "type": "AnnotationCollection",
            "first": {"type": "AnnotationPage", "items": [annotation]},
        },
        "page": {"type": "AnnotationPage", "items": [annotation]},
        "list": [annotation],
        "single": annotation,
    }[shape]
    report = import_bytes(target, json.dumps(document).encode(), store_resolver(target), source="foreign")
    assert report.added == 1 and len(report.ignored) == 1
    (landed,) = target.annotations(content_hash(path))
    assert (
        text[landed.start : landed.end] == quote and landed.tags == ("scale",) and landed.note == "a comment"
    )
    again = import_bytes(target, json.dumps(document).encode(), store_resolver(target), source="foreign")
    assert (again.added, again.skipped) == (0, 1), "a foreign id maps to a stable uid"


def test_jsonl_from_a_span_tool_maps_labels_to_tags(corpus):
    source, target, folder, _tmp_path = corpus
    path = folder / "002_859d7618586743be.txt"
    text = decode(path.read_bytes()).text
    start = text.index("上海")
    line = {
        "text": text,
        "spans": [
            {"start": start, "end": start + 2, "label": "PLACE"},
            {"start": start, "end": start + 2, "label": "CITY"},
            {"start": 0, "end": 5, "label": "NOTE"},
        ],
        "meta": {"path": str(path)},
    }
    report = import_bytes(
        target, (json.dumps(line, ensure_ascii=False) + "\n").encode(), store_resolver(target), source="x"
    )
    assert report.added == 2
    by_span = {(a.start, a.end): a.tags for a in target.annotations(content_hash(path))}
    assert by_span == {(0, 5): (), (start, start + 2): ("PLACE", "CITY")}


def test_duplicates_by_content_are_skipped(corpus):
    source, target, folder, _tmp_path = corpus
    path = folder / "004_e145bc4021a03735.txt"
    text = decode(path.read_bytes()).text
    digest = content_hash(path)
    target.register_document(digest, path, "English")
    target.add_annotation(digest, text, 0, 20, ("question",), "same")
    item = {
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": "question"},
            {"type": "TextualBody", "purpose": "commenting", "value": "same"},
        ],
        "target": {
            "source": {"id": path.as_uri(), "sha256": digest},
            "selector": [{"type": "TextPositionSelector", "start": 0, "end": 20}],
        },
    }
    report = import_bytes(target, json.dumps([item, item]).encode(), store_resolver(target), source="x")
    assert (report.added, report.skipped) == (0, 2)


def _w3c_item(path, digest, start, end, **changes):
    item = {
        "id": "urn:uuid:0b0e8f1e-94ba-4f2e-9a55-0e7d0f0f0001",
        "type": "Annotation",
        "target": {
            "source": {"id": path.as_uri(), "sha256": digest},
            "selector": [{"type": "TextPositionSelector", "start": start, "end": end}],
        },
    }
    item.update(changes)
    return item


BAD_INPUTS = {
    "not-json": lambda path, digest: b"this is { not json",
    "not-utf8": lambda path, digest: b"\xff\xfe\x00garbage",
    "empty": lambda path, digest: b"   ",
    "wrong-shape": lambda path, digest: json.dumps({"hello": "world"}).encode(),
    "annotation-without-target": lambda path, digest: json.dumps([{"type": "Annotation"}]).encode(),
    "offsets-beyond-text": lambda path, digest: json.dumps(
        [_w3c_item(path, digest, 10, 10_000_000)]
    ).encode(),
    "negative-offsets": lambda path, digest: json.dumps([_w3c_item(path, digest, -3, 4)]).encode(),
    "unknown-document": lambda path, digest: json.dumps(
        [_w3c_item(path.with_name("missing.txt"), "0" * 64, 0, 4)]
    ).encode(),
    "jsonl-span-beyond-text": lambda path, digest: (
        json.dumps(
            {"text": "short", "spans": [{"start": 0, "end": 99, "label": "X"}], "meta": {"path": str(path)}}
        )
        + "\n"
        + json.dumps({"text": "short", "spans": [], "meta": {"path": str(path)}})
        + "\n"
    ).encode(),
    "one-bad-among-good": lambda path, digest: json.dumps(
        [
            _w3c_item(path, digest, 0, 10),
            _w3c_item(path, digest, 5, 10_000_000, id="urn:uuid:0b0e8f1e-94ba-4f2e-9a55-0e7d0f0f0002"),
        ]
    ).encode(),
    "bad-tag": lambda path, digest: json.dumps(
        [
            _w3c_item(
                path,
                digest,
                0,
                10,
                body=[{"type": "TextualBody", "purpose": "tagging", "value": "two\nlines"}],
            )
        ]
    ).encode(),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_and_nothing_is_written(corpus, case):
    source, target, folder, tmp_path = corpus
    path = folder / "004_e145bc4021a03735.txt"
    digest = content_hash(path)
    target.register_document(digest, path, "English")
    target.add_annotation(digest, decode(path.read_bytes()).text, 0, 5, ("todo",))
    before = everything(target)
    bad = tmp_path / "bad.json"
    bad.write_bytes(BAD_INPUTS[case](path, digest))
    with pytest.raises(NotesImportError) as caught:
        import_file(target, bad, store_resolver(target))
    message = str(caught.value)
    assert str(bad) in message and "nothing was imported" in message and "\n" not in message
    assert everything(target) == before


def test_a_missing_file_is_an_import_error(corpus):
    _source, target, _folder, tmp_path = corpus
    with pytest.raises(NotesImportError, match="No such file"):
        import_file(target, tmp_path / "absent.json", store_resolver(target))


CLEAR_MESSAGES = {
    "no-target": ([{"type": "Annotation"}], "annotation 1: 'target' is missing"),
    "no-selector": (
        [{"type": "Annotation", "target": {"source": "file:///x.txt", "selector": []}}],
        "annotation 1, target.selector: needs a TextQuoteSelector or a TextPositionSelector",
    ),
    "empty-quote": (
        [
            {
                "type": "Annotation",
                "target": {"source": "file:///x.txt", "selector": {"type": "TextQuoteSelector", "exact": ""}},
            }
        ],
        "a TextQuoteSelector needs a non-empty 'exact'",
    ),
    "text-offsets": (
        [
            {
                "type": "Annotation",
                "target": {
                    "source": "file:///x.txt",
                    "selector": [{"type": "TextPositionSelector", "start": "3", "end": 9}],
                },
            }
        ],
        "a TextPositionSelector needs 'start' and 'end', non-negative integers",
    ),
    "page-by-reference": (
        {"type": "AnnotationCollection", "first": "http://example.org/page1"},
        "collection, first: the collection's first page must be embedded",
    ),
    "jsonl-without-spans": ({"text": "abc", "spans": "none"}, "line 1, spans: 'spans' must be a list"),
    "jsonl-bad-tags": (
        {"text": "abc", "spans": [], "meta": {"annotations": [{"start": 0, "end": 2, "tags": "x"}]}},
        "line 1, meta.annotations[0].tags: 'tags' must be a list of text",
    ),
}


@pytest.mark.parametrize("case", sorted(CLEAR_MESSAGES))
def test_bad_input_is_described_by_the_shipped_schema(corpus, case):
    _source, target, _folder, _tmp_path = corpus
    document, expected = CLEAR_MESSAGES[case]
    with pytest.raises(NotesImportError) as caught:
        import_bytes(target, json.dumps(document).encode(), store_resolver(target), source="in.json")
    assert expected in str(caught.value)
    assert target.all_annotations() == []


def test_the_schemas_ship_in_the_package_and_jsonschema_loads_only_to_import():
    import subprocess
    import sys

    from tui.notes.importers.common import load_schema

    for name in ("w3c_import", "jsonl_import", "w3c_export"):
        assert load_schema(name)["$schema"].endswith("2020-12/schema")
    probe = "import sys, tui.notes.importing, tui.notes.commands; print('jsonschema' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_tag_names_on_import_match_existing_tags_without_regard_to_case(corpus):
    _source, target, folder, _tmp_path = corpus
    path = folder / "004_e145bc4021a03735.txt"
    before = {tag.name for tag in target.tags()}
    item = {
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": "QUESTION"},
            {"type": "TextualBody", "purpose": "tagging", "value": "Question"},
            {"type": "TextualBody", "purpose": "tagging", "value": "Brand-New"},
        ],
        "target": {"source": path.as_uri(), "selector": [{"type": "TextPositionSelector", "start": 0, "end": 20}]},
    }
    other = {**item, "body": [{"type": "TextualBody", "purpose": "tagging", "value": "brand-new"}]}
    other["target"] = {"source": path.as_uri(), "selector": [{"type": "TextPositionSelector", "start": 30, "end": 40}]}
    report = import_bytes(target, json.dumps([item, other]).encode(), store_resolver(target), source="x")
    assert report.added == 2
    tags = {annotation.start: annotation.tags for annotation in target.all_annotations()}
    assert tags == {0: ("question", "Brand-New"), 30: ("Brand-New",)}
    assert {tag.name for tag in target.tags()} == before | {"Brand-New"}
