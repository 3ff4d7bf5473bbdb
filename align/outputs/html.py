"""report.html: the side-by-side review page, rendered from the `Report` alone.

The page is plain server-rendered HTML (Jinja2, autoescape on), so it reads
with JavaScript off, prints, and opens from disk; one inline script adds
filters, j/k navigation and review decisions, and one inline stylesheet the
layout. A Content-Security-Policy with the hashes of exactly that script and
that stylesheet means nothing else can run or be fetched, even if some text
ever slipped past escaping.

Rows follow document order: each monotonic alignment is one row; each moved
link gets a row on each side, at its place in that side's order, linked to the
other; runs of rows that are all boilerplate are folded into a <details>.
Every finding is one badge, on the row of its first source segment (or first
translation segment); its `highlights` become <mark>s with a text label.

Review decisions live in the browser's localStorage under
``align:<pair id>:<finding id>`` (file:// pages share one origin, hence the
pair id) and are exported as a JSON file, the **decisions format**
(`align baseline` reads it back)::

    {
      "format": "align-decisions",
      "version": 1,
      "pair": "<pair id, as in report.json>",
      "decisions": [
        {"id": "<finding id (16 hex)>", "decision": "accepted" | "false-alarm", "note": "<free text, may be empty>"}
      ]
    }

`decisions` lists each decided finding id once, in the report's finding order;
findings without a decision are left out. "accepted" means the finding is a
real problem the reviewer has seen; "false-alarm" means it is not a problem.
"""
from __future__ import annotations

import base64
import hashlib
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

import jinja2

from ..model import Finding, FindingKind, Severity, key_order
from ..steps.report import Report, ReviewedSegment

SEVERITY_ICON = {Severity.MAJOR: "▲", Severity.MINOR: "△", Severity.INFO: "○"}
# Text beside a segment whose status is not plain "rendered": colour is never the only signal.
STATUS_LABEL = {
    "omitted": "⊘ omitted",
    "partial": "◐ partly rendered",
    "added": "⊕ added",
    "partially-added": "◑ partly added",
    "boilerplate": "⌧ boilerplate",
}
# Above this many rows, rows off screen are not laid out (CSS content-visibility); below it the
# page renders whole, so screenshots and quick scrolling never show a blank frame.
LAZY_ROWS = 300
# The word written inside a highlight, after the highlighted text.
MARK_LABEL = {"partial-omission": "not rendered", "partial-addition": "no source"}


@dataclass(slots=True)
class Piece:
    """A run of a segment's text; `fids` are the DOM ids of the findings highlighting it (none: plain text)."""

    text: str
    fids: tuple[str, ...] = ()
    cls: str = ""
    title: str = ""
    label: str = ""  # set where a highlight ends: what it is, in words


@dataclass(slots=True)
class FindingView:
    dom: str  # unique DOM id; finding ids can repeat in a report
    id: str
    key: str  # kind, or drift.<check>, as in summary.findings
    kind: str
    check: str  # the drift check, else the kind: what a highlight is labelled with
    severity: str
    detail: str
    title: str
    where: str


@dataclass(slots=True)
class SegView:
    side: str  # "src" | "tgt"
    index: int
    status: str
    status_label: str
    boilerplate: str | None
    pieces: list[Piece]
    findings: list[FindingView] = field(default_factory=list)  # boilerplate findings, folded away with the segment
    cut_at_length: bool = False  # part of an over-long sentence cut at a space (report.json's cut_at_length)
    unit_note: str | None = None  # XLIFF/PO: the unit id, state, text with inline tags and notes


@dataclass(slots=True)
class RowView:
    dom: str
    type: str
    similarity: float | None
    src: list[SegView] = field(default_factory=list)
    tgt: list[SegView] = field(default_factory=list)
    findings: list[FindingView] = field(default_factory=list)
    moved_to: tuple[str, str] | None = None  # (href, text) for a moved row's empty side
    links: int = 1  # a run of null links (1-0 or 0-1) in a row is shown as one row

    @property
    def boilerplate_only(self) -> bool:
        segs = self.src + self.tgt
        return bool(segs) and all(s.status == "boilerplate" for s in segs)

    def cell(self, side: str) -> list[tuple[bool, list[SegView]]]:
        """Segments of one side in runs, boilerplate runs apart, so each can fold into a <details>."""
        runs: list[tuple[bool, list[SegView]]] = []
        for s in self.src if side == "src" else self.tgt:
            bp = s.status == "boilerplate"
            if runs and runs[-1][0] == bp:
                runs[-1][1].append(s)
            else:
                runs.append((bp, [s]))
        return runs


