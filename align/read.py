"""Read one input file into a `Document`: bytes -> checks -> text -> language.

The text is kept exactly as decoded (newlines untouched, only a BOM dropped) so
that segment offsets point into the file a reviewer opens. Every way a file can
be unusable ends in an `InputError` whose one-line message names the file and
says what is wrong with it.
"""
from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .model import Document

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

DEFAULT_MAX_BYTES = 20_000_000

# Used in messages only; any other code is shown as itself.
LANGUAGE_NAMES = {
    "ar": "Arabic", "be": "Belarusian", "bg": "Bulgarian", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "hy": "Armenian", "it": "Italian",
    "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "ko": "Korean", "ky": "Kyrgyz", "lt": "Lithuanian",
    "lv": "Latvian", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish", "tg": "Tajik",
    "tr": "Turkish", "uk": "Ukrainian", "uz": "Uzbek", "zh": "Chinese",
}

# Control bytes that never occur in text (tab, newlines, form feed and ESC are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"
_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml)", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|div|p|br|span|a|table|tr|td|th|li|ul|ol|h[1-6]|script|style|meta|link|img|"
    r"section|article|header|footer|nav|form|input|button|iframe|noscript)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC_WORD = re.compile(r"[а-яёА-ЯЁ]+")
_LANG_CODE = re.compile(r"[a-z]{2}")
_DETECT_SAMPLE = 200_000  # characters; enough for a stable answer, keeps 20 MB files fast


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def read_document(path: str | Path, lang: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read, decode and check one input file; detect its language unless `lang` is given.

    A declared `lang` wins unless the model finds it far less likely (under 1%) than
    the language it detects, so a short or mixed file is not rejected on a hunch.
    """
    p = Path(path)
    name = str(path)
    raw = _read_bytes(p, name, max_bytes)
    if not raw:
        raise InputError(f"{name}: the file is empty")
    text, encoding = _decode(raw, name)
    if not text.strip():
        raise InputError(f"{name}: the file contains only whitespace")
    _refuse_html(text, name)
    if not _WORD.search(text):
        raise InputError(f"{name}: the file contains no words (no letters at all), nothing to align")
    if lang is None:
        lang = detect_language(text)
    else:
        lang = _check_language(text, lang, name)
    return Document(path=name, lang=lang, text=text, sha256=hashlib.sha256(raw).hexdigest(), encoding=encoding)


def _read_bytes(p: Path, name: str, max_bytes: int) -> bytes:
    try:
        if p.is_dir():
            raise InputError(f"{name}: is a directory, not a text file")
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(_too_big(name, size, max_bytes))
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied, cannot read the file") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read the file ({err.strerror or err})") from None
    if len(raw) > max_bytes:  # it grew after stat()
        raise InputError(_too_big(name, len(raw), max_bytes))
    return raw


def _too_big(name: str, size: int, limit: int) -> str:
    """Sizes in MB, or in bytes where MB would not show the difference."""
    big, cap = f"{size / 1e6:.1f} MB", f"{limit / 1e6:.1f} MB"
    if limit < 1_000_000 or big == cap:
        big, cap = f"{size:,} bytes", f"{limit:,} bytes"
    return f"{name}: the file is {big}, over the {cap} limit for one input file"


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding name). UTF-8 first; then legacy encodings, Russian ones checked by hand.

    charset-normalizer alone mislabels short Russian text (cp1251 'Привет, мир!' comes back
    as cp1125, 'Да' as big5), so its guess competes with cp1251 and koi8-r on how much
    of the decoded text is ordinary lower-case Russian words: lower-case letters are
    0xE0-0xFF in cp1251 but 0xC0-0xDF in koi8-r, so the wrong one reads as capitals.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # before the NUL check: UTF-16 has NULs
        return _strict(raw, "utf-16", name), "utf-16"
    _refuse_binary(raw, name)
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[len(codecs.BOM_UTF8) :], "utf-8", name, offset=len(codecs.BOM_UTF8)), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        first_bad = err.start
    lenient = raw.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = len(lenient) - len(lenient.encode("ascii", errors="ignore")) - bad
    if good > 10 * bad:  # UTF-8 with a few broken bytes, not a legacy encoding
        raise InputError(
            f"{name}: not valid UTF-8: byte 0x{raw[first_bad]:02x} at offset {first_bad} "
            f"({bad} broken sequence{'s' if bad > 1 else ''}); repair it or save the file again as UTF-8"
        )
    import charset_normalizer  # imported here: only legacy-encoded files pay for it

    candidates: dict[str, str] = {}
    best = charset_normalizer.from_bytes(raw).best()
    if best is not None:
        candidates[codecs.lookup(best.encoding).name] = str(best)
    for enc in ("cp1251", "koi8-r"):
        try:
            candidates.setdefault(enc, raw.decode(enc))
        except UnicodeDecodeError:
            pass
    scores = {enc: _russian_score(t) for enc, t in candidates.items()}
    encoding = max(scores, key=lambda enc: scores[enc])  # ties keep charset-normalizer's guess (first)
    if (best is None and scores[encoding] == 0) or not _reads_as_text(candidates[encoding]):
        raise InputError(
            f"{name}: not UTF-8 and its encoding could not be recognised "
            f"(first non-UTF-8 byte 0x{raw[first_bad]:02x} at offset {first_bad}); save the file as UTF-8"
        )
    return candidates[encoding], encoding


def _strict(raw: bytes, encoding: str, name: str, offset: int = 0) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        label = "UTF-8" if encoding == "utf-8" else "UTF-16"
        raise InputError(
            f"{name}: starts with a {label} byte-order mark but is not valid {label} "
            f"(byte offset {offset + err.start}); save the file again as UTF-8"
        ) from None


def _russian_score(text: str) -> int:
    """Lower-case letters in normally cased all-Cyrillic words ('слово', 'Слово').

    High for correctly decoded Russian; the wrong Cyrillic codec turns most letters
    into capitals or mixed case ('пПХБЕР'), and a Latin text has no such words.
    """
    return sum(
        len(word) - 1 + word[0].islower()
        for word in _WORD.findall(text[:65_536])
        if len(word) > 1 and _CYRILLIC_WORD.fullmatch(word) and (word.islower() or word.istitle())
    )


def _reads_as_text(text: str) -> bool:
    """At least 90% letters, digits, punctuation or spaces: false for bytes that merely decode."""
    sample = text[:65_536]
    texty = sum(unicodedata.category(ch)[0] in "LNPZ" or ch in "\t\n\r" for ch in sample)
    return texty >= 0.9 * len(sample)


def _refuse_binary(raw: bytes, name: str) -> None:
    if b"\x00" in raw:
        raise InputError(f"{name}: looks like a binary file (it contains NUL bytes), not plain text")
    sample = raw[:1_000_000]
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if control > 0.05 * len(sample):
        raise InputError(
            f"{name}: looks like a binary file ({control / len(sample):.0%} control bytes), not plain text"
        )


def _refuse_html(text: str, name: str) -> None:
    """Refuse HTML: its markup would be aligned as if it were sentences."""
    start = _HTML_START.match(text[:4096])
    if start:
        raise InputError(
            f"{name}: looks like HTML (starts with {start.group(0).strip()}), not plain text; give the page's text"
        )
    sample = text[:200_000]
    tags = _HTML_TAG.findall(sample)
    if len(tags) >= 5 and len(tags) * 2000 >= len(sample):
        raise InputError(
            f"{name}: looks like HTML ({len(tags)} tags such as {tags[0]}), not plain text; give the page's text"
        )


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """py3langid's model, restricted to languages with ISO 639-1 codes, probabilities normalised."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages([code for code in ident.labels if _LANG_CODE.fullmatch(code)])
    return ident


def _ranked(text: str) -> list[tuple[str, float]]:
    ranked: list[tuple[str, float]] = _identifier().rank(text[:_DETECT_SAMPLE])
    return ranked


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language; for text too short to tell, the model's best guess."""
    return _ranked(text)[0][0]


def _check_language(text: str, lang: str, name: str) -> str:
    """Accept the declared language unless the text clearly reads as another one."""
    declared = lang.strip().lower()
    if not _LANG_CODE.fullmatch(declared):
        raise InputError(f"{name}: language {lang!r} is not a two-letter ISO 639-1 code such as en or ru")
    ranked = _ranked(text)
    probs = dict(ranked)
    detected, confidence = ranked[0]
    # Relative to the winner: on short text all probabilities are low, yet Cyrillic is never English.
    if declared in probs and detected != declared and probs[declared] < 0.01 * confidence:
        raise InputError(
            f"{name}: expected {language_name(declared)} ({declared}) text "
            f"but it reads as {language_name(detected)} ({detected})"
        )
    return declared


def text_document(name: str, text: str, lang: str | None, *, sha256: str, encoding: str,
                  extracted: str | None = None) -> Document:
    """A document from text taken out of another format (a web page, a DOCX): past decoding, the
    same checks as a text file's (some words, the declared language), so both paths refuse alike."""
    if not text.strip():
        raise InputError(f"{name}: no text found in it, nothing to align")
    if not _WORD.search(text):
        raise InputError(f"{name}: the text found in it contains no words (no letters at all), nothing to align")
    lang = detect_language(text) if lang is None else _check_language(text, lang, name)
    return Document(path=name, lang=lang, text=text, sha256=sha256, encoding=encoding, extracted=extracted)
