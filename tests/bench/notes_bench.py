"""Notes at scale: the store and exports beside the bare floor, and the reader's key latency.

Run: ``.venv/bin/python tests/bench/notes_bench.py [--only store|app] [--repeats 20]``

Part (a), store and export, on a store of 100,000 annotations (10 documents of 10,000):

- listing one document's 10,000 annotations, cold (a freshly opened store) and cached
  (the same store asked again), beside the same two SELECTs fetched with bare ``sqlite3``
  into tuples;
- re-anchoring one passage in a 1 MB multilingual text for each kind of edit (exact,
  moved, fuzzy near and far, orphan), beside one ``str.find`` of the quote, the floor of
  any search (and all it takes to find an unedited or moved quote); and a whole document of
  10,000 annotations after an insertion at the top, beside 10,000 ``str.find`` calls;
- exporting all 100,000 annotations: ``collect`` beside the same rows fetched with bare
  ``sqlite3``, and each format beside a writer with no formatting logic over those rows
  (``csv.writer``, ``json.dumps`` per row or of the whole list, plain f-strings for
  Markdown and brat standoff).

Part (b), key-to-frame latency in the reader, run headless through Textual's Pilot at
120x40 on the Traditional Chinese seed (``--copies N`` repeats it N times, so the same
annotations lie N times thinner): once with 10,000 annotations on that document and
100,000 in the store, once with an empty store (the baseline column). Each figure is the
time from sending a key until the screen has handled it and redrawn what changed
(``pilot.press`` then ``pilot.pause``): ``s`` (select a sentence), ``1`` (tag it),
``u`` (undo), ``a`` (open, then close, the annotations panel) and ``]`` (next annotation),
median and 90th percentile over ``--repeats`` rounds after one warm-up round. With an
empty store ``]`` has no annotation to go to and only shows a notice, so its baseline is
the cost of the key itself. A second table gives the time until Pilot returns, which adds
Pilot's own polling for an idle event loop.

Informational only: the script always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import textual  # noqa: E402

from tui.corpus.identity import content_hash  # noqa: E402
from tui.notes.anchoring import reanchor, reanchor_document  # noqa: E402
from tui.notes.exporters.brat import to_brat  # noqa: E402
from tui.notes.exporters.collection import ExportScope, collect  # noqa: E402
from tui.notes.exporters.csv_table import to_csv  # noqa: E402
from tui.notes.exporters.jsonl import to_jsonl  # noqa: E402
from tui.notes.exporters.markdown import to_markdown  # noqa: E402
from tui.notes.exporters.w3c import to_w3c  # noqa: E402
from tui.notes.model import make_selectors  # noqa: E402
from tui.notes.store import Store  # noqa: E402
from tui.text.sentences import sentence_boundaries  # noqa: E402

CHINESE_SEED = next((ROOT / "assets" / "seeds").glob("002_*.txt"))
PER_DOCUMENT = 10_000
DOCUMENTS = 10
TAGS = (("key-point",), ("question", "todo"), ())
SCRIPTS = (
    "abcdefghijklmnopqrstuvwxyz",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "ਕਖਗਘਚਛਜਝਟਠਡਢਣਤਥਦਧਨਪਫਬਭਮਯਰਲਵਸਹ",
    "的一是不了人我在有他這為之大來以個中上們",
)
LOAD_TIMEOUT_S = 120.0


# -- measuring ----------------------------------------------------------------------------


def timed(work: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    result = work()
    return time.perf_counter() - began, result


def median_of(repeats: int, work: Callable[[], object]) -> float:
    return statistics.median(timed(work)[0] for _ in range(repeats))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.2f}"


def print_table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    line = "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(header))
    print(f"\n{title}\n{line}\n{'-' * len(line)}")
    for row in rows:
        print("  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)))


def ratio(margin: float, floor: float) -> str:
    return f"{margin / floor:,.1f}x" if floor > 0 else "-"


def print_machine() -> None:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"machine: nproc {cpus}, {platform.machine()}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}); "
        f"SQLite {sqlite3.sqlite_version}; Textual {textual.__version__}"
    )


@contextmanager
def scratch_directory() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="margin-notes-bench-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- building stores ----------------------------------------------------------------------


def sentence_ranges(text: str) -> list[tuple[int, int]]:
    """Sentences of ``text`` trimmed of trailing spaces, skipping the very short ones."""
    ranges = []
    paragraph_start = 0
    for line in text.split("\n"):
        bounds = sentence_boundaries(line)
        for a, b in zip(bounds, bounds[1:]):
            while b > a and line[b - 1].isspace():
                b -= 1
            if b - a >= 8:
                ranges.append((paragraph_start + a, paragraph_start + b))
        paragraph_start += len(line) + 1
    return ranges


def sentence_like(ranges: list[tuple[int, int]], rng: random.Random) -> tuple[int, int]:
    """A sentence nudged by a few characters at each end, so it never equals what ``s`` selects."""
    start, end = rng.choice(ranges)
    return start + rng.randint(0, 2), end - rng.randint(1, 3)


def fill_document(store: Store, doc_hash: str, text: str, count: int, rng: random.Random) -> None:
    ranges = sentence_ranges(text)
    for index in range(count):
        start, end = sentence_like(ranges, rng)
        store.add_annotation(doc_hash, text, start, end, TAGS[index % 3], "a note" if index % 2 else "", "bench")


def build_store(path: Path, documents: list[tuple[str, Path, str]], rng: random.Random) -> float:
    """A store with ``PER_DOCUMENT`` annotations on each (hash, path, text); seconds taken."""
    began = time.perf_counter()
    with Store.open(path) as store, store.transaction():
        for number, (doc_hash, doc_path, text) in enumerate(documents):
            store.register_document(doc_hash, doc_path, f"Document {number}")
            fill_document(store, doc_hash, text, PER_DOCUMENT, rng)
    return time.perf_counter() - began


# -- part (a): store and export -------------------------------------------------------------

LISTING_SQL = (
    'SELECT * FROM annotations WHERE doc_hash = ? ORDER BY start, "end", id',
    "SELECT t.annotation_id, t.tag FROM annotation_tags t JOIN annotations a "
    "ON a.id = t.annotation_id WHERE a.doc_hash = ? ORDER BY t.annotation_id, t.position",
)
EXPORT_SQL = (
    "SELECT a.id, d.title, d.path, a.start, a.\"end\", a.quote, a.note, a.annotator, a.created, a.modified, a.uid,"
    " (SELECT group_concat(tag, '|') FROM annotation_tags t WHERE t.annotation_id = a.id) "
    'FROM annotations a JOIN documents d ON d.hash = a.doc_hash ORDER BY d.title, a.start, a."end", a.id'
)


def listing_rows(store_path: Path, doc_hash: str, repeats: int) -> list[tuple[str, ...]]:
    def margin_cold() -> float:
        with Store.open(store_path) as store:
            return timed(lambda: store.annotations(doc_hash))[0]

    def margin_cached() -> float:
        with Store.open(store_path) as store:
            store.annotations(doc_hash)
            return timed(lambda: store.annotations(doc_hash))[0]

    def floor_cold() -> float:
        connection = sqlite3.connect(store_path)
        try:
            return timed(lambda: [connection.execute(sql, (doc_hash,)).fetchall() for sql in LISTING_SQL])[0]
        finally:
            connection.close()

    def floor_cached() -> float:
        connection = sqlite3.connect(store_path)
        try:
            rows = connection.execute(LISTING_SQL[0], (doc_hash,)).fetchall()
            return timed(lambda: list(rows))[0]
        finally:
            connection.close()

    rows = []
    for name, margin, floor, floor_name in (
        ("list 10,000 of one document, cold", margin_cold, floor_cold, "2 SELECTs, fetchall"),
        ("list 10,000 of one document, cached", margin_cached, floor_cached, "list(rows)"),
    ):
        m = statistics.median(margin() for _ in range(repeats))
        f = statistics.median(floor() for _ in range(repeats))
        rows.append((name, ms(m), ms(f), floor_name, ratio(m, f)))
    return rows


@dataclass(frozen=True, slots=True)
class Passage:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def passage(text: str, start: int, end: int) -> Passage:
    selectors = make_selectors(text, start, end)
    return Passage(start, end, selectors.quote, selectors.prefix, selectors.suffix)


def random_words(rng: random.Random, count: int) -> str:
    return " ".join("".join(rng.choice(letters) for _ in range(rng.randint(2, 7))) for letters in (rng.choice(SCRIPTS) for _ in range(count)))


def reanchor_rows(repeats: int, scratch: Path) -> list[tuple[str, ...]]:
    rng = random.Random(7)
    text = random_words(rng, 200_000)[:1_000_000]
    start = text.index(" ", 500_000) + 1
    end = text.index(" ", start + 150)
    original = passage(text, start, end)
    edits = {
        "exact": text,
        "moved": text[:1000] + random_words(rng, 3000) + text[1000:],
        "fuzzy": text[: start + 40] + "##" + text[start + 43 :],
        "fuzzy far": text[:1000] + random_words(rng, 3000) + text[1000 : start + 40] + "##" + text[start + 43 :],
        "orphan": text[: start - 5] + text[end + 5 :],
    }
    rows = []
    for expected, edited in edits.items():
        status = reanchor(original, edited).status
        assert status == expected.split()[0], (expected, status)
        m = median_of(repeats, lambda edited=edited: reanchor(original, edited))
        f = median_of(repeats, lambda edited=edited: edited.find(original.quote))
        rows.append((f"re-anchor 1 passage in 1 MB: {expected}", ms(m), ms(f), "str.find", ratio(m, f)))

    old_hash, new_hash = "e" * 64, "f" * 64
    shifted = random_words(rng, 200) + " " + text
    store_path = scratch / "reanchor.sqlite3"
    with Store.open(store_path) as store, store.transaction():
        for _ in range(PER_DOCUMENT):
            a = rng.randrange(0, len(text) - 200)
            a = text.index(" ", a) + 1
            store.add_annotation(old_hash, text, a, text.index(" ", a + 40))
    with Store.open(store_path) as store:
        quotes = [annotation.quote for annotation in store.annotations(old_hash)]
        m, report = timed(lambda: reanchor_document(store, new_hash, shifted, from_hash=old_hash))
    f = timed(lambda: [shifted.find(quote) for quote in quotes])[0]
    rows.append(
        (f"re-anchor 10,000 after an insert at the top ({report.moved} moved)", ms(m), ms(f), "10,000 str.find", ratio(m, f))
    )
    return rows


def export_floors(rows: list[tuple]) -> dict[str, Callable[[], object]]:
    """The same rows written by each format's plainest writer, with no formatting logic."""

    def as_dict(row: tuple) -> dict:
        return {
            "document": row[1], "path": row[2], "start": row[3], "end": row[4], "quote": row[5],
            "tags": row[11].split("|") if row[11] else [], "note": row[6], "annotator": row[7],
            "created": row[8], "modified": row[9], "uid": row[10],
        }

    def markdown() -> str:
        return "".join(f"> {row[5]}\n\n{row[11] or ''} {row[6]}\n\n" for row in rows)

    def w3c() -> str:
        return json.dumps([as_dict(row) for row in rows], ensure_ascii=False)

    def jsonl() -> str:
        return "\n".join(json.dumps(as_dict(row), ensure_ascii=False) for row in rows)

    def csv_rows() -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in rows:
            for tag in (row[11] or "").split("|"):
                writer.writerow((row[1], row[2], row[3], row[4], row[5], tag, row[6], row[7], row[8], row[9], row[10]))
        return buffer.getvalue()

    def brat() -> str:
        return "".join(f"T{row[0]}\t{row[11] or 'NOTE'} {row[3]} {row[4]}\t{row[5]}\n" for row in rows)

    return {"md": markdown, "w3c": w3c, "jsonl": jsonl, "csv": csv_rows, "brat": brat}


