"""margin export against the file on disk: re-anchoring, exit codes, offsets, read-only stores."""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path

import pytest

from tui.corpus.identity import content_hash
from tui.notes.atomic import OutputExists, write_atomic
from tui.notes.commands import INCOMPLETE, add_subcommands
from tui.notes.store import Gone, Store, StoreReadOnly
from tui.text.decode import decode

CRLF_BOM = "\ufeffFirst line here.\r\nسطر عربي ثانٍ.\r\n第三行。\r\nLast line, the end.\r\n".encode()


def run(store_path: Path, *arguments: str) -> int:
    parser = argparse.ArgumentParser(prog="margin")
    parser.add_argument("--store", type=Path)
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["--store", str(store_path), *arguments])
    return args.func(args)


@pytest.fixture
def crlf(tmp_path):
    """A CRLF file with a BOM, three passages annotated, one of them spanning a line break."""
    path = tmp_path / "crlf.txt"
    path.write_bytes(CRLF_BOM)
    text = decode(CRLF_BOM).text
    store_path = tmp_path / "notes.sqlite3"
    with Store.open(store_path) as store:
        digest = content_hash(path)
        store.register_document(digest, path, "crlf")
        for quote, tags in (("سطر عربي", ("ar",)), ("第三行", ()), ("here.\nسطر", ("x",))):
            start = text.index(quote)
            store.add_annotation(digest, text, start, start + len(quote), tags, "n")
    return store_path, path, tmp_path


