"""review.xlsx: the findings and units of a report as an Excel workbook a reviewer fills in.

Xbench, Verifika and Okapi CheckMate all hand QA results to reviewers as
spreadsheets; this is align's. Three sheets:

- ``findings``: one row per finding (id, kind, severity, unit, where, source,
  translation, detail, evidence) and two columns the reviewer fills in:
  ``decision`` (a drop-down: accepted / false-alarm, empty = not decided) and
  ``note``. `align baseline --from-decisions review.xlsx` reads them back, as it
  reads the review page's exported decisions.
- ``units``: every alignment unit with both texts, its type, similarity and the
  status of its segments.
- ``about``: the format name and version and the pair id, which
  `load_decisions` checks so that one pair's sheet never updates another's baseline.

Headers are frozen and auto-filtered. The bytes are a function of the report:
openpyxl stamps the current time into docProps/core.xml and into every zip
entry, so both are pinned to a fixed epoch (`FIXED_TIME`) after saving.
Every text is written as a string cell (never a formula, even if it starts
with '='), with the characters XML cannot carry removed.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..errors import InputError
from ..model import Origin
from ..steps.report import Report, ReviewedSegment
from .exports import where

if TYPE_CHECKING:
    from ..ci.baseline import Decision

FORMAT = "align-review-xlsx"
VERSION = 1
FIXED_TIME = "1980-01-01T00:00:00Z"  # the zip format's own epoch: nothing earlier fits in a zip entry
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CELL_MAX = 32_000  # Excel holds at most 32,767 characters in a cell
FINDING_COLUMNS = ("id", "kind", "severity", "unit", "where", "source", "translation", "detail", "evidence",
                   "decision", "note")
UNIT_COLUMNS = ("unit #", "type", "similarity", "unit", "source", "translation", "source status", "translation status",
                "state", "notes")
_WIDTHS = {"id": 18, "kind": 18, "severity": 9, "unit": 14, "where": 12, "source": 60, "translation": 60,
           "detail": 50, "evidence": 40, "decision": 13, "note": 40, "unit #": 7, "type": 7, "similarity": 10,
           "source status": 14, "translation status": 16, "state": 14, "notes": 30}
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def render_xlsx(report: Report) -> bytes:
    """The workbook's bytes; the same report gives the same bytes."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..ci.baseline import DECISIONS

    wb = Workbook()
    findings = wb.active
    findings.title = "findings"
    _sheet(findings, FINDING_COLUMNS, _finding_rows(report))
    n = max(findings.max_row, 2)
    col = _letter(FINDING_COLUMNS.index("decision"))
    dv = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="decision",
                        error="accepted (a real problem, seen) or false-alarm (not a problem); leave empty if undecided")
    dv.add(f"{col}2:{col}{max(n, 1000)}")
    findings.add_data_validation(dv)
    _sheet(wb.create_sheet("units"), UNIT_COLUMNS, _unit_rows(report))
    about = wb.create_sheet("about")
    for row in (("format", FORMAT), ("version", VERSION), ("pair", report.pair), ("signature", report.signature),
                ("how to review", "Fill in the findings sheet's decision column (accepted or false-alarm) and note, "
                                  "then run: align baseline PAIR_DIR --from-decisions THIS_FILE.xlsx")):
        about.append([_text(str(v)) if isinstance(v, str) else v for v in row])
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 16, 100
    wb.properties.creator = "align"
    wb.properties.title = f"align review: {report.pair}"
    buf = io.BytesIO()
    wb.save(buf)
    return _pinned(buf.getvalue())


