"""``margin agree``: inter-annotator agreement on the store or on export files.

Output is a plain-text table, JSON (shape in ``tests/data/agreement.schema.json``) or CSV.
Names of annotators, tags and documents come from files and users: in the table and CSV any
character that is not printable is shown as an escape, so nothing reaches the terminal raw.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from tui.notes.agreement import MEASURES, OFFSETS, PAIR_MEASURES, Measures, Report, compute
from tui.notes.agreement_input import (
    AgreementInputError,
    file_text_resolver,
    finish,
    load_files,
    load_store,
)

FORMATS = ("table", "json", "csv")
FAILURE = 2
LABELS = {
    "f1_exact": "F1 exact",
    "f1_overlap": "F1 overlap",
    "cohen_kappa": "Cohen κ",
    "fleiss_kappa": "Fleiss κ",
    "alpha_nominal": "α nominal",
    "alpha_u": "α_u",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("command", choices=["agree"], help="this command")
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="export files (Margin JSONL or W3C, or JSONL with text and spans); default: the store",
    )
    parser.add_argument("--doc", type=Path, action="append", metavar="PATH", help="only this document (repeatable)")
    parser.add_argument("--tag", action="append", metavar="NAME", help="only this tag (repeatable)")
    parser.add_argument("--annotators", metavar="A,B,...", help="only these annotators, in this order")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument(
        "--offsets",
        choices=OFFSETS,
        default="codepoints",
        help="count α_u in code points (default) or UTF-16 units, as INCEpTION does",
    )


def build_parser(add_global_options) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="margin",
        description="How far annotators agree: pairwise F1, Cohen's and Fleiss' κ, "
        "Krippendorff's α and α_u, per tag and per document.",
    )
    add_global_options(parser)
    add_arguments(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    """Compute and print; a problem with the input is one line on stderr and status 2."""
    try:
        report, warnings = _report(args)
    except AgreementInputError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{error.filename + ': ' if error.filename else ''}{error.strerror or error}")
    for warning in warnings:
        print(f"margin: {escape(warning)}", file=sys.stderr)
    rendered = {"json": render_json, "csv": render_csv, "table": render_table}[args.format](report)
    try:
        _print_utf8(rendered)
    except BrokenPipeError:
        return FAILURE
    return 0


def _fail(message: str) -> int:
    print(f"margin: {escape(message)}", file=sys.stderr)
    return FAILURE


def _report(args: argparse.Namespace) -> tuple[Report, list[str]]:
    annotators = None
    if args.annotators is not None:
        annotators = [name.strip() for name in args.annotators.split(",") if name.strip()]
        if len(annotators) < 2:
            raise AgreementInputError("--annotators needs at least two names, separated by commas")
    if args.files:
        if args.doc:
            raise AgreementInputError("--doc selects documents of the store; with files, name the files")
        loaded = load_files(args.files, file_text_resolver(_decoded))
    else:
        loaded = _load_from_store(args)
    documents = finish(loaded, args.offsets)
    if annotators is None and not args.files:
        # The curated layer is the outcome of curation, not one more annotator.
        from tui.notes.curation_record import CURATION

        annotators = sorted({name for document in documents for name in document.annotators} - {CURATION})
    report = compute(documents, annotators=annotators, tags=args.tag, offsets=args.offsets)
    if loaded.labels:
        from dataclasses import replace

        from tui.notes.agreement_labels import label_agreement

        labellers = annotators or sorted({*report.annotators, *(who for _doc, who, _label in loaded.labels)})
        report = replace(report, document_labels=label_agreement(loaded.labels, labellers))
    return report, loaded.warnings


def _decoded(data: bytes) -> str | None:
    from tui.text.decode import decode

    result = decode(data)
    return None if result.binary else result.text


def _load_from_store(args: argparse.Namespace):
    from tui.locations import default_store
    from tui.notes.export import load_text
    from tui.notes.store import StoreError, open_store

    path = Path(getattr(args, "store", None) or default_store())
    if not path.exists():
        raise AgreementInputError(f"{path}: no annotation store there")
    try:
        store, _notice = open_store(path, create_folder=False, read_only=True)
        with store:
            hashes = [_document_hash(store, doc) for doc in args.doc] if args.doc else None
            return load_store(store, hashes, load_text)
    except StoreError as error:
        raise AgreementInputError(str(error)) from None


def _document_hash(store, path: Path) -> str:
    """The document at ``path``: by its current bytes, else by where it was last seen."""
    from tui.corpus.discover import CorpusError
    from tui.corpus.identity import content_hash

    if path.is_file():
        try:
            digest = content_hash(path)
        except CorpusError as error:
            raise AgreementInputError(str(error)) from None
        if store.document(digest) is not None or store.annotations(digest):
            return digest
    known = store.document_by_path(path)
    if known is None:
        raise AgreementInputError(f"{path}: no annotated document there")
    return known.hash


# -- output ------------------------------------------------------------------------


def escape(text: str) -> str:
    """Printable as is; anything else as a Python-style escape."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def render_json(report: Report) -> str:
    """JSON, with any character that is not printable escaped (valid JSON all the same)."""
    text = json.dumps(report.to_json(), ensure_ascii=False, indent=2, allow_nan=False)
    if text.isprintable() or all(ch.isprintable() or ch == "\n" for ch in text):
        return text + "\n"
    return "".join(ch if ch.isprintable() or ch == "\n" else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000
                   else json.dumps(ch)[1:-1] for ch in text) + "\n"  # fmt: skip


