"""Clause coverage: the clauses of a link that the other side does not render (partial omissions and additions).

A dropped clause moves the cosine of a whole sentence by about 0.02, inside the
spread of faithful pairs, so each clause is judged on named signals (its cover
by the other side, the link's length ratio, the link without it) that a fitted
scorer combines into a probability; a clause finding that
is a whole sentence of a many-sentence link makes that sentence leave the link.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .members import LeftOut
from .params import ClassifyParams
from .scorer import Scorer
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


@dataclass(frozen=True)
class ClauseCandidate:
    """A clause of a link judged against the other side: its signals, and the scorer's probability that the
    other side does not render it (a source clause) or that it has no source (a translation clause).

    `span` None: a one-clause text far too short (long) for this document, flagged by its length alone.
    """

    unit: Unit
    side: str
    span: tuple[int, int] | None
    coverage: float  # best cosine with the other side's text or any of its clauses
    without: float | None  # the link's cosine without this clause, where it was measured
    signals: dict[str, float] = field(default_factory=dict)
    probability: float = 1.0

    def pushes(self, scorer: Scorer) -> dict[str, float]:
        """Each signal's push on the log-odds (positive: towards the finding), for the finding's evidence.
        All of them, as figures: a list of the ones above some bar could change on another machine."""
        return {name: round(value, 2) for name, value in scorer.contributions(self.signals).items()}

    def reasons(self, margin: float) -> list[str]:
        """What was measured, in words a reviewer can check against the evidence: the clause's best cover and
        its gap below the link, a side long for this document (a length z of 1 or more), and a rise of the
        link's cosine without the clause, claimed only beyond `margin` (machine noise)."""
        s = self.signals
        other = "translation" if self.side == "src" else "source"
        out = [f"the {other} covers it at best at {self.coverage:.3f}, {s['gap']:.3f} below the link"]
        if s["excess"] >= 1.0:
            out.append(f"the translation is {'short' if self.side == 'src' else 'long'} for this document")
        if self.without is not None and s["loo_gain"] > margin:
            out.append(f"the link scores {self.without:.3f} without it, against {self.without - s['loo_gain']:.3f}")
        return out


def clause_signals(side: str, sim: float, cover: float, excess: float, without: float | None, text_len: int,
                   span: tuple[int, int]) -> dict[str, float]:
    """The named signals of one clause of a link whose cosine is `sim`.

    - gap: how far the clause's cover by the other side falls below the link's cosine (nothing renders it);
    - excess: how much longer this side is than the document's length ratio predicts (robust z, capped);
    - loo_gain / loo_rise: the link's cosine without the clause, less its cosine (all / only a rise): a
      clause whose absence brings the two sides closer renders nothing; loo_measured: it was measured;
    - share: the clause's part of its side's characters;
    - side_src: a source clause (a partial omission) rather than a translation clause (a partial addition).
    (Its cover itself, whether it is the worst covered and a name the other side lacks were tried too and
    left out: bench/fit_scorer.py scored no better held out with them.)
    """
    gain = (without - sim) if without is not None else 0.0
    return {
        "gap": sim - cover,
        "excess": max(-6.0, min(6.0, excess)),
        "loo_gain": gain,
        "loo_rise": max(gain, 0.0),
        "loo_measured": float(without is not None),
        "share": (span[1] - span[0]) / max(1, text_len),
        "side_src": float(side == "src"),
    }


