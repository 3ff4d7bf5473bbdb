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
   with up to `max_tgt` target segments (joined with a space). Its score is
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
   one `kind="moved"` link.

`embed` is called a handful of times with large batches; it should cache.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .model import Alignment

Embed = Callable[[Sequence[str]], np.ndarray]
Link = tuple[int, int, int, int]  # (source start, source count, target start, target count)


@dataclass(frozen=True)
class AlignParams:
    """Every knob of the aligner. Defaults were tuned on the Text+Berg de-fr dev set."""

    # Link shapes.
    max_src: int = 5  # most source segments in one monotonic link
    max_tgt: int = 5  # most target segments in one monotonic link
    max_total: int = 6  # most segments, source plus target, in one link
    # Scores, in normalised cosine: 0 = a random pair of windows of these shapes, 1 = identical.
    random_cosine: float = 0.78  # what unrelated texts score, for documents too short to measure it
    min_similarity: float = 0.15  # below this a pair is unrelated and never linked (cosine ~0.82)
    member_weight: float = 1.0  # cost of a link member unrelated to the other side, times its share of the text
    member_floor: float = 0.2  # normalised similarity below which a member counts as unrelated
    link_cost: float = 0.15  # subtracted from every link: fewer, better links beat many weak ones
    margin: float = 0.5  # weight of a window's best match among its partner's neighbours (a near miss)
    length_weight: float = 1.0  # 0 = ignore lengths, 1 = scale by Bertalign's log2(1 + short/long)
    null_cost: float = 0.05  # per segment left unaligned (1-0 or 0-1)
    gap_open_cost: float = 0.2  # once per run of unaligned segments
    # Search.
    top_k: int = 3  # neighbours per segment considered for anchors
    corridor: int = 1000  # anchor search looks this many segments either side of the diagonal
    band: int = 5  # DP band: segments either side of the anchor path
    recentre: float = 0.5  # how far a window's mean vector is moved back from the texts' common direction
    optimism: float = 0.03  # bonus to a not-yet-embedded window, so approximations get a fair look
    max_rounds: int = 10  # DP + embedding rounds before settling for embedded windows only
    # Moved content.
    moved: bool = True  # pair up unaligned segments that match elsewhere in the document
    moved_min_sim: float = 0.86  # cosine floor for a moved link (unrelated pairs: median ~0.86)
    moved_below_median: float = 0.05  # ... and at most this far below the median 1-1 cosine
    moved_margin: float = 0.03  # ... and this much above anything else either side resembles
    moved_max: int = 2  # most segments on one side of a moved link
    moved_min_chars: int = 25  # shorter text on either side is never a moved link

    def link_types(self) -> list[tuple[int, int]]:
        """(source count, target count) of every non-null link the DP may use."""
        return [
            (a, b)
            for a in range(1, self.max_src + 1)
            for b in range(1, self.max_tgt + 1)
            if a + b <= self.max_total
        ]


def join(texts: Sequence[str], indices: Sequence[int]) -> str:
    """The text of a window: neighbouring segments joined with one space."""
    return " ".join(texts[i] for i in indices)


def link_similarity(
    src: Sequence[str], tgt: Sequence[str], src_idx: Sequence[int], tgt_idx: Sequence[int], embed: Embed
) -> float | None:
    """Cosine of a link's joined texts (None for a null link): what `Alignment.similarity` holds.

    With the caller's caching `embed`, the texts of every returned link are
    already embedded, so this is a lookup.
    """
    if not src_idx or not tgt_idx:
        return None
    vectors = _as_unit(embed([join(src, src_idx), join(tgt, tgt_idx)]))
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
    singles = _as_unit(embed(list(src) + list(tgt)))
    s1, t1 = singles[:n], singles[n:]
    near = nearest(s1, t1, params.top_k, params.corridor)
    band = make_band(find_anchors(s1, t1, near), n, m, params.band)
    search = _Search(src, tgt, s1, t1, params, embed)
    links = [search.alignment(link) for link in search.run(band)]
    return _link_moved(links, search) if params.moved else links


