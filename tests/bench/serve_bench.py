"""Margin in a browser beside Margin in a terminal: time to the first screen, memory per visitor.

Run: ``.venv/bin/python tests/bench/serve_bench.py [--runs 5]``

- browser: ``margin serve SEED`` and headless chromium (1200x800). First screen: from the
  start of the page's navigation (``performance.now()`` counts from it) to the moment
  xterm.js's buffer holds the seed's first body row as the engine lays it out (below the title
  bar, which may repeat it), checked in the page every animation frame. Each run is a fresh page load, so a fresh Margin process.
  Memory: RSS of the visitor's process tree (its Margin) once the screen is drawn; the
  server's own RSS is shown apart (shared by all visitors).
- terminal: ``margin SEED`` in a detached tmux pane of the same size as the browser's
  terminal. First screen: from launching to ``capture-pane`` showing the same row (polled
  every 20 ms). Memory: RSS of the pane's process tree then.

Figures are medians over ``--runs``. Nothing is asserted: this prints a table.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from browser_harness import chromium, expected_rows  # noqa: E402
from serve_harness import seed_path, serving  # noqa: E402
from waiting import until  # noqa: E402

MIB = 1 << 20
FIRST_ROW_SCRIPT = """
const [wanted, done] = [arguments[0], arguments[arguments.length - 1]];
function look() {
  const t = window.marginTerminal;
  if (t) {
    const b = t.buffer.active;
    for (let y = 1; y < t.rows; y++) {
      if (b.getLine(y).translateToString(true).includes(wanted)) {
        done({ms: performance.now(), cols: t.cols, rows: t.rows});
        return;
      }
    }
  }
  requestAnimationFrame(look);
}
look();
"""


def tree_rss_mib(pid: int) -> float:
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total / MIB


def wanted_row(seed: Path, cols: int) -> str:
    """A stretch of the seed's first body row as drawn (its longest run without spaces)."""
    text, _ = expected_rows(seed, cols - 3, 1)[0]
    return max(text.split(), key=len)


def browser_runs(seed: Path, runs: int) -> tuple[list[float], list[float], float, tuple[int, int]]:
    times, visitor_rss = [], []
    server_rss = 0.0
    size = (0, 0)
    with serving(str(seed)) as served, chromium() as driver:
        driver.set_script_timeout(60)
        driver.get(served.url)  # sets the cookie; this first load is not counted
        probe = driver.execute_async_script(FIRST_ROW_SCRIPT, "")
        size = (probe["cols"], probe["rows"])
        wanted = wanted_row(seed, size[0])
        for _ in range(runs):
            driver.get("about:blank")
            until(lambda: served.visitor_processes() == [], "the previous visitor's Margin to end", 30)
            driver.get(served.base)
            found = driver.execute_async_script(FIRST_ROW_SCRIPT, wanted)
            times.append(found["ms"] / 1000)
            (visitor,) = until(served.visitor_processes, "the visitor's Margin", 10)
            visitor_rss.append(tree_rss_mib(visitor.pid))
            server_rss = max(server_rss, tree_rss_mib(served.process.pid) - visitor_rss[-1])
        driver.get("about:blank")
    return times, visitor_rss, server_rss, size


def terminal_runs(seed: Path, runs: int, size: tuple[int, int]) -> tuple[list[float], list[float]]:
    margin = Path(sys.executable).with_name("margin")
    wanted = wanted_row(seed, size[0])
    times, rss = [], []
    for _ in range(runs):
        socket = f"margin-serve-bench-{uuid.uuid4().hex[:8]}"
        data = Path(tempfile.mkdtemp(prefix="margin-serve-bench-"))
        env = dict(os.environ, MARGIN_DATA_DIR=str(data), MARGIN_STORE=str(data / "notes.sqlite3"))
        env.pop("TMUX", None)
        start = time.perf_counter()
        subprocess.run(
            ["tmux", "-L", socket, "new", "-d", "-x", str(size[0]), "-y", str(size[1]), f"{margin} {seed}"],
            env=env,
            check=True,
        )
        try:

            def shown(socket: str = socket) -> bool:
                out = subprocess.run(["tmux", "-L", socket, "capture-pane", "-p"], capture_output=True, text=True)
                return wanted in "\n".join(out.stdout.split("\n")[1:])

            until(shown, "the terminal's first screen", 60)
            times.append(time.perf_counter() - start)
            pane = subprocess.run(
                ["tmux", "-L", socket, "display", "-p", "#{pane_pid}"], capture_output=True, text=True, check=True
            )
            rss.append(tree_rss_mib(int(pane.stdout.strip())))
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
    return times, rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seeds", default="1,3", help="seed indexes (0 Punjabi, 1 Arabic, 2 Chinese, 3 English)")
    args = parser.parse_args(argv)
    os.environ.setdefault("MARGIN_DATA_DIR", tempfile.mkdtemp(prefix="margin-serve-bench-"))
    os.environ.setdefault("MARGIN_STORE", str(Path(os.environ["MARGIN_DATA_DIR"]) / "notes.sqlite3"))
    print(f"{'seed':<28} {'where':<9} {'first screen':>13} {'RSS per visitor':>16} {'server RSS':>11}")
    for index in (int(i) for i in args.seeds.split(",")):
        seed = seed_path(index)
        times, rss, server, size = browser_runs(seed, args.runs)
        print(
            f"{seed.name:<28} {'browser':<9} {statistics.median(times) * 1000:>10.0f} ms "
            f"{statistics.median(rss):>12.1f} MiB {server:>7.1f} MiB"
        )
        times, rss = terminal_runs(seed, args.runs, size)
        print(
            f"{'':<28} {'tmux':<9} {statistics.median(times) * 1000:>10.0f} ms "
            f"{statistics.median(rss):>12.1f} MiB {'-':>11}"
        )
    print(f"({args.runs} runs each, medians; terminal {size[0]}x{size[1]} cells, as the browser's)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
