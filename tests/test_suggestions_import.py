"""margin import --suggestions (each format, documents found by name or by text, unmatched
records, re-anchoring) and margin export --format jsonl --suggestions (the round trip)."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from tui.corpus.identity import content_hash
from tui.locations import seeds_dir
from tui.notes.commands import add_subcommands
from tui.notes.model import ORPHAN
from tui.notes.store import Store
from tui.notes.suggestion_anchoring import reanchor_suggestions
from tui.notes.suggestions import REJECTED
from tui.text.decode import decode

ARABIC = "001_8fee35915be30630.txt"
CHINESE = "002_859d7618586743be.txt"
PUNJABI = "000_2b95fd20893b1bf4.txt"
ME = "ana"


def run(store_path: Path, *arguments: str) -> int:
    parser = argparse.ArgumentParser(prog="margin")
    parser.add_argument("--store", type=Path)
    parser.add_argument("--annotator")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["--store", str(store_path), "--annotator", ME, *arguments])
    return args.func(args)


@pytest.fixture
def corpus(tmp_path):
    """Three seeds copied into a folder, registered in a fresh store; (store, {name: (path, text)})."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    store_path = tmp_path / "notes.sqlite3"
    documents = {}
    with Store.open(store_path) as store:
        for name in (ARABIC, CHINESE, PUNJABI):
            path = folder / name
            shutil.copy(seeds_dir() / name, path)
            store.register_document(content_hash(path), path, name)
            documents[name] = (path, decode(path.read_bytes()).text)
    return store_path, documents


def spans_of(text: str, *words: str, label: str = "PER") -> list[dict]:
    spans = []
    for index, word in enumerate(words):
        start = text.index(word)
        spans.append({"start": start, "end": start + len(word), "label": label, "score": round(0.5 + index / 10, 2)})
    return spans


def write_jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def stored(store_path: Path, path: Path):
    with Store.open(store_path) as store:
        return store.suggestions(content_hash(path))


def placed(suggestions) -> list[tuple]:
    return sorted((s.start, s.end, s.tag, s.score, s.source) for s in suggestions)


def test_margin_jsonl_by_hash_and_spacy_jsonl_by_text_and_again_adds_nothing(corpus, tmp_path, capsys):
    store_path, documents = corpus
    arabic_path, arabic = documents[ARABIC]
    chinese_path, chinese = documents[CHINESE]
    by_hash = {"text": arabic, "spans": spans_of(arabic, "علي بابا", "380"), "meta": {"hash": content_hash(arabic_path)}}
    prodigy = {
        "text": chinese,
        "spans": [{**span, "token_start": 0, "token_end": 1} for span in spans_of(chinese, "上海", "AI")],
        "meta": {"score": 0.42, "source": "prodigy-ner"},
        "answer": "accept",
    }
    del prodigy["spans"][1]["score"]
    file = write_jsonl(tmp_path / "in.jsonl", by_hash, prodigy)
    assert run(store_path, "import", "--suggestions", str(file)) == 0
    assert "imported 4 suggestions from 2 records" in capsys.readouterr().out
    arabic_found = stored(store_path, arabic_path)
    assert placed(arabic_found) == [
        (arabic.index("علي بابا"), arabic.index("علي بابا") + len("علي بابا"), "PER", 0.5, "in"),
        (arabic.index("380"), arabic.index("380") + 3, "PER", 0.6, "in"),
    ]
    assert all(s.quote == arabic[s.start : s.end] and s.status != ORPHAN for s in arabic_found)
    chinese_found = stored(store_path, chinese_path)
    assert sorted((s.quote, s.score, s.source) for s in chinese_found) == [("AI", 0.42, "prodigy-ner"), ("上海", 0.5, "prodigy-ner")]
    assert run(store_path, "import", "--suggestions", str(file)) == 0
    assert "imported 0 suggestions from 2 records, skipped 4 already present" in capsys.readouterr().out
    assert len(stored(store_path, arabic_path)) == 2


