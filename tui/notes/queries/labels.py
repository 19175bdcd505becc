"""Document-label queries: categories, category sets, and each annotator's labels.

Categories and sets are shared, like tags; a label is one annotator's, written under the
name the backend allows (``_annotator_for``). Each backend's triggers log a label change
as a change to the document's notes and a category change as one to the tag set, so the
live views that follow annotations follow labels too.
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.notes.labels import (
    Category,
    CategorySet,
    DocumentLabel,
    check_category_name,
    check_exclusive,
    check_set_name,
    exclusive_sets,
    with_label,
)
from tui.notes.model import check_color, utc_now
from tui.notes.queries.database import Backend
from tui.notes.store_api import InvalidRequest, NotFound, next_color


class LabelQueries(Backend):
    """``NoteStore``'s document-label methods."""

    # -- categories and sets ------------------------------------------------------

    def categories(self) -> list[Category]:
        """Every category, by set (those without one first), then by name."""
        rows = self._db.read(
            "SELECT name, color, set_name FROM categories "
            "ORDER BY set_name IS NOT NULL, set_name, lower(name), name"
        )
        return [Category(*row) for row in rows]

    def category(self, name: str) -> Category | None:
        rows = self._db.read("SELECT name, color, set_name FROM categories WHERE name = ?", (name,))
        return Category(*rows[0]) if rows else None

    def category_sets(self) -> list[CategorySet]:
        rows = self._db.read("SELECT name, exclusive FROM category_sets ORDER BY lower(name), name")
        return [CategorySet(name, bool(exclusive)) for name, exclusive in rows]

    def create_category(self, name: str, color: str | None = None, set: str | None = None) -> Category:
        """A new category (in ``set``, created open if unknown); the next palette colour by default."""
        with self.transaction():
            name = check_category_name(name)
            if self.category(name) is not None:
                raise InvalidRequest(f"category {name!r} already exists")
            return self._insert_category(name, color, set)

    def _insert_category(self, name: str, color: str | None, set: str | None) -> Category:
        if set is not None:
            set = self._ensure_set(set)
        if color is None:
            color = next_color(row[0] for row in self._db.read("SELECT color FROM categories"))
        color = check_color(color)
        self._db.write(
            "INSERT INTO categories(name, color, set_name, created) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (name, color, set, utc_now()),
        )
        return self.category(name) or Category(name, color, set)

    def _ensure_set(self, name: str) -> str:
        name = check_set_name(name)
        self._db.write(
            "INSERT INTO category_sets(name, exclusive, created) VALUES (?, 0, ?) ON CONFLICT DO NOTHING", (name, utc_now())
        )
        return name

    def _ensure_categories(self, names: Iterable[str]) -> tuple[str, ...]:
        cleaned = tuple(dict.fromkeys(check_category_name(name) for name in names))
        for name in cleaned:
            if self.category(name) is None:
                self._insert_category(name, None, None)
        return cleaned

    def set_category_set(self, name: str, set: str | None) -> Category:
        """Put a category in a set (created open if unknown), or in none."""
        with self.transaction():
            category = self.category(name)
            if category is None:
                raise NotFound(f"no category named {name!r}")
            if set is not None:
                set = self._ensure_set(set)
                if self._exclusive_conflicts(set, extra=name):
                    raise InvalidRequest(
                        f"category set {set!r} is exclusive and some documents would have two of its "
                        f"categories with {name!r}; remove one first"
                    )
            self._db.write("UPDATE categories SET set_name = ? WHERE name = ?", (set, name))
            return Category(category.name, category.color, set)

    def declare_category_set(self, name: str, exclusive: bool = False) -> CategorySet:
        """Create a set or change whether it is exclusive; refused while a document has two of
        its categories from one annotator."""
        with self.transaction():
            name = self._ensure_set(name)
            if exclusive and self._exclusive_conflicts(name):
                raise InvalidRequest(
                    f"{self._exclusive_conflicts(name)} documents have two or more categories of "
                    f"{name!r} from one annotator; it cannot be exclusive until they have one"
                )
            self._db.write("UPDATE category_sets SET exclusive = ? WHERE name = ?", (int(exclusive), name))
            return CategorySet(name, exclusive)

    def _exclusive_conflicts(self, set: str, extra: str | None = None) -> int:
        """Documents where one annotator has two categories of ``set`` (``extra`` counted in it)."""
        exclusive = self._db.read("SELECT exclusive FROM category_sets WHERE name = ?", (set,))
        if extra is not None and not (exclusive and exclusive[0][0]):
            return 0
        rows = self._db.read(
            "SELECT count(*) FROM (SELECT 1 FROM document_labels l JOIN categories c ON c.name = l.category "
            "WHERE c.set_name = ? OR c.name = ? GROUP BY l.doc_hash, l.annotator HAVING count(*) > 1) AS conflicts",
            (set, extra),
        )
        return rows[0][0]

    def delete_category(self, name: str) -> int:
        """Remove a category and every label of it; returns how many labels went."""
        with self.transaction():
            if self.category(name) is None:
                raise NotFound(f"no category named {name!r}")
            used = self._db.read("SELECT count(*) FROM document_labels WHERE category = ?", (name,))[0][0]
            self._db.write("DELETE FROM categories WHERE name = ?", (name,))
            return used

    def category_usage(self, name: str) -> int:
        return self._db.read("SELECT count(*) FROM document_labels WHERE category = ?", (name,))[0][0]

    # -- labels -------------------------------------------------------------------

    def document_labels(self, doc_hash: str, annotator: str | None = None) -> list[DocumentLabel]:
        """A document's labels: one annotator's, or everyone's (None), by annotator then name."""
        if annotator is None:
            rows = self._db.read(
                "SELECT doc_hash, annotator, category, created FROM document_labels WHERE doc_hash = ? "
                "ORDER BY annotator, category",
                (doc_hash,),
            )
        else:
            rows = self._db.read(
                "SELECT doc_hash, annotator, category, created FROM document_labels "
                "WHERE doc_hash = ? AND annotator = ? ORDER BY category",
                (doc_hash, annotator),
            )
        return [DocumentLabel(*row) for row in rows]

    def all_document_labels(self) -> list[DocumentLabel]:
        rows = self._db.read(
            "SELECT doc_hash, annotator, category, created FROM document_labels ORDER BY doc_hash, annotator, category"
        )
        return [DocumentLabel(*row) for row in rows]

    def labels_by_document(self, annotator: str | None = None) -> dict[str, list[str]]:
        """Document hash -> its distinct labels (one annotator's, or everyone's), by name."""
        if annotator is None:
            rows = self._db.read("SELECT DISTINCT doc_hash, category FROM document_labels ORDER BY doc_hash, category")
        else:
            rows = self._db.read(
                "SELECT doc_hash, category FROM document_labels WHERE annotator = ? ORDER BY doc_hash, category",
                (annotator,),
            )
        grouped: dict[str, list[str]] = {}
        for doc_hash, category in rows:
            grouped.setdefault(doc_hash, []).append(category)
        return grouped

    def _exclusive(self) -> dict[str, str]:
        return exclusive_sets(self.categories(), self.category_sets())

    def _current(self, doc_hash: str, who: str) -> tuple[str, ...]:
        return tuple(label.category for label in self.document_labels(doc_hash, who))

    def set_document_labels(
        self, doc_hash: str, categories: Iterable[str], annotator: str | None = None
    ) -> tuple[str, ...]:
        """Replace one annotator's labels on a document (unknown categories are created)."""
        who = self._annotator_for(annotator)
        with self.transaction():
            wanted = self._ensure_categories(categories)
            check_exclusive(wanted, self._exclusive())
            current = self._current(doc_hash, who)
            gone = [name for name in current if name not in wanted]
            for name in gone:
                self._db.write(
                    "DELETE FROM document_labels WHERE doc_hash = ? AND annotator = ? AND category = ?",
                    (doc_hash, who, name),
                )
            now = utc_now()
            for name in wanted:
                if name not in current:
                    self._db.write(
                        "INSERT INTO document_labels(doc_hash, annotator, category, created) VALUES (?, ?, ?, ?)",
                        (doc_hash, who, name, now),
                    )
            return self._current(doc_hash, who)

    def add_document_label(
        self, doc_hash: str, category: str, annotator: str | None = None, *, created: str | None = None
    ) -> tuple[str, ...]:
        """Label a document; in an exclusive set the annotator's other label of the set goes."""
        who = self._annotator_for(annotator)
        with self.transaction():
            (name,) = self._ensure_categories((category,))
            current = self._current(doc_hash, who)
            if name in current:
                return current
            for other in current:
                if other not in with_label(current, name, self._exclusive()):
                    self._db.write(
                        "DELETE FROM document_labels WHERE doc_hash = ? AND annotator = ? AND category = ?",
                        (doc_hash, who, other),
                    )
            self._db.write(
                "INSERT INTO document_labels(doc_hash, annotator, category, created) VALUES (?, ?, ?, ?)",
                (doc_hash, who, name, created or utc_now()),
            )
            return self._current(doc_hash, who)

    def remove_document_label(self, doc_hash: str, category: str, annotator: str | None = None) -> tuple[str, ...]:
        who = self._annotator_for(annotator)
        with self.transaction():
            self._db.write(
                "DELETE FROM document_labels WHERE doc_hash = ? AND annotator = ? AND category = ?",
                (doc_hash, who, category),
            )
            return self._current(doc_hash, who)

    def move_document_labels(self, from_hash: str, to_hash: str) -> int:
        """Carry a document's labels (those this annotator may change) to its new identity
        (the file was edited)."""
        mine = "" if self.is_curator else " AND annotator = ?"
        who = () if not mine else (self._annotator_for(None),)
        with self.transaction():
            moved = self._db.write(
                "INSERT INTO document_labels(doc_hash, annotator, category, created) "
                f"SELECT ?, annotator, category, created FROM document_labels WHERE doc_hash = ?{mine} "
                "ON CONFLICT DO NOTHING",
                (to_hash, from_hash, *who),
            ).rowcount
            self._db.write(f"DELETE FROM document_labels WHERE doc_hash = ?{mine}", (from_hash, *who))
            return moved
