"""`align check` as CI runs it: exit codes, new against accepted against stale, thresholds, --jobs, bad manifests.

The pairs are made in each test (a small synthetic pair, or copies of the repository's): nothing here
depends on how many findings the classifier raises, only on findings appearing and disappearing.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ci_helpers import (
    EN_DROP,
    EN_DROP_ADD,
    EN_FULL,
    RU,
    align,
    align_process,
    copy_repo_pair,
    one_error_line,
    report_of,
    set_translation,
    use_baseline,
    write_pair,
)


def pair_line(stdout: str, pair_id: str) -> str:
    return next(line for line in stdout.splitlines() if re.match(rf"(PASS|FAIL)  {re.escape(pair_id)}  ", line))


def test_default_folder_fails_on_new_findings_then_passes_with_a_baseline(workspace):
    pair = write_pair(workspace, "meeting", EN_DROP)

    first = align("check")  # PATHS default to pairs/
    assert first.exit_code == 1, first.output
    report = report_of(workspace / "reports", "meeting")  # reports/<pair id>/ by default
    ids = [f["id"] for f in report["findings"]]
    assert ids, "a dropped sentence gives at least one finding"
    line = pair_line(first.stdout, "meeting")
    assert line.startswith("FAIL") and report["verdict"]["kind"] in line and re.search(r"\d+\.\d s", line)
    assert f"new {len(ids)}, accepted 0" in line
    for fid in ids[:10]:
        assert f"new: {fid}" in first.stdout  # each new finding is named under its pair
    assert re.search(r"^1 pair: 0 passed, 1 failed", first.stdout, re.M)

    wrote = align("baseline", str(pair))
    assert wrote.exit_code == 0, wrote.output
    assert "baseline.json" in wrote.stdout and 'baseline = "baseline.json"' in wrote.stdout  # it says how to use it
    use_baseline(pair)

    second = align("check")
    assert second.exit_code == 0, second.output
    assert pair_line(second.stdout, "meeting").startswith("PASS")
    assert f"new 0, accepted {len(ids)}" in second.stdout
    # Unchanged pair, warm cache: nothing embedded again.
    rerun = report_of(workspace / "reports", "meeting")
    assert rerun["run"]["embedding"]["embedded"] == 0 and rerun["run"]["embedding"]["cached"] > 0
    assert "0 embedded" in pair_line(second.stdout, "meeting")


def test_new_accepted_and_stale(workspace):
    pair = write_pair(workspace, "meeting", EN_DROP, extra='baseline = "baseline.json"')
    assert align("baseline", str(pair)).exit_code == 0
    accepted = {f["id"] for f in json.loads((pair / "baseline.json").read_text("utf-8"))["findings"]}

    # A sentence with no source appears: the old findings stay accepted, the new one fails the pair.
    set_translation(pair, EN_DROP_ADD)
    result = align("check", "pairs")
    assert result.exit_code == 1, result.output
    report = report_of(workspace / "reports", "meeting")
    new = [f["id"] for f in report["findings"] if f["id"] not in accepted]
    assert new and any(f["id"] in accepted for f in report["findings"])
    for fid in new:
        assert f"new: {fid}" in result.stdout
    for fid in accepted:
        assert f"new: {fid}" not in result.stdout
    assert re.search(r"accepted [1-9]", pair_line(result.stdout, "meeting"))

    # The dropped sentence is translated after all: its finding is gone and its entry stale, a warning
    # (new findings the change may bring are let through here), and a failure only with --strict.
    write_pair(workspace, "meeting", EN_FULL, extra='baseline = "baseline.json"', thresholds="max_new = 100")
    result = align("check", "pairs")
    assert result.exit_code == 0, result.output
    gone = accepted - {f["id"] for f in report_of(workspace / "reports", "meeting")["findings"]}
    assert gone
    stale_lines = [line for line in result.stdout.splitlines() if "stale baseline entry" in line]
    assert len(stale_lines) == len(gone) and all(line.lstrip().startswith("warning:") for line in stale_lines)
    assert all(any(fid in line for line in stale_lines) for fid in gone)
    assert re.search(rf"{len(gone)} stale", result.stdout.splitlines()[-1])
    strict = align("check", "pairs", "--strict")
    assert strict.exit_code == 1 and "fail: stale baseline entries" in strict.stdout


def test_thresholds_and_expected_verdict(workspace):
    write_pair(workspace, "meeting", EN_DROP)
    assert align("check").exit_code == 1
    report = report_of(workspace / "reports", "meeting")
    f = report["findings"][0]
    key = (f"drift.{f['check']}" if f["kind"] == "drift" else f["kind"]) + "." + f["severity"]
    n = len(report["findings"])

    def manifest(extra: str = "", thresholds: str = "") -> None:
        write_pair(workspace, "meeting", EN_DROP, extra=extra, thresholds=thresholds)

    manifest(thresholds=f"max_new = {n}")
    assert align("check").exit_code == 0
    manifest(thresholds=f'max_new = {n}\n"{key}" = 0')
    result = align("check")
    assert result.exit_code == 1 and re.search(rf"fail: new findings: .*{re.escape(key)} [1-9]\d* > 0", result.stdout)
    manifest(thresholds=f"max_new = {n}\nmin_source_coverage = 1.0")
    result = align("check")
    assert result.exit_code == 1 and "min_source_coverage" in result.stdout
    manifest(extra=f'expected_verdict = "{report["verdict"]["kind"]}"', thresholds=f"max_new = {n}")
    assert align("check").exit_code == 0
    # A translation expected to be none at all: the verdict fails it (its findings are not gated).
    manifest(extra='expected_verdict = "not-a-translation"')
    result = align("check")
    assert result.exit_code == 1 and "expected not-a-translation" in result.stdout
    assert "findings not gated" in pair_line(result.stdout, "meeting")


def test_boilerplate_is_listed_but_does_not_fail_a_faithful_pair(workspace):
    """Page furniture is not a divergence: a complete translation of a page with a footer passes
    with no baseline, and the footer still shows up as a new info finding; a key naming
    boilerplate gates it when a team wants that."""
    page = RU + ["© 2024 Пресс-служба министерства. Все права защищены."]
    write_pair(workspace, "meeting", EN_FULL, source=page)
    result = align("check")
    assert result.exit_code == 0, result.stdout
    kinds = [f["kind"] for f in report_of(workspace / "reports", "meeting")["findings"]]
    assert kinds and set(kinds) == {"boilerplate"}
    assert f"new 0 (+{len(kinds)} info)" in pair_line(result.stdout, "meeting")
    write_pair(workspace, "meeting", EN_FULL, source=page, thresholds='"boilerplate" = 0')
    result = align("check")
    assert result.exit_code == 1 and f"boilerplate {len(kinds)} > 0" in result.stdout


def strip_run(text: str) -> str:
    """report.json without its run object (timestamp, timings, cache use)."""
    return re.sub(r'"run": \{.*?\n \}', "", text, flags=re.S)


def test_jobs_2_writes_the_same_reports_as_jobs_1(workspace):
    write_pair(workspace, "meeting", EN_DROP)
    write_pair(workspace, "meeting-full", EN_FULL)
    write_pair(workspace, "meeting-added", EN_DROP_ADD)
    one = align_process("check", "pairs", "--reports", "one", "--jobs", "1", cwd=workspace)
    two = align_process("check", "pairs", "--reports", "two", "--jobs", "2", cwd=workspace)
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr
    assert one.stderr == two.stderr == ""
    times = re.compile(r"\d+\.\d s, \d+ embedded|; \d+\.\d s$", re.M)
    assert times.sub("", one.stdout) == times.sub("", two.stdout)
    for pair_id in ("meeting", "meeting-full", "meeting-added"):
        a = (workspace / "one" / pair_id / "report.json").read_text("utf-8")
        b = (workspace / "two" / pair_id / "report.json").read_text("utf-8")
        assert strip_run(a) == strip_run(b)
        assert (workspace / "two" / pair_id / "report.html").is_file()


def test_seed_pair_with_its_baseline_and_a_negative_control_pass(workspace):
    """The repository's own CI case: the seed pair with its committed, reviewed baseline (every
    finding decided, none stale), and a negative control expected to be no translation. When the
    classifier's findings change, this fails until the pair is reviewed again."""
    seed = copy_repo_pair("csto-2023-narrow-session", workspace)
    copy_repo_pair("negative-anadolu-astana-2024", workspace)
    assert (seed / "baseline.json").is_file() and 'baseline = "baseline.json"' in (seed / "pair.toml").read_text("utf-8")
    result = align_process("check", "--strict", "--junit", "reports/junit.xml", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    line = pair_line(result.stdout, "csto-2023-narrow-session")
    reviewed = json.loads((seed / "baseline.json").read_text("utf-8"))["findings"]
    false_alarms = sum(entry["decision"] == "false-alarm" for entry in reviewed)
    assert false_alarms and line.startswith("PASS") and "new 0," in line and f"false alarms {false_alarms}" in line
    assert pair_line(result.stdout, "negative-anadolu-astana-2024").startswith("PASS")
    assert (workspace / "reports" / "junit.xml").is_file()


# --- errors: exit 2, one line naming the file and the key, nothing written ---------------------------


BAD_MANIFESTS = {
    "missing file": ("", {"ru.txt": None}, "source.file"),
    "unknown key": ('colour = "blue"', {}, "colour"),
    "unknown side key": ("", {"pair.toml": ("[translation]", '[translation]\nencoding = "utf-8"')}, "translation.encoding"),
    "unknown threshold": ("", {"pair.toml": ("", '\n[thresholds]\n"omision.major" = 0\n')}, "thresholds.omision.major"),
    "bad threshold value": ("", {"pair.toml": ("", "\n[thresholds]\nmax_new = -1\n")}, "thresholds.max_new"),
    "wrong language code": ("", {"pair.toml": ('lang = "en"', 'lang = "eng"')}, "translation.lang"),
    "language code typo": ("", {"pair.toml": ('lang = "ru"', 'lang = "ua"')}, "source.lang"),
    "file escaping the pair": ("", {"pair.toml": ('file = "ru.txt"', 'file = "../../ru.txt"')}, "source.file"),
    "baseline escaping the pair": ('baseline = "../other/baseline.json"', {}, "baseline"),
    "baseline missing": ('baseline = "baseline.json"', {}, "baseline"),
    "baseline of another pair": ('baseline = "baseline.json"', {"baseline.json": json.dumps(
        {"format": "align-baseline", "version": 1, "pair": "someone-else", "findings": []})}, "baseline"),
    "baseline not JSON": ('baseline = "baseline.json"', {"baseline.json": "{nope"}, "baseline"),
}


@pytest.mark.parametrize("extra, edits, key", BAD_MANIFESTS.values(), ids=BAD_MANIFESTS.keys())
def test_bad_manifest_exits_2_naming_file_and_key(workspace, extra, edits, key):
    write_pair(workspace, "good", EN_FULL)  # a good pair beside it is not run either
    pair = write_pair(workspace, "bad", EN_FULL, extra=extra)
    for name, edit in edits.items():
        path = pair / name
        if edit is None:
            path.unlink()
        elif isinstance(edit, tuple):
            text = path.read_text("utf-8")
            path.write_text(text + edit[1] if not edit[0] else text.replace(edit[0], edit[1], 1), "utf-8")
        else:
            path.write_text(edit, "utf-8")
    result = align("check")
    assert result.exit_code == 2
    line = one_error_line(result.stderr, "pairs/bad/pair.toml", f"{key}:")
    if "another pair" in line or "someone-else" in line:
        assert "someone-else" in line
    assert not (workspace / "reports").exists()


def test_usage_errors_exit_2(workspace):
    result = align_process("check", "no-such-folder", cwd=workspace)
    assert result.returncode == 2
    one_error_line(result.stderr, "no-such-folder")
    (workspace / "empty").mkdir()
    one_error_line(align("check", "empty").stderr, "no pair directories")
    assert align_process("check", "--jobs", "0", cwd=workspace).returncode == 2
    write_pair(workspace, "a", EN_FULL)
    write_pair(workspace, "b", EN_FULL)
    (workspace / "pairs" / "b" / "pair.toml").write_text(
        (workspace / "pairs" / "b" / "pair.toml").read_text("utf-8").replace('id = "b"', 'id = "a"'), "utf-8")
    result = align("check")
    assert result.exit_code == 2
    one_error_line(result.stderr, "pairs/b/pair.toml", "id:")


def test_bad_input_file_exits_2_without_traceback(workspace):
    pair = write_pair(workspace, "meeting", EN_FULL)
    (pair / "en.txt").write_bytes(b"\x00\x01binary\x00" * 40)
    result = align_process("check", cwd=workspace)
    assert result.returncode == 2
    one_error_line(result.stderr, "en.txt", "binary")
    assert not Path(workspace / "reports" / "meeting" / "report.json").exists()


# --- faults: a run killed at any point ---------------------------------------------------------


def _visible_reports(reports: Path) -> dict[str, str]:
    """Every report file by its path under `reports`, the `run` object (and the page's line that
    shows its timestamp) set aside: what must be identical from run to run."""
    out = {}
    for path in sorted(p for p in reports.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        if path.name == "report.json":
            data = json.loads(text)
            data.pop("run")
            text = json.dumps(data, ensure_ascii=False, indent=1)
        elif path.name == "report.html":
            text = re.sub(r"report generated [0-9T:+-]+", "report generated …", text)
        out[str(path.relative_to(reports))] = text
    return out


def test_check_jobs_2_killed_at_random_points_then_rerun_gives_the_same_reports_and_a_sound_cache(workspace, tmp_path):
    """SIGKILL to the whole process group (parent and both workers) at seeded random moments: the
    next run completes with the reports of an uninterrupted run and the cache passes SQLite's
    integrity check with every row readable."""
    import os
    import random
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    import numpy as np

    write_pair(workspace, "full", EN_FULL)
    write_pair(workspace, "dropped", EN_DROP_ADD)
    formats = ["--format", "json,html,tsv"]
    reference = align_process("check", "pairs", "--reports", "reference", "--jobs", "2", *formats, cwd=workspace)
    assert reference.returncode == 1, reference.stderr  # "dropped" has new findings, "full" passes
    expected = _visible_reports(workspace / "reference")
    assert len(expected) == 6

    cache = tmp_path / "killed-cache"  # cold: the kills land in model loading, embedding and writing
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
           "HF_HUB_OFFLINE": "1", "ALIGN_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "align.cli", "check", "pairs", "--reports", "killed", "--jobs", "2", *formats]
    rng = random.Random(24)
    for delay in sorted(rng.uniform(1.0, 12.0) for _ in range(3)):  # a run takes 10-20 s on 2 busy cores
        proc = subprocess.Popen(command, cwd=workspace, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(delay)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:  # it finished first: a complete run is a fault-free case too
            pass
        proc.wait(timeout=60)

        again = subprocess.run(command, cwd=workspace, env=env, capture_output=True, text=True, timeout=300)
        assert again.returncode == reference.returncode, again.stderr
        assert "warning" not in again.stderr, again.stderr
        assert _visible_reports(workspace / "killed") == expected, f"after a kill at {delay:.2f} s"
        assert not [p for p in (workspace / "killed").rglob(".*")], "temporary files left beside the reports"

        db = sqlite3.connect(cache / "embeddings.sqlite3")
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute("SELECT dim, vector FROM vectors").fetchall()
        db.close()
        assert rows and all(dim == 384 and np.isfinite(np.frombuffer(blob, dtype=np.float32, count=dim)).all()
                            for dim, blob in rows)
