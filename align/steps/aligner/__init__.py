"""Sentence alignment: anchors, a banded DP over windows, exact re-scoring, moved content.

The search, in four steps, linear in document length:

1. Anchors. Each segment is embedded once. Its top-k neighbours on the other
   side are found inside a corridor around the diagonal; mutual top-k pairs
   are candidate anchors, and the heaviest chain of them increasing on both
   sides is the anchor path (a weighted longest increasing subsequence).
2. Band. Between two anchors the DP may visit only the target positions from
   `band` before the anchor ahead of the earlier one to `band` after the
   anchor behind the later one (Bertalign's second pass, made tolerant of one
   wrong anchor). No N x M table of windows is ever built.
3. DP over windows. A link joins up to `max_src` neighbouring source segments
   with up to `max_tgt` target segments (joined with a space), `max_total` in
   all, and never starts or ends inside a bracket the next segment closes (a
   segmenter's slip the translation cannot share) nor, with more than one
   segment a side, on debris (a line without a word, which costs next to
   nothing to glue on but renders nothing). Its score is
   the cosine of the two windows normalised between what a random pair of
   windows of the same sizes scores (0) and identity (1); less part of the
   best cosine with the segments right next to the partner (a margin, as in
   Bertalign: a near miss is not a match); less a cost for each member that
   does not relate to the other side (so an unrelated sentence is left out,
   not glued on); scaled by length agreement; less `link_cost`. Pairs below
   `min_similarity` are never linked. Nulls are priced like gaps in sequence
   alignment (Gotoh): `gap_open_cost` per run plus `null_cost` per segment,
   so a block of captions or boilerplate stays out as a block.
   Window vectors start as the length-weighted mean of their sentence vectors,
   moved back from the direction all texts share (a mean sits closer to it
   than a real embedding). The windows the best path uses are then embedded
   for real and the DP re-run, windows not yet embedded getting a small
   `optimism` bonus; this repeats until the path uses only real embeddings
   (3-6 rounds). The texts embedded are the segments plus roughly the windows
   on and next to the path: about 1.2 per segment, where embedding every
   window of 1-5 segments (as Bertalign does) would be about 5.
4. Moved content. Source and target windows the monotonic pass left
   unaligned are paired when they are each other's best match, their cosine
   clears an absolute floor and the document's typical 1-1 cosine, and they
   beat every other candidate either side has by a margin; each pair becomes
   one `kind="moved"` link. Before that, two neighbouring sentences rendered
   in the other order (which the DP can only join into one 2-2 link) become
   a 1-1 link and a moved one, when both crossed pairs clear the same floor
   and beat the straight pairs by the same margin.

`embed` is called a handful of times with large batches; it should cache.

The steps live in their own modules, as pure functions over arrays where they
can be: `anchors` (neighbours, anchor chain, band), `windows` (window vectors
and the store of real embeddings), `scores` (link scores over the band), `dp`
(the banded DP and its traceback), `search` (the embedding rounds) and
`moved` (moved content). This module runs them in order.
"""
from __future__ import annotations

from typing import Sequence

from ...model import Alignment
from .anchors import Neighbours, find_anchors, heaviest_chain, make_band, nearest
from .moved import link_moved
from .params import AlignParams
from .search import search_path, to_alignment
from .windows import Embed, WindowSide, as_unit, common_direction, join

__all__ = [
    "AlignParams", "Embed", "Neighbours", "align_segments", "find_anchors", "heaviest_chain", "join",
    "link_similarity", "make_band", "nearest",
]


def link_similarity(
    src: Sequence[str], tgt: Sequence[str], src_idx: Sequence[int], tgt_idx: Sequence[int], embed: Embed
) -> float | None:
    """Cosine of a link's joined texts (None for a null link): what `Alignment.similarity` holds.

    With the caller's caching `embed`, the texts of every returned link are
    already embedded, so this is a lookup.
    """
    if not src_idx or not tgt_idx:
        return None
    vectors = as_unit(embed([join(src, src_idx), join(tgt, tgt_idx)]))
    return float(vectors[0] @ vectors[1])


def align_segments(
    src: Sequence[str], tgt: Sequence[str], embed: Embed, params: AlignParams = AlignParams()
) -> list[Alignment]:
    """Align two segmented documents; every index appears in exactly one returned link.

    Returns the monotonic links in document order (including 1-0 and 0-1
    nulls), then the moved links. Deterministic for the same input.
    """
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Alignment((i,), (), "1-0", None) for i in range(n)] + [
            Alignment((), (j,), "0-1", None) for j in range(m)
        ]
    singles = as_unit(embed(list(src) + list(tgt)))
    s1, t1 = singles[:n], singles[n:]
    near = nearest(s1, t1, params.top_k, params.corridor)
    band = make_band(find_anchors(s1, t1, near), n, m, params.band)
    common = common_direction(s1, t1)
    src_side = WindowSide(src, s1, params.max_src, common, params.recentre)
    tgt_side = WindowSide(tgt, t1, params.max_tgt, common, params.recentre)
    links = [to_alignment(link, src_side, tgt_side) for link in search_path(src_side, tgt_side, band, params, embed)]
    return link_moved(links, src_side, tgt_side, embed, params) if params.moved else links
