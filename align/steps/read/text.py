"""Read one input file into a `Document`: bytes -> checks -> text -> language.

The text is kept exactly as decoded (newlines untouched, only a BOM dropped) so
that segment offsets point into the file a reviewer opens. Every way a file can
be unusable ends in an `InputError` whose one-line message names the file and
says what is wrong with it.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import InputError
from ...model import Document

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

# ISO 639-1: the codes the reader, the segmenters, the CLI, manifests and TMX take. Every way of naming a
# language goes through `language_code`, so a typo such as "jp" or "ua" is refused the same way everywhere.
ISO_639_1 = frozenset("""
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
    ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik
    io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml
    mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd
    se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi
    vo wa wo xh yi yo za zh zu""".split())
# Country codes often given for a language; the error names the language code meant.
_COUNTRY_NOT_LANGUAGE = {
    "ua": "uk", "jp": "ja", "cn": "zh", "gr": "el", "dk": "da", "cz": "cs", "kz": "kk", "by": "be", "rs": "sr",
    "al": "sq", "ge": "ka", "tj": "tg",
}

# Legacy code pages by language: the Windows code page of the language's locale first, then its ISO and
# KOI8 relatives. On a short text charset-normalizer's first guess is often a neighbour (Latin-1 French
# read as cp1250 turns "naïve" into "naďve"); the language, declared or detected, decides among them.
_CODE_PAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("cp1252", "iso8859-15", "latin-1"),
     "af br ca cy da de en es eu fi fo fr ga gd gl id is it la lb ms nb nl nn no oc pt rm sq sv sw tl wa"),
    (("cp1250", "iso8859-2"), "bs cs hr hu pl ro sk sl"),
    (("cp1251", "koi8-r"), "ru be bg mk sr kk ky tg mn tt ba"),
    (("cp1251", "koi8-u", "koi8-r"), "uk"),
    (("cp1253", "iso8859-7"), "el"),
    (("cp1254", "iso8859-9"), "tr az"),
    (("cp1255", "iso8859-8"), "he yi"),
    (("cp1256", "iso8859-6"), "ar fa ur"),
    (("cp1257", "iso8859-13", "iso8859-4"), "lt lv et"),
    (("cp1258",), "vi"),
    (("cp874",), "th"),
    (("cp932", "euc_jp"), "ja"),
    (("gb18030", "big5"), "zh"),
    (("cp949",), "ko"),
)
_LEGACY_ENCODINGS = {lang: tuple(codecs.lookup(e).name for e in encodings)
                     for encodings, langs in _CODE_PAGES for lang in langs.split()}

# Control bytes that never occur in text (tab, newlines, form feed and ESC are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"
# In decoded text every C0 control but tab, line feed, carriage return and form feed, and DEL: they
# mark a binary file or a UTF-16/32 file holding binary data, and must not reach the reports.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml)", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|div|p|br|span|a|table|tr|td|th|li|ul|ol|h[1-6]|script|style|meta|link|img|"
    r"section|article|header|footer|nav|form|input|button|iframe|noscript)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_ADJACENT_TAGS = re.compile(_HTML_TAG.pattern + r"\s*(?=" + _HTML_TAG.pattern + ")", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC_WORD = re.compile(r"[а-яёА-ЯЁ]+")
_FILE_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
_DETECT_SAMPLE = 200_000  # characters; enough for a stable answer, keeps 20 MB files fast


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def language_code(value: object) -> str | None:
    """`value` as an ISO 639-1 code (case and outer spaces ignored), or None if it is not one."""
    code = value.strip().lower() if isinstance(value, str) else None
    return code if code in ISO_639_1 else None


def language_code_problem(value: object) -> str:
    """Why `value` is not a language code, in words, with the code meant when it is a country's."""
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    meant = _COUNTRY_NOT_LANGUAGE.get(value.strip().lower()) if isinstance(value, str) else None
    hint = f" ({language_name(meant)} is {meant})" if meant else ""
    return f"{shown} is not a two-letter ISO 639-1 code such as en or ru{hint}"


def checked_language(value: object, where: str) -> str:
    """The ISO 639-1 code `value` names, or an InputError "`where` VALUE is not ...": the one check
    behind --source-lang/--translation-lang, manifests, TMX language tags and `read_document`."""
    code = language_code(value)
    if code is None:
        raise InputError(f"{where} {language_code_problem(value)}")
    return code


