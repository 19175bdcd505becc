"""Column lists and the assembly of rows into model values, for every backend.

``ANNOTATION_COLUMNS`` is the one list that drives the ``annotations`` table's insert, its
select and the assembly of an ``Annotation`` from a row; a test checks it against both
backends' tables and the model.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable

from tui.corpus.names import path_from_portable, portable_path
from tui.notes.model import Annotation, Document

ANNOTATION_COLUMNS: tuple[str, ...] = tuple(
    field.name for field in dataclasses.fields(Annotation) if field.name != "tags"
)
"""The ``annotations`` table's columns, in ``Annotation`` field order. Tags live in
``annotation_tags``."""
TAGS_AT = [field.name for field in dataclasses.fields(Annotation)].index("tags")
"""Where ``tags`` sits among ``Annotation``'s fields, so a row is assembled positionally."""
SELECT_ANNOTATION = ", ".join(f'"{column}"' for column in ANNOTATION_COLUMNS)
INSERT_COLUMNS = ANNOTATION_COLUMNS[1:]
"""Every column but ``id``, which the database assigns unless an undo puts an annotation back."""


def insert_annotation_sql(columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{column}"' for column in columns)
    return f"INSERT INTO annotations({names}) VALUES ({', '.join('?' * len(columns))})"


INSERT_ANNOTATION = {columns: insert_annotation_sql(columns) for columns in (ANNOTATION_COLUMNS, INSERT_COLUMNS)}
"""The two inserts: a new annotation (the database picks its id) and one put back with its id."""


def annotation_values(annotation: Annotation, columns: tuple[str, ...] = INSERT_COLUMNS) -> tuple:
    return tuple(getattr(annotation, column) for column in columns)


def group(rows: Iterable[tuple]) -> dict:
    """(key, value) rows, already ordered, as key -> list of values."""
    grouped: dict = {}
    for key, value in rows:
        grouped.setdefault(key, []).append(value)
    return grouped


def assemble(rows: list[tuple], tag_rows: list[tuple]) -> list[Annotation]:
    """Rows in ``ANNOTATION_COLUMNS`` order plus (id, tag) rows; positional for speed on 10,000."""
    tags = group(tag_rows)
    no_tags: tuple[str, ...] = ()
    split = TAGS_AT
    return [
        Annotation(*row[:split], tuple(tags[row[0]]) if row[0] in tags else no_tags, *row[split:])
        for row in rows
    ]


def stored_path(path: str | os.PathLike[str]) -> str:
    """A document's path as stored: absolute, and as text the database accepts even for a
    name that is not UTF-8 (see ``tui.corpus.names.portable_path``)."""
    return portable_path(os.path.abspath(os.path.expanduser(os.fspath(path))))


def document(row: tuple) -> Document:
    """A ``documents`` row (hash, path, title) as a ``Document``."""
    hash, path, title = row
    return Document(hash, path_from_portable(path), title)
