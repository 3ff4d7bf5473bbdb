"""Per-language knowledge the drift checks need, one `Language` profile per language.

The checks themselves are language-neutral: everything that differs between
languages (number format, month names, number words, titles that are not names,
negation and modal words) lives here as plain data. Adding a language means
adding one profile and calling `register()`; a language with no profile gets
`GENERIC`, which still compares digits and capitalised names, so a check never
fails on an unknown language, it only knows less.

Patterns are regex source strings; `compiled()` builds them once per language.
Month patterns carry their own case rule: English and German months are
capitalised words (so "may" the verb is not a month), Russian and French months
are lower-case and are matched case-insensitively with `(?i:...)`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Language:
    """What the checks know about one language."""

    code: str  # ISO 639-1
    decimal: str = "."  # decimal separator in digits
    group: str = ""  # thousands separators other than (non-breaking) spaces, e.g. "," for English
    # Months: (pattern, number). A plain month needs `month_context` before it
    # (e.g. "in May"), because several month names are ordinary words too.
    months: tuple[tuple[str, int], ...] = ()
    month_context: str = ""  # words that make a bare month name a date ("in", "в", "im")
    unspaced: bool = False  # written without spaces between words (Chinese): a month name stands glued to words
    # Date templates; {M} is the month alternation; named groups d, y, rel.
    date_patterns: tuple[str, ...] = ()
    relative_years: tuple[tuple[str, int], ...] = ()  # ("next", +1): word in `rel` -> year offset
    # Clock times written with this language's marker ("1.30pm", "13.30 Uhr", "16h30"); named groups
    # h, mi (minutes) and ap ("a"/"p"). A bare "10:30" is read as a time in every language (`CLOCK`).
    times: tuple[str, ...] = ()
    ordinal_suffix: str = ""  # after digits: "st|nd|rd|th", "-й|-го", "er|e"
    scales: tuple[tuple[str, int], ...] = ()  # ("million|mln", 10**6) after digits
    currencies: tuple[tuple[str, str], ...] = ()  # ("dollars?|USD", "USD") after an amount
    # Units of measurement after an amount: ("kilograms?|kg", "kg"), codes as in `numbers.MEASURES`.
    # A compound unit before its parts ("km/h" before "km"): the first alternative that matches wins.
    units: tuple[tuple[str, str], ...] = ()
    percent: str = r"%"
    number_words: str | None = None  # "number_parser" | "text2num" | None (digits only)
    number_word_joiners: tuple[str, ...] = ()  # words allowed inside a number ("and", "et")
    number_word_suffixes: tuple[str, ...] = ()  # German "Achttausender": a number word plus a suffix (weak)
    ordinal_words: str = ""  # regex for ordinal words, value by `ordinal_stems` order
    ordinal_stems: tuple[str, ...] = ()  # stems for 1, 2, 3, ... used with `ordinal_words`
    caps_marks_names: bool = True  # False for German, where every noun is capitalised
    not_names: frozenset[str] = frozenset()  # lower-case capitalised words that are not names; "организаци*" = prefix
    # Person references: a name next to a title ("President Tokayev") is not
    # reported when the other side refers to that person by a bare title or a
    # pronoun («Глава государства», "he"), which is this genre's house style. Singular person
    # pronouns only: "they", German "sie" and French "le"/"la" would excuse any name.
    titles: frozenset[str] = frozenset()  # lower-case; prefixes end in "*"
    pronouns: frozenset[str] = frozenset()
    # An acronym is not reported when the other side says "the Organization".
    org_nouns: str = ""  # regex, any case
    negation: str = ""  # regex; empty = negation check skipped for this language
    negation_exempt: str = ""  # regex of spans where a negation word does not negate
    # Words that carry a negation without a negation word ("warned against", "rather than",
    # «воздержаться», «вместо»): they answer the other side's negation, never raise one themselves.
    negation_implied: str = ""
    modals: tuple[tuple[str, str], ...] = ()  # (group, regex): "obligation", "possibility", "intention"
    speech_verbs: str = ""  # reported speech cue, for quote-vs-paraphrase
    quote_attribution: str = ""  # Russian "…, – сказал Президент": ends a dash-quote


_LANGUAGES: dict[str, Language] = {}


def register(lang: Language) -> None:
    """Add or replace a language profile (the plug-in point for new languages)."""
    _LANGUAGES[lang.code] = lang
    compiled.cache_clear()


def profiles_signature() -> str:
    """A short hash of every registered profile, for the report signature: a changed word list
    changes what the checks find, so it must change the signature too."""
    import hashlib
    import json
    from dataclasses import asdict

    def plain(x: object) -> object:
        if isinstance(x, (frozenset, set)):
            return sorted(x)
        if isinstance(x, (list, tuple)):
            return [plain(v) for v in x]
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        return x

    data = [plain(asdict(_LANGUAGES[code])) for code in sorted(_LANGUAGES)]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12]


def base_code(code: str | None) -> str:
    """The language of a code, lower-case: "pt-BR", "es_ES" and "ES" are "pt", "es" and "es"; None is ""."""
    return (code or "").lower().replace("_", "-").split("-")[0]


def origin(code: str) -> str:
    """Where `get(code)`'s profile comes from: "written" (this module), "CLDR" (`cldr.py`) or "generic"."""
    profile = get(code)
    return "written" if profile.code in _LANGUAGES else "generic" if profile is GENERIC else "CLDR"


