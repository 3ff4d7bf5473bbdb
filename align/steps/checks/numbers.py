"""Amounts, counts, percentages, years, dates and clock times, normalised across languages.

`extract_numbers()` finds every quantity in a text, written in digits
("1 975", "1,975", "2,5", "$1 million", "1 млн долл. США") or in words
("одного миллиона долларов", "five percent"), and dates with the precision
they were written with ("23 ноября" has a month and a day but no year; "in
January of next year" has a month and a relative year), and clock times as minutes after
midnight ("1.30pm" is "13.30 Uhr"). `compare()` pairs the
quantities of two texts and explains what is left over.

Number words come from `number-parser` (English, Russian in every case and
gender) or `text2num` (German, French, ...), chosen per language in
`languages.py`; both are imported on first use. Small number words ("one of
the", "одна из", "two" used loosely) are *weak*: they can match a quantity on
the other side but are never reported on their own, because translators add
and drop them freely and a false alarm costs a reviewer more than a miss.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from . import languages
from .base import Check, Mismatch
from .text import WORD_RE

KINDS = ("count", "money", "percent", "year", "date", "ordinal", "time")
_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True)
class DateValue:
    """A calendar date as precise as the text made it; None = not said."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    relative_year: int | None = None  # "next year" = +1, "this year" = 0, "last year" = -1

    def normalised(self) -> str:
        if self.year is not None:
            y = f"{self.year:04d}"
        elif self.relative_year is not None:
            y = {1: "(next year)", 0: "(this year)", -1: "(last year)"}.get(
                self.relative_year, f"(year{self.relative_year:+d})"
            )
        else:
            y = "????"
        m = f"{self.month:02d}" if self.month else "??"
        d = f"{self.day:02d}" if self.day else "??"
        return f"{y}-{m}-{d}"


@dataclass(frozen=True)
class Quantity:
    """One number as written, with its value in a language-neutral form."""

    kind: str  # one of KINDS
    value: float | None  # None for dates; minutes after midnight for times
    # currency code for money, "%" for percent, a `MEASURES` code for an amount in a unit ("kg"), "24h" for a
    # time that cannot be 12 hours off, "" otherwise
    unit: str
    span: tuple[int, int]  # [start, end) in the text given to extract_numbers
    text: str  # as written
    date: DateValue | None = None
    words: bool = False  # written in words
    weak: bool = False  # may match, never reported alone (small number word, bare "тысячи")
    resolution: float = 1.0  # value of the last written digit: 2.5 -> 0.1, "3 million" -> 1e6

    def normalised(self) -> str:
        if self.date is not None:
            return self.date.normalised()
        v = _fmt(self.value)
        if self.kind == "percent":
            return f"{v}%"
        if self.kind == "ordinal":
            return f"#{v}"
        if self.kind == "time" and self.value is not None:
            return f"{int(self.value) // 60:02d}:{int(self.value) % 60:02d}"
        return f"{v} {self.unit}" if self.unit else v


def _fmt(value: float | None) -> str:
    if value is None:
        return "?"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.10g}"


# --------------------------------------------------------------------------- extraction


def extract_numbers(text: str, lang: str) -> list[Quantity]:
    """Every quantity in `text`, in order of position."""
    return list(_extract_cached(text, lang))


@lru_cache(maxsize=4096)
def _extract_cached(text: str, lang: str) -> tuple[Quantity, ...]:
    prof = languages.get(lang)
    comp = languages.compiled(prof)
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    has_digit = _DIGIT_RE.search(text) is not None
    has_month = comp.month_any is not None and comp.month_any.search(text) is not None
    if has_digit or has_month:
        _dates(text, comp.dates if has_month else comp.numeric_dates, comp, out, taken, free)
    if has_digit:
        _times(text, comp, out, taken, free)
        _digits(text, prof, comp, out, taken, free)
    if prof.number_words == "cn2an":
        _han_numerals(text, comp, out, taken, free)
    elif prof.number_words:
        _words(text, prof, comp, out, taken, free)
    _roman(text, prof, out, taken, free)
    out.sort(key=lambda q: q.span)
    return tuple(_share_units(text, out))


