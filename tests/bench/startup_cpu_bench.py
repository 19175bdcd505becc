"""Start-up as CPU time: Margin beside a Textual hello-world, for a machine that is not quiet.

Run: ``.venv/bin/python tests/bench/startup_cpu_bench.py [--runs 5] [--baseline DIR] [--only WORD]``

``startup_bench.py`` measures what a user waits for, but on a machine busy with other work
the wall-clock time of a launch mostly says how long it waited for a core. This benchmark
runs the same cases in the same tmux set-up and reports the CPU seconds the process had
used (``time.process_time()``, every thread, interpreter start included) when Textual
wrote its first frame with content; the process then exits. A small launcher
(:data:`LAUNCHER`, written to the scratch folder) wraps ``App._display`` to notice that frame; nothing else is changed.
Cases take turns within each round, bytecode is compiled first (see ``startup_bench.py``)
and one unmeasured round warms the caches. The ratio to the hello-world is the figure
that carries over between machines; the goal (at most 1.5 times) is reported, not asserted.
``--only`` picks cases as in ``startup_bench.py``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reader_bench  # noqa: E402
import startup_bench  # noqa: E402

reader_bench.SOCKET = "margincpu"

LAUNCHER = (
    "import sys,time,textual.app as a\n"
    "out,tree=sys.argv[1],sys.argv[2]\n"
    "del sys.argv[1:3]\n"
    "sys.path.insert(0,tree) if tree != '-' else None\n"
    "shown=a.App._display\n"
    "def first(app,screen,renderable):\n"
    " shown(app,screen,renderable)\n"
    " if renderable is not None and not getattr(app,'_cpu_written',False):\n"
    "  app._cpu_written=True\n"
    "  open(out,'w').write(repr(time.process_time()))\n"
    "  app.exit()\n"
    "a.App._display=first\n"
    "import runpy\n"
    "if sys.argv[1:2] and sys.argv[1].endswith('.py'): runpy.run_path(sys.argv[1],run_name='__main__')\n"
    "else: sys.exit(__import__('tui.cli').cli.main(sys.argv[1:]))\n"
)
"""Runs a script (the hello-world) or ``margin`` with its arguments, from tree if named."""


def launch(term: reader_bench.Terminal, case: startup_bench.Case, tree: str, scratch: Path, number: int) -> float | None:
    home = scratch / f"run-{number}"
    home.mkdir()
    out = home / "cpu"
    env = {
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "MARGIN_DATA_DIR": str(home / "data"),
        "MARGIN_CONFIG": str(home / "config.toml"),
    }
    argv = [str(reader_bench.VENV_PYTHON), str(scratch / "launcher.py"), str(out), tree or "-", *case.argv[1:]]
    session = f"c{number}"
    term.open(session, argv, env)
    try:
        return wait_for_file(out, startup_bench.CAP_S)
    finally:
        term.kill(session)


def wait_for_file(path: Path, cap_s: float) -> float | None:
    """The number the launched process writes to ``path``, polled until ``cap_s`` passes."""
    deadline = time.perf_counter() + cap_s
    while time.perf_counter() < deadline:
        if path.exists() and (written := path.read_text()):
            return float(written)
        time.sleep(reader_bench.POLL_S)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, metavar="DIR", help="also run Margin from this source tree")
    parser.add_argument("--only", action="append", metavar="WORD", help="run only the cases whose name holds WORD")
    options = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed; nothing measured")
        return 0
    trees = [("margin", "")]
    if options.baseline is not None:
        trees.append(("baseline", str(options.baseline.resolve())))
    for _name, tree in trees:
        compileall.compile_dir(str(Path(tree or startup_bench.ROOT) / "tui"), quiet=1)
    plain = startup_bench.only(startup_bench.cases(), options.only)
    hello = plain[0]
    runs: list[tuple[str, startup_bench.Case, str]] = [("Textual hello-world", hello, "")]
    for name, tree in trees:
        runs += [(case.name.replace("margin", name, 1), case, tree) for case in plain[1:]]
    times: dict[str, list[float]] = {label: [] for label, _case, _tree in runs}
    term = reader_bench.Terminal()
    number = 0
    try:
        with tempfile.TemporaryDirectory(prefix="margin-cpu-") as scratch:
            (Path(scratch) / "launcher.py").write_text(LAUNCHER)
            for round_number in range(options.runs + 1):
                for label, case, tree in runs:
                    number += 1
                    seconds = launch(term, case, tree, Path(scratch), number)
                    if seconds is not None and round_number:
                        times[label].append(seconds)
    finally:
        term.close()
    floor = statistics.median(times[runs[0][0]]) if times[runs[0][0]] else None
    load = os.getloadavg()
    print(f"CPU time to the first frame, tmux {reader_bench.COLUMNS}x{reader_bench.ROWS}, medians of "
          f"{options.runs} interleaved runs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"| {'case':<24} | {'median':>8} | {'min':>8} | {'× hello':>7} | goal ≤ {startup_bench.GOAL_RATIO}× |")
    print(f"|{'-' * 26}|{'-' * 10}|{'-' * 10}|{'-' * 9}|{'-' * 12}|")
    for label, case, _tree in runs:
        values = times[label]
        if not values:
            print(f"| {label:<24} | {'—':>8} | {'—':>8} | {'—':>7} | never drawn |")
            continue
        median = statistics.median(values)
        ratio = median / floor if floor else float("nan")
        verdict = "—" if not case.margin else ("met" if ratio <= startup_bench.GOAL_RATIO else "missed")
        print(f"| {label:<24} | {median * 1000:6.0f} ms | {min(values) * 1000:6.0f} ms | {ratio:6.2f}× | {verdict:<10} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