def _value(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def _rows(measures: Measures, annotators_pairs: list[str]) -> list[tuple[str, str, float | None]]:
    rows = []
    for name in MEASURES:
        value = getattr(measures, name)
        if name in PAIR_MEASURES:
            rows.extend((name, pair, value.get(pair)) for pair in annotators_pairs)
        else:
            rows.append((name, "", value))
    return rows


def _pairs(report: Report) -> list[str]:
    return list(report.overall.f1_exact)


def render_csv(report: Report) -> str:
    """One row per value: scope (overall, tag, document), its name, measure, pair, value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["scope", "name", "measure", "pair", "value"])
    pairs = _pairs(report)
    scopes = [("overall", "", report.overall)]
    scopes += [("tag", tag, measures) for tag, measures in report.by_tag.items()]
    scopes += [("document", key, measures) for key, measures in report.by_document.items()]
    for scope, name, measures in scopes:
        for measure, pair, value in _rows(measures, pairs):
            writer.writerow([scope, escape(name), measure, escape(pair), "" if value is None else repr(value)])
    labels = report.document_labels
    if labels is not None:
        label_scopes = [("", labels.overall), *labels.by_label.items()]
        for name, label_measures in label_scopes:
            for measure, pair, value in _label_rows(label_measures):
                writer.writerow(
                    ["document_labels", escape(name), measure, escape(pair), "" if value is None else repr(value)]
                )
    return out.getvalue()


def _label_rows(measures) -> list[tuple[str, str, float | None]]:
    rows: list[tuple[str, str, float | None]] = [
        ("cohen_kappa", pair, value) for pair, value in measures.cohen_kappa.items()
    ]
    rows += [("fleiss_kappa", "", measures.fleiss_kappa), ("alpha_nominal", "", measures.alpha_nominal)]
    return rows


def render_table(report: Report) -> str:
    """Measures down, overall and each tag across; then the documents, lowest α_u first."""
    pairs = _pairs(report)
    unit = "UTF-16 units" if report.offsets == "utf16" else "code points"
    lines = [
        f"{len(report.annotators)} annotators ({', '.join(escape(a) for a in report.annotators)}), "
        f"{report.documents} document{'' if report.documents == 1 else 's'}, offsets in {unit}",
        "",
    ]
    columns = [("overall", report.overall)] + [(escape(tag), m) for tag, m in report.by_tag.items()]
    header = ["measure", *(name for name, _ in columns)]
    body = []
    for measure, pair, _overall in _rows(report.overall, pairs):
        label = f"{LABELS[measure]} {escape(pair)}".rstrip()
        cells = []
        for _name, measures in columns:
            value = getattr(measures, measure)
            cells.append(_value(value.get(pair) if measure in PAIR_MEASURES else value))
        body.append([label, *cells])
    lines += _aligned([header, *body])
    if report.by_document:
        lines += ["", "documents, lowest α_u first"]
        ordered = sorted(
            report.by_document.items(),
            key=lambda item: (item[1].alpha_u is None, item[1].alpha_u or 0.0, item[0]),
        )
        rows = [["document", "α_u", "α nominal", "Fleiss κ"]]
        rows += [[key[:16], _value(m.alpha_u), _value(m.alpha_nominal), _value(m.fleiss_kappa)] for key, m in ordered]
        lines += _aligned(rows)
    labels = report.document_labels
    if labels is not None:
        count = labels.documents
        lines += ["", f"document labels: {count} document{'' if count == 1 else 's'} labelled by two or more"]
        label_columns = [("overall", labels.overall)] + [(escape(name), m) for name, m in labels.by_label.items()]
        table = [["measure", *(name for name, _ in label_columns)]]
        for measure, pair, _value_overall in _label_rows(labels.overall):
            row = [f"{LABELS[measure]} {escape(pair)}".rstrip()]
            for _name, measures in label_columns:
                value = getattr(measures, measure)
                row.append(_value(value.get(pair) if measure == "cohen_kappa" else value))
            table.append(row)
        lines += _aligned(table)
    return "\n".join(lines) + "\n"


def _aligned(rows: list[list[str]]) -> list[str]:
    from tui.text.width import WIDTH_MODELS, text_width

    model = WIDTH_MODELS["xterm"]

    def cell_width(text: str) -> int:
        return text_width(text, model)

    widths = [max(cell_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [row[0] + " " * (widths[0] - cell_width(row[0]))]
        cells += [" " * (widths[i] - cell_width(cell)) + cell for i, cell in enumerate(row) if i]
        out.append("  ".join(cells).rstrip())
    return out


def _print_utf8(text: str) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()