_RANGE = re.compile(r"\s*(?:-|–|—|to|and|or|bis|und|oder|à|et|ou|до|и|или)\s*", re.I)


def _share_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """"between 375 and 400 pounds": the first amount of a range is in the unit written after the second."""
    out = list(found)
    for k in range(len(out) - 2, -1, -1):
        q, nxt = out[k], out[k + 1]
        if (q.kind == "count" and not q.unit and nxt.unit in MEASURES
                and _RANGE.fullmatch(text, q.span[1], nxt.span[0])):
            out[k] = replace(q, unit=nxt.unit)
    return out


def _dates(text, patterns, comp, out, taken, free) -> None:
    for pat in patterns:
        for m in pat.finditer(text):
            g = m.groupdict()
            starts = [m.start(k) for k in ("d", "m", "mo", "y", "rel") if g.get(k)]
            if not starts:
                continue
            a, b = min(starts), m.end()
            if not free(a, b):
                continue
            month = None
            if g.get("m"):
                month = _month_number(comp, g["m"])
            elif g.get("mo"):
                month = int(g["mo"])
            day = int("".join(ch for ch in g["d"] if ch.isdigit())) if g.get("d") else None
            year = int(g["y"]) if g.get("y") else None
            rel = None
            if g.get("rel"):
                rel = comp.relative.get(" ".join(g["rel"].lower().split()))
            if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                continue
            if year is not None and not 1000 <= year <= 2999:
                continue
            dv = DateValue(year, month, day, rel)
            out.append(Quantity("date", None, "", (a, b), text[a:b], date=dv))
            taken.append((a, b))


def _month_number(comp, word: str) -> int | None:
    for pat, n in comp.month_each:
        if pat.match(word):
            return n
    return None


def _times(text, comp, out, taken, free) -> None:
    """Clock times, as minutes after midnight. A time that names no half of the day and is not
    past noon ("8 Uhr", "8:00") may be 12 hours off from the other side's "8pm" without drift."""
    for pat, weak in [(p, False) for p in comp.times] + [(languages.CLOCK, True)]:
        for m in pat.finditer(text):
            a, b = m.span()
            if not free(a, b):
                continue
            h = int(m.group("h"))
            mi = int(m.group("mi") or 0) if "mi" in pat.groupindex else 0
            ap = (m.group("ap") or "").lower() if "ap" in pat.groupindex else ""
            if ap:
                h = h % 12 + (12 if ap == "p" else 0)
            explicit = bool(ap) or h == 0 or h > 12 or m.group("h").startswith("0")
            out.append(Quantity("time", float(h % 24 * 60 + mi), "24h" if explicit else "", (a, b),
                                text[a:b].strip(), weak=weak))
            taken.append((a, b))


def _hour_readings(q: Quantity) -> set[float]:
    """The plain numbers a time may be written as elsewhere: "16 heures" read as a count, "13.30" as 13.3."""
    h, mi = divmod(int(q.value or 0), 60)
    hours = {h, h % 12 or 12}
    return {float(x) for x in hours} | {x + mi / 100 for x in hours}


