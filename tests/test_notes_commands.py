"""margin export / import / tags / stats: output, files, and one-line errors with status 2."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from tui.corpus.identity import content_hash
from tui.locations import seeds_dir
from tui.notes.commands import add_subcommands
from tui.notes.store import Store
from tui.text.decode import decode

ARABIC = "001_8fee35915be30630.txt"
ENGLISH = "004_e145bc4021a03735.txt"


def run(store_path: Path, *arguments: str) -> int:
    parser = argparse.ArgumentParser(prog="margin")
    parser.add_argument("--store", type=Path)
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["--store", str(store_path), *arguments])
    return args.func(args)


@pytest.fixture
def setup(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    store_path = tmp_path / "notes.sqlite3"
    with Store.open(store_path) as store:
        for name, tags in ((ARABIC, ("question",)), (ENGLISH, ("evidence", "todo"))):
            path = folder / name
            shutil.copy(seeds_dir() / name, path)
            text = decode(path.read_bytes()).text
            digest = content_hash(path)
            store.register_document(digest, path, name.split("_")[0])
            store.add_annotation(digest, text, 0, 30, tags, "first note")
            store.add_annotation(digest, text, 40, 60)
    return store_path, folder, tmp_path


def one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("margin: ") and "Traceback" not in captured.err
    return lines[0]


def test_export_markdown_to_stdout(setup, capsys):
    store_path, _folder, _tmp = setup
    assert run(store_path, "export") == 0
    out = capsys.readouterr().out
    assert out.startswith("# Margin annotations") and "## 001" in out and "## 004" in out


@pytest.mark.parametrize("format", ["md", "w3c", "jsonl", "csv"])
def test_export_to_a_file_refuses_to_overwrite_without_force(setup, capsys, format):
    store_path, _folder, tmp = setup
    target = tmp / f"out.{format}"
    assert run(store_path, "export", "--format", format, "-o", str(target)) == 0
    first = target.read_bytes()
    assert first
    assert run(store_path, "export", "--format", format, "-o", str(target)) == 2
    assert "--force" in one_error_line(capsys)
    assert run(store_path, "export", "--format", format, "-o", str(target), "--force") == 0
    assert target.read_bytes() == first


def test_brat_needs_a_folder(setup, capsys):
    store_path, _folder, tmp = setup
    assert run(store_path, "export", "--format", "brat") == 2
    assert "-o DIR" in one_error_line(capsys)
    out = tmp / "brat"
    assert run(store_path, "export", "--format", "brat", "-o", str(out)) == 0
    assert len(list(out.glob("*.ann"))) == 2 and len(list(out.glob("*.txt"))) == 2
    assert run(store_path, "export", "--format", "brat", "-o", str(out)) == 2
    one_error_line(capsys)


def test_export_scopes(setup, capsys):
    store_path, folder, _tmp = setup
    assert run(store_path, "export", "--format", "jsonl", "--doc", str(folder / ENGLISH)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["meta"]["title"] == "004"
    assert run(store_path, "export", "--format", "w3c", "--tag", "question") == 0
    items = json.loads(capsys.readouterr().out)["first"]["items"]
    assert len(items) == 1 and items[0]["body"][0]["value"] == "question"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (("export", "--tag", "nonexistent"), "no tag named 'nonexistent'"),
        (("export", "--doc", "/no/such/file.txt"), "no annotated document"),
        (("import", "/no/such/notes.json"), "No such file"),
    ],
)
def test_errors_are_one_line_with_status_2(setup, capsys, arguments, expected):
    store_path, _folder, _tmp = setup
    assert run(store_path, *arguments) == 2
    assert expected in one_error_line(capsys)


def test_import_reports_counts_and_merges(setup, capsys):
    store_path, _folder, tmp = setup
    exported = tmp / "notes.jsonld"
    assert run(store_path, "export", "--format", "w3c", "-o", str(exported)) == 0
    fresh = tmp / "fresh.sqlite3"
    assert run(fresh, "import", str(exported)) == 0
    assert "imported 4 annotations, skipped 0" in capsys.readouterr().out
    assert run(fresh, "import", str(exported)) == 0
    assert "imported 0 annotations, skipped 4" in capsys.readouterr().out


def test_a_bad_import_changes_nothing(setup, capsys):
    store_path, _folder, tmp = setup
    bad = tmp / "bad.json"
    bad.write_text("[1, 2, 3]")
    assert run(store_path, "import", str(bad)) == 2
    assert "nothing was imported" in one_error_line(capsys)
    with Store.open(store_path) as store:
        assert store.stats().annotations == 4


def test_tags_lists_keys_colours_and_use(setup, capsys):
    store_path, _folder, _tmp = setup
    assert run(store_path, "tags") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["1", "key-point", "#e69f00", "0"]
    assert lines[1].split() == ["2", "question", "#56b4e9", "1"]


def test_stats_counts_per_document_and_tag(setup, capsys):
    store_path, _folder, _tmp = setup
    assert run(store_path, "stats") == 0
    out = capsys.readouterr().out
    assert out.startswith("4 annotations in 2 documents (0 orphaned, 2 untagged)")
    assert "  evidence: 1" in out and "  question: 1" in out and "004 (" in out


def test_a_damaged_store_is_one_line(tmp_path, capsys):
    store_path = tmp_path / "notes.sqlite3"
    store_path.write_bytes(b"garbage" * 100)
    assert run(store_path, "stats") == 2
    assert "damaged" in one_error_line(capsys)
    assert store_path.read_bytes() == b"garbage" * 100


def test_the_margin_command_dispatches_here(setup, capsys):
    from tui.cli import main

    store_path, _folder, _tmp = setup
    assert main(["--store", str(store_path), "stats"]) == 0
    assert capsys.readouterr().out.startswith("4 annotations")


def test_the_notes_layer_loads_neither_textual_nor_rich(setup):
    import subprocess
    import sys

    store_path, folder, _tmp = setup
    script = (
        "import sys, pathlib\n"
        "import tui.notes.commands, tui.notes.history, tui.notes.anchoring, tui.notes.importing\n"
        "from tui.notes.store import Store\n"
        "store = Store.open(pathlib.Path(sys.argv[1]))\n"
        "resolved = tui.notes.commands.store_resolver(store)(None, sys.argv[2])\n"
        "assert resolved is not None\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(store_path), str(folder / ENGLISH)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    assert result.stdout.strip() == "[]"