def get(code: str) -> Language:
    """The profile for an ISO code: a registered one, else one read from the CLDR (`cldr.py`: numbers,
    months and dates only), else `GENERIC` (digits and capitals only)."""
    key = base_code(code)
    if key in _LANGUAGES:
        return _LANGUAGES[key]
    from .cldr import profile

    return profile(key) or GENERIC


@dataclass(frozen=True)
class Compiled:
    """Regexes built from a profile, once."""

    number: re.Pattern
    after_number: re.Pattern  # ordinal suffix / percent / scale / currency right after a number
    currency_before: re.Pattern
    month_any: re.Pattern | None
    month_each: tuple[tuple[re.Pattern, int], ...]
    dates: tuple[re.Pattern, ...]
    numeric_dates: tuple[re.Pattern, ...]  # the ones without a month name, for texts with none
    times: tuple[re.Pattern, ...]
    relative: dict[str, int]
    scale_each: tuple[tuple[re.Pattern, int], ...]
    currency_each: tuple[tuple[re.Pattern, str], ...]
    unit_each: tuple[tuple[re.Pattern, str], ...]
    ordinal_word: re.Pattern | None
    ordinal_stems: tuple[re.Pattern, ...]
    negation: re.Pattern | None
    negation_exempt: re.Pattern | None
    negation_implied: re.Pattern | None
    modals: tuple[tuple[str, re.Pattern], ...]
    speech_verbs: re.Pattern | None
    quote_attribution: re.Pattern | None
    org_nouns: re.Pattern | None


_SPACES = " \u00a0\u202f\u2009"
# What may stand between a number, its scale word and its currency: spaces, or the hyphens of a compound
# ("44-Millionen-Pfund-Deal", "a 5-million-dollar fund").
JOINERS = _SPACES + "-\u2010\u2011"


# A letter glued to a number makes a code ("A380", "COVID19"), except in the scripts written without
# spaces between words, where every number touches letters: «2023年11月23日», «予算を15%», «약20».
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_LETTER_BEFORE_NUMBER = rf"(?![{_UNSPACED}])[^\W\d_]"


@cache
def compiled(lang: Language) -> Compiled:
    group = re.escape(lang.group)
    seps = f"[{_SPACES}{group}]"
    dec = re.escape(lang.decimal) if lang.decimal else r"[.,]"
    number = re.compile(
        rf"(?<!{_LETTER_BEFORE_NUMBER})(?<!\d)(?<![.,]\d)"
        rf"(?P<int>\d{{1,3}}(?:{seps}\d{{3}})+(?!\d)|\d+)"
        rf"(?:{dec}(?P<frac>\d+))?"
    )
    parts = []
    if lang.ordinal_suffix:
        parts.append(rf"(?P<ord>{lang.ordinal_suffix})(?![^\W\d_])")
    parts.append(rf"(?P<pct>\s?(?:{lang.percent}))")
    word_end = "" if lang.unspaced else r"(?![^\W\d_])"  # «100万ドル»: no space ends the scale word
    parts.append(
        rf"(?P<scale>[{re.escape(JOINERS)}]?(?:{'|'.join(p for p, _ in lang.scales) or '(?!)'}){word_end})"
        rf"(?P<cur1>[{re.escape(JOINERS)}]?(?:{'|'.join(p for p, _ in lang.currencies) or '(?!)'})(?![^\W\d_]))?"
    )
    parts.append(
        rf"(?P<cur2>[{_SPACES}]?(?:{'|'.join(p for p, _ in lang.currencies) or '(?!)'})(?![^\W\d_]))"
    )
    parts.append(rf"(?P<unit>[{re.escape(JOINERS)}]?(?:{'|'.join(p for p, _ in lang.units) or '(?!)'})(?![^\W\d_]))")
    after_number = re.compile("|".join(parts))
    currency_before = re.compile(r"(?:US\$|\$|€|£|₸|₽|¥|\b(?:USD|EUR|GBP|CHF|KZT|RUB))[" + _SPACES + r"]?$")
    month_any = None
    month_each: tuple[tuple[re.Pattern, int], ...] = ()
    pats = [t for t in lang.date_patterns if "{M}" not in t]
    # "Nov." also as "Nov ." (tokenised corpora put a space before punctuation).
    months = tuple((p.replace(r"\.", r"\s?\."), n) for p, n in lang.months)
    if months:
        alt = "|".join(p for p, _ in months)
        month_alt = rf"(?:{alt})(?![^\W\d_])"
        month_any = re.compile(rf"(?<![^\W\d_]){month_alt}")
        if lang.unspaced:  # «十月地震后»: no boundary to look for, only no numeral before (十一月 is no 一月)
            month_alt = rf"(?<![〇一二三四五六七八九十\d])(?:{alt})"
            month_any = re.compile(month_alt)
        month_each = tuple((re.compile(rf"(?:{p})$"), n) for p, n in months)
        pats = [t.replace("{M}", month_alt) for t in lang.date_patterns]
        if lang.unspaced:
            pats.append(rf"(?P<m>{month_alt})")
        elif lang.month_context:
            pats.append(rf"(?:(?<![^\W\d_])(?:{lang.month_context})\s+)(?P<m>{month_alt})")
    dates = tuple(re.compile(p) for p in pats)
    numeric_dates = tuple(re.compile(p) for p in lang.date_patterns if "{M}" not in p)
    return Compiled(
        number=number,
        after_number=after_number,
        currency_before=currency_before,
        month_any=month_any,
        month_each=month_each,
        dates=dates,
        numeric_dates=numeric_dates,
        times=tuple(re.compile(p) for p in lang.times),
        relative={k: v for k, v in lang.relative_years},
        scale_each=tuple((re.compile(rf"(?:{p})$", re.I), v) for p, v in lang.scales),
        currency_each=tuple((re.compile(rf"(?:{p})$"), c) for p, c in lang.currencies),
        unit_each=tuple((re.compile(rf"(?:{p})$"), u) for p, u in lang.units),
        ordinal_word=re.compile(rf"(?:{lang.ordinal_words})$", re.I) if lang.ordinal_words else None,
        ordinal_stems=tuple(re.compile(rf"(?:{p})", re.I) for p in lang.ordinal_stems),
        negation=re.compile(lang.negation) if lang.negation else None,
        negation_exempt=re.compile(lang.negation_exempt) if lang.negation_exempt else None,
        negation_implied=re.compile(lang.negation_implied) if lang.negation_implied else None,
        modals=tuple((g, re.compile(p)) for g, p in lang.modals),
        speech_verbs=re.compile(lang.speech_verbs) if lang.speech_verbs else None,
        quote_attribution=re.compile(lang.quote_attribution) if lang.quote_attribution else None,
        org_nouns=re.compile(lang.org_nouns) if lang.org_nouns else None,
    )


