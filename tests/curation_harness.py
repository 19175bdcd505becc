"""Three annotators' annotations on a seed, planned so that curating them meets every case:
passages all marked alike, disagreements on the tag, on the extent and on whether to mark
at all. Offsets are code points of the decoded text, picked from its words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tui.corpus.identity import content_hash
from tui.locations import default_store
from tui.notes.store import Store
from tui.text.decode import decode

ANNOTATORS = ("ana", "bo", "carol")


@dataclass(frozen=True)
class Plan:
    text: str
    digest: str
    words: list[tuple[int, int]]
    unanimous: list[tuple[int, int, str]]
    d1: tuple[int, int]
    d2_long: tuple[int, int]
    d2_short: tuple[int, int]
    d3: tuple[int, int]
    manual_word: str
    manual: tuple[int, int]


def words_of(text: str) -> list[tuple[int, int]]:
    """Word-like spans of at most three code points (a Chinese run is cut into pieces)."""
    spans = []
    for match in re.finditer(r"[^\W\d_]+", text):
        start = match.start()
        while start < match.end():
            end = min(start + 3, match.end())
            spans.append((start, end))
            start = end
    return spans


def seed_curation(path: Path) -> Plan:
    text = decode(path.read_bytes()).text
    digest = content_hash(path)
    words = words_of(text)
    unanimous = [(*words[2], "key-point"), (*words[6], "evidence")]
    d1 = words[10]
    d2_long = (words[14][0], words[15][1])
    d2_short = words[14]
    d3 = words[20]
    manual = next(
        w for w in words[30:] if len(text[w[0] : w[1]]) >= 2 and text.count(text[w[0] : w[1]]) == 1
    )
    with Store.open(default_store()) as store:
        store.register_document(digest, path, path.name)
        for who in ANNOTATORS:
            for start, end, tag in unanimous:
                store.add_annotation(digest, text, start, end, [tag], annotator=who)
        store.add_annotation(digest, text, *d1, ["question"], annotator="ana")
        store.add_annotation(digest, text, *d1, ["evidence"], annotator="bo")
        store.add_annotation(digest, text, *d2_long, ["key-point"], annotator="ana")
        store.add_annotation(digest, text, *d2_short, ["key-point"], annotator="bo")
        store.add_annotation(digest, text, *d2_long, ["key-point"], annotator="carol")
        store.add_annotation(digest, text, *d3, ["todo"], annotator="bo")
    return Plan(text, digest, words, unanimous, d1, d2_long, d2_short, d3, text[manual[0] : manual[1]], manual)
