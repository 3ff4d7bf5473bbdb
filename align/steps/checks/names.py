"""People, organisations and places that one side names and the other does not.

A name candidate is a capitalised word that does not start a sentence, an
acronym, or a word the equivalents table knows; neighbouring candidates form
one name ("Kassym-Jomart Tokayev", "Collective Security Council"), and a name
counts as rendered when any of its words has a counterpart on the other side,
because organisation names keep only some of their capitals in translation
(«Совет коллективной безопасности»). A counterpart is a word that
transliterates to the same consonant skeleton (Herat / Герате), or a form from
the same line of `data/equivalents.txt` (CSTO / ОДКБ), or the name of the same
country or region in the Unicode CLDR (Dinamarca / Dänemark / Данию), which
covers every language CLDR knows. Counterparts are looked
for among all words of the other side, lower-case ones included (Palestinians /
палестинцев). Only a name with no counterpart at all is reported.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import languages, phonetic
from .base import Check, Mismatch
from .cldr import likely_script
from .text import Token, key, latin, same_name, strip_possessive, tokens

EQUIVALENTS_PATH = Path(__file__).with_name("data") / "equivalents.txt"

_ROMAN_RE = re.compile(r"[IVXLC]+$")
# Capitalised in every language and never a name to report: compass points,
# honorifics (the profile's `not_names` adds each language's own).
NEVER_NAMES = frozenset(
    "n s e w o ne nw se sw no so nne ene ese sse ssw wsw wnw nnw nno sso mr mrs ms dr prof st".split()
    # Function words a missed sentence start would capitalise, in the languages
    # with profiles; they are never names in any of them.
    + """the a an this that these those it he she we they i you in on at of for with by from as but and or
    if when while after before during since its his her their our my
    le la les l un une des du de d ce cet cette ces il elle ils elles on nous vous je en au aux par pour
    dans sur avec sans mais et ou comment quand si qui que quoi donc
    der die das den dem des ein eine einer einen einem eines er sie es wir ihr ich im am vom zum zur auf
    mit von für bei nach aus und oder aber wenn wie wo als auch so da
    в во на с со к ко по о об от до из за для и а но или это этот эта эти он она оно они мы вы я
    как когда если что кто""".split()
)
_CONNECTORS = frozenset("of the for and in on at de la le des du et für der die das und von по и".split())


@dataclass(frozen=True)
class Name:
    """A name as found in one text: its words and where they are."""

    text: str  # as written, e.g. "Kassym-Jomart Tokayev"
    span: tuple[int, int]
    words: tuple[str, ...]  # the words that may find a counterpart (possessive stripped)
    groups: frozenset[int]  # equivalents-table lines it matches
    titled: bool = False  # next to a title: "President Tokayev", «лидер Казахстана»
    acronym: bool = False

    def normalised(self) -> str:
        return " ".join(latin(w) for w in self.words)


# --------------------------------------------------------------------------- equivalents table


@dataclass(frozen=True)
class _Form:
    group: int
    words: tuple[tuple[str, bool, bool], ...]  # (text, is_prefix, case_sensitive)


@lru_cache(maxsize=1)
def _word_groups() -> frozenset[int]:
    """Table lines of institution words ("~" lines): they do not split a name."""
    return frozenset(
        gid for gid, line in enumerate(EQUIVALENTS_PATH.read_text(encoding="utf-8").splitlines())
        if line.startswith("~")
    )


@lru_cache(maxsize=16)
def _prefix_lengths(lang: str) -> tuple[int, ...]:
    return tuple(sorted({len(k) for k in _table(lang)[1]}, reverse=True))


@lru_cache(maxsize=16)
def _prefix_starts(lang: str) -> frozenset[str]:
    """First two letters (lower-case) of every prefix form: most words start with none of them."""
    return frozenset(k[:2].lower() for k in _table(lang)[1])


@lru_cache(maxsize=16)
def _table(lang: str) -> tuple[dict[str, list[_Form]], dict[str, list[_Form]]]:
    """First word -> forms, split into exact first words and prefix first words: the equivalents
    table's lines, and the names of countries and regions in `lang` (`_territory_forms`)."""
    exact: dict[str, list[_Form]] = {}
    prefix: dict[str, list[_Form]] = {}
    # A territory's name keeps its capitals ("Chil*" is not "children"); a table form only in an acronym.
    groups = [(g, f, False) for g, f in _table_lines()] + [(g, f, True) for g, f in _territory_forms(lang)]
    groups += _language_forms(lang)
    for gid, forms, capitals in groups:
        for form in forms:
            ws = []
            for w in form.split():
                is_prefix = w.endswith("*")
                w = w.rstrip("*")
                letters = [c for c in w if c.isalpha()]
                case = capitals or (len(letters) >= 2 and all(c.isupper() for c in letters))
                ws.append((w if case else w.lower(), is_prefix, case))
            f = _Form(gid, tuple(ws))
            first, is_prefix, case = ws[0]
            (prefix if is_prefix else exact).setdefault(first if case else first.lower(), []).append(f)
    return exact, prefix