def size_of(output: object) -> int:
    if isinstance(output, dict):
        return sum(len(value.encode()) for value in output.values())
    return len(str(output).encode())


def export_rows(store_path: Path, texts: dict[str, str], repeats: int) -> list[tuple[str, ...]]:
    with Store.open(store_path) as store:
        m_collect, documents = timed(lambda: collect(store, ExportScope(), lambda document: texts.get(document.hash)))
    connection = sqlite3.connect(store_path)
    try:
        f_collect, floor_rows = timed(lambda: connection.execute(EXPORT_SQL).fetchall())
    finally:
        connection.close()
    assert sum(len(notes.annotations) for notes in documents) == len(floor_rows) == DOCUMENTS * PER_DOCUMENT
    rows = [("collect 100,000 (store to DocumentNotes)", f"{m_collect:,.3f}", f"{f_collect:,.3f}", "1 SELECT, fetchall", ratio(m_collect, f_collect), "")]
    floors = export_floors(floor_rows)
    for name, render in (("md", to_markdown), ("w3c", to_w3c), ("jsonl", to_jsonl), ("csv", to_csv), ("brat", to_brat)):
        output = render(documents)
        m = median_of(repeats, lambda render=render: render(documents))
        f = median_of(repeats, floors[name])
        size = f"{size_of(output) / 1e6:,.1f}"
        rows.append((f"export 100,000 as {name}", f"{m:,.3f}", f"{f:,.3f}", "plain writer", ratio(m, f), size))
    return rows


