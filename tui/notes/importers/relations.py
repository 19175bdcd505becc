"""Relations read back from a file: checked with the annotations, written after them.

An importer yields an :class:`IncomingRelation` beside the annotations it reads; its ends
name annotations *of the same file* by their import uid (``Incoming.uid``). Planning checks
that every end is one of them; writing maps each end to the annotation the store now holds
(the one imported, or the one already there that the import skipped as a duplicate).
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.notes.model import InvalidValue, new_uid
from tui.notes.relations import Relation, check_label


@dataclass(frozen=True, slots=True)
class IncomingRelation:
    where: str
    uid: str | None
    head: str
    """The import uid of the source annotation."""
    child: str
    label: str
    annotator: str
    created: str


def check(relations: list[IncomingRelation], known: set[str], problems) -> None:
    """Every end must be an annotation of the file, every label a usable name."""
    for relation in relations:
        for role, end in (("source", relation.head), ("target", relation.child)):
            if end not in known:
                problems.add(relation.where, f"its {role} is not an annotation of this file")
        if relation.head == relation.child:
            problems.add(relation.where, "a relation links two different annotations")
        try:
            check_label(relation.label)
        except InvalidValue as error:
            problems.add(relation.where, str(error))


def write(store, relations: list[IncomingRelation], stored: dict[str, tuple[str, str]]) -> tuple[int, int]:
    """Add the relations; ``stored`` maps an import uid to the stored (uid, doc_hash).
    Returns (added, skipped): a relation already there (same uid, or the same two ends and
    label) is skipped, as is one whose ends landed in two different documents."""
    added = skipped = 0
    for incoming in relations:
        head, child = stored[incoming.head], stored[incoming.child]
        label = check_label(incoming.label)
        present = store.relations_of(head[0])
        if head[1] != child[1] or any(
            r.uid == incoming.uid or (r.head, r.child, r.label) == (head[0], child[0], label) for r in present
        ):
            skipped += 1
            continue
        relation = Relation(
            0, incoming.uid or new_uid(), head[1], head[0], child[0], label, incoming.annotator, incoming.created
        )
        store.restore_relation(relation)
        added += 1
    return added, skipped
