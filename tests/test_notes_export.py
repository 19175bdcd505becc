"""Exports: every span is a code-point slice of the decoded text, in every format and script."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import unicodedata
from pathlib import Path

import jsonschema
import pytest

from tui.corpus.identity import content_hash
from tui.locations import seeds_dir
from tui.notes.atomic import OutputExists, write_atomic
from tui.notes.export import load_text
from tui.notes.exporters.brat import to_brat
from tui.notes.exporters.collection import UNTAGGED_LABEL, ExportScope, collect
from tui.notes.exporters.csv_table import COLUMNS, to_csv
from tui.notes.exporters.jsonl import to_jsonl
from tui.notes.exporters.markdown import PDI, RLI, to_markdown
from tui.notes.exporters.w3c import to_w3c
from tui.notes.store import Store
from tui.text.decode import decode
from tui.text.graphemes import grapheme_boundaries
from tui.text.sentences import sentence_boundaries

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "tui" / "notes" / "schemas" / "w3c_export.schema.json").read_text(encoding="utf-8")
)
EXT_B = "\U0002000b"
EXT_B_TEXT = (
    f"古籍中的{EXT_B}字出現在此。第二句話也有{EXT_B}{EXT_B}兩個。\n第三句在新的一行，而且很長。\n最後一句。"
)
TAG_CYCLE = (("key-point",), ("question", "evidence"), (), ("disagree",), ("my tag",))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A store with sentence annotations on the five seeds and an Extension B document."""
    folder = tmp_path_factory.mktemp("corpus")
    for seed in sorted(seeds_dir().glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    (folder / "ext_b.txt").write_text(EXT_B_TEXT, encoding="utf-8")
    store = Store.open(folder / "notes.sqlite3")
    texts = {}
    for path in sorted(folder.glob("*.txt")):
        text = decode(path.read_bytes()).text
        digest = content_hash(path)
        texts[digest] = text
        store.register_document(digest, path, path.stem)
        boundaries = sentence_boundaries(text)
        for index, (start, end) in enumerate(zip(boundaries, boundaries[1:], strict=False)):
            if index >= 12 or not text[start:end].strip():
                continue
            note = f"note {index}\nsecond line" if index % 2 else ""
            store.add_annotation(digest, text, start, end, TAG_CYCLE[index % len(TAG_CYCLE)], note, "ana")
        store.add_annotation(digest, text, 0, min(len(text), 80), ("spans lines",), "")
    ext_b = content_hash(folder / "ext_b.txt")
    orphan = store.add_annotation(ext_b, EXT_B_TEXT, 0, 4, ("question",), "lost")
    store.update_anchor(orphan.id, 0, 4, "orphan")
    yield store, texts
    store.close()


def documents(store, scope=None):
    return collect(store, scope if scope is not None else ExportScope(), load_text)


def test_every_document_is_covered(corpus):
    store, texts = corpus
    notes = documents(store)
    assert {n.document.hash for n in notes} == set(texts) and len(texts) == 6
    assert all(n.text == texts[n.document.hash] for n in notes)


def test_w3c_validates_and_positions_are_code_points(corpus):
    store, texts = corpus
    exported = json.loads(to_w3c(documents(store)))
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(exported)
    items = exported["first"]["items"]
    assert exported["total"] == len(items) == sum(len(store.annotations(h)) for h in texts)
    positioned = 0
    for item in items:
        text = texts[item["target"]["source"]["sha256"]]
        quote, *position = item["target"]["selector"]
        for selector in position:
            assert text[selector["start"] : selector["end"]] == quote["exact"]
            positioned += 1
    assert positioned == len(items) - 1, "only the orphan lacks a position"


def test_w3c_bodies_carry_tags_and_note(corpus):
    store, _texts = corpus
    items = json.loads(to_w3c(documents(store)))["first"]["items"]
    item = next(i for i in items if len(i.get("body", [])) == 3)
    assert [b["purpose"] for b in item["body"]] == ["tagging", "tagging", "commenting"]
    assert item["motivation"] == "commenting" and item["id"].startswith("urn:uuid:")
    assert item["target"]["source"]["id"].startswith("file:///")


def test_extension_b_offsets_are_code_points_not_utf16(corpus):
    store, texts = corpus
    digest = next(h for h, t in texts.items() if t == EXT_B_TEXT)
    second = EXT_B_TEXT.index("第二句")
    utf16_offset = len(EXT_B_TEXT[:second].encode("utf-16-le")) // 2
    assert utf16_offset == second + 1
    line = json.loads(to_jsonl(documents(store, ExportScope(doc_hash=digest))))
    starts = {span["start"] for span in line["spans"]}
    assert second in starts and utf16_offset not in starts
    for annotation in line["meta"]["annotations"]:
        assert EXT_B_TEXT[annotation["start"] : annotation["end"]] == annotation["quote"]
    assert [orphan["note"] for orphan in line["meta"]["orphans"]] == ["lost"]


def test_jsonl_spans_are_slices_on_grapheme_boundaries(corpus):
    store, texts = corpus
    lines = to_jsonl(documents(store)).splitlines()
    assert len(lines) == len(texts)
    for line in lines:
        record = json.loads(line)
        text = record["text"]
        assert text == texts[record["meta"]["hash"]]
        boundaries = set(grapheme_boundaries(text))
        quotes = {(a["start"], a["end"]): a for a in record["meta"]["annotations"]}
        for span in record["spans"]:
            assert span["start"] in boundaries and span["end"] in boundaries
            annotation = quotes[(span["start"], span["end"])]
            assert text[span["start"] : span["end"]] == annotation["quote"]
            assert span["label"] in (annotation["tags"] or [UNTAGGED_LABEL])


def test_csv_has_a_bom_and_one_row_per_tag(corpus):
    store, texts = corpus
    exported = to_csv(documents(store))
    assert exported.startswith("\ufeff") and "\r\n" in exported
    rows = list(csv.DictReader(io.StringIO(exported.removeprefix("\ufeff"))))
    assert tuple(rows[0]) == COLUMNS
    annotations = [a for h in texts for a in store.annotations(h)]
    assert len(rows) == sum(max(1, len(a.tags)) for a in annotations)
    by_path = {n.document.path: n.text for n in documents(store)}
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        if row["quote"] != "古籍中的":
            assert by_path[row["path"]][start:end] == row["quote"]
    assert any(row["tag"] == "" for row in rows) and any(row["note"] == "note 1\nsecond line" for row in rows)


def test_brat_offsets_are_slices_of_the_txt(corpus):
    store, texts = corpus
    files = to_brat(documents(store))
    assert len(files) == 2 * len(texts)
    discontinuous = 0
    for name, content in files.items():
        if not name.endswith(".ann"):
            continue
        text = files[name.removesuffix(".ann") + ".txt"]
        assert text in texts.values()
        for line in content.splitlines():
            identifier, middle, covered = line.split("\t")
            if identifier.startswith("#"):
                assert middle.startswith("AnnotatorNotes T") and "\n" not in covered
                continue
            label, offsets = middle.split(" ", 1)
            assert " " not in label and label != "my tag"
            pieces = [tuple(map(int, piece.split())) for piece in offsets.split(";")]
            discontinuous += len(pieces) > 1
            assert " ".join(text[s:e] for s, e in pieces) == covered
            assert all("\n" not in text[s:e] for s, e in pieces)
    assert discontinuous > 0


def test_markdown_isolates_right_to_left_quotes_in_logical_order(corpus):
    store, texts = corpus
    markdown = to_markdown(documents(store))
    arabic = next(t for t in texts.values() if unicodedata.bidirectional(t.strip()[0]) == "AL")
    first_line = arabic.split("\n")[0]
    assert f"> {RLI}{first_line}{PDI}" in markdown
    punjabi_first_line = next(t for t in texts.values() if t.startswith("ਡਰੈਗਨ")).split("\n")[0]
    assert f"> {punjabi_first_line}\n" in markdown
    assert markdown.count("\n---\n") == sum(len(store.annotations(h)) for h in texts)
    orphans = markdown.split("## Orphaned annotations")[1]
    assert "lost" in orphans and "古籍中的" in orphans


def test_markdown_by_tag_groups_under_each_tag(corpus):
    store, _texts = corpus
    markdown = to_markdown(documents(store), by_tag=True)
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert headings[-2:] == ["Untagged", "Orphaned annotations"]
    assert {"question", "evidence", "my tag", "spans lines"} <= set(headings)


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("# not a heading", r"> \# not a heading"),
        ("*stars* and _under_", r"> \*stars\* and \_under\_"),
        ("  indented", "> indented"),
        ("1. not a list", r"> \1. not a list"),
    ],
)
def test_markdown_escapes_quotes(tmp_path, quote, expected):
    with Store.open(tmp_path / "notes.sqlite3") as store:
        store.add_annotation("f" * 64, quote, 0, len(quote))
        assert expected in to_markdown(collect(store, ExportScope(), lambda document: None)).splitlines()