def read_document(path: str | Path, lang: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read, decode and check one input file; detect its language unless `lang` is given.

    A declared `lang` wins unless the model finds it far less likely (under 1%) than
    the language it detects, so a short or mixed file is not rejected on a hunch.
    """
    name = str(path)
    declared = None if lang is None else checked_language(lang, f"{name}: language")
    raw = read_bytes(Path(path), max_bytes)
    if not raw:
        raise InputError(f"{name}: the file is empty")
    text, encoding = _decode(raw, name, declared)
    return checked(Document(path=name, lang=declared or "", text=text, sha256=hashlib.sha256(raw).hexdigest(),
                            encoding=encoding))


def checked(doc: Document) -> Document:
    """`doc` once its text passed the checks every input passes, with its language detected when
    not given (`lang` empty) and checked when given: a document read from a file, or given as text."""
    name, text = doc.path, doc.text
    declared = checked_language(doc.lang, f"{name}: language") if doc.lang else None
    _refuse_control_characters(text, name)
    if not text.strip():
        raise InputError(f"{name}: the file contains only whitespace")
    _refuse_html(text, name)
    if not _WORD.search(text):
        raise InputError(f"{name}: the file contains no words (no letters at all), nothing to align")
    lang = detect_language(text) if declared is None else _check_language(text, declared, name)
    return doc if lang == doc.lang else replace(doc, lang=lang)


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, or an InputError saying why not.

    The file's type is checked before it is opened (a FIFO would block the open, /dev/zero never
    ends), again on the open file (it may have been replaced in between), and at most
    `max_bytes` + 1 bytes are read, so a file that grows past the limit is refused, not read
    until memory runs out.
    """
    name = str(path)
    try:
        _refuse_special_file(os.stat(path), name, max_bytes)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            _refuse_special_file(os.fstat(f.fileno()), name, max_bytes)
            raw = f.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied, cannot read the file") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read the file ({err.strerror or err})") from None
    if len(raw) > max_bytes:  # it grew after stat()
        raise InputError(f"{name}: the file grew past the {_size(max_bytes, max_bytes)} limit for one input file "
                         "while it was read")
    return raw


def _refuse_special_file(info: os.stat_result, name: str, max_bytes: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}: is a directory, not a text file")
    if not stat.S_ISREG(info.st_mode):
        kind = next((kind for test, kind in _FILE_KINDS if test(info.st_mode)), "not a regular file")
        raise InputError(f"{name}: is {kind}, not a regular file; save the text to a file and give that")
    if info.st_size > max_bytes:
        raise InputError(_too_big(name, info.st_size, max_bytes))


def _too_big(name: str, size: int, limit: int) -> str:
    return f"{name}: the file is {_size(size, limit)}, over the {_size(limit, size)} limit for one input file"


def _size(size: int, other: int) -> str:
    """`size` in MB, or in bytes where MB would not show its difference from `other`."""
    if min(size, other) < 1_000_000 or f"{size / 1e6:.1f}" == f"{other / 1e6:.1f}":
        return f"{size:,} bytes"
    return f"{size / 1e6:.1f} MB"


def _decode(raw: bytes, name: str, lang: str | None) -> tuple[str, str]:
    """Return (text, encoding name): a BOM's encoding, else UTF-8, else a legacy encoding (`_decode_legacy`)."""
    for bom, encoding in _BOMS:  # before the NUL check: UTF-16 and UTF-32 have NULs
        if raw.startswith(bom):
            return _strict(raw, encoding, name), encoding
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
    decoded = _decode_legacy(raw, lang)
    if decoded is None:
        raise InputError(
            f"{name}: not UTF-8 and its encoding could not be recognised "
            f"(first non-UTF-8 byte 0x{raw[first_bad]:02x} at offset {first_bad}); save the file as UTF-8"
        )
    return decoded


