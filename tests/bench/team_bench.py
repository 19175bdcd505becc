"""A team on one store: SQLite and PostgreSQL measured side by side in the same run.

Run: ``.venv/bin/python tests/bench/team_bench.py [--writers 8] [--each 1000] [--pings 100]``
(``--url postgresql://ADMIN@HOST/DB`` uses an existing server; by default a throwaway
PostgreSQL 15 cluster is started, with fsync on, as the tests do it.)

1. Concurrent writers: N annotator processes add ``--each`` annotations each, all at once,
   through the store API (on PostgreSQL each as its own role). Throughput, p50 and p99 of
   one ``add_annotation`` call, and the count afterwards (must be exactly N x each).
2. Live updates: this process adds an annotation; another process, watching with
   ``tui.notes.team.watch``, lists the document and reports when it sees it. Time from the
   write's commit to the other process seeing it: p50, p99 (goal: p99 <= 1 s).
3. A full store: 100,000 annotations from 10 annotators (10 documents of 10,000); the
   latency of tagging a new passage, of retagging one, and of listing the document again
   (what a reader does after a change), beside the same calls on an empty store.

Informational only: the script always exits 0.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS.parent))

TEXT = "A sentence to tag, and another one after it. " * 40
DOC = "e" * 64
PASSWORD = "bench-Passw0rd"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


# -- the stores ------------------------------------------------------------------------


def open_location(location: str):
    from tui.notes.store import open_store

    return open_store(location)[0]


def writer_location(base: str, index: int) -> str:
    """The store as writer ``index`` opens it: its own role on PostgreSQL."""
    if base.startswith("postgresql://"):
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(base)
        host = parts.netloc.split("@", 1)[-1]
        return urlunsplit(parts._replace(netloc=f"w{index}@{host}"))
    return base


# -- 1. concurrent writers ----------------------------------------------------------------


def write_many(location: str, index: int, each: int, barrier, results) -> None:
    """Add ``each`` annotations; a write refused as busy (SQLite's 5 s lock wait ran out) is
    retried, as a user would press the key again, and counted."""
    from tui.notes.store_api import StoreBusy

    store = open_location(writer_location(location, index))
    annotator = None if location.startswith("postgresql://") else f"w{index}"
    latencies = []
    busy = 0
    barrier.wait()
    for n in range(each):
        start = (n * 7) % (len(TEXT) - 10)
        began = time.perf_counter()
        while True:
            try:
                store.add_annotation(DOC, TEXT, start, start + 8, tags=["question"], annotator=annotator)
                break
            except StoreBusy:
                busy += 1
        latencies.append(time.perf_counter() - began)
    store.close()
    results.put((latencies, busy))


def concurrent_writers(location: str, writers: int, each: int) -> dict:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(writers + 1)
    results = context.Queue()
    processes = [
        context.Process(target=write_many, args=(location, index, each, barrier, results))
        for index in range(writers)
    ]
    for process in processes:
        process.start()
    barrier.wait()
    began = time.perf_counter()
    latencies: list[float] = []
    busy = 0
    for _ in processes:
        some, refused = results.get(timeout=1200)
        latencies.extend(some)
        busy += refused
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join()
    with open_location(location) as store:
        count = len(store.annotations(DOC))
    return {
        "throughput": f"{len(latencies) / elapsed:.0f} /s",
        "p50": ms(statistics.median(latencies)),
        "p99": ms(percentile(latencies, 0.99)),
        "count": f"{count} ({'exact' if count == writers * each else 'WRONG'})",
        "busy": str(busy),
    }


# -- 2. live updates ------------------------------------------------------------------------


def watch_and_report(location: str, pipe, token: int) -> None:
    from tui.notes.team import watch

    store = open_location(location)
    seen: set[str] = {a.uid for a in store.annotations(DOC)}
    stop = threading.Event()
    pipe.send("ready")
    for changes in watch(store, stop, token=token, timeout=0.05):
        if DOC not in changes.documents:
            continue
        for annotation in store.annotations(DOC):
            if annotation.uid not in seen:
                seen.add(annotation.uid)
                pipe.send((annotation.note, time.time()))
                if annotation.note == "last":
                    stop.set()
    store.close()


def live_updates(location: str, pings: int) -> dict:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    store = open_location(location)
    reader = context.Process(target=watch_and_report, args=(location, theirs, store.change_token()))
    reader.start()
    assert ours.recv() == "ready"
    delays = []
    for n in range(pings):
        note = "last" if n == pings - 1 else str(n)
        store.add_annotation(DOC, TEXT, n % 100, n % 100 + 5, note=note)
        committed = time.time()
        seen_note, seen_at = ours.recv()
        assert seen_note == note
        delays.append(seen_at - committed)
    reader.join(30)
    store.close()
    return {"p50": ms(statistics.median(delays)), "p99": ms(percentile(delays, 0.99)), "max": ms(max(delays))}


# -- 3. a full store ----------------------------------------------------------------------


def fill(location: str, total: int = 100_000, annotators: int = 10, documents: int = 10) -> None:
    """Bulk rows straight into the tables (what 10 annotators built up over months)."""
    now = "2026-01-01T00:00:00Z"
    rows = []
    for n in range(total):
        start = (n * 13) % (len(TEXT) - 10)
        rows.append((
            str(uuid.uuid4()), f"{n % documents:064x}", start, start + 6, TEXT[start:start + 6], "", "",
            "", f"w{n % annotators}", now, now, "anchored",
        ))
    columns = 'uid, doc_hash, start, "end", quote, prefix, suffix, note, annotator, created, modified, status'
    if location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as connection:
            connection.execute("SET search_path TO margin")
            with connection.transaction(), connection.cursor() as cursor:
                with cursor.copy(f"COPY annotations({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    "INSERT INTO annotation_tags(annotation_id, tag, position) "
                    "SELECT id, 'question', 0 FROM annotations"
                )
            connection.execute("ANALYZE")
    else:
        import sqlite3

        connection = sqlite3.connect(location)
        with connection:
            connection.executemany(f"INSERT INTO annotations({columns}) VALUES ({', '.join('?' * 12)})", rows)
            connection.execute(
                "INSERT INTO annotation_tags(annotation_id, tag, position) SELECT id, 'question', 0 FROM annotations"
            )
        connection.close()


def tagging(location: str, repeats: int = 50) -> dict[str, str]:
    doc = f"{3:064x}"
    with open_location(location) as store:
        store.annotations(doc)
        timings: dict[str, list[float]] = {"tag a passage": [], "retag it": [], "list the document": []}
        for n in range(repeats):
            start = (n * 11) % (len(TEXT) - 10)
            began = time.perf_counter()
            added = store.add_annotation(doc, TEXT, start, start + 9, tags=["todo"])
            timings["tag a passage"].append(time.perf_counter() - began)
            began = time.perf_counter()
            store.set_tags(added.id, ["todo", "evidence"])
            timings["retag it"].append(time.perf_counter() - began)
            began = time.perf_counter()
            store.annotations(doc)
            timings["list the document"].append(time.perf_counter() - began)
    return {what: f"{ms(statistics.median(v))} / {ms(percentile(v, 0.9))}" for what, v in timings.items()}


# -- the run ----------------------------------------------------------------------------


def postgres_locations(url: str | None, writers: int, work: Path):
    """(server or None, url of a fresh database as a curator, admin url of it)."""
    import psycopg

    from tui.notes.postgres.admin import add_annotator, initialise_server

    server = None
    if url is None:
        from postgres_server import PostgresServer, _bindir

        server = PostgresServer(_bindir())
        server.fast = False
        server.init()
        admin = server.url
    else:
        def admin(database: str = "postgres") -> str:
            return url.rsplit("/", 1)[0] + "/" + database

    def fresh(name: str) -> str:
        with psycopg.connect(admin("postgres"), autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS bench_{name}")
            connection.execute(f"CREATE DATABASE bench_{name}")
        initialise_server(admin(f"bench_{name}"))
        with psycopg.connect(admin(f"bench_{name}"), autocommit=True) as connection:
            for index in range(writers):
                add_annotator(connection, f"w{index}", PASSWORD, curator=False)
        return admin(f"bench_{name}")

    return server, fresh


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--each", type=int, default=1000)
    parser.add_argument("--pings", type=int, default=100)
    parser.add_argument("--url", help="an existing server's admin URL (postgresql://postgres@host/postgres)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still stop the cluster on kill
    work = Path(tempfile.mkdtemp(prefix="margin-team-bench-"))
    os.environ["MARGIN_DATA_DIR"] = str(work / "data")  # the journal, shared by the writers
    server, fresh = postgres_locations(args.url, args.writers, work)
    rows: dict[str, dict[str, dict]] = {}
    try:
        for backend in ("sqlite", "postgresql"):
            def location(name: str, backend: str = backend) -> str:
                if backend == "sqlite":
                    path = work / f"{name}.sqlite3"
                    open_location(str(path)).close()
                    return str(path)
                return fresh(name)

            print(f"[{backend}] concurrent writers ...", file=sys.stderr)
            writers = concurrent_writers(location("writers"), args.writers, args.each)
            print(f"[{backend}] live updates ...", file=sys.stderr)
            live = live_updates(location("live"), args.pings)
            print(f"[{backend}] full store ...", file=sys.stderr)
            empty = tagging(location("empty"))
            full_location = location("full")
            fill(full_location)
            full = tagging(full_location)
            rows[backend] = {"writers": writers, "live": live, "empty": empty, "full": full}
    finally:
        if server is not None:
            server.remove()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{args.writers} writer processes x {args.each} annotations at once")
    print(f"{'':12} {'throughput':>12} {'p50':>10} {'p99':>10} {'busy, retried':>14}  count")
    for backend, row in rows.items():
        w = row["writers"]
        print(f"{backend:12} {w['throughput']:>12} {w['p50']:>10} {w['p99']:>10} {w['busy']:>14}  {w['count']}")
    print(f"\nLive update, write -> seen by another process's watcher ({args.pings} writes; goal p99 <= 1 s)")
    print(f"{'':12} {'p50':>10} {'p99':>10} {'max':>10}")
    for backend, row in rows.items():
        live = row["live"]
        print(f"{backend:12} {live['p50']:>10} {live['p99']:>10} {live['max']:>10}")
    print("\nThrough the store, median / p90: 100,000 annotations from 10 annotators vs an empty store")
    for backend, row in rows.items():
        for what in row["full"]:
            print(f"{backend:12} {what:18} {row['full'][what]:>22}   (empty: {row['empty'][what]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
