"""Baselines: written deterministically, updated without losing a reviewer's decisions, read back from the
review page's exported decisions, and refused when they belong to another pair."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from ci_helpers import (
    EN_DROP,
    EN_DROP_ADD,
    align,
    one_error_line,
    report_of,
    use_baseline,
    write_pair,
)

from align.ci import baseline as baselines
from align.errors import InputError
from align.model import Finding


def finding(fid: str, kind: str = "omission", check: str | None = None, severity: str = "major") -> Finding:
    return Finding(id=fid, kind=kind, check=check, severity=severity, src=(0,), tgt=(), src_spans=(), tgt_spans=(),
                   detail=f"detail of {fid}")


def test_file_is_sorted_by_id_and_the_same_bytes_every_time():
    findings = [finding("ff00"), finding("0a11", "drift", "number"), finding("5c22", "addition")]
    first, _ = baselines.updated(findings, None, "p")
    second, _ = baselines.updated(list(reversed(findings)), None, "p")
    text = baselines.dumps(first)
    assert text == baselines.dumps(second)
    data = json.loads(text)
    assert data["format"] == "align-baseline" and data["version"] == 1 and data["pair"] == "p"
    assert [f["id"] for f in data["findings"]] == sorted(f.id for f in findings)
    assert {f["decision"] for f in data["findings"]} == {"accepted"}
    assert set(data["findings"][0]) == {"id", "kind", "check", "severity", "detail", "decision", "note"}


def test_update_keeps_decisions_drops_stale_and_applies_new_decisions(tmp_path):
    old = baselines.Baseline("p", (
        baselines.Entry("aaaa", "omission", None, "major", "x", "false-alarm", "a heading, not content"),
        baselines.Entry("bbbb", "addition", None, "major", "y", "accepted", "from another meeting"),
    ))
    current = [finding("aaaa"), finding("cccc"), finding("dddd")]

    everything, change = baselines.updated(current, old, "p")
    by_id = everything.by_id()
    assert set(by_id) == {"aaaa", "cccc", "dddd"}  # bbbb no longer occurs
    assert (by_id["aaaa"].decision, by_id["aaaa"].note) == ("false-alarm", "a heading, not content")
    assert [e.id for e in change.removed] == ["bbbb"] and change.added == 2 and change.kept == 1

    decisions = {"cccc": baselines.Decision("accepted", "checked with the editor"),
                 "aaaa": baselines.Decision("accepted", ""), "zzzz": baselines.Decision("false-alarm", "")}
    decided, change = baselines.updated(current, old, "p", decisions)
    by_id = decided.by_id()
    assert set(by_id) == {"aaaa", "cccc"}  # dddd was not decided: it stays new
    assert by_id["aaaa"].decision == "accepted" and by_id["cccc"].note == "checked with the editor"
    assert change.changed == 1 and change.unknown == ("zzzz",)

    path = tmp_path / "baseline.json"
    path.write_text(baselines.dumps(decided), "utf-8")
    assert baselines.load(path, "p") == decided


@pytest.mark.parametrize("content, needle", [
    ({"format": "align-baseline", "version": 1, "pair": "q", "findings": []}, "'q'"),
    ({"format": "align-decisions", "version": 1, "pair": "p", "decisions": []}, "format"),
    ({"format": "align-baseline", "version": 2, "pair": "p", "findings": []}, "version"),
    ({"format": "align-baseline", "version": 1, "pair": "p", "findings": [{"id": "a", "kind": "omission",
      "severity": "major", "decision": "maybe"}]}, "findings[0].decision"),
])
def test_bad_baseline_file_is_refused_naming_it(tmp_path, content, needle):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(content), "utf-8")
    with pytest.raises(InputError) as exc:
        baselines.load(path, "p")
    assert str(exc.value).startswith(str(path)) and needle in str(exc.value)


def decisions_file(path: Path, pair_id: str, decisions: list[dict]) -> Path:
    """What the review page's "export decisions" button downloads (see exportDecisions in report.html.j2)."""
    path.write_text(json.dumps({"format": "align-decisions", "version": 1, "pair": pair_id, "decisions": decisions},
                               indent=1) + "\n", "utf-8")
    return path


def test_baseline_from_review_page_decisions(workspace):
    pair = write_pair(workspace, "meeting", EN_DROP_ADD)
    assert align("check").exit_code == 1
    findings = report_of(workspace / "reports", "meeting")["findings"]
    assert len(findings) >= 2
    alarm, accepted = findings[0]["id"], findings[1]["id"]
    exported = decisions_file(workspace / "meeting.decisions.json", "meeting", [
        {"id": alarm, "decision": "false-alarm", "note": "the heading is not content"},
        {"id": accepted, "decision": "accepted", "note": ""},
    ])

    result = align("baseline", str(pair), "--from-decisions", str(exported))
    assert result.exit_code == 0, result.output
    written = json.loads((pair / "baseline.json").read_text("utf-8"))
    assert {(f["id"], f["decision"], f["note"]) for f in written["findings"]} == {
        (alarm, "false-alarm", "the heading is not content"), (accepted, "accepted", "")}

    use_baseline(pair)
    check = align("check")
    undecided = [f["id"] for f in findings if f["id"] not in (alarm, accepted)]
    assert check.exit_code == (1 if undecided else 0)
    assert "false alarms 1" in check.stdout and "accepted 1" in check.stdout
    assert f"new: {alarm}" not in check.stdout and f"new: {accepted}" not in check.stdout

    # Accepting the rest keeps the reviewer's decisions.
    assert align("baseline", str(pair)).exit_code == 0
    again = {f["id"]: f for f in json.loads((pair / "baseline.json").read_text("utf-8"))["findings"]}
    assert again[alarm]["decision"] == "false-alarm" and again[alarm]["note"] == "the heading is not content"
    assert set(again) == {f["id"] for f in findings}
    assert align("check").exit_code == 0


def test_decisions_for_another_pair_are_refused(workspace):
    pair = write_pair(workspace, "meeting", EN_DROP)
    other = decisions_file(workspace / "other.decisions.json", "someone-else", [])
    result = align("baseline", str(pair), "--from-decisions", str(other))
    assert result.exit_code == 2
    one_error_line(result.stderr, "other.decisions.json", "someone-else")
    assert not (pair / "baseline.json").exists()


def test_baseline_of_a_directory_without_manifest(workspace):
    (workspace / "nothing").mkdir()
    result = align("baseline", "nothing")
    assert result.exit_code == 2
    one_error_line(result.stderr, "pair.toml")
