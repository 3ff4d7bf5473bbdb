"""What CI systems read from `align check`: JUnit XML, SARIF 2.1.0, GitHub annotations and the job summary."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from ci_helpers import (
    EN_DROP,
    EN_DROP_ADD,
    EN_FULL,
    align_process,
    report_of,
    set_translation,
    use_baseline,
    write_pair,
)

from align.ci.formats import escape_data, escape_property, line_column

STALE_ID = "0123456789abcdef"
NOTE = "reviewed by the desk: the paragraph is summarised elsewhere"


@pytest.fixture(scope="module")
def ci(tmp_path_factory, shared_cache) -> dict:
    """Two pairs checked once under GitHub Actions with --junit and --sarif: `meeting` was baselined before a
    sentence with no source was added (so it has accepted, new and one stale entry) and fails;
    `meeting-ok` allows new findings and passes."""
    root = tmp_path_factory.mktemp("ci")
    env = {"ALIGN_CACHE_DIR": str(shared_cache)}
    meeting = write_pair(root, "meeting", EN_DROP)
    assert align_process("baseline", "pairs/meeting", cwd=root, env=env).returncode == 0
    baseline = json.loads((meeting / "baseline.json").read_text("utf-8"))
    baseline["findings"][0]["note"] = NOTE
    baseline["findings"].append({"id": STALE_ID, "kind": "omission", "check": None, "severity": "major",
                                 "detail": "a sentence since translated", "decision": "accepted", "note": ""})
    (meeting / "baseline.json").write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", "utf-8")
    use_baseline(meeting)
    set_translation(meeting, EN_DROP_ADD)
    write_pair(root, "meeting-ok", EN_FULL, thresholds="max_new = 1000")
    summary = root / "step-summary.md"
    summary.write_text("# an earlier step\n", "utf-8")
    proc = align_process("check", "--junit", "out/junit.xml", "--sarif", "out/align.sarif", cwd=root,
                         env={**env, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    report = report_of(root / "reports", "meeting")
    accepted = {f["id"]: f for f in baseline["findings"]}
    return {
        "root": root, "proc": proc, "report": report, "summary": summary,
        "new": [f for f in report["findings"] if f["id"] not in accepted],
        "accepted": [f for f in report["findings"] if f["id"] in accepted],
        "baseline": accepted,
        "texts": {"source": (meeting / "ru.txt").read_text("utf-8"), "translation": (meeting / "en.txt").read_text("utf-8")},
    }


def test_scenario_has_new_and_accepted_findings(ci):
    assert ci["new"] and ci["accepted"]


# --- JUnit ---------------------------------------------------------------------------------------


def test_junit_has_a_test_case_per_pair_and_a_failure_naming_the_new_findings(ci):
    root = ET.parse(ci["root"] / "out" / "junit.xml").getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"meeting", "meeting-ok"}
    assert root.get("tests") == "2" and root.get("failures") == "1"
    assert cases["meeting-ok"].find("failure") is None
    failure = cases["meeting"].find("failure")
    assert failure is not None and "new findings" in failure.get("message")
    for f in ci["new"]:
        assert f["id"] in failure.text and f["detail"].split("“")[0].strip() in failure.text
    for f in ci["accepted"]:
        assert f["id"] not in failure.text


# --- SARIF ---------------------------------------------------------------------------------------

# The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that a consumer relies on, checked offline.
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "rules": {"type": "array", "items": {
                        "type": "object", "required": ["id"]}}}}}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "results": {"type": "array", "items": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {
                        "message": {"type": "object", "anyOf": [{"required": ["text"]}, {"required": ["id"]}]},
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "baselineState": {"enum": ["new", "unchanged", "updated", "absent"]},
                        "suppressions": {"type": "array", "items": {
                            "type": "object", "required": ["kind"],
                            "properties": {"kind": {"enum": ["inSource", "external"]},
                                           "status": {"enum": ["accepted", "underReview", "rejected"]},
                                           "justification": {"type": "string"}}}},
                        "locations": {"type": "array", "items": {"type": "object", "properties": {
                            "physicalLocation": {"type": "object", "required": ["artifactLocation"], "properties": {
                                "artifactLocation": {"type": "object", "required": ["uri"]},
                                "region": {"type": "object", "properties": {
                                    "charOffset": {"type": "integer", "minimum": 0},
                                    "charLength": {"type": "integer", "minimum": 0},
                                    "startLine": {"type": "integer", "minimum": 1},
                                    "startColumn": {"type": "integer", "minimum": 1},
                                    "endLine": {"type": "integer", "minimum": 1},
                                    "endColumn": {"type": "integer", "minimum": 1}}}}}}}},
                    },
                }},
            },
        }},
    },
}


@pytest.fixture(scope="module")
def sarif(ci) -> dict:
    return json.loads((ci["root"] / "out" / "align.sarif").read_text("utf-8"))


def results_by_finding(sarif: dict, pair: str = "meeting") -> dict[str, dict]:
    return {r["properties"]["findingId"]: r for r in sarif["runs"][0]["results"] if r["properties"]["pair"] == pair}


def test_sarif_structure(sarif):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(sarif, SARIF_SUBSET)
    run = sarif["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules))
    for r in run["results"]:
        assert rules[r["ruleIndex"]] == r["ruleId"]


def test_sarif_new_findings_are_open_and_reviewed_ones_suppressed(ci, sarif):
    results = results_by_finding(sarif)
    assert set(results) >= {f["id"] for f in ci["new"] + ci["accepted"]}
    for f in ci["new"]:
        assert results[f["id"]]["baselineState"] == "new" and "suppressions" not in results[f["id"]]
    for f in ci["accepted"]:
        r = results[f["id"]]
        assert r["baselineState"] == "unchanged"
        entry = ci["baseline"][f["id"]]
        assert r["suppressions"] == [{"kind": "external", "status": "accepted",
                                      "justification": entry["note"] or entry["decision"]}]
    noted = [r for r in results.values() if r.get("suppressions", [{}])[0].get("justification") == NOTE]
    assert len(noted) == 1
    stale = results[STALE_ID]
    assert stale["baselineState"] == "absent"
    loc = stale["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "pairs/meeting/baseline.json"
    text = (ci["root"] / "pairs" / "meeting" / "baseline.json").read_text("utf-8")
    assert STALE_ID in text.splitlines()[loc["region"]["startLine"] - 1]
    # A passing pair that allows new findings still reports them, open.
    ok = results_by_finding(sarif, "meeting-ok")
    assert set(ok) == {f["id"] for f in report_of(ci["root"] / "reports", "meeting-ok")["findings"]}
    assert {r["baselineState"] for r in ok.values()} <= {"new"}

def test_sarif_regions_point_into_the_right_file(ci, sarif):
    results = results_by_finding(sarif)
    segments = ci["report"]["segments"]
    for f in ci["new"] + ci["accepted"]:
        addition = f["kind"] in ("addition", "partial-addition")
        side = "translation" if addition or not f["src_spans"] and not f["src"] else "source"
        loc = results[f["id"]]["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == f"pairs/meeting/{'en' if side == 'translation' else 'ru'}.txt"
        text, region = ci["texts"][side], loc["region"]
        start = region["charOffset"]
        assert (region["startLine"], region["startColumn"]) == (
            text[:start].count("\n") + 1, start - (text.rfind("\n", 0, start) + 1) + 1)
        covered = text[start:start + region["charLength"]]
        spans = f["src_spans"] if side == "source" else f["tgt_spans"]
        for a, b in spans:
            assert text[a:b] in covered
        if f["kind"] in ("omission", "addition"):  # whole sentences: the region is exactly them
            idx = f["src"] if side == "source" else f["tgt"]
            assert " ".join(covered.split()) == " ".join(segments[side][i]["text"] for i in idx)
    added = [f for f in ci["new"] if f["kind"] == "addition"]
    assert any("football" in ci["texts"]["translation"][
        results[f["id"]]["locations"][0]["physicalLocation"]["region"]["charOffset"]:][:200] for f in added)


# --- GitHub Actions ------------------------------------------------------------------------------


def test_github_annotations_for_new_findings(ci):
    lines = ci["proc"].stdout.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    for f in ci["new"]:
        # info findings (boilerplate, a name a neighbour carries) are notices: they fail nothing.
        level = "::notice " if f["severity"] == "info" else "::error "
        ann = next(line for line in lines if f["id"] in line and line.startswith(level))
        props = dict(p.split("=", 1) for p in ann[len(level):].split("::", 1)[0].split(","))
        assert props["file"] in ("pairs/meeting/en.txt", "pairs/meeting/ru.txt")
        assert int(props["line"]) >= 1 and int(props["col"]) >= 1 and "meeting" in props["title"]
    for f in ci["accepted"]:
        assert not any(f["id"] in line for line in errors)
    assert any(line.startswith("::warning ") and STALE_ID in line for line in lines)
    assert not any("meeting-ok" in line for line in errors)


def test_github_step_summary_is_appended(ci):
    text = ci["summary"].read_text("utf-8")
    assert text.startswith("# an earlier step\n")
    assert "## align check: 1 of 2 pairs passed" in text
    assert re.search(r"\| meeting \| ❌ fail \|", text) and re.search(r"\| meeting-ok \| ✅ pass \|", text)
    assert "### align: meeting:" in text  # each pair's own Markdown summary (align.outputs.exports.render_md)


def test_no_annotations_outside_github_actions(ci, shared_cache):
    proc = align_process("check", "--reports", "elsewhere", cwd=ci["root"], env={"ALIGN_CACHE_DIR": str(shared_cache)})
    assert proc.returncode == 1 and "::" not in proc.stdout


def test_workflow_command_escaping_follows_github_rules():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_line_column_counts_from_one():
    text = "first\nsecond line\n"
    assert line_column(text, 0) == (1, 1)
    assert line_column(text, text.index("line")) == (2, 8)
    assert line_column(text, len(text)) == (3, 1)
