"""``margin agree`` end to end: store and export files in, table, JSON and CSV out."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import jsonschema
import pytest

from tui.cli import main
from tui.notes.store import Store

SCHEMA = json.loads((Path(__file__).parent / "data" / "agreement.schema.json").read_text("utf-8"))
TEXT = "Zaid met Hind in Baghdad. 😀 Then to Cairo and بغداد."
ALICE = [(0, 4, "PER"), (9, 13, "PER"), (17, 24, "LOC"), (36, 41, "LOC")]
BOB = [(0, 4, "PER"), (9, 13, "LOC"), (17, 24, "LOC"), (34, 41, "LOC"), (46, 51, "LOC")]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def agree_json(capsys, *argv: str) -> dict:
    status, out, err = run(capsys, "agree", "--format", "json", *argv)
    assert status == 0, err
    report = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in JSON output"))
    jsonschema.validate(report, SCHEMA)
    return report


def write_plain(path: Path, spans, text: str = TEXT) -> Path:
    path.write_text(json.dumps({"text": text, "spans": [list(s) for s in spans]}, ensure_ascii=False) + "\n", "utf-8")
    return path


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A store where alice and bob annotated the same file (the team's single-store setup)."""
    document = tmp_path / "doc.txt"
    document.write_text(TEXT, "utf-8")
    digest = hashlib.sha256(document.read_bytes()).hexdigest()
    path = tmp_path / "notes.sqlite3"
    with Store.open(path) as store:
        store.register_document(digest, document, "doc")
        for annotator, spans in (("alice", ALICE), ("bob", BOB)):
            for start, end, tag in spans:
                store.add_annotation(digest, TEXT, start, end, [tag], annotator=annotator)
    return path


def test_plain_jsonl_files_name_their_annotator_by_stem_and_match_the_schema(tmp_path, capsys):
    report = agree_json(capsys, str(write_plain(tmp_path / "alice.jsonl", ALICE)), str(write_plain(tmp_path / "bob.jsonl", BOB)))
    assert report["annotators"] == ["alice", "bob"]
    assert report["documents"] == 1
    assert list(report["by_document"]) == [hashlib.sha256(TEXT.encode("utf-8")).hexdigest()]
    # Exact: PER 0-4 and LOC 17-24 shared; alice 4 spans, bob 5: 2·2/9.
    assert report["overall"]["f1_exact"]["alice|bob"] == pytest.approx(4 / 9)
    assert report["by_tag"]["PER"]["f1_exact"]["alice|bob"] == pytest.approx(2 * 1 / 3)
    # Overlap needs the same tag: 3 of alice's 4 spans meet one of bob's (9-13 is LOC for
    # bob), 3 of bob's 5 meet one of alice's; 2·0.6·0.75 / 1.35.
    assert report["overall"]["f1_overlap"]["alice|bob"] == pytest.approx(2 / 3)


def test_the_store_and_its_exports_give_the_same_report(store_path, tmp_path, capsys):
    from_store = agree_json(capsys, "--store", str(store_path))
    for fmt in ("jsonl", "w3c"):
        exported = tmp_path / f"all.{fmt}"
        status, _out, err = run(capsys, "--store", str(store_path), "export", "--format", fmt, "-o", str(exported))
        assert status == 0, err
        from_file = agree_json(capsys, str(exported))
        assert from_file == from_store, fmt
    assert from_store["annotators"] == ["alice", "bob"]
    assert from_store["overall"]["alpha_u"] is not None


def test_annotators_and_tags_narrow_the_report(store_path, capsys):
    report = agree_json(capsys, "--store", str(store_path), "--tag", "LOC", "--annotators", "bob,alice")
    assert report["annotators"] == ["bob", "alice"]
    assert list(report["by_tag"]) == ["LOC"]
    assert list(report["overall"]["cohen_kappa"]) == ["bob|alice"]


def test_utf16_offsets_count_the_emoji_twice(tmp_path, capsys):
    files = [str(write_plain(tmp_path / "alice.jsonl", ALICE)), str(write_plain(tmp_path / "bob.jsonl", BOB))]
    points = agree_json(capsys, *files)
    units = agree_json(capsys, "--offsets", "utf16", *files)
    assert units["offsets"] == "utf16"
    assert units["overall"]["alpha_u"] != points["overall"]["alpha_u"]
    # The same study written in UTF-16 offsets by hand, counted as code points, agrees.
    shift = lambda spans: [(s + (s > 26), e + (e > 26), t) for s, e, t in spans]  # noqa: E731
    padded = TEXT.replace("😀", "😀x")  # one more code point where UTF-16 has one more unit
    (tmp_path / "by_hand").mkdir()
    by_hand = agree_json(
        capsys,
        str(write_plain(tmp_path / "by_hand" / "alice.jsonl", shift(ALICE), padded)),
        str(write_plain(tmp_path / "by_hand" / "bob.jsonl", shift(BOB), padded)),
    )
    assert units["overall"]["alpha_u"] == pytest.approx(by_hand["overall"]["alpha_u"], abs=1e-12)


def test_margin_jsonl_takes_the_annotator_of_each_annotation(tmp_path, capsys):
    meta = lambda annotator, spans: [  # noqa: E731
        {"start": s, "end": e, "tags": [t], "annotator": annotator} for s, e, t in spans
    ]
    record = {"text": TEXT, "spans": [], "meta": {"hash": "ab" * 32, "annotations": meta("alice", ALICE) + meta("bob", BOB)}}
    path = tmp_path / "team.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    report = agree_json(capsys, str(path))
    assert report["annotators"] == ["alice", "bob"]
    assert list(report["by_document"]) == ["ab" * 32]


def test_one_annotator_gives_nulls_not_nan(tmp_path, capsys):
    report = agree_json(capsys, str(write_plain(tmp_path / "alice.jsonl", ALICE)))
    assert report["documents"] == 0
    assert report["overall"]["fleiss_kappa"] is None
    assert report["overall"]["alpha_u"] is None
    assert all(not isinstance(v, float) or math.isfinite(v) for v in report["overall"].values())


def test_the_table_is_plain_text_with_names_escaped(tmp_path, capsys):
    evil = tmp_path / "[bold]eve\x1b[2J.jsonl"
    status, out, err = run(
        capsys, "agree", str(write_plain(tmp_path / "alice.jsonl", ALICE)), str(write_plain(evil, [(0, 4, "P\x9bER")]))
    )
    assert status == 0, err
    assert "\x1b" not in out and "\x9b" not in out
    assert "[bold]eve\\x1b[2J" in out
    assert "P\\x9bER" in out
    status, out, _err = run(capsys, "agree", "--format", "csv", str(tmp_path / "alice.jsonl"), str(evil))
    assert status == 0
    assert out.splitlines()[0] == "scope,name,measure,pair,value"
    assert "\x1b" not in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all\n", "not JSON"),
        (b'{"spans": []}\n', "needs a 'text' string"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_a_bad_file_is_one_line_and_status_2(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    status, out, err = run(capsys, "agree", str(bad))
    assert status == 2
    assert out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_missing_store_is_reported(tmp_path, capsys):
    status, _out, err = run(capsys, "agree", "--store", str(tmp_path / "none.sqlite3"))
    assert status == 2
    assert "no annotation store" in err
