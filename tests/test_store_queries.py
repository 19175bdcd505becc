"""The shared query layer: one column list for both backends' tables, placeholders converted safely."""

from __future__ import annotations

import dataclasses

import pytest

from tui.notes.model import Annotation
from tui.notes.queries.columns import ANNOTATION_COLUMNS
from tui.notes.queries.placeholders import format_style


@pytest.mark.parametrize(
    ("written", "converted"),
    [
        ("SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = %s AND c = %s"),
        ("SELECT '?', \"?\" FROM t WHERE b = ?", "SELECT '?', \"?\" FROM t WHERE b = %s"),
        ("SELECT 'it''s ?' WHERE x = ?", "SELECT 'it''s ?' WHERE x = %s"),
        ("SELECT a FROM t WHERE b LIKE '5%' AND c = ?", "SELECT a FROM t WHERE b LIKE '5%%' AND c = %s"),
        ("SELECT a % 2 FROM t", "SELECT a %% 2 FROM t"),
    ],
)
def test_placeholders_become_psycopg_style_and_quoted_text_keeps_its_question_marks(written, converted):
    assert format_style(written) == converted


def test_a_statement_written_with_psycopg_placeholders_is_refused():
    with pytest.raises(ValueError, match="placeholders"):
        format_style("SELECT a FROM t WHERE b = %s")
    assert format_style("SELECT '%s' FROM t") == "SELECT '%%s' FROM t", "quoted text is text"


def test_one_column_list_matches_both_tables_and_the_model(store_opener):
    """The list that drives insert, select and assembly on every backend."""
    fields = [field.name for field in dataclasses.fields(Annotation) if field.name != "tags"]
    with store_opener() as store:
        if store_opener.backend == "sqlite":
            table = [row[1] for row in store._db.read("PRAGMA table_info(annotations)")]
        else:
            table = [
                row[0]
                for row in store._store._db.read(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'margin' "
                    "AND table_name = 'annotations' ORDER BY ordinal_position"
                )
            ]
    assert list(ANNOTATION_COLUMNS) == fields == table


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_each_backend_answers_every_method_of_both_interfaces(backend):
    """The shared mixins plus a backend's own methods cover ``NoteStore`` and ``TeamStore``
    with the promised parameters; nothing is left to an abstract hook."""
    import inspect

    from tui.notes.postgres.store import PostgresStore
    from tui.notes.sqlite.store import SQLiteStore
    from tui.notes.store_api import NoteStore
    from tui.notes.team import TeamStore

    store_class = SQLiteStore if backend == "sqlite" else PostgresStore
    for interface in (NoteStore, TeamStore):
        for name, promised in vars(interface).items():
            if not callable(promised) or (name.startswith("_") and name not in ("__enter__", "__exit__")):
                continue
            ours = getattr(store_class, name, None)
            assert ours is not None, name
            assert list(inspect.signature(ours).parameters) == list(inspect.signature(promised).parameters), name
    for hook in ("_annotator_for", "_fresh_listings"):
        assert hook in vars(store_class), f"{store_class.__name__} must say {hook}"