def _digits(text, prof, comp, out, taken, free) -> None:
    for m in comp.number.finditer(text):
        a, b = m.span()
        if not free(a, b):
            continue
        # Identifiers and codes: COVID-19, A-380, UNRWA/2.
        if a >= 2 and text[a - 1] in "-/‐" and text[a - 2].isalpha():
            continue
        if (b < len(text) - 1 and text[b] == ":" and text[b + 1].isdigit()) or (
            a >= 2 and text[a - 1] == ":" and text[a - 2].isdigit()
        ):
            # A score or a ratio ("2:1", which English writes "2-1"): may match, never reported alone.
            out.append(Quantity("count", float("".join(ch for ch in m.group("int") if ch.isdigit())), "", (a, b),
                                m.group(), weak=True))
            taken.append((a, b))
            continue
        int_txt = m.group("int")
        digits = "".join(ch for ch in int_txt if ch.isdigit())
        frac = m.group("frac")
        value = float(int(digits)) + (int(frac) / 10 ** len(frac) if frac else 0.0)
        if len(digits) == 2 and not frac and a >= 5 and text[a - 1] in "/-–" and text[a - 5 : a - 1].isdigit():
            # "1954/55", "1952-53": the second year of a range written short
            first = int(text[a - 5 : a - 1])
            if 1000 <= first <= 2100 and first % 100 < int(digits):
                value = float(first - first % 100 + int(digits))
                out.append(Quantity("year", value, "", (a, b), text[a:b], resolution=1.0))
                taken.append((a, b))
                continue
        resolution = 10.0 ** -len(frac) if frac else 1.0
        kind, unit, end = "count", "", b
        tail = comp.after_number.match(text, b)
        before = comp.currency_before.search(text, max(0, a - 6), a)
        if tail and tail.group("unit") and before:
            tail = None  # "£44m": after a currency sign a letter is a scale, read below
        if tail:
            if tail.group("ord") if "ord" in tail.groupdict() else None:
                kind = "ordinal"
            elif tail.group("pct"):
                kind, unit = "percent", "%"
            elif tail.group("scale"):
                mult = _scale(comp, tail.group("scale"))
                value *= mult
                resolution *= mult
                if tail.group("cur1"):
                    kind, unit = "money", _currency(comp, tail.group("cur1"))
            elif tail.group("cur2"):
                kind, unit = "money", _currency(comp, tail.group("cur2"))
            elif tail.group("unit"):
                unit = _unit(comp, tail.group("unit"))
            end = tail.end()
        if before and kind in ("count", "money") and unit not in MEASURES:
            kind = "money"
            unit = unit or _currency_symbol(before.group())
            a = before.start()
            short = _SHORT_SCALE.match(text, end) if end == b else None
            if short:  # "£44m", "$5k": after a currency sign, m is million (elsewhere "44m" is metres)
                mult = _SHORT_SCALES[short.group(1).lower()]
                value, resolution, end = value * mult, resolution * mult, short.end()
        if (
            kind == "count"
            and not unit  # "2000 m" is a height
            and frac is None
            and len(int_txt) == 4
            and int_txt.isdigit()
            and 1000 <= value <= 2100
        ):
            kind = "year"
        out.append(Quantity(kind, value, unit, (a, end), text[a:end].strip(), resolution=resolution))
        taken.append((a, end))


_ROMAN_RE = re.compile(r"(?<![^\W\d_])(?=[IVX])X{0,2}(?:IX|IV|V?I{0,3})(?![^\W\d_])")
_ROMAN = {"I": 1, "V": 5, "X": 10}


def _roman(text, prof, out, taken, free) -> None:
    """Roman numerals ("camp III", "Lager II"): weak, they only match "3" or "2" on the other side."""
    for m in _ROMAN_RE.finditer(text):
        r = m.group()
        if not r or (r == "I" and prof.code == "en") or not free(*m.span()):
            continue
        if r == "I" and not (m.start() >= 2 and text[m.start() - 2].islower()):
            continue  # a lone "I" counts only after a noun: "camp I"
        v = 0
        for a, b in zip(r, r[1:] + " "):
            v += -_ROMAN[a] if b != " " and _ROMAN[b] > _ROMAN[a] else _ROMAN[a]
        out.append(Quantity("count", float(v), "", m.span(), r, words=True, weak=True))
        taken.append(m.span())


_SHORT_SCALES = {"k": 10**3, "m": 10**6}
_SHORT_SCALE = re.compile(r"([kKmM])(?![^\W\d_])")


def _scale(comp, s: str) -> int:
    s = s.strip(languages.JOINERS)
    for pat, v in comp.scale_each:
        if pat.match(s):
            return v
    return 1


def _currency(comp, s: str) -> str:
    s = s.strip(languages.JOINERS)
    for pat, code in comp.currency_each:
        if pat.match(s):
            return code
    return _currency_symbol(s)