# Numeric dates are the same everywhere but for the order of day and month.
_DMY = (
    r"(?<!\d)(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y>\d{4})(?!\d)",
    r"(?<!\d)(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?!\d)",
    r"(?<!\d)(?P<d>\d{1,2})/(?P<mo>\d{1,2})/(?P<y>\d{4})(?!\d)",
)

# An hour (0-24) not inside a larger number, and its minutes.
_HOUR = r"(?<![\d.,:])(?P<h>[01]?\d|2[0-4])"
_MINUTES = r"(?P<mi>[0-5]\d)(?!\d)"
# "10:30" with no marker, in any language: a time, but also how scores ("2:10") and ratios are written,
# so it may match a time on the other side and is never reported alone.
CLOCK = re.compile(_HOUR + r":" + _MINUTES + r"(?!:\d)")

_WORLD_CURRENCIES = (
    (r"USD|US\$|\$", "USD"),
    (r"EUR|€", "EUR"),
    (r"GBP|£", "GBP"),
    (r"CHF", "CHF"),
    (r"KZT|₸", "KZT"),
    (r"RUB|₽", "RUB"),
)

# Unit symbols written the same in every language.
_WORLD_UNITS = (
    (r"km/h", "kmh"), (r"mph", "mph"), (r"km²|km2", "km2"), (r"°\s?C", "C"), (r"°\s?F", "F"),
    (r"kg", "kg"), (r"km", "km"), (r"cm", "cm"), (r"mm", "mm"), (r"m", "m"), (r"g", "g"), (r"lbs?\.?", "lb"),
    (r"oz", "oz"), (r"ft", "ft"), (r"mi", "mi"), (r"ha", "ha"),
)

GENERIC = Language(code="und", decimal="", group="", date_patterns=_DMY[:2], currencies=_WORLD_CURRENCIES,
                   units=_WORLD_UNITS)

# Ranks and forms of address of fiction and memoirs: a title, not a name ("said the colonel" is
# «сказал полковник Мелчетт»). Russian writes them in lower case, so they only need to be titles there.
_EN_RANKS = """colonel colonel's lady lord miss madam mistress master doctor professor inspector superintendent
sergeant constable captain major lieutenant commander admiral reverend vicar bishop duke duchess earl count
countess baron baroness sister nurse aunt uncle""".split()
_RU_RANKS = """сэр* мистер* миссис мисс леди лорд* мадам месье господин* госпож* доктор* профессор* инспектор*
суперинтендант* сержант* констебл* капитан* майор* полковник* генерал* лейтенант* адмирал* викари*
священник* епископ* герцог* герцогин* граф* графин* барон* баронесс* сестр* тётушк* тетушк* дядюшк*""".split()

