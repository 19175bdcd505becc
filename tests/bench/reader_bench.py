"""Reader speed through a real terminal: Margin beside ``less`` and a plain Textual TextArea.

Run: ``.venv/bin/python tests/bench/reader_bench.py [--sizes 1,10,100] [--runs 5]``

Each program opens a generated mixed-script UTF-8 file (Punjabi, Arabic, Chinese and English
paragraphs from ``assets/seeds`` interleaved and repeated to 1, 10 and 100 MiB, kept in the
system temp folder and reused) inside a detached tmux pane of 120x40 on a private socket.
The benchmark reads the pane with ``tmux capture-pane -p`` every few milliseconds:

- first screen: from launching the command to the pane showing an ASCII marker that starts
  the file's first body paragraph (the title line above it is what Margin puts in its title
  bar, so the marker appears only once the text itself is drawn);
- PageDown: from ``send-keys PageDown`` to the settled frame, the last change after which the
  pane stays the same for the settle window (Textual may repaint in several frames or
  animate); the first change is reported too. Each run first jumps to a different position
  (0, 20, 40 ... %), and every key waits for the pane to stay unchanged for 250 ms, so presses
  sample the whole file (for Margin on a large file that is after its background indexing:
  keys pressed while it indexes are not timed here);
- peak RSS: VmHWM of the program's process and its children, read just before it is killed.

Every figure is a median over ``--runs`` launches (latencies: over all presses); peak RSS is
the largest seen. The Margin rows are checked against the goals (informational only: the
script always exits 0).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "assets" / "seeds"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
MARGIN = ROOT / ".venv" / "bin" / "margin"
TEXTAREA_APP = Path(__file__).resolve().parent / "textarea_app.py"
CORPUS_DIR = Path(tempfile.gettempdir()) / "margin-reader-bench"

MIB = 1 << 20
COLUMNS, ROWS = 120, 40
SOCKET = "marginbench"
TITLE_LINE = "Mixed-script reading sample"
MARKER = "BENCHMARK-FIRST-SCREEN"
POLL_S = 0.005
SETTLE_S = 0.030
QUIET_S = 0.25
"""How long the pane must stay unchanged before a key is sent."""
QUIET_CAP_S = 120.0
PAGE_CAP_S = 30.0
PRESSES_PER_RUN = 4

GOAL_FIRST_SCREEN_S = 1.0
GOAL_PAGE_DOWN_MS = 30.0


# -- the corpus ---------------------------------------------------------------------------


def _paragraphs(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def corpus_file(size_mib: int) -> Path:
    """A mixed-script file of exactly ``size_mib`` MiB, generated once and reused."""
    path = CORPUS_DIR / f"mixed-{size_mib}mib.txt"
    target = size_mib * MIB
    if path.is_file() and path.stat().st_size == target:
        return path
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    # Punjabi, Arabic, Chinese, English (two English seeds take turns).
    streams = [cycle(_paragraphs(p)) for p in sorted(SEEDS.glob("*.txt"))]
    english = cycle([streams[3], streams[4]])
    head = f"{TITLE_LINE}\n\n{MARKER} — the first paragraph of the generated file.\n\n".encode()
    chunks = [head]
    size = len(head)
    while size < target:
        for stream in (streams[0], streams[1], streams[2], next(english)):
            chunk = (next(stream) + "\n\n").encode()
            chunks.append(chunk)
            size += len(chunk)
    data = b"".join(chunks)[:target]
    cut = data.rfind(b"\n") + 1
    data = data[:cut] + b"\n" * (target - cut)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return path


# -- tmux ---------------------------------------------------------------------------------


def tmux(*args: str, check: bool = True) -> str:
    done = subprocess.run(
        ["tmux", "-L", SOCKET, "-f", "/dev/null", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def _tmux_word(word: str) -> str:
    """``word`` as one single-quoted tmux argument (tmux single quotes have no escapes)."""
    if "'" in word:
        raise ValueError(f"cannot quote {word!r} for tmux")
    return f"'{word}'"


def _shell_command(argv: Sequence[str]) -> str:
    unsafe = set('"$`\\\'')
    if any(unsafe & set(part) for part in argv):
        raise ValueError(f"unsupported characters in {argv!r}")
    return "exec " + " ".join(f'"{part}"' for part in argv)


class Terminal:
    """One tmux control-mode client on the private server.

    Capturing a pane through a long-lived client costs well under a millisecond, against
    several for starting a ``tmux`` process per capture, so polling every 5 ms stays fine
    grained and a key's timer starts when the key is actually on its way.
    """

    def __init__(self) -> None:
        tmux("kill-server", check=False)  # a server left by an interrupted run on this socket
        tmux("new-session", "-d", "-s", "keeper", "exec sleep 100000")
        self._client = subprocess.Popen(
            ["tmux", "-L", SOCKET, "-f", "/dev/null", "-C", "attach", "-t", "keeper"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.run("list-sessions")

    def run(self, command: str) -> list[str]:
        """Run one tmux command and return its output lines; raise if tmux reports an error."""
        assert self._client.stdin is not None and self._client.stdout is not None
        self._client.stdin.write(command.encode() + b"\n")
        self._client.stdin.flush()
        reply: list[str] | None = None
        while True:
            line = self._client.stdout.readline()
            if not line:
                raise RuntimeError("tmux control client ended")
            text = line.decode("utf-8", "replace").rstrip("\n")
            if reply is None:
                if text.startswith("%begin ") and text.split()[-1] == "1":
                    reply = []
            elif text.startswith(("%end ", "%error ")) and text.split()[-1] == "1":
                if text.startswith("%error "):
                    raise RuntimeError(f"tmux {command}: {' '.join(reply)}")
                return reply
            else:
                reply.append(text)

    def open(self, session: str, argv: Sequence[str], env: dict[str, str]) -> None:
        env_args = " ".join(f"-e {_tmux_word(f'{key}={value}')}" for key, value in env.items())
        self.run(
            f"new-session -d -s {session} -x {COLUMNS} -y {ROWS} {env_args} "
            f"{_tmux_word(_shell_command(argv))}"
        )

    def capture(self, session: str) -> str:
        return "\n".join(self.run(f"capture-pane -p -t {session}"))

    def send(self, session: str, *keys: str) -> None:
        self.run(f"send-keys -t {session} " + " ".join(_tmux_word(key) for key in keys))

    def pane_pid(self, session: str) -> int:
        return int(self.run(f"list-panes -t {session} -F '#{{pane_pid}}'")[0])

    def kill(self, session: str) -> None:
        with contextlib.suppress(RuntimeError):
            self.run(f"kill-session -t {session}")

    def close(self) -> None:
        if self._client.stdin is not None:
            self._client.stdin.close()
        try:
            self._client.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._client.kill()
        tmux("kill-server", check=False)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree.setdefault(parent, []).append(int(entry))
    return tree


def peak_rss_mib(pid: int) -> float:
    """VmHWM summed over ``pid`` and its descendants (an upper bound of the tree's peak)."""
    tree = _children()
    total_kib = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo.extend(tree.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return total_kib / 1024


# -- watching the pane --------------------------------------------------------------------


def wait_for(
    term: Terminal, session: str, found: Callable[[str], bool], cap_s: float, start: float
) -> float | None:
    """Seconds from ``start`` until a capture satisfies ``found``, or None after ``cap_s``."""
    while True:
        polled = time.perf_counter()
        screen = term.capture(session)
        now = time.perf_counter()
        if found(screen):
            return now - start
        if now - start > cap_s:
            return None
        time.sleep(max(0.0, POLL_S - (now - polled)))


def wait_quiet(term: Terminal, session: str) -> str:
    """The pane once it has stayed unchanged for ``QUIET_S`` (or whatever it shows at the cap)."""
    start = time.perf_counter()
    screen = term.capture(session)
    since = start
    while True:
        time.sleep(POLL_S)
        now = time.perf_counter()
        current = term.capture(session)
        if current != screen:
            screen, since = current, now
        elif now - since >= QUIET_S or now - start > QUIET_CAP_S:
            return screen


@dataclass(frozen=True, slots=True)
class KeyTiming:
    """Milliseconds from a key to the first change and to the settled frame."""

    first_change_ms: float
    settled_ms: float


def time_key(term: Terminal, session: str, key: str, before: str) -> KeyTiming | None:
    """Send ``key`` and follow the pane until it has settled; None if it never changed."""
    start = time.perf_counter()
    term.send(session, key)
    first = last = None
    screen = before
    while True:
        polled = time.perf_counter()
        current = term.capture(session)
        now = time.perf_counter()
        if current != screen:
            screen = current
            last = now
            if first is None:
                first = now
        if last is not None and now - last >= SETTLE_S:
            return KeyTiming((first - start) * 1000, (last - start) * 1000)
        if last is None and now - start > PAGE_CAP_S:
            return None
        time.sleep(max(0.0, POLL_S - (now - polled)))


# -- the programs -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Program:
    """A reader under test: how to start it and how to move it to a percentage."""

    name: str
    command: Callable[[Path], list[str]]
    goto: Callable[[int], list[list[str]]]
    """send-keys argument lists that move the view to a percentage of the file."""
    first_screen_cap_s: float


def _margin_goto(percent: int) -> list[list[str]]:
    return [["-l", ":"], ["-l", f"{percent}%"], ["Enter"]]


def _less_goto(percent: int) -> list[list[str]]:
    return [["-l", f"{percent}p"]]


def _textarea_goto(percent: int) -> list[list[str]]:
    return [["-l", str(percent // 10)]]


PROGRAMS = (
    Program("margin", lambda path: [str(MARGIN), str(path)], _margin_goto, 60.0),
    Program("less", lambda path: ["less", str(path)], _less_goto, 60.0),
    Program(
        "textarea",
        lambda path: [str(VENV_PYTHON), str(TEXTAREA_APP), str(path)],
        _textarea_goto,
        90.0,
    ),
)


@dataclass(frozen=True, slots=True)
class Launch:
    """What one launch of a program measured."""

    first_screen_s: float | None
    pages: tuple[KeyTiming, ...]
    peak_rss_mib: float


def launch(
    term: Terminal, program: Program, path: Path, percent: int, data_dir: Path, index: int
) -> Launch:
    """Start ``program`` on ``path``, time its first screen, go to ``percent`` and page down."""
    session = f"{program.name}-{index}"
    env = {"MARGIN_DATA_DIR": str(data_dir), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    start = time.perf_counter()
    term.open(session, program.command(path), env)
    pid = term.pane_pid(session)
    try:
        first = wait_for(
            term, session, lambda screen: MARKER in screen, program.first_screen_cap_s, start
        )
        pages: list[KeyTiming] = []
        if first is not None:
            if percent:
                wait_quiet(term, session)
                for keys in program.goto(percent):
                    term.send(session, *keys)
            for _ in range(PRESSES_PER_RUN):
                before = wait_quiet(term, session)
                timing = time_key(term, session, "PageDown", before)
                if timing is not None:
                    pages.append(timing)
        rss = peak_rss_mib(pid)
    finally:
        term.kill(session)
    return Launch(first, tuple(pages), rss)


# -- the report ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: every launch of a program on one file size."""

    program: str
    size_mib: int
    first_screen_s: float | None
    first_screen_timeouts: int
    settled_ms: tuple[float, ...]
    first_change_ms: tuple[float, ...]
    peak_rss_mib: float


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(program: str, size_mib: int, launches: Sequence[Launch]) -> Row:
    firsts = [item.first_screen_s for item in launches if item.first_screen_s is not None]
    return Row(
        program=program,
        size_mib=size_mib,
        first_screen_s=statistics.median(firsts) if firsts else None,
        first_screen_timeouts=len(launches) - len(firsts),
        settled_ms=tuple(page.settled_ms for item in launches for page in item.pages),
        first_change_ms=tuple(page.first_change_ms for item in launches for page in item.pages),
        peak_rss_mib=max(item.peak_rss_mib for item in launches),
    )


def goals(row: Row) -> str:
    """Which of Margin's goals the row misses, or 'pass'."""
    missed = []
    if row.first_screen_s is None or row.first_screen_s >= GOAL_FIRST_SCREEN_S:
        missed.append("first screen")
    if not row.settled_ms or statistics.median(row.settled_ms) >= GOAL_PAGE_DOWN_MS:
        missed.append("PageDown")
    if row.peak_rss_mib >= 1.5 * row.size_mib + 100:
        missed.append("memory")
    return "pass" if not missed else "FAIL: " + ", ".join(missed)


def format_row(row: Row) -> str:
    if row.first_screen_s is None:
        first = "timeout"
    else:
        first = f"{row.first_screen_s:.3f}"
        if row.first_screen_timeouts:
            first += f" ({row.first_screen_timeouts} t/o)"
    if row.settled_ms:
        pages = (
            f"{statistics.median(row.settled_ms):>9.1f} {_percentile(row.settled_ms, 0.9):>9.1f} "
            f"{statistics.median(row.first_change_ms):>10.1f} {len(row.settled_ms):>3}"
        )
    else:
        pages = f"{'—':>9} {'—':>9} {'—':>10} {0:>3}"
    verdict = goals(row) if row.program == "margin" else ""
    return (
        f"{row.program:<9} {row.size_mib:>5} | {first:>13} | {pages} | "
        f"{row.peak_rss_mib:>8.1f} | {verdict}"
    )


HEADER = (
    f"{'program':<9} {'MiB':>5} | {'first scr (s)':>13} | {'PgDn med':>9} {'PgDn p90':>9} "
    f"{'1st chg med':>10} {'n':>3} | {'peak RSS':>8} | Margin goals"
)


def _capture_cost_ms(term: Terminal) -> float:
    times = []
    for _ in range(50):
        t0 = time.perf_counter()
        term.capture("keeper")
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,100", help="file sizes in MiB (default: 1,10,100)")
    parser.add_argument("--runs", type=int, default=5, help="launches per program and size")
    parser.add_argument(
        "--programs", default="margin,less,textarea", help="which programs (default: all three)"
    )
    parser.add_argument(
        "--skip-slow", action="store_true", help="skip the TextArea app on files of 100 MiB or more"
    )
    args = parser.parse_args(argv)
    sizes = [int(part) for part in args.sizes.split(",")]
    chosen = set(args.programs.split(","))
    programs = [program for program in PROGRAMS if program.name in chosen]
    if shutil.which("tmux") is None or shutil.which("less") is None:
        print("reader_bench: needs tmux and less on PATH", file=sys.stderr)
        return 0

    print(
        f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    print(
        f"terminal: {tmux('-V').strip()}, "
        f"{COLUMNS}x{ROWS}; poll every {POLL_S * 1000:.0f} ms, "
        f"settle window {SETTLE_S * 1000:.0f} ms, "
        f"{PRESSES_PER_RUN} PageDowns per launch at 0, {100 // args.runs}, ... %"
    )
    rows: list[Row] = []
    scratch = Path(tempfile.mkdtemp(prefix="margin-bench-data-"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    term = None
    try:
        term = Terminal()
        print(f"capture-pane costs {_capture_cost_ms(term):.2f} ms (median)", flush=True)
        for size in sizes:
            path = corpus_file(size)
            for program in programs:
                if args.skip_slow and program.name == "textarea" and size >= 100:
                    continue
                launches = []
                for index in range(args.runs):
                    percent = 100 * index // args.runs
                    data_dir = scratch / f"{program.name}-{size}-{index}"
                    data_dir.mkdir()
                    launches.append(launch(term, program, path, percent, data_dir, index))
                    print(
                        f"  {program.name} {size} MiB run {index + 1}: first screen "
                        f"{launches[-1].first_screen_s}, PageDown settled ms "
                        f"{[round(p.settled_ms, 1) for p in launches[-1].pages]}, "
                        f"peak {launches[-1].peak_rss_mib:.0f} MiB",
                        file=sys.stderr,
                        flush=True,
                    )
                rows.append(summarise(program.name, size, launches))
    finally:
        if term is not None:
            term.close()
        tmux("kill-server", check=False)
        shutil.rmtree(scratch, ignore_errors=True)

    print()
    print(HEADER)
    print("-" * len(HEADER))
    for row in rows:
        print(format_row(row))
    print()
    print(
        f"Margin goals: first screen under {GOAL_FIRST_SCREEN_S:.0f} s at 100 MiB; "
        f"PageDown settled median under {GOAL_PAGE_DOWN_MS:.0f} ms at every size; peak RSS under 1.5 x file size "
        "+ 100 MiB (checked on every Margin row)."
    )
    print("Latencies in ms, sizes and RSS in MiB; 'n' is the number of PageDowns timed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
