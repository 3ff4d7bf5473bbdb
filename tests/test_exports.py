"""Exports beside report.json: jsonl, summary.md, alignment.tmx, alignment.tsv (and html/json through write_outputs)."""
from __future__ import annotations

import copy
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from align.errors import InputError
from align.outputs import exports
from align.outputs.exports import (
    FORMATS,
    parse_formats,
    render_jsonl,
    render_md,
    render_tmx,
    render_tsv,
    tmx_units,
    write_outputs,
)
from align.steps.report import Report, dumps

DATA = Path(__file__).resolve().parent / "data" / "html"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture()
def small() -> dict[str, Any]:
    """9 source / 6 translation sentences: every row kind, a moved link, boilerplate and markup in the texts."""
    return load("small.report.json")


@pytest.fixture()
def seed() -> dict[str, Any]:
    return load("csto-2023-narrow-session.report.json")


def one(el: ET.Element, path: str) -> ET.Element:
    """el.find(path), which must exist."""
    found = el.find(path)
    assert found is not None, path
    return found


def joined(report: dict[str, Any], side: str, idx: list[int]) -> str:
    segs = report["segments"]["source" if side == "src" else "translation"]
    return " ".join(segs[i]["text"] for i in idx)


# --- write_outputs ---------------------------------------------------------------


def test_write_outputs_writes_each_chosen_format_atomically(small: dict[str, Any], tmp_path: Path) -> None:
    written = write_outputs(Report.from_json(small), tmp_path, set(FORMATS))
    assert [p.name for p in written] == list(FORMATS.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FORMATS.values())  # no temporary files left
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == dumps(small)
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = tmp_path / "again"
    write_outputs(Report.from_json(small), again, set(FORMATS))
    for p in written:
        assert (again / p.name).read_bytes() == p.read_bytes(), p.name  # deterministic


def _old_set(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True, exist_ok=True)
    old = {name: f"old {name}\n".encode() for name in FORMATS.values()}
    for name, data in old.items():
        (out / name).write_bytes(data)
    return old


def test_a_failing_renderer_replaces_none_of_the_old_set(small: dict[str, Any], tmp_path: Path, monkeypatch) -> None:
    old = _old_set(tmp_path)

    def broken(report: dict[str, Any]) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(exports.RENDERERS, "tsv", broken)  # the last format: every other one renders first
    with pytest.raises(RuntimeError, match="renderer bug"):
        write_outputs(Report.from_json(small), tmp_path, set(FORMATS))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == old  # untouched, no temporary files