EN = Language(
    code="en",
    decimal=".",
    group=",",
    months=(
        (r"January|Jan\.", 1), (r"February|Feb\.", 2), (r"March|Mar\.", 3), (r"April|Apr\.", 4),
        (r"May", 5), (r"June|Jun\.", 6), (r"July|Jul\.", 7), (r"August|Aug\.", 8),
        (r"September|Sept?\.", 9), (r"October|Oct\.", 10), (r"November|Nov\.", 11),
        (r"December|Dec\.", 12),
    ),
    month_context=r"(?i:in|on|of|since|until|till|by|from|to|through|during|early|late|mid-?|last|next|this|that|each|every|before|after)",
    date_patterns=(
        r"(?P<m>{M})\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y>\d{4})(?!\d))?",
        r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{M})(?:,?\s+(?P<y>\d{4})(?!\d))?",
        r"(?P<m>{M})(?:\s+of)?,?\s+(?P<y>\d{4})(?!\d)",
        r"(?P<m>{M})\s+(?:of\s+)?(?P<rel>next|this|last|the\s+following|the\s+coming|the\s+same|the\s+next)\s+year",
        r"(?<!\d)(?P<mo>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})(?!\d)",
    ) + _DMY[:2],
    relative_years=(
        ("next", 1), ("the following", 1), ("the coming", 1), ("the next", 1),
        ("this", 0), ("the same", 0), ("last", -1),
    ),
    times=(
        _HOUR + rf"(?:[:.]{_MINUTES})?\s?(?P<ap>[aApP])\.?\s?[mM]\.?(?![^\W\d_])",  # 1.30pm, 4 p.m.
        _HOUR + r"\s+o['’]clock(?![^\W\d_])",
    ),
    ordinal_suffix=r"st|nd|rd|th",
    scales=(
        (r"thousand", 10**3), (r"million|mln\.?|mn", 10**6),
        (r"billion|bn|bln\.?", 10**9), (r"trillion|tn|trln\.?", 10**12),
    ),
    currencies=(
        (r"(?:US\s)?dollars?|USD|US\$|\$", "USD"), (r"euros?|EUR|€", "EUR"),
        (r"pounds?\s+sterling|GBP|£", "GBP"), (r"tenge|KZT|₸", "KZT"),
        (r"r[uo]bles?|RUB|₽", "RUB"), (r"(?:Swiss\s)?francs?|CHF", "CHF"),
    ),
    units=(
        (r"miles\s+(?:per|an)\s+hour", "mph"), (r"(?:kilometres?|kilometers?)\s+(?:per|an)\s+hour|kph", "kmh"),
        (r"square\s+miles?|sq\.?\s+mi", "sqmi"), (r"square\s+(?:kilometres?|kilometers?)|sq\.?\s+km", "km2"),
        (r"degrees?\s+(?:Celsius|centigrade)", "C"), (r"degrees?\s+Fahrenheit|Fahrenheit", "F"),
        (r"kilograms?|kilos?", "kg"), (r"grams?", "g"), (r"tonnes?|metric\s+tons?", "t"), (r"pounds?", "lb"),
        (r"ounces?", "oz"), (r"miles?", "mi"), (r"kilometres?|kilometers?", "km"), (r"centimetres?|centimeters?", "cm"),
        (r"millimetres?|millimeters?", "mm"), (r"metres?|meters?", "m"), (r"feet|foot", "ft"), (r"inch(?:es)?", "in"),
        (r"yards?|yd", "yd"), (r"litres?|liters?", "l"), (r"gallons?|gal", "gal"), (r"hectares?", "ha"),
        (r"acres?", "acre"),
    ) + _WORLD_UNITS,
    percent=r"%|percent|per\s+cent|pct\.?",
    number_words="number_parser",
    number_word_joiners=("and",),
    caps_marks_names=True,
    not_names=frozenset(
        """i president presidents vice prime minister ministers secretary secretaries general chairman
        chairperson chair mr mrs ms dr sir madam madame king queen prince his her excellency majesty
        head heads state leader leaders speaker ambassador deputy foreign senator governor mayor
        monday tuesday wednesday thursday friday saturday sunday
        january february march april may june july august september october november december
        jan feb mar apr jun jul aug sep sept oct nov dec
        according however moreover additionally also meanwhile furthermore therefore""".split()
        + _EN_RANKS
    ),
    titles=frozenset(
        """president president's presidents prime minister secretary general secretary-general chairman chairperson
        chair leader head mr mrs ms dr sir king queen prince ambassador governor mayor speaker senator""".split()
        + _EN_RANKS
    ),
    pronouns=frozenset("he she him her his hers".split()),
    org_nouns=r"(?i)(?<![^\W\d_])(?:organi[sz]ations?|union|agency|council|committee|alliance|bloc|fund|bank|forum|body)(?:['’]s)?(?![^\W\d_])",
    negation=r"(?i)(?<![^\W\d_])(?:not|no|never|neither|nor|none|nothing|nobody|nowhere|cannot|impossible|unable)(?![^\W\d_])|n['’]t(?![^\W\d_])",
    negation_exempt=(
        r"(?i)(?<![^\W\d_])(?:not\s+only|not\s+just|not\s+least|no\s+doubt|nothing\s+but|whether\s+or\s+not|if\s+not"
        r"|no\s+(?:more|less|fewer)\s+than|not\s+(?:more|less)\s+than|no\.(?=\s*\d)"
        # idioms another language renders without a negation ("let alone", "eager to", "nearly")
        r"|(?:say(?:ing)?|to\s+say)\s+nothing\s+of|can(?:not|['’]t)\s+wait|not\s+far\s+(?:off|from))(?![^\W\d_])"
        r"|(?-i:No\.)"
    ),
    negation_implied=(
        r"(?i)(?<![^\W\d_])(?:(?:warn|caution|advis|argu|spok|speak|vot|decid|guard|counsel)\w*\s+against"
        r"|refrain\w*|avoid\w*|without|instead\s+of|rather\s+than|lack\w*|absence\s+of|fail\w*\s+to"
        r"|refus\w*|declin\w*\s+to|deni(?:ed|es|al)|deny(?:ing)?|reject\w*|rul\w*\s+out|prevent\w*|avert\w*"
        # idioms that render a Russian negative: «никак не ожидал» "the last thing he expected",
        # «шансов никаких» "nil", «не успел войти, как» "hardly had he come in"
        r"|(?:the\s+)?last\s+(?:thing|person|man|woman|place)|nil|hardly|scarcely|barely|far\s+from|anything\s+but"
        r"|in\s+vain|no\s+longer|no\s+one)(?![^\W\d_])"
    ),
    modals=(
        ("obligation", r"(?i)(?<![^\W\d_])(?:must|should|ought\s+to|needs?\s+to|have\s+to|has\s+to|had\s+to|necessary|necessity|required?|requires|obliged\s+to|demands?|imperative)(?![^\W\d_])"),
        ("possibility", r"(?<![^\W\d_])(?:[Cc]an|[Cc]annot|[Cc]ould|may|[Mm]ight|able\s+to|possible|possibly|susceptible\s+to|liable\s+to|prone\s+to|likely|potentially)(?![^\W\d_])"),
        ("intention", r"(?i)(?<![^\W\d_])(?:plans?\s+to|planning\s+to|planned\s+to|intends?\s+to|intending\s+to|intended\s+to|going\s+to|aims?\s+to|is\s+to\s+(?:be|present|formulate))(?![^\W\d_])"),
    ),
    speech_verbs=r"(?i)(?<![^\W\d_])(?:said|says|say|stated|states|noted|notes|stressed|stresses|emphasi[sz]ed|underscored|added|told|urged|called\s+on|announced|declared|pointed\s+out|remarked|asserted|asserting|reiterated|recalled|according\s+to|appealed|citing|cited|affirmed|voiced|expressed|cautioned|highlighted|advocated|warned|insisted|stating)(?![^\W\d_])",
)