@lru_cache(maxsize=1)
def _table_lines() -> tuple[tuple[int, list[str]], ...]:
    """The equivalents table's groups: (line number, its forms), read once for every language."""
    lines = [line.strip().lstrip("~ ") for line in EQUIVALENTS_PATH.read_text(encoding="utf-8").splitlines()]
    return tuple((gid, line.split(" | ")) for gid, line in enumerate(lines) if line and not line.startswith("#"))


_TERRITORY_GROUPS = 1 << 24  # a territory's group id: this plus its code's bytes (the table's are line numbers)
# Unknown region, the world, outlying Oceania, pseudo-locales.
_NOT_PLACES = frozenset({"ZZ", "001", "QO", "XA", "XB"})
_STEM_END = re.compile(r"(?<=[^\W\d_]{4})[aeiouyаяеёиоуыэюьй]$", re.I)


def _territory_forms(lang: str) -> list[tuple[int, list[str]]]:
    """The name of every country and region in `lang`, from the Unicode CLDR (via Babel), one group per
    territory code, so that «Alemania» finds "Germany" in a pair no table line was written for. A one-word
    name also matches with any ending once its last vowel is dropped («Германия»: «Германии», «Германию»;
    "Deutschland": "Deutschlands"). Nothing for a language CLDR does not know."""
    try:
        from babel import Locale, UnknownLocaleError

        names = Locale.parse(languages.base_code(lang)).territories
    except (ImportError, ValueError, TypeError, UnknownLocaleError):
        return []
    out = []
    for code in sorted(names):
        name = names[code]
        if code in _NOT_PLACES or not all(w.replace("-", "").replace("’", "").replace("'", "").isalpha()
                                          for w in name.split()):
            continue
        forms = [name]
        if " " not in name and len(name) >= 5:
            forms.append(_STEM_END.sub("", name) + "*")
        out.append((_TERRITORY_GROUPS + int.from_bytes(code.encode("ascii"), "big"), forms))
    return out


_LANGUAGE_GROUPS = 2 << 24  # a language's group id: this plus its code's bytes
_STEM_ENDS = re.compile(r"(?<=[^\W\d_]{4})[aeiouyаяеёиоуыэюьй]+$", re.I)