@dataclass(slots=True)
class Block:
    """One row, or a run of boilerplate-only rows folded together."""

    rows: list[RowView]
    folded: bool
    reasons: str = ""
    segments: int = 0


def _span_text(side: str, indices: tuple[int, ...] | list[int]) -> str:
    if not indices:
        return ""
    name = "source" if side == "src" else "translation"
    lo, hi = min(indices), max(indices)
    return f"{name} {lo}" if lo == hi else f"{name} {lo}–{hi}"


def _evidence_text(value: Any) -> str:
    """A finding's evidence as a reviewer reads it in a tooltip, not as Python or JSON syntax."""
    if isinstance(value, dict):
        return ", ".join(f"{k} {_evidence_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(f"({_evidence_text(v)})" if isinstance(v, dict) else _evidence_text(v) for v in value)
    return str(value)


def _finding_view(n: int, f: Finding) -> FindingView:
    kind = str(f.kind)
    title = " · ".join(f"{k}: {_evidence_text(f.evidence[k])}" for k in sorted(f.evidence))
    where = ", ".join(x for x in (_span_text("src", f.src), _span_text("tgt", f.tgt)) if x)
    return FindingView(
        dom=f"f{n}", id=f.id, key=f.key, kind=kind, check=f.check or kind,
        severity=str(f.severity), detail=f.detail, title=title, where=where,
    )


def _pieces(text: str, spans: list[tuple[int, int, FindingView]]) -> list[Piece]:
    """Cut `text` at every highlight boundary; overlapping highlights become one mark per cut."""
    spans = [(max(0, a), min(len(text), b), fv) for a, b, fv in spans if min(len(text), b) > max(0, a)]
    if not spans:
        return [Piece(text)]
    cuts = sorted({0, len(text)} | {a for a, _, _ in spans} | {b for _, b, _ in spans})
    out: list[Piece] = []
    for a, b in pairwise(cuts):
        covering = [fv for s, e, fv in spans if s <= a and b <= e]
        if not covering:
            out.append(Piece(text[a:b]))
            continue
        ending = [fv for s, e, fv in spans if e == b and s <= a]
        classes = {"m-" + ("omit" if fv.kind == "partial-omission" else "add" if fv.kind == "partial-addition" else "drift")
                   for fv in covering} | {f"m-{fv.severity}" for fv in covering}
        out.append(Piece(
            text=text[a:b],
            fids=tuple(dict.fromkeys(fv.dom for fv in covering)),
            cls=" ".join(sorted(classes)),
            title="; ".join(dict.fromkeys(fv.detail for fv in covering)),
            label=" + ".join(dict.fromkeys(MARK_LABEL.get(fv.kind, fv.check) for fv in ending)),
        ))
    return out


def _segment_views(report: Report, findings: list[FindingView], raw: tuple[Finding, ...]) -> dict[str, list[SegView]]:
    marks: dict[tuple[str, int], list[tuple[int, int, FindingView]]] = {}
    for fv, f in zip(findings, raw):
        for side, segment, start, end in f.highlights:
            marks.setdefault((side, segment), []).append((start, end, fv))
    views: dict[str, list[SegView]] = {}
    for side in ("src", "tgt"):
        views[side] = []
        for k, s in enumerate(report.segments.of(side)):
            status = s.status
            views[side].append(SegView(
                side=side, index=k, status=status, status_label=STATUS_LABEL.get(status, "" if status == "rendered" else status),
                boilerplate=s.boilerplate, pieces=_pieces(s.text, marks.get((side, k), [])),
                cut_at_length=s.cut_at_length, unit_note=_unit_note(s),
            ))
    return views


def _unit_note(segment: ReviewedSegment) -> str | None:
    """'unit p1-s1 · needs-review-translation · with tags: A <g id="1">B</g> · note: ...' for a unit's segment."""
    o = segment.origin
    if o is None:
        return None
    parts = [f"unit {o.unit}"]
    if o.state:
        parts.append(o.state)
    if o.tagged:
        parts.append(f"with tags: {o.tagged}")
    if o.notes:
        parts.append(f"note: {' / '.join(o.notes.splitlines())}")
    return " · ".join(parts)


def _rows(report: Report, segs: dict[str, list[SegView]]) -> list[RowView]:
    """Rows in document order: monotonic links as they come, each moved side slotted into its own side's order.

    A segment no link mentions still gets a row of its own, so a partial report stays readable.
    """
    n = {"src": len(segs["src"]), "tgt": len(segs["tgt"])}
    monotonic: list[dict[str, Any]] = []
    moved: list[dict[str, Any]] = []
    seen: dict[str, set[int]] = {"src": set(), "tgt": set()}
    for a in report.alignments:
        # a segment is shown once, at its first link (the schema promises one link per segment)
        item: dict[str, Any] = {side: [k for k in getattr(a, side) if 0 <= k < n[side] and k not in seen[side]]
                                for side in ("src", "tgt")}
        if not item["src"] and not item["tgt"]:
            continue
        for side in ("src", "tgt"):
            seen[side].update(item[side])
        item.update(type=a.kind, similarity=a.similarity)
        (moved if item["type"] == "moved" else monotonic).append(item)
    # Per side, in that side's order: (first index, link, or None for an unlinked segment). Each is placed
    # just before the first monotonic row whose segments on that side come after it.
    pending: dict[str, deque[tuple[int, dict[str, Any] | None]]] = {
        side: deque(sorted([(min(m[side]), m) for m in moved if m[side]]
                           + [(k, None) for k in range(n[side]) if k not in seen[side]], key=lambda p: p[0]))
        for side in ("src", "tgt")
    }
    rows: list[RowView] = []
    placed: dict[tuple[str, int], RowView] = {}

    def flush(before: dict[str, Any] | None) -> None:
        for side in ("src", "tgt"):
            queue = pending[side]
            while queue and (before is None or (before[side] and min(before[side]) > queue[0][0])):
                first, m = queue.popleft()
                if m is None:
                    row = RowView(dom=f"r{len(rows)}", type="1-0" if side == "src" else "0-1", similarity=None)
                    setattr(row, side, [segs[side][first]])
                else:
                    row = RowView(dom=f"r{len(rows)}", type="moved", similarity=m["similarity"])
                    setattr(row, side, [segs[side][k] for k in m[side]])
                    placed[(side, id(m))] = row
                rows.append(row)

    for a in monotonic:
        flush(a)
        rows.append(RowView(
            dom=f"r{len(rows)}", type=a["type"], similarity=a["similarity"],
            src=[segs["src"][i] for i in a["src"]], tgt=[segs["tgt"][j] for j in a["tgt"]],
        ))
    flush(None)
    rows = _merge_null_runs(rows)
    for m in moved:
        s_row, t_row = placed.get(("src", id(m))), placed.get(("tgt", id(m)))
        if s_row is not None and t_row is not None:
            s_row.moved_to = (f"#{t_row.dom}", f"↪ moved: rendered at {_span_text('tgt', m['tgt'])}")
            t_row.moved_to = (f"#{s_row.dom}", f"↩ moved here from {_span_text('src', m['src'])}")
    return rows


def _merge_null_runs(rows: list[RowView]) -> list[RowView]:
    """Consecutive 1-0 (or 0-1) rows become one row: a dropped paragraph reads as one gap, not twelve."""
    out: list[RowView] = []
    for row in rows:
        prev = out[-1] if out else None
        if (prev is not None and row.type == prev.type and row.type in ("1-0", "0-1")
                and row.boilerplate_only == prev.boilerplate_only):
            prev.src += row.src
            prev.tgt += row.tgt
            prev.links += 1
        else:
            out.append(row)
    for k, row in enumerate(out):
        row.dom = f"r{k}"
    return out


def _blocks(rows: list[RowView]) -> list[Block]:
    blocks: list[Block] = []
    for row in rows:
        if row.boilerplate_only and row.type != "moved":
            if blocks and blocks[-1].folded:
                blocks[-1].rows.append(row)
            else:
                blocks.append(Block(rows=[row], folded=True))
        else:
            blocks.append(Block(rows=[row], folded=False))
    for b in blocks:
        if b.folded:
            reasons = list(dict.fromkeys(s.boilerplate or "boilerplate" for r in b.rows for s in r.src + r.tgt))
            b.segments = sum(len(r.src) + len(r.tgt) for r in b.rows)
            b.reasons = "; ".join(reasons[:3]) + ("; …" if len(reasons) > 3 else "")
    return blocks


def _counts(report: Report) -> list[tuple[str, dict[str, int], int]]:
    """(kind key, {severity: n}, total) in a stable order, from the summary."""
    counts = report.summary.findings
    return [(k, counts[k], sum(counts[k].values())) for k in sorted(counts, key=key_order)]


def _sim_min(report: Report) -> float:
    """Where the similarity bars start: at 0.5 for models whose cosines sit high (e5), else at 0."""
    floor = report.calibration.get("floor")
    return 0.5 if isinstance(floor, (int, float)) and floor >= 0.6 else 0.0


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(str(text).encode("utf-8")).digest()).decode("ascii")


