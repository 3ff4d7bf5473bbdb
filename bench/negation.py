"""The negation check on corpora it can now read: German and French, against faithful text and real MT errors.

The check (align/steps/checks/polarity.py) flags a link when one side negates and the other has no
negation at all; its findings are major. It runs only where both languages have a negation list in
their profile (align/steps/checks/languages.py). Printed, per corpus:

- textberg: every gold unit of the Text+Berg dev set (de -> fr), faithful by construction (though the
  two editions differ in places): every alarm is counted as false;
- mqm: MQM en-de 2023 paragraphs cut into sentences by align's segmenter, kept where both sides cut
  into the same number of sentences and paired in order. Sentences of faithful items (clean, the
  human reference, fluency/style marks only) count as faithful; a sentence of another item counts as
  marked when a rater put an accuracy mark inside it (either side). Printed: alarms on faithful
  sentences, and of the alarms on the other items' sentences how many a rater marked.
- seed: the hand-picked faithful units of the seed pair (ru -> en), as bench/checks_false_alarms.py;
- dropped: synthetic damage to the faithful units and sentences where both sides negate and nothing
  is flagged: every negation of one side deleted (each side in turn); recall is the share flagged.
  What it misses, a word of the damaged side that carries a negation itself ("unaware", «kaum»)
  explains; it measures what the lists of implied negation cost.

Reads ../shared (outside this repo), as bench/checks_false_alarms.py and bench/mqm.py do.

    python bench/negation.py [--shared ../shared] [--show]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import checks_false_alarms as faithful  # noqa: E402
import mqm  # noqa: E402

from align.steps.checks.polarity import NegationCheck, negations  # noqa: E402
from align.steps.segment import segment_text  # noqa: E402

CHECK = NegationCheck()


def sentence_pairs(item: mqm.Item) -> list[tuple[str, str, bool]] | None:
    """(source sentence, target sentence, a rater's accuracy mark inside it) in order, or None when the
    two sides cut into different numbers of sentences."""
    src, tgt = segment_text(item.source, "en"), segment_text(item.target, "de")
    if len(src) != len(tgt):
        return None
    marks = [m for marks in item.raters for m in marks
             if mqm.is_translation_error(m) and m.category.startswith("Accuracy/") and m.span is not None]
    out = []
    for s, t in zip(src, tgt):
        marked = any((m.side == mqm.SOURCE and s.start <= m.span[0] < s.end)
                     or (m.side == mqm.TARGET and t.start <= m.span[0] < t.end) for m in marks)
        out.append((s.text, t.text, marked))
    return out


def alarms(units: list[tuple[str, str]], src_lang: str, tgt_lang: str, name: str, show: bool) -> int:
    hits = 0
    for s, t in units:
        found = CHECK.check(s, t, src_lang, tgt_lang)
        hits += bool(found)
        if found and show:
            print(f"  [{name}] {found[0].detail}\n      src: {s[:160]}\n      tgt: {t[:160]}")
    return hits


def without_negation(text: str, lang: str) -> str:
    """`text` with every negation the check counts cut out."""
    for a, b in reversed(negations(text, lang)):
        text = text[:a] + text[b:]
    return " ".join(text.split())


def dropped(units: list[tuple[str, str]], src_lang: str, tgt_lang: str) -> tuple[int, int]:
    """(flagged, damaged): one side's negations deleted, where both sides negate and nothing was flagged."""
    flagged = damaged = 0
    for s, t in units:
        if not (negations(s, src_lang) and negations(t, tgt_lang)) or CHECK.check(s, t, src_lang, tgt_lang):
            continue
        for s2, t2 in ((without_negation(s, src_lang), t), (s, without_negation(t, tgt_lang))):
            damaged += 1
            flagged += bool(CHECK.check(s2, t2, src_lang, tgt_lang))
    return flagged, damaged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--show", action="store_true", help="print every alarm with its unit")
    args = ap.parse_args()

    seed = faithful.seed_units(args.shared)
    n = alarms(seed, "ru", "en", "seed", args.show)
    print(f"seed ru->en: {n} of {len(seed)} faithful units flagged")
    tb = faithful.textberg_units(args.shared)
    n = alarms(tb, "de", "fr", "textberg", args.show)
    print(f"textberg de->fr: {n} of {len(tb)} gold units flagged ({100 * n / len(tb):.1f} per 100)")

    items = mqm.read_items(args.shared / "data" / "mqm-ende-2023" / "items.jsonl")
    clean: list[tuple[str, str]] = []
    other: list[tuple[str, str, bool]] = []
    skipped = 0
    for item in items:
        pairs = sentence_pairs(item)
        if pairs is None:
            skipped += 1
            continue
        if mqm.is_faithful(item):
            clean.extend((s, t) for s, t, _ in pairs)
        else:
            other.extend(pairs)
    n = alarms(clean, "en", "de", "mqm faithful", args.show)
    print(f"mqm en->de ({skipped} of {len(items)} items left out: their sides cut into different numbers of sentences)")
    print(f"  faithful items' sentences: {n} of {len(clean)} flagged ({100 * n / max(1, len(clean)):.1f} per 100)")
    flagged = [marked for s, t, marked in other if CHECK.check(s, t, "en", "de")]
    if args.show:
        alarms([(s, t) for s, t, _ in other], "en", "de", "mqm other", True)
    base = sum(marked for _, _, marked in other) / max(1, len(other))
    print(f"  other items' sentences: {len(flagged)} of {len(other)} flagged, {sum(flagged)} of them inside a rater's "
          f"accuracy mark (of all these sentences {100 * base:.0f} % are)")
    for name, units, sl, tl in (("textberg", tb, "de", "fr"), ("mqm faithful", clean, "en", "de"), ("seed", seed, "ru", "en")):
        found, damaged = dropped(units, sl, tl)
        print(f"dropped negations, {name}: {found} of {damaged} flagged ({found / max(1, damaged):.3f})")


if __name__ == "__main__":
    main()