_RU_MONTH_END = r"(?:ь|я|е|ю|ём|ем)"
RU = Language(
    code="ru",
    decimal=",",
    group="",
    months=(
        (rf"(?i:январ{_RU_MONTH_END}|янв\.)", 1), (rf"(?i:феврал{_RU_MONTH_END}|февр?\.)", 2),
        (r"(?i:март(?:а|е|у|ом)?|мар\.)", 3), (rf"(?i:апрел{_RU_MONTH_END}|апр\.)", 4),
        (r"(?i:ма(?:й|я|е|ю|ем))", 5), (rf"(?i:июн{_RU_MONTH_END})", 6), (rf"(?i:июл{_RU_MONTH_END})", 7),
        (r"(?i:август(?:а|е|у|ом)?|авг\.)", 8), (rf"(?i:сентябр{_RU_MONTH_END}|сент?\.)", 9),
        (rf"(?i:октябр{_RU_MONTH_END}|окт\.)", 10), (rf"(?i:ноябр{_RU_MONTH_END}|нояб?\.)", 11),
        (rf"(?i:декабр{_RU_MONTH_END}|дек\.)", 12),
    ),
    month_context=r"(?i:в|во|с|со|до|по|к|от|начале|конце|середине|течение|прошлом|этом|следующем|том)",
    date_patterns=(
        r"(?<!\d)(?P<d>\d{1,2})(?:-?го)?\s+(?P<m>{M})(?:\s+(?P<y>\d{4})(?!\d)(?:\s*(?:года|году|год|г\.|гг\.))?)?",
        r"(?P<m>{M})\s+(?P<y>\d{4})(?!\d)(?:\s*(?:года|году|год|г\.))?",
        r"(?P<m>{M})\s+(?P<rel>следующего|будущего|наступающего|предстоящего|текущего|этого|нынешнего|того\s+же|прошлого|прошедшего)\s+года",
    ) + _DMY[:2] + (_DMY[2],),
    relative_years=(
        ("следующего", 1), ("будущего", 1), ("наступающего", 1), ("предстоящего", 1),
        ("текущего", 0), ("этого", 0), ("нынешнего", 0), ("того же", 0),
        ("прошлого", -1), ("прошедшего", -1),
    ),
    ordinal_suffix=r"-(?:й|го|я|е|м|х|му|ми|ю|ой|ый|ий|ая|ое|ые|ых|ым|ом)",
    scales=(
        (r"тыс\.?|тысяч[иаеуь]?|тысячами?", 10**3), (r"млн\.?|миллион(?:а|ов|ами?|ом|е|у)?", 10**6),
        (r"млрд\.?|миллиард(?:а|ов|ами?|ом|е|у)?", 10**9), (r"трлн\.?|триллион(?:а|ов|ами?|ом|е|у)?", 10**12),
    ),
    currencies=(
        (r"долл(?:ар(?:ов|а|ы|ам|ами|ах|ом|у|е)?)?\.?(?:\s+США)?|USD|\$", "USD"),
        (r"евро|EUR|€", "EUR"), (r"фунт(?:ов|а)?\s+стерлингов|GBP|£", "GBP"),
        (r"тенге|тг\.?|KZT|₸", "KZT"), (r"руб(?:л(?:ей|я|ь|ями|ях|ю))?\.?|RUB|₽", "RUB"),
        (r"(?:швейцарск\w+\s+)?франк(?:ов|а|и)?|CHF", "CHF"),
    ),
    units=(
        (r"км/ч", "kmh"), (r"кв\.?\s?км|квадратн\w+\s+километр\w*", "km2"),
        (r"градус\w*\s+(?:по\s+)?Фаренгейт\w*", "F"), (r"градус\w*(?:\s+(?:по\s+)?Цельси\w+)?", "C"),
        (r"килограмм\w*|кг", "kg"), (r"грамм\w*", "g"), (r"тонн\w*", "t"), (r"фунт\w*", "lb"),
        (r"мил(?:я|и|ь|ям|ями|ях|е|ю)", "mi"), (r"километр\w*|км", "km"), (r"сантиметр\w*|см", "cm"),
        (r"миллиметр\w*|мм", "mm"), (r"метр\w*|м", "m"), (r"фут\w*", "ft"), (r"дюйм\w*", "in"),
        (r"литр\w*|л", "l"), (r"галлон\w*", "gal"), (r"гектар\w*|га", "ha"),
    ) + _WORLD_UNITS,
    # «в 16.00», «с 9.00 до 18.00»: with a decimal comma, a dotted time after a preposition is no decimal.
    times=(r"(?:(?<=[вВсСкК]\s)(?<![^\W\d_][вВсСкК]\s)|(?<=[дД]о\s)(?<![^\W\d_][дД]о\s))"
           + _HOUR + r"[.:]" + _MINUTES,),
    percent=r"%|процент(?:ов|а|ы|ам|ами|ах|ом|е|у)?|проц\.",
    number_words="number_parser",
    ordinal_words=r"(?:перв|втор|трет|четв[её]рт|пят|шест|седьм|восьм|девят|десят)(?:ый|ий|ой|ая|ья|ое|ье|ого|ьего|ому|ьему|ым|ьим|ом|ьем|ую|ью|ые|ьи|ых|ьих|ыми|ьими|ей|ьей)",
    ordinal_stems=("перв", "втор", "трет", "четв", "пят", "шест", "седьм", "восьм", "девят", "десят"),
    caps_marks_names=True,
    not_names=frozenset(
        """президент президента президенту президентом президенте глава главы главе главой
        премьер-министр премьер-министра министр министра генеральный генерального генеральным генсек
        секретарь секретаря председатель председателя господин госпожа г-н г-жа
        понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье
        январь января феврале февраль февраля март марта апрель апреля май мая июнь июня июль июля
        август августа сентябрь сентября октябрь октября ноябрь ноября декабрь декабря
        кроме также однако далее вместе организаци* правительств* республик* федераци*""".split()
        + _RU_RANKS
    ),
    titles=frozenset(
        """президент* глав* лидер* руководител* премьер* министр* генеральн* генсек* секретар* председател*
        господин* г-н""".split()
        + _RU_RANKS
    ),
    pronouns=frozenset("он она его её ее ему ей ним нему него нее неё".split()),
    org_nouns=r"(?i)(?<![^\W\d_])(?:организаци\w*|союз\w*|агентств\w*|совет\w*|комитет\w*|альянс\w*|блок\w*|фонд\w*|банк\w*|форум\w*)(?![^\W\d_])",
    # Negative concord («никто ничего не сказал») is one negation rendered by one English word ("nobody
    # said anything", "nil"): the check compares presence, never counts.
    negation=(
        r"(?i)(?<![^\W\d_])(?:не|нет|ни|нельзя|невозможн(?:о|а|ы|ый|ая|ое)?|невозможен"
        r"|ни(?:кто|кого|кому|кем|ком|что|чего|чему|чем|где|куда|откуда|когда|сколько|чуть|как\w*|ч(?:ей|ья|ье|ьи|ьего|ьей|ьих)\w*)"
        r"|не(?:чего|чему|чем|кого|кому|кем|где|куда|откуда|зачем)|отнюдь)(?![^\W\d_])"
    ),
    negation_exempt=r"(?i)(?<![^\W\d_])(?:не\s+только|не\s+раз|не\s+менее|не\s+более|не\s+без|чуть\s+(?:ли\s+)?не|едва\s+не|(?:как|бы|что|кто|где|куда)\s+(?:бы\s+)?ни|пока\s+[^,.;:!?]*?\bне)(?![^\W\d_])",
    negation_implied=(
        r"(?i)(?<![^\W\d_])(?:против|избега\w*|избеж\w*|воздерж\w*|предостер\w*|вместо|без|отсутств\w*"
        r"|отказ\w*|отверг\w*|исключ(?!ительн)\w*|предотвра\w*|запрет\w*)(?![^\W\d_])"
    ),
    modals=(
        ("obligation", r"(?i)(?<![^\W\d_])(?:долж(?:ен|на|но|ны)|следует|необходимо|необходимость|нужно|надо|обязан[аоы]?|требуется)(?![^\W\d_])"),
        ("possibility", r"(?i)(?<![^\W\d_])(?:мо(?:жет|гут|жем|жете|гу|жешь|г|гла|гло|гли)|можно|способ(?:ен|на|ны|но)|возможно)(?![^\W\d_])"),
        ("intention", r"(?i)(?<![^\W\d_])(?:планиру\w*|планировал\w*|намерен[аоы]?|намерева\w*|собира(?:ется|ются|лся|лась|лись))(?![^\W\d_])"),
    ),
    speech_verbs=r"(?i)(?<![^\W\d_])(?:сказал[аи]?|заявил[аи]?|отметил[аи]?|сообщил[аи]?|подчеркнул[аи]?|напомнил[аи]?|призвал[аи]?|указал[аи]?|добавил[аи]?|констатировал[аи]?|пояснил[аи]?|считает|считают|по\s+(?:его|ее|её|их)\s+(?:мнению|словам))(?![^\W\d_])",
    quote_attribution=(r"[,!?…]\s*[–—-]\s+(?=(?:сказал|заявил|отметил|сообщил|подчеркнул|напомнил|призвал|указал|добавил|констатировал|пояснил|резюмировал|заключил|продолжил|уточнил|ответил|выразил|говорит|считает|подытожил"
    # fiction's verbs of speech: «— Ты куда? — спросила она», «— Хватит, — отрезал Джордж»
    r"|спросил|отрезал|заметил|воскликнул|крикнул|прошептал|пробормотал|проговорил|произн[её]с|возразил"
    r"|буркнул|бросил|перебил|согласил|признал|повторил|объяснил|протянул|вздохнул|усмехнул|улыбнул|отозвал)\w*)"),
)

