"""CoNLL export of 100,000 annotations beside the JSONL export, in the same run.

Run: ``.venv/bin/python tests/bench/conll_bench.py [--repeats 3]``

Ten documents, each the five seeds (Punjabi, Arabic, Chinese, English) repeated to about
200,000 characters, with 10,000 annotations each: sentence-sized spans at sentence starts,
every fifth nested in the one before (so the overlap rule has work), some with two tags.
The annotations are built in memory, so the figures are the formats' own cost; listing
them from the store is measured in ``notes_bench.py``. Rows:

- ``jsonl``: ``to_jsonl``, the reference;
- ``tokens only``: ICU word segmentation plus the Han/Kana split of every text, the floor
  under any token format;
- ``conll``: ``to_conll`` (tokens, sentences, overlap rule, BIO lines);
- ``losses check``: what ``margin export`` asks first to warn or fail (``--strict``);
- ``spacy``: ``to_docbin``, when spaCy is installed.

Informational only: the script always exits 0.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.locations import seeds_dir  # noqa: E402
from tui.notes.exporters.bio import losses  # noqa: E402
from tui.notes.exporters.collection import DocumentNotes  # noqa: E402
from tui.notes.exporters.conll import to_conll  # noqa: E402
from tui.notes.exporters.jsonl import to_jsonl  # noqa: E402
from tui.notes.exporters.spacy_docbin import spacy_available, to_docbin  # noqa: E402
from tui.notes.model import ANCHORED, Annotation, Document  # noqa: E402
from tui.text.decode import decode  # noqa: E402
from tui.text.sentences import sentence_boundaries  # noqa: E402
from tui.text.tokens import tokens  # noqa: E402

DOCUMENTS = 10
PER_DOCUMENT = 10_000
TEXT_SIZE = 200_000
TAGS = (("PER",), ("ORG",), ("LOC", "ORG"), ("ਥਾਂ",), ())


def corpus() -> list[DocumentNotes]:
    seeds = "\n\n".join(decode(path.read_bytes()).text for path in sorted(seeds_dir().glob("*.txt")))
    text = (seeds + "\n\n") * (TEXT_SIZE // len(seeds) + 1)
    bounds = sentence_boundaries(text)
    documents = []
    for number in range(DOCUMENTS):
        annotations = []
        for index in range(PER_DOCUMENT):
            at = index % (len(bounds) - 1)
            start, end = bounds[at], min(bounds[at + 1], bounds[at] + 60)
            if index % 5 == 4 and end - start > 4:
                start, end = start + 2, end - 2
            annotations.append(
                Annotation(
                    index, f"u{number}-{index}", f"h{number}", start, end, text[start:end], "", "",
                    TAGS[index % len(TAGS)], "", "bench", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z",
                    ANCHORED,
                )
            )
        documents.append(DocumentNotes(Document(f"h{number}", f"/doc{number}.txt", f"doc {number}"), text, tuple(annotations)))
    return documents


def timed(action, repeats: int) -> tuple[float, float, object]:
    times = []
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    documents = corpus()
    count = sum(len(notes.annotations) for notes in documents)
    characters = sum(len(notes.text or "") for notes in documents)
    print(f"{count:,} annotations in {len(documents)} documents, {characters:,} characters; "
          f"python {platform.python_version()}, load {os.getloadavg()[0]:.2f}, median of {args.repeats}")
    rows = [
        ("jsonl", lambda: to_jsonl(documents)),
        ("tokens only", lambda: [tokens(notes.text or "") for notes in documents]),
        ("conll", lambda: to_conll(documents)),
        ("losses check", lambda: losses(documents)),
    ]
    if spacy_available():
        rows.append(("spacy", lambda: to_docbin(documents)))
    print(f"{'export':<14}{'median s':>10}{'best s':>10}{'output':>14}")
    for name, action in rows:
        median, best, result = timed(action, args.repeats)
        size = f"{len(result):,} B" if isinstance(result, str | bytes) else ""
        print(f"{name:<14}{median:>10.2f}{best:>10.2f}{size:>14}")
    if not spacy_available():
        print("spacy: not installed (pip install 'margin[spacy]'), row left out")
    lost = losses(documents)
    print(f"left out by the overlap rule: {lost.overlapping:,}; several tags: {lost.several_tags:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
