"""Pairs per minute on a local Dask cluster with 1 and 2 workers, and the scheduling overhead per pair.

Builds `--pairs` article-sized pairs of `--sentences` source sentences each from
the Text+Berg de-fr dev set (../shared/data/textberg-dev, the blocks of
bench/speed.py), every pair's lines marked distinct (zero-width spaces, see
bench/speed.py) so that no pair is served from another's embeddings. Then, in
one run, for 1 worker and for 2:

- starts a local cluster (`--cluster local:N`: N worker processes, one thread
  each, embedding single-threaded) and times its start apart;
- runs the batch cold, with a fresh shared file cache (`--cache-kind files`),
  through `align.batch.execute` as `align batch` does, reports into a temporary
  folder; prints the wall time from the first submit to the last report
  committed, pairs per minute, and the sum of the pairs' own run times;
  and per pair its time in the task and the CPU time of its worker process
  (which other users of the machine do not inflate, unlike wall time);
- runs it again warm (every vector cached, so a pair's own work is small):
  the scheduling overhead per pair is (warm wall - sum of warm pair times /
  workers) / pairs, the cost of submitting, scheduling, returning the result
  and committing the reports.

Finally it checks that every report of the 2-worker run equals the 1-worker
run's (all but the `run` object) and prints the ratio of pairs per minute.

    python bench/cluster.py                    # 8 pairs of 40 source sentences
    python bench/cluster.py --pairs 4 --sentences 20

The machine this was written on has 2 cores shared with other users: the
2-worker figure is bounded by what they leave free (the load average is printed).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from speed import DATA, _mark, build_pair  # noqa: E402


def write_pairs(root: Path, pairs: int, sentences: int) -> list:
    """`pairs` German-French pairs under root/, each distinct from the others; their batch rows."""
    from align.ci.batch.listing import read_list

    rows = ["id,translation,source,source_lang,translation_lang,max_new"]
    for k in range(pairs):
        src, tgt = build_pair(sentences, DATA, seed=k + 1)
        src, tgt = [_mark(line, 50 + k) for line in src], [_mark(line, 50 + k) for line in tgt]
        (root / f"p{k}.de.txt").write_text("\n".join(src) + "\n", encoding="utf-8")
        (root / f"p{k}.fr.txt").write_text("\n".join(tgt) + "\n", encoding="utf-8")
        rows.append(f"p{k},p{k}.fr.txt,p{k}.de.txt,de,fr,")
    (root / "pairs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return read_list(root / "pairs.csv")


def run_batch(client, pairs: list, out: Path, cache: Path) -> tuple[float, list]:
    from align.ci.batch import Execution, execute
    from align.ci.check import Job
    from align.pipeline import EmbedOptions

    options = EmbedOptions(cache_dir=cache, cache_kind="files", workers=1, progress=False)
    jobs = [Job(p, out / p.id, frozenset({"json", "html"}), options) for p in pairs]
    t0 = time.perf_counter()
    outcomes = list(execute(jobs, Execution(), client=client))
    wall = time.perf_counter() - t0
    errors = [o.error for o in outcomes if o.run is None]
    if errors:
        raise SystemExit(f"pairs failed: {errors}")
    return wall, outcomes


def measure(workers: int, pairs: list, root: Path) -> dict:
    from align.ci.batch.cluster import ClusterSpec, connect

    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=root))
    t0 = time.perf_counter()
    with connect(ClusterSpec(local_workers=workers)) as client:
        client.wait_for_workers(workers)
        start = time.perf_counter() - t0
        cold_wall, cold = run_batch(client, pairs, root / f"out{workers}", cache)
        warm_wall, warm = run_batch(client, pairs, root / f"warm{workers}", cache)
    n = len(pairs)
    warm_work = sum(o.run.seconds for o in warm)
    return {
        "workers": workers, "start": start, "cold_wall": cold_wall, "pairs_per_min": 60 * n / cold_wall,
        "cold_pair_seconds": sum(o.run.seconds for o in cold) / n,
        "cold_pair_cpu": sum(o.cpu_seconds for o in cold) / n,
        "embedded": sum(o.run.report["run"]["embedding"]["embedded"] for o in cold),
        "warm_wall": warm_wall, "overhead": max(0.0, warm_wall - warm_work / workers) / n,
        "warm_pair_seconds": warm_work / n,
    }


def same_reports(root: Path, pairs: list) -> bool:
    for p in pairs:
        a, b = (json.loads((root / d / p.id / "report.json").read_text("utf-8")) for d in ("out1", "out2"))
        a.pop("run"), b.pop("run")
        if a != b:
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--sentences", type=int, default=40, help="source sentences per pair (whole blocks: a few more)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="align-bench-cluster-") as tmp:
        root = Path(tmp)
        pairs = write_pairs(root, args.pairs, args.sentences)
        sizes = [len(p.source.path.read_text("utf-8").splitlines()) for p in pairs]
        print(f"{len(pairs)} pairs, {min(sizes)}-{max(sizes)} source sentences each (de-fr, Text+Berg); "
              f"{os.cpu_count()} cores, load average before: {os.getloadavg()[0]:.2f}")
        results = [measure(1, pairs, root), measure(2, pairs, root)]
        print("workers  cluster start  cold wall  pairs/min  s per pair (in task)  CPU s per pair  texts embedded  "
              "warm wall  overhead per pair")
        for r in results:
            print(f"{r['workers']:>7}  {r['start']:>11.1f} s  {r['cold_wall']:>7.1f} s  {r['pairs_per_min']:>9.2f}  "
                  f"{r['cold_pair_seconds']:>18.2f} s  {r['cold_pair_cpu']:>12.2f} s  {r['embedded']:>14}  {r['warm_wall']:>7.2f} s  "
                  f"{1000 * r['overhead']:>13.0f} ms")
        print(f"2 workers / 1 worker: {results[1]['pairs_per_min'] / results[0]['pairs_per_min']:.2f}x pairs per minute; "
              f"reports identical: {'yes' if same_reports(root, pairs) else 'NO'}; "
              f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