def _unit(comp, s: str) -> str:
    s = s.strip(languages.JOINERS)
    return next((code for pat, code in comp.unit_each if pat.match(s)), "")


# Units of measurement: code -> (what it measures, its size in the unit the conversions go through).
# Temperatures are converted on their own (`_in_unit`).
MEASURES: dict[str, tuple[str, float]] = {
    "kg": ("mass", 1.0), "g": ("mass", 1e-3), "t": ("mass", 1e3), "lb": ("mass", 0.45359237),
    "oz": ("mass", 0.028349523125),
    "km": ("length", 1e3), "m": ("length", 1.0), "cm": ("length", 1e-2), "mm": ("length", 1e-3),
    "mi": ("length", 1609.344), "ft": ("length", 0.3048), "in": ("length", 0.0254), "yd": ("length", 0.9144),
    "l": ("volume", 1.0), "gal": ("volume", 3.785411784),
    "ha": ("area", 1e4), "acre": ("area", 4046.8564224), "km2": ("area", 1e6), "sqmi": ("area", 2589988.110336),
    "kmh": ("speed", 1.0), "mph": ("speed", 1.609344),
    "C": ("temperature", 1.0), "F": ("temperature", 1.0),
}
# A converted amount is rounded to what a reader would write: "400 pounds" is «180 Kilogramm» (181.4),
# "6 feet" "1,80 m" (1.83), "5 miles" "8 km" (8.05), "100 °F" «38 Grad» (37.8).
_CONVERSION_TOLERANCE = 0.05  # share of the written amount
_DEGREES_TOLERANCE = 1.0  # temperatures: degrees


def _in_unit(q: Quantity, unit: str) -> float | None:
    """`q`'s amount in `unit`, when both measure the same thing; None otherwise."""
    if q.value is None or q.unit not in MEASURES or unit not in MEASURES or MEASURES[q.unit][0] != MEASURES[unit][0]:
        return None
    if q.unit == unit:
        return q.value
    if MEASURES[unit][0] == "temperature":
        return (q.value - 32) * 5 / 9 if unit == "C" else q.value * 9 / 5 + 32
    return q.value * MEASURES[q.unit][1] / MEASURES[unit][1]


def _converted(a: Quantity, b: Quantity) -> bool:
    """`a` and `b` are the same amount in two units ("400 pounds" / «180 Kilogramm»)."""
    if a.unit == b.unit or b.value is None:
        return False
    v = _in_unit(a, b.unit)
    if v is None:
        return False
    slack = _DEGREES_TOLERANCE if MEASURES[b.unit][0] == "temperature" else _CONVERSION_TOLERANCE * abs(b.value)
    return abs(v - b.value) <= max(slack, b.resolution)


def _currency_symbol(s: str) -> str:
    s = s.strip(" \u00a0\u202f\u2009")
    table = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "₸": "KZT", "₽": "RUB", "¥": "JPY"}
    return table.get(s, s.upper() if s.isalpha() else "?")


# Bare scale words ("тысячи людей", "millions") mean "many", not a number.
_HALF = {"полтора": 1.5, "полторы": 1.5, "полутора": 1.5}


def _norm(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(ch) != "Mn")