def _decode_legacy(raw: bytes, lang: str | None) -> tuple[str, str] | None:
    """(text, encoding) of a file in a legacy 8-bit or CJK encoding, or None if none reads as text.

    charset-normalizer proposes candidates, and the code pages of the document's language join them:
    a declared non-Cyrillic language's code pages win, unless another decoding is clearly Russian
    (three quarters of its letters in ordinary Russian words: the declaration is wrong, and the
    language check then says so); otherwise the most Russian-looking decoding wins, then
    the code pages of the language detected on charset-normalizer's best guess (which gets the
    language right even where it gets the accents wrong), then charset-normalizer's order.
    Russian is checked by hand because charset-normalizer mislabels short Russian text (cp1251 'Привет, мир!' comes back as
    cp1125, 'Да' as big5), so cp1251 and koi8-r always compete, on how much of the decoded text is
    ordinary lower-case Russian words: lower-case letters are 0xE0-0xFF in cp1251 but 0xC0-0xDF in
    koi8-r, so the wrong one reads as capitals.
    """
    import charset_normalizer  # imported here: only legacy-encoded files pay for it

    candidates: dict[str, str] = {}
    for match in charset_normalizer.from_bytes(raw):
        candidates.setdefault(codecs.lookup(match.encoding).name, str(match))
    proposed, declared = bool(candidates), lang is not None
    if lang is None and candidates:
        lang = detect_language(next(iter(candidates.values())))
    own = _LEGACY_ENCODINGS.get(lang or "", ())
    for encoding in (*own, "cp1251", "koi8-r"):
        try:
            candidates.setdefault(codecs.lookup(encoding).name, raw.decode(encoding))
        except UnicodeDecodeError:
            pass
    order = list(candidates)

    def rank(encoding: str) -> tuple[int, ...]:
        text, mine = candidates[encoding], encoding in own
        russian = _russian_score(text)
        letters = len("".join(_WORD.findall(text[:65_536])))
        if declared and "cp1251" not in own:
            # A declared non-Cyrillic language: its own code page where that reads as the language (Hebrew
            # read as cp1251 is all lower-case Cyrillic words), else a decoding that is clearly Russian
            # (mis-declared: the language check then says so), else its code pages.
            confirmed = mine and detect_language(text) == lang
            clearly_russian = russian >= 0.75 * letters
            return (confirmed, clearly_russian, mine, russian, -order.index(encoding))
        # Russian only where most of the letters read as Russian words: Arabic cp1256 or Chinese GB18030
        # read as KOI8-R gives a few lower-case Cyrillic words too (18 letters in 200), and must not win.
        russian_enough = russian >= 0.5 * letters
        return (russian_enough, russian if russian_enough else 0, mine, -order.index(encoding))

    scores = {enc: rank(enc) for enc in candidates}
    encoding = max(scores, key=lambda enc: scores[enc])
    if (not proposed and not _russian_score(candidates[encoding])) or not _reads_as_text(candidates[encoding]):
        return None
    return candidates[encoding], encoding


def _strict(raw: bytes, encoding: str, name: str, offset: int = 0) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        label = encoding.upper()
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


def _refuse_control_characters(text: str, name: str) -> None:
    """Refuse decoded text with control characters (`_CONTROL_CHARACTER`): the byte check cannot see
    them in UTF-16 or UTF-32, and a NUL written into report.html breaks it."""
    found = _CONTROL_CHARACTER.search(text)
    if found is None:
        return
    if "\x00" in text:
        raise InputError(f"{name}: looks like a binary file (it contains NUL characters), not plain text")
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    raise InputError(
        f"{name}: looks like a binary file (control character U+{ord(found.group()):04X} at line {line}, "
        f"column {column}), not plain text; save it as plain text"
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
    if len(tags) < 5 or len(tags) * 2000 < len(sample):
        return
    # Markup, not prose that quotes a few tags ("the <p> element, like <div>..."): lines that start
    # with a tag, or tags that follow one another with nothing but spaces between them.
    lines = [line.strip() for line in sample.splitlines() if line.strip()]
    markup_lines = sum(bool(_HTML_TAG.match(line)) for line in lines)
    adjacent = len(_ADJACENT_TAGS.findall(sample))
    if markup_lines * 3 >= len(lines) or adjacent >= 3:
        raise InputError(
            f"{name}: looks like HTML ({len(tags)} tags such as {tags[0]}), not plain text; give the page's text"
        )


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """py3langid's model, restricted to languages with ISO 639-1 codes, probabilities normalised."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages([code for code in ident.labels if code in ISO_639_1])
    return ident


def _ranked(text: str) -> list[tuple[str, float]]:
    ranked: list[tuple[str, float]] = _identifier().rank(text[:_DETECT_SAMPLE])
    return ranked


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language; for text too short to tell, the model's best guess."""
    return _ranked(text)[0][0]


def _check_language(text: str, declared: str, name: str) -> str:
    """Accept the declared language (an ISO 639-1 code) unless the text clearly reads as another one."""
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
    same checks as a text file's (`checked`), so both paths refuse alike."""
    if not text.strip():
        raise InputError(f"{name}: no text found in it, nothing to align")
    return checked(Document(path=name, lang=lang or "", text=text, sha256=sha256, encoding=encoding,
                            extracted=extracted))
