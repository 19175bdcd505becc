"""The PostgreSQL store's document labels: the same queries as SQLite, the server's rules.

Schema version 6 (``tui.notes.postgres.schema``) adds the tables. Row-level security lets
every role read every label and write only its own, unless it is a curator, as for
annotations; categories and sets are the team's, like tags.
"""

from __future__ import annotations

from tui.notes.sqlite.labels import SQLiteLabelsMixin


class PostgresLabelsMixin(SQLiteLabelsMixin):
    """Document labels for ``PostgresStore``: labels are written as the login role, others'
    only by a curator (the server's policies say the same)."""

    def _labels_who(self, annotator: str | None) -> str:
        return self._check_annotator(annotator)
