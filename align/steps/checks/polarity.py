"""Negation and modality: a "not" or a "must" on one side only.

Both are word-list checks, kept to what is cheap and precise. A word counts
only when the language profile lists it and it is not inside an exempt phrase
where it does not negate ("not only", «не только», «пока … не», «не раз»).
A check runs only when both languages have a list; otherwise it says nothing.

Negation is reported only when one side has none at all, since languages
distribute negation differently (two "не" may become one "not"), and not
when that side carries it in other words: «нет необходимости постоянно
говорить» rendered as "cautioned against undue focus", «не допустить» as
"prevent" (the profile's `negation_implied`; such words never raise a
finding themselves). Modality is
reported when a group (obligation, possibility, intention) is present on one
side and the other side has no modal word at all: «планирует сформулировать»
-> "outlined" is an intention turned into a fact.
"""
from __future__ import annotations

from functools import lru_cache

from . import languages
from .base import Check, Mismatch


@lru_cache(maxsize=4096)
def negations(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """Spans of negation words that negate (exempt phrases removed); () when the language has no list."""
    comp = languages.compiled(languages.get(lang))
    if comp.negation is None:
        return ()
    exempt = [m.span() for m in comp.negation_exempt.finditer(text)] if comp.negation_exempt else []
    out = []
    for m in comp.negation.finditer(text):
        a, b = m.span()
        if any(x <= a and b <= y for x, y in exempt):
            continue
        out.append((a, b))
    return tuple(out)


@lru_cache(maxsize=4096)
def modals(text: str, lang: str) -> tuple[tuple[str, int, int], ...]:
    """(group, start, end) of modal expressions: obligation, possibility, intention."""
    comp = languages.compiled(languages.get(lang))
    out = []
    for group, pat in comp.modals:
        for m in pat.finditer(text):
            out.append((group, m.start(), m.end()))
    return tuple(sorted(out, key=lambda x: x[1]))


def _implies_negation(text: str, lang: str) -> bool:
    """Whether `text` carries a negation lexically ("cautioned against", «вместо», «ohne»), or in a
    phrase exempt from the count ("not far off", which German may write «knapp» or «nicht weit»): either
    answers the other side's negation, and neither raises one."""
    comp = languages.compiled(languages.get(lang))
    return bool((comp.negation_implied and comp.negation_implied.search(text))
                or (comp.negation_exempt and comp.negation_exempt.search(text)))


def _supported(lang: str, attr: str) -> bool:
    return bool(getattr(languages.get(lang), attr))


class NegationCheck(Check):
    """A negation on one side and none on the other."""

    name = "negation"

    def runs_for(self, src_lang: str, tgt_lang: str) -> bool:
        return _supported(src_lang, "negation") and _supported(tgt_lang, "negation")

    def check(self, src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Mismatch]:
        if not self.runs_for(src_lang, tgt_lang):
            return []
        ns, nt = negations(src, src_lang), negations(tgt, tgt_lang)
        if ns and not nt and not _implies_negation(tgt, tgt_lang):
            words = tuple(src[a:b].lower() for a, b in ns)
            return [Mismatch("negation", f"{'/'.join(dict.fromkeys(words))} ↔ —", words, (), ns, ())]
        if nt and not ns and not _implies_negation(src, src_lang):
            words = tuple(tgt[a:b].lower() for a, b in nt)
            return [Mismatch("negation", f"— ↔ {'/'.join(dict.fromkeys(words))}", (), words, (), nt)]
        return []


class ModalityCheck(Check):
    """An obligation, possibility or intention on one side that the other states as plain fact."""

    name = "modality"

    def runs_for(self, src_lang: str, tgt_lang: str) -> bool:
        return _supported(src_lang, "modals") and _supported(tgt_lang, "modals")

    def check(self, src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Mismatch]:
        if not self.runs_for(src_lang, tgt_lang):
            return []
        ms, mt = modals(src, src_lang), modals(tgt, tgt_lang)
        if ms and not mt:
            groups = "/".join(dict.fromkeys(g for g, _, _ in ms))
            words = tuple(src[a:b] for _, a, b in ms)
            return [Mismatch("modality", f"{'/'.join(dict.fromkeys(words))} ↔ — ({groups} dropped)", tuple(g for g, _, _ in ms), (), tuple((a, b) for _, a, b in ms), ())]
        if mt and not ms:
            groups = "/".join(dict.fromkeys(g for g, _, _ in mt))
            words = tuple(tgt[a:b] for _, a, b in mt)
            return [Mismatch("modality", f"— ↔ {'/'.join(dict.fromkeys(words))} ({groups} added)", (), tuple(g for g, _, _ in mt), (), tuple((a, b) for _, a, b in mt))]
        return []
