"""Start-up through a real terminal: Margin beside a Textual hello-world from the same run.

Run: ``.venv/bin/python tests/bench/startup_bench.py [--runs 5] [--only WORD]``

Each case is launched in a detached tmux pane of 120x40 on a private socket, and the pane is
read with ``tmux capture-pane -p`` every few milliseconds until a string that only the drawn
first screen holds appears. The cases take turns within each round (hello-world, the Arabic
seed, the English seed, a 100 MiB mixed-script file, the library), so a machine busy with
other work slows them alike; every Margin launch gets a new, empty data folder and a
configuration path with no file behind it. The table gives medians and each case's ratio to
the hello-world's median; the ratio is the figure to compare across machines. The goal
(at most 1.5 times the hello-world) is reported, not asserted: the script always exits 0.

Before the first launch the bytecode of every source tree measured is compiled, as pip
does when it installs Margin: with ``PYTHONDONTWRITEBYTECODE`` set (as in many CI and
sandbox shells) a checkout would otherwise compile each of its modules again on every
launch, which costs more than the whole of Textual's start and is not what a user sees.

``--baseline DIR`` adds the same Margin cases run from another source tree (for example an
older commit unpacked with ``git archive``) with this checkout's interpreter, so a change
is measured against what it replaces in the same run.

``--only WORD`` (repeatable) keeps the Margin cases whose name contains WORD (``--only
library``), beside the hello-world, which is always run: a quicker loop while working on one.
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
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reader_bench  # noqa: E402  (the tmux client and the generated corpus)

reader_bench.SOCKET = "marginstartup"

ROOT = reader_bench.ROOT
SEEDS = reader_bench.SEEDS
HELLO_APP = Path(__file__).resolve().parent / "hello_app.py"
CAP_S = 30.0
GOAL_RATIO = 1.5


@dataclass(frozen=True)
class Case:
    name: str
    argv: list[str]
    expect: tuple[str, ...]
    """Strings of which the pane shows one only once the first screen is drawn."""
    margin: bool = True


_FROM_TREE = "import sys;sys.path.insert(0,sys.argv[1]);del sys.argv[1];import tui.cli;sys.exit(tui.cli.main())"
"""Runs ``margin`` from the source tree named by the first argument."""


def cases(baseline: Path | None = None) -> list[Case]:
    python, margin = str(reader_bench.VENV_PYTHON), str(reader_bench.MARGIN)
    big = reader_bench.corpus_file(100)
    chosen = [
        Case("Textual hello-world", [python, str(HELLO_APP)], ("BENCH-HELLO",), margin=False),
        Case("margin SEED (Arabic)", [margin, str(SEEDS / "001_8fee35915be30630.txt")], ("(AGI)",)),
        Case("margin SEED (English)", [margin, str(SEEDS / "003_3892daf3cf1b88e8.txt")], ("President Xi",)),
        Case("margin 100 MiB file", [margin, str(big)], (reader_bench.MARKER,)),
        # The library lists each file by name at once and puts its title in when it is read.
        Case("margin (library)", [margin], ("003_3892daf3cf1b88e8", "HOW CHINA'S TECH")),
    ]
    if baseline is not None:
        launcher = [python, "-c", _FROM_TREE, str(baseline.resolve())]
        chosen += [
            Case(case.name.replace("margin", "baseline", 1), launcher + case.argv[1:], case.expect)
            for case in chosen
            if case.margin
        ]
    return chosen


def only(chosen: list[Case], words: list[str] | None) -> list[Case]:
    """The hello-world and the Margin cases whose name holds one of ``words`` (all without)."""
    if not words:
        return chosen
    return [case for case in chosen if not case.margin or any(word in case.name for word in words)]


def launch(term: reader_bench.Terminal, case: Case, scratch: Path, number: int) -> float | None:
    env = {"LANG": "C.UTF-8", "TERM": "xterm-256color"}
    if case.margin:
        home = scratch / f"run-{number}"
        home.mkdir()
        env |= {"MARGIN_DATA_DIR": str(home / "data"), "MARGIN_CONFIG": str(home / "config.toml")}
    session = f"s{number}"
    start = time.perf_counter()
    term.open(session, case.argv, env)
    try:
        return reader_bench.wait_for(term, session, lambda screen: any(s in screen for s in case.expect), CAP_S, start)
    finally:
        term.kill(session)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, metavar="DIR", help="also run Margin from this source tree")
    parser.add_argument("--only", action="append", metavar="WORD", help="run only the cases whose name holds WORD")
    options = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed; nothing measured")
        return 0
    all_cases = only(cases(options.baseline), options.only)
    for tree in (ROOT, options.baseline):
        if tree is not None:
            compileall.compile_dir(str(Path(tree) / "tui"), quiet=1)
    times: dict[str, list[float]] = {case.name: [] for case in all_cases}
    failed: dict[str, int] = {case.name: 0 for case in all_cases}
    term = reader_bench.Terminal()
    number = 0
    # The terminal closes first: an app ending after its session is killed may still be
    # writing its data folder, which the scratch folder's removal must not race.
    with tempfile.TemporaryDirectory(prefix="margin-startup-", ignore_cleanup_errors=True) as scratch:
        try:
            # One unmeasured round warms the disk cache and the bytecode of every case.
            for case in all_cases:
                number += 1
                launch(term, case, Path(scratch), number)
            for _round in range(options.runs):
                for case in all_cases:
                    number += 1
                    seconds = launch(term, case, Path(scratch), number)
                    if seconds is None:
                        failed[case.name] += 1
                    else:
                        times[case.name].append(seconds)
        finally:
            term.close()
    floor = statistics.median(times[all_cases[0].name]) if times[all_cases[0].name] else None
    load = os.getloadavg()
    print(f"Start-up to the first screen, tmux {reader_bench.COLUMNS}x{reader_bench.ROWS}, "
          f"medians of {options.runs} interleaved runs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"| {'case':<24} | {'median':>8} | {'min':>8} | {'max':>8} | {'× hello':>7} | goal ≤ {GOAL_RATIO}× |")
    print(f"|{'-' * 26}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 9}|{'-' * 12}|")
    for case in all_cases:
        values = times[case.name]
        if not values:
            print(f"| {case.name:<24} | {'—':>8} | {'—':>8} | {'—':>8} | {'—':>7} | never drawn |")
            continue
        median = statistics.median(values)
        ratio = median / floor if floor else float("nan")
        verdict = "—" if not case.margin else ("met" if ratio <= GOAL_RATIO else "missed")
        lost = f" ({failed[case.name]} not drawn)" if failed[case.name] else ""
        print(f"| {case.name:<24} | {median * 1000:6.0f} ms | {min(values) * 1000:6.0f} ms | "
              f"{max(values) * 1000:6.0f} ms | {ratio:6.2f}× | {verdict + lost:<10} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
