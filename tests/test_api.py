"""The library API as a script or notebook uses it: typed results, texts or files, one encoder reused,
reports written and read back, and the README's example run as it stands."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ci_helpers import EN_DROP, EN_DROP_ADD, RU, write_pair

import align
from align.steps.report import Report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def encoder():
    enc = align.load_encoder()
    yield enc
    enc.close()


def texts(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def test_compare_texts_finds_the_dropped_and_the_added_sentence(workspace, encoder):
    report = align.compare(align.Document.from_text(texts(EN_DROP_ADD), name="en"),
                           align.Document.from_text(texts(RU), name="ru"), encoder=encoder)
    assert isinstance(report, Report)
    assert (report.inputs.source.lang, report.inputs.translation.lang) == ("ru", "en")  # detected
    kinds = {f.kind for f in report.findings if f.severity is align.Severity.MAJOR}
    assert {align.FindingKind.OMISSION, align.FindingKind.ADDITION} <= kinds
    omission = next(f for f in report.findings if f.kind is align.FindingKind.OMISSION)
    assert report.segments.source[omission.src[0]].text == RU[4]  # the sentence the English left out
    assert report.verdict.kind is not align.VerdictKind.NOT_A_TRANSLATION


def test_one_encoder_serves_many_calls_and_is_left_open(workspace, encoder):
    first = align.compare(align.Document.from_text(texts(EN_DROP), "en"), align.Document.from_text(texts(RU), "ru"),
                          encoder=encoder, cache=False)
    second = align.compare(align.Document.from_text(texts(EN_DROP), "en"), align.Document.from_text(texts(RU), "ru"),
                           encoder=encoder, cache=False)
    assert first.to_json() | {"run": None} == second.to_json() | {"run": None}
    assert second.run.embedding["embedded"] > 0  # no cache: the same encoder embedded again
    assert encoder.encode(["still open"]).shape[0] == 1


def test_a_report_round_trips_through_json_and_writes_the_chosen_formats(workspace, encoder, tmp_path):
    pair = write_pair(workspace, "api-pair", EN_DROP)
    report = align.compare(pair, encoder=encoder)  # a pair directory, as `align compare DIR`
    assert report.pair == "api-pair"
    written = report.write(tmp_path / "out", formats=["json", "md"])
    assert [p.name for p in written] == ["report.json", "summary.md"]
    again = Report.read(tmp_path / "out" / "report.json")
    assert again == report and again.dumps() == report.dumps()
    assert again.findings[0].kind in list(align.FindingKind)


def test_a_report_of_another_major_schema_version_is_refused():
    data = json.loads((ROOT / "tests" / "data" / "html" / "small.report.json").read_text("utf-8"))
    assert Report.from_json(data).to_json() == data  # every field read back as written
    with pytest.raises(align.InputError, match="schema version 2.0"):
        Report.from_json({**data, "schema_version": "2.0"})
    with pytest.raises(align.InputError, match="not a report"):
        Report.from_json({**data, "findings": [{"id": "x"}]})


def test_score_takes_units_as_texts(workspace, encoder):
    units = [(RU[0], EN_DROP[0]), (RU[2], "Last year trade between the countries grew by forty percent."), (RU[4], "")]
    report = align.score(units, source_lang="ru", translation_lang="en", encoder=encoder)
    keys = {f.key for f in report.findings}
    assert "omission" in keys and "drift.number" in keys
    assert [a.kind for a in report.alignments] == ["1-1", "1-1", "1-0"]


def test_bad_input_raises_the_one_line_error_the_cli_prints(workspace, encoder):
    with pytest.raises(align.InputError, match="same language"):
        align.compare(align.Document.from_text(texts(EN_DROP)), align.Document.from_text(texts(EN_DROP_ADD)),
                      encoder=encoder)
    with pytest.raises(align.InputError, match="only whitespace"):
        align.compare(align.Document.from_text("  \n"), align.Document.from_text(texts(RU)), encoder=encoder)


def test_check_holds_pairs_to_their_manifests(workspace):
    write_pair(workspace, "full", ["The foreign minister met a delegation from a neighbouring country."] + EN_DROP[1:],
               extra='expected_verdict = "translation"')
    results = align.check([workspace / "pairs"], reports_dir=workspace / "reports")
    assert [r.pair.id for r in results] == ["full"]
    assert not results[0].passed and results[0].new  # the dropped sentence is new, and max_new is 0
    assert (workspace / "reports" / "full" / "report.json").is_file()


def test_the_readme_example_runs_as_written(workspace):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- api-example -->\n```python\n(.*?)```\n<!-- /api-example -->", readme, re.S)
    assert block, "README.md has no api-example block"
    (workspace / "pairs").symlink_to(ROOT / "pairs")
    exec(compile(block.group(1), "README.md", "exec"), {})
    again = Report.read(workspace / "reports" / "api-example" / "report.json")
    assert again.pair == "api-example" and any(f.kind is align.FindingKind.OMISSION for f in again.findings)


def test_every_public_name_resolves():
    assert all(getattr(align, name) is not None for name in align.__all__)
    assert sorted(align.__all__) == dir(align)


def test_a_side_may_be_a_web_page_as_on_the_command_line(workspace, encoder):
    # The API reads a path with the CLI's reader: a saved page is extracted, also beside a text given directly.
    page = ROOT / "tests" / "data" / "pages" / "astanatimes-csto-2023.en.html"
    ru = (ROOT / "pairs" / "csto-2023-narrow-session" / "001_cc3bb9ed3dc9ac90.txt").read_text(encoding="utf-8")
    report = align.compare(page, align.Document.from_text(ru, "ru", name="ru"), encoder=encoder)
    assert report.inputs.translation.extracted is not None and report.inputs.translation.lang == "en"
    assert "<" not in " ".join(report.texts("tgt"))  # the page's text, not its markup


def test_a_name_translated_in_words_is_information_and_the_report_names_the_word_encoder(workspace, encoder):
    from align.steps.embed.use import use_identity

    en = "Porro had an afternoon to forget against Leicester (Picture: Getty).\n"
    de = "Porro hatte gegen Leicester einen Nachmittag zum Vergessen (Bild: Getty).\n"
    report = align.compare(align.Document.from_text(en, "en", name="en"), align.Document.from_text(de, "de", name="de"),
                           encoder=encoder)
    names = [f for f in report.findings if f.check == "name"]
    assert [f.severity for f in names] == [align.Severity.INFO] and "“Bild”" in names[0].detail
    assert report.settings["classify"]["word_model"] == use_identity()
    assert f"word_model={use_identity()}" in report.signature
