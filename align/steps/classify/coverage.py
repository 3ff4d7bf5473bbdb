"""Clause coverage: the clauses of a link that the other side does not render (partial omissions and additions).

A dropped clause moves the cosine of a whole sentence by about 0.02, inside the
spread of faithful pairs, so each clause is judged on its own (its cover by the
other side, the link's length ratio, the link without it), and a clause that
is a whole sentence of a many-sentence link makes that sentence leave the link.
"""
from __future__ import annotations

import re

import numpy as np

from .members import LeftOut
from .params import ClassifyParams
from .units import Embed, Unit, clauses, joined_text, side_clauses, unit_rows

_ATTRIBUTION = re.compile(
    r"^(?:(?:he|she|they|it|the president|president \w+)\s+)?(?:said|stated|stressed|noted|emphasized|emphasised|"
    r"added|underlined|underscored|recalled|reminded|asserted|concluded)\b|"
    r"^(?:according to)\b|"
    r"^(?:сказал|заявил|подчеркнул|отметил|напомнил|сообщил|добавил|указал|констатировал|резюмировал|"
    r"пояснил|считает|по (?:его|ее|её|их) (?:мнению|словам))",
    re.IGNORECASE,
)


def _is_attribution(clause: str) -> bool:
    return bool(_ATTRIBUTION.match(clause.strip(" –—-,.")))


def clause_coverage(units: list[Unit], embed: Embed, params: ClassifyParams, length_z: dict[int, float],
                     suspects: dict[tuple[int, str], list[tuple[int, int]]]
                     ) -> list[tuple[Unit, str, tuple[int, int] | None, float, float | None]]:
    """Clauses of linked units that the other side does not render.

    Each comes as (unit, side, span in the unit's text, coverage, cosine of the
    unit without that clause where that was the evidence).

    A clause is missing when its best cosine with the other side (the whole
    text or any clause of it) is low outright and the link does not need it
    (its cosine does not fall without it), or when the unit is unusually
    short on the other side for this document and it is the worst-covered
    clause by a margin: clause cosines alone barely separate a dropped clause
    from a paraphrased one (bench/divergence.py), the length ratio does; or
    when it holds a name or number the other side lacks and is covered less
    well than the unit as a whole. A unit very short on the other side
    (`length_strong_z`) names its worst-covered clause whatever the margin, or,
    when the text is a single clause, comes back with span None: content went
    missing, but nothing says which. And on a source side at least a little
    short (`clause_loo_max_z`), each clause is left out in turn: one whose
    absence brings the source closer to the translation, by more than the
    lengths excuse, was not rendered. This is the clause's effect in context,
    which separates a dropped clause from a paraphrased one better than its own
    coverage (bench/divergence.py: partial-omission recall 0.42 -> 0.71). The
    same on a translation side at least a little long, with a higher bar
    (`clause_loo_added_score`): a clause whose absence brings the translation
    closer to the source has no source.
    """
    jobs: list[tuple[Unit, str, list[tuple[int, int]], list[str]]] = []  # ... and the text less each clause
    texts: list[str] = []
    out: list[tuple[Unit, str, tuple[int, int] | None, float, float | None]] = []
    for u in units:
        for side, text in (("src", u.src_text), ("tgt", u.tgt_text)):
            excess = _excess(length_z.get(id(u), 0.0), side)
            spans = [s for s in side_clauses(u, side, params.clause_min_words) if not _is_attribution(text[s[0]:s[1]])]
            if len(spans) >= 2:
                rests = [_without_span(text, s) for s in spans] if excess >= -params.clause_loo_max_z else []
                jobs.append((u, side, spans, rests))
                texts.extend(text[a:b] for a, b in spans)
                texts.extend(rests)
            elif excess >= params.length_strong_z:
                out.append((u, side, None, float(u.a.similarity), None))  # type: ignore[arg-type]
        texts.extend(c for c in (u.src_text, u.tgt_text))
    if not jobs:
        return out
    vectors = dict(zip(texts, embed(texts)))
    for u, side, spans, rests in jobs:
        other_text = u.tgt_text if side == "src" else u.src_text
        other_clauses = [other_text[a:b] for a, b in side_clauses(u, "tgt" if side == "src" else "src",
                                                                     params.clause_min_words)]
        other = [vectors[other_text]] + [vectors[c] for c in other_clauses if c in vectors]
        other_m = np.stack(other)
        text = u.src_text if side == "src" else u.tgt_text
        sim = float(u.a.similarity)  # type: ignore[arg-type]
        covs = [float(np.max(other_m @ vectors[text[a:b]])) for a, b in spans]
        on_cover = {k for k, cov in enumerate(covs) if cov < params.clause_floor and sim - cov >= params.clause_gap}
        flagged: set[int] = set()
        excess = _excess(length_z.get(id(u), 0.0), side)
        worst = int(np.argmin(covs))
        if excess >= params.length_z and sim - covs[worst] >= params.length_clause_gap:
            flagged.add(worst)
        if excess >= params.length_strong_z:
            flagged.add(worst)
        without: dict[int, float] = {}
        if rests:
            # Leave each clause out in turn: the one whose absence the translation prefers most.
            sims = [float(vectors[rest] @ vectors[other_text]) for rest in rests]
            k = int(np.argmax(sims))
            # The lengths lower the bar, but only for a clause whose absence really helps.
            bar = params.clause_loo_score if side == "src" else params.clause_loo_added_score
            if sims[k] > sim and sims[k] - sim + params.clause_loo_length_weight * excess >= bar:
                flagged.add(k)
                without[k] = sims[k]
        for a, b in suspects.get((id(u), side), []):
            flagged.update(k for k, (c0, c1) in enumerate(spans)
                           if c0 < b and a < c1 and sim - covs[k] >= params.value_clause_gap)
        # A clause flagged on its cover alone that the link still needs (without it the link's cosine
        # falls) renders something its cover missed: a short phrase scores low against long sentences.
        rest_of = {k: _without_span(text, spans[k]) for k in sorted(on_cover - flagged)}
        unseen = [t for t in dict.fromkeys(rest_of.values()) if t not in vectors]
        if unseen:
            vectors.update(zip(unseen, embed(unseen)))
        flagged |= {k for k, rest in rest_of.items()
                    if sim - float(vectors[rest] @ vectors[other_text]) <= params.clause_needed_fall}
        out.extend((u, side, spans[k], covs[k], without.get(k)) for k in sorted(flagged))
    return out