def spans_of(fmt: str, output: Path) -> tuple[str, list[tuple[int, int, str]]]:
    """(the text the export says its offsets count in, [(start, end, quote)])."""
    if fmt == "jsonl":
        (line,) = output.read_text(encoding="utf-8").splitlines()
        record = json.loads(line)
        assert record["meta"]["offsets"]
        return record["text"], [(a["start"], a["end"], a["quote"]) for a in record["meta"]["annotations"]]
    if fmt == "w3c":
        collection = json.loads(output.read_text(encoding="utf-8"))
        assert "offsets" in collection and collection["@context"][1]["offsets"]
        found = []
        for item in collection["first"]["items"]:
            selectors = {s["type"]: s for s in item["target"]["selector"]}
            position = selectors.get("TextPositionSelector")
            if position is None:
                continue
            found.append((position["start"], position["end"], selectors["TextQuoteSelector"]["exact"]))
        return "", found
    if fmt == "csv":
        with open(output, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        start, end = (header.index(n) for n in ("start", "end")) if "start" in header else (
            header.index("file_start"),
            header.index("file_end"),
        )
        return "", [(int(r[start]), int(r[end]), r[header.index("quote")]) for r in body]
    (txt,) = output.glob("*.txt")
    text = txt.read_bytes().decode("utf-8")
    found = []
    for line in next(output.glob("*.ann")).read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            _id, middle, covered = line.split("\t")
            pieces = [tuple(map(int, part.split())) for part in middle.split(" ", 1)[1].split(";")]
            found.append((pieces[0][0], pieces[-1][1], covered, pieces))
    return text, found


@pytest.mark.parametrize("fmt", ["jsonl", "w3c", "csv", "brat"])
@pytest.mark.parametrize("mode", ["text", "file"])
def test_offsets_index_the_right_text_in_both_modes(crlf, fmt, mode):
    store_path, path, tmp = crlf
    output = tmp / f"out-{fmt}-{mode}"
    assert run(store_path, "export", "--format", fmt, "--offsets", mode, "-o", str(output)) == 0
    if mode == "text":
        expected = decode(CRLF_BOM).text
    else:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            expected = handle.read()
    assert expected.startswith("First") and (("\r\n" in expected) == (mode == "file"))
    carried, found = spans_of(fmt, output)
    assert len(found) == 3
    if carried:
        assert carried == expected, "the export carries exactly the text its offsets count in"
    for entry in found:
        start, end, quote = entry[:3]
        if fmt == "brat":
            assert " ".join(expected[a:b] for a, b in entry[3]) == quote
        else:
            assert expected[start:end] == quote
    if mode == "file" and fmt != "brat":
        assert any("\r\n" in entry[2] for entry in found), "a quote over a line break keeps the file's CRLF"


def test_markdown_says_nothing_about_offsets_but_exports_every_passage(crlf, capsys):
    store_path, _path, _tmp = crlf
    assert run(store_path, "export", "--offsets", "file") == 0
    out = capsys.readouterr().out
    assert "سطر عربي" in out and "第三行" in out


@pytest.mark.parametrize("fmt", ["md", "w3c", "jsonl", "csv", "brat"])
def test_a_changed_file_is_reanchored_before_export_and_orphans_are_reported(crlf, fmt, capsys):
    store_path, path, tmp = crlf
    edited = "\ufeffA new opening line.\r\nFirst line here.\r\nسطر عربي ثانٍ.\r\nLast line, the end.\r\n"
    path.write_bytes(edited.encode())
    text = decode(path.read_bytes()).text
    output = tmp / f"changed-{fmt}"
    status = run(store_path, "export", "--format", fmt, "-o", str(output))
    err = capsys.readouterr().err.strip().splitlines()
    assert status == INCOMPLETE != 0 and status != 2
    assert len(err) == 1 and "1 orphaned annotation" in err[0], err
    if fmt in ("jsonl", "w3c", "csv"):
        _carried, found = spans_of(fmt, output)
        placed = [entry for entry in found if entry[2] != "第三行"]
        assert placed and all(text[start:end] == quote for start, end, quote, *_ in placed)
        assert any(quote == "سطر عربي" for _s, _e, quote, *_ in placed)
    with Store.open(store_path) as store:
        assert store.document_by_path(path).hash != content_hash(path), "export does not write the store"


def test_an_export_with_everything_in_place_exits_0_and_a_missing_file_is_left_out(crlf, capsys):
    store_path, path, tmp = crlf
    assert run(store_path, "export", "--format", "jsonl", "-o", str(tmp / "a.jsonl")) == 0
    assert capsys.readouterr().err == ""
    path.unlink()
    assert run(store_path, "export", "--format", "jsonl", "-o", str(tmp / "b.jsonl")) == INCOMPLETE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "1 document left out" in err[0]
    assert run(store_path, "export", "--format", "w3c", "-o", str(tmp / "c.jsonld")) == 0


def test_by_tag_is_refused_for_formats_other_than_markdown(crlf, capsys):
    store_path, _path, tmp = crlf
    assert run(store_path, "export", "--format", "csv", "--by-tag", "-o", str(tmp / "x.csv")) == 2
    assert "--by-tag" in capsys.readouterr().err and not (tmp / "x.csv").exists()
    assert run(store_path, "export", "--by-tag") == 0


def test_errors_name_the_destination_never_the_temporary_file(crlf, capsys):
    store_path, _path, tmp = crlf
    destination = tmp / "no" / "such" / "folder" / "out.md"
    assert run(store_path, "export", "-o", str(destination)) == 2
    err = capsys.readouterr().err
    assert str(destination) in err and ".tmp" not in err


def test_output_exists_says_so_once_and_the_shell_adds_how_to_overwrite(tmp_path, crlf, capsys):
    target = tmp_path / "exists.md"
    target.write_text("x")
    with pytest.raises(OutputExists) as caught:
        write_atomic(target, "y")
    assert str(caught.value) == f"{target} already exists"
    store_path, _path, _tmp = crlf
    assert run(store_path, "export", "-o", str(target)) == 2
    assert capsys.readouterr().err.count("already exists") == 1


def _read_only(monkeypatch, path: Path) -> None:
    """Tests run as root, who writes through permission bits: answer ``os.access`` as a read-only
    file (chattr +i, a read-only mount, mode 0444 for a user) would."""
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == path and mode & os.W_OK else real(p, mode)
    )