@lru_cache(maxsize=16)
def _vocab(engine: str, lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """(number words, scale words) known to the number-parser engine for `lang`."""
    if engine != "number_parser":
        return frozenset(), frozenset()
    from number_parser.parser import LanguageData

    data = LanguageData(lang)
    return frozenset(data.all_numbers), frozenset(data.big_powers_of_ten) | frozenset(
        k for k, v in data.hundreds.items() if v == 100
    )


@lru_cache(maxsize=65536)
def _word_value(engine: str, lang: str, phrase: str) -> float | None:
    """Value of a number phrase, or None when the engine does not read it as one."""
    try:
        if engine == "number_parser":
            from number_parser import parse_number

            v = parse_number(phrase, language=lang)
        else:
            from text_to_num import text2num

            v = text2num(phrase, lang)
    except (ValueError, ImportError, KeyError, IndexError, TypeError):
        return None
    return float(v) if v is not None else None


@lru_cache(maxsize=65536)
def _is_number_word(engine: str, lang: str, word: str) -> bool:
    w = _norm(word)
    if engine == "number_parser":
        vocab, _ = _vocab(engine, lang)
        parts = w.replace("‐", "-").split("-")
        return all(p in vocab for p in parts)
    if len(w) < 2 or w in ("et",):
        return False
    return _word_value(engine, lang, w) is not None


@lru_cache(maxsize=65536)
def _ordinal_word_value(lang: str, word: str) -> int | None:
    prof = languages.get(lang)
    comp = languages.compiled(prof)
    w = word.lower()
    if comp.ordinal_word is not None:
        if comp.ordinal_word.match(w):
            w = w.replace("ё", "е")
            for i, stem in enumerate(comp.ordinal_stems):
                if stem.match(w):
                    return i + 1
        return None
    if prof.number_words == "number_parser" and w.endswith(("st", "nd", "rd", "th")):
        try:
            from number_parser import parse_ordinal

            v = parse_ordinal(w, language=lang)
        except (ValueError, KeyError, IndexError, TypeError):
            return None
        return int(v) if v else None
    return None


def _maybe_ordinal_or_compound(prof, comp, low: str) -> bool:
    """Cheap pre-test before the cached look-ups: could this word be an ordinal or a number compound?"""
    if comp.ordinal_word is not None:
        if comp.ordinal_word.match(low):
            return True
    elif prof.number_words == "number_parser" and low.endswith(("st", "nd", "rd", "th")):
        return True
    return bool(prof.number_word_suffixes) and any(p.endswith(prof.number_word_suffixes) for p in low.split("-"))


def _compound_value(engine: str, prof, word: str) -> float | None:
    for low in word.lower().split("-"):  # "Achttausender-Status"
        for suffix in prof.number_word_suffixes:
            stem = low[: -len(suffix)]
            if low.endswith(suffix) and len(stem) >= 3 and _is_number_word(engine, prof.code, stem):
                return _word_value(engine, prof.code, stem)
    return None


def _words(text, prof, comp, out, taken, free) -> None:
    engine, lang = prof.number_words, prof.code
    scales = _vocab(engine, lang)[1]
    words = [_number_prefix(engine, lang, text, m) for m in WORD_RE.finditer(text)]
    i = 0
    while i < len(words):
        m = words[i]
        low = m.group().lower()
        if not (low in _HALF or _is_number_word(engine, lang, m.group()) or _maybe_ordinal_or_compound(prof, comp, low)):
            i += 1
            continue
        if not free(*m.span()):
            i += 1
            continue
        if low in _HALF:
            _add_word_quantity(text, comp, out, taken, m.start(), m.end(), _HALF[low], True, 0.1)
            i += 1
            continue
        if not _is_number_word(engine, lang, m.group()):
            ov = _ordinal_word_value(lang, m.group())
            if ov is not None:
                out.append(Quantity("ordinal", float(ov), "", m.span(), m.group(), words=True, weak=ov <= 10))
                taken.append(m.span())
            else:
                cv = _compound_value(engine, prof, m.group())
                if cv is not None:  # "Achttausender": matches "8000 m", never reported
                    out.append(Quantity("count", cv, "", m.span(), m.group(), words=True, weak=True))
                    taken.append(m.span())
            i += 1
            continue
        j = i + 1
        while j < len(words):
            gap = text[words[j - 1].end() : words[j].start()]
            if gap.strip(" -\u00a0") == "" and _is_number_word(engine, lang, words[j].group()):
                j += 1
            elif (
                words[j].group().lower() in prof.number_word_joiners
                and j + 1 < len(words)
                and _is_number_word(engine, lang, words[j + 1].group())
                and text[words[j - 1].end() : words[j + 1].start()].replace(words[j].group(), "").strip() == ""
            ):
                j += 2
            else:
                break
        run = words[i:j]
        phrase = text[run[0].start() : run[-1].end()]
        value = _word_value(engine, lang, phrase)
        if value is None:  # not one number ("two three"): take the first word alone
            run = words[i : i + 1]
            phrase = run[0].group()
            value = _word_value(engine, lang, phrase)
            j = i + 1
        if value is not None:
            bare_scale = len(run) == 1 and (_norm(phrase) in scales or value in (1e3, 1e6, 1e9, 1e12))
            weak = bare_scale or value <= 100  # "seit hundert Jahren" / "depuis un siècle"
            _add_word_quantity(text, comp, out, taken, run[0].start(), run[-1].end(), value, weak, 1.0)
        i = j


# Chinese numerals: a run of them, with 百分之 before it a percentage; one followed by 月 is a month's
# name (十月, October), which the month reading takes. A lone 一 or 两 is mostly part of a word (一些 some,
# 一起 together, 统一 unify, 两岸), and 万一 is "in case": no numbers.
_HAN_NUMERAL = re.compile(r"(?P<pct>百分之)?(?P<n>[〇零一二两三四五六七八九十百千万亿]+(?:点[〇零一二三四五六七八九]+)?)"
                          r"(?![〇零一二两三四五六七八九十百千万亿点月])")
_HAN_NOT_NUMBER = frozenset({"一", "两", "万一"})


def _han_numerals(text, comp, out, taken, free) -> None:
    from cn2an import cn2an  # imported on first use: only Chinese pays for it

    for m in _HAN_NUMERAL.finditer(text):
        a, b = m.span()
        run = m.group("n")
        if not free(a, b) or run in _HAN_NOT_NUMBER:
            continue
        try:
            value = float(cn2an(run, "smart"))
        except (ValueError, KeyError):
            continue
        if m.group("pct"):
            out.append(Quantity("percent", value, "%", (a, b), text[a:b], words=True))
            taken.append((a, b))
        else:
            _add_word_quantity(text, comp, out, taken, a, b, value, value <= 100, 1.0)


def _number_prefix(engine: str, lang: str, text: str, m: re.Match) -> re.Match:
    """The number word that opens a hyphenated compound ("twelve" of "twelve-second", "forty-five" of
    "forty-five-minute"), or the word itself: the compound says the number as plainly as "12-second"."""
    word = m.group()
    if "-" not in word or _is_number_word(engine, lang, word):
        return m
    parts = word.split("-")
    for k in range(len(parts) - 1, 0, -1):
        prefix = "-".join(parts[:k])
        if _is_number_word(engine, lang, prefix):
            return WORD_RE.match(text, m.start(), m.start() + len(prefix)) or m
    return m


def _add_word_quantity(text, comp, out, taken, a, b, value, weak, resolution) -> None:
    kind, unit, end = "count", "", b
    tail = comp.after_number.match(text, b)
    if tail and not ("ord" in tail.groupdict() and tail.group("ord")):
        if tail.group("pct"):
            kind, unit = "percent", "%"
        elif tail.group("cur2"):
            kind, unit = "money", _currency(comp, tail.group("cur2"))
        elif tail.group("scale"):  # "two thousand" split by the engine: keep the words as written
            tail = None
        if tail is not None:
            end = tail.end()
    if kind != "count":
        weak = False
    out.append(Quantity(kind, value, unit, (a, end), text[a:end], words=True, weak=weak, resolution=resolution))
    taken.append((a, end))


# --------------------------------------------------------------------------- comparison


def _same_value(a: Quantity, b: Quantity) -> bool:
    """The same value written, a time only against a time (13:30 is 810 minutes, not the count 810)."""
    return a.value == b.value and (a.kind == "time") == (b.kind == "time")


def _equal(a: Quantity, b: Quantity) -> bool:
    if a.value is None or b.value is None or (a.kind == "time") != (b.kind == "time"):
        return False
    if a.kind == "time":
        return a.value == b.value or (not (a.unit and b.unit) and a.value % 720 == b.value % 720)
    tol = 0.5 * max(a.resolution, b.resolution) if a.resolution != b.resolution else 0.0
    return abs(a.value - b.value) <= tol + 1e-9 * max(1.0, abs(a.value))


def _family(q: Quantity) -> str:
    return "count" if q.kind in ("count", "year", "ordinal") else q.kind  # a time pairs only with a time




def _date_conflict(a: DateValue, b: DateValue) -> bool:
    return any(
        getattr(a, f) is not None and getattr(b, f) is not None and getattr(a, f) != getattr(b, f)
        for f in ("year", "month", "day")
    )


def _date_shared(a: DateValue, b: DateValue) -> bool:
    return any(getattr(a, f) is not None and getattr(a, f) == getattr(b, f) for f in ("year", "month", "day"))


def compare(
    src: list[Quantity], tgt: list[Quantity], check: str = "number", prefix: str = ""
) -> list[Mismatch]:
    """What differs between the quantities of a source and a translation.

    Each quantity is used once, but a value said twice on one side and once on
    the other is not reported: repetition is style, not drift.
    """
    out: list[Mismatch] = []
    s_dates = [q for q in src if q.kind == "date"]
    t_dates = [q for q in tgt if q.kind == "date"]
    s_nums = [q for q in src if q.kind != "date"]
    t_nums = [q for q in tgt if q.kind != "date"]
    used_s: set[int] = set()
    used_t: set[int] = set()

    def mm(detail, s_q, t_q):
        out.append(
            Mismatch(
                check=check,
                detail=prefix + detail,
                src_values=tuple(q.normalised() for q in s_q),
                tgt_values=tuple(q.normalised() for q in t_q),
                src_spans=tuple(q.span for q in s_q),
                tgt_spans=tuple(q.span for q in t_q),
            )
        )

    # Dates: exact, then compatible (one side coarser), then conflicting.
    s_left, t_left = list(s_dates), list(t_dates)
    for s in list(s_left):
        for t in t_left:
            if s.date == t.date:
                s_left.remove(s)
                t_left.remove(t)
                break
    for s in list(s_left):
        for t in t_left:
            if not _date_conflict(s.date, t.date) and _date_shared(s.date, t.date):
                s_left.remove(s)
                t_left.remove(t)
                _precision(s, t, s_nums, t_nums, used_s, used_t, mm)
                break
    for s in list(s_left):
        for t in t_left:
            if s.date.month == t.date.month or s.date.day == t.date.day or s.date.year == t.date.year:
                s_left.remove(s)
                t_left.remove(t)
                mm(f"{s.text} ↔ {t.text}", [s], [t])
                break
    # A date against a bare year on the other side ("1 января 2024" / "in 2024").
    for side_left, other_nums, other_used, is_src in ((s_left, t_nums, used_t, True), (t_left, s_nums, used_s, False)):
        for d in list(side_left):
            for k, n in enumerate(other_nums):
                if d.date.year is not None and n.kind == "year" and n.value == d.date.year and k not in other_used:
                    other_used.add(k)
                    side_left.remove(d)
                    missing = "/".join(f for f in ("day", "month") if getattr(d.date, f) is not None)
                    if is_src:  # the translation kept only the year
                        mm(f"{d.text} ↔ {n.text} (no {missing})", [d], [n])
                    break
    # "am 3. Juli" / "le 3": the month left to context is not drift.
    s_left = [d for d in s_left if not any(n.value == d.date.day and n.kind == "count" for n in t_nums)]
    t_left = [d for d in t_left if not any(n.value == d.date.day and n.kind == "count" for n in s_nums)]
    for d in s_left:
        mm(f"{d.text} ↔ —", [d], [])
    for d in t_left:
        mm(f"— ↔ {d.text}", [], [d])

    # Numbers: exact value, then within rounding.
    pairs: list[tuple[int, int]] = []
    for exact in (True, False):
        for i, s in enumerate(s_nums):
            if i in used_s:
                continue
            for k, t in enumerate(t_nums):
                if k in used_t:
                    continue
                if _same_value(s, t) if exact else _equal(s, t):
                    used_s.add(i)
                    used_t.add(k)
                    pairs.append((i, k))
                    break
    # The same amount converted into another unit ("400 pounds" / «180 Kilogramm»).
    for i, s in enumerate(s_nums):
        if i in used_s or s.unit not in MEASURES:
            continue
        for k, t in enumerate(t_nums):
            if k not in used_t and _converted(s, t):
                used_s.add(i)
                used_t.add(k)
                break
    for i, k in pairs:
        s, t = s_nums[i], t_nums[k]
        if s.kind == "money" and t.kind == "money" and s.unit and t.unit and s.unit != t.unit:
            mm(f"{s.text} ↔ {t.text} (currency)", [s], [t])
        elif _in_unit(s, t.unit) is not None and not _converted(s, t) and s.unit != t.unit:
            mm(f"{s.text} ↔ {t.text} (unit)", [s], [t])  # "5 miles" / "5 km": the number copied, not converted

    def anywhere(q: Quantity, others: list[Quantity], dates: list[Quantity]) -> bool:
        if any(_equal(q, o) or _same_value(q, o) or _converted(q, o) for o in others):
            return True
        if q.kind == "time":  # "16 Uhr" / "16 heures" read as a count, "1.30pm" / "13.30"
            return any(o.value in _hour_readings(q) for o in others if o.kind != "time")
        if any(q.value in _hour_readings(o) for o in others if o.kind == "time"):
            return True
        return any(q.value in (d.date.year, d.date.day) for d in dates if q.value is not None)

    s_rest = [s_nums[i] for i in range(len(s_nums)) if i not in used_s and not anywhere(s_nums[i], t_nums, t_dates)]
    t_rest = [t_nums[k] for k in range(len(t_nums)) if k not in used_t and not anywhere(t_nums[k], s_nums, s_dates)]
    # Changed values: pair what is left by kind, in order; weak words are too loose to pair.
    for s in list(s_rest):
        for t in t_rest:
            if _family(s) != _family(t) or s.weak or t.weak:
                continue
            if s.kind == "year" and t.kind != "year" or t.kind == "year" and s.kind != "year":
                continue
            s_rest.remove(s)
            t_rest.remove(t)
            mm(f"{s.text} ↔ {t.text}", [s], [t])
            break
    for s in s_rest:
        if not s.weak:
            mm(f"{s.text} ↔ —", [s], [])
    for t in t_rest:
        if not t.weak:
            mm(f"— ↔ {t.text}", [], [t])
    out.sort(key=lambda m: (m.src_spans[0] if m.src_spans else (10**9, 0), m.tgt_spans[0] if m.tgt_spans else (0, 0)))
    return out


def _precision(s, t, s_nums, t_nums, used_s, used_t, mm) -> None:
    """Report a date rendered more coarsely on one side, unless a bare year elsewhere fills the gap."""
    sd, td = s.date, t.date

    def fill_year(d: DateValue, nums, used) -> bool:
        for k, n in enumerate(nums):
            if k not in used and n.kind == "year" and n.value == d.year:
                used.add(k)
                return True
        return False

    src_only = [f for f in ("day", "month", "year") if getattr(sd, f) is not None and getattr(td, f) is None]
    tgt_only = [f for f in ("day", "month", "year") if getattr(td, f) is not None and getattr(sd, f) is None]
    if "year" in src_only and fill_year(sd, t_nums, used_t):
        src_only.remove("year")
    if "year" in tgt_only and fill_year(td, s_nums, used_s):
        tgt_only.remove("year")
    # A translation more precise than its source (a year added from context) is
    # not reported: it is common in journalism and rarely wrong.
    del tgt_only
    notes = []
    if src_only:
        notes.append("no " + "/".join(src_only))
    if td.relative_year is not None and sd.year is not None and td.year is None:
        notes.append("year only relative")
    if notes:
        mm(f"{s.text} ↔ {t.text} ({'; '.join(notes)})", [s], [t])


class NumberCheck(Check):
    """An amount, count, percentage, year or date on one side that is absent or different on the other."""

    name = "number"

    def check(self, src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Mismatch]:
        s, t = _extract_cached(src, src_lang), _extract_cached(tgt, tgt_lang)
        if not s and not t:
            return []
        return compare(list(s), list(t))
