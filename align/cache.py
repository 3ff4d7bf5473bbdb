"""On-disk embedding cache, so re-running a comparison embeds nothing again.

One SQLite file, keyed by sha256(model identity + text). SQLite in WAL mode
with a busy timeout lets several processes (`align check --jobs N`) read and
write at once without corrupting it; a write is one transaction per batch.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .embed import Encoder
from .errors import AlignError


def default_cache_dir() -> Path:
    """$ALIGN_CACHE_DIR, else $XDG_CACHE_HOME/align, else ~/.cache/align."""
    if os.environ.get("ALIGN_CACHE_DIR"):
        return Path(os.environ["ALIGN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "align"


def cache_key(identity: str, text: str) -> bytes:
    """The content address of a vector: sha256(model identity NUL text); every cache kind uses it."""
    return hashlib.sha256(f"{identity}\x00{text}".encode("utf-8")).digest()


class EmbeddingCache:
    """Vectors by (model identity, text)."""

    def __init__(self, directory: Path):
        self.path = directory / "embeddings.sqlite3"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._open()
        except (OSError, sqlite3.Error) as exc:
            raise AlignError(
                f"cannot use the embedding cache {self.path}: {exc}; give --cache-dir DIR or --no-cache"
            ) from exc

    def _open(self) -> None:
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        # Switching to WAL needs a moment alone with the file; when several processes open a new
        # cache at once, SQLite can refuse it without waiting for the busy timeout, so retry.
        for attempt in range(50):
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, dim INTEGER, vector BLOB) WITHOUT ROWID"
                )
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.05 * (attempt + 1))
        self._db.execute("PRAGMA synchronous=NORMAL")

    def get_many(self, identity: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        by_key = {cache_key(identity, t): t for t in texts}
        keys = list(by_key)
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, dim, blob in self._db.execute(
                f"SELECT key, dim, vector FROM vectors WHERE key IN ({marks})", chunk
            ):
                found[by_key[key]] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return found

    def put_many(self, identity: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (cache_key(identity, t), int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors)
        ]
        with self._db:  # one transaction
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        self._db.close()


class EmbeddingStats:
    """How much work the embedder really did; shown in the summary and benchmarks."""

    def __init__(self) -> None:
        self.requested = 0  # texts asked for, duplicates included
        self.embedded = 0  # texts the model actually ran on
        self.cached = 0  # texts served from the on-disk cache


# Texts embedded per encoder call and per cache write: a long document's work is saved as it goes
# (an interrupted run keeps what it did), and a progress bar spans the whole batch.
WRITE_EVERY = 2048


def caching_embedder(
    encoder: Encoder, cache: EmbeddingCache | None, stats: EmbeddingStats | None = None
) -> Callable[[Sequence[str]], np.ndarray]:
    """Wrap `encoder` so each distinct text is embedded once per process and once per cache.

    A batch with texts still to embed shows a progress bar (see `align.progress`) when enabled.
    """
    from . import progress

    memory: dict[str, np.ndarray] = {}
    stats = stats if stats is not None else EmbeddingStats()
    takes_progress = isinstance(encoder, Encoder)  # test doubles may implement only encode(texts)

    def embed(texts: Sequence[str]) -> np.ndarray:
        stats.requested += len(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in memory))
        if missing and cache is not None:
            hits = cache.get_many(encoder.identity, missing)
            memory.update(hits)
            stats.cached += len(hits)
            missing = [t for t in missing if t not in hits]
        if missing:
            with progress.bar(len(missing), "embedding") as update:
                for i in range(0, len(missing), WRITE_EVERY):
                    part = missing[i : i + WRITE_EVERY]
                    if takes_progress:
                        vectors = encoder.encode(part, progress=update)
                    else:
                        vectors = encoder.encode(part)
                        update(len(part))
                    stats.embedded += len(part)
                    memory.update(zip(part, vectors))
                    if cache is not None:
                        cache.put_many(encoder.identity, part, vectors)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([memory[t] for t in texts])

    embed.stats = stats  # type: ignore[attr-defined]
    return embed
