"""How much page furniture the HTML extractor removes, and how much of the rest align's boilerplate step catches.

Pages: the saved-page fixtures in tests/data/pages/ (built by make_pages.py
around the seed pair's article texts, with a cookie banner, navigation,
breadcrumbs, share buttons, a photo caption and a "read also" link inside the
article, a closing source/tags line, teasers, a newsletter box and a footer).
The article's paragraphs and headline are the gold content; every other line
of visible page text is furniture.

For each page it prints, in characters:
- visible: all text a browser shows (script, style and head left out);
- furniture: visible text that is not the article;
- removed by the extractor: the share of furniture missing from its output;
- left, caught by align: the furniture lines in the output that align's
  boilerplate step (align/steps/boilerplate.py, run on the output's sentences) marks;
- article kept: the share of the article's characters in the output, and
  the article characters align's step marks by mistake.
Then, for comparison, align's step alone on the seed pair's source as the
scraper saved it (pairs/csto-2023-narrow-session/001_*.txt: page date,
duplicated headline, teasers and footer left in).

    python bench/html_extraction.py
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data" / "pages"))

import make_pages  # noqa: E402
from lxml import html as lxml_html  # noqa: E402

from align.model import Document  # noqa: E402
from align.steps.boilerplate import find_boilerplate  # noqa: E402
from align.steps.read.html_page import extractor, page_text  # noqa: E402
from align.steps.segment import segment  # noqa: E402

PAGES = {
    "akorda-csto-2023.ru.html": ("ru", make_pages.ru_article),
    "astanatimes-csto-2023.en.html": ("en", make_pages.en_article),
}


def norm(text: str) -> str:
    return " ".join(text.split())


def visible_lines(raw: bytes) -> list[str]:
    """The page's visible text, one line per block-level piece (what a copy-paste of the page would give)."""
    tree = lxml_html.fromstring(raw)
    for bad in tree.xpath("//script|//style|//head|//noscript"):
        bad.getparent().remove(bad)
    blocks = tree.xpath("//body//*[self::p or self::h1 or self::h2 or self::h3 or self::li or self::figcaption "
                        "or self::time or self::span or self::a or self::button or self::div[not(*)]]")
    lines, seen = [], set()
    for el in blocks:
        if any(a in seen for a in el.iterancestors()):
            continue  # inside a block already taken
        text = norm(el.text_content())
        if text:
            lines.append(text)
            seen.add(el)
    return lines


def flagged_chars(text: str, lang: str) -> tuple[set[int], Document]:
    """Character offsets of `text` that align's boilerplate step marks."""
    doc = Document(path="page", lang=lang, text=text, sha256="0" * 64, encoding="utf-8")
    segs = segment(doc)
    marked = find_boilerplate(segs)
    return {i for s in segs if s.index in marked for i in range(s.start, s.end)}, doc


def line_spans(text: str) -> list[tuple[str, int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((line, pos, pos + len(line)))
        pos += len(line) + 1
    return [x for x in out if x[0].strip()]


def measure(name: str, lang: str, gold: tuple[str, list[str]]) -> None:
    raw = (ROOT / "tests" / "data" / "pages" / name).read_bytes()
    article = {norm(gold[0]), *(norm(p) for p in gold[1])}
    article_chars = sum(len(a) for a in article)
    visible = visible_lines(raw)
    furniture = [line for line in visible if line not in article]
    furniture_chars = sum(len(line) for line in furniture)
    text = page_text(raw)
    flagged, _ = flagged_chars(text, lang)
    kept_article = kept_furniture = caught = wrongly = 0
    left = []
    for line, a, b in line_spans(text):
        marked = sum(1 for i in range(a, b) if i in flagged)
        if norm(line) in article:
            kept_article += len(line)
            wrongly += marked
        else:
            kept_furniture += len(line)
            caught += marked
            left.append((line, marked == b - a))
    print(f"{name}  ({sum(len(v) for v in visible):,} visible chars in {len(visible)} blocks)")
    print(f"  furniture            {furniture_chars:,} chars in {len(furniture)} blocks")
    print(f"  removed by extractor {furniture_chars - kept_furniture:,} chars "
          f"({(furniture_chars - kept_furniture) / furniture_chars:.1%} of the furniture)")
    print(f"  left in its output   {kept_furniture:,} chars in {len(left)} lines; align's boilerplate step marks "
          f"{caught:,} of them ({caught / kept_furniture if kept_furniture else 0:.1%})")
    for line, whole in left:
        print(f"    {'caught' if whole else 'left  '}  {line[:90]}")
    print(f"  article kept         {kept_article:,} of {article_chars:,} chars ({kept_article / article_chars:.1%}); "
          f"align marks {wrongly:,} article chars as boilerplate")
    print(f"  all furniture gone   {(furniture_chars - kept_furniture + caught) / furniture_chars:.1%} "
          "(extractor, then align's step)")


def scraped_seed() -> None:
    path = next((ROOT / "pairs" / "csto-2023-narrow-session").glob("001_*.txt"))
    text = path.read_text("utf-8")
    _, body = make_pages.ru_article()
    article = {norm(p) for p in body}
    flagged, _ = flagged_chars(text, "ru")
    furniture = caught = 0
    for line, a, b in line_spans(text):
        if norm(line) not in article:
            furniture += len(line)
            caught += sum(1 for i in range(a, b) if i in flagged)
    print(f"{path.name} (the scraper's text, no extractor): furniture {furniture:,} chars; "
          f"align's boilerplate step marks {caught:,} ({caught / furniture:.1%})")


def main() -> None:
    print(f"extractor: {extractor()}")
    for name, (lang, gold) in PAGES.items():
        measure(name, lang, gold())
        print()
    scraped_seed()


if __name__ == "__main__":
    main()
