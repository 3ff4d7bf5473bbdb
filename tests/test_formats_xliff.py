"""XLIFF 1.2 and 2.0 in `align score`: unit ids on every finding, inline tags kept out of what is compared but
kept in what is shown, states and notes recorded, untranslated units skipped, broken files refused."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ci_helpers import align, refused
from openpyxl import load_workbook

from align.errors import InputError
from align.steps.read import read_localisation
from align.steps.read.xliff import content

DATA = Path(__file__).resolve().parent / "data" / "formats"
SCHEMA = Path(__file__).resolve().parent.parent / "align" / "schema" / "report.schema.json"
V12, V20 = DATA / "csto-session.xlf", DATA / "csto-session.xliff2.xlf"


def units(path: Path) -> dict[str, object]:
    return {u.unit: u for u in read_localisation(path, None, None).units}


def test_xliff_12_units_ids_states_notes_and_languages():
    loc = read_localisation(V12, None, None)
    assert loc.format == "xliff-1.2" and (loc.source_lang, loc.translation_lang) == ("ru", "en")
    assert [u.unit for u in loc.units] == ["headline", "p1-s1", "p2-s1", "p2-s2", "p3-s1", "p4-s1"]
    assert loc.skipped == {"untranslated": 1, "not translatable": 1}  # p4-s2 (state new, empty), footer
    by_id = {u.unit: u for u in loc.units}
    assert by_id["headline"].state == "final" and by_id["headline"].notes == "Headline: keep under 100 characters."
    assert by_id["p2-s2"].state == "needs-review-translation" and by_id["p2-s2"].notes == "Quote from the President's speech."


def test_xliff_20_units_ids_states_and_unit_level_notes():
    loc = read_localisation(V20, None, None)
    assert loc.format == "xliff-2.0" and (loc.source_lang, loc.translation_lang) == ("ru", "en")
    assert [u.unit for u in loc.units] == ["headline::1", "p1::1", "p2::1", "p2::2", "p3::1", "p4::1"]
    assert loc.skipped == {"untranslated": 1, "not translatable": 1}
    by_id = {u.unit: u for u in loc.units}
    assert by_id["headline::1"].notes == "Headline: keep under 100 characters."  # <notes> sit in the <unit>
    assert by_id["p2::2"].state == "initial" and by_id["p1::1"].state == "reviewed"


@pytest.mark.parametrize("path, unit, tagged_piece", [
    (V12, "p2-s2", '<bpt id="3">&lt;b&gt;</bpt>fire of war<ept id="3">&lt;/b&gt;</ept>'),
    (V20, "p2::2", '<sc id="3" dataRef="d1"/>fire of war<ec startRef="3" dataRef="d2"/>'),
])
def test_inline_codes_are_not_text_but_are_kept_for_display(path, unit, tagged_piece):
    u = units(path)[unit]
    assert u.translation == "We need to stop before the fire of war burns all countries and continents."
    assert "<" not in u.source and "<" not in u.translation  # the native code <b> is not compared
    assert tagged_piece in u.translation_tagged


def test_text_inside_paired_tags_is_content_and_untagged_units_have_no_tagged_copy():
    u = units(V12)["p2-s1"]
    assert u.source == "Казахстан приветствует последние договоренности о временном перемирии."
    assert u.source_tagged == ('Казахстан приветствует последние договоренности о '
                               '<g id="1" ctype="italic">временном перемирии</g>.<x id="2" ctype="lb"/>')
    assert units(V12)["p1-s1"].source_tagged is None


def test_content_of_mrk_and_cp():
    from lxml import etree

    el = etree.fromstring('<target xmlns="urn:oasis:names:tc:xliff:document:2.0">a <mrk id="m" type="term">CSTO</mrk>'
                          '<cp hex="0007"/> b<ph id="1" disp="{0}"/></target>')
    plain, tagged = content(el)
    assert plain == "a CSTO\x07 b"
    assert tagged == 'a <mrk id="m" type="term">CSTO</mrk><cp hex="0007"/> b<ph id="1" disp="{0}"/>'


@pytest.mark.parametrize("path, prefix", [(V12, ""), (V20, "::1")])
def test_score_names_the_unit_of_every_finding(workspace, path, prefix):
    result = align("score", str(path), "--out", "out", "--format", "json,html,xlsx", "-q")
    assert result.exit_code == 0, result.output
    report = json.loads((workspace / "out" / "report.json").read_text("utf-8"))
    jsonschema.validate(report, json.loads(SCHEMA.read_text("utf-8")), cls=jsonschema.Draft202012Validator)
    assert report["settings"]["format"] == ("xliff-1.2" if path == V12 else "xliff-2.0")
    assert report["settings"]["skipped_units"] == {"untranslated": 1, "not translatable": 1}
    findings = report["findings"]
    assert findings and all(f.get("units") for f in findings)
    p3, p4 = ("p3-s1", "p4-s1") if path == V12 else ("p3::1", "p4::1")
    by_check = {(f["check"], tuple(f["units"])) for f in findings}
    assert ("name", (p3,)) in by_check  # Герат rendered as Kabul
    assert ("number", (p4,)) in by_check  # 2024 rendered as 2025
    seg = {s["unit"]: s for s in report["segments"]["translation"]}
    tagged_unit = "p2-s2" if path == V12 else "p2::2"
    assert "fire of war" in seg[tagged_unit]["tagged"] and "<" not in seg[tagged_unit]["text"]
    page = (workspace / "out" / "report.html").read_text("utf-8")
    assert f"unit {p3}" in page and "with tags: We need to stop before the &lt;" in page
    sheet = load_workbook(workspace / "out" / "review.xlsx")
    rows = list(sheet["findings"].iter_rows(values_only=True))
    assert {r[rows[0].index("unit")] for r in rows[1:]} >= {p3, p4}
    units = list(sheet["units"].iter_rows(values_only=True))
    shown = {r[units[0].index("unit")]: r for r in units[1:]}
    assert "<" in shown[tagged_unit][units[0].index("translation")]  # the tagged text is what a reviewer sees
    assert shown[tagged_unit][units[0].index("state")] in ("needs-review-translation", "initial")


def test_xliff_that_is_not_xml_is_one_line_exit_2(workspace):
    refused(workspace, "score", "broken.xlf", '<?xml version="1.0"?>\n<xliff version="1.2"><file><body><trans-unit id="1">\n',
            "not valid XLIFF: not well-formed XML")


@pytest.mark.parametrize("text, needle", [
    ('<?xml version="1.0"?><tmx version="1.4"><body/></tmx>', "not an XLIFF file (root element is <tmx>)"),
    ('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="ru" '
     'target-language="en" datatype="plaintext"><body><trans-unit id="1"><source>Привет, мир.</source></trans-unit>'
     '</body></file></xliff>', "no translated units to check (left out: 1 untranslated)"),
    ("", "the file is empty"),
])
def test_unusable_xliff_is_refused(workspace, text, needle):
    refused(workspace, "score", "f.xlf", text, needle)


def test_entities_are_not_expanded(tmp_path):
    """An XLIFF with a DOCTYPE defining entities (billion laughs, external files) is refused, not expanded."""
    path = tmp_path / "evil.xlf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" '
                    'source-language="ru" target-language="en" datatype="plaintext"><body><trans-unit id="1">'
                    '<source>Привет &e;</source><target>Hello &e;</target></trans-unit></body></file></xliff>', "utf-8")
    try:
        loc = read_localisation(path, None, None)
    except InputError:
        return
    assert all("root:" not in u.source + u.translation for u in loc.units)
