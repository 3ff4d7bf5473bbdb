"""review.xlsx: findings and units sheets a reviewer can filter and decide on, the same bytes every time,
and the filled-in decision column read back by `align baseline --from-decisions`."""
from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from ci_helpers import EN_DROP_ADD, align, one_error_line, report_of, write_pair
from openpyxl import load_workbook

from align.errors import InputError
from align.outputs.exports import write_outputs
from align.outputs.xlsx import FINDING_COLUMNS, FIXED_TIME, load_decisions, render_xlsx
from align.steps.report import Report

DATA = Path(__file__).resolve().parent / "data" / "html"


@pytest.fixture()
def small() -> dict[str, Any]:
    return json.loads((DATA / "small.report.json").read_text(encoding="utf-8"))


def workbook(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def rows(ws: Any) -> list[dict[str, Any]]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], r)) for r in values[1:]]


def joined(report: dict[str, Any], side: str, idx: list[int]) -> str:
    return " ".join(report["segments"][side][i]["text"] for i in idx)


def test_findings_sheet_has_every_finding_with_its_texts_and_empty_decision_columns(small):
    wb = workbook(render_xlsx(Report.from_json(small)))
    assert wb.sheetnames == ["findings", "units", "about"]
    ws = wb["findings"]
    assert [c.value for c in ws[1]] == list(FINDING_COLUMNS)
    got = rows(ws)
    assert [r["id"] for r in got] == [f["id"] for f in small["findings"]]
    for row, f in zip(got, small["findings"]):
        assert row["kind"] == (f"drift.{f['check']}" if f["kind"] == "drift" else f["kind"])
        assert row["severity"] == f["severity"] and row["detail"] == f["detail"]
        assert (row["source"] or "") == joined(small, "source", f["src"])
        assert (row["translation"] or "") == joined(small, "translation", f["tgt"])
        assert json.loads(row["evidence"]) == f["evidence"]
        assert row["decision"] is None and row["note"] is None
    # Headers frozen, filters on, a drop-down of exactly the two decisions on the decision column.
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:K{len(got) + 1}"
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"accepted,false-alarm"'
    assert str(dv.sqref).startswith("J2:")


def test_units_sheet_has_every_alignment_unit(small):
    units = rows(workbook(render_xlsx(Report.from_json(small)))["units"])
    assert len(units) == len(small["alignments"])
    for row, a in zip(units, small["alignments"]):
        assert row["type"] == a["type"]
        assert (row["source"] or "") == joined(small, "source", a["src"])
        assert (row["translation"] or "") == joined(small, "translation", a["tgt"])
        assert row["similarity"] == (None if a["similarity"] is None else pytest.approx(a["similarity"]))
    assert workbook(render_xlsx(Report.from_json(small)))["units"].freeze_panes == "A2"


def test_same_report_same_bytes_with_timestamps_pinned(small):
    first = render_xlsx(Report.from_json(small))
    assert render_xlsx(Report.from_json(copy.deepcopy(small))) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count(FIXED_TIME) == 2  # created and modified


def test_text_that_looks_like_a_formula_stays_text(small):
    report = copy.deepcopy(small)
    report["findings"][0]["detail"] = '=HYPERLINK("http://evil.invalid","click")'
    report["segments"]["source"][report["findings"][0]["src"][0]]["text"] = "=1+1\x01 bell"
    ws = workbook(render_xlsx(Report.from_json(report)))["findings"]
    detail, source = ws.cell(2, FINDING_COLUMNS.index("detail") + 1), ws.cell(2, FINDING_COLUMNS.index("source") + 1)
    assert detail.data_type == "s" and detail.value.startswith("=HYPERLINK")
    assert source.data_type == "s" and source.value.startswith("=1+1 bell")


def fill(data: bytes, path: Path, decisions: dict[int, tuple[str, str | None]]) -> Path:
    """Type decisions into the findings sheet as a reviewer would (row k = k-th finding) and save."""
    wb = workbook(data)
    ws = wb["findings"]
    for k, (decision, note) in decisions.items():
        ws.cell(k + 2, FINDING_COLUMNS.index("decision") + 1).value = decision
        ws.cell(k + 2, FINDING_COLUMNS.index("note") + 1).value = note
    wb.save(path)
    return path


def test_filled_in_decisions_are_read_back(small, tmp_path):
    path = fill(render_xlsx(Report.from_json(small)), tmp_path / "review.xlsx",
                {0: ("accepted", None), 2: ("false-alarm", "the heading is not content"), 3: (" False-Alarm ", "")})
    got = load_decisions(path, small["pair"])
    ids = [f["id"] for f in small["findings"]]
    assert {k: (d.decision, d.note) for k, d in got.items()} == {
        ids[0]: ("accepted", ""), ids[2]: ("false-alarm", "the heading is not content"), ids[3]: ("false-alarm", "")}


@pytest.mark.parametrize("decisions, needle", [
    ({1: ("maybe", None)}, "findings!J3: 'maybe' is not one of accepted, false-alarm"),
])
def test_a_bad_decision_names_its_cell(small, tmp_path, decisions, needle):
    path = fill(render_xlsx(Report.from_json(small)), tmp_path / "review.xlsx", decisions)
    with pytest.raises(InputError, match=needle):
        load_decisions(path, small["pair"])


def test_another_pairs_workbook_and_broken_files_are_refused(small, tmp_path):
    path = tmp_path / "review.xlsx"
    path.write_bytes(render_xlsx(Report.from_json(small)))
    with pytest.raises(InputError, match="belongs to pair"):
        load_decisions(path, "someone-else")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable .xlsx workbook"):
        load_decisions(broken, small["pair"])
    from openpyxl import Workbook
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    with pytest.raises(InputError, match="not an align review workbook"):
        load_decisions(plain, small["pair"])


def test_write_outputs_writes_review_xlsx(small, tmp_path):
    (path,) = write_outputs(Report.from_json(small), tmp_path, {"xlsx"})
    assert path == tmp_path / "review.xlsx" and path.read_bytes() == render_xlsx(Report.from_json(small))
    assert [p.name for p in tmp_path.iterdir()] == ["review.xlsx"]  # no temporary file left behind


def test_baseline_from_a_filled_in_workbook(workspace):
    pair = write_pair(workspace, "meeting", EN_DROP_ADD)
    result = align("compare", str(pair), "--format", "json,xlsx", "-q")
    assert result.exit_code == 0, result.output
    findings = report_of(workspace / "reports", "meeting")["findings"]
    assert len(findings) >= 2
    sheet = fill((workspace / "reports" / "meeting" / "review.xlsx").read_bytes(), workspace / "meeting.xlsx",
                 {0: ("false-alarm", "the heading is not content"), 1: ("accepted", None)})

    result = align("baseline", str(pair), "--from-decisions", str(sheet))
    assert result.exit_code == 0, result.output
    written = json.loads((pair / "baseline.json").read_text("utf-8"))
    assert {(f["id"], f["decision"], f["note"]) for f in written["findings"]} == {
        (findings[0]["id"], "false-alarm", "the heading is not content"), (findings[1]["id"], "accepted", "")}

    other = workspace / "other.xlsx"
    other.write_bytes(b"not a workbook")
    bad = align("baseline", str(pair), "--from-decisions", str(other))
    assert bad.exit_code == 2
    one_error_line(bad.stderr, "other.xlsx", "not a readable .xlsx workbook")