def _pct(value: Any) -> str:
    return f"{100 * float(value):.1f}%" if isinstance(value, (int, float)) else "—"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("align.outputs", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["csp_hash"] = _csp_hash
    env.filters["pct"] = _pct
    return env


def render_html(report: Report) -> str:
    """The review page for one report; the same report gives the same bytes (only `run` varies between runs)."""
    raw = report.findings
    findings = [_finding_view(n, f) for n, f in enumerate(raw)]
    segs = _segment_views(report, findings, raw)
    rows = _rows(report, segs)
    row_of = {(side, s.index): row for row in rows for side in ("src", "tgt") for s in getattr(row, side)}
    loose: list[FindingView] = []
    for fv, f in zip(findings, raw):
        anchor = [("src", i) for i in sorted(f.src)] + [("tgt", j) for j in sorted(f.tgt)]
        row = next((row_of[a] for a in anchor if a in row_of), None)
        if row is None:
            loose.append(fv)
            continue
        if all(row_of.get(a) is row for a in anchor):
            fv.where = ""  # the row says where it is
        first = segs[anchor[0][0]][anchor[0][1]] if len(anchor) == 1 else None
        if fv.kind == FindingKind.BOILERPLATE and first is not None and first.status == "boilerplate":
            first.findings.append(fv)
        else:
            row.findings.append(fv)
    counts = _counts(report)
    keys = sorted({fv.key for fv in findings} | {k for k, _, _ in counts}, key=key_order)
    return environment().get_template("report.html.j2").render(
        r=report,
        pair=report.pair,
        src_lang=report.inputs.source.lang,
        tgt_lang=report.inputs.translation.lang,
        src_dir=text_direction(report.inputs.source.lang),
        tgt_dir=text_direction(report.inputs.translation.lang),
        blocks=_blocks(rows),
        rows=len(rows),
        lazy=len(rows) > LAZY_ROWS,
        findings=findings,
        loose=loose,
        counts=counts,
        keys=keys,
        key_totals={k: total for k, _, total in counts},
        severities=tuple(str(s) for s in Severity),
        icon=SEVERITY_ICON,
        sim_min=_sim_min(report),
        calibration=report.calibration,
        checks=report.settings.get("checks") or {},
    )


@lru_cache(maxsize=None)
def text_direction(lang: str) -> str:
    """`rtl` for a language CLDR writes right to left (Arabic, Hebrew, Persian, Urdu...), else `ltr`; an
    unknown code: `auto`, the browser judges from the text."""
    from babel import Locale, UnknownLocaleError

    try:
        return "rtl" if Locale.parse(lang).character_order == "right-to-left" else "ltr"
    except (UnknownLocaleError, ValueError, TypeError):
        return "auto"
