"""What `align check` tells CI systems: JUnit XML, SARIF 2.1.0, GitHub annotations and job summary.

Each is a pure function of the check results (`align.check.Result`), written
by the CLI. A finding is located in a file: the translation for an addition
(or a partial one), the source otherwise (the other side when a finding has no
span on its own). Offsets are the report's: characters (Unicode code points)
into the decoded file, a BOM not counted; lines and columns count from 1.
Only pairs whose findings are gated (see `align.pairs`) contribute findings:
a negative control's are expected and are nobody's to review.
"""
from __future__ import annotations

import html
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..model import Finding, FindingKind, Severity
from ..outputs.exports import md_escape, render_md, xml_text
from ..steps.report import package_version
from .check import Result, counts_by_key, pair_lines

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"major": "error", "minor": "warning", "info": "note"}
RULES = {
    "omission": "Source sentences the translation does not render",
    "partial-omission": "Part of a source sentence the translation does not render",
    "addition": "Translation sentences with no source",
    "partial-addition": "Part of a translation sentence with no source",
    "drift": "A rendering whose meaning drifts from its source",
    "boilerplate": "Page furniture (dates, bylines, menus) set aside",
}


@dataclass(frozen=True)
class Location:
    path: Path
    offset: int  # [offset, offset + length) in the decoded file
    length: int
    line: int
    column: int
    end_line: int
    end_column: int  # the column after the last character


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of character `offset` in `text` (lines end at \\n)."""
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def locate(result: Result, finding: Finding) -> Location | None:
    """Where a finding is: the span of its spans in the translation (additions) or the source file."""
    first = "translation" if finding.kind in (FindingKind.ADDITION, FindingKind.PARTIAL_ADDITION) else "source"
    for side in (first, "source" if first == "translation" else "translation"):
        given = finding.src_spans if side == "source" else finding.tgt_spans
        spans = [s for s in given if s[1] > s[0]]
        if not spans:  # e.g. a drift flagged on the other side only: the whole sentences
            segments = result.run.report.segments.of(side)
            indices = finding.src if side == "source" else finding.tgt
            spans = [(segments[i].start, segments[i].end) for i in indices if i < len(segments)]
        if spans:
            text = result.run.texts[side]
            start, end = min(a for a, _ in spans), max(b for _, b in spans)
            return Location(getattr(result.pair, side).path, start, end - start,
                            *line_column(text, start), *line_column(text, end))
    return None


def stale_location(path: Path, entry_id: str) -> Location:
    """A stale entry's id in the baseline file, so a reviewer lands on the line to delete."""
    text = path.read_text(encoding="utf-8")
    start = text.find(f'"{entry_id}"')
    start, length = (start, len(entry_id) + 2) if start >= 0 else (0, 0)
    return Location(path, start, length, *line_column(text, start), *line_column(text, start + length))


def display_path(path: Path) -> str:
    """A path as CI shows it: relative to the working directory (the repository root) when inside it."""
    rel = os.path.relpath(path.resolve(), Path.cwd().resolve())
    return Path(path.resolve() if rel.startswith("..") else rel).as_posix()


def gated(results: list[Result]) -> list[Result]:
    return [r for r in results if r.pair.thresholds.gates_findings]




# --- JUnit ---------------------------------------------------------------------------------------


def render_junit(results: list[Result], seconds: float) -> str:
    """One test case per pair; a failing pair's <failure> gives its reasons and lists its new findings."""
    failed = sum(not r.passed for r in results)
    suites = ET.Element("testsuites", name="align check", tests=str(len(results)), failures=str(failed),
                        errors="0", time=f"{seconds:.3f}")
    suite = ET.SubElement(suites, "testsuite", name="align check", tests=str(len(results)), failures=str(failed),
                          errors="0", skipped="0", time=f"{seconds:.3f}")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname="align.check", name=r.pair.id,
                             file=display_path(r.pair.manifest), time=f"{r.run.seconds:.3f}")
        if not r.passed:
            listed = r.new_divergences if r.fails_on_findings else []
            body = [*r.failures, *(f"new {f.severity_key} {f.id} at {_where(r, f)}: {f.detail}"
                                   for f in listed)]
            failure = ET.SubElement(case, "failure", message="; ".join(r.failures), type="align.check")
            failure.text = xml_text("\n".join(body))
        ET.SubElement(case, "system-out").text = xml_text("\n".join(pair_lines(r)))
    ET.indent(suites, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _where(r: Result, f: Finding) -> str:
    loc = locate(r, f)
    return f"{display_path(loc.path)}:{loc.line}:{loc.column}" if loc else r.pair.id


# --- SARIF ---------------------------------------------------------------------------------------


def render_sarif(results: list[Result]) -> str:
    """SARIF 2.1.0: a rule per kind (and drift check), a result per finding of a gated pair, located by
    character offset and line/column; reviewed findings are `unchanged` and suppressed, stale entries
    `absent`, so code-scanning UIs show only new findings as open."""
    items: list[tuple[str, dict[str, Any]]] = []
    for r in gated(results):
        for f in r.new:
            items.append((f.key, _sarif_result(r, f, "new", None)))
        for f, entry in r.reviewed:
            items.append((f.key, _sarif_result(r, f, "unchanged", entry)))
        for e in r.stale:
            loc = stale_location(r.pair.baseline, e.id) if r.pair.baseline else None
            items.append((e.key, {
                "level": "note",
                "message": {"text": f"{r.pair.id}: baseline entry no longer found: {e.detail}"},
                "locations": [_sarif_location(loc)] if loc else [],
                "partialFingerprints": {"alignFinding/v1": f"{r.pair.id}:{e.id}"},
                "baselineState": "absent",
                "properties": {"pair": r.pair.id, "findingId": e.id, "severity": e.severity, "decision": e.decision},
            }))
    rule_ids = sorted({rid for rid, _ in items})
    index = {rid: k for k, rid in enumerate(rule_ids)}
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "align",
                "version": package_version(),
                "rules": [_rule(rid) for rid in rule_ids],
            }},
            "columnKind": "unicodeCodePoints",
            "results": [{"ruleId": rid, "ruleIndex": index[rid], **res} for rid, res in items],
        }],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=1) + "\n"