def test_scopes_select_a_document_or_a_tag(corpus):
    store, texts = corpus
    one = next(iter(texts))
    scoped = documents(store, ExportScope(doc_hash=one))
    assert [n.document.hash for n in scoped] == [one]
    tagged = documents(store, ExportScope(tag="disagree"))
    annotations = [a for n in tagged for a in n.annotations]
    assert annotations and all("disagree" in a.tags for a in annotations)
    assert store.tag_usage("disagree") == len(annotations)


def test_atomic_writes_refuse_to_overwrite_without_force(tmp_path):
    target = tmp_path / "out.md"
    write_atomic(target, "first")
    with pytest.raises(OutputExists, match="already exists"):
        write_atomic(target, "second")
    assert target.read_text() == "first"
    write_atomic(target, "third ਪੰਜਾਬੀ", force=True)
    assert target.read_text(encoding="utf-8") == "third ਪੰਜਾਬੀ"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"], "no temporary files left"
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(("fmt", "name"), [("md", "notes.md"), ("csv", "notes.csv"), ("brat", "brat")])
def test_write_export_writes_whole_files_and_never_overwrites(corpus, tmp_path, fmt, name):
    from tui.notes.export import NotAFolder, write_export

    store, texts = corpus
    destination = tmp_path / name
    result = write_export(store, fmt, ExportScope(), destination)
    assert result.documents == len(texts) and result.annotations > 0
    written = sorted(destination.iterdir()) if destination.is_dir() else [destination]
    before = [path.read_bytes() for path in written]
    with pytest.raises(OutputExists):
        write_export(store, fmt, ExportScope(), destination)
    assert [path.read_bytes() for path in written] == before
    write_export(store, fmt, ExportScope(), destination, force=True)
    if fmt == "brat":
        (tmp_path / "file").write_text("x")
        with pytest.raises(NotAFolder):
            write_export(store, fmt, ExportScope(), tmp_path / "file")


def test_one_table_describes_every_export_format():
    """Folder formats render several files, the others one text; span formats keep only what
    the text holds; the app and the shell read the same table."""
    from tui.notes.export import FORMATS, export_format, render

    assert list(FORMATS) == ["md", "w3c", "jsonl", "csv", "brat", "conll", "spacy"]
    for name, fmt in FORMATS.items():
        assert export_format(name) is fmt and fmt.label
        assert (fmt.extension == "") == fmt.folder, name
        if fmt.binary:
            continue  # spaCy is optional; tests/test_conll_cli.py renders it
        rendered = render(name, [])
        assert isinstance(rendered, dict) == fmt.folder, name
    assert [name for name, fmt in FORMATS.items() if fmt.spans] == ["jsonl", "brat", "conll", "spacy"]
    assert [name for name, fmt in FORMATS.items() if fmt.binary] == ["spacy"]
    assert [name for name, fmt in FORMATS.items() if fmt.by_tag] == ["md"]
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        export_format("pdf")
