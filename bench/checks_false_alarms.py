"""False alarms and speed of the text-level drift checks (align.steps.checks) on faithful translations.

Reads ../shared (outside this repo): the seed pair 001 (Russian source) / 000
(English account) in shared/seeds/, and the Text+Berg dev set (German-French,
gold alignment) in shared/data/textberg-dev/.

Two corpora of units that a reviewer would call faithful:
- seed: the sentence pairs of 000/001 picked by hand as faithful renderings
  (`SEED_FAITHFUL`, located in the files by their first and last words);
- textberg: every gold alignment with text on both sides (1-1, 1-2, 2-1, ...).
Every mismatch a check raises on them is counted as a false alarm, although
some of them are real differences in the gold data (an OCR slip, a year the
translator left out); `--show` prints them so they can be judged.

Speed: the first call (lazy imports) apart; then mean wall time per unit, per
check, with the per-text caches cleared each pass; then a document-sized run of
16,000 distinct units through `run_all`.

    python bench/checks_false_alarms.py [--shared ../shared] [--show]
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align.steps import checks  # noqa: E402
from align.steps.checks import names, numbers, polarity, quotes  # noqa: E402

# (Russian first words, Russian last words, English first words, English last words):
# a unit may be several sentences on either side.
SEED_FAITHFUL = [
    ("Казахстан оказал гуманитарную", "продолжает свою работу.", "“Kazakhstan has extended", "continues its mission."),
    ("Конфликт на Ближнем Востоке раскрутил", "противостояния.", "The Middle East conflict has sparked", "global scale."),
    ("События вокруг сектора Газа", "на два лагеря.", "The events surrounding the Gaza Strip", "at least two camps."),
    ("Нужно остановиться", "– сказал Президент.", "We need to stop", "he said."),
    ("Кроме того, следует, наконец", "двух народов».", "He urged the international community", "two peoples.”"),
    ("Касым-Жомарт Токаев заявил, что разделяет", "противостоять этим вызовам.", "Acknowledging the concerns", "countering these challenges."),
    ("Частые заявления на эту тему", "кого-то боимся.", "Frequent statements on this topic", "afraid of someone."),
    ("Подобные заявления могут", "неверную интерпретацию.", "“Statements of this nature", "misinterpretation."),
    ("Риторика Организации должна", "потенциала и мощи.", "The organization’s rhetoric", "military-political capabilities."),
    ("ОДКБ показала свои успехи", "подчеркнул лидер Казахстана.", "While the CSTO has demonstrated", "he emphasized."),
    ("Далее Глава государства отметил", "вызовам и угрозам.", "President Tokayev highlighted the substantial", "throughout the year."),
    ("В заседании приняли участие", "Имангали Тасмагамбетов.", "The session, attended by leaders", "several key documents."),
]


def _cut(text: str, first: str, last: str) -> str:
    a = text.index(first)
    b = text.index(last, a) + len(last)
    return text[a:b]


def seed_units(shared: Path) -> list[tuple[str, str]]:
    ru = (shared / "seeds" / "001_cc3bb9ed3dc9ac90.txt").read_text(encoding="utf-8")
    en = (shared / "seeds" / "000_6cf8d23f497eb1aa.txt").read_text(encoding="utf-8")
    return [(_cut(ru, a, b), _cut(en, c, d)) for a, b, c, d in SEED_FAITHFUL]


def textberg_units(shared: Path) -> list[tuple[str, str]]:
    root = shared / "data" / "textberg-dev"
    de = (root / "dev.de").read_text(encoding="utf-8").splitlines()
    fr = (root / "dev.fr").read_text(encoding="utf-8").splitlines()
    units = []
    for line in (root / "dev.defr").read_text(encoding="utf-8").splitlines():
        left, right = line.split(":")
        s = [int(x) for x in left.strip("[] ").split(",") if x.strip()]
        t = [int(x) for x in right.strip("[] ").split(",") if x.strip()]
        if s and t:
            units.append((" ".join(de[i].strip() for i in s), " ".join(fr[i].strip() for i in t)))
    return units


def faithful_corpora(shared: Path) -> dict[str, tuple[list[tuple[str, str]], str, str]]:
    """The faithful text the text-check benches share, by name: (units, source language, translation
    language). The seed's hand-picked units, Text+Berg's gold units, and MQM en-de's faithful items
    (clean, the human reference, fluency/style marks only), whole paragraphs."""
    import mqm

    items = [i for i in mqm.read_items(shared / "data" / "mqm-ende-2023" / "items.jsonl") if mqm.is_faithful(i)]
    return {
        "seed ru->en": (seed_units(shared), "ru", "en"),
        "textberg de->fr": (textberg_units(shared), "de", "fr"),
        "mqm en->de": ([(i.source, i.target) for i in items], "en", "de"),
    }


def clear_text_caches() -> None:
    """Forget per-text results, keep per-word ones (a new document, a warm process)."""
    for f in (numbers._extract_cached, names.names_cached, quotes._quote_spans, polarity.negations, polarity.modals):
        f.cache_clear()


def run(name: str, units, src_lang: str, tgt_lang: str, show: bool) -> Counter:
    all_checks = checks.all_checks()
    counts: Counter = Counter()
    units_with: Counter = Counter()
    grades: Counter = Counter()
    for src, tgt in units:
        seen = set()
        for c in all_checks:
            for m in c.check(src, tgt, src_lang, tgt_lang):
                counts[m.check] += 1
                if m.grade:
                    grades[f"{m.check} {m.grade}"] += 1
                seen.add(m.check)
                if show:
                    print(f"  [{name}] {m.check}: {m.detail}\n      src: {src[:150]}\n      tgt: {tgt[:150]}")
        units_with.update(seen)
    print(f"{name}: {len(units)} faithful units ({src_lang}->{tgt_lang})")
    for c in all_checks:
        print(f"  {c.name:9s} false alarms: {counts[c.name]:3d}  units with one: {units_with[c.name]:3d} ({100 * units_with[c.name] / max(1, len(units)):.1f}%)")
    if grades:  # how strong the graded alarms are: only "swapped" supports a major finding
        print("  graded: " + ", ".join(f"{k} {v}" for k, v in sorted(grades.items())))
    return counts


def timing(units, src_lang: str, tgt_lang: str, repeats: int = 5) -> None:
    all_checks = checks.all_checks()
    per_check: Counter = Counter()
    total = 0.0
    for _ in range(repeats):
        clear_text_caches()
        for c in all_checks:
            t = time.perf_counter()
            for src, tgt in units:
                c.check(src, tgt, src_lang, tgt_lang)
            dt = time.perf_counter() - t
            per_check[c.name] += dt
            total += dt
    n = len(units) * repeats
    detail = ", ".join(f"{k} {1e6 * v / n:.0f}" for k, v in per_check.items())
    print(f"  time: {1e6 * total / n:.0f} µs/unit for all checks ({detail} µs), text caches cleared each pass")


def scale(units, src_lang: str, tgt_lang: str, n: int = 16000) -> None:
    """A document-sized run: `n` distinct units (each copy marked so no cache can answer for it)."""
    all_checks = checks.all_checks()
    big = [(s + f" x{k}", t + f" x{k}") for k in range(n // len(units) + 1) for s, t in units][:n]
    chars = sum(len(s) + len(t) for s, t in big) / len(big)
    t = time.perf_counter()
    alarms = sum(len(checks.run_all(s, tg, src_lang, tgt_lang, all_checks)) for s, tg in big)
    dt = time.perf_counter() - t
    print(f"  scale: {len(big)} distinct units, {chars:.0f} chars each (src+tgt): {dt:.1f} s, {1e6 * dt / len(big):.0f} µs/unit ({alarms} alarms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--show", action="store_true", help="print every alarm with its unit")
    args = ap.parse_args()
    t = time.perf_counter()
    checks.run_all("Президент Токаев, 1 января 2024 года.", "President Tokayev, Jan. 1, 2024.", "ru", "en")
    checks.run_all("Die Alpen , 8000 m .", "Les Alpes , 8000 m .", "de", "fr")
    print(checks.signature())
    print(f"first use (lazy imports, word lists, regexes): {1000 * (time.perf_counter() - t):.0f} ms")
    seed = seed_units(args.shared)
    run("seed 001->000", seed, "ru", "en", args.show)
    timing(seed, "ru", "en")
    scale(seed, "ru", "en")
    tb = textberg_units(args.shared)
    run("textberg dev", tb, "de", "fr", args.show)
    timing(tb, "de", "fr")
    scale(tb, "de", "fr")


if __name__ == "__main__":
    main()
