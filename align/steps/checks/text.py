"""Word tokens and cross-script word keys shared by the checks.

Names are compared in one Latin "key" space: Cyrillic is transliterated with
iuliia's Wikipedia scheme (the one English-language press follows: Токаев ->
Tokayev, Жапаров -> Zhaparov), then both sides are folded so that spelling
conventions stop mattering (kh/h/g, zh/dzh/j, ts/c/k, doubled letters,
diacritics). The key's consonant skeleton then absorbs vowel spelling (Tokayev /
Tokaev) and a prefix test absorbs Russian case endings (Путина, Герате, Газы).
Keys are cached: a document repeats its names. Between Cyrillic and Latin,
`phonetic` compares sound keys first: Russian writes English names by ear
(Джордж / George), which no letter-by-letter transliteration recovers.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .phonetic import derived, sound_match

WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-‐][^\W\d_]+)*")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_OPENERS = set(" \t\r\"'“”«»„‚‘’‹›([{–—-‐\u00a0\u202f")
_QUOTE_OPENERS = set("\"“«„‚‘‹")
_ABBREV_RE = re.compile(r"(?:^|\s)(?:[A-ZА-Я][a-zа-я]{0,3}|[A-ZА-Я])\.$")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    initial: bool  # first word of a sentence, line or quotation: its capital says nothing


def tokens(text: str) -> list[Token]:
    """Words with their spans, each marked when it starts a sentence, line or quote."""
    out = []
    for m in WORD_RE.finditer(text):
        out.append(Token(m.group(), m.start(), m.end(), _is_initial(text, m.start())))
    return out


def _is_initial(text: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and text[j] in _OPENERS:
        if text[j] in _QUOTE_OPENERS:
            return True
        j -= 1
    if j < 0:
        return True
    c = text[j]
    if c == "\n":
        return True
    if c in "!?…:)":  # ")" as in the list marker "a ) Les articles"
        return True
    if c == ".":
        # "Dr. Toni Hagen", "Nov. 23, Akorda": a short capitalised abbreviation does not end a sentence.
        return not _ABBREV_RE.search(text, max(0, j - 6), j + 1)
    return False


def strip_possessive(word: str) -> str:
    if word.endswith(("’s", "'s")):
        return word[:-2]
    if word.endswith(("s’", "s'")):
        return word[:-1]
    return word


def _anyascii(word: str) -> str:
    """Imported on first use: only non-Russian Cyrillic pays for it."""
    from anyascii import anyascii

    return anyascii(word)


@lru_cache(maxsize=1)
def _wikipedia_schema():
    import iuliia  # imported on first use: module import stays cheap

    return iuliia.WIKIPEDIA


# Folding, in two passes over a lower-case Latin string: spellings of one sound
# first (digraphs), then letters that transliteration conventions swap.
_FOLDS = (
    ("shch", "s"), ("tsch", "c"), ("sch", "s"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"),
    ("gh", "h"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("ch", "s"), ("sh", "s"), ("ts", "c"),
    ("tz", "c"), ("x", "ks"), ("qu", "k"), ("q", "k"), ("w", "v"),
)
_FOLD_RE = re.compile("|".join(re.escape(a) for a, _ in _FOLDS))
_FOLD_MAP = dict(_FOLDS)
_SOFT_C_RE = re.compile(r"c(?=[eiy])")  # Océan / Ozean
# A word's first y or i before a vowel is the glide each convention writes its own way: Yermak / Iermak /
# Ermak (Єрмак), Yelena / Elena, Yizhakevych / Izhakevych (Їжакевич).
_INITIAL_GLIDE = re.compile(r"^[iy](?=[aeiou])")
_LETTERS = str.maketrans({"c": "k", "g": "h", "z": "s"})  # Kaschmir/Cachemire, Herat/Герат, Muztagh/Mustagh
_VOWELS = set("aeiouy")


@lru_cache(maxsize=65536)
def latin(word: str) -> str:
    """Lower-case ASCII rendering of a word in any Latin or Cyrillic script (iuliia for Russian letters,
    anyascii for the rest of Cyrillic)."""
    if _CYRILLIC_RE.search(word):
        word = _wikipedia_schema().translate(word)
        if _CYRILLIC_RE.search(word):  # letters of other Cyrillic alphabets (Kazakh Қ Ұ Ә, Serbian Ђ): iuliia
            word = _anyascii(word)    # is Russian's and leaves them, so Тоқаев would lose its k
    word = word.lower().replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o").replace("ł", "l")
    word = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in word if "a" <= ch <= "z")


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """`latin()` folded so that transliteration conventions compare equal."""
    s = _FOLD_RE.sub(lambda m: _FOLD_MAP[m.group()], _INITIAL_GLIDE.sub("", latin(word)))
    s = _SOFT_C_RE.sub("s", s).translate(_LETTERS)
    out = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """First letter of the key, then its consonants: vowels are spelt too freely to compare."""
    k = key(word)
    if not k:
        return ""
    rest = [ch for ch in k[1:] if ch not in _VOWELS]
    out = [k[0]]
    for ch in rest:
        if out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=262144)
def same_name(a: str, b: str) -> bool:
    """Whether two words (any script, any case form) can be the same name.

    Lenient on purpose: a false "same" only hides a dropped name, a false
    "different" is a false alarm in front of a reviewer.
    """
    # Sound keys are short (Герат, create and critical all key KRT): they compare names, so both
    # words must be capitalised; a name against a lower-case word (палестинцев) is spelling's job.
    by_sound = sound_match(a, b) if a[:1].isupper() and b[:1].isupper() else None
    if by_sound:
        return True  # Джордж / George, Уильям / William, Хэмпшире / Hampshire
    if by_sound is False:
        # Across scripts the sound key decides; past it, only a derived word (Tajik / Таджикистан),
        # a long shared spelling (Palestinians / палестинцев) or the same transliterated consonants.
        return (derived(a, b) or _long_common_prefix(key(a), key(b))
                or (len(skeleton(a)) >= 2 and skeleton(a) == skeleton(b)))  # Tehran / Тегеран
    la, lb = a.lower(), b.lower()
    if min(len(la), len(lb)) >= 3 and (la == lb + "s" or lb == la + "s"):
        return True  # a genitive s: Porros / Porro, Tokayevs / Tokayev
    sa, sb = skeleton(a), skeleton(b)
    if len(sa) < 2 or len(sb) < 2:
        return key(a) == key(b) and key(a) != ""
    if sa == sb:
        return True
    short, long_ = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if len(short) >= 3 and long_.startswith(short) and len(long_) - len(short) <= 4:
        return True  # inflection: Путина, Герате, Кыргызской
    cs = 0
    while cs < len(short) and short[cs] == long_[cs]:
        cs += 1
    if cs >= 3 and cs >= 0.75 * len(short):
        return True  # Japonais / Japaner, Londres / London
    ka, kb = key(a), key(b)
    n = min(len(ka), len(kb))
    if _long_common_prefix(ka, kb):
        return True  # Palestinians / палестинцев
    if n >= 6 and ka[0] == kb[0]:
        from difflib import SequenceMatcher

        return SequenceMatcher(None, ka, kb, autojunk=False).ratio() >= 0.8
    return False


def _long_common_prefix(ka: str, kb: str) -> bool:
    """Keys that share their first five letters or more, and 70 % of the shorter one."""
    n = min(len(ka), len(kb))
    cp = 0
    while cp < n and ka[cp] == kb[cp]:
        cp += 1
    return cp >= 5 and cp >= 0.7 * n
