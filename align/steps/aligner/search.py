"""The driver of the monotonic pass: score the band, run the DP, embed the windows its path guessed, repeat.

Windows not yet embedded get a small `optimism` bonus, so approximations get
a fair look; the rounds end when the path uses only real embeddings (3-6
rounds), or after `max_rounds` with the best path among real ones.
"""
from __future__ import annotations

from ...model import Alignment
from .dp import Band, Link, band_cells, best_path
from .params import AlignParams
from .scores import drop_guessed, length_ratio, link_types, rescore, score_band
from .windows import Embed, WindowRef, WindowSide, embed_windows


def search_path(src: WindowSide, tgt: WindowSide, band: Band, params: AlignParams, embed: Embed) -> list[Link]:
    """Best monotonic path through the band, every linked window embedded for real (stored in `src`, `tgt`)."""
    cells = band_cells(band)
    types = link_types(params, src, tgt)
    ratio = length_ratio(src, tgt)
    gains = score_band(cells, types, src, tgt, params, ratio)
    for _ in range(params.max_rounds):
        path = best_path(band, cells.starts, types, gains, params.null_cost, params.gap_open_cost)
        changed = embed_windows(src, tgt, guessed_windows(path, src, tgt), embed)
        if not changed:
            return path
        rescore(gains, cells, changed, src, tgt, params, ratio)
    # Out of rounds: settle for the best path among windows embedded for real.
    drop_guessed(gains, cells, src, tgt)
    return best_path(band, cells.starts, types, gains, params.null_cost, params.gap_open_cost)


def guessed_windows(path: list[Link], src: WindowSide, tgt: WindowSide) -> list[WindowRef]:
    """The windows the path links whose vectors are still approximations, in path order."""
    wanted = []
    for i, a, j, b in path:
        if a and b:
            wanted += [WindowRef(in_target, start, size)
                       for in_target, side, start, size in ((False, src, i, a), (True, tgt, j, b))
                       if not side.exact[size][start]]
    return wanted


def to_alignment(link: Link, src: WindowSide, tgt: WindowSide) -> Alignment:
    """The `Alignment` of a path link, its similarity from the real window embeddings."""
    i, a, j, b = link
    src_idx, tgt_idx = tuple(range(i, i + a)), tuple(range(j, j + b))
    sim = float(src.vec[a][i] @ tgt.vec[b][j]) if a and b else None
    return Alignment(src_idx, tgt_idx, Alignment.kind_of(src_idx, tgt_idx), sim)
