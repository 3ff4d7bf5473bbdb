"""The fitted clause scorers: the numbers a report's partial findings come from, and how a report names them."""
from __future__ import annotations

import json
import math

import pytest

from align.steps.classify.coverage import clause_signals
from align.steps.classify.scorer import Scorer, load_scorers, parse_scorers


def _one_signal(weight: float, bias: float = 0.0, mean: float = 0.0, scale: float = 1.0) -> Scorer:
    return Scorer("partial-omission", ("gap",), (mean,), (scale,), (weight,), bias)


def test_a_scorer_is_a_logistic_of_its_standardised_signals():
    scorer = _one_signal(2.0, bias=-1.0, mean=0.1, scale=0.05)
    assert scorer.probability({"gap": 0.1}) == pytest.approx(1 / (1 + math.exp(1.0)))
    assert scorer.probability({"gap": 0.15}) == pytest.approx(1 / (1 + math.exp(-1.0)))
    assert scorer.contributions({"gap": 0.2}) == {"gap": pytest.approx(4.0)}
    # Far out in either direction it saturates instead of overflowing.
    assert scorer.probability({"gap": 1e6}) == 1.0 and scorer.probability({"gap": -1e6}) == 0.0


def test_a_scorer_file_with_mismatched_lists_is_refused():
    raw = json.dumps({"format": 1, "scorers": {"partial-omission": {
        "signals": ["gap", "cover"], "means": [0], "scales": [1], "weights": [1, 1], "bias": 0}}}).encode()
    with pytest.raises(ValueError, match="differ in length"):
        parse_scorers(raw)


def test_the_shipped_scorer_reads_the_signals_the_classifier_computes():
    scorers = load_scorers()
    for side in ("src", "tgt"):
        signals = clause_signals(side, 0.9, 0.7, 1.0, 0.91, 100, (0, 40))
        assert set(scorers["clause"].signals) == set(signals)
        assert 0.0 < scorers["clause"].probability(signals) < 1.0
    assert len(scorers.sha256) == 64


@pytest.mark.parametrize("side", ["src", "tgt"])
def test_a_clause_nothing_renders_scores_above_one_the_other_side_covers(side):
    # The link's cosine is 0.90. A rendered clause is covered at 0.89 and the link loses without it; the
    # other is covered at 0.70, its side is long for the document and the link scores higher without it.
    scorer = load_scorers()["clause"]
    covered = clause_signals(side, 0.90, 0.89, 0.0, 0.86, 120, (0, 60))
    dropped = clause_signals(side, 0.90, 0.70, 1.5, 0.93, 120, (60, 120))
    assert scorer.probability(dropped) > 0.5 > scorer.probability(covered)