def _language_forms(lang: str) -> list[tuple[int, list[str], bool]]:
    """The name of every major language (ISO 639-1) in `lang`, from the CLDR via Babel: in most languages
    also the adjective of its people («немецкий», "allemand", "German"), so "German troops" finds
    «немецкие войска» in a pair no table line was written for. A name matches with any ending once its
    final vowels go («немецк*»); where capitals do not mark names (German: «Deutsch», «deutsche»), also in
    lower case. Each language joins the group of the country CLDR names as its likely home
    ("German" / "Germany")."""
    try:
        from babel import Locale, UnknownLocaleError
        from babel.core import get_global

        names = Locale.parse(languages.base_code(lang)).languages
        likely = get_global("likely_subtags")
    except (ImportError, ValueError, TypeError, UnknownLocaleError):
        return []
    lowered = not languages.get(lang).caps_marks_names
    out = []
    for language in sorted(names):
        name = names[language]
        if len(language) != 2 or not name.replace("-", "").isalpha() or len(name) < 4:
            continue
        stem = _STEM_ENDS.sub("", name)
        # an accent the inflected forms lose: «alemán» / «alemana», «inglés» / «inglesa»
        bare = "".join(c for c in unicodedata.normalize("NFD", stem) if not unicodedata.combining(c))
        forms = [name] + [s + "*" for s in dict.fromkeys((stem, bare)) if len(s) >= 4]
        if lowered and name[:1].isupper():
            forms += [f[:1].lower() + f[1:] for f in forms]
        home = likely.get(language, "").split("_")[-1]
        if home.isalpha() and len(home) == 2:
            gid = _TERRITORY_GROUPS + int.from_bytes(home.encode("ascii"), "big")
        else:
            gid = _LANGUAGE_GROUPS + int.from_bytes(language.encode("ascii"), "big")
        out.append((gid, forms, name[:1].isupper()))
    return out


def equivalents_signature() -> str:
    import hashlib

    return hashlib.sha256(EQUIVALENTS_PATH.read_bytes()).hexdigest()[:12]


def _word_matches(token: str, spec: tuple[str, bool, bool]) -> bool:
    w, is_prefix, case = spec
    t = token if case else token.lower()
    return t.startswith(w) if is_prefix else t == w


def _table_hits(toks: list[Token], lang: str) -> list[tuple[int, int, int]]:
    """(group, first token, last token + 1) for every table form found in the tokens."""
    exact, prefix = _table(lang)
    lengths = _prefix_lengths(lang)
    starts = _prefix_starts(lang)
    words = [strip_possessive(t.text) for t in toks]
    hits = []
    for i, w in enumerate(words):
        lw = w.lower()
        if w not in exact and lw not in exact and lw[:2] not in starts and "-" not in w and "‐" not in w:
            continue
        # a compound's parts count alone: "Mustagh-Turm", "West-Nepal"
        parts = [w] + ([p for p in re.split(r"[-‐]", w) if len(p) >= 3] if "-" in w or "‐" in w else [])
        for part in parts:
            lw = part.lower()
            cands = exact.get(part, []) + (exact.get(lw, []) if lw != part else [])
            for n in lengths if lw[:2] in starts else ():
                if n <= len(lw):
                    cands = cands + prefix.get(lw[:n], []) + (prefix.get(part[:n], []) if part[:n] != lw[:n] else [])
            for f in cands:
                k = len(f.words)
                if part is not w and k > 1:
                    continue
                seq = [part] if part is not w else words[i : i + k]
                if len(seq) == k and all(_word_matches(seq[j], f.words[j]) for j in range(k)):
                    hits.append((f.group, i, i + k if part is w else i + 1))
    found = {i for _, i, _ in hits}
    for i, w in enumerate(words):
        if i not in found and len(w) >= 7 and w.isalpha():
            hits.extend((group, i, i + 1) for group in _compound_tail_groups(w.lower(), exact, prefix, lengths, starts))
    return hits


_COMPOUND_MIN = 5  # a name at least this long may end a closed compound: "Ostdeutschlands", "Westeuropa"


