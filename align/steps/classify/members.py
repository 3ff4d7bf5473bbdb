"""Idle members: sentences the aligner glued onto a neighbour's link that render nothing there.

The aligner may join a sentence with no counterpart to the link next to it (it
shares the topic, and a null costs more than a weak member). Each member of a
many-sentence link is weighed here: the link's cosine without it, its best
cover on the other side, the names and numbers it holds that the other side
lacks, the lengths, the translation where it would sit, and a sentence outside
the link that resembles it more. A member that renders nothing leaves the
link, unless the next link over renders it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

import numpy as np

from ..checks import Mismatch, extract_numbers
from .params import ClassifyParams
from .units import Embed, Unit, joined_text, unit_parts, unit_rows


def lacking_spans(u: Unit, mismatches: list[Mismatch], checks: tuple[str, ...] = ("name", "number")
                   ) -> dict[str, list[tuple[int, int]]]:
    """Spans (in the unit's texts) of names (and numbers) that have no counterpart on the other side."""
    out: dict[str, list[tuple[int, int]]] = {}
    for m in mismatches:
        if m.check not in checks:
            continue
        if m.src_values and not m.tgt_values:
            out.setdefault("src", []).extend(m.src_spans)
        elif m.tgt_values and not m.src_values:
            out.setdefault("tgt", []).extend(m.tgt_spans)
    return out


def uncounted_members(u: Unit, src_lang: str, tgt_lang: str) -> list[tuple[int, str]]:
    """Source members of a many-sentence link with a small count in words ("zwei Tage") the other side lacks.

    The number check never reports such a count alone (translators render them
    loosely), but one no value on the other side matches is evidence that the
    member went untranslated. Not "one": it is also the article ("ein", "un").
    Source side only: on the translation side it raised the additions found in
    undamaged text (bench/divergence.py, random seed 13: 2.8 -> 3.4 per 100 units).
    """
    if len(u.a.src) < 2:
        return []
    other = {q.value for q in extract_numbers(u.tgt_text, tgt_lang)}
    out = []
    for seg in u.src_segs:
        counts = [q for q in extract_numbers(seg.text, src_lang) if q.weak and q.kind == "count" and q.value >= 2]
        if counts and not {q.value for q in counts} & other:
            out.extend((seg.index, q.text) for q in counts)
    return out


def vouched_members(u: Unit, src_lang: str, tgt_lang: str) -> list[tuple[str, int]]:
    """Members of a many-sentence side of a link holding a number in digits or words that the link's other
    side writes and no other member of its side does: numbers are copied, not paraphrased, so that member is
    rendered in the link ("He was 95." / "Er wurde 95 Jahre alt.") however loosely its words are."""
    out: list[tuple[str, int]] = []
    for side, segs, other_text, lang, other_lang in (("src", u.src_segs, u.tgt_text, src_lang, tgt_lang),
                                                     ("tgt", u.tgt_segs, u.src_text, tgt_lang, src_lang)):
        if len(segs) < 2 or not other_text:
            continue
        other = {q.normalised() for q in extract_numbers(other_text, other_lang) if not q.weak}
        own = [{q.normalised() for q in extract_numbers(seg.text, lang) if not q.weak} for seg in segs]
        for k, seg in enumerate(segs):
            elsewhere = set().union(*(v for j, v in enumerate(own) if j != k))
            if own[k] & other - elsewhere:
                out.append((side, seg.index))
    return out


def _never_idle_from(params: ClassifyParams) -> float:
    """The cover from which no rule below calls a member idle: the highest cover bar among them."""
    return max(params.member_cover_floor, params.member_covered, params.member_strong_covered,
               params.member_elsewhere_covered, params.member_positioned_covered)


def without_idle_members(units: list[Unit], embed: Embed, params: ClassifyParams, floor: float,
                          lacking: dict[tuple[str, int], list[str]], length_z: Callable[[int, int], float],
                          record: list["MemberSignals"] | None = None,
                          vouched: frozenset[tuple[str, int]] = frozenset(),
                          ) -> tuple[list[Unit], dict[tuple[str, int], LeftOut]]:
    """Each unit without the members that render nothing, and the evidence against each one dropped.

    Greedy: in each round every unit drops the member whose removal raises its
    cosine most, if that clears the bar; the reduced units go round again.
    Members dropped from both sides of one link that render each other (a 2-2
    that is really two 1-1s) come back as a unit of their own. `record`, if
    given, receives every member weighed (covered below `_never_idle_from`), with its signals
    (bench/member_scorer.py fits a scorer on them to compare with these rules). `vouched` members
    (`vouched_members`) are never idle by where they sit alone.
    """
    dropped: dict[tuple[str, int], LeftOut] = {}
    removed: dict[int, tuple[list[int], list[int]]] = {}  # unit -> members dropped from each side
    uncovered: set[tuple[str, int]] = set()  # members dropped that nothing on the other side covers
    todo = list(range(len(units)))
    units = list(units)
    translation: np.ndarray | None = None  # every translation segment, for `find_closer_elsewhere`
    while todo:
        candidates: list[tuple[int, str, int, tuple[int, ...], tuple[int, ...]]] = []
        for k in todo:
            a = units[k].a
            if not a.src or not a.tgt or len(a.src) + len(a.tgt) < 3:
                continue
            for side, own in (("src", a.src), ("tgt", a.tgt)):
                if len(own) < 2:
                    continue
                segs = units[k].all_src if side == "src" else units[k].all_tgt
                for m in own:
                    if len(segs[m].text) < params.member_min_chars and (side, m) not in lacking:
                        continue
                    rest = tuple(x for x in own if x != m)
                    candidates.append((k, side, m, rest if side == "src" else a.src, a.tgt if side == "src" else rest))
        if not candidates:
            break
        # First each member's cover by the other side; then the link without it, only for a member covered
        # below `_never_idle_from`: no rule calls one covered better idle, so it is neither weighed nor recorded.
        parts = {(k, side): unit_parts(units[k], "tgt" if side == "src" else "src", params.clause_min_words)
                 for k, side, _, _, _ in candidates}
        texts = [own.text for k, side, m, _, _ in candidates
                 for own in [(units[k].all_src if side == "src" else units[k].all_tgt)[m]]]
        texts += [t for p in parts.values() for t in p]
        texts = list(dict.fromkeys(texts))
        vectors = dict(zip(texts, unit_rows(embed(texts))))
        covers = [max(float(vectors[(units[k].all_src if side == "src" else units[k].all_tgt)[m].text] @ vectors[t])
                          for t in parts[(k, side)]) for k, side, m, _, _ in candidates]
        idle_below = _never_idle_from(params)
        weighed = [(c, cover) for c, cover in zip(candidates, covers) if cover < idle_below]
        candidates, covers = [c for c, _ in weighed], [cover for _, cover in weighed]
        texts = [t for k, _, _, s_idx, t_idx in candidates
                 for t in (joined_text(units[k].all_src, s_idx), joined_text(units[k].all_tgt, t_idx))]
        texts = [t for t in dict.fromkeys(texts) if t not in vectors]
        vectors.update(zip(texts, unit_rows(embed(texts))) if texts else [])
        pieces = {c: positioned_piece(units[c[0]], "src", c[2]) for c, cover in zip(candidates, covers)
                  if c[1] == "src" and cover < params.member_positioned_covered}
        vectors.update(zip(pieces.values(), unit_rows(embed(list(pieces.values())))) if pieces else [])
        best: dict[int, _Drop] = {}  # unit -> the member it drops this round
        for (k, side, m, s_idx, t_idx), cover in zip(candidates, covers):
            before = float(units[k].a.similarity)  # type: ignore[arg-type]
            s_text, t_text = joined_text(units[k].all_src, s_idx), joined_text(units[k].all_tgt, t_idx)
            after = float(vectors[s_text] @ vectors[t_text])
            gain = after - before
            segs = units[k].all_src if side == "src" else units[k].all_tgt
            bar = (params.member_gain if len(segs[m].text) >= params.member_short_chars or cover < params.member_short_covered
                   else params.member_gain_short)
            closer = None
            nearest = None
            if side == "src":
                if translation is None:
                    translation = unit_rows(embed([t.text for t in units[k].all_tgt]))
                # The most similar translation segment near the link but outside it; evidence when it beats the cover.
                nearest = find_closer_elsewhere(vectors[segs[m].text], translation, units[k].a.tgt, cover,
                                                -2.0, params.member_elsewhere_window)
                if nearest is not None and nearest[1] - cover >= params.member_elsewhere_margin:
                    closer = nearest
            piece = pieces.get((k, side, m, s_idx, t_idx))
            positioned = float(vectors[piece] @ vectors[segs[m].text]) if piece is not None else None
            unplaced = positioned is not None and positioned < params.member_positioned_floor
            # Rank by gain; a member nothing covers outranks any gain.
            score = gain + (1.0 if cover < params.member_cover_floor else 0.0)
            # Lengths, signed so that positive means too much on the member's side.
            sign = -1.0 if side == "src" else 1.0
            z_with = sign * length_z(len(units[k].src_text), len(units[k].tgt_text))
            z_without = sign * length_z(len(s_text), len(t_text))
            too_long = (z_with >= params.member_length_z and abs(z_without) <= params.member_length_back
                        and gain >= 0)
            far_too_long = (z_with >= params.member_length_strong_z and z_without <= params.member_length_strong_back
                            and gain >= -params.member_gain)
            idle = ((cover < params.member_cover_floor and gain >= -params.member_gain)
                    or (cover < params.member_covered and (gain >= bar or (side, m) in lacking or too_long))
                    or (cover < params.member_strong_covered
                        and ((too_long and gain >= params.member_gain)
                             or (side == "tgt" and (side, m) in lacking and gain >= bar)
                             or (side == "src" and (far_too_long or gain >= params.member_strong_gain))))
                    or (closer is not None and cover < params.member_elsewhere_covered
                        and gain >= params.member_elsewhere_gain)
                    or (unplaced and (side, m) not in vouched))
            if record is not None:
                record.append(MemberSignals(side, m, {
                    "gain": gain, "gap": before - cover, "cover": cover,
                    "z_with": z_with, "z_without": abs(z_without),
                    "chars": float(np.log10(max(1, len(segs[m].text)))), "lacking": float((side, m) in lacking),
                    "elsewhere": (nearest[1] - cover) if nearest is not None else 0.0,
                    "positioned_gap": (cover - positioned) if positioned is not None else 0.0,
                    "positioned_measured": float(positioned is not None), "side_src": float(side == "src"),
                }, bool(idle)))
            if idle and (k not in best or score > best[k].score):
                lengths = (sign * z_with, sign * z_without) if too_long or (side == "src" and far_too_long) else None
                best[k] = _Drop(score, side, m, s_idx, t_idx, after, cover, LeftOut.of(
                    units[k], after, cover, lacking.get((side, m), []), closer, positioned if unplaced else None, lengths))
        for k, drop in best.items():
            removed.setdefault(k, ([], []))[drop.side == "tgt"].append(drop.member)
            dropped[(drop.side, drop.member)] = drop.why
            if drop.cover < params.member_pair_floor:
                uncovered.add((drop.side, drop.member))
            units[k] = units[k].relinked(drop.src, drop.tgt, drop.similarity)
        todo = sorted(best)
    # Dropped on both sides of one link: perhaps a link of their own. Not a member that nothing on
    # the other side covered (`member_pair_floor`): it renders none of them.
    for k, (s_out, t_out) in sorted(removed.items()):
        s_out, t_out = (tuple(sorted(x for x in out if (side, x) not in uncovered))
                        for side, out in (("src", s_out), ("tgt", t_out)))
        if not s_out or not t_out:
            continue
        u = units[k]
        v = unit_rows(embed([joined_text(u.all_src, s_out), joined_text(u.all_tgt, t_out)]))
        sim = float(v[0] @ v[1])
        if sim >= floor:
            for key in [("src", i) for i in s_out] + [("tgt", j) for j in t_out]:
                del dropped[key]
            units.append(u.relinked(s_out, t_out, sim))
    units, joined = reattached(units, list(dropped), removed, embed, params)
    for key in joined:
        del dropped[key]
    return units, dropped


@dataclass(frozen=True)
class MemberSignals:
    """One member of a many-segment link, weighed in one round: its signals and whether the rules call it idle.

    gain: the link's cosine without it, less its cosine; gap / cover: its best cover by the other side's
    sentences and pieces, below the link's cosine / itself; z_with, z_without: the link's length z, signed so
    that positive is too long on the member's side, with it and (absolute) without it; chars: log10 of its
    length; lacking: it holds a name or number the other side lacks; elsewhere: the best cover by a
    segment near the link but outside it, less its cover (source members); positioned_gap: its cover less
    the cover by the words where it would sit, when measured (positioned_measured).
    """

    side: str
    member: int
    signals: dict[str, float]
    idle: bool


class _Drop(NamedTuple):
    """The member a link drops in one round of `without_idle_members`, and the link without it."""

    score: float  # the rank among the link's idle members: its gain, plus 1 if nothing covers it
    side: str
    member: int
    src: tuple[int, ...]  # the link without it
    tgt: tuple[int, ...]
    similarity: float  # ... and that link's cosine
    cover: float
    why: LeftOut


def reattached(units: list[Unit], left_out: list[tuple[str, int]], removed: dict[int, tuple[list[int], list[int]]],
                embed: Embed, params: ClassifyParams) -> tuple[list[Unit], set[tuple[str, int]]]:
    """The units with each member left out of its link (`removed` says which) that the next link over
    renders joined to that link, and the members joined: the aligner put the boundary between two links one
    sentence off.

    A member left out of its link is an omission (addition) only if the link on
    either side of it does not render it either: that link's cosine with it is
    at least `member_neighbour_gain` above its cosine without (0.0: it does not
    fall), and its other side covers it at `member_neighbour_covered` with a
    sentence or a piece of one as short as `member_neighbour_min_words` (a
    sentence may render the last aside of its neighbour's source). Inserting a
    sentence shifts such boundaries (bench/divergence.py: the additions found
    on undamaged sentences).
    """
    segs = {"src": units[0].all_src, "tgt": units[0].all_tgt} if units else {}
    at = {(side, i): k for k, u in enumerate(units) for side, idx in (("src", u.a.src), ("tgt", u.a.tgt)) for i in idx}
    home = {(side, m): k for k, outs in removed.items() for side, out in zip(("src", "tgt"), outs) for m in out}
    tries = []  # (member, neighbour unit, the neighbour's source and translation with it, its other side's parts)
    for side, m in sorted(left_out):
        if len(segs[side][m].text) < params.member_min_chars:
            continue  # too short for a cosine to say where it belongs ("6. 1955 :")
        # The link before it and the link after it, not the one that left it out.
        for k in sorted({at[(side, n)] for n in (m - 1, m + 1) if (side, n) in at} - {home.get((side, m))}):
            a = units[k].a
            joined = (tuple(sorted(a.src + (m,))), a.tgt) if side == "src" else (a.src, tuple(sorted(a.tgt + (m,))))
            tries.append(((side, m), k, joined,
                          unit_parts(units[k], "tgt" if side == "src" else "src", params.member_neighbour_min_words)))
    if not tries:
        return units, set()
    texts = list(dict.fromkeys(t for (side, m), _, (s_idx, t_idx), parts in tries
                               for t in (joined_text(segs["src"], s_idx), joined_text(segs["tgt"], t_idx), segs[side][m].text, *parts)))
    vectors = dict(zip(texts, unit_rows(embed(texts))))
    best: dict[tuple[str, int], tuple[float, int, tuple[tuple[int, ...], tuple[int, ...]], float]] = {}
    for (side, m), k, (s_idx, t_idx), parts in tries:
        after = float(vectors[joined_text(segs["src"], s_idx)] @ vectors[joined_text(segs["tgt"], t_idx)])
        gain = after - float(units[k].a.similarity)  # type: ignore[arg-type]
        cover = max(float(vectors[segs[side][m].text] @ vectors[t]) for t in parts)
        if gain >= params.member_neighbour_gain and cover >= params.member_neighbour_covered \
                and ((side, m) not in best or gain > best[(side, m)][0]):
            best[(side, m)] = (gain, k, (s_idx, t_idx), after)
    units = list(units)
    taken: dict[int, tuple[str, int]] = {}  # link -> the member it took: one per pass
    for (side, m), (_, k, joined, after) in sorted(best.items()):
        if k not in taken:
            taken[k] = (side, m)
            units[k] = units[k].relinked(*joined, after)
    return units, set(taken.values())


@dataclass(frozen=True)
class LeftOut:
    """Why a sentence left the link the aligner put it in: the link's cosine with and without it, its
    best cover on the other side, and the names and numbers it holds that the rest of the link lacks."""

    link_similarity: float
    similarity_without_it: float
    best_coverage: float
    unmatched: tuple[str, ...] = ()
    # A segment of the other side outside the link that resembles it more than the link does, and its cosine.
    closer_elsewhere: tuple[int, float] | None = None
    # Its cosine with the words of the translation where it would sit, when that was too low (`positioned_piece`).
    positioned_coverage: float | None = None
    # The link's length z-score (log translation/source chars) with and without it, when the link is too
    # long on its side with it and agrees without.
    length_z: tuple[float, float] | None = None

    @classmethod
    def of(cls, u: Unit, after: float, coverage: float, unmatched: Sequence[str],
           closer_elsewhere: tuple[int, float] | None = None, positioned: float | None = None,
           length_z: tuple[float, float] | None = None) -> "LeftOut":
        return cls(round(float(u.a.similarity), 4), round(after, 4), round(coverage, 4),  # type: ignore[arg-type]
                   tuple(dict.fromkeys(unmatched)),
                   (closer_elsewhere[0], round(closer_elsewhere[1], 4)) if closer_elsewhere else None,
                   round(positioned, 4) if positioned is not None else None,
                   (round(length_z[0], 2), round(length_z[1], 2)) if length_z else None)

    def evidence(self) -> dict[str, object]:
        out: dict[str, object] = {"link_similarity": self.link_similarity,
                                  "similarity_without_it": self.similarity_without_it,
                                  "best_coverage": self.best_coverage}
        if self.unmatched:
            out["unmatched"] = list(self.unmatched)
        if self.closer_elsewhere:
            out["closer_elsewhere"] = {"translation_segment": self.closer_elsewhere[0],
                                      "similarity": self.closer_elsewhere[1]}
        if self.positioned_coverage is not None:
            out["positioned_coverage"] = self.positioned_coverage
        if self.length_z:
            out["length_z"] = {"with_it": self.length_z[0], "without_it": self.length_z[1]}
        return out


def positioned_piece(u: Unit, side: str, m: int) -> str:
    """The words of the link's other side where member `m` of `side` would sit if the link were rendered
    in order, each sentence taking its share of the words by length."""
    own, other = (u.src_text, u.tgt_text) if side == "src" else (u.tgt_text, u.src_text)
    total = len(own) + 1
    seg, offset = next((seg, off) for seg, off in u.starts(side) if seg.index == m)
    f0, f1 = offset / total, (offset + len(seg.text) + 1) / total
    words = other.split()
    a = int(f0 * len(words))
    return " ".join(words[a : max(int(round(f1 * len(words))), a + 1)])


def find_closer_elsewhere(member: np.ndarray, other_side: np.ndarray, inside: Sequence[int], cover: float,
                      margin: float, window: int) -> tuple[int, float] | None:
    """The segment of the other side, outside the member's link but within `window` segments of it, that
    resembles the member more than anything in the link does by `margin`, with its cosine; None if none does.

    A sentence the link renders resembles its rendering more than anything else;
    a generic one ("Welche Enttäuschung !") resembles much of the other side about
    as well as the link it was glued onto, and often something else better.
    """
    lo, hi = max(0, min(inside) - window), min(len(other_side), max(inside) + window + 1)
    sims = other_side[lo:hi] @ member
    sims[[j - lo for j in inside]] = -1.0
    j = int(np.argmax(sims))
    return (lo + j, float(sims[j])) if sims[j] - cover >= margin else None
