"""Model suggestions at scale: importing 100,000, and the reader's keys beside 10,000 of them.

Run: ``.venv/bin/python tests/bench/suggestions_bench.py [--only import|app] [--repeats 20]``

Part (a), importing: 10 documents of about 100,000 characters (every script), each with
10,000 predicted spans in one JSONL record (labels, scores, ``meta.path``), read with
``margin import --suggestions`` into an SQLite store (goal: 100,000 in at most 5 s); then the
same file again (everything skipped); beside the same file read as *annotations* by
``margin import``, and beside the floor: the same 100,000 rows inserted with bare
``sqlite3.executemany`` in one transaction.

Part (b), key-to-frame latency in the reader, headless through Pilot at 120x40 on the
Traditional Chinese seed repeated ``--copies`` times (default 10, about 50,000 characters),
once with 10,000 suggestions on it and once with none (the baseline column): ``.`` (next
suggestion), ``y`` (accept it), ``u`` (undo), ``z`` (reject the next), ``u``, then ``s`` and
``1`` (tag a sentence) and ``u``. Median and 90th percentile over ``--repeats`` rounds after
a warm-up round (goal for y and tag: 30 ms median). With no suggestions ``.``, ``y`` and ``z``
only say there is none: their baseline is the cost of a key.

Informational only: the script always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from notes_bench import (  # noqa: E402
    SCRIPTS,
    FrameClock,
    ms,
    percentile,
    print_machine,
    print_table,
    ratio,
    scratch_directory,
    wait_until,
)

from tui.corpus.identity import content_hash  # noqa: E402
from tui.notes.commands import store_resolver  # noqa: E402
from tui.notes.importing import import_file  # noqa: E402
from tui.notes.model import make_selectors  # noqa: E402
from tui.notes.store import Store  # noqa: E402
from tui.notes.suggestion_import import import_suggestions  # noqa: E402
from tui.notes.suggestions import Suggestion, suggestion_uid  # noqa: E402

CHINESE_SEED = next((ROOT / "assets" / "seeds").glob("002_*.txt"))
DOCUMENTS = 10
PER_DOCUMENT = 10_000
LABELS = ("PER", "ORG", "LOC", "MISC")


# -- part (a): importing ------------------------------------------------------------------


def words_text(rng: random.Random, characters: int) -> str:
    parts, length = [], 0
    while length < characters:
        letters = rng.choice(SCRIPTS)
        word = "".join(rng.choice(letters) for _ in range(rng.randint(2, 8)))
        parts.append(word)
        length += len(word) + 1
        if rng.random() < 0.05:
            parts.append(".\n")
    return " ".join(parts)


def word_spans(text: str, count: int, rng: random.Random) -> list[tuple[int, int]]:
    starts = [i for i in range(1, len(text)) if text[i - 1] == " " and text[i] not in " .\n"]
    spans = set()
    while len(spans) < count:
        start = rng.choice(starts)
        end = start
        while end < len(text) and text[end] not in " .\n":
            end += 1
        spans.add((start, end))
    return sorted(spans)


def build_corpus(folder: Path, rng: random.Random) -> tuple[Path, list[tuple[Path, str, list[dict]]]]:
    documents = []
    lines = []
    for number in range(DOCUMENTS):
        text = words_text(rng, 100_000)
        path = folder / f"doc{number}.txt"
        path.write_text(text, encoding="utf-8")
        spans = [
            {"start": s, "end": e, "label": rng.choice(LABELS), "score": round(rng.random(), 3)}
            for s, e in word_spans(text, PER_DOCUMENT, rng)
        ]
        documents.append((path, text, spans))
        lines.append(json.dumps({"text": text, "spans": spans, "meta": {"path": str(path)}}, ensure_ascii=False))
    file = folder / "predicted.jsonl"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file, documents


def fresh_store(folder: Path, name: str, documents) -> Path:
    path = folder / f"{name}.sqlite3"
    with Store.open(path) as store:
        for doc_path, _text, _spans in documents:
            store.register_document(content_hash(doc_path), doc_path, doc_path.stem)
    return path


def floor_rows(documents) -> list[tuple]:
    rows = []
    for doc_path, text, spans in documents:
        digest = content_hash(doc_path)
        for span in spans:
            selectors = make_selectors(text, span["start"], span["end"])
            rows.append(
                (
                    suggestion_uid(digest, span["start"], span["end"], span["label"], "bench"),
                    digest, span["start"], span["end"], selectors.quote, selectors.prefix, selectors.suffix,
                    span["label"], span["score"], "bench", "anchored", "2026-11-30T00:00:00Z",
                )
            )
    return rows


def import_part() -> None:
    with scratch_directory() as scratch:
        began = time.perf_counter()
        file, documents = build_corpus(scratch, random.Random(7))
        total = sum(len(spans) for _p, _t, spans in documents)
        print(f"\n(a) {DOCUMENTS} documents, {total:,} spans, {file.stat().st_size / 1e6:.1f} MB of JSONL built in "
              f"{time.perf_counter() - began:.1f} s")
        rows = []
        path = fresh_store(scratch, "suggestions", documents)
        with Store.open(path) as store:
            began = time.perf_counter()
            report = import_suggestions(store, file, store_resolver(store), source="bench")
            first = time.perf_counter() - began
            began = time.perf_counter()
            again = import_suggestions(store, file, store_resolver(store), source="bench")
            second = time.perf_counter() - began
        assert report.added == total and again.added == 0 and again.skipped == total
        path = fresh_store(scratch, "annotations", documents)
        with Store.open(path) as store:
            began = time.perf_counter()
            annotated = import_file(store, file, store_resolver(store))
            as_annotations = time.perf_counter() - began
        assert annotated.added == total
        began = time.perf_counter()
        prepared = floor_rows(documents)
        path = fresh_store(scratch, "floor", documents)
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany("INSERT OR IGNORE INTO suggestions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", prepared)
        connection.execute("COMMIT")
        connection.close()
        floor = time.perf_counter() - began
        rows.append(("import --suggestions (new)", f"{first:.2f}", f"{total / first:,.0f}", ratio(first, floor)))
        rows.append(("import --suggestions (again: all skipped)", f"{second:.2f}", f"{total / second:,.0f}", ratio(second, floor)))
        rows.append(("import as annotations (margin import)", f"{as_annotations:.2f}", f"{total / as_annotations:,.0f}",
                     ratio(as_annotations, floor)))
        rows.append(("floor: selectors + bare executemany", f"{floor:.2f}", f"{total / floor:,.0f}", "1.0x"))
        print_table(f"Importing {total:,} spans (goal: 5 s)", ("", "seconds", "per second", "vs floor"), rows)


# -- part (b): the reader's keys -------------------------------------------------------------

OPERATIONS = (
    ".  next suggestion",
    "y  accept it",
    "u  undo accept",
    "z  reject the next",
    "u  undo reject",
    "s  select sentence",
    "1  tag it",
    "u  undo tag",
)


def suggest(store: Store, doc_hash: str, text: str, count: int, rng: random.Random) -> None:
    starts = [i for i, char in enumerate(text) if not char.isspace()]
    suggestions = {}
    while len(suggestions) < count:
        start = rng.choice(starts)
        end = min(start + rng.randint(2, 6), len(text))
        if "\n" in text[start:end]:
            continue
        label = rng.choice(LABELS)
        selectors = make_selectors(text, start, end)
        uid = suggestion_uid(doc_hash, start, end, label, "bench")
        suggestions[uid] = Suggestion(uid, doc_hash, start, end, selectors.quote, selectors.prefix, selectors.suffix,
                                      label, round(rng.random(), 3), "bench")
    for label in LABELS:  # as margin import --suggestions does
        store.create_tag(label)
    store.add_suggestions(suggestions.values())


async def reader_latencies(document: Path, expected: int, repeats: int) -> dict[str, list[tuple[float, float]]]:
    from tui.app import MarginApp
    from tui.config import Config

    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in OPERATIONS}
    app = MarginApp(document, Config(), open_file=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: getattr(getattr(app.screen, "session", None), "history", None) is not None
            and len(app.screen.suggestions.open) == expected,
            f"{expected} suggestions to load",
        )
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        clock = FrameClock(app, screen)
        screen.view.set_cursor(0)
        for round_number in range(repeats + 1):
            await pilot.press("right_parenthesis")
            if screen.view.cursor >= screen.source.length - 1:
                screen.view.set_cursor(0)
            await pilot.pause()
            taken = {}
            taken[".  next suggestion"] = await clock.press(pilot, "full_stop")
            taken["y  accept it"] = await clock.press(pilot, "y")
            if expected:
                assert len(screen.suggestions.open) == expected - 1, "y accepted nothing"
            taken["u  undo accept"] = await clock.press(pilot, "u")
            await pilot.press("full_stop")
            taken["z  reject the next"] = await clock.press(pilot, "z")
            taken["u  undo reject"] = await clock.press(pilot, "u")
            if expected:
                assert len(screen.suggestions.open) == expected, "u did not open it again"
            taken["s  select sentence"] = await clock.press(pilot, "s")
            taken["1  tag it"] = await clock.press(pilot, "1")
            assert len(screen.session.annotations) == 1, "1 did not tag"
            taken["u  undo tag"] = await clock.press(pilot, "u")
            app.clear_notifications()
            await pilot.pause()
            if round_number:
                for name, pair in taken.items():
                    samples[name].append(pair)
    return samples


def app_part(repeats: int, copies: int) -> None:
    seed_text = "\n".join([CHINESE_SEED.read_text(encoding="utf-8")] * copies)
    results = {}
    for label, count in (("no suggestions", 0), (f"{PER_DOCUMENT:,} suggestions", PER_DOCUMENT)):
        with scratch_directory() as scratch:
            document = scratch / CHINESE_SEED.name
            document.write_text(seed_text, encoding="utf-8")
            store_path = scratch / "data" / "notes.sqlite3"
            os.environ["MARGIN_DATA_DIR"] = str(scratch / "data")
            os.environ["MARGIN_STORE"] = str(store_path)
            os.environ["MARGIN_CONFIG"] = str(scratch / "no-config.toml")
            if count:
                with Store.open(store_path) as store:
                    store.register_document(content_hash(document), document, "seed")
                    suggest(store, content_hash(document), seed_text, count, random.Random(5))
            results[label] = asyncio.run(reader_latencies(document, count, repeats))
    base_label, loaded_label = results
    for title, which in (("key to result (action done, frame drawn)", 0), ("key to Pilot's return", 1)):
        rows = []
        for name in OPERATIONS:
            base = [pair[which] for pair in results[base_label][name]]
            loaded = [pair[which] for pair in results[loaded_label][name]]
            rows.append(
                (
                    name,
                    ms(statistics.median(base)),
                    ms(percentile(base, 0.9)),
                    ms(statistics.median(loaded)),
                    ms(percentile(loaded, 0.9)),
                    ratio(statistics.median(loaded), statistics.median(base)),
                )
            )
        print_table(
            f"Reader latency, {title}, ms: Chinese seed x{copies} ({len(seed_text):,} characters) at 120x40, "
            f"{repeats} rounds",
            ("key", f"{base_label} p50", "p90", f"{loaded_label} p50", "p90", "p50 ratio"),
            rows,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", choices=("import", "app"), help="run one part")
    parser.add_argument("--repeats", type=int, default=20, help="rounds per latency figure (part b)")
    parser.add_argument("--copies", type=int, default=10, help="part b: the Chinese seed repeated this many times")
    arguments = parser.parse_args()
    print_machine()
    if arguments.only in (None, "import"):
        import_part()
    if arguments.only in (None, "app"):
        app_part(arguments.repeats, arguments.copies)


if __name__ == "__main__":
    main()
