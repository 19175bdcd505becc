"""W3C Web Annotation JSON-LD in: Margin's own exports and other tools' annotations.

Accepted shapes: an ``AnnotationCollection`` with embedded pages, an ``AnnotationPage``, a
list of annotations, or one annotation (``w3c_import.schema.json`` says exactly what each
needs). Offsets from a ``TextPositionSelector`` count code points, as the W3C model says.
An annotation ``linking`` two others by their ids is a relation (Margin's export says which
is the source with the ``head`` and ``child`` terms; without them, the targets' order).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_to_bytes, urlparse

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

SCHEMA = "w3c_import"
MAX_PAGES = 100_000
"""Pages followed through ``next`` before a collection is taken to be looping."""


def parse(document: Any, problems: Problems) -> Iterator[Incoming | IncomingRelation | IncomingLabel]:
    """Every annotation in a W3C document, checked; problems are collected, not raised."""
    kinds = types_of(document)
    if isinstance(document, list):
        items = document
    elif "AnnotationCollection" in kinds:
        if not validate(document, SCHEMA, "collection", problems, "collection"):
            return
        items = list(_collection_items(document, problems))
    elif "AnnotationPage" in kinds:
        if not validate(document, SCHEMA, "page", problems, "page"):
            return
        items = document["items"]
    elif "Annotation" in kinds:
        items = [document]
    else:
        problems.add(None, "not a W3C Web Annotation collection, page, list or annotation, nor JSONL spans")
        return
    for index, item in enumerate(items, start=1):
        if is_relation(item):
            relation = _relation(item, f"annotation {index}", problems)
            if relation is not None:
                yield relation
            continue
        if is_document_label(item):
            label = _label(item, f"annotation {index}", problems)
            if label is not None:
                yield label
            continue
        parsed = _annotation(item, f"annotation {index}", problems)
        if parsed is not None:
            yield parsed


def types_of(value: Any) -> set[str]:
    kinds = value.get("type", value.get("@type")) if isinstance(value, dict) else None
    if isinstance(kinds, str):
        return {kinds}
    if isinstance(kinds, list):
        return {kind for kind in kinds if isinstance(kind, str)}
    return set()


def _collection_items(collection: dict, problems: Problems) -> Iterator[Any]:
    page = collection.get("first")
    for number in range(1, MAX_PAGES + 1):
        if page is None:
            return
        if number > 1 and not validate(page, SCHEMA, f"page {number}", problems, "page"):
            return
        yield from page["items"]
        page = page.get("next")
    problems.add("collection", "too many pages")


def _annotation(item: Any, where: str, problems: Problems) -> Incoming | None:
    if "Annotation" not in types_of(item):
        problems.add(where, "not an Annotation object")
        return None
    if not validate(item, SCHEMA, where, problems, "annotation"):
        return None
    tags: list[str] = []
    notes: list[str] = []
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if "TextualBody" in types_of(body) and isinstance(body.get("value"), str):
            (tags if body.get("purpose") == "tagging" else notes).append(body["value"])
        else:
            problems.ignored.append(f"{where}: a body that is not a TextualBody")
    if "bodyValue" in item:
        notes.append(item["bodyValue"])
    targets = item["target"]
    target = targets[0] if isinstance(targets, list) else targets
    source_hash, source_path, source_title = _source(target.get("source"))
    quote, prefix, suffix, start, end = _selected(target["selector"])
    if start is not None and not is_span(start, end):
        problems.add(where, f"TextPositionSelector {start!r}..{end!r} is not a span of non-negative integers")
        return None
    return Incoming(
        where=where,
        uid=uid_of(item.get("id")),
        source_hash=source_hash,
        source_path=source_path,
        source_title=source_title,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        tags=checked_tags(tags, where, problems),
        note="\n\n".join(notes),
        annotator=_creator(item.get("creator")),
        created=time_or_now(item.get("created")),
        modified=time_or_now(item.get("modified", item.get("created"))),
    )


def is_relation(item: Any) -> bool:
    """An annotation linking others: ``linking``, and its targets are ids, not passages."""
    if not isinstance(item, dict) or item.get("motivation") != "linking":
        return False
    targets = item.get("target")
    return isinstance(targets, list) and bool(targets) and all(isinstance(t, str) for t in targets)


def _relation(item: dict, where: str, problems: Problems) -> IncomingRelation | None:
    if not validate(item, SCHEMA, where, problems, "relation"):
        return None
    bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
    label = next(body["value"] for body in bodies if body.get("purpose") == "tagging")
    head = uid_of(item.get("head", item["target"][0]))
    child = uid_of(item.get("child", item["target"][1]))
    return IncomingRelation(
        where=where,
        uid=uid_of(item.get("id")),
        head=head or "",
        child=child or "",
        label=label,
        annotator=_creator(item.get("creator")),
        created=time_or_now(item.get("created")),
    )


def is_document_label(item: Any) -> bool:
    """An annotation of the whole document: a classifying body and a target without a selector."""
    if not isinstance(item, dict) or "Annotation" not in types_of(item):
        return False
    bodies = item.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    if not any(isinstance(body, dict) and body.get("purpose") == "classifying" for body in bodies):
        return False
    targets = item.get("target")
    target = targets[0] if isinstance(targets, list) and targets else targets
    return isinstance(target, str) or (isinstance(target, dict) and "selector" not in target)


def _label(item: dict, where: str, problems: Problems) -> IncomingLabel | None:
    if not validate(item, SCHEMA, where, problems, "documentLabel"):
        return None
    bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
    value = next(body["value"] for body in bodies if isinstance(body, dict) and body.get("purpose") == "classifying")
    targets = item["target"]
    target = targets[0] if isinstance(targets, list) else targets
    source = _source(target if isinstance(target, str) else target.get("source"))
    return checked_label(where, source, value, _creator(item.get("creator")), item.get("created"), problems)


def _selected(selectors: Any) -> tuple[str | None, str, str, int | None, int | None]:
    """Quote, prefix, suffix, start and end from already validated selectors."""
    quote, prefix, suffix = None, "", ""
    start = end = None
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        kind = selector.get("type")
        if kind == "TextQuoteSelector":
            quote, prefix, suffix = selector["exact"], selector.get("prefix", ""), selector.get("suffix", "")
        elif kind == "TextPositionSelector":
            start, end = selector["start"], selector["end"]
    return quote, prefix, suffix, start, end


def _source(source: Any) -> tuple[str | None, str | None, str | None]:
    """Content hash, file path and title named by a target's source, each if present."""
    if isinstance(source, str):
        return None, _file_path(source), None
    if isinstance(source, dict):
        digest, identifier, title = source.get("sha256"), source.get("id"), source.get("title")
        return (
            digest if isinstance(digest, str) else None,
            _file_path(identifier) if isinstance(identifier, str) else None,
            title if isinstance(title, str) and title else None,
        )
    return None, None, None


def _file_path(uri: str) -> str | None:
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return os.fsdecode(unquote_to_bytes(parsed.path))
    return None


def _creator(creator: Any) -> str:
    if isinstance(creator, list) and creator:
        creator = creator[0]
    if isinstance(creator, str):
        return creator
    if isinstance(creator, dict):
        for key in ("name", "nickname", "id"):
            if isinstance(creator.get(key), str):
                return creator[key]
    return "unknown"