def _compound_tail_groups(lw: str, exact: dict[str, list[_Form]], prefix: dict[str, list[_Form]],
                          lengths: tuple[int, ...], starts: frozenset[str]) -> set[int]:
    """Groups of the one-word table forms a closed compound ends with (German and its kin write
    "East Germany" as «Ostdeutschland»); a compound that starts with a form is found as a prefix form."""
    groups: set[int] = set()
    for cut in range(2, len(lw) - _COMPOUND_MIN + 1):
        tail = lw[cut:]
        cands = list(exact.get(tail, []))
        if tail[:2] in starts:
            cands += [f for n in lengths if n <= len(tail) for f in prefix.get(tail[:n], [])]
        groups.update(f.group for f in cands if len(f.words) == 1 and len(f.words[0][0]) >= _COMPOUND_MIN)
    return groups


# --------------------------------------------------------------------------- candidates


def _is_headline(text: str) -> bool:
    upper = sum(map(str.isupper, text))
    lower = sum(map(str.islower, text))
    return upper + lower >= 20 and upper > 1.5 * lower


_ZONE_BREAK = re.compile(r"[.!?…:;]\s+|\n")
# Small words English title case capitalises and running text does not: one of them capitalised inside
# a stretch tells a headline ("The Case Against a Biden Run Is Obvious") from a list of names
# ("Armenia, Belarus, Kazakhstan and Russia"). Title case is an English convention.
_TITLE_CASE_SMALL = frozenset(
    "is it its to in on at of as by for with from after against over into onto than that this these those will "
    "has have had are was were be been not but about before behind between during under until upon without "
    "more most what when where which who why how can could would should may might must up out off".split()
)


def _caseless(text: str, toks: list[Token], lang: str) -> list[bool]:
    """Per token, whether its capital says nothing: it stands in an English headline set in title case,
    or in a run of capitals ("IN NUMBERS: ..."). Such a stretch capitalises its words whatever they are,
    so a capital there is no sign of a name.

    Title case: a stretch of at least four words of four letters or more, at most one of them in lower
    case, with a small word (`_TITLE_CASE_SMALL`) capitalised after its first word. A run of capitals:
    two or more neighbouring words in capitals (an acronym stands alone).
    """
    out = [False] * len(toks)
    if lang == "en":
        starts = [0] + [m.end() for m in _ZONE_BREAK.finditer(text)] + [len(text) + 1]
        k = 0
        for a, b in zip(starts, starts[1:]):
            zone = []
            while k < len(toks) and toks[k].start < b:
                if toks[k].start >= a:
                    zone.append(k)
                k += 1
            long_words = [toks[i].text for i in zone if len(toks[i].text) >= 4 and toks[i].text[:1].isalpha()]
            small_capital = any(toks[i].text[:1].isupper() and toks[i].text.lower() in _TITLE_CASE_SMALL
                                for i in zone[1:])
            if len(long_words) >= 4 and sum(not w[:1].isupper() for w in long_words) <= 1 and small_capital:
                for i in zone:
                    out[i] = True
    for i in range(len(toks) - 1):
        pair = (toks[i].text, toks[i + 1].text)
        if (all(w.isupper() and sum(map(str.isalpha, w)) >= 2 for w in pair)
                and not text[toks[i].end:toks[i + 1].start].strip()):
            out[i] = out[i + 1] = True
    return out


def _is_acronym(w: str) -> bool:
    return 2 <= len(w) <= 7 and w.isupper() and sum(map(str.isalpha, w)) <= 6 and not _ROMAN_RE.match(w)


@dataclass(frozen=True)
class _Side:
    """What the name check needs to know about one text."""

    names: tuple[Name, ...]
    groups: frozenset[int]  # table lines found anywhere in the text
    words: tuple[str, ...]  # every word, deduplicated, possessives stripped
    bare_reference: bool  # a pronoun or a title without a name: "he", «Глава государства»
    org_noun: bool  # "the Organization", «Организации»
    bare_title: bool = False  # a title without a name only: "the colonel", «Глава государства»