def store_part(repeats: int) -> None:
    text = (CHINESE_SEED.read_text(encoding="utf-8") * 40)[:200_000]
    with scratch_directory() as scratch:
        store_path = scratch / "notes.sqlite3"
        documents = [(f"{number:064x}", scratch / f"doc{number}.txt", text) for number in range(DOCUMENTS)]
        built = build_store(store_path, documents, random.Random(2))
        print(f"\n(a) store of {DOCUMENTS * PER_DOCUMENT:,} annotations on {DOCUMENTS} documents built in {built:.1f} s")
        header = ("operation", "Margin ms", "floor ms", "floor", "Margin/floor")
        print_table(f"Listing (median of {repeats})", header, listing_rows(store_path, documents[0][0], repeats))
        print_table(f"Re-anchoring (median of {repeats}; whole document: once)", header, reanchor_rows(repeats, scratch))
        export_repeats = max(1, min(repeats, 3))
        texts = {doc_hash: body for doc_hash, _path, body in documents}
        print_table(
            f"Export (median of {export_repeats}; Margin output size)",
            ("operation", "Margin s", "floor s", "floor", "Margin/floor", "MB"),
            export_rows(store_path, texts, export_repeats),
        )


# -- part (b): key-to-frame latency in the reader ----------------------------------------

