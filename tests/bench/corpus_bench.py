"""Opening a 20 MB document: Margin's lazy source beside reading and decoding it whole.

Run: ``.venv/bin/python tests/bench/corpus_bench.py``

The file is every seed joined with CRLF and repeated to 20 MB, in the system temp folder.
Margin's column is ``TextSource.open`` plus its first block (what the reader needs for the
first screen), then the whole index built in 1 MiB batches, then peak RSS growth while
indexing, measured in a grandchild process so this script's own peak stays out of it. The
alternative in the same run reads the file and decodes it whole with ``bytes.decode``,
which is what opening costs without lazy indexing. Medians of five.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.corpus.source import TextSource  # noqa: E402

SIZE = 20_000_000
BATCH = 1 << 20
REPEATS = 5

PEAK_RSS = """
import json, resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
{setup}
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
{work}
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"growth_kib": after - before}}))
"""
MARGIN_SETUP = "from tui.corpus.source import TextSource"
MARGIN_WORK = """source = TextSource.open(Path(sys.argv[1]))
while source.index_step(int(sys.argv[2])) < 1:
    pass
source.block(source.block_count - 1)"""
WHOLE_SETUP = ""
WHOLE_WORK = "text = Path(sys.argv[1]).read_bytes().decode('utf-8')"
RELAY = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"
"""Linux hands a process's peak RSS on through fork and exec; a grandchild of a bare
interpreter starts from a small peak."""


def huge_file() -> Path:
    path = Path(tempfile.gettempdir()) / "margin-corpus-bench-20mb.txt"
    if not path.is_file() or path.stat().st_size < SIZE:
        seeds = sorted((ROOT / "assets" / "seeds").glob("*.txt"))
        seed = b"".join(p.read_bytes() + b"\r\n" for p in seeds)
        path.write_bytes(seed * (SIZE // len(seed) + 1))
    return path


def seconds(work) -> float:
    samples = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        work()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def first_block(path: Path) -> None:
    source = TextSource.open(path)
    source.block(0)
    source.close()


def whole_index(path: Path) -> None:
    source = TextSource.open(path)
    while source.index_step(BATCH) < 1:
        pass
    source.close()


def peak_growth_mb(path: Path, setup: str, work: str) -> float:
    script = PEAK_RSS.format(setup=setup, work=work)
    measure = [sys.executable, "-c", script, str(path), str(BATCH), str(ROOT)]
    done = subprocess.run([sys.executable, "-c", RELAY, *measure], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["growth_kib"] * 1024 / 1e6


def main() -> None:
    print(f"machine: nproc {os.cpu_count()}, Python {platform.python_version()}")
    path = huge_file()
    decode_whole = lambda: path.read_bytes().decode("utf-8")  # noqa: E731
    rows = [
        ("first screen's block", f"{seconds(lambda: first_block(path)) * 1000:,.1f} ms", f"{seconds(decode_whole) * 1000:,.1f} ms"),
        ("whole index, 1 MiB batches", f"{seconds(lambda: whole_index(path)) * 1000:,.1f} ms", "-"),
        (
            "peak RSS growth",
            f"{peak_growth_mb(path, MARGIN_SETUP, MARGIN_WORK):,.1f} MB",
            f"{peak_growth_mb(path, WHOLE_SETUP, WHOLE_WORK):,.1f} MB",
        ),
    ]
    print(f"{path.stat().st_size / 1e6:.0f} MB file")
    header = f"{'measure':<28} {'Margin':>12} {'read+decode':>12}"
    print(header)
    print("-" * len(header))
    for name, margin, whole in rows:
        print(f"{name:<28} {margin:>12} {whole:>12}")


if __name__ == "__main__":
    main()
