"""brat standoff in: ``.ann`` files beside the ``.txt`` their offsets count in.

Text-bound annotations (``T``) over the same fragments are one annotation, their labels its
tags (``NOTE`` means untagged); ``AnnotatorNotes`` become its note, relations (``R``, with
``Arg1`` and ``Arg2``) relations from the first to the second. Offsets count code points of
the ``.txt`` (brat's server is Python 3 ``str``). Events, attributes, normalisations and
equivalences carry nothing Margin keeps and are reported as ignored.

The document is the one whose SHA-256 starts with the hex the export put at the end of the
file name (``title-1a2b3c4d.txt``), else the ``.txt`` file itself; either way each passage is
found again in the document's current text by its quote, as for every import.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

from tui.notes.exporters.collection import UNTAGGED_LABEL
from tui.notes.importers.common import Incoming, Problems, checked_tags
from tui.notes.importers.relations import IncomingRelation
from tui.notes.model import CONTEXT_LENGTH, utc_now

_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) ((?:\d+ \d+)(?:;\d+ \d+)*)(?:\t.*)?$")
_NOTE = re.compile(r"^#\d+\tAnnotatorNotes (T\d+)\t(.*)$")
_RELATION = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$")
_HASH_SUFFIX = re.compile(r"-([0-9a-f]{8})$")


def parse_path(path: Path, known_hashes: list[str], problems: Problems) -> Iterator[Incoming | IncomingRelation]:
    """Every annotation and relation of one ``.ann`` file, or of each in a folder."""
    files = sorted(path.glob("*.ann")) if path.is_dir() else [path]
    if not files:
        problems.add(str(path), "no .ann files")
    for ann in files:
        yield from parse_file(ann, known_hashes, problems)


def parse_file(ann: Path, known_hashes: list[str], problems: Problems) -> Iterator[Incoming | IncomingRelation]:
    where = ann.name
    try:
        standoff = ann.read_bytes().decode("utf-8-sig")
        text = ann.with_suffix(".txt").read_bytes().decode("utf-8-sig")
    except OSError as error:
        problems.add(where, f"{error.filename or ann}: {error.strerror or error}")
        return
    except UnicodeDecodeError as error:
        problems.add(where, f"not UTF-8 text (bad byte at {error.start})")
        return
    found = _HASH_SUFFIX.search(ann.stem)
    digest = next((h for h in known_hashes if found and h.startswith(found[1])), None)
    path = None if digest else str(ann.with_suffix(".txt"))
    spans: dict[str, tuple[int, int]] = {}
    labels: dict[tuple[int, int], list[str]] = {}
    notes: dict[tuple[int, int], str] = {}
    relations: list[tuple[str, str, str, str]] = []
    for number, line in enumerate(standoff.splitlines(), start=1):
        if not line.strip():
            continue
        if match := _TEXT_BOUND.match(line):
            fragments = [tuple(map(int, piece.split())) for piece in match[3].split(";")]
            start, end = fragments[0][0], fragments[-1][1]
            if not 0 <= start < end <= len(text) or any(a > b for a, b in fragments):
                problems.add(f"{where} line {number}", f"offsets {match[3]} are not a passage of the text")
                continue
            spans[match[1]] = (start, end)
            labels.setdefault((start, end), []).append(match[2])
        elif match := _NOTE.match(line):
            if match[1] in spans:
                notes.setdefault(spans[match[1]], match[2])
        elif match := _RELATION.match(line):
            relations.append((f"{where} line {number}", match[2], match[3], match[4]))
        elif line[:1] in "#EAMN*":
            problems.ignored.append(f"{where} line {number}: {line.split(chr(9), 1)[0]}")
        else:
            problems.add(f"{where} line {number}", "not a brat standoff line")
    uids = {place: str(uuid.uuid4()) for place in labels}
    now = utc_now()
    for (start, end), names in labels.items():
        yield Incoming(
            where=f"{where} {start}..{end}",
            uid=uids[(start, end)],
            source_hash=digest,
            source_path=path,
            source_title=None,
            quote=text[start:end],
            prefix=text[max(0, start - CONTEXT_LENGTH) : start],
            suffix=text[end : end + CONTEXT_LENGTH],
            start=start,
            end=end,
            tags=checked_tags([n for n in names if n != UNTAGGED_LABEL], where, problems),
            note=notes.get((start, end), ""),
            annotator="unknown",
            created=now,
            modified=now,
            own_text=text,
        )
    for place, label, head, child in relations:
        ends = [uids.get(spans.get(name, (-1, -1)), f"{name}?") for name in (head, child)]
        yield IncomingRelation(place, None, ends[0], ends[1], label, "unknown", now)
