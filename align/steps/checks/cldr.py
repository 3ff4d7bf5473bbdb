"""A language profile read from the Unicode CLDR (through Babel), for a language nobody wrote one for.

The hand-written profiles in `languages.py` know English, Russian, German and French
closely (number words, ordinals, negation, times). Any other language got `GENERIC`:
digits only, so «3,5 millones de euros» did not meet "3.5 million euros" and «5 de
marzo de 2023» was no date. CLDR has what the number and date checks need for
every language it covers: the decimal and group separators, the full month names
(with the genitive forms Polish uses in dates; not abbreviations), the long date
pattern, the words of large numbers («millones», «miliardi», «tysięcy»), currency
names, the word for per cent and unit names. Number words come from text2num where
it reads the language. Nothing else (no negation, titles or ordinals): where CLDR
is silent, the profile is.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .languages import _DMY, _WORLD_CURRENCIES, _WORLD_UNITS, Language, base_code

# Currencies named in words, by ISO code (symbols and codes are in every profile already).
_CURRENCIES = ("USD", "EUR", "GBP", "CHF", "JPY", "CNY", "RUB", "KZT", "INR", "CAD", "AUD", "UAH", "PLN", "TRY")
# CLDR unit keys -> the codes of `numbers.MEASURES`; compound units first ("km/h" before "km").
_UNITS = (
    ("speed-kilometer-per-hour", "kmh"), ("speed-mile-per-hour", "mph"), ("area-square-kilometer", "km2"),
    ("temperature-celsius", "C"), ("temperature-fahrenheit", "F"), ("mass-kilogram", "kg"), ("mass-gram", "g"),
    ("mass-tonne", "t"), ("mass-pound", "lb"), ("mass-ounce", "oz"), ("length-kilometer", "km"),
    ("length-centimeter", "cm"), ("length-millimeter", "mm"), ("length-meter", "m"), ("length-mile", "mi"),
    ("length-foot", "ft"), ("length-inch", "in"), ("volume-liter", "l"), ("volume-gallon", "gal"),
    ("area-hectare", "ha"), ("area-acre", "acre"),
)
_SCALES = (10**3, 10**6, 10**9, 10**12)
_SPACE = re.compile(r"[\s\u00a0\u202f]+")
_DATE_FIELD = re.compile(r"'([^']*)'|(d{1,2}|M{1,4}|L{1,4}|y+)|(\s+)|(.)")


def profile(code: str | None) -> Language | None:
    """The CLDR profile of a language code ("es", "pt-BR"), or None when CLDR does not know it."""
    return _profile(base_code(code))


@lru_cache(maxsize=32)
def _profile(code: str) -> Language | None:
    try:
        from babel import Locale, UnknownLocaleError

        locale = Locale.parse(code)
    except (ImportError, ValueError, TypeError, UnknownLocaleError):
        return None
    if code in ("", "und", "root") or locale.language != code:
        return None
    symbols = locale.number_symbols
    symbols = symbols["latn"] if "latn" in symbols else symbols
    decimal, group = symbols.get("decimal", "."), symbols.get("group", ",")
    if not decimal or decimal == group or not all(c in ".,'’ \u00a0\u202f" for c in decimal + group):
        return None  # another numbering system or something unexpected: digits only (GENERIC)
    # Written without spaces (Chinese, Japanese): a word of one or two characters is a whole word (万, 十月).
    unspaced = likely_script(code) in ("Hans", "Hant", "Jpan")
    months = _months(locale, shortest=2 if unspaced else 3)
    # a month named by its number; in Chinese too, whose month names are words (十月) but which writes 10月
    numbered = _numbered_months(locale) or (r"(?<!\d)(?P<mo>\d{1,2})月" if unspaced else None)
    return Language(
        code=code,
        decimal=decimal,
        group=group.replace(" ", "").replace("\u00a0", "").replace("\u202f", ""),
        months=months,
        # a full month name after any word is a month ("im Dezember", «en diciembre»); at a sentence's
        # start it needs a day or a year
        month_context=r"[^\W\d_]+" if months else "",
        unspaced=unspaced,
        # a month named by its number is a month alone too («10月の地震», «11월에»)
        date_patterns=_date_patterns(locale, month_names=bool(months), numbered=numbered)
        + ((numbered,) if numbered else ()) + _DMY[:2],
        scales=_scales(locale, shortest=1 if unspaced else 3),
        currencies=_currency_names(locale) + _WORLD_CURRENCIES,
        units=_unit_names(locale) + _WORLD_UNITS,
        percent=_alternation(["%"] + _unit_words(locale, "concentr-percent")),
        # Number words: text2num where it reads the language; cn2an for Chinese numerals (一百万, 百分之十五).
        number_words="text2num" if _text2num_reads(code) else "cn2an" if code == "zh" else None,
        caps_marks_names=True,
    )


def likely_script(code: str) -> str:
    """CLDR's likely script of the language ("Latn", "Hans" ...), "" if it does not know."""
    from babel.core import get_global

    likely = get_global("likely_subtags").get(code, "")
    return likely.split("_")[1] if likely.count("_") >= 1 else ""


