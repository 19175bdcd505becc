"""Tag queries: the team's tag set, each tag with a colour and at most one key 1-9.

Functions of a ``Connection``; the caller holds the transaction for the ones that write.
Teammates may create the same tag at the same moment: a tag made on first use is inserted
with ``ON CONFLICT DO NOTHING``, so both get the one tag.
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.notes.model import TAG_KEYS, Tag, check_color, check_key, check_tag_name, utc_now
from tui.notes.postgres.connection import Connection as Database
from tui.notes.store_api import InvalidRequest, NotFound, next_color


def all_tags(db: Database) -> list[Tag]:
    """Tags with a key first, in key order, then the rest by name."""
    rows = db.read("SELECT name, color, key FROM tags ORDER BY key IS NULL, key, lower(name), name")
    return [Tag(*row) for row in rows]


def find(db: Database, name: str) -> Tag | None:
    rows = db.read("SELECT name, color, key FROM tags WHERE name = %s", (name,))
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
    """A new tag; without a colour or key it gets the next unused palette colour and free key."""
    existing = all_tags(db)
    if color is None:
        color = next_color(tag.color for tag in existing)
    color = check_color(color)
    key = check_key(key)
    if key is None:
        used = {tag.key for tag in existing}
        key = next((candidate for candidate in TAG_KEYS if candidate not in used), None)
    else:
        db.write("UPDATE tags SET key = NULL WHERE key = %s", (key,))
    if racing:
        for candidate in (key, None):
            db.write(
                "INSERT INTO tags(name, color, key, created) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (name, color, candidate, utc_now()),
            )
            found = find(db, name)
            if found is not None:
                return found
    db.write("INSERT INTO tags(name, color, key, created) VALUES (%s, %s, %s, %s)", (name, color, key, utc_now()))
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
    """Rename everywhere at once (the annotations follow by ``ON UPDATE CASCADE``)."""
    new = check_tag_name(new)
    require(db, old)
    if new == old:
        return
    if find(db, new) is not None:
        raise InvalidRequest(f"tag {new!r} already exists")
    db.write("UPDATE tags SET name = %s WHERE name = %s", (new, old))


def recolor(db: Database, name: str, color: str) -> None:
    color = check_color(color)
    require(db, name)
    db.write("UPDATE tags SET color = %s WHERE name = %s", (color, name))


def set_key(db: Database, name: str, key: str | None) -> None:
    """Bind a key 1-9 (taking it from whichever tag had it) or unbind with None."""
    key = check_key(key)
    require(db, name)
    if key is not None:
        db.write("UPDATE tags SET key = NULL WHERE key = %s AND name <> %s", (key, name))
    db.write("UPDATE tags SET key = %s WHERE name = %s", (key, name))


def usage(db: Database, name: str) -> int:
    return db.read("SELECT count(*) FROM annotation_tags WHERE tag = %s", (name,))[0][0]


def tagged_with(db: Database, name: str) -> dict[int, tuple[str, ...]]:
    """Each annotation carrying the tag, with its full tag tuple (what undoing a delete needs)."""
    rows = db.read(
        "SELECT t.annotation_id, t.tag FROM annotation_tags t "
        "WHERE t.annotation_id IN (SELECT annotation_id FROM annotation_tags WHERE tag = %s) "
        "ORDER BY t.annotation_id, t.position",
        (name,),
    )
    grouped: dict[int, list[str]] = {}
    for annotation_id, tag in rows:
        grouped.setdefault(annotation_id, []).append(tag)
    return {annotation_id: tuple(tags) for annotation_id, tags in grouped.items()}


def delete(db: Database, name: str) -> int:
    """Remove the tag and take it off its annotations, which stay; returns how many it was on."""
    require(db, name)
    touched = usage(db, name)
    if touched:
        db.write(
            "UPDATE annotations SET modified = %s WHERE id IN "
            "(SELECT annotation_id FROM annotation_tags WHERE tag = %s)",
            (utc_now(), name),
        )
    db.write("DELETE FROM tags WHERE name = %s", (name,))
    return touched


def write_annotation_tags(db: Database, annotation_id: int, tags: tuple[str, ...]) -> None:
    db.write("DELETE FROM annotation_tags WHERE annotation_id = %s", (annotation_id,))
    db.write_many(
        "INSERT INTO annotation_tags(annotation_id, tag, position) VALUES (%s, %s, %s)",
        [(annotation_id, tag, position) for position, tag in enumerate(tags)],
    )
