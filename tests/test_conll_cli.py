"""margin export --format conll / spacy: the overlap warning, --strict, and spaCy optional."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import pytest

from tui.corpus.identity import content_hash
from tui.locations import seeds_dir
from tui.notes.commands import add_subcommands
from tui.notes.exporters.bio import LabelledSpan
from tui.notes.importers.conll import read_conll, spans_in
from tui.notes.store import Store
from tui.text.decode import decode

CHINESE = "002_859d7618586743be.txt"
PUNJABI = "000_2b95fd20893b1bf4.txt"


def run(store_path: Path, *arguments: str) -> int:
    parser = argparse.ArgumentParser(prog="margin")
    parser.add_argument("--store", type=Path)
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["--store", str(store_path), *arguments])
    return args.func(args)


@pytest.fixture
def setup(tmp_path):
    """Chinese: two nested spans and one multi-tag span; Punjabi: two plain spans. Exports
    list documents by title: Punjabi (000) first."""
    store_path = tmp_path / "notes.sqlite3"
    texts = {}
    with Store.open(store_path) as store:
        for name in (CHINESE, PUNJABI):
            path = tmp_path / name
            shutil.copy(seeds_dir() / name, path)
            text = decode(path.read_bytes()).text
            digest = content_hash(path)
            store.register_document(digest, path, name.split("_")[0])
            texts[name] = text
        chinese = content_hash(tmp_path / CHINESE)
        punjabi = content_hash(tmp_path / PUNJABI)
        store.add_annotation(chinese, texts[CHINESE], 1, 7, ("ORG",), "")
        store.add_annotation(chinese, texts[CHINESE], 2, 4, ("PER",), "")
        store.add_annotation(chinese, texts[CHINESE], 12, 15, ("LOC", "ORG"), "")
        store.add_annotation(punjabi, texts[PUNJABI], 0, 5, ("ਥਾਂ",), "")
        store.add_annotation(punjabi, texts[PUNJABI], 6, 8, (), "")
    return store_path, texts, tmp_path


def test_conll_to_stdout_warns_with_counts_and_reads_back(setup, capsys):
    store_path, texts, _tmp = setup
    assert run(store_path, "export", "--format", "conll") == 0
    captured = capsys.readouterr()
    assert "1 overlapping or nested spans left out (kept the longest" in captured.err
    assert "1 annotations have several tags; each is labelled with its first" in captured.err
    punjabi, chinese = read_conll(captured.out)
    assert spans_in(chinese, texts[CHINESE]) == [LabelledSpan(1, 7, "ORG"), LabelledSpan(12, 15, "LOC")]
    assert spans_in(punjabi, texts[PUNJABI]) == [LabelledSpan(0, 5, "ਥਾਂ"), LabelledSpan(6, 8, "NOTE")]


def test_a_tag_scope_labels_with_that_tag(setup, capsys):
    store_path, texts, _tmp = setup
    assert run(store_path, "export", "--format", "conll", "--tag", "ORG") == 0
    (chinese,) = read_conll(capsys.readouterr().out)
    assert spans_in(chinese, texts[CHINESE]) == [LabelledSpan(1, 7, "ORG"), LabelledSpan(12, 15, "ORG")]


def test_strict_fails_on_overlap_and_writes_nothing(setup, capsys):
    store_path, _texts, tmp = setup
    target = tmp / "out.conll"
    assert run(store_path, "export", "--format", "conll", "--strict", "-o", str(target)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "margin: 1 overlapping or nested spans cannot be BIO tags; nothing written "
        "(without --strict the longest, then the earliest, is kept)"
    ]
    assert not target.exists()


def test_strict_passes_without_overlap(setup, capsys):
    store_path, _texts, tmp = setup
    target = tmp / "out.conll"
    assert run(store_path, "export", "--format", "conll", "--tag", "ਥਾਂ", "--strict", "-o", str(target)) == 0
    assert target.read_text(encoding="utf-8").startswith("-DOCSTART-\tO\n\nਡਰੈਗਨ\tB-ਥਾਂ\n")


def test_spacy_without_spacy_is_one_line_and_status_2(setup, capsys, monkeypatch):
    store_path, _texts, tmp = setup
    monkeypatch.setitem(sys.modules, "spacy", None)
    assert run(store_path, "export", "--format", "spacy", "-o", str(tmp / "out.spacy")) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        "margin: the spacy format needs spaCy, which is not installed (pip install 'margin[spacy]')\n"
    )
    assert not (tmp / "out.spacy").exists()


def test_spacy_needs_a_file(setup, capsys):
    store_path, _texts, _tmp = setup
    pytest.importorskip("spacy", reason="spaCy is an optional extra (margin[spacy]), not installed here")
    assert run(store_path, "export", "--format", "spacy") == 2
    assert "binary: give a file with -o FILE" in capsys.readouterr().err


def test_spacy_docbin_holds_the_text_ents_all_spans_and_sentences(setup, capsys):
    spacy = pytest.importorskip(
        "spacy", reason="spaCy is an optional extra (margin[spacy]), not installed here"
    )
    from spacy.tokens import DocBin

    store_path, texts, tmp = setup
    target = tmp / "out.spacy"
    assert run(store_path, "export", "--format", "spacy", "-o", str(target)) == 0
    docs = list(DocBin().from_bytes(target.read_bytes()).get_docs(spacy.blank("xx").vocab))
    punjabi, chinese = docs
    assert chinese.text == texts[CHINESE] and punjabi.text == texts[PUNJABI]
    assert [(e.start_char, e.end_char, e.label_) for e in chinese.ents] == [(1, 7, "ORG"), (12, 15, "LOC")]
    assert sorted((s.start_char, s.end_char, s.label_) for s in chinese.spans["sc"]) == [
        (1, 7, "ORG"),
        (2, 4, "PER"),
        (12, 15, "LOC"),
    ]
    assert [(e.start_char, e.end_char, e.label_) for e in punjabi.ents] == [(0, 5, "ਥਾਂ"), (6, 8, "NOTE")]
    assert len(list(punjabi.sents)) > 3
    assert chinese.user_data["margin"]["hash"] == content_hash(tmp / CHINESE)
