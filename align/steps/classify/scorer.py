"""Fitted scorers: named signals combined into one probability, one model per kind of judgement.

Today two: "clause" (is a clause of a link unrendered, on either side: `coverage.py`, fitted by
`bench/fit_scorer.py`) and "name" (is a name the name check finds missing really not rendered, or
rendered in other words: `meaning.py`, fitted by `bench/fit_name_scorer.py`).
A scorer is a logistic model over a few named signals, fitted
on examples from several corpora and shipped as
`align/steps/data/scorers.json`. Applying it needs numpy only; the file's
hash goes into every report's settings, so a report names the fitted model
behind it. Each signal's contribution (weight times standardised value) is
in the finding's evidence (`pushes`): the reviewer sees which signals raised it.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Mapping

SHIPPED = "shipped"  # ClassifyParams.scorers: the file in the package


@dataclass(frozen=True)
class Scorer:
    """P(finding) = 1 / (1 + exp(-(bias + sum of weight * (value - mean) / scale))) over `signals`."""

    kind: str
    signals: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def contributions(self, values: Mapping[str, float]) -> dict[str, float]:
        """Each signal's push on the log-odds, in the model's own units."""
        return {name: w * (float(values[name]) - m) / s
                for name, m, s, w in zip(self.signals, self.means, self.scales, self.weights)}

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.bias + sum(self.contributions(values).values())
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def to_json(self) -> dict[str, object]:
        return {"signals": list(self.signals), "means": list(self.means), "scales": list(self.scales),
                "weights": list(self.weights), "bias": self.bias}

    @classmethod
    def from_json(cls, kind: str, data: Mapping[str, object]) -> "Scorer":
        def floats(key: str) -> tuple[float, ...]:
            return tuple(float(v) for v in data[key])  # type: ignore[attr-defined]

        scorer = cls(kind, tuple(str(s) for s in data["signals"]),  # type: ignore[attr-defined]
                     floats("means"), floats("scales"), floats("weights"), float(data["bias"]))  # type: ignore[arg-type]
        if not len(scorer.signals) == len(scorer.means) == len(scorer.scales) == len(scorer.weights):
            raise ValueError(f"scorer {kind}: signals, means, scales and weights differ in length")
        return scorer


@dataclass(frozen=True)
class Scorers:
    """The fitted scorers by finding kind, and the sha256 of the file they came from."""

    by_kind: Mapping[str, Scorer]
    sha256: str

    def __getitem__(self, kind: str) -> Scorer:
        return self.by_kind[kind]


def parse_scorers(raw: bytes) -> Scorers:
    data = json.loads(raw.decode("utf-8"))
    return Scorers({kind: Scorer.from_json(kind, spec) for kind, spec in data["scorers"].items()},
                   hashlib.sha256(raw).hexdigest())


@lru_cache(maxsize=8)
def load_scorers(where: str = SHIPPED) -> Scorers:
    """The shipped scorers, or those of a file written by bench/fit_scorer.py (a held-out fit)."""
    if where == SHIPPED:
        raw = resources.files("align.steps").joinpath("data/scorers.json").read_bytes()
    else:
        raw = Path(where).read_bytes()
    return parse_scorers(raw)