def _rule(rid: str) -> dict[str, Any]:
    kind, _, check = rid.partition(".")
    text = RULES.get(kind, kind) + (f": {check}" if check else "")
    return {
        "id": rid,
        "name": "".join(part.capitalize() for part in rid.replace("-", ".").split(".")),
        "shortDescription": {"text": text},
        "defaultConfiguration": {"level": "warning" if kind != "boilerplate" else "note"},
        "properties": {"tags": ["translation", kind]},
    }


def _sarif_result(r: Result, f: Finding, state: str, entry: Any) -> dict[str, Any]:
    loc = locate(r, f)
    res: dict[str, Any] = {
        "level": LEVELS.get(str(f.severity), "warning"),
        "message": {"text": f"{r.pair.id}: {f.detail}"},
        "locations": [_sarif_location(loc)] if loc else [],
        "partialFingerprints": {"alignFinding/v1": f"{r.pair.id}:{f.id}"},
        "baselineState": state,
        "properties": {"pair": r.pair.id, "findingId": f.id, "severity": str(f.severity)},
    }
    if entry is not None:
        res["suppressions"] = [{"kind": "external", "status": "accepted", "justification": entry.note or entry.decision}]
        res["properties"]["decision"] = entry.decision
    return res


def _sarif_location(loc: Location) -> dict[str, Any]:
    return {"physicalLocation": {
        "artifactLocation": {"uri": quote(display_path(loc.path))},
        "region": {"charOffset": loc.offset, "charLength": loc.length, "startLine": loc.line,
                   "startColumn": loc.column, "endLine": loc.end_line, "endColumn": loc.end_column},
    }}


# --- GitHub Actions ------------------------------------------------------------------------------


def escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF are escaped (GitHub's rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as data, and ':' and ',' too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, loc: Location | None, path: Path, title: str, message: str) -> str:
    props = {"file": display_path(loc.path if loc else path)}
    if loc:
        props.update(line=str(loc.line), endLine=str(loc.end_line), col=str(loc.column))
    props["title"] = title
    return f"::{level} " + ",".join(f"{k}={escape_property(v)}" for k, v in props.items()) + f"::{escape_data(message)}"


def github_annotations(results: list[Result]) -> list[str]:
    """`::error` for each new finding of a pair that failed on them (`::warning` if within its limits,
    `::notice` for info findings),
    `::error` on the manifest for other reasons a pair failed, `::warning` for each stale baseline entry."""
    out = []
    for r in results:
        out += [_command("error", None, r.pair.manifest, f"align: {r.pair.id} failed", reason)
                for reason in r.other_failures]
        if not r.pair.thresholds.gates_findings:
            continue
        for f in r.new:
            level = "notice" if f.severity == Severity.INFO else "error" if r.fails_on_findings else "warning"
            title = f"align: new {f.severity_key} in {r.pair.id}"
            out.append(_command(level, locate(r, f), r.pair.manifest, title, f"{f.detail} (finding {f.id})"))
        for e in r.stale:
            loc = stale_location(r.pair.baseline, e.id) if r.pair.baseline else None
            out.append(_command("warning", loc, r.pair.manifest, f"align: stale baseline entry in {r.pair.id}",
                                f"finding {e.id} ({e.kind}) no longer occurs: {e.detail}"))
    return out


def step_summary(results: list[Result]) -> str:
    """The job summary: a table of pairs, the reasons each failing one failed, then each pair's own
    Markdown summary (`align.outputs.exports.render_md`), folded."""
    failed = sum(not r.passed for r in results)
    out = [
        f"## align check: {len(results) - failed} of {len(results)} pairs passed",
        "",
        "| pair | result | verdict | findings | new | accepted | false alarms | stale |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        decisions = r.decisions
        new = str(len(r.new_divergences)) if r.pair.thresholds.gates_findings else "not gated"
        out.append(
            f"| {md_escape(r.pair.id)} | {'✅ pass' if r.passed else '❌ fail'} "
            f"| {md_escape(r.run.report.verdict.label)} | {md_escape(counts_by_key(r.run.report.findings))} "
            f"| {new} | {decisions['accepted']} | {decisions['false-alarm']} | {len(r.stale)} |"
        )
    out.append("")
    for r in results:
        if r.failures:
            out.append(f"**{md_escape(r.pair.id)} failed:** " + "; ".join(md_escape(x) for x in r.failures))
            out.append("")
    for r in results:
        out += [f"<details{'' if r.passed else ' open'}><summary>{html.escape(r.pair.id)}</summary>", "",
                render_md(r.run.report).rstrip("\n"), "", "</details>", ""]
    return "\n".join(out) + "\n"
