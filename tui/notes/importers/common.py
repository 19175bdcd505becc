"""What every importer shares: the item it produces, the problems it collects, schema checks."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from tui.notes.exporters.w3c import UID_PREFIX
from tui.notes.model import InvalidValue, check_tag_name, utc_now

MAX_LISTED_PROBLEMS = 5
SCHEMA_PACKAGE = "tui.notes"
SCHEMA_FOLDER = "schemas"


class NotesImportError(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, source: str, problems: list[str]) -> None:
        shown = "; ".join(problems[:MAX_LISTED_PROBLEMS])
        more = len(problems) - MAX_LISTED_PROBLEMS
        suffix = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"cannot import {source}: {shown}{suffix}; nothing was imported")
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One annotation as a file describes it, before it is anchored in a document."""

    where: str
    uid: str | None
    source_hash: str | None
    source_path: str | None
    source_title: str | None
    quote: str | None
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    tags: tuple[str, ...]
    note: str
    annotator: str
    created: str
    modified: str
    own_text: str | None = None
    """The text the offsets count in, when the file carries it (JSONL)."""
    stale_offsets: bool = False
    """The offsets are where the passage used to be (an exported orphan): a hint only."""


@dataclass(frozen=True, slots=True)
class IncomingLabel:
    """One document label as a file describes it, before its document is found."""

    where: str
    source_hash: str | None
    source_path: str | None
    source_title: str | None
    category: str
    annotator: str
    created: str


def checked_label(
    where: str, source: tuple, category: object, annotator: object, created: object, problems: Problems
) -> IncomingLabel | None:
    """A label from a file, its category name checked; None (and a problem) when it is unusable."""
    from tui.notes.labels import check_category_name

    try:
        name = check_category_name(category) if isinstance(category, str) else check_category_name("")
    except InvalidValue as error:
        problems.add(where, str(error))
        return None
    who = annotator if isinstance(annotator, str) and annotator.strip() else "unknown"
    return IncomingLabel(where, source[0], source[1], source[2], name, who, time_or_now(created))


@dataclass(slots=True)
class Problems:
    items: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def add(self, where: str | None, message: str) -> None:
        """Record a problem, ``where`` naming the item (None: the file as a whole)."""
        self.items.append(f"{where}: {message}" if where else message)


def load_schema(name: str) -> dict:
    """A JSON Schema shipped with Margin, by file stem (``w3c_import``, ``w3c_export``, ...)."""
    resource = resources.files(SCHEMA_PACKAGE).joinpath(SCHEMA_FOLDER, f"{name}.schema.json")
    return json.loads(resource.read_text(encoding="utf-8"))


@cache
def _validator(name: str, definition: str | None) -> Any:
    import jsonschema  # only an import pays for it

    schema = load_schema(name)
    if definition is not None:
        schema = {"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(schema)


def validate(value: Any, name: str, where: str | None, problems: Problems, definition: str | None = None) -> bool:
    """Check ``value`` against a shipped schema (or one of its ``$defs``); each failure becomes
    one problem naming where it is. True when the value is valid."""
    validator = _validator(name, definition)
    errors = sorted(validator.iter_errors(value), key=lambda error: [str(step) for step in error.path])
    for error in map(_innermost, errors):
        problems.add(_place(where, error.absolute_path), _message(error, validator.schema))
    return not errors


def _innermost(error: Any) -> Any:
    """Within ``anyOf``/``oneOf``, the alternative that got furthest into the value."""
    while error.context:
        error = max(error.context, key=lambda inner: (len(inner.absolute_path), inner.validator != "type"))
    return error


def _message(error: Any, root: dict) -> str:
    """The deepest description the schema gives for what failed, else the validator's sentence."""
    description = None
    node: Any = root
    for step in error.absolute_schema_path:
        try:
            while isinstance(node, dict) and step not in node and str(node.get("$ref", "")).startswith("#/"):
                node = _resolve(root, node["$ref"])
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("description"), str):
            description = node["description"]
    if description:
        return description
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing")
    return error.message if len(error.message) <= 120 else error.message[:117] + "..."


def _resolve(root: dict, reference: str) -> Any:
    node: Any = root
    for part in reference[2:].split("/"):
        node = node[part]
    return node


def _place(where: str | None, path: Any) -> str | None:
    steps = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")
    if not steps:
        return where
    return f"{where}, {steps}" if where else steps


def uid_of(identifier: Any) -> str | None:
    """Margin's own ids are ``urn:uuid:``; another tool's id becomes a stable uuid5."""
    if not isinstance(identifier, str) or not identifier:
        return None
    if identifier.startswith(UID_PREFIX):
        try:
            return str(uuid.UUID(identifier[len(UID_PREFIX) :]))
        except ValueError:
            pass
    return str(uuid.uuid5(uuid.NAMESPACE_URL, identifier))


def time_or_now(value: Any) -> str:
    return value if isinstance(value, str) and value else utc_now()


def checked_tags(tags: list[str], where: str, problems: Problems) -> tuple[str, ...]:
    cleaned: list[str] = []
    for tag in tags:
        try:
            name = check_tag_name(tag)
        except InvalidValue as error:
            problems.add(where, str(error))
            continue
        if name not in cleaned:
            cleaned.append(name)
    return tuple(cleaned)


def is_span(start: Any, end: Any, *, allow_empty: bool = False) -> bool:
    """Integers (``bool`` is not an offset) with ``0 <= start < end``, or ``<=`` for an orphan's."""
    if type(start) is not int or type(end) is not int:
        return False
    return 0 <= start <= end if allow_empty else 0 <= start < end
