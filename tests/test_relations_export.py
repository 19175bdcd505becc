"""Relations out and back in: brat ``R`` lines, Prodigy-shaped JSONL and W3C linking annotations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from tui.corpus.identity import content_hash
from tui.locations import seeds_dir
from tui.notes.commands import store_resolver
from tui.notes.export import load_text, write
from tui.notes.exporters.brat import to_brat
from tui.notes.exporters.collection import ExportScope, collect
from tui.notes.exporters.jsonl import to_jsonl
from tui.notes.exporters.w3c import to_w3c
from tui.notes.importing import NotesImportError, import_bytes, import_file
from tui.notes.merge import merge
from tui.notes.store import Store
from tui.text.decode import decode
from tui.text.sentences import sentence_boundaries

SCHEMAS = Path(__file__).parent.parent / "tui" / "notes" / "schemas"
LABELS = ("supports", "سبب", "ਕਾਰਨ")


@pytest.fixture
def corpus(tmp_path):
    """The Punjabi, Arabic and Chinese seeds with three annotated sentences each and relations
    between them (one passage with two tags, one untagged with a note); an empty target store."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    source = Store.open(tmp_path / "source.sqlite3")
    for seed in sorted(seeds_dir().glob("*.txt"))[:3]:
        path = folder / seed.name
        shutil.copy(seed, path)
        text = decode(path.read_bytes()).text
        digest = content_hash(path)
        source.register_document(digest, path, seed.stem)
        bounds = [b for b in sentence_boundaries(text)]
        spans = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()][:3]
        made = []
        for (start, end), tags, note in zip(spans, [("question", "evidence"), (), ("todo",)], ["", "why?", ""], strict=True):
            while text[end - 1].isspace():
                end -= 1
            made.append(source.add_annotation(digest, text, start, end, tags, note, "ana"))
        source.add_relation(digest, made[0].uid, made[1].uid, LABELS[0], "ana")
        source.add_relation(digest, made[2].uid, made[0].uid, LABELS[1], "ana")
        source.add_relation(digest, made[1].uid, made[2].uid, LABELS[2], "ana")
    target = Store.open(tmp_path / "target.sqlite3")
    yield source, target, tmp_path
    source.close()
    target.close()


def relation_view(store: Store) -> set[tuple]:
    """Each relation as (document, source quote, target quote, label)."""
    quotes = {a.uid: a.quote for a in store.all_annotations()}
    return {(r.doc_hash, quotes[r.head], quotes[r.child], r.label) for r in store.all_relations()}


def exported(store: Store, render) -> object:
    return render(collect(store, ExportScope(), load_text))


@pytest.mark.parametrize("name", ["jsonl", "w3c"])
def test_jsonl_and_w3c_round_trip_relations_whole(corpus, name):
    source, target, tmp_path = corpus
    render = {"jsonl": to_jsonl, "w3c": to_w3c}[name]
    text = exported(source, render)
    path = tmp_path / f"notes.{name}"
    path.write_text(text, encoding="utf-8")
    report = import_file(target, path, store_resolver(target))
    assert report.relations == 9
    assert relation_view(target) == relation_view(source) and len(relation_view(source)) == 9
    assert {(r.uid, r.head, r.child, r.annotator, r.created) for r in target.all_relations()} == {
        (r.uid, r.head, r.child, r.annotator, r.created) for r in source.all_relations()
    }, "Margin's own export keeps every uid, the annotator and the time"
    assert exported(target, render) == text
    again = import_file(target, path, store_resolver(target))
    assert again.relations == 0 and len(target.all_relations()) == 9


def test_jsonl_relations_are_prodigy_shaped_in_characters(corpus):
    source, _target, _tmp = corpus
    for line in exported(source, to_jsonl).splitlines():
        record = json.loads(line)
        assert len(record["relations"]) == 3
        for relation in record["relations"]:
            head, child = relation["head_span"], relation["child_span"]
            assert relation["head"] == head["start"] and relation["child"] == child["start"]
            assert record["text"][head["start"] : head["end"]].strip()
            assert {"start", "end", "label"} <= set(head) and relation["label"] in LABELS
            assert head["label"] in {span["label"] for span in record["spans"]}


def test_w3c_relations_validate_and_target_the_two_annotations(corpus):
    source, _target, _tmp = corpus
    document = json.loads(exported(source, to_w3c))
    jsonschema.validate(document, json.loads((SCHEMAS / "w3c_export.schema.json").read_text(encoding="utf-8")))
    items = document["first"]["items"]
    ids = {item["id"] for item in items if item["motivation"] != "linking"}
    links = [item for item in items if item["motivation"] == "linking"]
    assert len(links) == 9 and document["total"] == len(items)
    for link in links:
        assert link["target"] == [link["head"], link["child"]] and set(link["target"]) <= ids
        assert link["body"][0]["purpose"] == "tagging" and link["body"][0]["value"] in LABELS


