"""What a batch tells its user: a line per pair, a total, summary.jsonl, summary.md, JUnit and SARIF.

A pair that ran is held to its row with `align.check.evaluate` (the same rules
as a manifest); one that could not run (bad input found when it was read, a
model that would not load, retries used up) is an error, listed with its
message. Every output says which pairs were retried and why. JUnit and SARIF
are `align.ci.formats`' renderings of the pairs that ran, with the errors
added (a JUnit <error> test case; a SARIF tool execution notification).
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import quote

from ...outputs.exports import md_escape, xml_text
from .. import formats as ci_formats
from ..check import Result, counts_by_key, evaluate, pair_lines, plural
from .execute import Outcome


@dataclass
class PairSummary:
    """One pair of the batch: its outcome and, if it ran, how it measured up to its row."""

    outcome: Outcome
    result: Result | None

    @property
    def status(self) -> str:
        if self.result is None:
            return "error"
        return "pass" if self.result.passed else "fail"


def summarise(outcomes: list[Outcome], order: list[str], strict: bool = False) -> list[PairSummary]:
    """Outcomes in list order, each pair that ran evaluated against its row."""
    position = {pair_id: i for i, pair_id in enumerate(order)}
    out = []
    for o in sorted(outcomes, key=lambda o: position.get(o.pair_id, len(position))):
        out.append(PairSummary(o, evaluate(o.job.pair, None, o.run, strict) if o.run is not None else None))
    return out


def retried_note(o: Outcome) -> str:
    return f"  (attempt {o.attempts}: retried after {', '.join(o.retry_reasons)})" if o.attempts > 1 else ""


def lines(s: PairSummary) -> list[str]:
    """What is printed for a pair: `align check`'s lines, or ERROR and its message; and any retry."""
    if s.result is None:
        return [f"ERROR  {s.outcome.pair_id}  {s.outcome.error}{retried_note(s.outcome)}"]
    first, *rest = pair_lines(s.result)
    return [first + retried_note(s.outcome), *rest]


def total_line(summaries: list[PairSummary], seconds: float) -> str:
    counts = {k: sum(s.status == k for s in summaries) for k in ("pass", "fail", "error")}
    retried = sum(s.outcome.attempts > 1 for s in summaries)
    new = sum(len(s.result.new_divergences) for s in summaries if s.result and s.result.pair.thresholds.gates_findings)
    return (f"{plural(len(summaries), 'pair')}: {counts['pass']} passed, {counts['fail']} failed, "
            f"{plural(counts['error'], 'error')}; {retried} retried; {plural(new, 'new finding')}; {seconds:.1f} s")


def exit_code(summaries: list[PairSummary]) -> int:
    """0 when every pair ran and met its row, 1 when one failed or could not run (usage errors are 2, earlier)."""
    return 0 if all(s.status == "pass" for s in summaries) else 1


# --- files ---------------------------------------------------------------------------------------


def render_jsonl(summaries: list[PairSummary], seconds: float) -> str:
    """One {"type": "pair"} object per pair in list order, then one {"type": "batch"} total."""
    rows = [_pair_record(s) for s in summaries]
    rows.append({
        "type": "batch", "pairs": len(summaries),
        **{k: sum(s.status == k for s in summaries) for k in ("pass", "fail", "error")},
        "retried": sum(s.outcome.attempts > 1 for s in summaries), "seconds": round(seconds, 3),
    })
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _pair_record(s: PairSummary) -> dict[str, Any]:
    o = s.outcome
    record: dict[str, Any] = {"type": "pair", "id": o.pair_id, "status": s.status,
                              "source": str(o.job.pair.source.path), "translation": str(o.job.pair.translation.path),
                              "attempts": o.attempts, "retried_after": o.retry_reasons, "worker": o.worker,
                              "split_into": o.chunks}
    if s.result is None:
        record.update(error=o.error, exit_code=o.exit_code)
        return record
    report, run = s.result.run.report, s.result.run
    record.update(
        verdict=str(report.verdict.kind), coverage=asdict(report.summary.coverage),
        findings=report.summary.findings, new=len(s.result.new_divergences), failures=s.result.failures,
        seconds=round(run.seconds, 3), embedded=report.run.embedding["embedded"],
        cached=report.run.embedding["cached"], reports=[str(p) for p in run.written],
    )
    return record