def _text2num_reads(code: str) -> bool:
    """Whether text2num (a dependency already) reads number words in this language (es, it, pt, nl ...)."""
    try:
        from text_to_num import alpha2digit

        alpha2digit("1", code)
    except Exception:  # noqa: BLE001 - the compiled module raises its own error type for an unknown language
        return False
    return True


def _alternation(words: list[str]) -> str:
    """A regex alternation of `words`, longest first (so «mil millones» wins over «mil»), spaces loose."""
    unique = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(_SPACE.sub(r"\\s+", re.escape(w).replace(r"\ ", " ")) for w in unique)


def _words(words: list[str]) -> str:
    """An alternation of `words`, longest first: lower-case words match in any case (a sentence may start
    with one), capitalised ones («März», «Mio.», "Bln") as written."""
    lower = [w for w in words if w == w.lower()]
    other = [w for w in words if w != w.lower()]
    parts = ([f"(?i:{_alternation(lower)})"] if lower else []) + ([_alternation(other)] if other else [])
    return "|".join(parts)


def _months(locale, shortest: int = 3) -> tuple[tuple[str, int], ...]:
    """Full month names, in dates («5 de marzo») and alone («marzec», Polish's genitive «marca»).
    Not the abbreviations: Spanish «mar» is also the sea (`shortest` letters; Chinese 十月 is two)."""
    out = []
    for n in range(1, 13):
        words = [locale.months[context]["wide"][n] for context in ("format", "stand-alone")]
        words = [w for w in dict.fromkeys(words) if len(w) >= shortest and w.replace(" ", "").isalpha()]
        if words:
            out.append((_words(words), n))
    return tuple(out) if len(out) == 12 else ()


def _numbered_months(locale) -> str | None:
    """The month as a regex where the language names months by their number («11월», «tháng 11»), else None."""
    names = [locale.months["format"]["wide"][n] for n in range(1, 13)]
    prefix, _, suffix = names[0].partition("1")
    if all(name == f"{prefix}{n}{suffix}" for n, name in enumerate(names, 1)):
        return rf"{re.escape(prefix)}(?<!\d)(?P<mo>\d{{1,2}}){re.escape(suffix)}"
    return None


def _date_patterns(locale, month_names: bool, numbered: str | None = None) -> tuple[str, ...]:
    """The long date (day, month, year), and month-and-year, as `numbers` date templates; those that
    write the month as a name only when the language has month names to read, or names them by
    number (`numbered`)."""
    patterns = [locale.date_formats["long"].pattern]
    for skeleton in ("yMMMM", "MMMMd", "yMMMd"):
        if skeleton in locale.datetime_skeletons:
            patterns.append(locale.datetime_skeletons[skeleton].pattern)
    out = []
    for cldr in dict.fromkeys(patterns):
        regex, fields = _date_regex(cldr)
        if numbered:
            regex = regex.replace("(?P<m>{M})", numbered)
        if "m" in fields and ("d" in fields or "y" in fields) and (month_names or "{M}" not in regex):
            out.append(regex)
    return tuple(out)