def clause_coverage(units: list[Unit], embed: Embed, params: ClassifyParams, length_z: dict[int, float],
                    scorer: Scorer) -> list[ClauseCandidate]:
    """Every clause of every linked side with two or more clauses, with its signals and probability.

    A dropped clause moves the cosine of a whole sentence by about 0.02, inside the spread of
    faithful pairs, so no one signal decides: each clause's cover by the other side, the link's
    length ratio and the link's cosine without the clause are combined by the fitted clause
    scorer (`scorer.py`). Leaving a clause out costs an embedding, so it is
    measured where it can matter: on a side at least a little long for this document
    (`clause_loo_max_z`) and for a clause covered well below its link (`clause_loo_gap`). A side
    far too short (long) that is one clause (`length_strong_z`) comes back with span None.
    """
    jobs: list[tuple[Unit, str, list[tuple[int, int]], bool]] = []
    texts: list[str] = []
    out: list[ClauseCandidate] = []
    for u in units:
        for side, text in (("src", u.src_text), ("tgt", u.tgt_text)):
            excess = _excess(length_z.get(id(u), 0.0), side)
            spans = [s for s in side_clauses(u, side, params.clause_min_words) if not _is_attribution(text[s[0]:s[1]])]
            if len(spans) >= 2:
                every = excess >= -params.clause_loo_max_z
                jobs.append((u, side, spans, every))
                texts.extend(text[a:b] for a, b in spans)
                if every:
                    texts.extend(_without_span(text, s) for s in spans)
            elif excess >= params.length_strong_z:
                out.append(ClauseCandidate(u, side, None, float(u.a.similarity), None))  # type: ignore[arg-type]
        texts.extend(c for c in (u.src_text, u.tgt_text))
    if not jobs:
        return out
    vectors = dict(zip(texts, embed(texts)))
    judged: list[tuple[Unit, str, list[tuple[int, int]], list[float], dict[int, str]]] = []
    for u, side, spans, every in jobs:
        other_text = u.tgt_text if side == "src" else u.src_text
        other_clauses = [other_text[a:b] for a, b in side_clauses(u, "tgt" if side == "src" else "src",
                                                                     params.clause_min_words)]
        other_m = np.stack([vectors[other_text]] + [vectors[c] for c in other_clauses if c in vectors])
        text = u.src_text if side == "src" else u.tgt_text
        sim = float(u.a.similarity)  # type: ignore[arg-type]
        covs = [float(np.max(other_m @ vectors[text[a:b]])) for a, b in spans]
        rests = {k: _without_span(text, s) for k, s in enumerate(spans)
                 if every or sim - covs[k] >= params.clause_loo_gap}
        judged.append((u, side, spans, covs, rests))
    unseen = [t for t in dict.fromkeys(r for *_, rests in judged for r in rests.values()) if t not in vectors]
    if unseen:
        vectors.update(zip(unseen, embed(unseen)))
    for u, side, spans, covs, rests in judged:
        other_text = u.tgt_text if side == "src" else u.src_text
        text = u.src_text if side == "src" else u.tgt_text
        sim = float(u.a.similarity)  # type: ignore[arg-type]
        excess = _excess(length_z.get(id(u), 0.0), side)
        for k, span in enumerate(spans):
            without = float(vectors[rests[k]] @ vectors[other_text]) if k in rests else None
            signals = clause_signals(side, sim, covs[k], excess, without, len(text), span)
            out.append(ClauseCandidate(u, side, span, covs[k], without, signals, scorer.probability(signals)))
    return out


def _excess(z: float, side: str) -> float:
    """How much longer than this document's ratio predicts one side of a unit is, from the unit's length
    z-score (log translation/source chars): positive when `side` holds content the other may lack."""
    return -z if side == "src" else z


def whole_sentences_out(
    clause_findings: list[ClauseCandidate], embed: Embed,
    params: ClassifyParams, idle: dict[tuple[str, int], LeftOut], lacking: dict[tuple[str, int], list[str]],
) -> tuple[list[ClauseCandidate], dict[int, Unit]]:
    """Clause findings that are a whole sentence of a many-sentence link: that sentence leaves the link.

    "Partially rendered" means part of a sentence is missing; when the missing
    part is all of one sentence glued onto its neighbours' link, the sentence
    is omitted (or added), and its evidence joins `idle`. Returns the clause
    findings left and, by the id of each link that lost sentences, the link
    without them, its cosine measured again.
    """
    leaving: dict[int, dict[tuple[str, int], float]] = {}  # unit id -> (side, segment) -> its coverage
    units: dict[int, Unit] = {}
    sole = [_sole_clause_of(c.unit, c.side, c.span, params, lacking) for c in clause_findings]
    for c, member in zip(clause_findings, sole):
        if member is not None:
            leaving.setdefault(id(c.unit), {})[(c.side, member)] = c.coverage
            units[id(c.unit)] = c.unit
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
    return [f for f, member in zip(clause_findings, sole) if member is None or id(f.unit) not in reduced], reduced


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