DE = Language(
    code="de",
    decimal=",",
    group=".'’",
    months=(
        (r"Januar|Jänner|Jan\.", 1), (r"Februar|Feb\.", 2), (r"März|Mär\.", 3), (r"April|Apr\.", 4),
        (r"Mai", 5), (r"Juni", 6), (r"Juli", 7), (r"August|Aug\.", 8), (r"September|Sept?\.", 9),
        (r"Oktober|Okt\.", 10), (r"November|Nov\.", 11), (r"Dezember|Dez\.", 12),
    ),
    month_context=(r"(?i:im|in|am|seit|bis|ab|von|vom|zum|anfang|ende|mitte|des|den|dem"
                   r"|(?:letzt|nächst|kommend|vergangen|dies|jed)e[nmrs]?)"),
    date_patterns=(
        r"(?<!\d)(?P<d>\d{1,2})\.\s*(?P<m>{M})(?:\s+(?P<y>\d{4})(?!\d))?",
        r"(?P<m>{M})\s+(?P<y>\d{4})(?!\d)",
    ) + _DMY,
    times=(_HOUR + rf"(?:\s?[:.]\s?{_MINUTES})?\s?Uhr(?![^\W\d_])",),  # 13.30 Uhr, 8 Uhr
    scales=((r"Tausend|Tsd\.", 10**3), (r"Millionen|Million|Mio\.", 10**6), (r"Milliarden|Milliarde|Mrd\.", 10**9)),
    currencies=(
        (r"Dollar|USD|\$", "USD"), (r"Euro|EUR|€", "EUR"), (r"Franken|Fr\.|CHF", "CHF"), (r"Pfund|GBP|£", "GBP"),
    ),
    units=(
        (r"Stundenkilometern?", "kmh"), (r"Quadratkilometern?", "km2"), (r"Grad\s+Fahrenheit", "F"),
        (r"Grad(?:\s+Celsius)?", "C"), (r"Kilogramm|Kilo", "kg"), (r"Gramm", "g"), (r"Tonnen|Tonne", "t"),
        (r"Meilen|Meile", "mi"), (r"Kilometern?", "km"), (r"Zentimetern?", "cm"), (r"Millimetern?", "mm"),
        (r"Metern?", "m"), (r"Fuß", "ft"), (r"Zoll", "in"), (r"Litern?|l", "l"), (r"Gallonen|Gallone", "gal"),
        (r"Hektar", "ha"), (r"Unzen|Unze", "oz"),
    ) + _WORLD_UNITS,
    percent=r"%|Prozent",
    number_words="text2num",
    number_word_suffixes=("ern", "er", "ers"),
    ordinal_words=r"(?:erst|zweit|dritt|viert|fünft|sechst|siebt|acht|neunt|zehnt)(?:e|er|en|es|em)",
    ordinal_stems=("erst", "zweit", "dritt", "viert", "fünft", "sechst", "siebt", "acht", "neunt", "zehnt"),
    caps_marks_names=False,
    not_names=frozenset("herr frau dr montag dienstag mittwoch donnerstag freitag samstag sonntag".split()),
    titles=frozenset("präsident* bundespräsident* kanzler* minister* generalsekretär* herr frau dr leiter*".split()),
    pronouns=frozenset("er ihm ihn sein seine seiner seinem seinen".split()),
    org_nouns=r"(?i)(?<![^\W\d_])(?:organisation\w*|union|agentur|rat|rates|ausschuss\w*|bündnis\w*|verband\w*|verein\w*|club|klub\w*|stiftung\w*)(?![^\W\d_])",
    # Negation words, not "nur" (only), which French writes «ne … que»: that restriction is no negation.
    # «Unmöglich» in lower case only: «das Unmögliche» is a noun, not a negated clause.
    negation=(
        r"(?i)(?<![^\W\d_])(?:nicht|nichts|nie|niemals|niemand(?:en|em|es)?|nirgend(?:s|wo|wohin)"
        r"|kein(?:e|en|em|er|es)?|keinerlei|keineswegs|keinesfalls|weder|(?-i:unmöglich\w*))(?![^\W\d_])"
    ),
    # Litotes («nicht unerheblich»: considerably; not «nicht unbedingt», «nicht unter») and "not only" are no negation.
    negation_exempt=(
        r"(?i)(?<![^\W\d_])(?:nicht\s+nur|nicht\s+bloß|nicht\s+allein|nicht\s+zuletzt|nicht\s+selten|nicht\s+umsonst"
        r"|nicht\s+von\s+ungefähr|nicht\s+(?:mehr|weniger)\s+als|nicht\s+un(?!ter|bedingt)\w+|(?:ob|wenn)\s+nicht|oder\s+nicht"
        r"|kein(?:e|en|em|er|es)?\s+(?:geringere[rn]?|anderer?)\s+als)(?![^\W\d_])"
    ),
    negation_implied=(
        r"(?i)(?<![^\W\d_])(?:ohne|statt|anstatt|anstelle|verhinder\w*|vermeid\w*|verweiger\w*|weiger\w*"
        r"|ablehn\w*|abgelehnt|lehnt\w*|fehl\w*|mangel\w*|kaum|ausgeschlossen|ausschließ\w*|verbiet\w*"
        r"|verbot\w*|unterlass\w*|versäum\w*|bestreit\w*|bestritt\w*|dementi\w*|zurückgewiesen|warn\w*\s+vor"
        r"|vergeblich|umsonst)(?![^\W\d_])"
    ),
)

