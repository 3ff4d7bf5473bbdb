"""`align batch LIST` run here: the list, one report folder per pair, the summary, errors and exit codes.

The documents are the small synthetic pair of ci_helpers, so most embeddings come from the shared cache.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ci_helpers import EN_DROP, EN_DROP_ADD, EN_FULL, RU, align, one_error_line

HEADER = "id,translation,source,source_lang,translation_lang"


def write_docs(root: Path) -> Path:
    """docs/ with the Russian source, three English renderings and a binary file."""
    docs = root / "lists" / "docs"
    docs.mkdir(parents=True)
    (docs / "ru.txt").write_text("\n".join(RU) + "\n", encoding="utf-8")
    for name, sentences in (("full", EN_FULL), ("drop", EN_DROP), ("add", EN_DROP_ADD)):
        (docs / f"{name}.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    (docs / "binary.txt").write_bytes(b"\x00\x01binary\x00" * 20)
    return root / "lists"


def summary_rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]


def test_csv_list_writes_a_report_folder_per_pair_and_a_summary(workspace):
    lists = write_docs(workspace)
    (lists / "pairs.csv").write_text(
        f"{HEADER},max_new\n"
        "full,docs/full.txt,docs/ru.txt,ru,en,\n"
        "drop,docs/drop.txt,docs/ru.txt,ru,en,0\n"
        "add,docs/add.txt,docs/ru.txt,ru,,\n",  # a blank language is detected
        encoding="utf-8")
    result = align("batch", "lists/pairs.csv", "--out", "out", "--junit", "out/junit.xml", "--sarif", "out/a.sarif")
    assert result.exit_code == 1, result.output  # "drop" has a new omission and max_new 0
    out = workspace / "out"
    for pair_id in ("full", "drop", "add"):
        report = json.loads((out / pair_id / "report.json").read_text(encoding="utf-8"))
        assert report["pair"] == pair_id and (out / pair_id / "report.html").is_file()
        assert report["inputs"]["source"]["lang"] == "ru" and report["inputs"]["translation"]["lang"] == "en"
    assert not (out / ".staging").exists()

    rows = summary_rows(out)
    assert [r["id"] for r in rows[:-1]] == ["full", "drop", "add"]  # list order
    by_id = {r["id"]: r for r in rows[:-1]}
    assert by_id["full"]["status"] == "pass" and by_id["full"]["verdict"] == "translation"
    assert by_id["drop"]["status"] == "fail" and by_id["drop"]["findings"]["omission"]
    assert by_id["add"]["status"] == "pass"  # max_new blank: findings reported, not gated
    assert by_id["add"]["findings"]["addition"]
    assert all(r["attempts"] == 1 and r["retried_after"] == [] for r in rows[:-1])
    assert rows[-1] == {**rows[-1], "type": "batch", "pairs": 3, "pass": 2, "fail": 1, "error": 0, "retried": 0}
    assert "| drop | ❌ fail |" in (out / "summary.md").read_text(encoding="utf-8")
    assert "3 pairs: 2 passed, 1 failed, 0 errors; 0 retried" in result.stdout

    suite = ET.parse(out / "junit.xml").getroot()
    assert suite.get("tests") == "3" and suite.get("failures") == "1" and suite.get("errors") == "0"
    failing = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert failing == ["drop"]
    assert {c.get("file") for c in suite.iter("testcase")} == {"lists/pairs.csv"}  # the list, not a manifest
    sarif = json.loads((out / "a.sarif").read_text(encoding="utf-8"))
    located = {r["properties"]["pair"] for r in sarif["runs"][0]["results"]}
    assert located == {"drop"}  # "full" has no findings; "add" is not gated, so its findings fail nobody
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_jsonl_list_and_a_pair_with_bad_input_fails_alone(workspace):
    lists = write_docs(workspace)
    rows = [
        {"id": "binary", "translation": "docs/binary.txt", "source": "docs/ru.txt", "source_lang": "ru",
         "translation_lang": "en"},
        {"id": "full", "translation": "docs/full.txt", "source": "docs/ru.txt", "source_lang": "ru",
         "translation_lang": "en"},
    ]
    (lists / "pairs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = align("batch", "lists/pairs.jsonl", "--out", "out", "--junit", "out/junit.xml", "--sarif", "out/a.sarif")
    assert result.exit_code == 1, result.output  # a pair could not be checked: not 2, the batch ran
    out = workspace / "out"
    assert (out / "full" / "report.json").is_file() and not (out / "binary").exists()
    by_id = {r["id"]: r for r in summary_rows(out)[:-1]}
    assert by_id["binary"]["status"] == "error" and "binary" in by_id["binary"]["error"]
    assert by_id["binary"]["exit_code"] == 2 and by_id["full"]["status"] == "pass"
    assert "ERROR  binary  " in result.stdout
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "**binary could not be checked:**" in md
    errors = [c for c in ET.parse(out / "junit.xml").getroot().iter("testcase") if c.find("error") is not None]
    assert [c.get("name") for c in errors] == ["binary"]
    invocation = json.loads((out / "a.sarif").read_text(encoding="utf-8"))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "binary" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_every_bad_row_is_named_before_anything_runs(workspace):
    lists = write_docs(workspace)
    (lists / "pairs.csv").write_text(
        f"{HEADER}\n"
        "a,docs/missing.txt,docs/ru.txt,ru,en\n"
        "b,docs/full.txt,docs/ru.txt,ru,xx\n"
        "c,docs/full.txt,docs/ru.txt,ru,en\n"
        "c,docs/drop.txt,docs/ru.txt,ru,en\n",
        encoding="utf-8")
    result = align("batch", "lists/pairs.csv", "--out", "out")
    assert result.exit_code == 2
    one_error_line(result.stderr, "3 bad rows", "row 2: translation: 'docs/missing.txt' does not exist",
                   "row 3: translation_lang: 'xx'", "row 5: id 'c' is also the id of row 4")
    assert not (workspace / "out").exists()  # nothing ran, nothing written


@pytest.mark.parametrize("name, text, needle", [
    ("pairs.csv", "id,translation\nx,a.txt\n", "header lacks source"),
    ("pairs.csv", f"{HEADER},colour\n", "unknown column 'colour'"),
    ("pairs.jsonl", "[1, 2]\n", "line 1: must be a JSON object"),
    ("pairs.jsonl", "{not json\n", "line 1: not JSON"),
    ("pairs.txt", "x\n", "a batch list is .csv, .tsv or .jsonl"),
    ("pairs.csv", f"{HEADER}\n", "the list has no pairs"),
])
def test_a_bad_list_is_one_error_line(workspace, name, text, needle):
    (workspace / name).write_text(text, encoding="utf-8")
    result = align("batch", name)
    assert result.exit_code == 2
    one_error_line(result.stderr, needle)


def test_a_missing_list_and_a_bad_cluster_are_usage_errors(workspace):
    missing = align("batch", "nope.csv")
    assert missing.exit_code == 2
    one_error_line(missing.stderr, "nope.csv: no such file")
    write_docs(workspace)
    (workspace / "lists" / "p.csv").write_text(f"{HEADER}\nx,docs/full.txt,docs/ru.txt,ru,en\n", encoding="utf-8")
    bad = align("batch", "lists/p.csv", "--cluster", "somewhere")
    assert bad.exit_code == 2
    one_error_line(bad.stderr, "--cluster 'somewhere'", "local:N")
    both = align("batch", "lists/p.csv", "--cluster", "local:2", "--jobs", "2")
    assert both.exit_code == 2
    one_error_line(both.stderr, "--jobs and --cluster")
    assert not (workspace / "reports").exists()


def test_a_rerun_replaces_each_report_folder_whole(workspace):
    lists = write_docs(workspace)
    (lists / "p.csv").write_text(f"{HEADER}\nx,docs/full.txt,docs/ru.txt,ru,en\n", encoding="utf-8")
    assert align("batch", "lists/p.csv", "--out", "out", "--format", "json,md").exit_code == 0
    assert (workspace / "out" / "x" / "summary.md").is_file()
    assert align("batch", "lists/p.csv", "--out", "out", "--format", "json").exit_code == 0
    # The folder is this run's report set: no file of the earlier run's formats is left beside it.
    assert sorted(p.name for p in (workspace / "out" / "x").iterdir()) == ["report.json"]


def test_jobs_gives_the_same_reports_as_one_process(workspace):
    lists = write_docs(workspace)
    (lists / "p.csv").write_text(
        f"{HEADER}\nfull,docs/full.txt,docs/ru.txt,ru,en\ndrop,docs/drop.txt,docs/ru.txt,ru,en\n", encoding="utf-8")
    assert align("batch", "lists/p.csv", "--out", "one").exit_code == 1
    assert align("batch", "lists/p.csv", "--out", "two", "--jobs", "2").exit_code == 1
    for pair_id in ("full", "drop"):
        a, b = (json.loads((workspace / d / pair_id / "report.json").read_text("utf-8")) for d in ("one", "two"))
        a.pop("run"), b.pop("run")
        assert a == b


def test_the_model_is_loaded_once_per_batch_and_closed_after(workspace, monkeypatch):
    from align import pipeline
    from align.steps.embed import encoders as embed

    loaded, real = [], embed.load_encoder

    def counting(*args, **kwargs):
        loaded.append(real(*args, **kwargs))
        return loaded[-1]

    monkeypatch.setattr(embed, "load_encoder", counting)
    lists = write_docs(workspace)
    (lists / "p.csv").write_text(
        f"{HEADER}\nfull,docs/full.txt,docs/ru.txt,ru,en\ndrop,docs/drop.txt,docs/ru.txt,ru,en\n", encoding="utf-8")
    assert align("batch", "lists/p.csv", "--out", "out", "--workers", "2").exit_code == 1
    assert len(loaded) == 1  # two pairs, one model load
    assert pipeline._kept is None  # nothing stays loaded in this process after the batch
    assert loaded[0]._pool is None  # its embedding workers, if any were started, are stopped


def test_a_list_that_is_a_fifo_is_refused_not_read_forever(workspace):
    import os

    os.mkfifo(workspace / "pairs.csv")  # nothing ever writes to it: a read would block
    result = align("batch", "pairs.csv")
    assert result.exit_code == 2
    one_error_line(result.stderr, "pairs.csv: is a named pipe (FIFO)")
