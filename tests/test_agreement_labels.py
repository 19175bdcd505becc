"""Agreement on document labels, against values computed by hand and the krippendorff oracle."""

from __future__ import annotations

import pytest
from tools import missing

from tui.notes.agreement_labels import label_agreement


def triples(annotator: str, values: str) -> list[tuple[str, str, str]]:
    """One label per document: ``p`` positive, ``n`` negative, ``.`` no label."""
    names = {"p": "positive", "n": "negative"}
    return [(f"doc{i}", annotator, names[v]) for i, v in enumerate(values) if v != "."]


def test_cohen_kappa_over_documents_matches_the_hand_computed_value():
    # 10 documents; A and B agree on 8 (p_o = 0.8); each says positive 5 times (p_e = 0.5):
    # κ = (0.8 − 0.5) / (1 − 0.5) = 0.6.
    labels = triples("a", "ppppp" "nnnnn") + triples("b", "ppppn" "nnnnp")
    report = label_agreement(labels, ["a", "b"])
    assert report.documents == 10
    assert report.overall.cohen_kappa["a|b"] == pytest.approx(0.6)
    # Two raters, complete data: Fleiss' κ uses the pooled shares, which are the same here.
    assert report.overall.fleiss_kappa == pytest.approx(0.6)
    # α = 1 − D_o/D_e = 1 − (4/20) / (2·10·10/(20·19)) = 1 − 0.2/(10/19) = 0.62.
    assert report.overall.alpha_nominal == pytest.approx(0.62)
    # Per label, yes/no: the same table, so the same κ.
    assert report.by_label["positive"].cohen_kappa["a|b"] == pytest.approx(0.6)


def test_an_unequal_table_by_hand():
    # A: p p p p p p p n n n ; B: p p p p p n n n n p
    # agree on 7 (docs 0–4, 7, 8) → p_o = 0.7; A says p 7/10, B 6/10:
    # p_e = 0.7·0.6 + 0.3·0.4 = 0.54; κ = (0.7 − 0.54) / 0.46 = 0.347826…
    labels = triples("a", "pppppppnnn") + triples("b", "pppppnnnnp")
    assert label_agreement(labels, ["a", "b"]).overall.cohen_kappa["a|b"] == pytest.approx(0.16 / 0.46)


def test_documents_one_annotator_left_unlabelled_are_left_out_of_kappa_not_alpha():
    labels = triples("a", "pn.p") + triples("b", "pnpn") + triples("c", "pn..")
    report = label_agreement(labels, ["a", "b", "c"])
    # a|b on docs 0, 1, 3: p/p n/n p/n → p_o = 2/3, p_e = 2/3·1/3 + 1/3·2/3 = 4/9, κ = 0.4
    assert report.overall.cohen_kappa["a|b"] == pytest.approx(0.4)
    assert report.overall.cohen_kappa["a|c"] is not None
    assert report.overall.fleiss_kappa == pytest.approx(1.0), "only docs 0 and 1 are complete"
    try:
        import krippendorff
    except ImportError:
        missing("the krippendorff package (a test extra) is not installed")
    nan = float("nan")
    matrix = [[1, 0, nan, 1], [1, 0, 1, 0], [1, 0, nan, nan]]
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert report.overall.alpha_nominal == pytest.approx(expected)


def test_several_labels_agree_only_when_they_are_the_same_set():
    labels = [("d1", "a", "x"), ("d1", "a", "y"), ("d1", "b", "x"), ("d2", "a", "x"), ("d2", "b", "x")]
    report = label_agreement(labels, ["a", "b"])
    assert report.by_label["x"].cohen_kappa["a|b"] is None, "x everywhere: one category, undefined"
    assert report.overall.cohen_kappa["a|b"] == pytest.approx(0.0)
    assert set(report.to_json()) == {"documents", "overall", "by_label"}


def test_one_annotator_gives_nulls_not_nan():
    report = label_agreement(triples("a", "pn"), ["a"])
    assert report.documents == 0
    assert report.overall.to_json() == {"cohen_kappa": {}, "fleiss_kappa": None, "alpha_nominal": None}


# -- through margin agree -------------------------------------------------------------

SENTIMENT_A = "ppppp" "nnnnn"
SENTIMENT_B = "ppppn" "nnnnp"


@pytest.fixture
def labelled_store(tmp_path):
    """Ten documents on disk; alice and bob labelled each positive or negative (κ = 0.6)."""
    from tui.corpus.identity import content_hash
    from tui.notes.store import Store

    path = tmp_path / "notes.sqlite3"
    with Store.open(path) as store:
        for index in range(10):
            document = tmp_path / f"doc{index}.txt"
            document.write_text(f"Document number {index}.\n", "utf-8")
            digest = content_hash(document)
            store.register_document(digest, document, f"doc {index}")
            for annotator, values in (("alice", SENTIMENT_A), ("bob", SENTIMENT_B)):
                store.add_document_label(digest, "positive" if values[index] == "p" else "negative", annotator)
    return path


def agree(capsys, *argv: str) -> str:
    from tui.cli import main

    assert main(["agree", *argv]) == 0
    return capsys.readouterr().out


def test_margin_agree_reports_document_labels_in_json_table_and_csv(labelled_store, capsys, tmp_path):
    import json
    from pathlib import Path

    import jsonschema

    schema = json.loads((Path(__file__).parent / "data" / "agreement.schema.json").read_text("utf-8"))
    report = json.loads(agree(capsys, "--store", str(labelled_store), "--format", "json"))
    jsonschema.validate(report, schema)
    labels = report["document_labels"]
    assert labels["documents"] == 10
    assert labels["overall"]["cohen_kappa"]["alice|bob"] == pytest.approx(0.6)
    assert labels["by_label"]["negative"]["cohen_kappa"]["alice|bob"] == pytest.approx(0.6)
    table = agree(capsys, "--store", str(labelled_store))
    assert "document labels: 10 documents labelled by two or more" in table
    assert any(line.startswith("Cohen κ alice|bob") and line.split()[-3:] == ["0.6000"] * 3 for line in table.splitlines())
    csv_text = agree(capsys, "--store", str(labelled_store), "--format", "csv")
    assert "document_labels,,cohen_kappa,alice|bob,0.6" in csv_text


def test_margin_agree_reads_labels_from_export_files(labelled_store, capsys, tmp_path):
    import json

    from tui.notes.export import write_export
    from tui.notes.exporters.collection import ExportScope
    from tui.notes.store import Store

    with Store.open(labelled_store) as store:
        for fmt in ("jsonl", "w3c"):
            write_export(store, fmt, ExportScope(), tmp_path / f"all.{fmt}")
    for fmt in ("jsonl", "w3c"):
        report = json.loads(agree(capsys, str(tmp_path / f"all.{fmt}"), "--format", "json"))
        assert report["document_labels"]["overall"]["cohen_kappa"]["alice|bob"] == pytest.approx(0.6), fmt


def test_cohen_from_a_table_equals_the_item_by_item_tally():
    import random

    from tui.notes.agreement_coding import KappaTally
    from tui.notes.agreement_labels import _cohen

    rng = random.Random(5)
    for _ in range(200):
        values = rng.sample(["a", "b", "c", ("a", "b")], rng.randint(1, 4))
        pairs = [(rng.choice(values), rng.choice(values)) for _ in range(rng.randint(0, 30))]
        tally = KappaTally(2)
        for pair in pairs:
            tally.add(pair)
        from collections import Counter

        mine, theirs = _cohen(Counter(pairs)), tally.cohen()
        assert (mine is None) == (theirs is None) and (mine is None or mine == pytest.approx(theirs)), pairs
