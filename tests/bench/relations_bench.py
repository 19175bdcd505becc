"""Relations at scale: what the reader pays per change for them, beside what it pays anyway.

After every change the reader reads the document's relations again (one indexed query) and
maps them onto the shown annotations. This prints, on a document with 10,000 annotations
and 1,000 relations, medians over repeated runs of: listing the relations; the same beside
the annotation listing the reader already does per change; linking two passages; and
deleting an annotation that relations use, with its undo (one step each).

    .venv/bin/python tests/bench/relations_bench.py [--backend sqlite|postgresql URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from tui.notes.history import History
from tui.notes.relation_changes import AddRelation, DeleteAnnotationWithRelations
from tui.notes.store import open_store

ANNOTATIONS = 10_000
RELATIONS = 1_000
RUNS = 31
DOC = "b" * 64


def median_ms(action, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", help="a PostgreSQL URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    text = "word " * (ANNOTATIONS * 2)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(args.url or Path(folder) / "bench.sqlite3")[0]
        with store.transaction():
            made = [store.add_annotation(DOC, text, i * 10, i * 10 + 4, ("evidence",)) for i in range(ANNOTATIONS)]
            for i in range(RELATIONS):
                store.add_relation(DOC, made[i].uid, made[i + 1].uid, f"label-{i % 7}")
        history = History(store)
        store.annotations(DOC)
        rows = [
            ("list the document's relations", median_ms(lambda: store.relations(DOC))),
            ("list its annotations (cached, done anyway)", median_ms(lambda: store.annotations(DOC))),
        ]
        pairs = iter(range(RELATIONS + 2, ANNOTATIONS - 1, 2))

        def link() -> None:
            i = next(pairs)
            history.do(AddRelation(DOC, made[i].uid, made[i + 1].uid, "bench"))

        rows.append(("link two passages (one undo step)", median_ms(link)))
        victims = iter(range(1, RELATIONS, 3))

        def cascade() -> None:
            history.do(DeleteAnnotationWithRelations(made[next(victims)].id))
            history.undo()

        rows.append(("delete a related annotation + undo", median_ms(cascade)))
        store.close()
    width = max(len(name) for name, _ in rows)
    print(f"{ANNOTATIONS:,} annotations, {RELATIONS:,} relations, medians of {RUNS}")
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value:8.2f} ms")


if __name__ == "__main__":
    main()