def _sheet(ws: Any, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Font

    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a text starting with '=' stays text, never a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{_letter(len(columns) - 1)}{max(ws.max_row, 1)}"
    for k, name in enumerate(columns):
        ws.column_dimensions[_letter(k)].width = _WIDTHS.get(name, 12)


def _letter(k: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(k + 1)


def _text(value: str) -> str:
    """Text a cell can hold: no XML-illegal characters, at most CELL_MAX characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value if len(value) <= CELL_MAX else value[: CELL_MAX - 1] + "…"


def _joined(segments: tuple[ReviewedSegment, ...], indices: tuple[int, ...]) -> str:
    """The segments' texts as a reader sees them: an XLIFF segment with its inline tags."""
    return " ".join((segments[i].origin and segments[i].origin.tagged) or segments[i].text for i in indices
                    if 0 <= i < len(segments))


def _origins(segments: tuple[ReviewedSegment, ...], indices: Iterable[int]) -> list[Origin]:
    return [o for o in (segments[i].origin for i in indices if 0 <= i < len(segments)) if o is not None]


def _unit_cell(*groups: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(u for g in groups for u in g if u))


def _finding_rows(report: Report) -> list[list[Any]]:
    src, tgt = report.segments.source, report.segments.translation
    rows = []
    for f in report.findings:
        units = f.units or [o.unit for o in _origins(src, f.src) + _origins(tgt, f.tgt)]
        rows.append([_text(f.id), f.key, str(f.severity), _text(_unit_cell(units)),
                     where(f), _text(_joined(src, f.src)), _text(_joined(tgt, f.tgt)), _text(f.detail),
                     _text(json.dumps(f.evidence, ensure_ascii=False, sort_keys=True)), None, None])
    return rows


def _unit_rows(report: Report) -> list[list[Any]]:
    src, tgt = report.segments.source, report.segments.translation
    rows = []
    for k, a in enumerate(report.alignments):
        origins = _origins(src, a.src) + _origins(tgt, a.tgt)
        status = lambda segs, idx: ", ".join(  # noqa: E731
            sorted({segs[i].status for i in idx if 0 <= i < len(segs)}))
        rows.append([k, a.kind, None if a.similarity is None else round(float(a.similarity), 4),
                     _text(_unit_cell(o.unit for o in origins)),
                     _text(_joined(src, a.src)), _text(_joined(tgt, a.tgt)), status(src, a.src), status(tgt, a.tgt),
                     _text(_unit_cell(o.state or "" for o in origins)),
                     _text(_unit_cell(o.notes or "" for o in origins))])
    return rows


def _pinned(data: bytes) -> bytes:
    """The same archive with every timestamp fixed: zip entries' and docProps/core.xml's."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_TIMES.sub(rb"\g<1>" + FIXED_TIME.encode() + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zout.writestr(entry, body)
    return out.getvalue()


# --- reading a filled-in workbook back ---------------------------------------------


def load_decisions(path: Path, pair_id: str) -> dict[str, Decision]:
    """The decisions a reviewer typed into review.xlsx, by finding id; refuses another pair's sheet.

    Rows with an empty decision are undecided and left out; a decision other than
    accepted / false-alarm is an error naming its cell.
    """
    from openpyxl import load_workbook

    from ..ci.baseline import DECISIONS, Decision

    name = str(path)
    if not path.is_file():
        raise InputError(f"{name}: no such file")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, lxml/XML errors: all mean a broken workbook
        raise InputError(f"{name}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        about = {str(r[0]): r[1] for r in wb["about"].iter_rows(values_only=True) if r and r[0] is not None} \
            if "about" in wb.sheetnames else {}
        if about.get("format") != FORMAT:
            raise InputError(f"{name}: not an align review workbook (its about sheet does not say format {FORMAT})")
        if str(about.get("version")) != str(VERSION):
            raise InputError(f"{name}: version: {about.get('version')!r} is not supported (only {VERSION})")
        if about.get("pair") != pair_id:
            raise InputError(f"{name}: pair: the workbook belongs to pair {about.get('pair')!r}, not {pair_id!r}")
        if "findings" not in wb.sheetnames:
            raise InputError(f"{name}: the findings sheet is missing")
        rows = wb["findings"].iter_rows(values_only=True)
        header = [str(h).strip().lower() if h is not None else "" for h in next(rows, ())]
        missing = [c for c in ("id", "decision", "note") if c not in header]
        if missing:
            raise InputError(f"{name}: findings sheet: no {', '.join(missing)} column in the header row")
        at = {c: header.index(c) for c in ("id", "decision", "note")}
        out: dict[str, Decision] = {}
        for number, row in enumerate(rows, 2):
            cell = lambda c: row[at[c]] if at[c] < len(row) else None  # noqa: E731
            fid, decision, note = cell("id"), cell("decision"), cell("note")
            decision = "" if decision is None else str(decision).strip().lower()
            if not decision:
                continue
            if decision not in DECISIONS:
                col = _letter(at["decision"])
                raise InputError(f"{name}: findings!{col}{number}: {decision!r} is not one of {', '.join(DECISIONS)}")
            if fid is None or not str(fid).strip():
                raise InputError(f"{name}: findings!{_letter(at['id'])}{number}: a decision without a finding id")
            fid = str(fid).strip()
            if fid in out:
                raise InputError(f"{name}: finding {fid} is listed twice")
            out[fid] = Decision(decision, "" if note is None else str(note))
        return out
    finally:
        wb.close()
