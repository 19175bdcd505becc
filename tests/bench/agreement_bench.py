"""Agreement at scale: 200 documents × 5 annotators, 50,000 annotations in all.

Run: ``.venv/bin/python tests/bench/agreement_bench.py [--documents 200] [--annotators 5]
[--annotations 50000] [--repeats 5]``

Each annotator starts from one shared reading of every document (spans of six tags, ~5,000
characters per document) and departs from it: boundaries moved, tags swapped, spans dropped
and added, so every measure has something to find. Timed, median of ``--repeats`` runs after
one warm-up, each beside an alternative measured in the same run on the same input:

- the whole report (``compute``: F1 exact and overlap, Cohen's κ per pair, Fleiss' κ, α
  nominal, α_u; overall, per tag, per document) — beside the ``krippendorff`` package
  computing only the overall α nominal, reliability matrix built from the same positions;
- pairwise F1 overlap for every pair and document — beside the naive loop over all pairs of
  spans (O(n²) per document, tag and pair);
- α_u over the first 10 documents laid end to end — beside a literal port of DKPro's sweep
  and per-unit scan over every gap (``tests/dkpro_unitizing_port.py``), with equal results
  checked.

Informational only: no timed asserts; the script exits 0.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import dkpro_unitizing_port as port  # noqa: E402

from tui.notes.agreement import AgreementDocument, Span, _overlap_found, compute  # noqa: E402
from tui.notes.agreement_unitizing import category_disagreement, non_overlapping  # noqa: E402

TAGS = ("PER", "LOC", "ORG", "DATE", "WORK", "EVENT")
LENGTH = 5000


def corpus(documents: int, annotators: int, annotations: int, seed: int = 7) -> list[AgreementDocument]:
    rng = random.Random(seed)
    names = [f"annotator{i}" for i in range(annotators)]
    per = max(1, annotations // (documents * annotators))
    built = []
    for d in range(documents):
        base = []
        position = 0
        for _ in range(per):
            position += rng.randint(5, max(6, 2 * LENGTH // per - 40))
            size = rng.randint(3, 30)
            if position + size >= LENGTH:
                break
            base.append((position, position + size, rng.choice(TAGS)))
            position += size
        spans = []
        for name in names:
            mine = []
            for start, end, tag in base:
                roll = rng.random()
                if roll < 0.05:
                    continue
                if roll < 0.15:
                    start, end = max(0, start + rng.randint(-3, 3)), end + rng.randint(-3, 3)
                elif roll < 0.22:
                    tag = rng.choice(TAGS)
                if start < end:
                    mine.append(Span(start, min(end, LENGTH), tag, name))
            while len(mine) < per:
                start = rng.randrange(LENGTH - 40)
                mine.append(Span(start, start + rng.randint(3, 30), rng.choice(TAGS), name))
            spans.extend(mine[:per])
        built.append(AgreementDocument(f"{d:064x}", LENGTH, frozenset(names), tuple(spans)))
    return built


def timed(function, repeats: int):
    function()
    samples = []
    result = None
    for _ in range(repeats):
        began = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples), result


def krippendorff_alone(documents, annotators):
    import krippendorff
    import numpy as np

    codes = {tag: i for i, tag in enumerate(TAGS)}
    index = {name: i for i, name in enumerate(annotators)}

    def run():
        columns = {}
        for document in documents:
            for span in document.spans:
                column = columns.setdefault((document.key, span.start, span.end), [np.nan] * len(annotators))
                column[index[span.annotator]] = codes[span.tag]
        matrix = np.array(list(columns.values()), dtype=float).T
        return krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")

    return run


def f1_overlap_fast(documents, annotators):
    def run():
        found = 0
        for document in documents:
            grouped = {}
            for span in document.spans:
                grouped.setdefault((span.annotator, span.tag), []).append((span.start, span.end))
            for spans in grouped.values():
                spans.sort()
            for first, second in combinations(annotators, 2):
                for tag in TAGS:
                    mine, theirs = grouped.get((first, tag), []), grouped.get((second, tag), [])
                    found += _overlap_found(mine, theirs) + _overlap_found(theirs, mine)
        return found

    return run


def f1_overlap_naive(documents, annotators):
    def run():
        found = 0
        for document in documents:
            for first, second in combinations(annotators, 2):
                mine = [s for s in document.spans if s.annotator == first]
                theirs = [s for s in document.spans if s.annotator == second]
                for a, b in ((mine, theirs), (theirs, mine)):
                    for x in a:
                        if any(y.tag == x.tag and y.start < x.end and x.start < y.end for y in b):
                            found += 1
        return found

    return run


def alpha_u_pair(documents, annotators):
    """Per tag units of the documents laid end to end, as (begin, length, rater, tag)."""
    units, offset = [], 0
    for document in documents:
        for rater, name in enumerate(annotators):
            for tag in TAGS:
                spans = [(s.start, s.end) for s in document.spans if s.annotator == name and s.tag == tag]
                units += [(offset + b, e - b, rater, tag) for b, e in non_overlapping(spans)]
        offset += document.length
    return units, offset


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--annotators", type=int, default=5)
    parser.add_argument("--annotations", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    documents = corpus(args.documents, args.annotators, args.annotations)
    names = sorted(documents[0].annotators)
    total = sum(len(d.spans) for d in documents)
    print(f"{len(documents)} documents × {len(names)} annotators, {total:,} annotations, {len(TAGS)} tags\n")

    rows = []
    report_time, report = timed(lambda: compute(documents), args.repeats)
    try:
        kd_time, kd_alpha = timed(krippendorff_alone(documents, names), args.repeats)
        rows.append(("whole report (every measure, tag, document)", report_time,
                     "krippendorff package: overall α nominal only", kd_time))  # fmt: skip
        same = abs(kd_alpha - report.overall.alpha_nominal) < 1e-9
        print(f"α nominal: Margin {report.overall.alpha_nominal:.6f}, krippendorff {kd_alpha:.6f}, equal: {same}")
    except ImportError:
        rows.append(("whole report (every measure, tag, document)", report_time, "krippendorff not installed", None))

    fast_time, fast = timed(f1_overlap_fast(documents, names), args.repeats)
    naive_time, naive = timed(f1_overlap_naive(documents, names), max(1, args.repeats // 2))
    assert fast == naive
    rows.append(("F1 overlap, all pairs and documents", fast_time, "naive O(n²) per pair", naive_time))

    sample = documents[:10]
    units, length = alpha_u_pair(sample, names)

    def linear():
        by_tag = {}
        for b, n, r, c in units:
            by_tag.setdefault(c, [[] for _ in names])[r].append((b, b + n))
        return {c: category_disagreement(rows_, 0, length) for c, rows_ in by_tag.items()}

    def dkpro():
        return {
            c: (port.observed(units, 0, length, len(names), c), port.expected(units, 0, length, len(names), c))
            for c in TAGS
        }

    linear_time, mine = timed(linear, args.repeats)
    port_time, theirs = timed(dkpro, 1)
    assert all(mine[c].observed == theirs[c][0] and mine[c].expected == theirs[c][1] for c in mine)
    rows.append((f"α_u, {len(sample)} documents end to end", linear_time, "DKPro's algorithm, literal port", port_time))

    print(f"\n{'what':<46} {'Margin':>9}   {'alternative':<46} {'time':>9}")
    for what, mine_time, alternative, other in rows:
        other_text = "—" if other is None else f"{other * 1000:8.1f}ms"
        print(f"{what:<46} {mine_time * 1000:7.1f}ms   {alternative:<46} {other_text:>9}")
    cpu = []
    for _ in range(args.repeats):
        began = time.process_time()
        compute(documents)
        cpu.append(time.process_time() - began)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nwhole report, CPU time of this process: {statistics.median(cpu) * 1000:.1f}ms "
          f"(wall time above; load average {load:.1f} on {os.cpu_count()} cores)")  # fmt: skip
    print("goal: the whole report in at most 2 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
