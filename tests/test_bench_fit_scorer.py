"""bench/fit_scorer.py: the fit the package's clause scorer comes from, on hand-made examples (no shared data)."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from fit_scorer import Example, budget_bar, fit, gated, probabilities, write  # noqa: E402

from align.steps.classify.scorer import Scorer, load_scorers  # noqa: E402

SIGNALS = ["gap", "excess", "loo_gain", "loo_rise", "loo_measured", "share", "side_src"]


def _examples(corpus: str, n: int, positives: int, shift: float, rng: random.Random) -> list[Example]:
    """Clauses whose gap and leave-one-out gain are higher when they are unrendered; `shift` moves the
    whole corpus (another language pair's cosines)."""
    out = []
    for k in range(n):
        label = int(k < positives)
        gap = shift + rng.gauss(0.09 if label else 0.01, 0.02)
        gain = rng.gauss(0.02 if label else -0.01, 0.01)
        signals = {"gap": gap, "excess": rng.gauss(1.0 if label else 0.0, 1.0), "loo_gain": gain,
                   "loo_rise": max(gain, 0.0), "loo_measured": 1.0, "share": rng.uniform(0.1, 0.6),
                   "side_src": float(k % 2 == 0)}
        kind = "partial-omission" if k % 2 == 0 else "partial-addition"
        out.append(Example(corpus, kind, signals, label, corpus, sentences=n // 2 if k == 0 else 0))
    return out


def test_the_budget_bar_flags_at_most_the_allowed_false_alarms():
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    y = np.array([1, 0, 0, 0, 0, 0])
    # 100 source sentences and a budget of 2 per 100: two negatives may be flagged, the third may not.
    bar = budget_bar(p, y, 100, 2.0)
    assert bar == 0.6 and int(((p > bar) & (y == 0)).sum()) == 2


def test_a_fit_finds_held_out_damage_and_keeps_false_alarms_near_the_budget():
    rng = random.Random(7)
    train = _examples("a", 4000, 80, 0.0, rng) + _examples("b", 2000, 60, 0.01, rng)
    spec = fit(train, SIGNALS, budget=3.0)
    Scorer.from_json("clause", spec)  # the package reads what the bench writes
    held_out = _examples("c", 3000, 60, 0.005, rng)
    p = probabilities(spec, held_out)
    y = np.array([e.label for e in held_out])
    assert ((p >= 0.5) & (y == 1)).sum() / y.sum() >= 0.9
    sentences = sum(e.sentences for e in held_out)
    assert 100 * ((p >= 0.5) & (y == 0)).sum() / sentences <= 6.0  # twice the budget, on another corpus


def test_writing_one_kind_of_scorer_keeps_the_others_in_the_file(tmp_path):
    rng = random.Random(3)
    examples = _examples("a", 400, 40, 0.0, rng) + _examples("b", 400, 40, 0.02, rng)
    path = tmp_path / "scorers.json"
    write(path, "clause", fit(examples, SIGNALS, 3.0), "clauses")
    name_examples = [Example("a", "name", {"cover": rng.gauss(0.4 if k < 50 else 0.7, 0.1)}, int(k < 50), "g")
                     for k in range(200)]
    write(path, "name", fit(name_examples, ["cover"], None, c=1.0), "names")
    scorers = load_scorers(str(path))
    assert set(scorers.by_kind) == {"clause", "name"}
    # The name scorer (no budget: the balanced fit) says a poorly covered name is more likely missing.
    assert scorers["name"].probability({"cover": 0.35}) > 0.5 > scorers["name"].probability({"cover": 0.75})


def test_a_gate_keeps_the_leave_one_out_measurement_only_where_it_passes():
    examples = _examples("textberg", 40, 10, 0.0, random.Random(3))
    kept = gated(examples, lambda s: s["gap"] >= 0.05)
    for before, after in zip(examples, kept):
        if before.signals["gap"] >= 0.05:
            assert after == before
        else:
            assert (after.signals["loo_measured"], after.signals["loo_gain"], after.signals["loo_rise"]) == (0, 0, 0)
            assert after.signals["gap"] == before.signals["gap"] and after.label == before.label
    assert any(a != b for a, b in zip(examples, kept)) and any(a == b for a, b in zip(examples, kept))
