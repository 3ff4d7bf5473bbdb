"""Window vectors: each document's windows of 1..max_size neighbouring segments, approximated then embedded.

A window's vector starts as the length-weighted mean of its sentence vectors,
moved back from the direction all texts share (a mean sits closer to it than a
real embedding). The driver embeds the windows the best path uses for real;
this store keeps which are real so the DP can tell the two apart.
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Sequence

import numpy as np

from ...model import is_debris

Embed = Callable[[Sequence[str]], np.ndarray]


def as_unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows left as they are), as float32: cosines become dot products."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


_OPENING, _CLOSING = "([", ")]"


def _depths(text: str) -> tuple[int, int]:
    """(closings `text` has with no opening before them, openings it leaves unclosed)."""
    if not any(mark in text for mark in _OPENING + _CLOSING):  # most texts: skip the scan
        return 0, 0
    unmatched_close = depth = 0
    for ch in text:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            if depth:
                depth -= 1
            else:
                unmatched_close += 1
    return unmatched_close, depth


def inside_brackets(texts: Sequence[str]) -> np.ndarray:
    """For each segment, whether the boundary after it falls inside a bracket: a link never ends there.

    A segmenter that cuts «( London :» from «Collins 1956 )» made a slip, and a
    translation cannot be expected to cut at the same place. Only a bracket
    opened in one segment and closed in the next counts, so a stray bracket in
    OCR debris glues nothing.
    """
    depths = [_depths(t) for t in texts]
    return np.array([depths[k][1] > 0 and k + 1 < len(texts) and depths[k + 1][0] > 0 for k in range(len(texts))],
                    dtype=bool)


def join(texts: Sequence[str], indices: Sequence[int]) -> str:
    """The text of a window: neighbouring segments joined with one space."""
    return " ".join(texts[i] for i in indices)


def common_direction(s1: np.ndarray, t1: np.ndarray) -> np.ndarray:
    """The unit mean of both documents' sentence vectors: the direction all texts share."""
    return as_unit(np.concatenate([s1, t1]).mean(axis=0, keepdims=True))[0]


class WindowSide:
    """One document's window vectors by size and start: approximations until a window is embedded for real.

    `vec[size]` holds one unit vector per window start, `exact[size]` whether it
    is a real embedding; `store` replaces an approximation by the real one.
    """

    def __init__(self, texts: Sequence[str], singles: np.ndarray, max_size: int, common: np.ndarray,
                 recentre: float):
        self.texts = texts
        self.lengths = np.array([max(len(t), 1) for t in texts], dtype=np.float64)
        self.glued = inside_brackets(texts)  # segment k and k + 1 belong in one link (or both unaligned)
        self.debris = np.array([is_debris(t) for t in texts], dtype=bool)  # see `ends_in_debris`
        self.vec: dict[int, np.ndarray] = {1: singles}  # size -> (windows, dim), by start index
        self.exact: dict[int, np.ndarray] = {1: np.ones(len(texts), dtype=bool)}
        # A longer sentence carries more of a window's meaning: weight by sqrt(length).
        weighted = singles * np.sqrt(self.lengths)[:, None].astype(np.float32)
        cum = np.vstack([np.zeros((1, singles.shape[1]), np.float32), np.cumsum(weighted, axis=0)])
        # Averaging cancels what sentences do not share, so a mean sits closer to the direction all
        # texts share (`common`) than a real embedding would: put it back at a sentence's distance.
        typical = float(np.mean(singles @ common))
        for size in range(2, min(max_size, len(texts)) + 1):
            mean = as_unit(cum[size:] - cum[: len(texts) - size + 1])
            along = mean @ common
            target = along + recentre * (typical - along)
            rest = as_unit(mean - along[:, None] * common)
            self.vec[size] = (target[:, None] * common + np.sqrt(np.maximum(0.0, 1 - target**2))[:, None] * rest
                              ).astype(np.float32)
            self.exact[size] = np.zeros(len(texts) - size + 1, dtype=bool)
        cum_len = np.concatenate([[0.0], np.cumsum(self.lengths)])
        self.window_len = {s: cum_len[s:] - cum_len[: len(texts) - s + 1] for s in self.vec}
        # The average window of each size: what a random window of that size scores against.
        self.window_mean = {size: v.mean(axis=0) for size, v in self.vec.items()}

    def baseline(self, other: np.ndarray, size: int, partner: np.ndarray, prior: float) -> np.ndarray:
        """Row-wise mean cosine of `other` with this side's windows of `size`, leaving out `partner`.

        What a random pair of windows scores: a link's cosine is normalised
        between this (0) and identity (1). Short documents have few windows to
        average over: the estimate leans on `prior` until there are about ten.
        """
        count = len(self.vec[size])
        if count < 2:
            return np.full(len(other), prior)
        rest = (count * self.window_mean[size][None, :] - partner) / (count - 1)
        weight = min(1.0, (count - 1) / 10)
        return weight * np.einsum("ij,ij->i", other, rest) + (1 - weight) * prior

    def cuts_bracket(self, start: np.ndarray, size: int) -> np.ndarray:
        """Whether each window of `size` from `start` begins or ends inside a bracket (see `inside_brackets`)."""
        ends_inside = self.glued[start + size - 1]
        begins_inside = np.zeros(len(start), dtype=bool)
        later = start > 0
        begins_inside[later] = self.glued[start[later] - 1]
        return ends_inside | begins_inside

    def ends_in_debris(self, start: np.ndarray, size: int) -> np.ndarray:
        """Whether each window of `size` > 1 from `start` begins or ends with debris (`model.is_debris`).

        A line without a word renders nothing, yet gluing it onto a link costs
        next to nothing where leaving it out costs a null: so a link never ends
        on one; it is left unaligned, or inside a link. A window of one segment
        is never refused, so every segment can still be linked.
        """
        if size == 1:
            return np.zeros(len(start), dtype=bool)
        return self.debris[start] | self.debris[start + size - 1]

    def text(self, start: int, size: int) -> str:
        return join(self.texts, range(start, start + size))

    def store(self, start: int, size: int, vector: np.ndarray) -> None:
        """Replace the window's approximation by its real embedding."""
        self.vec[size][start] = vector
        self.exact[size][start] = True


class WindowRef(NamedTuple):
    """One window of one side: `in_target` picks the document, then `size` segments from `start`."""

    in_target: bool
    start: int
    size: int


def embed_windows(src: WindowSide, tgt: WindowSide, wanted: Sequence[WindowRef], embed: Embed) -> list[WindowRef]:
    """Embed the wanted windows not yet real, in one call, and store them; returns those embedded.

    One call with a large batch, in the order asked, so a caching `embed`
    sees each text once.
    """
    sides = (src, tgt)
    todo = list(dict.fromkeys(w for w in wanted if not sides[w.in_target].exact[w.size][w.start]))
    if not todo:
        return []
    vectors = as_unit(embed([sides[w.in_target].text(w.start, w.size) for w in todo]))
    for w, vector in zip(todo, vectors):
        sides[w.in_target].store(w.start, w.size, vector)
    return todo
