"""PO files in `align score`: entries named by their line, fuzzy ones flagged, untranslated and obsolete
ones skipped, syntax errors refused in one line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from ci_helpers import align, refused

from align.steps.read import read_localisation

PO = Path(__file__).resolve().parent / "data" / "formats" / "csto-session.po"


def test_entries_lines_states_notes_and_language():
    loc = read_localisation(PO, None, None)
    assert loc.format == "po" and loc.translation_lang == "ru" and loc.source_lang is None  # detected later
    assert [u.unit for u in loc.units] == ["line 13", "line 18", "line 22", "line 28", "line 32", "line 36", "line 44"]
    assert loc.skipped == {"untranslated": 1, "obsolete": 1}
    by_line = {u.unit: u for u in loc.units}
    assert by_line["line 13"].notes == "Headline" and by_line["line 13"].state == "translated"
    assert by_line["line 28"].state == "fuzzy"
    assert by_line["line 28"].notes == "Check the quote against the official transcript."
    assert by_line["line 44"].translation == "Подписан %d документ"  # plurals: the singular is checked


def test_score_po_names_the_entry_of_every_finding(workspace):
    result = align("score", str(PO), "--out", "out", "--format", "json,xlsx", "-q")
    assert result.exit_code == 0, result.output
    report = json.loads((workspace / "out" / "report.json").read_text("utf-8"))
    assert report["inputs"]["source"]["lang"] == "en" and report["inputs"]["translation"]["lang"] == "ru"
    checks = {(f["check"], tuple(f["units"])) for f in report["findings"]}
    assert ("name", ("line 32",)) in checks and ("number", ("line 36",)) in checks
    fuzzy = [s for s in report["segments"]["source"] if s.get("state") == "fuzzy"]
    assert [s["unit"] for s in fuzzy] == ["line 28"]


@pytest.mark.parametrize("text, needle", [
    ('msgid "Hello"\nmsgstr "Привет\n', "not a readable PO file: end-of-line within string on line 2"),
    ('msgid "Hello"\nmsgstr_bogus "Привет"\n', "not a readable PO file: Syntax error on line 2"),
    ('msgid ""\nmsgstr "Language: ru\\n"\n\nmsgid "Hello"\nmsgstr ""\n',
     "no translated units to check (left out: 1 untranslated)"),
])
def test_bad_po_is_one_line_exit_2(workspace, text, needle):
    refused(workspace, "score", "bad.po", text, needle)
