"""Decide what each segment is and what a reviewer must look at.

Input: the aligned pair (segments, alignments, boilerplate). Output: a status
for every segment, a list of `Finding` findings with their evidence, and a
verdict for the pair with coverage figures.

Signals, each cheap and each explained in the finding it raises:
- null links: an unaligned source segment is an omission, an unaligned
  translation segment an addition (unless it is boilerplate);
- idle members: the aligner may glue a sentence with no counterpart onto a
  neighbour's link (it shares the topic, and a null costs more than a weak
  member). A member whose removal raises the link's cosine renders nothing:
  it is an omission (or addition) inside the link; so is one without which
  the link's length ratio, far off this document's norm, comes back to it,
  and one holding a name or number (in the source, also a count in words)
  that the other side lacks, which lets even a heading too short for its
  cosine to count ("1. 1950 :") be judged; so is a source member that a
  translation sentence outside the link resembles more than the link does
  (a generic sentence resembles much of the other side about as well);
- a link whose similarity is too low to be a rendering at all (below the
  floor of this document's distribution and of unrelated sentences) counts as
  an omission plus an addition;
- similarity drift: the link's cosine is an outlier low for *this* document
  (robust z-score against the median and MAD of its own links), calibrated per
  document rather than by one magic threshold;
- clause coverage: each clause of a linked unit is embedded and judged on
  named signals (its cover by the other side, the unit's length ratio for this
  document, the unit's cosine without it), which a fitted scorer (`scorer.py`, fitted by bench/fit_scorer.py on
  several corpora) turns into the probability that it is a partial omission
  (source) or partial addition (translation); a unit far shorter (longer) than
  this document's length ratio predicts that is one clause is one too, without
  a span. Clauses never run from one sentence into the next, and a clause
  finding that is a whole sentence of a many-sentence link makes that sentence
  an omission (addition);
- text checks (`align.steps.checks`): numbers and dates, names, quotes, negation,
  modality. A name the name check finds missing (no counterpart by spelling,
  sound or table) is judged once more by meaning (`meaning.py`): its best
  cosine with any word of the other side, each embedded alone by the word
  encoder, goes through the fitted name scorer; a name rendered in other words
  ("Picture" / «Bild») is then information, not a finding to review.

This module runs the steps in order and turns their results into findings;
the idle-member rules live in `members.py`, the clause signals in `coverage.py`,
names by meaning in `meaning.py`, the scorers in `scorer.py`, the link they all
work on in `units.py` and the settings in `params.py`.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from functools import partial
from statistics import median
from typing import Callable, Sequence

from ...model import Alignment, Finding, Segment, Severity, Verdict
from ..checks import Check, Mismatch, all_checks, quote_spans
from .coverage import ClauseCandidate, clause_coverage, whole_sentences_out
from .meaning import NameCover, name_cover
from .members import (
    LeftOut,
    MemberSignals,
    lacking_spans,
    reattached,
    uncounted_members,
    vouched_members,
    without_idle_members,
)
from .params import ClassifyParams
from .scorer import Scorer, load_scorers
from .units import Embed, Unit, clauses, file_span, log_ratio, span_highlights

__all__ = ["Classification", "ClassifyParams", "Finding", "Verdict", "classify", "clauses", "finding_id"]

# Source statuses and translation statuses.
RENDERED, OMITTED, PARTIAL, BOILERPLATE = "rendered", "omitted", "partial", "boilerplate"
ADDED, PARTIALLY_ADDED = "added", "partially-added"
MAJOR, MINOR, INFO = "major", "minor", "info"


@dataclass(frozen=True)
class Classification:
    source_status: list[str]
    translation_status: list[str]
    findings: list[Finding]
    verdict: Verdict
    calibration: dict[str, float]
    clause_candidates: tuple[ClauseCandidate, ...] = ()  # every clause judged, flagged or not (bench/fit_scorer.py)
    member_signals: tuple[MemberSignals, ...] = ()  # every member of a link weighed, in every round


def finding_id(kind: str, check: str | None, src_texts: Sequence[str], tgt_texts: Sequence[str], values: Sequence[str] = ()) -> str:
    """Stable across runs and machines: a hash of the kind and the normalised texts involved."""
    norm = lambda ts: "\x1e".join(" ".join(t.lower().split()) for t in ts)  # noqa: E731
    key = "\x1f".join([kind, check or "", norm(src_texts), norm(tgt_texts), "\x1e".join(values)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _robust(values: list[float], min_scale: float) -> tuple[float, float]:
    if not values:
        return 0.0, min_scale
    center = median(values)
    mad = median(abs(v - center) for v in values)
    return center, max(1.4826 * mad, min_scale)


def classify(
    src: list[Segment],
    tgt: list[Segment],
    alignments: list[Alignment],
    *,
    src_file: str,
    tgt_file: str,
    src_lang: str,
    tgt_lang: str,
    src_boilerplate: dict[int, str],
    tgt_boilerplate: dict[int, str],
    embed: Embed,
    embed_words: Embed | None = None,
    params: ClassifyParams = ClassifyParams(),
    checks: list[Check] | None = None,
) -> Classification:
    """Statuses, findings and verdict for one aligned pair. `embed_words`: the word encoder, which judges
    names the name check could not match (`meaning.py`); None leaves them as the check grades them."""
    checks = all_checks() if checks is None else checks
    units = [Unit(a, src, tgt, src_file, tgt_file) for a in alignments]
    linked = [u for u in units if u.a.src and u.a.tgt and u.a.similarity is not None]
    center, scale = _robust([float(u.a.similarity) for u in linked], params.min_scale)  # type: ignore[arg-type]
    floor = max(params.floor, center + params.floor_z * scale) if linked else params.floor
    # In a pair that is no translation at all the median itself is low: the absolute floor decides.

    src_status = [OMITTED] * len(src)
    tgt_status = [ADDED] * len(tgt)

    # A link of site furniture with site furniture ("Akorda.kz" with "Tags: CSTO, ...") renders nothing:
    # its segments stay boilerplate, however close the two happen to score.
    furniture = {id(u) for u in units if u.a.src and u.a.tgt and all(i in src_boilerplate for i in u.a.src)
                 and all(j in tgt_boilerplate for j in u.a.tgt)}
    rendered_units = [u for u in units if u.a.src and u.a.tgt and u.a.similarity is not None
                      and u.a.similarity >= floor and id(u) not in furniture]
    checked: dict[tuple[str, str], list[Mismatch]] = {}  # the checks run before and after idle members go

    def run_checks(u: Unit) -> list[Mismatch]:
        key = (u.src_checked, u.tgt_checked)
        if key not in checked:
            checked[key] = _run_checks(checks, u.src_checked, u.tgt_checked, src_lang, tgt_lang)
        return checked[key]

    lacking = _lacking_by_member(rendered_units, run_checks, src_lang, tgt_lang)
    r0_center, r0_scale = _robust([log_ratio(len(u.src_text), len(u.tgt_text)) for u in rendered_units],
                                  params.length_min_scale)
    member_record: list[MemberSignals] = []
    vouched = frozenset(m for u in rendered_units for m in vouched_members(u, src_lang, tgt_lang))
    rendered_units, idle = without_idle_members(
        rendered_units, embed, params, floor, lacking,
        lambda s_len, t_len: (log_ratio(s_len, t_len) - r0_center) / r0_scale, member_record, vouched)
    # Sentences the aligner linked to nothing join the link next to them when it renders them, as members
    # left out of a link do: a deleted sentence shifts the aligner's boundaries too (bench/divergence.py).
    strays = [(side, i) for a in alignments if not (a.src and a.tgt)
              for side, idx, bp in (("src", a.src, src_boilerplate), ("tgt", a.tgt, tgt_boilerplate))
              for i in idx if i not in bp]
    if strays and rendered_units:
        rendered_units, _ = reattached(rendered_units, strays, {}, embed, params)
    ratios = [log_ratio(len(u.src_text), len(u.tgt_text)) for u in rendered_units]
    r_center, r_scale = _robust(ratios, params.length_min_scale)
    length_z = {id(u): (r - r_center) / r_scale for u, r in zip(rendered_units, ratios)}
    scorers = load_scorers(params.scorers)
    candidates = clause_coverage(rendered_units, embed, params, length_z, scorers["clause"])
    clause_findings = [c for c in candidates if c.probability >= params.partial_flag]
    clause_findings, reduced = whole_sentences_out(clause_findings, embed, params, idle, lacking)
    rendered_units = [reduced.get(id(u), u) for u in rendered_units]
    mismatches = {id(u): run_checks(u) for u in rendered_units}
    for u in rendered_units:
        for i in u.a.src:
            src_status[i] = RENDERED
        for j in u.a.tgt:
            tgt_status[j] = RENDERED

    for i in src_boilerplate:
        if src_status[i] != RENDERED:
            src_status[i] = BOILERPLATE
    for j in tgt_boilerplate:
        if tgt_status[j] != RENDERED:
            tgt_status[j] = BOILERPLATE

    findings = (_unrendered_findings(units, src, tgt, src_status, tgt_status, idle, params.member_cover_floor,
                                     params.explain_margin)
                + _boilerplate_findings(src, tgt, src_status, tgt_status, src_boilerplate, tgt_boilerplate))
    # Partial renderings and drift within rendered units.
    partial_findings, partial_src, partial_tgt = _partial_findings(clause_findings, reduced, length_z, r_center,
                                                                   scorers["clause"], params.partial_major,
                                                                   params.explain_margin)
    findings += partial_findings
    by_meaning = (partial(_name_by_meaning, embed_words=embed_words, scorer=scorers["name"], src_lang=src_lang,
                          tgt_lang=tgt_lang) if embed_words is not None and "name" in scorers.by_kind else None)
    findings += _drift_findings(rendered_units, mismatches, center, scale, params, checks, src_lang, tgt_lang,
                                by_meaning)

    verdict = _verdict(src, tgt, src_status, tgt_status, partial_src, partial_tgt, params)
    for i in partial_src:
        if src_status[i] == RENDERED:
            src_status[i] = PARTIAL
    for j in partial_tgt:
        if tgt_status[j] == RENDERED:
            tgt_status[j] = PARTIALLY_ADDED
    for f in findings:
        if f.kind == "drift" and f.check in ("number", "name") and f.evidence.get("tgt_only"):
            for j in f.tgt:
                if tgt_status[j] == RENDERED:
                    tgt_status[j] = PARTIALLY_ADDED
    findings = _unique_ids(sorted(findings, key=_finding_order))
    return Classification(
        source_status=src_status, translation_status=tgt_status, findings=findings, verdict=verdict,
        calibration={"median_similarity": round(center, 4), "scale": round(scale, 4), "floor": round(floor, 4),
                     "linked": len(linked)},
        clause_candidates=tuple(candidates),
        member_signals=tuple(member_record),
    )


def _lacking_by_member(units: list[Unit], run_checks: Callable[[Unit], list[Mismatch]], src_lang: str,
                       tgt_lang: str) -> dict[tuple[str, int], list[str]]:
    """Each member of a link -> the names and numbers it holds that the other side lacks (in the source,
    also a count in words): evidence that it went unrendered, for the member rules."""
    lacking: dict[tuple[str, int], list[str]] = {}
    for u in units:
        for side, spans in lacking_spans(u, run_checks(u)).items():
            text = u.src_text if side == "src" else u.tgt_text
            for span in spans:
                for _, seg, _, _ in span_highlights(u, side, span):
                    lacking.setdefault((side, seg), []).append(text[span[0]:span[1]])
        for i, count in uncounted_members(u, src_lang, tgt_lang):
            lacking.setdefault(("src", i), []).append(count)
    return lacking


def _unrendered_findings(units: list[Unit], src: list[Segment], tgt: list[Segment], src_status: list[str],
                         tgt_status: list[str], idle: dict[tuple[str, int], LeftOut], cover_floor: float,
                         margin: float) -> list[Finding]:
    """Omissions and additions: whole segments with no rendering, grouped into runs so a dropped
    paragraph is one finding, each saying why when the aligner had glued it onto a link (`idle`)."""
    findings: list[Finding] = []
    units_of: dict[str, dict[int, list[Unit]]] = {"src": {}, "tgt": {}}  # segment -> the links holding it
    for u in units:
        for i in u.a.src:
            units_of["src"].setdefault(i, []).append(u)
        for j in u.a.tgt:
            units_of["tgt"].setdefault(j, []).append(u)
    for side, status, segs, kind in (("src", src_status, src, "omission"), ("tgt", tgt_status, tgt, "addition")):
        lonely = OMITTED if side == "src" else ADDED
        for run in _runs([k for k, s in enumerate(status) if s == lonely]):
            texts = [segs[k].text for k in run]
            spans = tuple((segs[k].start, segs[k].end) for k in run)
            best = _best_partner_sim(units_of[side].get(run[0], []))
            detail = (f"{len(run)} source sentence{'s' if len(run) > 1 else ''} not rendered" if side == "src"
                      else f"{len(run)} translation sentence{'s' if len(run) > 1 else ''} with no source")
            inside = [idle[(side, k)] for k in run if (side, k) in idle]
            evidence: dict[str, object] = {"best_similarity": best} if best is not None else {}
            if inside:
                # Say what the evidence shows: several rules drop a member whose link scores no higher without it.
                # Only a clear rise is claimed: cosines closer than `margin` may swap on another machine.
                higher = all(e.similarity_without_it > e.link_similarity + margin for e in inside)
                they, them = ("they", "them") if len(run) > 1 else ("it", "it")
                unmatched = list(dict.fromkeys(v for e in inside for v in e.unmatched))
                shown = ", ".join(f"“{v}”" for v in unmatched[:4]) + (f" and {len(unmatched) - 4} more" if len(unmatched) > 4 else "")
                because = f"; {shown} {'has' if len(unmatched) == 1 else 'have'} no counterpart there" if unmatched else ""
                near = sorted({e.closer_elsewhere[0] for e in inside if e.closer_elsewhere})
                if near:
                    because += (f"; translation {', '.join(map(str, near))} "
                                f"{'resembles' if len(near) == 1 else 'resemble'} {them} more")
                uncovered = [e.best_coverage for e in inside if e.best_coverage < cover_floor]
                if uncovered:
                    because += (f"; the closest sentence or clause of the link's {'translation' if side == 'src' else 'source'}"
                                f" scores {max(uncovered):.3f}")
                if any(e.positioned_coverage is not None for e in inside):
                    because += f"; the translation says something else where {they} would sit"
                if any(e.length_z for e in inside):
                    because += f"; the link's lengths agree only without {them}"
                detail += (f" (aligned with a neighbour, but the link scores higher without {them}{because})" if higher
                           else f" (aligned with a neighbour's link, which does not render {them}{because})")
                evidence["inside_link"] = [e.evidence() for e in inside]
            findings.append(Finding(
                id=finding_id(kind, None, texts if side == "src" else [], texts if side == "tgt" else []),
                kind=kind, check=None, severity=MAJOR,
                src=run if side == "src" else (), tgt=run if side == "tgt" else (),
                src_spans=spans if side == "src" else (), tgt_spans=spans if side == "tgt" else (),
                detail=detail,
                evidence=evidence,
            ))
    return findings


def _boilerplate_findings(src: list[Segment], tgt: list[Segment], src_status: list[str], tgt_status: list[str],
                          src_boilerplate: dict[int, str], tgt_boilerplate: dict[int, str]) -> list[Finding]:
    """Boilerplate that nothing renders: listed, never counted as omitted or added."""
    findings: list[Finding] = []
    for side, reasons, segs in (("src", src_boilerplate, src), ("tgt", tgt_boilerplate, tgt)):
        status = src_status if side == "src" else tgt_status
        for k in sorted(reasons):
            if status[k] != BOILERPLATE:
                continue
            findings.append(Finding(
                id=finding_id("boilerplate", None, [segs[k].text] if side == "src" else [], [segs[k].text] if side == "tgt" else []),
                kind="boilerplate", check=None, severity=INFO,
                src=(k,) if side == "src" else (), tgt=(k,) if side == "tgt" else (),
                src_spans=((segs[k].start, segs[k].end),) if side == "src" else (),
                tgt_spans=((segs[k].start, segs[k].end),) if side == "tgt" else (),
                detail=reasons[k],
            ))
    return findings


def _partial_findings(clause_findings: list[ClauseCandidate], reduced: dict[int, Unit], length_z: dict[int, float],
                      r_center: float, scorer: Scorer, major_at: float, margin: float
                      ) -> tuple[list[Finding], dict[int, int], dict[int, int]]:
    """Partial omissions and additions from the clause findings, and the characters each segment lost
    (source) or gained (translation), for the coverage figures."""
    findings: list[Finding] = []
    partial_src: dict[int, int] = {}  # segment -> characters dropped
    partial_tgt: dict[int, int] = {}
    for c in clause_findings:
        u, side, span, coverage, without = c.unit, c.side, c.span, c.coverage, c.without
        rendering = reduced.get(id(u), u)  # the link as it stands once whole sentences have left it
        kind = "partial-omission" if side == "src" else "partial-addition"
        partial = partial_src if side == "src" else partial_tgt
        if span is None:
            # No clause to point at: the unit as a whole is too short (long) for this document.
            z = length_z[id(u)]
            text, other = (u.src_text, u.tgt_text) if side == "src" else (u.tgt_text, u.src_text)
            expected = len(other) * math.exp(-r_center if side == "src" else r_center)
            missing = max(0, min(len(text), round(len(text) - expected)))
            segs = u.src_segs if side == "src" else u.tgt_segs
            partial[segs[0].index] = partial.get(segs[0].index, 0) + missing
            findings.append(Finding(
                id=finding_id(kind, "length", [u.src_text], [u.tgt_text]),
                kind=kind, check=None, severity=MAJOR, src=rendering.a.src, tgt=rendering.a.tgt, src_spans=(), tgt_spans=(),
                detail=(f"the translation is much shorter than this document's ratio predicts (length z {z:.1f})"
                        if side == "src" else
                        f"the translation is much longer than this document's ratio predicts (length z {z:.1f})"),
                evidence={"length_z": round(z, 2), "estimated_characters": missing,
                          "unit_similarity": round(float(u.a.similarity), 4)},  # type: ignore[arg-type]
            ))
            continue
        mapping = u.src_map if side == "src" else u.tgt_map
        text = u.src_text if side == "src" else u.tgt_text
        fspan = file_span(mapping, span)
        segs = u.src_segs if side == "src" else u.tgt_segs
        seg = next((s for s in segs if s.start <= fspan[0] < s.end), segs[0])
        partial[seg.index] = partial.get(seg.index, 0) + span[1] - span[0]
        clause = text[span[0]:span[1]]
        findings.append(Finding(
            id=finding_id(kind, None, [u.src_text, clause] if side == "src" else [u.src_text],
                          [u.tgt_text] if side == "src" else [u.tgt_text, clause]),
            kind=kind, check=None, severity=MAJOR if c.probability >= major_at else MINOR,
            src=rendering.a.src, tgt=rendering.a.tgt,
            src_spans=(fspan,) if side == "src" else (),
            tgt_spans=(fspan,) if side == "tgt" else (),
            detail=(f"not rendered: “{clause}”" if side == "src" else f"no source for: “{clause}”")
            + f" ({'; '.join(c.reasons(margin))})",
            evidence={"clause": clause, "coverage": round(coverage, 4), "unit_similarity": round(float(u.a.similarity), 4)}
            | ({"similarity_without_it": round(without, 4)} if without is not None else {})
            | {"probability": round(c.probability, 3), "pushes": c.pushes(scorer)},
            highlights=span_highlights(u, side, span),
        ))
    return findings, partial_src, partial_tgt


def _name_by_meaning(u: Unit, m: Mismatch, *, embed_words: Embed, scorer: Scorer, src_lang: str,
                     tgt_lang: str) -> NameCover | None:
    """The word cover of a name graded missing (`meaning.py`); None for any other mismatch."""
    if m.check != "name" or m.grade != "missing":
        return None
    if m.src_values:
        (a, b) = m.src_spans[0]
        return name_cover(u.src_checked[a:b], u.tgt_checked, tgt_lang, embed_words, scorer)
    (a, b) = m.tgt_spans[0]
    return name_cover(u.tgt_checked[a:b], u.src_checked, src_lang, embed_words, scorer)


def _drift_findings(rendered_units: list[Unit], mismatches: dict[int, list[Mismatch]], center: float, scale: float,
                    params: ClassifyParams, checks: list[Check], src_lang: str, tgt_lang: str,
                    by_meaning: Callable[[Unit, Mismatch], NameCover | None] | None) -> list[Finding]:
    """Drift in rendered units: a cosine low for this document (lower still counts in quoted speech),
    and what the text checks found (a missing name that the other side's words render by meaning,
    by the name scorer's probability below `name_flag`, is information only)."""
    findings: list[Finding] = []
    in_order = sorted(rendered_units, key=lambda x: (min(x.a.src), min(x.a.tgt)))
    place = {id(x): k for k, x in enumerate(in_order)}
    for u in rendered_units:
        sim = float(u.a.similarity)  # type: ignore[arg-type]
        z = (sim - center) / scale
        quoted = bool(quote_spans(u.src_text, src_lang) or quote_spans(u.tgt_text, tgt_lang))
        limit = params.quote_drift_z if quoted else params.drift_z
        if z <= limit and center - sim >= params.drift_gap:
            findings.append(Finding(
                id=finding_id("drift", "similarity", [u.src_text], [u.tgt_text]),
                kind="drift", check="similarity", severity=MINOR, src=u.a.src, tgt=u.a.tgt,
                src_spans=tuple((s.start, s.end) for s in u.src_segs),
                tgt_spans=tuple((s.start, s.end) for s in u.tgt_segs),
                detail=f"similarity {sim:.2f} is low for this document (median {center:.2f}, z {z:.1f})"
                + (" in quoted speech" if quoted else ""),
                evidence={"similarity": round(sim, 4), "z": round(z, 2), "median": round(center, 4), "quoted": quoted},
            ))
        for m in mismatches[id(u)]:
            nearby = _written_nearby(m, u, in_order, place, checks, src_lang, tgt_lang)
            cover = by_meaning(u, m) if by_meaning is not None and not nearby else None
            findings.append(_mismatch_finding(u, m, nearby, cover,
                                              cover is not None and cover.probability < params.name_flag))
    return findings


def _unique_ids(findings: list[Finding]) -> list[Finding]:
    """The second and later findings with the same id (the same headline twice, say) get `-2`, `-3`...

    In document order, so an id stays stable as long as the text before it does.
    """
    seen: dict[str, int] = {}
    out = []
    for f in findings:
        seen[f.id] = seen.get(f.id, 0) + 1
        out.append(f if seen[f.id] == 1 else replace(f, id=f"{f.id}-{seen[f.id]}"))
    return out


def _runs(indices: list[int]) -> list[tuple[int, ...]]:
    runs: list[list[int]] = []
    for k in indices:
        if runs and runs[-1][-1] == k - 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    return [tuple(r) for r in runs]


def _best_partner_sim(units: list[Unit]) -> float | None:
    sims = [u.a.similarity for u in units if u.a.similarity is not None]
    return round(float(max(sims)), 4) if sims else None


def _run_checks(checks: list[Check], src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Mismatch]:
    """Every check's mismatches, each said once: the quote check's \"quoted: X ↔ —\" for a name or number
    that the name or number check already reports at the same place is left out, so that check alone
    judges it (a name the other side renders by meaning is then information, not a quote finding)."""
    out: list[Mismatch] = []
    for c in checks:
        out.extend(c.check(src, tgt, src_lang, tgt_lang))
    return [m for m in out if not (m.check == "quote" and any(_said_by(m, other) for other in out if other.check != "quote"))]


def _said_by(m: Mismatch, other: Mismatch) -> bool:
    """Does `other` report every place `m` does?"""
    return (bool(m.src_spans or m.tgt_spans) and all(s in other.src_spans for s in m.src_spans)
            and all(t in other.tgt_spans for t in m.tgt_spans))


# How many units either side the other side may hold what one side lacks here: a name two (translators
# resolve pronouns across sentences), a number one (the languages cut their sentences elsewhere:
# "... gingen bis über 8900 m hinaus ." / "... ; | elles allaient jusqu' à 8900 m ...").
_NEARBY_REACH = {"name": 2, "number": 1}


def _written_nearby(m: Mismatch, u: Unit, order: list[Unit], place: dict[int, int], checks: list[Check],
                  src_lang: str, tgt_lang: str) -> bool:
    """A name or number one side lacks here that the other side writes in a neighbouring unit: “Tokayev said”
    rendered as “he said” with the name a sentence away, or a number that crossed a sentence boundary.

    Then it is still in the text, `_NEARBY_REACH` units away, and the finding is information.
    """
    reach = _NEARBY_REACH.get(m.check)
    if reach is None or (m.src_values and m.tgt_values):
        return False
    k = place[id(u)]
    near = order[max(0, k - reach) : k + reach + 1]
    check = next(c for c in checks if c.name == m.check)
    if m.src_values:
        wider = "\n".join(x.tgt_checked for x in near)
        left = {v for r in check.check(u.src_checked, wider, src_lang, tgt_lang) for v in r.src_values}
        return not set(m.src_values) & left and not _claimed_nearby(m, near, u, check, src_lang, tgt_lang)
    wider = "\n".join(x.src_checked for x in near)
    left = {v for r in check.check(wider, u.tgt_checked, src_lang, tgt_lang) for v in r.tgt_values}
    return not set(m.tgt_values) & left and not _claimed_nearby(m, near, u, check, src_lang, tgt_lang)


def _claimed_nearby(m: Mismatch, near: list[Unit], u: Unit, check: Check, src_lang: str, tgt_lang: str) -> bool:
    """A number the neighbouring units write on the same side too: the other side's copy nearby renders
    that one (documents repeat years), so it says nothing about where this one went. Names: never."""
    if m.check != "number":
        return False
    if m.src_values:
        own = "\n".join(x.src_checked for x in near if x is not u)
        said = {v for r in check.check(own, "", src_lang, tgt_lang) for v in r.src_values}
        return bool(set(m.src_values) & said)
    own = "\n".join(x.tgt_checked for x in near if x is not u)
    said = {v for r in check.check("", own, src_lang, tgt_lang) for v in r.tgt_values}
    return bool(set(m.tgt_values) & said)


def _mismatch_finding(u: Unit, m: Mismatch, named_nearby: bool = False, cover: NameCover | None = None,
                      in_other_words: bool = False) -> Finding:
    severity = MAJOR if m.check in ("number", "name", "negation") else MINOR
    if m.severity_ceiling is not None and Severity(m.severity_ceiling).rank > Severity(severity).rank:
        severity = m.severity_ceiling  # the check's evidence is weaker: a name missing, not swapped
    if named_nearby or in_other_words:
        severity = INFO
    meant = (f" (probably rendered by meaning: “{cover.word}”, word cosine {cover.cosine:.2f})"
             if cover is not None and in_other_words else "")
    return Finding(
        id=finding_id("drift", m.check, [u.src_text], [u.tgt_text], m.src_values + ("↔",) + m.tgt_values),
        kind="drift", check=m.check, severity=severity, src=u.a.src, tgt=u.a.tgt,
        src_spans=tuple(file_span(u.src_map, s) for s in m.src_spans),
        tgt_spans=tuple(file_span(u.tgt_map, s) for s in m.tgt_spans),
        detail=f"{m.check}: {m.detail}" + ((" (named in a neighbouring sentence)" if m.check == "name" else
                                             " (written in a neighbouring sentence)") if named_nearby else meant),
        evidence={"source_values": list(m.src_values), "translation_values": list(m.tgt_values),
                  "tgt_only": bool(m.tgt_values) and not m.src_values, "named_nearby": named_nearby}
        | ({"meaning": cover.evidence()} if cover is not None else {}),
        highlights=tuple(h for s in m.src_spans for h in span_highlights(u, "src", s))
        + tuple(h for s in m.tgt_spans for h in span_highlights(u, "tgt", s)),
    )


def _verdict(src, tgt, src_status, tgt_status, partial_src, partial_tgt, params: ClassifyParams) -> Verdict:
    def coverage(segs: list[Segment], status: list[str], partial: dict[int, int]) -> float:
        total = sum(len(s.text) for s, st in zip(segs, status) if st != BOILERPLATE)
        done = sum(max(0, len(s.text) - partial.get(s.index, 0)) for s, st in zip(segs, status) if st == RENDERED)
        return round(done / total, 4) if total else 0.0

    sc = coverage(src, src_status, partial_src)
    tc = coverage(tgt, tgt_status, partial_tgt)
    if sc < params.not_translation or tc < params.not_translation:
        kind, label = "not-a-translation", "not a translation"
    elif sc >= params.translation and tc >= params.translation:
        kind, label = "translation", "translation"
    else:
        kind = "partial-translation"
        label = "partial translation" + (" with additions" if tc < params.translation else "")
    return Verdict(kind=kind, label=label, source_coverage=sc, translation_coverage=tc)


def _finding_order(f: Finding) -> tuple:
    first = min(f.src) if f.src else (min(f.tgt) if f.tgt else 0)
    return (f.kind.rank, first, f.check or "", f.id)
