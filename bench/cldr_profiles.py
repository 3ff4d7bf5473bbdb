"""How far a language profile read from the CLDR (align/steps/checks/cldr.py) gets the number check.

A language nobody wrote a profile for (Spanish, Italian, Polish, ...) gets its profile from the CLDR.
Its worth cannot be measured on those languages here (no corpus), so it is measured held out on the
ones that have a hand-written profile: German, French and Russian are read three ways, with the
hand-written profile, with the CLDR profile alone, and with `GENERIC` (digits only, what such a
language got before); English keeps its profile throughout. The number check alone, on:

- textberg: every gold unit of the Text+Berg dev set (de -> fr);
- mqm: MQM en-de 2023 faithful items (clean, the human reference, fluency/style marks only), paragraphs;
- seed: the hand-picked faithful units of the seed pair (ru -> en).

Printed per corpus and reading: number mismatches on the faithful units (fewer is better; some are
real differences between the two texts, the same under every reading), and the share of units
flagged after one number of the source is changed (its last digit raised by one, a changed amount;
units flagged before the change are left out). Reads ../shared (outside this repo).

    python bench/cldr_profiles.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import checks_false_alarms as faithful  # noqa: E402

from align.steps.checks import cldr, languages  # noqa: E402
from align.steps.checks.numbers import NumberCheck, _extract_cached  # noqa: E402

CHECK = NumberCheck()
READ = ("de", "fr", "ru")  # the profiles replaced
DIGITS = re.compile(r"\d+")


def changed_number(text: str) -> str | None:
    """`text` with its last run of digits raised by one in its last digit (9 becomes 8), or None."""
    runs = list(DIGITS.finditer(text))
    if not runs:
        return None
    m = runs[-1]
    last = int(m.group()[-1])
    digit = str(last + 1 if last < 9 else last - 1)
    return text[: m.end() - 1] + digit + text[m.end():]


def measure(units: list[tuple[str, str]], src_lang: str, tgt_lang: str) -> tuple[int, int, int]:
    """(mismatches on the faithful units, changed units flagged, changed units judged)."""
    alarms = found = judged = 0
    for s, t in units:
        before = CHECK.check(s, t, src_lang, tgt_lang)
        alarms += len(before)
        damaged = changed_number(s)
        if before or damaged is None:
            continue
        judged += 1
        found += bool(CHECK.check(damaged, t, src_lang, tgt_lang))
    return alarms, found, judged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    args = ap.parse_args()
    corpora = faithful.faithful_corpora(args.shared)
    hand = {code: languages._LANGUAGES[code] for code in READ}
    readings = {
        "hand-written": hand,
        "CLDR": {code: cldr.profile(code) for code in READ},
        "GENERIC": {code: languages.GENERIC for code in READ},
    }
    print("| corpus | profile of de, fr, ru | mismatches on faithful units | a changed number found |")
    print("| --- | --- | --- | --- |")
    try:
        for corpus, (units, sl, tl) in corpora.items():
            for reading, profiles in readings.items():
                for code, prof in profiles.items():
                    languages._LANGUAGES[code] = prof
                languages.compiled.cache_clear()
                _extract_cached.cache_clear()
                alarms, found, judged = measure(units, sl, tl)
                share = f"{found}/{judged} = {found / judged:.3f}" if judged else "- (no number to change)"
                print(f"| {corpus} | {reading} | {alarms} | {share} |", flush=True)
    finally:
        languages._LANGUAGES.update(hand)
        languages.compiled.cache_clear()
        _extract_cached.cache_clear()


if __name__ == "__main__":
    main()