def _date_regex(cldr: str) -> tuple[str, set[str]]:
    parts: list[str] = []
    fields: set[str] = set()
    for quoted, field, space, other in _DATE_FIELD.findall(cldr):
        if field:
            key = {"d": "d", "M": "m", "L": "m", "y": "y"}[field[0]]
            if key in fields:
                return "", set()
            fields.add(key)
            numeric_month = key == "m" and len(field) <= 2  # «y年M月d日»: the month in digits
            parts.append(r"(?<!\d)(?P<mo>\d{1,2})" if numeric_month else
                         {"d": r"(?<!\d)(?P<d>\d{1,2})", "m": "(?P<m>{M})", "y": r"(?P<y>\d{4})(?!\d)"}[key])
        elif space:
            parts.append(r"\s*")
        elif quoted:
            parts.append(r"\s*".join(re.escape(w) for w in quoted.split()))
        elif other.isalpha() and other.isascii():
            return "", set()  # a field this reading does not know (a weekday, an era)
        elif other.isalpha():
            parts.append(re.escape(other))  # a word of the date itself: «y年M月d日»
        else:
            parts.append(re.escape(other) + "?")
    return "".join(parts), fields


def _scales(locale, shortest: int = 3) -> tuple[tuple[str, int], ...]:
    """Words of large numbers from CLDR's compact formats, long («millones») and short («Mio.», «mln»),
    not a short one of fewer than `shortest` letters ("M" may be anything; Japanese 万 may not)."""
    found: dict[int, list[str]] = {}
    for value in _SCALES:
        for width in ("long", "short"):
            for forms in locale.compact_decimal_formats.get(width, {}).values():
                pattern = forms.get(str(value))
                if pattern is None:
                    continue
                word = _SPACE.sub(" ", pattern.pattern.replace("0", "").replace("'", "")).strip()
                if sum(ch.isalpha() for ch in word) >= shortest and not any(ch.isdigit() for ch in word):
                    # The pattern's zeros say what the word multiplies: "0 Mio." is 10^6 at 10^6, but
                    # Japanese writes 10^6 "100万" ("000万"): 万 is 10^4.
                    multiplier = value // 10 ** (max(1, pattern.pattern.split(";")[0].count("0")) - 1)
                    found.setdefault(multiplier, []).append(word)
    out = [(list(dict.fromkeys(words)), value) for value, words in found.items()]
    # the longest words first, across scales: «mil millones» (10^9) before «mil» (10^3)
    out.sort(key=lambda item: -max(map(len, item[0])))
    return tuple((_words(words), value) for words, value in out)


def _currency_names(locale) -> tuple[tuple[str, str], ...]:
    from babel.numbers import get_currency_name

    out = []
    for currency in _CURRENCIES:
        words = {get_currency_name(currency, count, locale=locale) for count in (1, 2, 5)}
        words = {w for w in words if w and w != currency}
        if words:
            out.append((_words(sorted(words)), currency))
    return tuple(out)


def _unit_words(locale, key: str) -> list[str]:
    """The words of a CLDR unit's long names that follow the number ("{0} kilómetros": «kilómetros»)."""
    patterns = locale._data.get("unit_patterns", {}).get(key, {}).get("long", {})
    words = []
    for form, pattern in patterns.items():
        if form == "per" or not isinstance(pattern, str) or not pattern.startswith("{0}"):
            continue
        word = _SPACE.sub(" ", pattern[3:]).strip()
        if word and not any(ch.isdigit() for ch in word):
            words.append(word)
    return words


def _unit_names(locale) -> tuple[tuple[str, str], ...]:
    out = []
    for key, code in _UNITS:
        words = _unit_words(locale, key)
        if words:
            out.append((_words(words), code))
    return tuple(out)
