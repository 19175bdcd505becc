"""The store's queries, written once for every backend.

Each module holds one feature's SQL (with SQLite's ``?`` placeholders; the PostgreSQL
connection converts them), its column lists and the assembly of rows into model values,
as a mixin the backends' store classes inherit. A backend supplies what really differs:
a ``Database`` (``tui.notes.queries.database``) for its connection, transactions and
errors, and the few hooks declared there (whose name a write is recorded under, who may
change what, when a remembered listing is stale). Schema, migrations, roles, row-level
security and change notification stay in ``tui.notes.sqlite`` and ``tui.notes.postgres``.
"""
