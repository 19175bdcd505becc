"""Relations between annotations: a directed, labelled link from a head to a child (target).

Like brat's and INCEpTION's relation layers: the two ends are annotations of the same
document, named by their uids (which survive undo, export and import, unlike row ids), and
the label comes from one set shared by the whole store, created on first use like tags.
A relation lives only as long as both of its annotations: deleting either removes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.notes.model import InvalidValue, check_tag_name


@dataclass(frozen=True, slots=True)
class Relation:
    id: int
    uid: str
    doc_hash: str
    head: str
    """The uid of the annotation the relation starts from (brat's Arg1, Prodigy's head)."""
    child: str
    """The uid of the annotation it points to (brat's Arg2, Prodigy's child)."""
    label: str
    annotator: str
    created: str


RELATION_COLUMNS = ("id", "uid", "doc_hash", "head", "child", "label", "annotator", "created")
"""The ``relations`` table's columns in ``Relation`` field order (both backends)."""


def check_label(name: str) -> str:
    """Relation labels travel where tag names do (brat labels, JSON, one screen row)."""
    try:
        return check_tag_name(name)
    except InvalidValue as error:
        raise InvalidValue(str(error).replace("tag name", "relation label")) from None


def check_ends(head: str, child: str) -> None:
    if not (isinstance(head, str) and isinstance(child, str) and head and child):
        raise InvalidValue("a relation needs the uids of two annotations")
    if head == child:
        raise InvalidValue("a relation links two different annotations, not one to itself")


def involving(relations: list[Relation], uid: str) -> list[Relation]:
    """The relations that start or end at the annotation ``uid``."""
    return [relation for relation in relations if uid in (relation.head, relation.child)]