def render_md(summaries: list[PairSummary], seconds: float) -> str:
    """A table of pairs, then the errors and the retried pairs, for a job summary or a ticket."""
    counts = {k: sum(s.status == k for s in summaries) for k in ("pass", "fail", "error")}
    out = [f"## align batch: {counts['pass']} of {len(summaries)} pairs passed",
           "", f"{counts['fail']} failed, {plural(counts['error'], 'error')}, "
           f"{sum(s.outcome.attempts > 1 for s in summaries)} retried; {seconds:.1f} s", "",
           "| pair | result | verdict | findings | new | attempts | seconds |",
           "| --- | --- | --- | --- | ---: | ---: | ---: |"]
    for s in summaries:
        o = s.outcome
        if s.result is None:
            out.append(f"| {md_escape(o.pair_id)} | ⚠️ error | – | – | – | {o.attempts} | – |")
            continue
        report = s.result.run.report
        mark = "✅ pass" if s.status == "pass" else "❌ fail"
        new = str(len(s.result.new_divergences)) if s.result.pair.thresholds.gates_findings else "not gated"
        out.append(f"| {md_escape(o.pair_id)} | {mark} | {md_escape(report.verdict.label)} "
                   f"| {md_escape(counts_by_key(report.findings))} | {new} | {o.attempts} "
                   f"| {s.result.run.seconds:.1f} |")
    out.append("")
    for s in summaries:
        if s.result is None:
            out += [f"**{md_escape(s.outcome.pair_id)} could not be checked:** {md_escape(s.outcome.error or '')}", ""]
        elif s.result.failures:
            out += [f"**{md_escape(s.outcome.pair_id)} failed:** " + "; ".join(md_escape(x) for x in s.result.failures), ""]
    for s in summaries:
        if s.outcome.attempts > 1:
            out += [f"*{md_escape(s.outcome.pair_id)} was retried:* attempt {s.outcome.attempts}, after "
                    + md_escape(", ".join(s.outcome.retry_reasons)), ""]
    return "\n".join(out) + "\n"


def render_junit(summaries: list[PairSummary], seconds: float) -> str:
    """`align.ci_formats.render_junit` of the pairs that ran, plus an <error> test case per pair that did not."""
    ran = [s.result for s in summaries if s.result is not None]
    root = ET.fromstring(ci_formats.render_junit(ran, seconds).split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None
    errors = [s for s in summaries if s.result is None]
    for s in errors:
        case = ET.SubElement(suite, "testcase", classname="align.batch", name=s.outcome.pair_id,
                             file=ci_formats.display_path(s.outcome.job.pair.translation.path), time="0.000")
        ET.SubElement(case, "error", message=xml_text(s.outcome.error or ""), type="align.batch").text = \
            xml_text(s.outcome.error or "")
    for s in summaries:
        if s.outcome.attempts > 1 and s.result is not None:
            for case in suite.iter("testcase"):
                if case.get("name") == s.outcome.pair_id:
                    ET.SubElement(case, "system-err").text = xml_text(retried_note(s.outcome).strip())
    for element in (root, suite):
        element.set("name", "align batch")
        element.set("tests", str(len(summaries)))
        element.set("errors", str(len(errors)))
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_sarif(summaries: list[PairSummary]) -> str:
    """`align.ci_formats.render_sarif` of the pairs that ran; each pair that could not run is an error
    notification of the run's invocation (whose `executionSuccessful` is then false)."""
    sarif = json.loads(ci_formats.render_sarif([s.result for s in summaries if s.result is not None]))
    errors = [s for s in summaries if s.result is None]
    sarif["runs"][0]["invocations"] = [{
        "executionSuccessful": not errors,
        "toolExecutionNotifications": [
            {"level": "error", "message": {"text": f"{s.outcome.pair_id}: {s.outcome.error}"},
             "locations": [{"physicalLocation": {"artifactLocation": {
                 "uri": quote(ci_formats.display_path(s.outcome.job.pair.translation.path))}}}]}
            for s in errors
        ],
    }]
    return json.dumps(sarif, ensure_ascii=False, indent=1) + "\n"
