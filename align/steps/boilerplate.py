"""Recognise page furniture: dates, repeated headlines, navigation, teasers, footers, debris.

Scraped pages carry text that no translator renders and no reviewer wants
reported as an omission. This step marks it from the document alone (no
embeddings): it is listed in the report, but kept out of omission counts and
coverage.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from functools import lru_cache
from importlib import resources

from ..model import Segment, is_debris

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_URL_OR_DOMAIN = re.compile(r"^(https?://)?([\w-]+\.)+[a-z]{2,}(/\S*)?$", re.IGNORECASE)
_BYLINE = re.compile(r"^(by|автор[:]?)\s+\S+(\s+\S+){0,3}$", re.IGNORECASE)
_FINAL = re.compile(r"[.!?…»\"”:;)]\s*$")
# A menu or breadcrumb in any language: "Home | News | Contact", «Главная › Новости › Мир», «ホーム | ニュース».
_MENU_SEPARATOR = re.compile(r"\s+[|•·›»>/]\s+")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2})\b")


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, dict[str, list[str]]]:
    return tomllib.loads(resources.files("align.steps").joinpath("data/boilerplate.toml").read_text("utf-8"))


def _words(kind: str) -> set[str]:
    return {w for words in _lexicon()[kind].values() for w in words}


def _is_date_line(text: str) -> bool:
    """Only dates, weekdays, digits and counters: a page date or a teaser's date and view count.

    It must hold a date (a month or weekday name, or 24.10.2024): digits alone
    are a numbered heading ("1. 1950 :"), which a translator renders.
    """
    if not re.search(r"\d", text):
        return False
    words = {w.lower() for w in _WORD.findall(text)}
    calendar = _words("weekdays") | _words("months")
    return words <= (calendar | {"г", "года", "год"}) and bool(words & calendar or _NUMERIC_DATE.search(text))


def _is_menu(text: str) -> bool:
    """Three or more short labels (letters, no digits, at most three words or twelve characters) between
    separators, and no sentence punctuation: site navigation, whatever the language."""
    items = _MENU_SEPARATOR.split(text.strip())
    return len(items) >= 3 and not _FINAL.search(text) and all(
        item and not re.search(r"\d", item) and _WORD.search(item)
        and (len(item.split()) <= 3 if " " in item else len(item) <= 12)
        for item in items)


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def _link_label(norm: str) -> str | None:
    """'read also' for 'read also: tokayev holds talks ...': the label before a colon that has text after it."""
    label, colon, rest = norm.partition(":")
    return label.strip() if colon and rest.strip() else None


def find_boilerplate(segments: list[Segment]) -> dict[int, str]:
    """Map segment index -> reason, for every segment that is page furniture."""
    reasons: dict[int, str] = {}
    navigation = _words("navigation")
    footer = _words("footer")
    link_labels = _words("link_labels")
    counts = Counter(_normalise(s.text) for s in segments)
    nav_start = None
    for s in segments:
        norm = _normalise(s.text)
        bare = norm.rstrip(":").strip()
        if is_debris(s.text):
            reasons[s.index] = "no words: layout or OCR debris"
        elif bare in navigation and s.index >= len(segments) // 3:
            nav_start = s.index if nav_start is None else nav_start
            reasons[s.index] = f"navigation: {s.text}"
        elif _is_menu(s.text):
            reasons[s.index] = f"navigation: {s.text}"
        elif _link_label(norm) in link_labels:
            reasons[s.index] = f"link to another page: {s.text}"
        elif any(marker in norm for marker in footer):
            reasons[s.index] = "site footer"
        elif _is_date_line(s.text):
            reasons[s.index] = "page date" if s.index < 3 else "date and view counter"
        elif counts[norm] > 1 and not _FINAL.search(s.text):
            reasons[s.index] = "repeated headline"
        elif _URL_OR_DOMAIN.match(s.text.strip()):
            reasons[s.index] = "site name"
        elif _BYLINE.match(s.text.strip()) and s.index < 3:
            reasons[s.index] = "byline"
    if nav_start is not None:
        # Everything after a navigation heading is teasers of other pages.
        for s in segments[nav_start + 1 :]:
            reasons.setdefault(s.index, f"teaser of another page, after '{segments[nav_start].text}'")
    return reasons
