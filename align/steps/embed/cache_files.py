"""A shared embedding cache: one file per vector, content-addressed, for many machines at once.

The SQLite cache (`align.steps.embed.cache`) is right for one machine, but SQLite's locking
is not safe on a network filesystem, so a batch spread over several machines
needs another store. Here every vector is a file named by its key, the same
sha256(model identity NUL text) as the SQLite cache (`align.steps.embed.cache.cache_key`):

    DIR/files-v1/ab/cd/abcd....vec      header b"ALV1" + uint32 dim, then dim float32 (little-endian)

A writer writes the whole file under a unique temporary name in the same
folder, then renames it into place. rename(2) is atomic on a POSIX filesystem
(ext4, xfs, btrfs, tmpfs, and NFS v3/v4 where the server renames atomically;
SMB/CIFS mounts and object-store FUSE mounts such as s3fs are not, and are not
supported), so a reader sees no file or a whole one, never half of one. Two
writers of the same key write the same bytes (the model is deterministic), so
whichever rename lands last changes nothing. A file whose size disagrees with
its header (a copy cut short by some sync tool) is treated as missing and
rewritten. NFS caveat: another client may see a new file only after its
attribute cache expires (`actimeo`, seconds), which costs at most a
re-embedding, never a wrong vector. Object stores (S3, GCS) are not supported.

There is no eviction and no index: deleting the folder empties the cache.
"""
from __future__ import annotations

import os
import struct
import tempfile
from pathlib import Path
from typing import Sequence

import numpy as np

from ...errors import AlignError, InputError
from .cache import EmbeddingCache, cache_key, open_sqlite_cache, stored_vector

LAYOUT = "files-v1"
_MAGIC = b"ALV1"
_HEADER = struct.Struct("<4sI")  # magic, dim
CACHE_KINDS = ("sqlite", "files")


class FileEmbeddingCache:
    """Vectors by (model identity, text), one file each under `directory`/files-v1/."""

    def __init__(self, directory: Path):
        self.root = directory / LAYOUT
        self.path = self.root  # named in warnings, as the SQLite cache's file is
        self.damaged = 0  # files found damaged and treated as misses (then written anew)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = tempfile.NamedTemporaryFile(dir=self.root, prefix=".probe-", delete=True)
            probe.close()
        except OSError as exc:
            raise AlignError(
                f"cannot use the embedding cache {self.root}: {exc.strerror or exc}; give --cache-dir DIR or --no-cache"
            ) from exc

    def path_of(self, identity: str, text: str) -> Path:
        digest = cache_key(identity, text).hex()
        return self.root / digest[:2] / digest[2:4] / f"{digest}.vec"

    def get_many(self, identity: str, texts: Sequence[str], dim: int | None = None) -> dict[str, np.ndarray]:
        """The cached vectors of `texts`; a damaged file (cut short, not ours, a value not finite)
        is left out and counted, so it is embedded again and rewritten."""
        found: dict[str, np.ndarray] = {}
        for text in dict.fromkeys(texts):
            path = self.path_of(identity, text)
            vector = _read_vector(path)
            if vector is not None and (dim is None or vector.shape[0] == dim):
                found[text] = vector
            elif path.exists():
                self.damaged += 1
        return found

    def put_many(self, identity: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store vectors; only misses are put, so an existing file here was damaged and is replaced
        (two workers writing the same text write the same bytes)."""
        for text, vector in zip(texts, vectors):
            path = self.path_of(identity, text)
            v = np.ascontiguousarray(vector, dtype="<f4")
            _write_atomically(path, _HEADER.pack(_MAGIC, v.shape[0]) + v.tobytes())

    def close(self) -> None:
        pass


def _read_vector(path: Path) -> np.ndarray | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return None  # unreadable: embed again rather than fail the pair
    if len(data) < _HEADER.size:
        return None
    magic, dim = _HEADER.unpack_from(data)
    if magic != _MAGIC:
        return None
    return stored_vector(dim, data[_HEADER.size:])


def _write_atomically(path: Path, payload: bytes) -> None:
    """Write under a unique temporary name beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.chmod(tmp, 0o644)  # shared by other users' workers: readable like any cache file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def open_cache(kind: str, directory: Path) -> EmbeddingCache | FileEmbeddingCache | None:
    """The cache of `kind` ("sqlite", the default, or "files") in `directory`; None (with a warning)
    for an SQLite file that is damaged: a run never fails for its cache's sake."""
    if kind == "sqlite":
        return open_sqlite_cache(directory)
    if kind == "files":
        return FileEmbeddingCache(directory)
    raise InputError(f"unknown cache kind {kind!r}; choose from {', '.join(CACHE_KINDS)}")
