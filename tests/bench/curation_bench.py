"""Curation keys at scale: 5 annotators × 2,000 annotations on one document, most of them
in disagreement, beside the plain tag key on the same document in the same run.

Run: ``.venv/bin/python tests/bench/curation_bench.py [--annotators 5] [--per 2000]
[--repeats 20] [--copies 4]``

The document is the Arabic seed repeated ``--copies`` times. Every annotator starts from one
shared reading (``--per`` word spans with tags) and departs from it: a third of the spans get
another tag, a longer extent or are dropped, so almost every passage is a disagreement.
In the reader, headless through Pilot at 120x40, each figure is key to result (the action
done and the frame drawn; ``notes_bench.FrameClock``), median and 90th percentile over
``--repeats`` rounds after a warm-up round:

- ``]`` next disagreement, ``1`` accept annotator 1's version (and move on), ``u`` undo it,
  ``0`` reject (and move on), ``u`` undo it — the curation keys (goal: 30 ms);
- beside, on the same document and annotations, outside curation mode: ``1`` tagging a
  selected sentence and ``u`` undoing it, the reader's plain tag key.

Also timed once: ``C`` (entering curation mode: the document's disagreements found) and
``=`` (accepting every passage all annotators marked alike). Informational only: no timed
asserts; the script exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from notes_bench import FrameClock, print_machine, print_table, scratch_directory, wait_until  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARABIC_SEED = next((ROOT / "assets" / "seeds").glob("001_*.txt"))
TAGS = ("key-point", "question", "evidence", "disagree", "todo")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def build(store_path: Path, document: Path, text: str, annotators: int, per: int, rng: random.Random) -> tuple[int, float]:
    """The store: each annotator's departure from a shared reading; (annotations, seconds)."""
    from tui.corpus.identity import content_hash
    from tui.notes.store import Store

    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    step = max(1, len(words) // per)
    base = [(words[i][0], words[i][1], rng.choice(TAGS), i) for i in range(0, len(words), step)][:per]
    digest = content_hash(document)
    began = time.perf_counter()
    count = 0
    with Store.open(store_path) as store:
        store.register_document(digest, document, document.name)
        with store.transaction():
            for a in range(annotators):
                name = f"annotator{a}"
                for start, end, tag, index in base:
                    roll = rng.random()
                    if roll < 0.1:
                        continue
                    if roll < 0.2:
                        tag = rng.choice(TAGS)
                    elif roll < 0.3 and index + 1 < len(words):
                        end = words[index + 1][1]
                    store.add_annotation(digest, text, start, end, [tag], annotator=name)
                    count += 1
    return count, time.perf_counter() - began


async def latencies(
    document: Path, expected: int, repeats: int, *, live: bool
) -> tuple[dict[str, list[float]], dict[str, float], str]:
    from tui.app import MarginApp
    from tui.config import Config

    curation_keys = ("]  next disagreement", "1  accept version 1", "u  undo accept", "0  reject", "u  undo reject")
    plain_keys = ("1  tag a selection (plain)", "u  undo the tag (plain)")
    samples: dict[str, list[float]] = {name: [] for name in (*curation_keys, *plain_keys)}
    once: dict[str, float] = {}
    app = MarginApp(document, Config(), open_file=True, annotator="curator")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: getattr(getattr(app.screen, "session", None), "history", None) is not None
            and len(app.screen.session.everyone) == expected,
            f"{expected} annotations to load",
        )
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not live:
            app._store_watch.stop()
            await wait_until(
                pilot,
                lambda: not any(t.name == "margin-store-watch" for t in threading.enumerate()),
                "the store watcher to stop",
            )
        screen = app.screen
        clock = FrameClock(app, screen)

        # The plain tag key first, outside curation mode.
        screen.view.set_cursor(0)
        for round_number in range(repeats + 1):
            await pilot.press("right_parenthesis")
            await pilot.press("s")
            await pilot.pause()
            tagged = await clock.press(pilot, "1")
            undone = await clock.press(pilot, "u")
            app.clear_notifications()
            if round_number:
                samples[plain_keys[0]].append(tagged[0])
                samples[plain_keys[1]].append(undone[0])

        screen.view.set_cursor(0)
        once["C  enter curation mode"] = (await clock.press(pilot, "C"))[0]
        curation = screen.curation
        summary = f"{len(curation.analysis.regions):,} disagreements, {len(curation.analysis.unanimous):,} passages alike"
        for round_number in range(repeats + 1):
            taken = {
                "]  next disagreement": await clock.press(pilot, "right_square_bracket"),
                "1  accept version 1": await clock.press(pilot, "1"),
                "u  undo accept": await clock.press(pilot, "u"),
            }
            await pilot.press("left_square_bracket")
            await pilot.pause()
            taken["0  reject"] = await clock.press(pilot, "0")
            taken["u  undo reject"] = await clock.press(pilot, "u")
            app.clear_notifications()
            if round_number:
                for name, pair in taken.items():
                    samples[name].append(pair[0])
        once["=  accept all alike"] = (await clock.press(pilot, "equals_sign"))[0]
    return samples, once, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--annotators", type=int, default=5)
    parser.add_argument("--per", type=int, default=2000, help="annotations per annotator (before departures)")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--copies", type=int, default=4, help="the Arabic seed repeated this many times")
    arguments = parser.parse_args()
    print_machine()
    text = "\n".join([ARABIC_SEED.read_text(encoding="utf-8")] * arguments.copies)
    with scratch_directory() as scratch:
        document = scratch / "arabic.txt"
        document.write_text(text, encoding="utf-8")
        store_path = scratch / "data" / "notes.sqlite3"
        os.environ["MARGIN_DATA_DIR"] = str(scratch / "data")
        os.environ["MARGIN_STORE"] = str(store_path)
        os.environ["MARGIN_CONFIG"] = str(scratch / "no-config.toml")
        results = {}
        for live in (True, False):
            if store_path.exists():
                for leftover in store_path.parent.glob("notes.sqlite3*"):
                    leftover.unlink()
            count, seconds = build(store_path, document, text, arguments.annotators, arguments.per, random.Random(5))
            print(
                f"\nstore: {count:,} annotations by {arguments.annotators} annotators on one document "
                f"({len(text):,} characters), built in {seconds:.1f} s"
            )
            results[live] = asyncio.run(latencies(document, count, arguments.repeats, live=live))
    summary = results[True][2]
    rows = [
        (
            name,
            ms(statistics.median(results[True][0][name])),
            ms(p90(results[True][0][name])),
            ms(statistics.median(results[False][0][name])),
            ms(p90(results[False][0][name])),
        )
        for name in results[True][0]
    ]
    print_table(
        f"Key to result, ms ({summary}; {arguments.repeats} rounds; goal for curation keys: 30 ms). "
        "Live updates on: the store watcher runs (this process's own writes are recognised, not read again).",
        ("key", "live on p50", "p90", "live off p50", "p90"),
        rows,
    )
    print_table(
        "Once, ms",
        ("key", "live on", "live off"),
        [(name, ms(results[True][1][name]), ms(results[False][1][name])) for name in results[True][1]],
    )


if __name__ == "__main__":
    main()
