"""A 20 MB document shows its start before indexing, indexes in batches and is never decoded whole.

How fast it opens is measured by ``tests/bench/corpus_bench.py``.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from tui.corpus.source import TextSource
from tui.locations import seeds_dir
from tui.text.decode import decode

SIZE = 20_000_000
BATCH = 1 << 20

MEASURE_PEAK_RSS = """
import json, resource, sys
from pathlib import Path
from tui.corpus.source import TextSource
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
source = TextSource.open(Path(sys.argv[1]))
while source.index_step(int(sys.argv[2])) < 1:
    pass
source.block(source.block_count - 1)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kib": before, "after_kib": after, "blocks": source.block_count}))
"""


RELAY = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"
"""Linux hands a process's peak RSS on through fork and exec; measuring in a grandchild of
a bare interpreter keeps the test runner's own peak out of the figure."""


@pytest.fixture(scope="module")
def huge_file(tmp_path_factory):
    seed = b"".join(path.read_bytes() + b"\r\n" for path in sorted(seeds_dir().glob("*.txt")))
    path = tmp_path_factory.mktemp("huge") / "huge.txt"
    path.write_bytes(seed * (SIZE // len(seed) + 1))
    return path


def test_first_block_is_readable_before_indexing_and_batches_finish_the_index(huge_file):
    source = TextSource.open(huge_file)
    first = source.block(0)
    assert not source.complete
    assert first.text.startswith("ਡਰੈਗਨ ਦੀ ਭੱਠੀ")
    progress = [source.index_step(BATCH) for _ in range(SIZE // BATCH + 2)]
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert progress.index(1.0) >= SIZE // BATCH - 2
    assert source.complete

    expected = decode(huge_file.read_bytes()).text
    assert source.length == len(expected)
    assert source.block_count == expected.count("\n") + 1
    chooser = random.Random(7)
    for index in chooser.sample(range(source.block_count), 300):
        block = source.block(index)
        assert expected[block.start : block.start + len(block.text)] == block.text
    for start in chooser.sample(range(len(expected)), 100):
        assert source.text(start, start + 5000) == expected[start : start + 5000]
    source.close()


def test_peak_memory_stays_far_below_the_decoded_text(huge_file):
    measure = [sys.executable, "-c", MEASURE_PEAK_RSS, str(huge_file), str(BATCH)]
    completed = subprocess.run(
        [sys.executable, "-c", RELAY, *measure], capture_output=True, text=True, check=True
    )
    measured = json.loads(completed.stdout)
    growth = (measured["after_kib"] - measured["before_kib"]) * 1024
    print(f"peak RSS growth while indexing {SIZE / 1e6:.0f} MB: {growth / 1e6:.1f} MB")
    assert growth < SIZE // 4 + 16_000_000, measured
