"""``margin import --suggestions`` and ``margin export --format jsonl --suggestions``.

Exit status as for the other notes commands: 0 done; 2 nothing done (one line on stderr
says why); 3 done but incomplete — some records matched no document (import), or some open
suggestions could not be placed in their document's current text or their file is gone
(export) — with one line on stderr for each record left out and one counting them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace

from tui.corpus.names import portable_path
from tui.notes.model import ANCHORED, login_name, make_selectors
from tui.notes.offsets import DESCRIPTIONS, TEXT_OFFSETS
from tui.notes.store_api import InvalidRequest
from tui.notes.suggestions import Suggestion, open_for

FAILURE = 2
INCOMPLETE = 3


def run_import_suggestions(args: argparse.Namespace, open_store: Callable, store_resolver: Callable) -> int:
    from tui.notes.suggestion_import import import_suggestions

    with open_store(args) as store:
        report = import_suggestions(store, args.file, store_resolver(store), source=args.source)
    for line in report.unmatched:
        print(f"margin: {line}", file=sys.stderr)
    if report.records:
        print(
            f"imported {report.added} suggestions from {report.records} records, skipped {report.skipped} "
            f"already present, {report.orphaned} not found in their document's current text"
        )
    if report.unmatched:
        count = len(report.unmatched)
        print(
            f"margin: {count} record{'s' if count != 1 else ''} left out (no document, or malformed)",
            file=sys.stderr,
        )
        return INCOMPLETE if report.records else FAILURE
    return 0


def annotator_of(args: argparse.Namespace, store) -> str:
    """Whose open suggestions: the server's login role, else ``--annotator`` or the
    configured name, else the login name."""
    from tui.notes.team import resolve_annotator

    named = getattr(args, "annotator", None)
    if isinstance(named, list):  # export's --annotator, which may be repeated
        if len(set(named)) > 1:
            raise InvalidRequest("--suggestions exports one annotator's open suggestions: give one --annotator")
        named = named[0] if named else None
    requested = named or getattr(args, "configured_annotator", None)
    return resolve_annotator(store, requested, login_name())


def open_suggestions_jsonl(
    store, annotator: str, resolve: Callable, *, doc_hash: str | None = None, tag: str | None = None
) -> tuple[str, str | None]:
    """The suggestions still open for ``annotator`` as JSONL spans, with score and source, to
    send back to a model; and a line saying what was left out (None: nothing)."""
    suggestions = store.suggestions(doc_hash)
    decided = store.suggestion_decisions(annotator, doc_hash)
    chosen = [s for s in open_for(suggestions, decided) if tag is None or s.tag == tag]
    documents = {d.hash: d for d in store.documents()}
    lines, missing_files, orphans = [], 0, 0
    by_document: dict[str, list[Suggestion]] = {}
    for s in chosen:
        by_document.setdefault(s.doc_hash, []).append(s)
    for digest, group in by_document.items():
        known = documents.get(digest)
        current = resolve(digest, known.path if known else None)
        if current is None:
            missing_files += len(group)
            continue
        placed = [p for p in (_placed(s, current.text) for s in group) if p is not None]
        orphans += len(group) - len(placed)
        if placed:
            lines.append(_record(current, placed, annotator))
    left_out = []
    if orphans:
        left_out.append(f"{orphans} not found in their document's current text")
    if missing_files:
        left_out.append(f"{missing_files} in documents whose file cannot be read")
    summary = f"open suggestions left out: {'; '.join(left_out)}" if left_out else None
    return "".join(line + "\n" for line in lines), summary


def _placed(suggestion: Suggestion, text: str) -> Suggestion | None:
    """The suggestion where it is in ``text`` (found again if the file changed), or None."""
    if suggestion.end <= len(text) and text[suggestion.start : suggestion.end] == suggestion.quote:
        return suggestion
    from tui.notes.anchoring import reanchor

    anchor = reanchor(suggestion, text)
    if anchor.status == "orphan":
        return None
    selectors = make_selectors(text, anchor.start, anchor.end)
    return replace(suggestion, start=anchor.start, end=anchor.end, quote=selectors.quote, status=ANCHORED)


def _record(document, suggestions: list[Suggestion], annotator: str) -> str:
    spans = []
    for s in suggestions:
        span: dict = {"start": s.start, "end": s.end, "label": s.tag}
        if s.score is not None:
            span["score"] = s.score
        span["source"] = s.source
        spans.append(span)
    record = {
        "text": document.text,
        "spans": spans,
        "meta": {
            "hash": document.hash,
            "path": portable_path(document.path),
            "title": document.title,
            "offsets": DESCRIPTIONS[TEXT_OFFSETS],
            "suggestions": f"open for {annotator}",
        },
    }
    return json.dumps(record, ensure_ascii=False)


def add_export_option(export: argparse.ArgumentParser) -> None:
    export.add_argument(
        "--suggestions",
        action="store_true",
        help="jsonl: the suggestions still open for me (or --annotator), with scores and sources, "
        "instead of annotations",
    )
