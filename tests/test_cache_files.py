"""The shared file cache: same keys as the SQLite cache, whole files only, safe with concurrent writers."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from align.errors import InputError
from align.steps.embed.cache import EmbeddingCache, cache_key, caching_embedder
from align.steps.embed.cache_files import FileEmbeddingCache, open_cache

IDENTITY = "test-model:v1"


def vectors(texts: list[str], dim: int = 8) -> np.ndarray:
    """Distinct, deterministic unit vectors, one per text."""
    out = np.stack([np.random.default_rng(sum(map(ord, t))).standard_normal(dim) for t in texts]).astype(np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


class CountingEncoder:
    identity = IDENTITY

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen += list(texts)
        return vectors(list(texts))


def test_round_trip_and_a_rerun_embeds_nothing(tmp_path):
    texts = ["Привет, мир.", "Hello, world.", "A third sentence."]
    first = CountingEncoder()
    embed = caching_embedder(first, FileEmbeddingCache(tmp_path))
    np.testing.assert_array_equal(embed(texts), vectors(texts))
    second = CountingEncoder()
    again = caching_embedder(second, FileEmbeddingCache(tmp_path))(texts)
    assert second.seen == []  # every vector came from the files
    np.testing.assert_array_equal(again, vectors(texts))


def test_files_are_named_by_the_sqlite_cache_key(tmp_path):
    cache = FileEmbeddingCache(tmp_path)
    cache.put_many(IDENTITY, ["one"], vectors(["one"]))
    path = cache.path_of(IDENTITY, "one")
    assert path.name == cache_key(IDENTITY, "one").hex() + ".vec" and path.is_file()
    # Another model identity is another key: never served a vector of another model.
    assert cache.get_many("other-model", ["one"]) == {}


def test_a_cut_short_file_is_a_miss_and_is_rewritten(tmp_path):
    cache = FileEmbeddingCache(tmp_path)
    cache.put_many(IDENTITY, ["one", "two"], vectors(["one", "two"]))
    cut = cache.path_of(IDENTITY, "one")
    cut.write_bytes(cut.read_bytes()[:-3])  # as a sync tool copying it half way would leave it
    assert set(cache.get_many(IDENTITY, ["one", "two"])) == {"two"}
    encoder = CountingEncoder()
    caching_embedder(encoder, cache)(["one", "two"])
    assert encoder.seen == ["one"]
    cut.unlink()
    caching_embedder(encoder, cache)(["one"])
    np.testing.assert_array_equal(cache.get_many(IDENTITY, ["one"])["one"], vectors(["one"])[0])


def _writer(directory: str, start: int) -> None:
    texts = [f"sentence {i}" for i in range(start, start + 300)]
    cache = FileEmbeddingCache(Path(directory))
    for i in range(0, len(texts), 25):
        cache.put_many(IDENTITY, texts[i:i + 25], vectors(texts[i:i + 25]))
        cache.get_many(IDENTITY, texts[:i])


def test_concurrent_writers_of_overlapping_texts_leave_only_whole_files(tmp_path):
    # Four processes write 300 texts each, overlapping by 200: the same keys race.
    procs = [multiprocessing.get_context("spawn").Process(target=_writer, args=(str(tmp_path), k * 100))
             for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    texts = [f"sentence {i}" for i in range(600)]
    found = FileEmbeddingCache(tmp_path).get_many(IDENTITY, texts)
    assert set(found) == set(texts)
    np.testing.assert_array_equal(np.stack([found[t] for t in texts]), vectors(texts))
    leftovers = [p for p in (tmp_path / "files-v1").rglob("*") if p.is_file() and not p.name.endswith(".vec")]
    assert leftovers == []  # no temporary file survives its rename


def test_open_cache_picks_the_kind_and_sqlite_stays_the_default(tmp_path):
    assert isinstance(open_cache("files", tmp_path), FileEmbeddingCache)
    sqlite = open_cache("sqlite", tmp_path)
    assert isinstance(sqlite, EmbeddingCache)
    sqlite.close()
    with pytest.raises(InputError, match="unknown cache kind"):
        open_cache("s3", tmp_path)
