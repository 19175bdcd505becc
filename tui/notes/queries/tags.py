"""Tag queries: the tag set, each tag with a colour and at most one key 1-9.

Functions of a ``Database``; the caller holds the transaction for the ones that write.
Teammates on a server may create the same tag at the same moment: a tag made on first use
is inserted with ``ON CONFLICT DO NOTHING``, so both get the one tag (on a file, where
writers queue for the lock, the first attempt always inserts it).
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.notes.model import TAG_KEYS, Tag, check_color, check_key, check_tag_name, utc_now
from tui.notes.queries.columns import group
from tui.notes.queries.database import Backend, Database
from tui.notes.store_api import InvalidRequest, NotFound, next_color


def all_tags(db: Database) -> list[Tag]:
    """Tags with a key first, in key order, then the rest by name."""
    rows = db.read("SELECT name, color, key FROM tags ORDER BY key IS NULL, key, lower(name), name")
    return [Tag(*row) for row in rows]


def find(db: Database, name: str) -> Tag | None:
    rows = db.read("SELECT name, color, key FROM tags WHERE name = ?", (name,))
    return Tag(*rows[0]) if rows else None


def require(db: Database, name: str) -> Tag:
    tag = find(db, name)
    if tag is None:
        raise NotFound(f"no tag named {name!r}")
    return tag


def create(db: Database, name: str, color: str | None, key: str | None) -> Tag:
    name = check_tag_name(name)
    if find(db, name) is not None:
        raise InvalidRequest(f"tag {name!r} already exists")
    return insert(db, name, color, key)


def insert(db: Database, name: str, color: str | None, key: str | None, *, racing: bool = False) -> Tag:
    """A new tag; without a colour or key it gets the next unused palette colour and free key.

    ``racing``: another writer may be making the same tag (or taking the key) right now;
    whichever lands first is the tag, and a key taken meanwhile is given up.
    """
    existing = all_tags(db)
    if color is None:
        color = next_color(tag.color for tag in existing)
    color = check_color(color)
    key = check_key(key)
    if key is None:
        used = {tag.key for tag in existing}
        key = next((candidate for candidate in TAG_KEYS if candidate not in used), None)
    else:
        db.write("UPDATE tags SET key = NULL WHERE key = ?", (key,))
    if racing:
        for candidate in (key, None):
            db.write(
                "INSERT INTO tags(name, color, key, created) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (name, color, candidate, utc_now()),
            )
            found = find(db, name)
            if found is not None:
                return found
    db.write("INSERT INTO tags(name, color, key, created) VALUES (?, ?, ?, ?)", (name, color, key, utc_now()))
    return Tag(name, color, key)


def ensure(db: Database, names: Iterable[str]) -> tuple[str, ...]:
    """Tag names cleaned and deduplicated in order; unknown ones are created."""
    cleaned: list[str] = []
    for name in names:
        name = check_tag_name(name)
        if name not in cleaned:
            cleaned.append(name)
    for name in cleaned:
        if find(db, name) is None:
            insert(db, name, None, None, racing=True)
    return tuple(cleaned)


def rename(db: Database, old: str, new: str) -> None:
    """Rename everywhere at once: the annotations follow by ``ON UPDATE CASCADE``, the
    suggestions here (an accepted one stands while its annotation carries its tag)."""
    new = check_tag_name(new)
    require(db, old)
    if new == old:
        return
    if find(db, new) is not None:
        raise InvalidRequest(f"tag {new!r} already exists")
    db.write("UPDATE tags SET name = ? WHERE name = ?", (new, old))
    db.write("UPDATE suggestions SET tag = ? WHERE tag = ?", (new, old))


def recolor(db: Database, name: str, color: str) -> None:
    color = check_color(color)
    require(db, name)
    db.write("UPDATE tags SET color = ? WHERE name = ?", (color, name))


def set_key(db: Database, name: str, key: str | None) -> None:
    """Bind a key 1-9 (taking it from whichever tag had it) or unbind with None."""
    key = check_key(key)
    require(db, name)
    if key is not None:
        db.write("UPDATE tags SET key = NULL WHERE key = ? AND name <> ?", (key, name))
    db.write("UPDATE tags SET key = ? WHERE name = ?", (key, name))


def usage(db: Database, name: str) -> int:
    return db.read("SELECT count(*) FROM annotation_tags WHERE tag = ?", (name,))[0][0]


def tagged_with(db: Database, name: str) -> dict[int, tuple[str, ...]]:
    """Each annotation carrying the tag, with its full tag tuple (what undoing a delete needs)."""
    rows = db.read(
        "SELECT t.annotation_id, t.tag FROM annotation_tags t "
        "WHERE t.annotation_id IN (SELECT annotation_id FROM annotation_tags WHERE tag = ?) "
        "ORDER BY t.annotation_id, t.position",
        (name,),
    )
    return {annotation_id: tuple(tags) for annotation_id, tags in group(rows).items()}


def delete(db: Database, name: str) -> int:
    """Remove the tag and take it off its annotations, which stay; returns how many it was on."""
    require(db, name)
    touched = usage(db, name)
    if touched:
        db.write(
            "UPDATE annotations SET modified = ? WHERE id IN "
            "(SELECT annotation_id FROM annotation_tags WHERE tag = ?)",
            (utc_now(), name),
        )
    db.write("DELETE FROM tags WHERE name = ?", (name,))
    return touched


def write_annotation_tags(db: Database, annotation_id: int, tags: tuple[str, ...]) -> None:
    db.write("DELETE FROM annotation_tags WHERE annotation_id = ?", (annotation_id,))
    db.write_many(
        "INSERT INTO annotation_tags(annotation_id, tag, position) VALUES (?, ?, ?)",
        [(annotation_id, tag, position) for position, tag in enumerate(tags)],
    )


class TagQueries(Backend):
    """``NoteStore``'s tag methods: one tag set for the store (for a team, the team's)."""

    def tags(self) -> list[Tag]:
        """Tags with a key first, in key order, then the rest by name."""
        return all_tags(self._db)

    def tag(self, name: str) -> Tag | None:
        return find(self._db, name)

    def create_tag(self, name: str, color: str | None = None, key: str | None = None) -> Tag:
        """A new tag; without a colour or key it gets the next unused palette colour and free key."""
        with self.transaction():
            return create(self._db, name, color, key)

    def rename_tag(self, old: str, new: str) -> None:
        with self.transaction():
            rename(self._db, old, new)

    def recolor_tag(self, name: str, color: str) -> None:
        with self.transaction():
            recolor(self._db, name, color)

    def set_tag_key(self, name: str, key: str | None) -> None:
        """Bind a key 1-9 (taking it from whichever tag had it) or unbind with None."""
        with self.transaction():
            set_key(self._db, name, key)

    def tag_usage(self, name: str) -> int:
        return usage(self._db, name)

    def tagged_with(self, name: str) -> dict[int, tuple[str, ...]]:
        """Each annotation carrying the tag, with its full tag tuple (what undoing a delete needs)."""
        return tagged_with(self._db, name)

    def delete_tag(self, name: str) -> int:
        """Remove the tag and take it off its annotations, which stay; returns how many it was on."""
        with self.transaction():
            return delete(self._db, name)
