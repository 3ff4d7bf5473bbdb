"""Quoted speech, held to a stricter standard than reported speech.

`quote_spans()` finds the quoted speech in a text: paired marks (“…”, «…»,
„…“, "…", and single ‘…’ and '…' told apart from apostrophes), a quote cut by sentence splitting (an opening mark with no closing
one runs to the end of the unit, a closing mark with no opening one starts at
its beginning) and the Russian dialogue dash («– Мы …, – сказал Президент»).
Short quotes (fewer than `min_words` words) are titles and terms («БРИКС плюс»,
«Два государства для двух народов»), not speech. The classifier can call it on a
unit, or on a whole document and map the spans to units, to apply a stricter
similarity threshold to quoted units.

`QuoteCheck` reports a quote rendered as paraphrase (one side quotes, the other
reports it with a verb of saying and no quotation mark at all; Russian dialogue
dashes and English quotation marks are two conventions for one thing) and numbers or
names inside the quotes of one side that the quotes of the other do not have.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import languages
from .base import Check, Mismatch
from .names import has_counterpart, names_cached, names_comparable
from .numbers import compare, extract_numbers
from .text import WORD_RE

# Single quotation marks, the British and literary style ('I'll come tomorrow,' he said): the mark is
# also the apostrophe, so a quote opens only after a non-letter and closes only before one (I'll, don’t
# and the boys' stay words).
_SINGLE = (
    re.compile(r"(?<![^\W\d_])‘((?:[^‘’\n]|’(?=[^\W\d_]))*?[^\s‘])’(?![^\W\d_])"),
    re.compile(r"(?:^|(?<=[\s(\[—–]))'(?=[^\W\d_])([^'\n]*?(?:'[^\W\d_][^'\n]*?)*[^\s'])'(?![^\W\d_])"),
)
_SINGLE_OPEN = re.compile(r"‘|(?:^|(?<=[\s(\[—–]))'")


def _single_quoted(text: str) -> bool:
    """A cheap test before the two patterns above, which no literal prefix speeds up."""
    return ("‘" in text or "'" in text) and _SINGLE_OPEN.search(text) is not None
_PAIRED = (
    re.compile(r"„([^„“”\n]*)[“”]"),
    re.compile(r"«([^«»]*)»"),
    re.compile(r"“([^“”\n]*)”"),
    re.compile(r"‹([^‹›\n]*)›"),
    re.compile(r'"([^"\n]*)"'),
)
_OPENERS = "“«„‹"
_CLOSERS = "”»›"
_OPENER_RE = re.compile(f"[{_OPENERS}]")
_CLOSER_RE = re.compile(f"[{_CLOSERS}]")
_ANY_MARK = re.compile(r"[“”«»„‹›\"]")
# A dialogue dash opens a quote at the start of the text or a line (hyphen allowed
# there, typed text uses it) or right after the end of a sentence.
_DASH_LINE = re.compile(r"(?:(?:^|(?<=\n))[ \t]*[–—-]|(?:(?<=[.!?…] )|(?<=[.!?…]\u00a0))[–—])[ \t]+")
_SPEECH_BEFORE = re.compile(r"(?:^|[:,.!?…–—\-\n])\s*$")
_SPEECH_END = re.compile(r"[.!?…,;]\s*$")


def quote_spans(text: str, lang: str, min_words: int = 4) -> list[tuple[int, int]]:
    """[start, end) spans of quoted speech inside `text` (quotation marks excluded)."""
    return list(_quote_spans(text, lang, min_words))


@lru_cache(maxsize=4096)
def _quote_spans(text: str, lang: str, min_words: int) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    if (_ANY_MARK.search(text) is None and "–" not in text and "—" not in text and "-" not in text
            and not _single_quoted(text)):
        return ()
    used = [False] * len(text)
    for pat in _PAIRED + (_SINGLE if _single_quoted(text) else ()):
        for m in pat.finditer(text):
            a, b = m.span()
            if any(used[a:b]):
                continue
            for k in range(a, b):
                used[k] = True
            n_words = len(WORD_RE.findall(m.group(1)))
            if n_words < min_words:
                continue  # a title or a term: «БРИКС плюс»
            speechlike = (
                _SPEECH_BEFORE.search(text, max(0, a - 3), a) is not None
                or _SPEECH_END.search(m.group(1)) is not None
                or n_words >= 12
            )
            if speechlike:  # not «Два государства для двух народов» after "по формуле"
                spans.append(m.span(1))
    # A quote cut by the sentence splitter.
    for m in _OPENER_RE.finditer(text):
        if not used[m.start()]:
            spans.append((m.start() + 1, len(text)))
            break
    for m in reversed(list(_CLOSER_RE.finditer(text))):
        if not used[m.start()]:
            spans.append((0, m.start()))
            break
    comp = languages.compiled(languages.get(lang))
    if comp.quote_attribution is not None:
        # «— Ты куда? — спросила она»: the dash after "?" introduces the attribution, not a new quote
        attributions = [a.span() for a in comp.quote_attribution.finditer(text)]
        for m in _DASH_LINE.finditer(text):
            if any(x <= m.start() < y for x, y in attributions):
                continue
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end < 0 else line_end
            att = comp.quote_attribution.search(text, m.end(), line_end)
            spans.append((m.end(), att.start() + 1 if att else line_end))
        for att in comp.quote_attribution.finditer(text):
            line_start = text.rfind("\n", 0, att.start()) + 1
            opened = [d for d in _DASH_LINE.finditer(text, line_start, att.start())]
            if not opened:
                spans.append((line_start, att.start() + 1))
    return tuple(_merge(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _has_marks(text: str, lang: str) -> bool:
    """Whether `text` quotes at all, however short the quote: “I’ll come,” 'No,' or a dialogue dash."""
    if _ANY_MARK.search(text) or (_single_quoted(text) and any(p.search(text) for p in _SINGLE)):
        return True
    comp = languages.compiled(languages.get(lang))
    return comp.quote_attribution is not None and (
        _DASH_LINE.search(text) is not None or comp.quote_attribution.search(text) is not None
    )


def _cue(text: str, lang: str) -> tuple[int, int] | None:
    comp = languages.compiled(languages.get(lang))
    if comp.speech_verbs is None:
        return None
    m = comp.speech_verbs.search(text)
    return m.span() if m else None


def _inside(span: tuple[int, int], spans) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


class QuoteCheck(Check):
    """Quoted speech rendered as paraphrase, or with other numbers or names than the original quote."""

    name = "quote"

    def check(self, src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Mismatch]:
        qs = _quote_spans(src, src_lang, 4)
        qt = _quote_spans(tgt, tgt_lang, 4)
        if not qs and not qt:
            return []
        out: list[Mismatch] = []
        if qs and not qt:
            cue = _cue(tgt, tgt_lang)
            if cue and not _has_marks(tgt, tgt_lang):
                out.append(Mismatch("quote", "quote ↔ paraphrase", (_excerpt(src, qs),), (tgt[cue[0] : cue[1]],), qs, (cue,)))
            return out
        if qt and not qs:
            cue = _cue(src, src_lang)
            if cue and not _has_marks(src, src_lang):
                out.append(Mismatch("quote", "paraphrase ↔ quote", (src[cue[0] : cue[1]],), (_excerpt(tgt, qt),), (cue,), qt))
            return out
        # Both quote: what is quoted must carry the same numbers and names (names where they can be compared).
        sn = [q for q in extract_numbers(src, src_lang) if _inside(q.span, qs)]
        tn = [q for q in extract_numbers(tgt, tgt_lang) if _inside(q.span, qt)]
        if sn or tn:
            out.extend(compare(sn, tn, check="quote", prefix="quoted: "))
        if not names_comparable(src_lang, tgt_lang):
            return out
        s_q = [n for n in names_cached(src, src_lang).names if _inside(n.span, qs)]
        t_q = [n for n in names_cached(tgt, tgt_lang).names if _inside(n.span, qt)]
        s_words = tuple(w for a, b in qs for w in WORD_RE.findall(src[a:b]))
        t_words = tuple(w for a, b in qt for w in WORD_RE.findall(tgt[a:b]))
        s_groups = _groups_in(src, src_lang, qs)
        t_groups = _groups_in(tgt, tgt_lang, qt)
        for n in s_q:
            if not has_counterpart(n, t_groups, t_words):
                out.append(Mismatch("quote", f"quoted: {n.text} ↔ —", (n.normalised(),), (), (n.span,), ()))
        for n in t_q:
            if not has_counterpart(n, s_groups, s_words):
                out.append(Mismatch("quote", f"quoted: — ↔ {n.text}", (), (n.normalised(),), (), (n.span,)))
        return out


def _groups_in(text: str, lang: str, spans) -> frozenset[int]:
    groups: set[int] = set()
    for a, b in spans:
        groups |= names_cached(text[a:b], lang).groups
    return frozenset(groups)


def _excerpt(text: str, spans, width: int = 60) -> str:
    a, b = spans[0]
    s = " ".join(text[a:b].split())
    return s if len(s) <= width else s[: width - 1] + "…"