def test_a_failing_write_replaces_none_of_the_old_set(small: dict[str, Any], tmp_path: Path, monkeypatch) -> None:
    """Even when the last rename fails, the files already renamed get their old contents back."""
    import align.steps.report as report_module

    old = _old_set(tmp_path)
    real_replace = os.replace

    def failing_on_tsv(src: str, dst: Any) -> None:
        if str(dst).endswith("alignment.tsv"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(report_module.os, "replace", failing_on_tsv)
    with pytest.raises(InputError, match="alignment.tsv: cannot write: No space left on device"):
        write_outputs(Report.from_json(small), tmp_path, set(FORMATS))
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == old


def test_a_directory_where_a_report_goes_is_an_input_error_before_anything_is_written(
    small: dict[str, Any], tmp_path: Path
) -> None:
    old = _old_set(tmp_path)
    (tmp_path / "summary.md").unlink()
    (tmp_path / "summary.md").mkdir()
    with pytest.raises(InputError, match="summary.md: is a directory"):
        write_outputs(Report.from_json(small), tmp_path, set(FORMATS))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == {
        k: v for k, v in old.items() if k != "summary.md"}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(old)  # no temporary files left


def test_an_out_directory_that_is_a_file_is_an_input_error(small: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file", encoding="utf-8")
    with pytest.raises(InputError, match="out: is a file, not a directory"):
        write_outputs(Report.from_json(small), tmp_path / "out" / "sub", {"json"})
    assert (tmp_path / "out").read_text(encoding="utf-8") == "a file"


def test_default_and_unknown_formats(small: dict[str, Any], tmp_path: Path) -> None:
    assert parse_formats("html,json") == {"html", "json"}
    assert parse_formats(" TMX , tsv ,") == {"tmx", "tsv"}
    with pytest.raises(InputError, match="unknown --format pdf"):
        parse_formats("html,pdf")
    with pytest.raises(InputError):
        write_outputs(Report.from_json(small), tmp_path, {"docx"})
    assert write_outputs(Report.from_json(small), tmp_path, {"md"}) == [tmp_path / "summary.md"]


# --- TMX ---------------------------------------------------------------------------


def check_tmx14(root: ET.Element) -> None:
    """The structure the TMX 1.4 DTD requires (tmx14.dtd, LISA OSCAR)."""
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert [c.tag for c in root] == ["header", "body"]
    header = one(root, "header")
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attr), attr
    assert str(header.get("segtype")) in ("block", "paragraph", "sentence", "phrase")
    assert all(c.tag in ("note", "prop", "ude") for c in header)
    for tu in one(root, "body"):
        assert tu.tag == "tu"
        tags = [c.tag for c in tu]
        first_tuv = tags.index("tuv")
        assert all(t in ("note", "prop") for t in tags[:first_tuv]) and all(t == "tuv" for t in tags[first_tuv:])
        for prop in tu.findall("prop"):
            assert prop.get("type")
        for tuv in tu.findall("tuv"):
            assert tuv.get(XML_LANG)
            assert [c.tag for c in tuv][-1] == "seg" and len(tuv.findall("seg")) == 1
            assert len(one(tuv, "seg")) == 0  # plain text only


def test_tmx_is_valid_1_4_with_the_aligned_units(small: dict[str, Any]) -> None:
    text = render_tmx(Report.from_json(small))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
    root = ET.fromstring(text.encode("utf-8"))
    check_tmx14(root)
    header = one(root, "header")
    assert header.get("srclang") == "ru" and header.get("segtype") == "sentence"
    assert header.get("creationtool") == "align" and header.get("creationtoolversion") == "0.1.0"
    tus = one(root, "body").findall("tu")
    # 1-1 links 1→0, 2→1, 4→2, 6→3 and the moved 5→4; no null links, no boilerplate
    assert len(tus) == 5
    for tu, unit in zip(tus, tmx_units(Report.from_json(small))):
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == ["ru", "en"]
        assert one(tuvs[0], "seg").text == joined(small, "src", unit.src)
        assert one(tuvs[1], "seg").text == joined(small, "tgt", unit.tgt)
    assert "<script>window.__pwned=1</script>" in str(one(tus[3], "tuv/seg").text)  # markup kept as text
    assert "&lt;script&gt;" in text
    assert one(tus[4], "prop[@type='x-align-type']").text == "moved"


def test_tmx_of_the_seed_pair_leaves_out_links_below_the_floor(seed: dict[str, Any]) -> None:
    root = ET.fromstring(render_tmx(Report.from_json(seed)).encode("utf-8"))
    check_tmx14(root)
    linked = [a for a in seed["alignments"] if a["src"] and a["tgt"]]
    units = tmx_units(Report.from_json(seed))
    assert 0 < len(units) <= len(linked)
    assert len(one(root, "body").findall("tu")) == len(units)
    floor = seed["calibration"]["floor"]
    assert all(u.similarity >= floor for u in units)


def test_tmx_drops_characters_xml_cannot_carry(small: dict[str, Any]) -> None:
    small["segments"]["source"][1]["text"] = "Президент\x0b прибыл\x00 в Минск."
    root = ET.fromstring(render_tmx(Report.from_json(small)).encode("utf-8"))
    assert one(root, "body/tu/tuv/seg").text == "Президент прибыл в Минск."


# --- TSV -------------------------------------------------------------------------------


def test_tsv_has_one_row_per_unit_and_escapes_tabs_and_newlines(small: dict[str, Any]) -> None:
    small["segments"]["translation"][0]["text"] = "The President\tarrived\nin Minsk \\ today."
    lines = render_tsv(Report.from_json(small)).split("\n")
    assert lines[0] == "source\ttranslation\ttype\tsimilarity" and lines[-1] == ""
    rows = [line.split("\t") for line in lines[1:-1]]
    assert len(rows) == len(small["alignments"])
    assert all(len(r) == 4 for r in rows)
    assert rows[1] == ["Президент прибыл в Минск.", "The President\\tarrived\\nin Minsk \\\\ today.", "1-1", "0.9312"]
    assert rows[0] == ["Воскресенье, 24 Ноября 2024", "", "1-0", ""]
    assert rows[-1][2] == "moved"


# --- JSONL ------------------------------------------------------------------------------


def test_jsonl_has_a_record_per_unit_then_per_finding(small: dict[str, Any]) -> None:
    lines = render_jsonl(Report.from_json(small)).splitlines()
    records = [json.loads(line) for line in lines]
    units = [r for r in records if r["type"] == "alignment"]
    findings = [r for r in records if r["type"] == "finding"]
    assert len(units) == len(small["alignments"]) and len(findings) == len(small["findings"])
    assert len(records) == len(units) + len(findings)
    assert units[1] == {"type": "alignment", "pair": small["pair"], "index": 1, "kind": "1-1", "src": [1], "tgt": [0],
                        "similarity": 0.9312, "source": "Президент прибыл в Минск.",
                        "translation": "The President arrived in Minsk."}
    assert [f["id"] for f in findings] == [f["id"] for f in small["findings"]]
    assert findings[0]["kind"] == "omission" and findings[0]["pair"] == small["pair"]
    assert all("\n" not in line for line in lines)
    assert any("Спасатели" in line for line in lines)  # UTF-8 as is: grep finds it


# --- Markdown -------------------------------------------------------------------------


def test_summary_md_has_verdict_coverage_counts_and_major_findings(small: dict[str, Any]) -> None:
    md = render_md(Report.from_json(small))
    assert "partial translation with additions" in md
    assert "| coverage | 70.2% | 83.1% |" in md
    assert "| omission | 1 |  |  |" in md and "| boilerplate |  |  | 3 |" in md
    assert "**Major findings: 5**" in md
    assert "**drift.number** (src 2, tgt 1): number: 2024 ↔ — — “В 2024 году" in md
    assert "quote" not in md.split("**Major findings")[1]  # minor: left to the page


def test_summary_md_escapes_text_that_would_break_it(small: dict[str, Any]) -> None:
    evil = copy.deepcopy(small)
    evil["pair"] = "p|<b>x</b>"
    evil["findings"][0]["detail"] = "a | b <script>alert(1)</script> *bold* [link](http://x) @someone #12\nnext"
    md = render_md(Report.from_json(evil))
    assert "<script>" not in md and "<b>" not in md and "@someone" not in md and "#12" not in md
    assert "&lt;script&gt;" in md and "a \\| b" in md and "\\*bold\\*" in md and "\\[link\\]" in md
    item = next(line for line in md.splitlines() if line.startswith("1. "))
    assert "next" in item  # a newline in text does not end the list item
    for line in md.splitlines():
        if line.startswith("|"):  # every table row keeps its column count
            assert len(re.findall(r"(?<!\\)\|", line)) in (4, 5)


def test_summary_md_caps_the_list(seed: dict[str, Any]) -> None:
    many = copy.deepcopy(seed)
    major = [f for f in many["findings"] if f["severity"] == "major"]
    many["findings"] = major * 3
    md = render_md(Report.from_json(many))
    assert f"… and {3 * len(major) - 50} more in report.html." in md
    assert len([line for line in md.splitlines() if re.match(r"\d+\. ", line)]) == 50


def test_temporary_files_a_killed_run_left_are_removed_by_the_next_write(small: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / ".report.json.k1d2q9x0.tmp").write_text("half a report", encoding="utf-8")  # as SIGKILL leaves it
    (tmp_path / ".report.html.a8b7c6d5.tmp.old").write_text("old", encoding="utf-8")
    (tmp_path / ".keep").write_text("not ours", encoding="utf-8")
    write_outputs(Report.from_json(small), tmp_path, {"json", "html"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".keep", "report.html", "report.json"]
