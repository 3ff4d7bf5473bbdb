"""Anchors and band: where the DP may look, found from single-sentence embeddings alone.

Each segment's top-k neighbours on the other side are found inside a corridor
around the diagonal; mutual top-k pairs are candidate anchors, and the heaviest
chain of them increasing on both sides is the anchor path (a weighted longest
increasing subsequence). The band around it bounds the DP.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Neighbours:
    """Each segment's top-k most similar segments on the other side (-1 where there are fewer)."""

    src_idx: np.ndarray  # (n, k) target indices, best first
    tgt_idx: np.ndarray  # (m, k) source indices, best first


def nearest(s1: np.ndarray, t1: np.ndarray, top_k: int, corridor: int) -> Neighbours:
    """Top-k neighbours within `corridor` segments of the diagonal, computed in blocks.

    Memory is linear; time is linear once a document is longer than the
    corridor. Ties go to the candidate nearer the diagonal, so a repeated
    sentence matches its nearest copy.
    """
    n, m = len(s1), len(t1)
    k = max(1, min(top_k, n, m))
    src_idx = np.full((n, k), -1, dtype=np.int64)
    tgt_idx = np.full((m, k), -1, dtype=np.int64)
    tgt_rank = np.full((m, k), -np.inf)
    for start in range(0, n, 256):
        rows = np.arange(start, min(n, start + 256))
        centre = rows * (m / n)
        lo = max(0, int(centre[0]) - corridor)
        hi = min(m, int(math.ceil(centre[-1])) + corridor + 1)
        sims = (s1[rows] @ t1[lo:hi].T).astype(np.float64)
        ranked = sims - 1e-6 * np.abs(np.arange(lo, hi)[None, :] - centre[:, None]) / max(n, m)
        kk = min(k, hi - lo)
        src_idx[rows, :kk] = np.argsort(-ranked, axis=1, kind="stable")[:, :kk] + lo
        # Merge this block's best sources into each target's running top-k.
        col_top = np.argsort(-ranked, axis=0, kind="stable")[: min(k, len(rows))]
        merged_rank = np.concatenate([tgt_rank[lo:hi], np.take_along_axis(ranked, col_top, axis=0).T], axis=1)
        merged_idx = np.concatenate([tgt_idx[lo:hi], (col_top + start).T], axis=1)
        order = np.argsort(-merged_rank, axis=1, kind="stable")[:, :k]
        tgt_rank[lo:hi] = np.take_along_axis(merged_rank, order, axis=1)
        tgt_idx[lo:hi] = np.take_along_axis(merged_idx, order, axis=1)
    return Neighbours(src_idx, tgt_idx)


def find_anchors(s1: np.ndarray, t1: np.ndarray, near: Neighbours) -> list[tuple[int, int]]:
    """Mutual top-k sentence pairs on the heaviest monotonic chain: confident 1-1 points."""
    candidates = [
        (i, int(j), float(s1[i] @ t1[j]))
        for i in range(len(s1))
        for j in near.src_idx[i]
        if j >= 0 and i in near.tgt_idx[j]
    ]
    return heaviest_chain(candidates, len(t1))


def heaviest_chain(candidates: list[tuple[int, int, float]], m: int) -> list[tuple[int, int]]:
    """Heaviest chain of (i, j, weight) strictly increasing in i and j; O(K log m) with a Fenwick tree."""
    if not candidates:
        return []
    order = sorted(range(len(candidates)), key=lambda c: (candidates[c][0], -candidates[c][1]))
    tree_val = [0.0] * (m + 1)
    tree_arg = [-1] * (m + 1)
    total = [0.0] * len(candidates)
    parent = [-1] * len(candidates)
    for c in order:
        i, j, weight = candidates[c]
        best, arg, k = 0.0, -1, j  # best chain ending at a target < j
        while k > 0:
            if tree_val[k] > best:
                best, arg = tree_val[k], tree_arg[k]
            k -= k & -k
        total[c], parent[c] = best + weight, arg
        k = j + 1
        while k <= m:
            if total[c] > tree_val[k]:
                tree_val[k], tree_arg[k] = total[c], c
            k += k & -k
    c = max(range(len(candidates)), key=lambda c: (total[c], -c))
    chain = []
    while c >= 0:
        chain.append(candidates[c][:2])
        c = parent[c]
    return chain[::-1]


def make_band(anchors: list[tuple[int, int]], n: int, m: int, width: int) -> list[tuple[int, int]]:
    """For each DP row (source prefix length 0..n), the (lo, hi) target prefix lengths it may visit.

    Rows between two anchors reach from `width` before the anchor ahead of the
    earlier one to `width` after the anchor behind the later one, so a single
    wrong anchor cannot pin the path and unanchored stretches stay open.
    """
    points = [(0, 0)] + [(i + 1, j + 1) for i, j in anchors] + [(n, m)]
    band = [(0, min(m, points[min(2, len(points) - 1)][1] + width))] + [(0, 0)] * n
    for k in range(1, len(points)):
        lo = max(0, points[max(0, k - 2)][1] - width)
        hi = min(m, points[min(len(points) - 1, k + 1)][1] + width)
        for row in range(points[k - 1][0] + 1, points[k][0] + 1):
            band[row] = (lo, hi)
    band[n] = (band[n][0], m)
    return band