OPERATIONS = ("s  select sentence", "1  tag it", "u  undo", "a  open panel", "a  close panel", "]  next annotation")


async def wait_until(pilot, ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + LOAD_TIMEOUT_S
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        await pilot.pause(0.05)


class FrameClock:
    """Stamps the end of every key action and of every frame the screen composes.

    Pilot waits for the event loop to go idle before it returns, which adds its own polling
    slack. A key's latency is from sending it to the later of its action's end and the last
    frame drawn before Pilot returns: when the user would have seen the result (an action
    that changes nothing visible, such as ``]`` with no annotation ahead, draws no frame).
    """

    def __init__(self, app, screen) -> None:
        self.stamps: list[float] = []
        compose_frame = screen._compositor_refresh
        dispatch_action = app._dispatch_action

        def stamped_frame() -> None:
            compose_frame()
            self.stamps.append(time.perf_counter())

        async def stamped_action(*arguments):
            try:
                return await dispatch_action(*arguments)
            finally:
                self.stamps.append(time.perf_counter())

        screen._compositor_refresh = stamped_frame
        app._dispatch_action = stamped_action

    async def press(self, pilot, key: str) -> tuple[float, float]:
        """Key to result, and key to Pilot's return, in seconds."""
        self.stamps.clear()
        began = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        returned = time.perf_counter()
        stamps = [stamp for stamp in self.stamps if began <= stamp <= returned]
        if not stamps:
            raise AssertionError(f"{key!r} ran no action")
        return max(stamps) - began, returned - began


async def reader_latencies(document: Path, expected: int, repeats: int) -> dict[str, list[tuple[float, float]]]:
    """Per key: (key to last frame, key to Pilot's return) for each measured round."""
    from tui.app import MarginApp
    from tui.config import Config
    from tui.widgets.annotation_panel import AnnotationPanel

    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in OPERATIONS}
    app = MarginApp(document, Config(), open_file=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: getattr(getattr(app.screen, "session", None), "history", None) is not None
            and len(app.screen.session.annotations) == expected,
            f"{expected} annotations to load",
        )
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        clock = FrameClock(app, screen)
        panel = screen.query_one("#panel", AnnotationPanel)
        screen.view.set_cursor(0)
        for round_number in range(repeats + 1):
            await pilot.press("right_parenthesis")
            if screen.view.cursor >= screen.source.length - 1:
                screen.view.set_cursor(0)
                await pilot.press("right_parenthesis")
            await pilot.pause()
            taken = {}
            taken["s  select sentence"] = await clock.press(pilot, "s")
            assert screen.view.selection is not None, "s selected nothing"
            taken["1  tag it"] = await clock.press(pilot, "1")
            assert len(screen.session.annotations) == expected + 1, "1 did not add an annotation"
            taken["u  undo"] = await clock.press(pilot, "u")
            assert len(screen.session.annotations) == expected, "u did not remove the annotation"
            taken["a  open panel"] = await clock.press(pilot, "a")
            assert panel.has_class("-open")
            taken["a  close panel"] = await clock.press(pilot, "a")
            assert not panel.has_class("-open")
            taken["]  next annotation"] = await clock.press(pilot, "right_square_bracket")
            app.clear_notifications()
            await pilot.pause()
            if round_number:
                for name, pair in taken.items():
                    samples[name].append(pair)
    return samples