@lru_cache(maxsize=4096)
def _by_initial(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Words by the first letter of their key: `same_name` never matches across first letters."""
    out: dict[str, list[str]] = {}
    for w in words:
        k = key(w)
        if k:
            out.setdefault(k[0], []).append(w)
    return {c: tuple(ws) for c, ws in out.items()}


@lru_cache(maxsize=4096)
def _by_first_sound(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Words by the first symbol of their sound keys: Уильям (u…) meets William (w…) there."""
    out: dict[str, list[str]] = {}
    for w in words:
        for k in phonetic.keys(w):
            out.setdefault(k[0], []).append(w)
    return {c: tuple(dict.fromkeys(ws)) for c, ws in out.items()}


def _candidates(word: str, by_key: dict[str, tuple[str, ...]], by_sound: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Words of the other side that may be `word`: same first letter of the key, or same first sound."""
    found = by_key.get(key(word)[:1], ())
    for first in {k[0] for k in phonetic.keys(word)}:
        found = found + by_sound.get(first, ())
    return found


def extract_names(text: str, lang: str) -> list[Name]:
    """Name candidates in `text`, grouped into multi-word names."""
    return list(names_cached(text, lang).names)


@lru_cache(maxsize=4096)
def names_cached(text: str, lang: str) -> _Side:
    prof = languages.get(lang)
    comp = languages.compiled(prof)
    toks = tokens(text)
    words = tuple(strip_possessive(t.text) for t in toks)
    # Counterparts may hide in compounds: "West-Nepal", "Riesen-Panda".
    uniq = tuple(dict.fromkeys(words + tuple(p for w in words if "-" in w for p in w.split("-") if len(p) >= 3)))
    hits = _table_hits(toks, lang)
    all_groups = frozenset(g for g, _, _ in hits)
    org_noun = comp.org_nouns is not None and comp.org_nouns.search(text) is not None
    lower = [w.lower() for w in words]
    # A one-letter title ("M." for monsieur) only as a capital: "7000 m. Le Rakaposhi" has none.
    is_title = [languages.word_in(w, prof.titles) and (len(w) > 1 or toks[i].text.isupper()) for i, w in enumerate(lower)]
    if _is_headline(text):
        return _Side((), all_groups, uniq, False, org_noun)
    hit_at: dict[int, set[int]] = {}
    for g, a, b in hits:
        for i in range(a, b):
            hit_at.setdefault(i, set()).add(g)
    caseless = _caseless(text, toks, lang)
    noninitial_caps = {w for t, w, c in zip(toks, words, caseless) if not t.initial and not c and w[:1].isupper()}
    word_groups = _word_groups()
    entity = {i for i, gs in hit_at.items() if gs - word_groups}

    kind: list[str | None] = []  # "acr", "cap" or None per token
    for i, (t, w) in enumerate(zip(toks, words)):
        low = lower[i]
        if len(w) < 2 or low in NEVER_NAMES or _ROMAN_RE.match(w) or languages.word_in(low, prof.not_names) or is_title[i]:
            kind.append(None)
        elif i == 0 and w.isupper() and text[t.end : t.end + 3].strip() in ("—", "–", "-"):
            kind.append(None)  # dateline: "ASTANA — President ..."
        elif caseless[i] and i not in entity:
            kind.append(None)  # a headline's capitals; a name the equivalents table knows still counts
        elif _is_acronym(w):
            kind.append("acr")
        elif not w[0].isupper():
            kind.append(None)
        elif not prof.caps_marks_names:
            kind.append(None)
        elif not t.initial:
            kind.append("cap")
        elif i in hit_at or w in noninitial_caps or _inner_capital(w):
            kind.append("cap")
        else:
            kind.append(None)

    # Group neighbours: "Kassym-Jomart Tokayev"; an acronym stands alone, except
    # with its own expansion "Commonwealth of Independent States (CIS)" or a
    # slash twin "UNRWA/БАПОР".
    phrases: list[list[int]] = []
    i = 0
    while i < len(toks):
        if kind[i] is None:
            i += 1
            continue
        group = [i]
        if kind[i] == "cap":
            j = i + 1
            while j < len(toks) and kind[j] == "cap" and _gap(text, toks[j - 1], toks[j]).strip(" -‐\u00a0") == "":
                group.append(j)
                j += 1
            runs = _split_entities(group, entity)
            phrases.extend(runs[:-1])
            group = runs[-1]
        else:
            j = i + 1
            while j < len(toks) and kind[j] == "acr" and _gap(text, toks[j - 1], toks[j]) == "/":
                group.append(j)
                j += 1
        phrases.append(group)
        i = j
    phrases = _attach_expansions(text, toks, kind, phrases)

    names = []
    for group in phrases:
        a, b = toks[group[0]].start, toks[group[-1]].end
        groups = frozenset(g for k in group for g in hit_at.get(k, ()))
        near = [k for k in (group[0] - 2, group[0] - 1, group[-1] + 1) if 0 <= k < len(toks)]
        titled = any(is_title[k] for k in near)
        acronym = all(kind[k] == "acr" for k in group)
        names.append(Name(text[a:b], (a, b), tuple(words[k] for k in group), groups, titled, acronym))
    titled_only = any(
        is_title[i] and _bare_title(i, is_title, kind, hit_at, words, prof.caps_marks_names) for i in range(len(toks))
    )
    bare = titled_only or any(w in prof.pronouns for w in lower)
    return _Side(tuple(names), all_groups, uniq, bare, org_noun, titled_only)


def _bare_title(i: int, is_title: list[bool], kind: list[str | None], hit_at: dict[int, set[int]],
                words: tuple[str, ...], caps_mark_names: bool) -> bool:
    """A title not followed by a person's name: «Глава государства», «Президент Казахстана», "the President".

    Where capitals do not mark names (German), no name is read off «Dr. Toni Hagen»; a capitalised
    word right after the title counts as one all the same.
    """
    if not caps_mark_names and i + 1 < len(words) and words[i + 1][:1].isupper():
        return False
    j = i + 1
    while j < len(kind) and is_title[j]:
        j += 1
    return j >= len(kind) or kind[j] is None or j in hit_at


def _split_entities(group: list[int], entity: set[int]) -> list[list[int]]:
    """Split "Беларусь Александр Лукашенко" into a country and a person.

    Only when a run of two or more unknown words (a person's full name) sits
    next to a known country or organisation; "Gaza Strip" and "Collective
    Security Council" stay whole.
    """
    runs: list[list[int]] = []
    for k in group:
        if runs and (runs[-1][-1] in entity) == (k in entity):
            runs[-1].append(k)
        else:
            runs.append([k])
    if len(runs) > 1 and any(len(r) >= 2 and r[0] not in entity for r in runs):
        return runs
    return [group]


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end : b.start]


def _inner_capital(w: str) -> bool:
    """Kassym-Jomart, Касым-Жомарт: a capital after a hyphen marks a name even at a sentence start."""
    parts = re.split(r"[-‐]", w)
    return len(parts) > 1 and all(p[:1].isupper() for p in parts)


def _attach_expansions(text, toks, kind, phrases):
    """Merge "Commonwealth of Independent States (CIS)" into the acronym's name."""
    drop: set[int] = set()
    for n, p in enumerate(phrases):
        k = p[0]
        if kind[k] != "acr" or k == 0:
            continue
        if _gap(text, toks[k - 1], toks[k]).strip() != "(":
            continue
        j = k - 1
        members = []
        while j >= 0:
            w = toks[j].text
            if kind[j] == "cap" or (w.lower() in _CONNECTORS and members):
                members.append(j)
            else:
                break
            if j > 0 and _gap(text, toks[j - 1], toks[j]).strip(" -‐\u00a0") != "":
                break
            j -= 1
        while members and toks[members[-1]].text.lower() in _CONNECTORS:
            members.pop()
        if not members:
            continue
        first = min(members)
        for m, q in enumerate(phrases):
            if m != n and q[0] >= first and q[-1] < k:
                drop.add(m)
        phrases[n] = sorted(set(members) | set(p))
    return [p for m, p in enumerate(phrases) if m not in drop]


# --------------------------------------------------------------------------- the check


def has_counterpart(name: Name, other_groups: frozenset[int], other_words: tuple[str, ...]) -> bool:
    """Whether `name` is rendered on the other side: by a table equivalent, or by its words, the last
    one (a surname, the name proper of a place) among them unless it is under four letters."""
    if name.groups & other_groups:
        return True
    index = _by_initial(other_words)

    by_sound = _by_first_sound(other_words)

    def rendered(w: str) -> bool:
        parts = [w] + [p for p in re.split(r"[-‐]", w) if len(p) >= 3 and p != w]
        return any(same_name(p, o) for p in parts for o in _candidates(p, index, by_sound))

    # "Sven Hedin" against "Sven Pontresina": the first name is there, the surname is another. (A
    # translated last word reads the same way: "Conway Saddle" for «Conway-Sattel», bench/checks_false_alarms.py.)
    if rendered(name.words[-1]):
        return True
    return len(name.words[-1]) < 4 and any(rendered(w) for w in name.words[:-1])


class NameCheck(Check):
    """A person, organisation or place on one side with no counterpart at all on the other.

    Graded (`Mismatch.grade`): a name replaced by another name is "swapped"; a name the other side
    does not mention is "missing" (also when it has a pronoun), or "referenced" when it has a bare
    title ("the colonel" for «полковник Мелчетт» untitled elsewhere).
    """

    name = "name"

    def runs_for(self, src_lang: str, tgt_lang: str) -> bool:
        return names_comparable(src_lang, tgt_lang)

    def check(self, src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Mismatch]:
        if not self.runs_for(src_lang, tgt_lang):
            return []
        s = names_cached(src, src_lang)
        t = names_cached(tgt, tgt_lang)
        if not s.names and not t.names:
            return []
        src_only = [n for n in s.names if not _rendered(n, t)]
        tgt_only = [n for n in t.names if not _rendered(n, s)]
        out = []
        for n in src_only:
            out.append(Mismatch("name", f"{n.text} ↔ —", (n.normalised(),), (), (n.span,), (), _grade(tgt_only, t)))
        for n in tgt_only:
            out.append(Mismatch("name", f"— ↔ {n.text}", (), (n.normalised(),), (), (n.span,), _grade(src_only, s)))
        return out


def names_comparable(src_lang: str, tgt_lang: str) -> bool:
    """Both languages written in a script the counterparts are found in (`text.latin` reads Latin and
    Cyrillic): a Chinese or Arabic side would leave every name of the other side unmatched."""
    return _readable_script(src_lang) and _readable_script(tgt_lang)


@lru_cache(maxsize=None)
def _readable_script(lang: str) -> bool:
    """Whether CLDR writes `lang` in Latin or Cyrillic by default (a language it does not know: assumed so)."""
    return likely_script(lang) in ("", "Latn", "Cyrl")


def _grade(other_unmatched: list[Name], other: _Side) -> str:
    """A name is swapped when the other side has a name of its own in the unit that nothing here
    renders; referenced when it has a bare title ("the colonel"); else missing. A pronoun alone
    leaves it missing: "he" may be anyone in the sentence (the seed's "He appealed ..." is the
    President, not the dropped Herat)."""
    if other_unmatched:
        return "swapped"
    return "referenced" if other.bare_title else "missing"


def _rendered(name: Name, other: _Side) -> bool:
    if has_counterpart(name, other.groups, other.words):
        return True
    if name.titled and other.bare_reference:
        return True  # "President Tokayev" / «Глава государства»
    if name.acronym and other.org_noun:
        return True  # "CSTO’s potential" / «потенциала Организации»
    return False
