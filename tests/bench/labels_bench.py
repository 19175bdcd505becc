"""Document labels at scale: toggling a label beside tagging a passage, in the same store.

Run: ``.venv/bin/python tests/bench/labels_bench.py [--documents 20000] [--annotators 5]
[--repeats 200]``

A fresh SQLite store gets ``--documents`` × ``--annotators`` labels (an exclusive set of three
and four open categories) and one tagged annotation per document. Then, median of
``--repeats`` single changes, each its own committed transaction (``synchronous=FULL``, as
the reader does it):

- toggling a label through the undo history (``ToggleDocumentLabel``: read my labels, add or
  remove, exclusive set enforced) — beside toggling a tag on an annotation (``add_tag`` /
  ``remove_tag`` changes), what ``1``–``9`` do in the reader;
- the library's labels column (``labels_by_document`` for one annotator) — beside its
  existing tags column (``tags_by_document``);
- agreement on the labels of every document (``label_agreement``).

Informational only: no timed asserts; the script exits 0.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.notes.agreement_labels import label_agreement  # noqa: E402
from tui.notes.history import History, add_tag, remove_tag  # noqa: E402
from tui.notes.labels import ToggleDocumentLabel  # noqa: E402
from tui.notes.store import Store  # noqa: E402

TEXT = "A sentence to tag. Another one follows it here."
SENTIMENT = ("positive", "negative", "neutral")
TOPICS = ("economy", "politics", "science", "sport")


def median_ms(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--annotators", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(3)
    names = [f"annotator{i}" for i in range(args.annotators)]
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "notes.sqlite3") as store:
        for name in SENTIMENT:
            store.create_category(name, set="sentiment")
        store.declare_category_set("sentiment", exclusive=True)
        hashes = [f"{index:064x}" for index in range(args.documents)]
        start = time.perf_counter()
        with store.transaction():
            for digest in hashes:
                store.add_annotation(digest, TEXT, 0, 18, ["question"], "", names[0])
                for who in names:
                    store.add_document_label(digest, rng.choice(SENTIMENT), who)
                    if rng.random() < 0.5:
                        store.add_document_label(digest, rng.choice(TOPICS), who)
        filled = time.perf_counter() - start
        labels = store.all_document_labels()
        print(f"{len(labels):,} labels and {args.documents:,} annotations written in {filled:.1f} s (one transaction)")

        history = History(store)
        me = names[0]
        target = hashes[len(hashes) // 2]
        toggled = median_ms(lambda: history.do(ToggleDocumentLabel(target, rng.choice(SENTIMENT + TOPICS), me)), args.repeats)
        annotation_id = store.annotations(target)[0].id
        state = {"on": True}

        def toggle_tag() -> None:
            change = remove_tag if state["on"] else add_tag
            history.do(change(store, annotation_id, "todo"))
            state["on"] = not state["on"]

        tagged = median_ms(toggle_tag, args.repeats)
        column = median_ms(lambda: store.labels_by_document(me), 5)
        tags_column = median_ms(store.tags_by_document, 5)
        triples = [(label.doc_hash, label.annotator, label.category) for label in store.all_document_labels()]
        agreement = median_ms(lambda: label_agreement(triples, names), 3)

    rows = [
        ("toggle a document label (undoable)", toggled, "toggle a tag on a passage", tagged),
        ("library labels column (one annotator)", column, "library tags column", tags_column),
        (f"label agreement, {args.documents:,} documents × {args.annotators}", agreement, "", None),
    ]
    print(f"\n{'what':42} {'ms':>9}   {'beside':34} {'ms':>9}")
    for what, ms, beside, other in rows:
        other_text = f"{other:9.2f}" if other is not None else ""
        print(f"{what:42} {ms:9.2f}   {beside:34} {other_text}")


if __name__ == "__main__":
    main()
