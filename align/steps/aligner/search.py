"""The driver of the monotonic pass: score the band, run the DP, embed the windows its path guessed, repeat.

Windows not yet embedded get a small `optimism` bonus, so approximations get
a fair look; the rounds end when the path uses only real embeddings (3-6
rounds), or after `max_rounds` with the best path among real ones. Last,
debris is taken off the ends of the path's links (`shed_debris`).
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
            break
        rescore(gains, cells, changed, src, tgt, params, ratio)
    else:  # out of rounds: settle for the best path among windows embedded for real
        drop_guessed(gains, cells, src, tgt)
        path = best_path(band, cells.starts, types, gains, params.null_cost, params.gap_open_cost)
    path = shed_debris(path, src, tgt)
    embed_windows(src, tgt, guessed_windows(path, src, tgt), embed)
    return path


def shed_debris(path: list[Link], src: WindowSide, tgt: WindowSide) -> list[Link]:
    """The path with debris (`model.is_debris`) taken off the ends of its links and left unaligned.

    Gluing a line of debris onto a link costs the DP next to nothing, and
    leaving it out costs a null, so the search glues it; but it renders
    nothing, and a link is read by its ends.
    """
    out: list[Link] = []
    for i0, a0, j0, b0 in path:
        i, a, j, b = i0, a0, j0, b0
        if a and b:
            while a > 1 and src.debris[i]:
                i, a = i + 1, a - 1
            while a > 1 and src.debris[i + a - 1]:
                a -= 1
            while b > 1 and tgt.debris[j]:
                j, b = j + 1, b - 1
            while b > 1 and tgt.debris[j + b - 1]:
                b -= 1
        out += [(k, 1, j0, 0) for k in range(i0, i)] + [(i, 0, k, 1) for k in range(j0, j)]
        out.append((i, a, j, b))
        out += [(k, 1, j + b, 0) for k in range(i + a, i0 + a0)] + [(i + a, 0, k, 1) for k in range(j + b, j0 + b0)]
    return out


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