def test_a_read_only_store_is_read_and_exported_but_refuses_writes(crlf, monkeypatch, capsys):
    store_path, path, tmp = crlf
    before = store_path.read_bytes()
    _read_only(monkeypatch, store_path)
    with Store.open(store_path) as store:
        assert store.read_only and "not writable" in store.read_only_reason
        digest = content_hash(path)
        annotations = store.annotations(digest)
        assert len(annotations) == 3 and store.stats().annotations == 3
        with pytest.raises(StoreReadOnly) as caught:
            store.set_note(annotations[0].id, "changed")
        message = str(caught.value)
        assert "read-only" in message and "not writable" in message and "\n" not in message
        with pytest.raises(StoreReadOnly):
            store.create_tag("new")
    for arguments in (("stats",), ("tags",), ("export", "--format", "w3c")):
        assert run(store_path, *arguments) == 0, arguments
    capsys.readouterr()
    importable = tmp / "in.jsonl"
    assert run(store_path, "export", "--format", "jsonl", "-o", str(importable)) == 0
    assert run(store_path, "import", str(importable)) == 2
    assert "read-only" in capsys.readouterr().err
    assert store_path.read_bytes() == before


def test_a_store_opened_read_only_cannot_be_written_even_by_sql(crlf):
    """The read-only connection itself refuses: the flag is not the only guard."""
    import sqlite3

    store_path, _path, _tmp = crlf
    with Store.open(store_path, read_only=True) as store:
        assert store.read_only
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store._db.connection.execute("DELETE FROM annotations")
        assert len(store.all_annotations()) == 3


def test_a_store_in_a_missing_folder_is_refused_and_nothing_is_created(tmp_path, capsys):
    missing = tmp_path / "typo" / "deeper" / "notes.sqlite3"
    assert run(missing, "stats") == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and str(missing.parent) in err
    assert not (tmp_path / "typo").exists()


def test_a_write_against_an_annotation_deleted_elsewhere_raises_gone(crlf):
    store_path, path, _tmp = crlf
    with Store.open(store_path) as mine, Store.open(store_path) as theirs:
        shown = mine.annotations(content_hash(path))[0]
        theirs.delete_annotation(shown.id)
        for attempt in (
            lambda: mine.set_tags(shown.id, ("ar", "new")),
            lambda: mine.set_note(shown.id, "n2"),
            lambda: mine.delete_annotation(shown.id),
        ):
            with pytest.raises(Gone) as caught:
                attempt()
            assert caught.value.id == shown.id and "deleted elsewhere" in str(caught.value)
        assert mine.tag("new") is None, "nothing of the failed change was written"


def test_a_write_against_an_annotation_changed_elsewhere_raises_conflict_when_asked(crlf):
    from tui.notes.store import Conflict

    store_path, path, _tmp = crlf
    with Store.open(store_path) as mine, Store.open(store_path) as theirs:
        shown = mine.annotations(content_hash(path))[0]
        theirs.set_note(shown.id, "their note")
        with pytest.raises(Conflict) as caught:
            mine.set_note(shown.id, "my note", expected=shown)
        assert caught.value.current.note == "their note" and "changed elsewhere" in str(caught.value)
        assert mine.get(shown.id).note == "their note"
        current = mine.get(shown.id)
        assert mine.set_note(shown.id, "my note", expected=current).note == "my note"


def test_the_command_line_refuses_a_store_flag_in_a_missing_folder(tmp_path, capsys):
    from tui import cli

    missing = tmp_path / "typo" / "notes.sqlite3"
    assert cli.main(["--store", str(missing), "stats"]) == 2
    assert cli.main(["--store", str(missing), str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all("does not exist" in line and str(missing.parent) in line for line in err)
    assert not (tmp_path / "typo").exists()


def test_config_dev_null_is_an_empty_configuration(tmp_path, capsys):
    from tui import cli

    assert cli.main(["--config", "/dev/null", "--store", str(tmp_path / "n.sqlite3"), "stats"]) == 0
    assert "not found" not in capsys.readouterr().err
    assert cli.main(["--config", str(tmp_path), "stats"]) == 2
    assert "is a folder" in capsys.readouterr().err