def test_brat_round_trips_relations(corpus):
    source, target, tmp_path = corpus
    files = exported(source, to_brat)
    folder = tmp_path / "brat"
    write(files, folder)
    ann = next(name for name in files if name.endswith(".ann"))
    relation_lines = [line for line in files[ann].splitlines() if line.startswith("R")]
    assert relation_lines[0].startswith("R1\tsupports Arg1:T1 Arg2:T3"), files[ann]
    assert len(relation_lines) == 3
    report = import_file(target, folder, store_resolver(target))
    assert (report.added, report.relations) == (9, 9)
    view = relation_view(target)
    assert {(d, h, c) for d, h, c, _ in view} == {(d, h, c) for d, h, c, _ in relation_view(source)}
    assert {label for *_, label in view} == set(LABELS), "brat labels keep their letters"
    assert {(a.doc_hash, a.start, a.end, a.tags, a.note) for a in target.all_annotations()} == {
        (a.doc_hash, a.start, a.end, a.tags, a.note) for a in source.all_annotations()
    }
    again = import_file(target, folder, store_resolver(target))
    assert (again.added, again.skipped, again.relations) == (0, 9, 0)
    assert len(target.all_relations()) == 9


def test_brat_into_the_store_that_exported_it_finds_the_document_by_its_hash(corpus):
    source, _target, tmp_path = corpus
    files = exported(source, to_brat)
    folder = tmp_path / "brat"
    write(files, folder)
    with Store.open(tmp_path / "fresh.sqlite3") as fresh:
        one = next(folder.glob("*.ann"))
        merge(source, fresh)
        for relation in fresh.all_relations():
            fresh.delete_relation(relation.uid)
        report = import_file(fresh, one, store_resolver(fresh))
        assert (report.added, report.relations) == (0, 3)
        assert len(fresh.documents()) == 3, "no new document: the .txt is the registered one"


def test_relations_from_a_span_tool_link_by_character_spans(corpus):
    source, target, _tmp = corpus
    text = "الفرضية الأولى. 证据在这里。 ਨਤੀਜਾ ਇੱਥੇ।"
    spans = [(0, 15), (16, 22), (23, 34)]
    record = {
        "text": text,
        "spans": [{"start": s, "end": e, "label": "CLAIM"} for s, e in spans],
        "relations": [
            {"head": 0, "child": 16, "head_span": {"start": 0, "end": 15, "label": "CLAIM"},
             "child_span": {"start": 16, "end": 22, "label": "CLAIM"}, "label": "SUPPORTS"},
            {"head_span": {"start": 23, "end": 34}, "child_span": {"start": 0, "end": 15}, "label": "FOLLOWS"},
        ],
    }  # fmt: skip
    folder = Path(source.documents()[0].path).parent
    (folder / "tool.txt").write_text(text, encoding="utf-8")
    record["meta"] = {"path": str(folder / "tool.txt")}
    report = import_bytes(target, json.dumps(record, ensure_ascii=False).encode(), store_resolver(target), source="x")
    assert (report.added, report.relations) == (3, 2)
    assert {(h, c, label) for _, h, c, label in relation_view(target)} == {
        (text[0:15], text[16:22], "SUPPORTS"),
        (text[23:34], text[0:15], "FOLLOWS"),
    }


@pytest.mark.parametrize(
    "relation, message",
    [
        ({"label": "x", "head_span": {"start": 0, "end": 3}, "child_span": {"start": 5, "end": 9}}, "not an annotation"),
        ({"label": "x"}, "with a 'label' and the two spans they link"),
        ({"label": "a\tb", "head_span": {"start": 0, "end": 4}, "child_span": {"start": 5, "end": 9}}, "control"),
    ],
)
def test_a_relation_that_cannot_be_placed_refuses_the_whole_file(corpus, relation, message):
    source, target, _tmp = corpus
    folder = Path(source.documents()[0].path).parent
    text = "One. Two here."
    (folder / "small.txt").write_text(text, encoding="utf-8")
    record = {
        "text": text,
        "spans": [{"start": 0, "end": 4, "label": "A"}, {"start": 5, "end": 9, "label": "B"}],
        "relations": [relation],
        "meta": {"path": str(folder / "small.txt")},
    }
    with pytest.raises(NotesImportError, match=message):
        import_bytes(target, json.dumps(record).encode(), store_resolver(target), source="bad")
    assert target.all_annotations() == [] and target.all_relations() == []


def test_a_w3c_relation_to_an_unknown_annotation_is_refused(corpus):
    source, target, _tmp = corpus
    document = json.loads(exported(source, to_w3c))
    link = next(item for item in document["first"]["items"] if item["motivation"] == "linking")
    link["head"] = link["target"][0] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    with pytest.raises(NotesImportError, match="its source is not an annotation of this file"):
        import_bytes(target, json.dumps(document).encode(), store_resolver(target), source="w3c")
    assert target.all_annotations() == []
