"""How much of the hand-written equivalents table the CLDR names do (the name check alone, no model).

The table (align/steps/checks/data/equivalents.txt) has lines for the countries and peoples of the
corpora here. A pair in other languages has no lines; there the name check has only what the
Unicode CLDR gives through Babel: country names (`_territory_forms`) and language names, which
are also most languages' adjectives of the people (`_language_forms`). This counts the name
mismatches raised on faithful text with and without the table's country lines, with territories
only and with language names too:

- seed: bench/checks_false_alarms.py's hand-picked faithful units of the seed pair (ru -> en);
- textberg: every gold unit of the Text+Berg dev set (de -> fr);
- mqm faithful: MQM en-de items that are clean, the human reference, or fluency/style only.

Reads ../shared (outside this repo), as bench/checks_false_alarms.py and bench/mqm.py do.

    python bench/cldr_names.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import checks_false_alarms as faithful  # noqa: E402

from align.steps.checks import names  # noqa: E402
from align.steps.checks.names import NameCheck  # noqa: E402

# The table's lines for countries and their peoples (first form), removed to stand for a pair nobody wrote lines for.
COUNTRY_LINES = (
    "Russia", "Kazakhstan", "Belarus", "Kyrgyz", "Tajik", "Uzbek", "Turkmen", "Armenia", "Azerbaijan", "Afghanistan",
    "Israel", "United States", "China", "Ukraine", "Georgia", "Iran", "Turkey", "Syria", "Egypt", "Germany",
    "Switzerland", "France", "Italy", "Austria", "India", "Pakistan", "Nepal", "Great Britain", "Japan", "Europe",
    "USSR",
)


def table_without_countries(workdir: Path) -> Path:
    lines = names.EQUIVALENTS_PATH.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith(COUNTRY_LINES)]
    path = workdir / "equivalents.txt"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def clear() -> None:
    for f in (names._table, names._table_lines, names._prefix_lengths, names._prefix_starts, names.names_cached):
        f.cache_clear()


def count(corpora: dict[str, tuple[list[tuple[str, str]], str, str]]) -> dict[str, int]:
    clear()
    check = NameCheck()
    return {name: sum(len(check.check(s, t, sl, tl)) for s, t in units) for name, (units, sl, tl) in corpora.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    args = ap.parse_args()
    corpora = faithful.faithful_corpora(args.shared)
    real_languages, real_table = names._language_forms, names.EQUIVALENTS_PATH
    print("name mismatches on faithful text (fewer is better)")
    print(f"| table | CLDR names | {' | '.join(corpora)} |")
    print("| --- | --- |" + " --- |" * len(corpora))
    with tempfile.TemporaryDirectory() as tmp:
        for table, path in (("as shipped", real_table), ("country lines removed", table_without_countries(Path(tmp)))):
            names.EQUIVALENTS_PATH = path
            for label, languages in (("territories", lambda lang: []), ("territories + languages", real_languages)):
                names._language_forms = languages
                row = count(corpora)
                print(f"| {table} | {label} | {' | '.join(str(row[c]) for c in corpora)} |", flush=True)
    names._language_forms, names.EQUIVALENTS_PATH = real_languages, real_table
    clear()


if __name__ == "__main__":
    main()