def app_part(repeats: int, copies: int) -> None:
    seed_text = "\n".join([CHINESE_SEED.read_text(encoding="utf-8")] * copies)
    results = {}
    for label, annotated in (("empty store", False), ("10,000 here, 100,000 in store", True)):
        with scratch_directory() as scratch:
            document = scratch / CHINESE_SEED.name
            document.write_text(seed_text, encoding="utf-8")
            store_path = scratch / "data" / "notes.sqlite3"
            os.environ["MARGIN_DATA_DIR"] = str(scratch / "data")
            os.environ["MARGIN_STORE"] = str(store_path)
            os.environ["MARGIN_CONFIG"] = str(scratch / "no-config.toml")
            if annotated:
                others = [(f"{number:064x}", scratch / f"other{number}.txt", seed_text) for number in range(1, DOCUMENTS)]
                built = build_store(store_path, [(content_hash(document), document, seed_text), *others], random.Random(3))
                print(f"\n(b) store of {DOCUMENTS * PER_DOCUMENT:,} annotations built in {built:.1f} s")
            expected = PER_DOCUMENT if annotated else 0
            results[label] = asyncio.run(reader_latencies(document, expected, repeats))
    base_label, loaded_label = results
    for title, which in (("key to result (action done, frame drawn)", 0), ("key to Pilot's return (adds Pilot's idle polling)", 1)):
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
            f"Reader latency, {title}, ms: Chinese seed x{copies} ({len(seed_text):,} characters) at 120x40, {repeats} rounds",
            ("key", f"{base_label} p50", "p90", f"{loaded_label} p50", "p90", "p50 ratio"),
            rows,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", choices=("store", "app"), help="run one part")
    parser.add_argument("--repeats", type=int, default=20, help="rounds per latency figure (part b)")
    parser.add_argument(
        "--copies", type=int, default=1, help="part b: the seed repeated this many times, spreading the annotations thinner"
    )
    arguments = parser.parse_args()
    print_machine()
    if arguments.only in (None, "store"):
        store_part(5)
    if arguments.only in (None, "app"):
        app_part(arguments.repeats, arguments.copies)


if __name__ == "__main__":
    main()
