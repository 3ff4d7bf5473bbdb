"""On-disk embedding cache, so re-running a comparison embeds nothing again.

One SQLite file, keyed by sha256(model identity + text). SQLite in WAL mode
with a busy timeout lets several processes (`align check --jobs N`) read and
write at once without corrupting it; a write is one transaction per batch.

A cache only saves time, so damage to it never stops a run:
- a damaged row (a blob shorter or longer than its dimension says, a dimension
  other than the model's, a value that is not finite) is a miss: the text is
  embedded again and the row overwritten, with one warning line;
- a file that is not an SQLite database, or one SQLite finds malformed, is
  left alone and the run goes on without a cache, with one warning line
  saying to delete the file (a new cache is then made). It is not replaced
  automatically: another process may be using it.
A cache that cannot be created or opened at all (no permission, a file where
its directory should be) is still an error: that is a setting to fix.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ...errors import AlignError
from .encoders import Encoder


def default_cache_dir() -> Path:
    """$ALIGN_CACHE_DIR, else $XDG_CACHE_HOME/align, else ~/.cache/align."""
    if os.environ.get("ALIGN_CACHE_DIR"):
        return Path(os.environ["ALIGN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "align"


def cache_key(identity: str, text: str) -> bytes:
    """The content address of a vector: sha256(model identity NUL text); every cache kind uses it."""
    return hashlib.sha256(f"{identity}\x00{text}".encode("utf-8")).digest()


def warn(message: str) -> None:
    """One warning line on stderr; the cache is an edge of the program, like the CLI."""
    sys.stderr.write(f"align: warning: {message}\n")


class EmbeddingCache:
    """Vectors by (model identity, text)."""

    def __init__(self, directory: Path):
        self.path = directory / "embeddings.sqlite3"
        self.damaged = 0  # rows found damaged and treated as misses
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._open()
        except sqlite3.DatabaseError as exc:
            if _is_damage(exc):
                raise DamagedCache(f"{self.path}: {exc}") from exc
            raise AlignError(
                f"cannot use the embedding cache {self.path}: {exc}; give --cache-dir DIR or --no-cache"
            ) from exc
        except OSError as exc:
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

    def get_many(self, identity: str, texts: Sequence[str], dim: int | None = None) -> dict[str, np.ndarray]:
        """The cached vectors of `texts`; a damaged row (see the module docstring) is left out, so
        it is embedded again. `dim` is the model's dimension; without it, the most common one."""
        rows: list[tuple[str, np.ndarray | None]] = []
        by_key = {cache_key(identity, t): t for t in texts}
        keys = list(by_key)
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, row_dim, blob in self._db.execute(
                f"SELECT key, dim, vector FROM vectors WHERE key IN ({marks})", chunk
            ):
                rows.append((by_key[key], stored_vector(row_dim, blob)))
        if dim is None:
            dims = Counter(v.shape[0] for _, v in rows if v is not None)
            dim = dims.most_common(1)[0][0] if dims else None
        found = {t: v for t, v in rows if v is not None and v.shape[0] == dim}
        self.damaged += len(rows) - len(found)
        return found

    def put_many(self, identity: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store vectors, replacing any row of the same key (a damaged one: a sound one is identical)."""
        rows = [
            (cache_key(identity, t), int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors)
        ]
        with self._db:  # one transaction
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        self._db.close()


class DamagedCache(AlignError):
    """The cache file is not an SQLite database, or SQLite finds it malformed."""


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    """A damaged file, as opposed to a busy, read-only or unopenable one (sqlite3.OperationalError)."""
    text = str(exc).lower()
    return not isinstance(exc, sqlite3.OperationalError) or "malformed" in text or "not a database" in text


def stored_vector(dim: object, blob: object) -> np.ndarray | None:
    """The row's vector, or None when the row is damaged: a blob of the wrong length, a value not finite."""
    if not isinstance(dim, int) or dim <= 0 or not isinstance(blob, bytes) or len(blob) != 4 * dim:
        return None
    vector = np.frombuffer(blob, dtype=np.float32, count=dim)
    return vector if np.isfinite(vector).all() else None


def open_sqlite_cache(directory: Path) -> EmbeddingCache | None:
    """The cache in `directory`, or None (with a warning) when its file is damaged: a run never
    fails for its cache's sake."""
    try:
        return EmbeddingCache(directory)
    except DamagedCache as exc:
        warn(f"the embedding cache is damaged ({exc}); running without it. Delete the file to start a new cache")
        return None


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
    from ... import progress

    memory: dict[str, np.ndarray] = {}
    stats = stats if stats is not None else EmbeddingStats()
    takes_progress = isinstance(encoder, Encoder)  # test doubles may implement only encode(texts)
    active = cache  # None once the cache file turns out damaged mid-run

    def _cached(texts: list[str]) -> dict[str, np.ndarray]:
        nonlocal active
        assert active is not None
        damaged_before = active.damaged
        try:
            hits = active.get_many(encoder.identity, texts, getattr(encoder, "dim", None))
        except sqlite3.DatabaseError as exc:
            _give_up(exc)
            return {}
        if active.damaged > damaged_before:
            warn(f"{active.damaged - damaged_before} damaged rows in the embedding cache {active.path} "
                 "are embedded again and overwritten")
        return hits

    def _store(texts: list[str], vectors: np.ndarray) -> None:
        try:
            assert active is not None
            active.put_many(encoder.identity, texts, vectors)
        except sqlite3.DatabaseError as exc:
            _give_up(exc)

    def _give_up(exc: sqlite3.DatabaseError) -> None:
        nonlocal active
        assert active is not None
        if not _is_damage(exc):
            raise AlignError(f"cannot use the embedding cache {active.path}: {exc}; give --cache-dir DIR or --no-cache")
        warn(f"the embedding cache {active.path} is damaged ({exc}); going on without it. "
             "Delete the file to start a new cache")
        active = None

    def embed(texts: Sequence[str]) -> np.ndarray:
        stats.requested += len(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in memory))
        if missing and active is not None:
            hits = _cached(missing)
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
                    if active is not None:
                        _store(part, vectors)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([memory[t] for t in texts])

    embed.stats = stats  # type: ignore[attr-defined]
    return embed
