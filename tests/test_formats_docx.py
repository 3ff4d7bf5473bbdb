"""DOCX in `align compare`: paragraphs, headings, list items and table cells become lines; tracked changes are
read as accepted and comments are never read; the extracted text is saved beside the report and indexed."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import jsonschema
import pytest
from ci_helpers import align, one_error_line
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from align.steps.read.docx import docx_text

SEED = Path(__file__).resolve().parent.parent / "pairs" / "csto-2023-narrow-session"
RU_HEADLINE = "Глава государства принял участие в сессии Совета коллективной безопасности ОДКБ в узком составе"
EN_HEADLINE = "Tokayev urges collective action at CSTO session in Minsk"

SCHEMA = Path(__file__).resolve().parent.parent / "align" / "schema" / "report.schema.json"


def seed_paragraphs(name: str, first: str, count: int) -> list[str]:
    """`count` paragraphs of a seed text from the one starting with `first`: real prose, no page furniture."""
    paras = [p.strip() for p in (SEED / name).read_text("utf-8").split("\n") if p.strip()]
    start = next(k for k, p in enumerate(paras) if p.startswith(first))
    return paras[start:start + count]


RU = seed_paragraphs("001_cc3bb9ed3dc9ac90.txt", "В ходе сессии", 3)
EN = seed_paragraphs("000_6cf8d23f497eb1aa.txt", "ASTANA", 3)


def tracked(paragraph, inserted: str, deleted: str) -> None:
    """Append a tracked insertion and a tracked deletion to `paragraph`, as Word writes them."""
    w = nsdecls("w")
    paragraph._p.append(parse_xml(
        f'<w:ins {w} w:id="901" w:author="Editor" w:date="2024-11-24T10:00:00Z">'
        f'<w:r><w:t xml:space="preserve"> {inserted}</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(
        f'<w:del {w} w:id="902" w:author="Editor" w:date="2024-11-24T10:00:00Z">'
        f'<w:r><w:delText xml:space="preserve"> {deleted}</w:delText></w:r></w:del>'))


def build(path: Path, headline: str, paragraphs: list[str], *, extras: bool = False) -> Path:
    d = docx.Document()
    d.add_heading(headline, level=1)
    for k, text in enumerate(paragraphs):
        p = d.add_paragraph(text)
        if extras and k == 0:
            tracked(p, "Стороны также обсудили планы.", "Эта фраза была удалена редактором.")
            d.add_comment(p.runs, text="Проверить по стенограмме", author="Reviewer")
    if extras:
        d.add_paragraph("Итоги заседания:", style="Heading 2")
        d.add_paragraph("подписано заявление о сотрудничестве;", style="List Bullet")
        d.add_paragraph("утвержден план на следующий год.", style="List Bullet")
        table = d.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Место проведения", "Минск"
        field = d.add_paragraph()
        field._p.append(parse_xml(
            f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'))
        field._p.append(parse_xml(
            f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> HYPERLINK "https://akorda.kz" </w:instrText></w:r>'))
        field._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'))
        field.add_run("Akorda.kz")
        field._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
        d.add_paragraph("")  # empty paragraphs are dropped
    d.save(path)
    return path


def test_paragraphs_headings_lists_tables_in_order(tmp_path):
    text = docx_text(build(tmp_path / "ru.docx", RU_HEADLINE, RU, extras=True).read_bytes(), "ru.docx")
    lines = text.splitlines()
    assert lines[0] == RU_HEADLINE
    assert lines[1].startswith(RU[0]) and lines[2:4] == RU[1:]
    assert lines[4:] == ["Итоги заседания:", "подписано заявление о сотрудничестве;",
                         "утвержден план на следующий год.", "Место проведения", "Минск", "Akorda.kz"]
    assert text.endswith("\n") and "\n\n" not in text


def test_tracked_changes_read_as_accepted_and_comments_and_field_codes_never_read(tmp_path):
    path = build(tmp_path / "ru.docx", RU_HEADLINE, RU, extras=True)
    with zipfile.ZipFile(path) as z:  # the file really holds them
        assert b"w:del " in z.read("word/document.xml") and b"Reviewer" in z.read("word/comments.xml")
    text = docx_text(path.read_bytes(), "ru.docx")
    assert "Стороны также обсудили планы." in text  # inserted: kept
    assert "удалена редактором" not in text  # deleted: dropped
    assert "стенограмме" not in text  # the comment
    assert "HYPERLINK" not in text and "Akorda.kz" in text  # the field's code, not its result


def test_compare_docx_pair_saves_and_indexes_the_extracted_text(workspace):
    ru = build(workspace / "ru.docx", RU_HEADLINE, RU, extras=True)
    en = build(workspace / "en.docx", EN_HEADLINE, EN)
    result = align("compare", str(en), str(ru), "--out", "out", "--format", "json")
    assert result.exit_code == 0, result.output
    out = workspace / "out"
    assert "wrote       out/source.extracted.txt" in result.stdout
    report = json.loads((out / "report.json").read_text("utf-8"))
    jsonschema.validate(report, json.loads(SCHEMA.read_text("utf-8")), cls=jsonschema.Draft202012Validator)
    for side, path in (("source", ru), ("translation", en)):
        extracted = (out / f"{side}.extracted.txt").read_text("utf-8")
        assert extracted == docx_text(path.read_bytes(), path.name)
        inputs = report["inputs"][side]
        assert inputs["extracted"]["text_file"] == f"{side}.extracted.txt"
        assert inputs["extracted"]["by"].startswith("docx (python-docx ")
        assert inputs["chars"] == len(extracted) and inputs["encoding"] == "docx"
        for seg in report["segments"][side]:
            assert " ".join(extracted[seg["start"]:seg["end"]].split()) == seg["text"]
    assert report["inputs"]["source"]["lang"] == "ru" and report["inputs"]["translation"]["lang"] == "en"
    assert report["segments"]["source"][0]["text"] == RU_HEADLINE


@pytest.mark.parametrize("content, needle", [
    (b"PK\x03\x04" + b"\x00" * 40, "not a readable DOCX file"),
    (b"This is plain text saved with a .docx name.", "not a readable DOCX file"),
])
def test_corrupt_docx_is_one_line_exit_2(workspace, content, needle):
    (workspace / "en.txt").write_text("\n".join(EN) + "\n", "utf-8")
    path = workspace / "ru.docx"
    path.write_bytes(content)
    result = align("compare", "en.txt", "ru.docx", "--out", "out")
    assert result.exit_code == 2
    one_error_line(result.stderr, "ru.docx", needle)
    assert not (workspace / "out").exists()


def test_docx_without_text_is_refused(workspace):
    (workspace / "en.txt").write_text("\n".join(EN) + "\n", "utf-8")
    d = docx.Document()
    d.add_paragraph("")
    buf = io.BytesIO()
    d.save(buf)
    (workspace / "ru.docx").write_bytes(buf.getvalue())
    result = align("compare", "en.txt", "ru.docx", "--out", "out")
    assert result.exit_code == 2
    one_error_line(result.stderr, "ru.docx: no text found in it")
