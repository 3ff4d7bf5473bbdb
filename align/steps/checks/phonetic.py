"""Sound keys that let a name written by ear in Cyrillic meet its English spelling.

Transliterating Russian letter by letter (iuliia, `text.latin`) gives Dzhordzh
for «Джордж» and Uilyam for «Уильям»: nothing like George and William, because
Russian renders English names by their sound, and English spelling is far from
its sound. So both sides go to one small sound alphabet instead:

- English: jellyfish's Metaphone, a maintained implementation of the standard
  English sound key (George -> JRJ, Charlotte -> XRLT, Hampshire -> HMPXR). Where
  English spelling is ambiguous, a second spelling is keyed too: "ch" as /k/
  (Michael, Christie), "g" before e/i as hard (Gilbert), "th" as /z/ (Heather).
- Russian: its letters are close to phonemes, so each letter has one symbol of
  the same alphabet (дж/ж -> J, ч/ш/щ -> X, в -> F, г/х -> H ...), with the
  Russian conventions for English sounds: у before a vowel at a word start is
  W (Уильям, Уотсон), vowels after the first letter do not count. Case endings
  are tried off as well (Джорджем, Шарлоттой).

Symbols that Russian does not keep apart in borrowed names are merged (H/K/G,
F/V/W, TH/T, every vowel or y at a word start), then the keys must be equal;
keys of five symbols or more may differ by one edit (jellyfish's
Damerau-Levenshtein), never in their first symbol. Measured on the pairs in
tests/data/checks/name_pairs.tsv.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_RU_VOWELS = set("аеёиоуыэюя")
# One sound symbol per Russian letter (Metaphone's alphabet: X = sh/ch, J = j/dzh, 0 = th).
_RU_SOUND = {
    "б": "B", "в": "F", "г": "K", "д": "T", "ж": "J", "з": "S", "к": "K", "л": "L", "м": "M", "н": "N",
    "п": "P", "р": "R", "с": "S", "т": "T", "ф": "F", "х": "K", "ц": "S", "ч": "X", "ш": "X", "щ": "X",
}
# Case endings with a consonant (a vowel ending changes no key): instrumental, dative/locative plural.
_RU_ENDINGS = ("ами", "ями", "ом", "ем", "ём", "ой", "ей", "ою", "ею", "ам", "ям", "ах", "ях", "ым", "им")
# Metaphone symbols merged into the classes that Russian renderings do not keep apart.
_MERGE = str.maketrans({"H": "K", "V": "F", "W": "F", "0": "T", "Z": "S"})


@lru_cache(maxsize=1)
def _metaphone() -> Callable[[str], str]:
    import jellyfish  # first use only: the module import stays cheap

    return jellyfish.metaphone


def _settle(raw: str, first_is_vowel: bool) -> str:
    """Merge symbol classes, a word-initial vowel or y to "A", drop later y's and repeats."""
    s = raw.translate(_MERGE)
    if first_is_vowel:
        s = "A" + s[1:] if s and s[0] in "AEIOUY" else "A" + s
    out = [s[0]] if s else []
    for ch in s[1:]:
        if ch in "AEIOUY" or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=65536)
def english_keys(word: str) -> frozenset[str]:
    """Sound keys of a word in Latin script: its Metaphone and those of its other readings."""
    w = "".join(ch for ch in word.lower() if "a" <= ch <= "z")
    if not w:
        return frozenset()
    readings = {w}
    if re.search("zh|kh|ts", w):
        # romanised Russian: Zhaparov, Khan, Tsvetaeva
        readings.add(w.replace("dzh", "j").replace("zh", "j").replace("kh", "h").replace("ts", "s"))
    if "ch" in w:
        readings.add(w.replace("ch", "k"))  # Michael, Christie, Chloe
    if re.search(r"g[eiy]", w):
        readings.add(re.sub(r"g(?=[eiy])", "gh", w))  # Gilbert, Gertrude: hard g
    if "th" in w:
        readings.add(w.replace("th", "z"))  # Heather / Хизер
    meta = _metaphone()
    return frozenset(_settle(meta(r), r[0] in "aeiouy") for r in readings if meta(r))


def _russian_key(word: str) -> str:
    raw = []
    for i, ch in enumerate(word):
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if ch == "д" and nxt == "ж":
            continue  # дж is one sound, J
        if i == 0 and (ch in _RU_VOWELS or ch == "й"):
            # Уильям, Уотсон: у before a vowel opens the word with English W
            raw.append("W" if ch == "у" and nxt in _RU_VOWELS else "A")
        elif ch in _RU_SOUND:
            raw.append(_RU_SOUND[ch])
        # vowels after the first letter, й, ь, ъ: no symbol
    return _settle("".join(raw), False)


@lru_cache(maxsize=65536)
def russian_keys(word: str) -> frozenset[str]:
    """Sound keys of a Cyrillic word, with and without a consonant case ending."""
    w = word.lower().replace("ё", "е")
    w = "".join(ch for ch in w if "а" <= ch <= "я")
    if not w:
        return frozenset()
    keys = {_russian_key(w)}
    for end in _RU_ENDINGS:
        if w.endswith(end) and len(w) - len(end) >= 3:
            keys.add(_russian_key(w[: -len(end)]))
            break
    return frozenset(k for k in keys if k)


def keys(word: str) -> frozenset[str]:
    return russian_keys(word) if _CYRILLIC_RE.search(word) else english_keys(word)


@lru_cache(maxsize=1)
def _distance() -> Callable[[str, str], int]:
    import jellyfish

    return jellyfish.damerau_levenshtein_distance


def sound_match(a: str, b: str) -> bool | None:
    """Whether a Latin word and a Cyrillic word sound like one name; None when both share a script
    (spelling rules, not sound, compare those)."""
    if bool(_CYRILLIC_RE.search(a)) == bool(_CYRILLIC_RE.search(b)):
        return None
    ka, kb = keys(a), keys(b)
    if ka & kb:
        return True
    dist = _distance()
    return any(
        len(x) >= 5 and len(y) >= 5 and x[0] == y[0] and dist(x, y) <= 1 for x in ka for y in kb
    )


def derived(a: str, b: str) -> bool:
    """Whether one word's sound key extends the other's by a suffix of two symbols or more: a word
    derived from the name (Tajik / Таджикистан, Afghan / афганскому). One symbol more is another
    name, not a derivation (Charlotte / Шарль, Ivan / Иванов, George / Грегори with a hard g)."""
    latin, cyrillic = (b, a) if _CYRILLIC_RE.search(a) else (a, b)
    for x in keys(latin):
        for y in keys(cyrillic):
            short, long_ = (x, y) if len(x) <= len(y) else (y, x)
            if len(short) >= 3 and long_.startswith(short) and 2 <= len(long_) - len(short) <= 4:
                return True
            if len(x) >= 3 and x == y + "S":
                return True  # an English plural s: Brussels / Брюсселе
    return False
