"""The banded dynamic programme over link scores, and its traceback: pure functions over numpy arrays.

The band gives, for each source prefix length i (a DP row), the target prefix
lengths it may visit; the cells of all rows are laid out one after the other
(`BandCells`), and each link type's scores are one array over those cells.
Nulls are priced like gaps in sequence alignment (Gotoh): `gap_open_cost` per
run plus `null_cost` per segment, so a block of captions or boilerplate
stays out as a block.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

Band = Sequence[tuple[int, int]]  # per row 0..n: (lo, hi) target prefix lengths the row may visit
Link = tuple[int, int, int, int]  # (source start, source count, target start, target count)
LinkType = tuple[int, int]  # (source count, target count) of a non-null link


@dataclass(frozen=True)
class BandCells:
    """Every cell of a band, row by row: `rows[c]`, `cols[c]` are cell c's source and target prefix lengths.

    Row i's cells are `starts[i]` to `starts[i + 1] - 1`, columns `band[i][0]` upwards.
    """

    rows: np.ndarray
    cols: np.ndarray
    starts: np.ndarray


@dataclass(frozen=True)
class Tables:
    """The forward pass, row by row: best scores ending in a link / a null, and how each was reached."""

    link_rows: list[np.ndarray]
    gap_rows: list[np.ndarray]
    link_back: list[np.ndarray]  # type index of the last link; -2 - index if it followed a null
    del_from_gap: list[np.ndarray]  # a 1-0 extended a run of nulls (rather than opened one)
    inserted: list[np.ndarray]  # the best null here is a 0-1 along the row (rather than a 1-0 from above)


def band_cells(band: Band) -> BandCells:
    """Lay out the band's cells row after row."""
    lo = np.array([l for l, _ in band])
    width = np.array([h - l + 1 for l, h in band])
    starts = np.concatenate([[0], np.cumsum(width)])
    rows = np.repeat(np.arange(len(band)), width)
    cols = np.arange(starts[-1]) - starts[rows] + lo[rows]
    return BandCells(rows, cols, starts)


def best_path(band: Band, starts: np.ndarray, types: Sequence[LinkType], gains: Mapping[LinkType, np.ndarray],
              null_cost: float, gap_open_cost: float) -> list[Link]:
    """Best monotonic path from (0, 0) to (n, m): the links in document order, nulls included.

    The band has rows 0..n and its last row ends at m (as `anchors.make_band` builds it).

    `gains[t][c]` is the score of a link of type t ending at band cell c
    (-inf: not allowed); `starts` is `BandCells.starts` of the band.
    """
    tables = forward(band, starts, types, gains, null_cost, gap_open_cost)
    return traceback(band, types, tables, gap_open_cost)


def forward(band: Band, starts: np.ndarray, types: Sequence[LinkType], gains: Mapping[LinkType, np.ndarray],
            null_cost: float, gap_open_cost: float) -> Tables:
    """Fill the DP tables.

    Two layers, as in affine-gap sequence alignment: `link` holds the best
    score of prefixes whose last step is a link, `gap` of those ending in a
    null. Row i covers source prefix length i, columns its band.
    """
    m = band[-1][1]
    tgt_null = np.concatenate([[0.0], np.cumsum(np.full(m, null_cost))])  # cost of nulls 0..j
    link_rows: list[np.ndarray] = []
    gap_rows: list[np.ndarray] = []
    link_backs: list[np.ndarray] = []
    del_from_gaps: list[np.ndarray] = []
    inserteds: list[np.ndarray] = []
    for i in range(len(band)):
        lo, hi = band[i]
        width = hi - lo + 1
        link = np.full(width, -np.inf)
        link_back = np.full(width, -1, dtype=np.int16)  # type index; -2 - index if from a gap
        if i == 0 and lo == 0:
            link[0] = 0.0  # the empty prefix: a leading null opens a gap
        for t, (a, b) in enumerate(types):
            if i < a:
                continue
            plo, phi = band[i - a]
            first, last = max(lo, plo + b), min(hi, phi + b)
            if first > last:
                continue
            prev = slice(first - b - plo, last - b - plo + 1)
            from_gap = gap_rows[i - a][prev] > link_rows[i - a][prev]
            cand = np.where(from_gap, gap_rows[i - a][prev], link_rows[i - a][prev])
            cand = cand + gains[(a, b)][starts[i] + first - lo : starts[i] + last - lo + 1]
            here = slice(first - lo, last - lo + 1)
            better = cand > link[here]
            link[here][better] = cand[better]
            link_back[here][better] = np.where(from_gap, -2 - t, t)[better]
        # Deletion (1-0) from the row above, then insertions (0-1) along this row.
        gap = np.full(width, -np.inf)
        del_from_gap = np.zeros(width, dtype=bool)
        if i > 0:
            plo, phi = band[i - 1]
            first, last = max(lo, plo), min(hi, phi)
            if first <= last:
                opened = link_rows[i - 1][first - plo : last - plo + 1] - gap_open_cost
                extended = gap_rows[i - 1][first - plo : last - plo + 1]
                del_from_gap[first - lo : last - lo + 1] = extended >= opened
                gap[first - lo : last - lo + 1] = np.maximum(extended, opened) - null_cost
        # gap[j] = max(gap[j], max(link[j-1] - open, gap[j-1]) - null), unrolled with a running max.
        cum = tgt_null[lo : hi + 1]
        origin = np.maximum(link - gap_open_cost, gap) + cum
        chained = np.full(width, -np.inf)
        chained[1:] = np.maximum.accumulate(origin)[:-1] - cum[1:]
        inserted = chained > gap + 1e-9  # not rounding noise of the same cell
        gap = np.where(inserted, chained, gap)
        link_rows.append(link)
        gap_rows.append(gap)
        link_backs.append(link_back)
        del_from_gaps.append(del_from_gap)
        inserteds.append(inserted)
    return Tables(link_rows, gap_rows, link_backs, del_from_gaps, inserteds)


def traceback(band: Band, types: Sequence[LinkType], tables: Tables, gap_open_cost: float) -> list[Link]:
    """Walk back from the last cell: the best path's links, nulls as (i, 1, j, 0) and (i, 0, j, 1)."""
    link_rows, gap_rows = tables.link_rows, tables.gap_rows
    path: list[Link] = []
    i, j = len(band) - 1, band[-1][1]
    in_gap = bool(gap_rows[i][j - band[i][0]] > link_rows[i][j - band[i][0]])
    while i > 0 or j > 0:
        k = j - band[i][0]
        if not in_gap:
            code = int(tables.link_back[i][k])
            in_gap = code < -1
            a, b = types[-2 - code if in_gap else code]
            i, j = i - a, j - b
            path.append((i, a, j, b))
        elif tables.inserted[i][k]:
            prev = k - 1
            in_gap = bool(gap_rows[i][prev] >= link_rows[i][prev] - gap_open_cost)
            j -= 1
            path.append((i, 0, j, 1))
        else:
            in_gap = bool(tables.del_from_gap[i][k])
            i -= 1
            path.append((i, 1, j, 0))
    return path[::-1]
