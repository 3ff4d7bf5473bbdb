"""Link scores: how good a link of a source window with a target window is, at every cell of the DP band.

The score is the windows' cosine normalised between what a random pair of
windows of the same sizes scores (0) and identity (1); less part of the best
cosine with the segments right next to the partner (a near miss is not a
match); less a cost for each member that does not relate to the other side;
scaled by length agreement; less `link_cost`. Links below `min_similarity`
score -inf: never linked; so do links that start or end inside a bracket
another segment closes (`windows.inside_brackets`), and links of several
segments a side that start or end with debris (`model.is_debris`).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .dp import BandCells, LinkType
from .params import AlignParams
from .windows import WindowRef, WindowSide

SCORE_BLOCK = 8192  # band cells scored at once: about 12 MB of gathered window vectors per side

Gains = dict[LinkType, np.ndarray]  # link type -> score of that link ending at each band cell (-inf: not allowed)


def link_types(params: AlignParams, src: WindowSide, tgt: WindowSide) -> list[LinkType]:
    """The link shapes the DP may use: those of `params` both documents have windows for."""
    return [(a, b) for a, b in params.link_types() if a in src.vec and b in tgt.vec]


def length_ratio(src: WindowSide, tgt: WindowSide) -> float:
    """Source characters per target character: what length agreement is measured against."""
    return float(src.lengths.sum() / tgt.lengths.sum())


def score_band(cells: BandCells, types: Sequence[LinkType], src: WindowSide, tgt: WindowSide,
               params: AlignParams, ratio: float) -> Gains:
    """Score of every link type ending at every band cell (-inf where the link would start before 0)."""
    rows, cols = cells.rows, cells.cols
    gains: Gains = {}
    for a, b in types:
        scores = np.full(len(rows), -np.inf)
        ok = np.flatnonzero((rows >= a) & (cols >= b))
        scores[ok] = link_scores(src, tgt, rows[ok] - a, a, cols[ok] - b, b, params, ratio)
        gains[(a, b)] = scores
    return gains


def rescore(gains: Gains, cells: BandCells, changed: Sequence[WindowRef], src: WindowSide, tgt: WindowSide,
            params: AlignParams, ratio: float) -> None:
    """Rescore, in place, the links using a window that was just embedded for real."""
    rows, cols = cells.rows, cells.cols
    src_new = {(w.size, w.start) for w in changed if not w.in_target}
    tgt_new = {(w.size, w.start) for w in changed if w.in_target}
    for a, b in gains:
        starts_s = np.array([s for size, s in src_new if size == a], dtype=np.int64)
        starts_t = np.array([s for size, s in tgt_new if size == b], dtype=np.int64)
        hit = np.isin(rows - a, starts_s) | np.isin(cols - b, starts_t)
        hit &= (rows >= a) & (cols >= b)
        idx = np.flatnonzero(hit)
        if len(idx):
            gains[(a, b)][idx] = link_scores(src, tgt, rows[idx] - a, a, cols[idx] - b, b, params, ratio)


def drop_guessed(gains: Gains, cells: BandCells, src: WindowSide, tgt: WindowSide) -> None:
    """Forbid, in place, every link using a window not embedded for real: the last resort when rounds run out."""
    rows, cols = cells.rows, cells.cols
    for (a, b), scores in gains.items():
        ok = (rows >= a) & (cols >= b)
        guessed = np.zeros(len(rows), dtype=bool)
        guessed[ok] = ~src.exact[a][rows[ok] - a] | ~tgt.exact[b][cols[ok] - b]
        scores[guessed] = -np.inf


def link_scores(src: WindowSide, tgt: WindowSide, i0: np.ndarray, a: int, j0: np.ndarray, b: int,
                params: AlignParams, ratio: float) -> np.ndarray:
    """Score of links src[i0:i0+a] ~ tgt[j0:j0+b], elementwise over i0 and j0.

    In blocks of `SCORE_BLOCK` cells: each gathers a (cells, dim) matrix of
    window vectors per side, and a whole band at once would hold hundreds
    of MB of them for a long document (memory linear, but with a large factor).
    """
    if len(i0) <= SCORE_BLOCK:
        return _link_scores_block(src, tgt, i0, a, j0, b, params, ratio)
    return np.concatenate([_link_scores_block(src, tgt, i0[k : k + SCORE_BLOCK], a, j0[k : k + SCORE_BLOCK], b,
                                              params, ratio)
                           for k in range(0, len(i0), SCORE_BLOCK)])


def _link_scores_block(src: WindowSide, tgt: WindowSide, i0: np.ndarray, a: int, j0: np.ndarray, b: int,
                       p: AlignParams, ratio: float) -> np.ndarray:
    x, y = src.vec[a][i0], tgt.vec[b][j0]
    bonus = p.optimism * (~src.exact[a][i0] | ~tgt.exact[b][j0])
    cos = np.einsum("ij,ij->i", x, y)
    # What an unrelated pair scores: each window against the other side's average window of its partner's size.
    rand = 0.5 * (tgt.baseline(x, b, y, p.random_cosine) + src.baseline(y, a, x, p.random_cosine))
    scale = np.maximum(1.0 - rand, 1e-6)
    score = (cos - rand) / scale
    unrelated = score + bonus < p.min_similarity
    if p.margin:
        # What a near miss scores: each window against the segments right next to its partner.
        near = np.maximum(_best_near(tgt.vec[1], x, j0 - 1, j0 + b), _best_near(src.vec[1], y, i0 - 1, i0 + a))
        score -= p.margin * np.maximum(near - rand, 0.0) / scale
    if p.member_weight and a + b > 2:
        # Every segment of a link should relate to the other side: gluing an unrelated sentence
        # onto a good link must cost more than leaving it unaligned.
        for k in range(a):
            share = src.lengths[i0 + k] / src.window_len[a][i0]
            score -= p.member_weight * share * np.maximum(0.0, p.member_floor - _related(src.vec[1][i0 + k], y, src, tgt, b))
        for k in range(b):
            share = tgt.lengths[j0 + k] / tgt.window_len[b][j0]
            score -= p.member_weight * share * np.maximum(0.0, p.member_floor - _related(tgt.vec[1][j0 + k], x, tgt, src, a))
    if p.length_weight:
        ls, lt = src.window_len[a][i0], tgt.window_len[b][j0] * ratio
        agree = np.log2(1.0 + np.minimum(ls, lt) / np.maximum(ls, lt))
        score *= 1.0 - p.length_weight + p.length_weight * agree
    score += bonus - p.link_cost
    forbidden = (src.cuts_bracket(i0, a) | tgt.cuts_bracket(j0, b)
                 | src.ends_in_debris(i0, a) | tgt.ends_in_debris(j0, b))
    score[unrelated | forbidden] = -np.inf
    return score


def _related(member: np.ndarray, partner: np.ndarray, own: WindowSide, other: WindowSide,
             partner_size: int) -> np.ndarray:
    """Row-wise normalised similarity of single segments with the window on the other side."""
    rand = 0.5 * (member @ other.window_mean[partner_size] + partner @ own.window_mean[1])
    return (np.einsum("ij,ij->i", member, partner) - rand) / np.maximum(1.0 - rand, 1e-6)


def _best_near(singles: np.ndarray, x: np.ndarray, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Row-wise highest cosine of `x` with segment `before` or `after` (0 where neither exists)."""
    best = np.full(len(x), -np.inf)
    for idx in (before, after):
        ok = (idx >= 0) & (idx < len(singles))
        best[ok] = np.maximum(best[ok], np.einsum("ij,ij->i", singles[idx[ok]], x[ok]))
    return np.where(np.isfinite(best), best, 0.0)
