"""Relation queries: directed, labelled links between two annotations of a document.

The ends are annotation uids with cascading foreign keys on both backends, so a relation
never outlives either annotation; each backend's triggers log relation changes and carry
relations along when their annotations move to a document's new identity.
"""

from __future__ import annotations

from tui.notes.model import new_uid, utc_now
from tui.notes.queries.database import Backend
from tui.notes.relations import RELATION_COLUMNS, Relation, check_ends, check_label
from tui.notes.store_api import InvalidRequest, NotFound

SELECT_RELATION = ", ".join(RELATION_COLUMNS)
INSERT_RELATION = {
    columns: f"INSERT INTO relations({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    for columns in (RELATION_COLUMNS, RELATION_COLUMNS[1:])
}
"""A new relation (the database picks its id) and one put back with its id."""


class RelationQueries(Backend):
    """``NoteStore``'s relation methods."""

    def relation_labels(self) -> list[str]:
        rows = self._db.read("SELECT name FROM relation_labels ORDER BY lower(name), name")
        return [row[0] for row in rows]

    def relation_label_usage(self, name: str) -> int:
        return self._db.read("SELECT count(*) FROM relations WHERE label = ?", (name,))[0][0]

    def delete_relation_label(self, name: str) -> None:
        """Forget a label no relation uses (undoing the relation that created it)."""
        with self.transaction():
            if self.relation_label_usage(name):
                raise InvalidRequest(f"relation label {name!r} is in use")
            self._db.write("DELETE FROM relation_labels WHERE name = ?", (name,))

    def add_relation(
        self, doc_hash: str, head: str, child: str, label: str, annotator: str | None = None
    ) -> Relation:
        """Link annotation ``head`` to ``child`` (uids, both in ``doc_hash``) with ``label``."""
        who = self._annotator_for(annotator)
        return self.restore_relation(Relation(0, new_uid(), doc_hash, head, child, label, who, utc_now()))

    def restore_relation(self, relation: Relation) -> Relation:
        """Store a relation with its uid (and id when free): a new one, an undo, an import."""
        check_ends(relation.head, relation.child)
        self._annotator_for(relation.annotator)
        with self.transaction():
            for end in (relation.head, relation.child):
                rows = self._db.read("SELECT doc_hash FROM annotations WHERE uid = ?", (end,))
                if not rows:
                    raise NotFound(f"annotation {end} no longer exists; the relation was not made")
                if rows[0][0] != relation.doc_hash:
                    raise InvalidRequest("a relation links two annotations of the same document")
            if self._db.read("SELECT 1 FROM relations WHERE uid = ?", (relation.uid,)):
                raise InvalidRequest(f"relation {relation.uid} already exists")
            if self._db.read(
                "SELECT 1 FROM relations WHERE head = ? AND child = ? AND label = ?",
                (relation.head, relation.child, relation.label),
            ):
                raise InvalidRequest(f"these two annotations are already linked as {relation.label!r}")
            label = check_label(relation.label)
            self._db.write(
                "INSERT INTO relation_labels(name, created) VALUES (?, ?) ON CONFLICT DO NOTHING", (label, utc_now())
            )
            keep_id = relation.id > 0 and not self._db.read("SELECT 1 FROM relations WHERE id = ?", (relation.id,))
            columns = RELATION_COLUMNS if keep_id else RELATION_COLUMNS[1:]
            values = {column: getattr(relation, column) for column in RELATION_COLUMNS}
            values["label"] = label
            new_id = self._db.insert(INSERT_RELATION[columns], tuple(values[column] for column in columns))
            return Relation(new_id, *(values[column] for column in RELATION_COLUMNS[1:]))

    def relations(self, doc_hash: str) -> list[Relation]:
        """A document's relations, oldest first."""
        return self._relations(f"SELECT {SELECT_RELATION} FROM relations WHERE doc_hash = ? ORDER BY id", doc_hash)

    def all_relations(self) -> list[Relation]:
        return self._relations(f"SELECT {SELECT_RELATION} FROM relations ORDER BY doc_hash, id")

    def relations_of(self, uid: str) -> list[Relation]:
        """The relations that start or end at the annotation ``uid``, oldest first."""
        return self._relations(
            f"SELECT {SELECT_RELATION} FROM relations WHERE head = ? OR child = ? ORDER BY id", uid, uid
        )

    def _relations(self, sql: str, *parameters: object) -> list[Relation]:
        return [Relation(*row) for row in self._db.read(sql, parameters)]

    def delete_relation(self, uid: str) -> Relation:
        """Delete and return the relation as it was, so it can be restored."""
        with self.transaction():
            found = self._relations(f"SELECT {SELECT_RELATION} FROM relations WHERE uid = ?", uid)
            if not found:
                raise NotFound(f"relation {uid} no longer exists (deleted elsewhere); nothing was changed")
            self._may_change(found[0].annotator, "relation")
            self._db.write("DELETE FROM relations WHERE uid = ?", (uid,))
            return found[0]