def _excess(z: float, side: str) -> float:
    """How much longer than this document's ratio predicts one side of a unit is, from the unit's length
    z-score (log translation/source chars): positive when `side` holds content the other may lack."""
    return -z if side == "src" else z


def whole_sentences_out(
    clause_findings: list[tuple[Unit, str, tuple[int, int] | None, float, float | None]], embed: Embed,
    params: ClassifyParams, idle: dict[tuple[str, int], LeftOut], lacking: dict[tuple[str, int], list[str]],
) -> tuple[list[tuple[Unit, str, tuple[int, int] | None, float, float | None]], dict[int, Unit]]:
    """Clause findings that are a whole sentence of a many-sentence link: that sentence leaves the link.

    "Partially rendered" means part of a sentence is missing; when the missing
    part is all of one sentence glued onto its neighbours' link, the sentence
    is omitted (or added), and its evidence joins `idle`. Returns the clause
    findings left and, by the id of each link that lost sentences, the link
    without them, its cosine measured again.
    """
    leaving: dict[int, dict[tuple[str, int], float]] = {}  # unit id -> (side, segment) -> its coverage
    units: dict[int, Unit] = {}
    sole = [_sole_clause_of(u, side, span, params, lacking) for u, side, span, _, _ in clause_findings]
    for (u, side, _, coverage, _), member in zip(clause_findings, sole):
        if member is not None:
            leaving.setdefault(id(u), {})[(side, member)] = coverage
            units[id(u)] = u
    plans = []
    for key, members in leaving.items():
        u = units[key]
        s_idx = tuple(i for i in u.a.src if ("src", i) not in members)
        t_idx = tuple(j for j in u.a.tgt if ("tgt", j) not in members)
        if s_idx and t_idx:  # else nothing would be left on one side: the clause findings stand
            plans.append((key, u, s_idx, t_idx))
    if not plans:
        return clause_findings, {}
    texts = list(dict.fromkeys(t for _, u, s_idx, t_idx in plans
                               for t in (joined_text(u.all_src, s_idx), joined_text(u.all_tgt, t_idx))))
    vectors = dict(zip(texts, unit_rows(embed(texts))))
    reduced: dict[int, Unit] = {}
    for key, u, s_idx, t_idx in plans:
        after = float(vectors[joined_text(u.all_src, s_idx)] @ vectors[joined_text(u.all_tgt, t_idx)])
        for member, coverage in leaving[key].items():
            idle[member] = LeftOut.of(u, after, coverage, lacking.get(member, []))
        reduced[key] = u.relinked(s_idx, t_idx, after)
    return [f for f, member in zip(clause_findings, sole) if member is None or id(f[0]) not in reduced], reduced


def _sole_clause_of(u: Unit, side: str, span: tuple[int, int] | None, params: ClassifyParams,
                    lacking: dict[tuple[str, int], list[str]]) -> int | None:
    """The segment of a many-segment side of a link whose only clause is `span`, if it is long enough to judge.

    A segment under `member_min_chars` is judged only if it holds a number or name the other side lacks.
    """
    starts = u.starts(side)
    if span is None or len(starts) < 2:
        return None
    min_words = 0 if side == "src" else params.added_sentence_min_words
    for seg, offset in starts:
        if offset <= span[0] and span[1] <= offset + len(seg.text):
            pieces = clauses(seg.text, params.clause_min_words)
            whole = len(pieces) == 1 and (offset + pieces[0][0], offset + pieces[0][1]) == span
            long_enough = ((len(seg.text) >= params.member_min_chars or (side, seg.index) in lacking)
                           and len(seg.text.split()) >= min_words)
            return seg.index if whole and long_enough else None
    return None


def _without_span(text: str, span: tuple[int, int]) -> str:
    return " ".join((text[: span[0]] + " " + text[span[1] :]).split())
