"""Web pages for `align compare`: a saved page (.html/.htm) or an http(s) URL, reduced to its main text.

The main text is extracted with trafilatura, the maintained extractor that
leads the published main-text benchmarks (ScrapingHub's article-extraction
benchmark, Bevendorff et al. 2023), works offline on bytes, and detects the
page's encoding itself. It drops navigation, cookie banners, teasers and
footers; what it keeps is one paragraph (or heading, list item) per line,
with the page's headline first. align's own boilerplate step then still
runs on that text (see bench/html_extraction.py for how much each removes).

A URL is fetched only because the user named it, with the standard library
(one GET, a timeout, a size cap); any failure is one line naming the URL.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ...errors import InputError
from ...model import Document
from . import read_raw

FETCH_TIMEOUT = 20.0  # seconds
MAX_PAGE_BYTES = 20_000_000
USER_AGENT = "align (translation checker; fetches only the URL its user gave)"


def extractor() -> str:
    from importlib.metadata import version

    return f"html (trafilatura {version('trafilatura')})"


def page_text(raw: bytes) -> str:
    """The page's main text: its headline, then one paragraph a line; '' when nothing is found."""
    import trafilatura

    found = trafilatura.bare_extraction(
        raw, output_format="python", include_comments=False, include_tables=True, include_images=False,
        include_links=False, with_metadata=True, deduplicate=False, favor_precision=True,
    )
    if found is None:
        return ""
    text = getattr(found, "text", None) or ""
    title = " ".join((getattr(found, "title", None) or "").split())
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if title and (not lines or lines[0] != title):
        lines.insert(0, title)
    return "\n".join(lines) + ("\n" if lines else "")


def read_html_file(path: Path, lang: str | None) -> Document:
    raw = read_raw(path)
    return _document(str(path), raw, lang)


def read_url(url: str, lang: str | None) -> Document:
    return _document(url, fetch(url), lang)


def _document(name: str, raw: bytes, lang: str | None) -> Document:
    from .text import text_document

    text = page_text(raw)
    if not text.strip():
        raise InputError(f"{name}: no main text could be extracted from the page (is it an article?)")
    return text_document(name, text, lang, sha256=hashlib.sha256(raw).hexdigest(), encoding="html",
                         extracted=extractor())


def fetch(url: str) -> bytes:
    """The page's bytes, or an InputError saying in one line why it could not be fetched."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            raw = response.read(MAX_PAGE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(f"{url}: cannot fetch the page: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = getattr(exc.reason, "strerror", None) or str(exc.reason)
        raise InputError(f"{url}: cannot fetch the page ({reason}); are you offline? "
                         "Save the page and give the .html file instead") from None
    except (TimeoutError, OSError, ValueError) as exc:
        raise InputError(f"{url}: cannot fetch the page ({exc or type(exc).__name__})") from None
    if len(raw) > MAX_PAGE_BYTES:
        raise InputError(f"{url}: the page is over the {MAX_PAGE_BYTES / 1e6:.0f} MB limit for one input")
    if not raw.strip():
        raise InputError(f"{url}: the page is empty")
    return raw
