"""Every knob of the aligner, in one frozen dataclass shared by its steps."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AlignParams:
    """Every knob of the aligner. Defaults were tuned on the Text+Berg de-fr dev set."""

    # Link shapes.
    max_src: int = 5  # most source segments in one monotonic link
    max_tgt: int = 5  # most target segments in one monotonic link
    max_total: int = 7  # most segments, source plus target, in one link (a search limit: larger is never found)
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