def test_a_text_is_matched_as_decoded_when_the_file_has_crlf_and_a_bom(corpus, tmp_path):
    store_path, _ = corpus
    path = tmp_path / "corpus" / "windows.txt"
    path.write_bytes("\ufeffਪਹਿਲੀ ਲਾਈਨ\r\nਦੂਜੀ ਲਾਈਨ\r\n".encode())
    with Store.open(store_path) as store:
        store.register_document(content_hash(path), path, "windows")
    text = decode(path.read_bytes()).text
    assert text == "ਪਹਿਲੀ ਲਾਈਨ\nਦੂਜੀ ਲਾਈਨ\n"
    file = write_jsonl(tmp_path / "s.jsonl", {"text": text, "spans": spans_of(text, "ਦੂਜੀ", label="ORD")})
    assert run(store_path, "import", "--suggestions", str(file), "--source", "m1") == 0
    (found,) = stored(store_path, path)
    assert (found.start, found.end, found.quote, found.source) == (text.index("ਦੂਜੀ"), text.index("ਦੂਜੀ") + 4, "ਦੂਜੀ", "m1")


def test_w3c_annotations_with_score_and_generator(corpus, tmp_path):
    store_path, documents = corpus
    path, text = documents[PUNJABI]
    word = "Alibaba"
    start = text.index(word)
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "first": {
            "type": "AnnotationPage",
            "items": [
                {
                    "type": "Annotation",
                    "body": [{"type": "TextualBody", "purpose": "tagging", "value": "ORG"}],
                    "target": {
                        "source": {"id": path.as_uri(), "sha256": content_hash(path)},
                        "selector": [
                            {"type": "TextQuoteSelector", "exact": word},
                            {"type": "TextPositionSelector", "start": start, "end": start + len(word)},
                        ],
                    },
                    "score": 0.77,
                    "generator": {"type": "Software", "name": "w3c-model"},
                },
                {
                    "type": "Annotation",
                    "body": [{"type": "TextualBody", "purpose": "tagging", "value": "ORG"}],
                    "target": {"source": "file:///nowhere/at/all.txt", "selector": {"type": "TextQuoteSelector", "exact": "x"}},
                },
            ],
        },
    }
    file = tmp_path / "s.jsonld"
    file.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    assert run(store_path, "import", "--suggestions", str(file)) == 3
    assert placed(stored(store_path, path)) == [(start, start + len(word), "ORG", 0.77, "w3c-model")]


def test_unmatched_records_are_reported_one_line_each_and_the_rest_imported(corpus, tmp_path, capsys):
    store_path, documents = corpus
    path, text = documents[ARABIC]
    good = {"text": text, "spans": spans_of(text, "380")}
    stranger = {"text": "a text no document has", "spans": [{"start": 0, "end": 1, "label": "X"}]}
    beyond = {"text": text, "spans": [{"start": 0, "end": len(text) + 5, "label": "X"}]}
    named = {"text": "other", "spans": [], "meta": {"path": "/nowhere/gone.txt"}}
    file = write_jsonl(tmp_path / "mixed.jsonl", stranger, good, beyond, named)
    with file.open("a", encoding="utf-8") as stream:
        stream.write("{not json\n")
    assert run(store_path, "import", "--suggestions", str(file)) == 3
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert [line.split(":")[1].strip() for line in errors[:-1]] == ["line 1", "line 3", "line 4", "line 5"]
    assert "no known document has exactly this text" in errors[0]
    assert "beyond the text" in errors[1] and "/nowhere/gone.txt" in errors[2] and "not JSON" in errors[3]
    assert errors[-1] == "margin: 4 records left out (no document, or malformed)"
    assert "Traceback" not in captured.err
    assert len(stored(store_path, path)) == 1
    only_strangers = write_jsonl(tmp_path / "none.jsonl", stranger)
    assert run(store_path, "import", "--suggestions", str(only_strangers)) == 2
    assert len(stored(store_path, path)) == 1


def test_spans_of_an_older_text_are_found_again_or_kept_as_orphans(corpus, tmp_path):
    store_path, documents = corpus
    path, text = documents[CHINESE]
    old = "刪掉的句子。" + text
    gone_start = 0
    moved = old.index("上海")
    record = {
        "text": old,
        "spans": [
            {"start": gone_start, "end": gone_start + 5, "label": "GONE"},
            {"start": moved, "end": moved + 2, "label": "LOC"},
        ],
        "meta": {"path": str(path)},
    }
    file = write_jsonl(tmp_path / "old.jsonl", record)
    assert run(store_path, "import", "--suggestions", str(file)) == 0
    found = {s.tag: s for s in stored(store_path, path)}
    assert (found["LOC"].start, found["LOC"].end, found["LOC"].status) == (text.index("上海"), text.index("上海") + 2, "anchored")
    assert found["GONE"].status == ORPHAN and found["GONE"].quote == "刪掉的句子"


