"""Merging stores: annotators who worked offline bring their SQLite files into the team's store.

Annotations are matched by uid. One the target lacks is added; one both have is replaced
when the source's copy was modified later; a tombstone wins over any copy, so a merge never
brings a deleted annotation back. Tags are matched by name and documents by SHA-256.
Relations are matched by uid too: one the target lacks is added when both of its annotations
are there; a relation is never edited, and one deleted in the source stays in the target.
An annotation replaced by a newer copy keeps its relations. Everything happens in one
transaction of the target, and running the same merge again changes nothing (every count
but ``skipped`` is zero).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tui.notes.model import Annotation


@dataclass(slots=True)
class MergeReport:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    skipped: int = 0
    tags: int = 0
    documents: int = 0
    relations: int = 0

    def add(self, other: MergeReport) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def describe(self) -> str:
        related = f", {self.relations} relations added" if self.relations else ""
        return (
            f"{self.added} added, {self.updated} updated, {self.deleted} deleted, "
            f"{self.skipped} skipped{related}; {self.tags} new tags, {self.documents} new documents"
        )


def merge(source, target) -> MergeReport:
    """Bring ``source``'s tags, documents, annotations and tombstones into ``target``."""
    report = MergeReport()
    with target.transaction():
        for tag in source.tags():
            if target.tag(tag.name) is None:
                target.create_tag(tag.name, tag.color, None)
                report.tags += 1
        for document in source.documents():
            if target.document(document.hash) is None:
                target.register_document(document.hash, document.path, document.title)
                report.documents += 1
        present: dict[str, Annotation] = {a.uid: a for a in target.all_annotations()}
        buried = {stone.uid for stone in target.tombstones()}
        for stone in source.tombstones():
            current = present.pop(stone.uid, None)
            if current is not None:
                target.delete_annotation(current.id)
                report.deleted += 1
            elif stone.uid not in buried:
                target.bury(stone)
                report.deleted += 1
            else:
                report.skipped += 1
            buried.add(stone.uid)
        for annotation in source.all_annotations():
            current = present.get(annotation.uid)
            if annotation.uid in buried:
                report.skipped += 1
            elif current is None:
                target.restore_annotation(replace(annotation, id=0))
                report.added += 1
            elif annotation.modified > current.modified:
                kept = target.relations_of(current.uid)  # deleting the old copy cascades to them
                target.delete_annotation(current.id)
                target.restore_annotation(replace(annotation, id=current.id))
                for relation in kept:
                    target.restore_relation(relation)
                report.updated += 1
            else:
                report.skipped += 1
        report.relations = _merge_relations(source, target)
    return report


def _merge_relations(source, target) -> int:
    """Add the source's relations the target lacks, where both ends are in the target."""
    known = {relation.uid for relation in target.all_relations()}
    present = {annotation.uid: annotation.doc_hash for annotation in target.all_annotations()}
    added = 0
    for relation in source.all_relations():
        ends = (present.get(relation.head), present.get(relation.child))
        if relation.uid in known or ends[0] is None or ends[0] != ends[1]:
            continue
        target.restore_relation(replace(relation, id=0, doc_hash=ends[0]))
        added += 1
    return added