# --- window vectors and the DP -------------------------------------------------------------


def _as_unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


SCORE_BLOCK = 8192  # band cells scored at once: about 12 MB of gathered window vectors per side


class _Side:
    """One document's window vectors: approximations until a window is embedded for real."""

    def __init__(self, texts: Sequence[str], singles: np.ndarray, max_size: int, common: np.ndarray,
                 recentre: float):
        self.texts = texts
        self.lengths = np.array([max(len(t), 1) for t in texts], dtype=np.float64)
        self.vec: dict[int, np.ndarray] = {1: singles}  # size -> (windows, dim), by start index
        self.exact: dict[int, np.ndarray] = {1: np.ones(len(texts), dtype=bool)}
        # A longer sentence carries more of a window's meaning: weight by sqrt(length).
        weighted = singles * np.sqrt(self.lengths)[:, None].astype(np.float32)
        cum = np.vstack([np.zeros((1, singles.shape[1]), np.float32), np.cumsum(weighted, axis=0)])
        # Averaging cancels what sentences do not share, so a mean sits closer to the direction all
        # texts share (`common`) than a real embedding would: put it back at a sentence's distance.
        typical = float(np.mean(singles @ common))
        for size in range(2, min(max_size, len(texts)) + 1):
            mean = _as_unit(cum[size:] - cum[: len(texts) - size + 1])
            along = mean @ common
            target = along + recentre * (typical - along)
            rest = _as_unit(mean - along[:, None] * common)
            self.vec[size] = (target[:, None] * common + np.sqrt(np.maximum(0.0, 1 - target**2))[:, None] * rest
                              ).astype(np.float32)
            self.exact[size] = np.zeros(len(texts) - size + 1, dtype=bool)
        cum_len = np.concatenate([[0.0], np.cumsum(self.lengths)])
        self.window_len = {s: cum_len[s:] - cum_len[: len(texts) - s + 1] for s in self.vec}
        # The average window of each size: what a random window of that size scores against.
        self.window_mean = {size: v.mean(axis=0) for size, v in self.vec.items()}

    def baseline(self, other: np.ndarray, size: int, partner: np.ndarray, prior: float) -> np.ndarray:
        """Row-wise mean cosine of `other` with this side's windows of `size`, leaving out `partner`.

        Short documents have few windows to average over: the estimate leans on
        `prior` until there are about ten.
        """
        count = len(self.vec[size])
        if count < 2:
            return np.full(len(other), prior)
        rest = (count * self.window_mean[size][None, :] - partner) / (count - 1)
        weight = min(1.0, (count - 1) / 10)
        return weight * np.einsum("ij,ij->i", other, rest) + (1 - weight) * prior

    def text(self, start: int, size: int) -> str:
        return join(self.texts, range(start, start + size))