def test_a_changed_file_carries_its_suggestions_and_places_them_again(corpus, tmp_path):
    store_path, documents = corpus
    path, text = documents[ARABIC]
    file = write_jsonl(tmp_path / "s.jsonl", {"text": text, "spans": spans_of(text, "380", "علي بابا")})
    assert run(store_path, "import", "--suggestions", str(file)) == 0
    old_hash = content_hash(path)
    new_text = "سطر جديد\n" + text.replace("علي بابا", "شركة")
    path.write_text(new_text, encoding="utf-8")
    with Store.open(store_path) as store:
        first = store.suggestions(old_hash)[0]
        store.decide_suggestion(first.uid, REJECTED, annotator=ME)
        assert reanchor_suggestions(store, content_hash(path), new_text, from_hash=old_hash) == 2
        now = {s.quote: s for s in store.suggestions(content_hash(path))}
        assert store.suggestions(old_hash) == []
        assert store.suggestion_decisions(ME, content_hash(path))[first.uid].decision == REJECTED
    assert (now["380"].start, now["380"].status) == (new_text.index("380"), "anchored")
    assert now["علي بابا"].status == ORPHAN


def test_export_open_suggestions_and_import_them_back_elsewhere(corpus, tmp_path, capsys):
    store_path, documents = corpus
    records = []
    for name in (ARABIC, CHINESE):
        _path, text = documents[name]
        records.append({"text": text, "spans": spans_of(text, text[10:14], text[30:33], text[50:52])})
    assert run(store_path, "import", "--suggestions", str(write_jsonl(tmp_path / "in.jsonl", *records)), "--source", "m") == 0
    arabic_path = documents[ARABIC][0]
    with Store.open(store_path) as store:
        rejected = store.suggestions(content_hash(arabic_path))[0]
        store.decide_suggestion(rejected.uid, REJECTED, annotator=ME)
        expected = {
            name: placed(s for s in store.suggestions(content_hash(documents[name][0])) if s.uid != rejected.uid)
            for name in (ARABIC, CHINESE)
        }
    capsys.readouterr()
    out = tmp_path / "open.jsonl"
    assert run(store_path, "export", "--format", "jsonl", "--suggestions", "--annotator", ME, "-o", str(out)) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2 and all(span.get("source") == "m" and "score" in span for r in lines for span in r["spans"])
    other_store = tmp_path / "other.sqlite3"
    assert run(other_store, "import", "--suggestions", str(out)) == 0
    for name in (ARABIC, CHINESE):
        assert placed(stored(other_store, documents[name][0])) == expected[name]


def test_suggestion_options_are_refused_where_they_mean_nothing(corpus, tmp_path, capsys):
    store_path, documents = corpus
    file = write_jsonl(tmp_path / "in.jsonl", {"text": documents[ARABIC][1], "spans": []})
    assert run(store_path, "import", str(file), "--source", "m") == 2
    assert "--source" in capsys.readouterr().err
    assert run(store_path, "export", "--format", "csv", "--suggestions") == 2
    assert "JSONL spans only" in capsys.readouterr().err
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    assert run(store_path, "import", "--suggestions", str(tmp_path / "empty.jsonl")) == 2


def test_suggestions_are_never_exported_as_annotations(corpus, tmp_path, capsys):
    store_path, documents = corpus
    _path, text = documents[ARABIC]
    file = write_jsonl(tmp_path / "in.jsonl", {"text": text, "spans": spans_of(text, "380")})
    assert run(store_path, "import", "--suggestions", str(file)) == 0
    with Store.open(store_path) as store:
        store.add_annotation(content_hash(_path), text, 0, 5, ["todo"], annotator=ME)
    capsys.readouterr()
    assert run(store_path, "export", "--format", "jsonl") == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["spans"] == [{"start": 0, "end": 5, "label": "todo"}]
    for fmt in ("w3c", "csv", "md"):
        assert run(store_path, "export", "--format", fmt) == 0
        out = capsys.readouterr().out
        assert "380" not in out.replace(text, "") and "PER" not in out, fmt
