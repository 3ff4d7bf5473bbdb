"""Moved content: unaligned source and target windows that match each other become one `moved` link each,
and two sentences that swapped places are untangled from the link that joined them.

A pair qualifies when it is each other's best match among the unaligned
windows, its cosine clears an absolute floor (unrelated sentences score about
as much), is not far below this document's typical 1-1 cosine, and beats by
`moved_margin` everything else either side resembles in the other document:
a chance likeness is rarely that clear.

A swap (source sentences A B rendered as B' A') cannot be a monotonic path:
the DP joins the four into one 2-2 link (or pairs them straight, badly). Both
crossed pairs must clear the same absolute floor and beat both straight pairs
by the same `moved_margin`.
"""
from __future__ import annotations

import numpy as np

from ...model import Alignment
from .params import AlignParams
from .windows import Embed, WindowRef, WindowSide, embed_windows


def link_moved(links: list[Alignment], src: WindowSide, tgt: WindowSide, embed: Embed,
               params: AlignParams) -> list[Alignment]:
    """Replace unaligned source and target segments that match each other by `moved` links.

    The candidate windows are embedded for real through `embed` (stored in
    `src` and `tgt`). Returns the kept links, then the moved ones in order.
    """
    p = params
    links = untangle_swaps(links, src, tgt, p)
    lone_src = sorted(i for link in links if not link.tgt for i in link.src)
    lone_tgt = sorted(j for link in links if not link.src for j in link.tgt)
    if not lone_src or not lone_tgt:
        return links
    floor = p.moved_min_sim
    one_to_one = [link.similarity for link in links if link.kind == "1-1" and link.similarity is not None]
    if one_to_one:
        floor = max(floor, float(np.median(one_to_one)) - p.moved_below_median)
    # Windows with enough text to carry a claim: bylines and site names look alike by form alone.
    src_w = [w for w in runs(lone_src, min(p.moved_max, max(src.vec)))
             if src.window_len[len(w)][w[0]] >= p.moved_min_chars]
    tgt_w = [w for w in runs(lone_tgt, min(p.moved_max, max(tgt.vec)))
             if tgt.window_len[len(w)][w[0]] >= p.moved_min_chars]
    if not src_w or not tgt_w:
        return links
    # Mutual best pairs by approximate window vectors; embed those windows for real.
    xs = np.stack([src.vec[len(w)][w[0]] for w in src_w])
    ys = np.stack([tgt.vec[len(w)][w[0]] for w in tgt_w])
    pairs = mutual_best(xs, ys)
    embed_windows(src, tgt, [WindowRef(False, src_w[r][0], len(src_w[r])) for r, _ in pairs]
                  + [WindowRef(True, tgt_w[c][0], len(tgt_w[c])) for _, c in pairs], embed)
    scored = []
    for r, c in pairs:
        x, y = src.vec[len(src_w[r])][src_w[r][0]], tgt.vec[len(tgt_w[c])][tgt_w[c][0]]
        cos = float(x @ y)
        if cos >= floor and cos - rival(x, y, src.vec[1], tgt.vec[1], src_w[r], tgt_w[c]) >= p.moved_margin:
            scored.append((-cos, r, c))
    used_src: set[int] = set()
    used_tgt: set[int] = set()
    moved = []
    for neg_cos, r, c in sorted(scored):  # greedily, most similar first
        if used_src.isdisjoint(src_w[r]) and used_tgt.isdisjoint(tgt_w[c]):
            used_src.update(src_w[r])
            used_tgt.update(tgt_w[c])
            moved.append(Alignment(src_w[r], tgt_w[c], "moved", -neg_cos))
    kept = [link for link in links if used_src.isdisjoint(link.src) and used_tgt.isdisjoint(link.tgt)]
    moved += [link for link in kept if link.kind == "moved"]  # swaps untangled above
    return [link for link in kept if link.kind != "moved"] + sorted(moved, key=lambda link: (link.src, link.tgt))