FR = Language(
    code="fr",
    decimal=",",
    group=".'’",
    months=(
        (r"(?i:janvier|janv\.)", 1), (r"(?i:février|févr\.)", 2), (r"mars", 3), (r"(?i:avril)", 4),
        (r"mai", 5), (r"(?i:juin)", 6), (r"(?i:juillet)", 7), (r"(?i:août)", 8),
        (r"(?i:septembre|sept\.)", 9), (r"(?i:octobre|oct\.)", 10), (r"(?i:novembre|nov\.)", 11),
        (r"(?i:décembre|déc\.)", 12),
    ),
    month_context=r"(?i:en|de|d['’]|depuis|dès|début|fin|mi-|mois\s+de|mois\s+d['’])",
    date_patterns=(
        r"(?<!\d)(?P<d>\d{1,2}|1er)\s+(?P<m>{M})(?:\s+(?P<y>\d{4})(?!\d))?",
        r"(?P<m>{M})\s+(?P<y>\d{4})(?!\d)",
    ) + _DMY,
    times=(_HOUR + rf"\s?(?:h\.?|heures?)(?:\s?{_MINUTES})?(?![^\W\d_])",),  # 16h30, 15 h. 30, 16 heures
    ordinal_suffix=r"er|re|e|ème|è",
    scales=((r"mille", 10**3), (r"millions?|mio\.?", 10**6), (r"milliards?|mrd\.?", 10**9)),
    currencies=(
        (r"dollars?|USD|\$", "USD"), (r"euros?|EUR|€", "EUR"), (r"francs?(?:\s+suisses)?|fr\.|CHF", "CHF"),
        (r"livres?\s+sterling|GBP|£", "GBP"),
    ),
    units=(
        (r"kilomètres?\s+(?:à\s+l['’]|par\s+)heure", "kmh"), (r"kilomètres?\s+carrés?", "km2"),
        (r"degrés?\s+Fahrenheit", "F"), (r"degrés?(?:\s+Celsius)?", "C"), (r"kilogrammes?|kilos?", "kg"),
        (r"grammes?", "g"), (r"tonnes?", "t"), (r"milles?", "mi"), (r"kilomètres?", "km"),
        (r"centimètres?", "cm"), (r"millimètres?", "mm"), (r"mètres?", "m"), (r"pieds", "ft"), (r"pouces", "in"),
        (r"litres?|l", "l"), (r"gallons?", "gal"), (r"hectares?", "ha"), (r"acres?", "acre"),
    ) + _WORLD_UNITS,
    percent=r"%|pour\s*-?\s*cent|p\.\s?c\.",
    number_words="text2num",
    number_word_joiners=("et",),
    ordinal_words=r"(?:premi|deuxi|troisi|quatri|cinqui|sixi|septi|huiti|neuvi|dixi)(?:er|ère|ers|ères|ème|èmes)|seconde?s?",
    ordinal_stems=("premi", "deuxi|seconde?s?", "troisi", "quatri", "cinqui", "sixi", "septi", "huiti", "neuvi", "dixi"),
    caps_marks_names=True,
    not_names=frozenset(
        """m mm mme mmes mlle monsieur madame président présidente ministre secrétaire général générale
        lundi mardi mercredi jeudi vendredi samedi dimanche
        janvier février avril mai juin juillet août septembre octobre novembre décembre""".split()
    ),
    titles=frozenset("président* ministre* secrétaire* chef* m mme monsieur madame dr".split()),
    pronouns=frozenset("il elle lui son sa ses".split()),
    org_nouns=r"(?i)(?<![^\W\d_])(?:organisation\w*|union|agence|conseil|comité|alliance|fonds|club|fondation)(?![^\W\d_])",
    # A negation is «ne»/«n'» with its second word within a few words, so «pas» the noun, «personne» a
    # person and «plus» more are not; «ne … que» (only) is a restriction. Also «rien», «aucun», «ni»,
    # «non», «nulle part», «pas question», «personne ne». (Text+Berg writes «n' a»: a space may follow.)
    negation=(
        r"(?i)(?<![^\W\d_])(?:(?:ne\s+|n['’]\s*)(?:(?!que(?![^\W\d_]))[^\s.;:!?]+\s+){0,4}?(?:pas|point|jamais|rien"
        r"|personne|plus|guère|aucun(?:e|s|es)?|nulle?|nullement|ni)(?![^\W\d_])|personne(?=\s+(?:ne\s|n['’]))"
        r"|(?:rien|aucun(?:e|s|es)?|ni|non(?![-‐])|nulle\s+part|pas\s+question|impossibles?|incapables?)(?![^\W\d_]))"
    ),
    # «ne … pas que», «ne … plus que» (only), «ne se borne pas à», «non seulement» (not only), «ne manque
    # pas de» (does), «rien que» (just) are no negation.
    negation_exempt=(
        r"(?i)(?<![^\W\d_])(?:(?:ne\s+|n['’]\s*)(?:[^\s.;:!?]+\s+){0,4}?(?:(?:plus|guère|pas|point)\s+que"
        r"|pas\s+(?:seulement|uniquement|moins|sans)|plus\s+(?:seulement|uniquement))"
        r"|(?:ne\s+|n['’]\s*)(?:se\s+)?(?:born|limit|manqu)\w*\s+pas|non\s+(?:seulement|sans|moins)|non\s+loin"
        r"|rien\s+que)(?![^\W\d_])"
    ),
    negation_implied=(
        r"(?i)(?<![^\W\d_])(?:sans|au\s+lieu\s+d|plutôt\s+que|faute\s+d|hors\s+(?:de\s+)?question|évit\w*"
        r"|empêch\w*|refus\w*|rejet\w*|rejeté\w*|manqu\w*|absence|à\s+peine|exclu\w*|interdi\w*"
        r"|mett\w*\s+en\s+garde|dément\w*|démenti\w*|en\s+vain|vainement)(?![^\W\d_])"
    ),
)

for _lang in (EN, RU, DE, FR):
    register(_lang)


@cache
def word_in(word: str, words: frozenset[str]) -> bool:
    """`word` (lower-case) is in `words`, where an entry ending in "*" is a prefix."""
    if word in words:
        return True
    return any(w.endswith("*") and word.startswith(w[:-1]) for w in words)
