"""Web pages in `align compare`: saved pages and URLs reduced to their main text by trafilatura, the text
saved beside the report and indexed by its offsets; offline and empty pages refused in one line."""
from __future__ import annotations

import functools
import json
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest
from ci_helpers import align, one_error_line

from align.steps.read import input_stem
from align.steps.read.html_page import page_text

PAGES = Path(__file__).resolve().parent / "data" / "pages"
RU, EN = PAGES / "akorda-csto-2023.ru.html", PAGES / "astanatimes-csto-2023.en.html"

SCHEMA = Path(__file__).resolve().parent.parent / "align" / "schema" / "report.schema.json"


def test_main_text_is_the_headline_and_article_without_the_page_furniture():
    text = page_text(RU.read_bytes())
    lines = text.splitlines()
    assert lines[0] == "Глава государства принял участие в сессии Совета коллективной безопасности ОДКБ в узком составе"
    assert lines[1].startswith("В заседании приняли участие Президент Республики Беларусь")
    assert lines[-2].startswith("Касым-Жомарт Токаев заявил, что наша страна нацелена")
    for furniture in ("cookie", "Администрация", "Обращения граждан", "Другие новости", "БРИКС", "Alison CMS",
                      "Licon", "Поделиться", "Подпишитесь", "Фото: Акорда", "Воскресенье"):
        assert furniture not in text, furniture
    en = page_text(EN.read_bytes())
    assert en.startswith("Tokayev Urges Collective Action as CSTO Leaders Meet in Minsk\nASTANA — President")
    for furniture in ("cookies", "Multimedia", "Related Posts", "Water Management", "All rights reserved",
                      "Subscribe", "Photo credit"):
        assert furniture not in en, furniture


def check_extracted(out: Path, side: str, page: bytes, report: dict) -> None:
    extracted = (out / f"{side}.extracted.txt").read_text("utf-8")
    assert extracted == page_text(page)
    inputs = report["inputs"][side]
    assert inputs["extracted"] == {"by": inputs["extracted"]["by"], "text_file": f"{side}.extracted.txt"}
    assert inputs["extracted"]["by"].startswith("html (trafilatura ")
    assert inputs["chars"] == len(extracted)
    for seg in report["segments"][side]:
        assert " ".join(extracted[seg["start"]:seg["end"]].split()) == seg["text"]


def test_compare_saved_pages(workspace):
    result = align("compare", str(EN), str(RU), "--out", "out", "--format", "json")
    assert result.exit_code == 0, result.output
    out = workspace / "out"
    report = json.loads((out / "report.json").read_text("utf-8"))
    jsonschema.validate(report, json.loads(SCHEMA.read_text("utf-8")), cls=jsonschema.Draft202012Validator)
    for side, page in (("source", RU), ("translation", EN)):
        check_extracted(out, side, page.read_bytes(), report)
    assert report["inputs"]["source"]["lang"] == "ru" and report["verdict"]["kind"] == "partial-translation"
    statuses = {s["text"]: s["status"] for s in report["segments"]["source"]}
    assert statuses["Akorda.kz"] == "boilerplate"  # what the extractor kept, align's own step still catches


@pytest.fixture()
def page_server():
    """tests/data/pages/ served on 127.0.0.1 (this machine has no internet; nor should the tests need it)."""
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # the CLI's stderr is what the tests read
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(PAGES)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_compare_urls_fetched_because_the_user_named_them(workspace, page_server):
    en_url, ru_url = f"{page_server}/{EN.name}", f"{page_server}/{RU.name}"
    result = align("compare", en_url, ru_url, "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    out = workspace / "reports" / "astanatimes-csto-2023.en-vs-akorda-csto-2023.ru"
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["inputs"]["source"]["path"] == ru_url and report["inputs"]["translation"]["path"] == en_url
    check_extracted(out, "source", RU.read_bytes(), report)


def test_url_that_cannot_be_fetched_is_one_line_exit_2(workspace, page_server):
    with socket.socket() as s:  # a port nothing listens on: what being offline looks like locally
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = align("compare", f"http://127.0.0.1:{port}/news/1", str(RU), "--out", "out")
    assert result.exit_code == 2
    one_error_line(result.stderr, f"http://127.0.0.1:{port}/news/1: cannot fetch the page", "offline")
    missing = align("compare", f"{page_server}/missing.html", str(RU), "--out", "out")
    assert missing.exit_code == 2
    one_error_line(missing.stderr, "missing.html: cannot fetch the page: HTTP 404")
    assert not (workspace / "out").exists()


@pytest.mark.parametrize("content", [
    '<!DOCTYPE html><html><head><title></title></head><body><div id="app"></div>'
    '<script src="/bundle.js"></script></body></html>',
    "",
])
def test_page_without_main_text_is_refused(workspace, content):
    (workspace / "empty.html").write_text(content, "utf-8")
    result = align("compare", "empty.html", str(RU), "--out", "out")
    assert result.exit_code == 2
    one_error_line(result.stderr, "empty.html")
    assert not (workspace / "out").exists()


def test_html_saved_as_txt_is_still_refused(workspace):
    (workspace / "page.txt").write_bytes(RU.read_bytes())
    result = align("compare", "page.txt", str(EN), "--out", "out")
    assert result.exit_code == 2
    one_error_line(result.stderr, "page.txt", "looks like HTML")


@pytest.mark.parametrize("name, stem", [
    ("https://akorda.kz/ru/news/123-session.html", "123-session"),
    ("https://astanatimes.com/", "astanatimes.com"),
    ("ru.txt", "ru"),
])
def test_report_names_from_urls(name, stem):
    assert input_stem(name) == stem