def untangle_swaps(links: list[Alignment], src: WindowSide, tgt: WindowSide,
                   params: AlignParams) -> list[Alignment]:
    """Split each 2-2 link (or pair of neighbouring 1-1 links) over sentences that swapped places.

    Source i, i+1 and target j, j+1 are a swap when both crossed pairs (i, j+1)
    and (i+1, j) clear `moved_min_sim` and beat both straight pairs by
    `moved_margin`. Only the absolute floor applies, not the document's typical
    1-1 cosine as for content moved far: a crossed pair competes only with the
    straight pairs beside it, and beating them is the evidence. The first
    source sentence keeps its place as a 1-1 link; the second becomes a `moved`
    link, returned after the monotonic links.
    """
    kept: list[Alignment] = []
    moved: list[Alignment] = []
    k = 0
    while k < len(links):
        block = _swap_block(links, k)
        if block is not None:
            (i, j), used = block
            first, second = src.vec[1][i], src.vec[1][i + 1]
            first_to_second, second_to_first = float(first @ tgt.vec[1][j + 1]), float(second @ tgt.vec[1][j])
            straight = max(float(first @ tgt.vec[1][j]), float(second @ tgt.vec[1][j + 1]))
            crossed = min(first_to_second, second_to_first)
            shortest = min(src.lengths[i], src.lengths[i + 1], tgt.lengths[j], tgt.lengths[j + 1])
            long_enough = shortest >= params.moved_min_chars
            if long_enough and crossed >= params.moved_min_sim and crossed - straight >= params.moved_margin:
                kept.append(Alignment((i,), (j + 1,), "1-1", first_to_second))
                moved.append(Alignment((i + 1,), (j,), "moved", second_to_first))
                k += used
                continue
        kept.append(links[k])
        k += 1
    return kept + moved if moved else links


def _swap_block(links: list[Alignment], k: int) -> tuple[tuple[int, int], int] | None:
    """((i, j), links used) when links[k] is a 2-2 link, or links[k] and links[k+1] are two
    neighbouring 1-1 links, over source i, i+1 and target j, j+1; else None."""
    link = links[k]
    if link.kind == "2-2":
        return (link.src[0], link.tgt[0]), 1
    if link.kind == "1-1" and k + 1 < len(links):
        after = links[k + 1]
        if after.kind == "1-1" and after.src[0] == link.src[0] + 1 and after.tgt[0] == link.tgt[0] + 1:
            return (link.src[0], link.tgt[0]), 2
    return None


def mutual_best(xs: np.ndarray, ys: np.ndarray) -> list[tuple[int, int]]:
    """(row, column) pairs that are each other's most similar, computed in blocks (linear memory)."""
    row_best = np.empty(len(xs), dtype=np.int64)
    col_best = np.zeros(len(ys), dtype=np.int64)
    col_val = np.full(len(ys), -np.inf)
    for start in range(0, len(xs), 1024):
        sims = xs[start : start + 1024] @ ys.T
        row_best[start : start + len(sims)] = sims.argmax(axis=1)
        top = sims.argmax(axis=0)
        better = sims[top, np.arange(len(ys))] > col_val
        col_val[better] = sims[top, np.arange(len(ys))][better]
        col_best[better] = top[better] + start
    return [(r, int(c)) for r, c in enumerate(row_best) if col_best[c] == r]


def rival(x: np.ndarray, y: np.ndarray, src_singles: np.ndarray, tgt_singles: np.ndarray,
          src_w: tuple[int, ...], tgt_w: tuple[int, ...]) -> float:
    """Best cosine of window `x` (source segments `src_w`) or `y` (target `tgt_w`) with any single
    segment of the other document outside the pair."""
    to_tgt, to_src = tgt_singles @ x, src_singles @ y
    to_tgt[list(tgt_w)] = -np.inf
    to_src[list(src_w)] = -np.inf
    return float(max(to_tgt.max(initial=-np.inf), to_src.max(initial=-np.inf)))


def runs(indices: list[int], max_size: int) -> list[tuple[int, ...]]:
    """Every window of up to `max_size` consecutive indices, all in `indices`."""
    present = set(indices)
    return [
        tuple(range(start, start + size))
        for start in indices
        for size in range(1, max_size + 1)
        if all(k in present for k in range(start, start + size))
    ]