class _Search:
    """Both sides' windows, the banded DP over them and the embedding rounds."""

    def __init__(self, src: Sequence[str], tgt: Sequence[str], s1: np.ndarray, t1: np.ndarray,
                 params: AlignParams, embed: Embed):
        self.p = params
        self.embed = embed
        common = _as_unit(np.concatenate([s1, t1]).mean(axis=0, keepdims=True))[0]
        self.src = _Side(src, s1, params.max_src, common, params.recentre)
        self.tgt = _Side(tgt, t1, params.max_tgt, common, params.recentre)
        self.ratio = float(self.src.lengths.sum() / self.tgt.lengths.sum())
        self.types = [(a, b) for a, b in params.link_types() if a in self.src.vec and b in self.tgt.vec]
        self.gains: dict[tuple[int, int], np.ndarray] = {}
        self.cells: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    # Embedding rounds.

    def run(self, band: list[tuple[int, int]]) -> list[Link]:
        """DP, embed the approximated windows its path uses, repeat until the path uses none."""
        self._index_band(band)
        path: list[Link] = []
        self.rounds = 0
        for self.rounds in range(1, self.p.max_rounds + 1):
            path = self._dp(band)
            if not self.fetch(self._guessed(path)):
                break
        else:
            # Out of rounds: settle for the best path among windows embedded for real.
            assert self.cells is not None
            rows, cols, _ = self.cells
            for (a, b), gains in self.gains.items():
                ok = (rows >= a) & (cols >= b)
                guessed = np.zeros(len(rows), dtype=bool)
                guessed[ok] = ~self.src.exact[a][rows[ok] - a] | ~self.tgt.exact[b][cols[ok] - b]
                gains[guessed] = -np.inf
            path = self._dp(band)
        self.cells, self.gains = None, {}
        return path

    def _guessed(self, path: list[Link]) -> list[tuple[_Side, int, int]]:
        wanted = []
        for i, a, j, b in path:
            if a and b:
                wanted += [(side, start, size) for side, start, size in ((self.src, i, a), (self.tgt, j, b))
                           if not side.exact[size][start]]
        return wanted

    def fetch(self, wanted: list[tuple[_Side, int, int]]) -> bool:
        """Embed windows for real in one call and rescore the links using them; False if none needed."""
        todo = list(dict.fromkeys((side is self.tgt, start, size) for side, start, size in wanted
                                  if not side.exact[size][start]))
        if not todo:
            return False
        sides = (self.src, self.tgt)
        vectors = _as_unit(self.embed([sides[t].text(start, size) for t, start, size in todo]))
        for (t, start, size), vector in zip(todo, vectors):
            sides[t].vec[size][start] = vector
            sides[t].exact[size][start] = True
        if self.cells is not None:
            self._rescore(todo)
        return True

    # Scores of every link type at every band cell, kept up to date as windows get embedded.

    def _index_band(self, band: list[tuple[int, int]]) -> None:
        lo = np.array([l for l, _ in band])
        width = np.array([h - l + 1 for l, h in band])
        starts = np.concatenate([[0], np.cumsum(width)])
        rows = np.repeat(np.arange(len(band)), width)
        cols = np.arange(starts[-1]) - starts[rows] + lo[rows]
        self.cells = (rows, cols, starts)
        for a, b in self.types:
            gains = np.full(len(rows), -np.inf)
            ok = np.flatnonzero((rows >= a) & (cols >= b))
            gains[ok] = self._link_scores(rows[ok] - a, a, cols[ok] - b, b)
            self.gains[(a, b)] = gains

    def _rescore(self, changed: list[tuple[bool, int, int]]) -> None:
        assert self.cells is not None
        rows, cols, _ = self.cells
        src_new = {(size, start) for is_tgt, start, size in changed if not is_tgt}
        tgt_new = {(size, start) for is_tgt, start, size in changed if is_tgt}
        for a, b in self.types:
            starts_s = np.array([s for size, s in src_new if size == a], dtype=np.int64)
            starts_t = np.array([s for size, s in tgt_new if size == b], dtype=np.int64)
            hit = np.isin(rows - a, starts_s) | np.isin(cols - b, starts_t)
            hit &= (rows >= a) & (cols >= b)
            idx = np.flatnonzero(hit)
            if len(idx):
                self.gains[(a, b)][idx] = self._link_scores(rows[idx] - a, a, cols[idx] - b, b)

    def _link_scores(self, i0: np.ndarray, a: int, j0: np.ndarray, b: int) -> np.ndarray:
        """Score of links src[i0:i0+a] ~ tgt[j0:j0+b], elementwise over i0 and j0.

        In blocks of `SCORE_BLOCK` cells: each gathers a (cells, dim) matrix of
        window vectors per side, and a whole band at once would hold hundreds
        of MB of them for a long document (memory linear, but with a large factor).
        """
        if len(i0) <= SCORE_BLOCK:
            return self._link_scores_block(i0, a, j0, b)
        return np.concatenate([self._link_scores_block(i0[k : k + SCORE_BLOCK], a, j0[k : k + SCORE_BLOCK], b)
                               for k in range(0, len(i0), SCORE_BLOCK)])

    def _link_scores_block(self, i0: np.ndarray, a: int, j0: np.ndarray, b: int) -> np.ndarray:
        p, src, tgt = self.p, self.src, self.tgt
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
            ls, lt = src.window_len[a][i0], tgt.window_len[b][j0] * self.ratio
            agree = np.log2(1.0 + np.minimum(ls, lt) / np.maximum(ls, lt))
            score *= 1.0 - p.length_weight + p.length_weight * agree
        score += bonus - p.link_cost
        score[unrelated] = -np.inf
        return score

    # The DP.

    def _dp(self, band: list[tuple[int, int]]) -> list[Link]:
        """Best monotonic path through the band.

        Two layers, as in affine-gap sequence alignment: `link` holds the best
        score of prefixes whose last step is a link, `gap` of those ending in a
        null. Row i covers source prefix length i, columns its band.
        """
        assert self.cells is not None
        starts = self.cells[2]
        p = self.p
        n, m = len(self.src.texts), len(self.tgt.texts)
        tgt_null = np.concatenate([[0.0], np.cumsum(np.full(m, p.null_cost))])  # cost of nulls 0..j
        link_rows: list[np.ndarray] = []
        gap_rows: list[np.ndarray] = []
        backs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for i in range(n + 1):
            lo, hi = band[i]
            width = hi - lo + 1
            link = np.full(width, -np.inf)
            link_back = np.full(width, -1, dtype=np.int16)  # type index; -2 - index if from a gap
            if i == 0 and lo == 0:
                link[0] = 0.0  # the empty prefix: a leading null opens a gap
            for t, (a, b) in enumerate(self.types):
                if i < a:
                    continue
                plo, phi = band[i - a]
                first, last = max(lo, plo + b), min(hi, phi + b)
                if first > last:
                    continue
                prev = slice(first - b - plo, last - b - plo + 1)
                from_gap = gap_rows[i - a][prev] > link_rows[i - a][prev]
                cand = np.where(from_gap, gap_rows[i - a][prev], link_rows[i - a][prev])
                cand = cand + self.gains[(a, b)][starts[i] + first - lo : starts[i] + last - lo + 1]
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
                    opened = link_rows[i - 1][first - plo : last - plo + 1] - p.gap_open_cost
                    extended = gap_rows[i - 1][first - plo : last - plo + 1]
                    del_from_gap[first - lo : last - lo + 1] = extended >= opened
                    gap[first - lo : last - lo + 1] = np.maximum(extended, opened) - p.null_cost
            # gap[j] = max(gap[j], max(link[j-1] - open, gap[j-1]) - null), unrolled with a running max.
            cum = tgt_null[lo : hi + 1]
            origin = np.maximum(link - p.gap_open_cost, gap) + cum
            chained = np.full(width, -np.inf)
            chained[1:] = np.maximum.accumulate(origin)[:-1] - cum[1:]
            inserted = chained > gap + 1e-9  # not rounding noise of the same cell
            gap = np.where(inserted, chained, gap)
            link_rows.append(link)
            gap_rows.append(gap)
            backs.append((link_back, del_from_gap, inserted))
        return self._backtrack(band, link_rows, gap_rows, backs)

    def _backtrack(self, band: list[tuple[int, int]], link_rows: list[np.ndarray], gap_rows: list[np.ndarray],
                   backs: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> list[Link]:
        path: list[Link] = []
        i, j = len(self.src.texts), len(self.tgt.texts)
        in_gap = bool(gap_rows[i][j - band[i][0]] > link_rows[i][j - band[i][0]])
        while i > 0 or j > 0:
            k = j - band[i][0]
            link_back, del_from_gap, inserted = backs[i]
            if not in_gap:
                code = int(link_back[k])
                in_gap = code < -1
                a, b = self.types[-2 - code if in_gap else code]
                i, j = i - a, j - b
                path.append((i, a, j, b))
            elif inserted[k]:
                prev = k - 1
                in_gap = bool(gap_rows[i][prev] >= link_rows[i][prev] - self.p.gap_open_cost)
                j -= 1
                path.append((i, 0, j, 1))
            else:
                in_gap = bool(del_from_gap[k])
                i -= 1
                path.append((i, 1, j, 0))
        return path[::-1]

    def alignment(self, link: Link) -> Alignment:
        """The `Alignment` of a path link, its similarity from the real window embeddings."""
        i, a, j, b = link
        src, tgt = tuple(range(i, i + a)), tuple(range(j, j + b))
        sim = float(self.src.vec[a][i] @ self.tgt.vec[b][j]) if a and b else None
        return Alignment(src, tgt, Alignment.kind_of(src, tgt), sim)


def _related(member: np.ndarray, partner: np.ndarray, own: _Side, other: _Side, partner_size: int) -> np.ndarray:
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


# --- anchors and band ----------------------------------------------------------------------


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


# --- moved content --------------------------------------------------------------------------


def _link_moved(links: list[Alignment], search: _Search) -> list[Alignment]:
    """Replace unaligned source and target segments that match each other by `moved` links.

    A pair qualifies when it is each other's best match among the unaligned
    windows, its cosine clears an absolute floor (unrelated sentences score
    about as much), is not far below this document's typical 1-1 cosine, and
    beats by `moved_margin` everything else either side resembles in the other
    document: a chance likeness is rarely that clear.
    """
    p = search.p
    lone_src = sorted(i for link in links if not link.tgt for i in link.src)
    lone_tgt = sorted(j for link in links if not link.src for j in link.tgt)
    if not lone_src or not lone_tgt:
        return links
    floor = p.moved_min_sim
    one_to_one = [link.similarity for link in links if link.kind == "1-1" and link.similarity is not None]
    if one_to_one:
        floor = max(floor, float(np.median(one_to_one)) - p.moved_below_median)
    # Windows with enough text to carry a claim: bylines and site names look alike by form alone.
    src_w = [w for w in _runs(lone_src, min(p.moved_max, max(search.src.vec)))
             if search.src.window_len[len(w)][w[0]] >= p.moved_min_chars]
    tgt_w = [w for w in _runs(lone_tgt, min(p.moved_max, max(search.tgt.vec)))
             if search.tgt.window_len[len(w)][w[0]] >= p.moved_min_chars]
    if not src_w or not tgt_w:
        return links
    # Mutual best pairs by approximate window vectors; embed those windows for real.
    xs = np.stack([search.src.vec[len(w)][w[0]] for w in src_w])
    ys = np.stack([search.tgt.vec[len(w)][w[0]] for w in tgt_w])
    pairs = _mutual_best(xs, ys)
    search.fetch([(search.src, src_w[r][0], len(src_w[r])) for r, _ in pairs]
                 + [(search.tgt, tgt_w[c][0], len(tgt_w[c])) for _, c in pairs])
    scored = []
    for r, c in pairs:
        x, y = search.src.vec[len(src_w[r])][src_w[r][0]], search.tgt.vec[len(tgt_w[c])][tgt_w[c][0]]
        cos = float(x @ y)
        if cos >= floor and cos - _rival(src_w[r], tgt_w[c], search) >= p.moved_margin:
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
    return kept + sorted(moved, key=lambda link: (link.src, link.tgt))


def _mutual_best(xs: np.ndarray, ys: np.ndarray) -> list[tuple[int, int]]:
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


def _rival(src_w: tuple[int, ...], tgt_w: tuple[int, ...], search: _Search) -> float:
    """Best cosine of either window with any single segment of the other document outside the pair."""
    x, y = search.src.vec[len(src_w)][src_w[0]], search.tgt.vec[len(tgt_w)][tgt_w[0]]
    to_tgt, to_src = search.tgt.vec[1] @ x, search.src.vec[1] @ y
    to_tgt[list(tgt_w)] = -np.inf
    to_src[list(src_w)] = -np.inf
    return float(max(to_tgt.max(initial=-np.inf), to_src.max(initial=-np.inf)))


def _runs(indices: list[int], max_size: int) -> list[tuple[int, ...]]:
    """Every window of up to `max_size` consecutive indices, all in `indices`."""
    present = set(indices)
    return [
        tuple(range(start, start + size))
        for start in indices
        for size in range(1, max_size + 1)
        if all(k in present for k in range(start, start + size))
    ]
