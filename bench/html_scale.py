"""The review page at scale: render time, size and responsiveness in Chromium for a 5,000-sentence report.

Uses the deterministic synthetic report of tests/test_html.py (every kind of row
and finding), so figures are comparable run to run; needs `playwright` (the
Python package only) and /usr/bin/chromium, like the browser tests.

    python bench/html_scale.py [--sentences 5000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from test_html import CHROMIUM, synthetic_report  # noqa: E402

from align.outputs.html import render_html  # noqa: E402
from align.steps.report import Report  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--sentences", type=int, default=5000)
    args = ap.parse_args(argv)
    report = Report.from_json(synthetic_report(args.sentences))
    t0 = time.perf_counter()
    page_html = render_html(report)
    rendered = time.perf_counter() - t0
    print(f"{len(report['segments']['source']):,} source / {len(report['segments']['translation']):,} translation "
          f"segments, {len(report['findings']):,} findings")
    print(f"render_html  {rendered:.2f} s, {len(page_html.encode('utf-8')) / 1e6:.2f} MB")

    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "report.html"
        path.write_text(page_html, encoding="utf-8")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        t0 = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("#toolbar:not([hidden])")
        loaded = time.perf_counter() - t0
        t0 = time.perf_counter()
        page.locator('input[data-kind="drift.number"]').uncheck()
        filtered = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(5):
            page.keyboard.press("j")
        stepped = time.perf_counter() - t0
        browser.close()
    print(f"chromium     load {loaded:.2f} s, one filter {filtered:.2f} s, 5 x j {stepped:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
