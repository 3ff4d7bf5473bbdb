"""Render a report.json to report.html and screenshot it in Debian's Chromium, for the README and for eyeballing.

    python bench/screenshot.py reports/csto-2023-narrow-session/report.json \
        reports/examples/csto-2023-narrow-session.png

writes the PNG, the page beside it (same name, .html) and the report it was rendered from
(.report.json; tests/test_cli.py holds it to a fresh comparison). Needs `playwright`
(the Python package only: no `playwright install`) and /usr/bin/chromium.
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from align.outputs.html import render_html
from align.steps.report import Report, write_all_atomically

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def screenshot(html_path: Path, png_path: Path, width: int = 1440, height: int = 900, full_page: bool = False) -> None:
    """A laptop-sized view of the page (the first screenful unless `full_page`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(html_path.resolve().as_uri())
            page.wait_for_selector("#toolbar:not([hidden])")
            page.screenshot(path=str(png_path), full_page=full_page)
        finally:
            browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report", type=Path, help="report.json")
    ap.add_argument("png", type=Path, help="where to write the screenshot; the page goes beside it as .html")
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--full-page", action="store_true")
    args = ap.parse_args()
    html_path, report_path = args.png.with_suffix(".html"), args.png.with_suffix(".report.json")
    report_text = args.report.read_text(encoding="utf-8")
    write_all_atomically({report_path: report_text, html_path: render_html(Report.from_json(json.loads(report_text)))})
    screenshot(html_path, args.png, args.width, args.height, args.full_page)
    print(f"{report_path}\n{html_path}\n{args.png}")


if __name__ == "__main__":
    main()
