"""JSONL spans in: one document per line, its text and character spans (Prodigy, doccano, spaCy).

Margin's own export carries every annotation whole in ``meta.annotations`` (and orphans in
``meta.orphans``); another tool's spans become one annotation per distinct span, its labels
the tags (``NOTE`` means untagged). ``jsonl_import.schema.json`` says what a line needs.
``relations`` (Prodigy's shape) link two of the line's passages: by ``head_uid`` and
``child_uid`` in Margin's own export, else by the character offsets of ``head_span`` and
``child_span``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

from tui.corpus.names import path_from_portable
from tui.notes.exporters.collection import UNTAGGED_LABEL
from tui.notes.exporters.w3c import UID_PREFIX
from tui.notes.importers.common import (
    Incoming,
    IncomingLabel,
    Problems,
    checked_label,
    checked_tags,
    is_span,
    time_or_now,
    uid_of,
    validate,
)
from tui.notes.importers.relations import IncomingRelation
from tui.notes.model import make_selectors, utc_now

SCHEMA = "jsonl_import"


CATS_THRESHOLD = 0.5
"""A ``cats`` value at least this high is a label (spaCy's textcat default threshold)."""


def looks_like_record(value: Any) -> bool:
    return isinstance(value, dict) and "text" in value and ("spans" in value or "cats" in value)


def parse_lines(lines: list[str], problems: Problems) -> Iterator[Incoming | IncomingLabel]:
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.add(f"line {number}", f"not JSON ({error.msg})")
            continue
        yield from parse_record(record, f"line {number}", problems)


def parse_record(record: Any, where: str, problems: Problems) -> Iterator[Incoming | IncomingRelation | IncomingLabel]:
    if not validate(record, SCHEMA, where, problems):
        return
    text = record["text"]
    meta = record.get("meta", {})
    path = path_from_portable(meta["path"]) if meta.get("path") else None
    source = (meta.get("hash"), path, meta.get("title") or None)
    yield from _labels(record, where, source, problems)
    if "spans" not in record and "annotations" not in meta:
        return
    found: list[Incoming] = []
    if "annotations" in meta:
        for index, entry in enumerate(meta["annotations"], start=1):
            found += _entry(entry, f"{where}, annotation {index}", text, source, problems)
        for index, entry in enumerate(meta.get("orphans", []), start=1):
            found += _entry(entry, f"{where}, orphan {index}", None, source, problems)
    else:
        found += _spans(record["spans"], text, where, source, problems)
    yield from found
    for index, relation in enumerate(record.get("relations", []), start=1):
        yield _relation(relation, f"{where}, relation {index}", found)


def _relation(relation: dict, where: str, found: list[Incoming]) -> IncomingRelation:
    """Ends by uid (Margin's export), else by the passage a span's offsets name."""
    uids = {item.uid for item in found}
    places = {(item.start, item.end): item.uid for item in found if not item.stale_offsets}
    ends = []
    for role in ("head", "child"):
        given = relation.get(f"{role}_uid")
        uid = uid_of(UID_PREFIX + given) if isinstance(given, str) else None
        span = relation.get(f"{role}_span") or {}
        if uid not in uids:
            uid = places.get((span.get("start"), span.get("end")))
        ends.append(uid or f"{role} {span.get('start')}..{span.get('end')}")
    uid = relation.get("uid")
    return IncomingRelation(
        where=where,
        uid=uid_of(UID_PREFIX + uid) if isinstance(uid, str) else None,
        head=ends[0],
        child=ends[1],
        label=relation["label"],
        annotator=relation.get("annotator", "unknown"),
        created=time_or_now(relation.get("created")),
    )


def _labels(record: dict, where: str, source: tuple, problems: Problems) -> Iterator[IncomingLabel]:
    """Margin's ``meta.labels`` in full, else the categories ``cats`` chose (by nobody named)."""
    entries = record.get("meta", {}).get("labels")
    if entries is None:
        entries = [{"label": name} for name, value in record.get("cats", {}).items() if value >= CATS_THRESHOLD]
    for index, entry in enumerate(entries, start=1):
        label = checked_label(
            f"{where}, label {index}", source, entry["label"], entry.get("annotator"), entry.get("created"), problems
        )
        if label is not None:
            yield label


def _spans(
    spans: list[dict], text: str, where: str, source: tuple, problems: Problems
) -> Iterator[Incoming]:
    grouped: dict[tuple[int, int], list[str]] = {}
    for index, span in enumerate(spans, start=1):
        start, end = span["start"], span["end"]
        if not is_span(start, end):
            problems.add(f"{where}, span {index}", "needs integer 'start' < 'end'")
            continue
        if end > len(text):
            problems.add(
                f"{where}, span {index}",
                f"offsets {start}..{end} are beyond the text ({len(text)} characters)",
            )
            continue
        label = span.get("label")
        labels = grouped.setdefault((start, end), [])
        if label and label != UNTAGGED_LABEL:
            labels.append(label)
    now = utc_now()
    for (start, end), labels in grouped.items():
        selectors = make_selectors(text, start, end)
        yield Incoming(
            where=f"{where}, span {start}..{end}",
            uid=str(uuid.uuid4()),
            source_hash=source[0],
            source_path=source[1],
            source_title=source[2],
            quote=selectors.quote,
            prefix=selectors.prefix,
            suffix=selectors.suffix,
            start=start,
            end=end,
            tags=checked_tags(labels, where, problems),
            note="",
            annotator="unknown",
            created=now,
            modified=now,
            own_text=text,
        )


def _entry(entry: dict, where: str, text: str | None, source: tuple, problems: Problems) -> Iterator[Incoming]:
    start, end = entry["start"], entry["end"]
    if not (is_span(start, end) or (text is None and is_span(start, end, allow_empty=True))):
        problems.add(where, f"offsets {start!r}..{end!r} are not a span of non-negative integers")
        return
    if text is not None and end > len(text):
        problems.add(where, f"offsets {start}..{end} are beyond the text ({len(text)} characters)")
        return
    quote = entry.get("quote") or (text[start:end] if text is not None else None)
    if quote is None:
        problems.add(where, "no quote")
        return
    yield Incoming(
        where=where,
        uid=uid_of(UID_PREFIX + entry["uid"]) if "uid" in entry else None,
        source_hash=source[0],
        source_path=source[1],
        source_title=source[2],
        quote=quote,
        prefix=entry.get("prefix", ""),
        suffix=entry.get("suffix", ""),
        start=start,
        end=end,
        tags=checked_tags(entry.get("tags", []), where, problems),
        note=entry.get("note", ""),
        annotator=entry.get("annotator", "unknown"),
        created=time_or_now(entry.get("created")),
        modified=time_or_now(entry.get("modified", entry.get("created"))),
        own_text=text,
        stale_offsets=text is None,
    )
