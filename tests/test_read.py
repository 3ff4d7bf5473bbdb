"""Reading input files: encodings, offsets, language, and a clear error for each bad input."""
from __future__ import annotations

import codecs
import hashlib
import random
import re
from pathlib import Path

import pytest

from align.errors import InputError
from align.read import detect_language, read_document
from align.segment import segment

DATA = Path(__file__).parent / "data" / "segment"
SEED_PAIR = Path(__file__).resolve().parent.parent / "pairs" / "csto-2023-narrow-session"
SEED_EN = (SEED_PAIR / "000_6cf8d23f497eb1aa.txt").read_text(encoding="utf-8")
SEED_RU = (SEED_PAIR / "001_cc3bb9ed3dc9ac90.txt").read_text(encoding="utf-8")
# koi8-r has no dashes, guillemets or no-break spaces: replace them as a koi8-r file would have them.
KOI8_SAFE = str.maketrans({"–": "-", "«": '"', "»": '"', "©": "(c)", "\xa0": " "})
RU_SNIPPETS = [
    "Мириться с этим невозможно.",
    "Уважаемые соотечественники!",
    "Привет, мир!",
    "Другие новости",
    "Глава государства",
    "Да",
]


def write(tmp_path: Path, data: bytes, name: str = "x.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def error_of(path: Path | str, lang: str | None = None, **kwargs: int) -> str:
    with pytest.raises(InputError) as info:
        read_document(path, lang, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


# --- decoding ------------------------------------------------------------------------------


def test_utf8_seed_is_read_exactly_with_hash_of_the_raw_bytes(tmp_path: Path) -> None:
    raw = SEED_RU.encode("utf-8")
    doc = read_document(write(tmp_path, raw))
    assert (doc.text, doc.encoding, doc.lang) == (SEED_RU, "utf-8", "ru")
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.path == str(tmp_path / "x.txt")


def test_bom_is_dropped_and_recorded(tmp_path: Path) -> None:
    raw = codecs.BOM_UTF8 + SEED_EN.encode("utf-8")
    doc = read_document(write(tmp_path, raw))
    assert doc.text == SEED_EN
    assert not doc.text.startswith("\ufeff")
    assert doc.encoding == "utf-8-sig"
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()  # the file as on disk, BOM included


def test_crlf_is_kept_and_segment_offsets_index_the_text(tmp_path: Path) -> None:
    text = SEED_RU.replace("\n", "\r\n")
    doc = read_document(write(tmp_path, text.encode("utf-8")), "ru")
    assert doc.text == text
    segs = segment(doc)
    assert len(segs) == 58
    for s in segs:
        assert re.sub(r"\s+", " ", doc.text[s.start : s.end]) == s.text
    last = segs[-1]
    assert doc.text[last.start : last.end] == "Дизайн и разработка сайта от компании Licon."


@pytest.mark.parametrize("lang", ["ru", None])
def test_cp1251_russian_seed_is_detected(tmp_path: Path, lang: str | None) -> None:
    doc = read_document(write(tmp_path, SEED_RU.encode("cp1251")), lang)
    assert (doc.text, doc.encoding, doc.lang) == (SEED_RU, "cp1251", "ru")


@pytest.mark.parametrize("lang", ["ru", None])
def test_koi8r_russian_seed_is_detected(tmp_path: Path, lang: str | None) -> None:
    text = SEED_RU.translate(KOI8_SAFE)
    doc = read_document(write(tmp_path, text.encode("koi8-r")), lang)
    assert (doc.text, doc.encoding, doc.lang) == (text, "koi8-r", "ru")


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
@pytest.mark.parametrize("snippet", RU_SNIPPETS)
def test_short_russian_snippets_decode_in_both_legacy_encodings(tmp_path: Path, encoding: str, snippet: str) -> None:
    doc = read_document(write(tmp_path, snippet.encode(encoding)), "ru")
    assert (doc.text, doc.encoding) == (snippet, encoding)


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "Мириться с этим невозможно.\r\n".encode("utf-16")))
    assert (doc.text, doc.encoding, doc.lang) == ("Мириться с этим невозможно.\r\n", "utf-16", "ru")


# --- language ------------------------------------------------------------------------------


def test_seed_languages_are_detected_despite_latin_words_in_the_russian_one() -> None:
    assert detect_language(SEED_EN) == "en"
    assert detect_language(SEED_RU) == "ru"
    teasers = SEED_RU[SEED_RU.index("Akorda.kz") :]  # footer and teasers: short lines, Latin names
    assert detect_language(teasers) == "ru"


def test_detection_is_deterministic_and_works_on_ukrainian() -> None:
    text = "Він прийшов додому. Їжа була готова, і всі сіли до столу."
    assert {detect_language(text) for _ in range(3)} == {"uk"}


def test_short_text_gets_a_best_guess_code() -> None:
    assert re.fullmatch(r"[a-z]{2}", detect_language("ОДКБ"))


def test_declared_language_that_matches_is_kept(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, SEED_EN.encode()), "en").lang == "en"
    assert read_document(write(tmp_path, SEED_RU.encode()), "RU").lang == "ru"


def test_declared_language_is_trusted_on_a_text_too_short_to_tell(tmp_path: Path) -> None:
    path = write(tmp_path, "Глава государства".encode())
    assert read_document(path, "ru").lang == "ru"
    assert "expected English (en) text but it reads as" in error_of(path, "en")  # Cyrillic is never English


def test_declared_close_language_is_trusted_on_a_headline(tmp_path: Path) -> None:
    path = write(tmp_path, "Глава государства принял участие в саммите «БРИКС плюс»".encode())
    assert read_document(path).lang == "ru"
    assert read_document(path, "bg").lang == "bg"  # too short to rule Bulgarian out
    assert "expected English (en) text but it reads as Russian (ru)" in error_of(path, "en")


def test_wrong_declared_language_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, SEED_EN.encode())
    assert error_of(path, "ru") == f"{path}: expected Russian (ru) text but it reads as English (en)"
    path = write(tmp_path, SEED_RU.encode(), "ru.txt")
    assert error_of(path, "en") == f"{path}: expected English (en) text but it reads as Russian (ru)"


def test_wrong_declared_language_is_refused_on_a_single_sentence(tmp_path: Path) -> None:
    path = write(tmp_path, SEED_EN.splitlines()[1].encode())
    assert "expected Russian (ru) text but it reads as English (en)" in error_of(path, "ru")


def test_declared_language_must_be_an_iso_code(tmp_path: Path) -> None:
    path = write(tmp_path, SEED_EN.encode())
    assert "'english' is not a two-letter ISO 639-1 code" in error_of(path, "english")


# --- bad inputs ----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    assert error_of(path) == f"{path}: no such file"


def test_directory(tmp_path: Path) -> None:
    assert error_of(tmp_path) == f"{tmp_path}: is a directory, not a text file"


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"")
    assert error_of(path) == f"{path}: the file is empty"


@pytest.mark.parametrize("raw", [b"  \n\r\n\t \n", codecs.BOM_UTF8 + "\xa0\n".encode()])
def test_whitespace_only_file(tmp_path: Path, raw: bytes) -> None:
    path = write(tmp_path, raw)
    assert error_of(path) == f"{path}: the file contains only whitespace"


def test_file_without_letters(tmp_path: Path) -> None:
    path = write(tmp_path, b"  25.10.2024   1975\n")
    assert "no letters" in error_of(path)


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary file (it contains NUL bytes)" in error_of(path)


def test_binary_with_control_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, b"abc\x01\x02\x03\x04def" * 10)
    assert "binary file (40% control bytes)" in error_of(path)


def test_broken_utf8_names_the_byte_and_its_offset(tmp_path: Path) -> None:
    raw = SEED_RU.encode("utf-8")
    raw = raw[:1000] + b"\xff" + raw[1000:]
    path = write(tmp_path, raw)
    assert "not valid UTF-8: byte 0xff at offset 1000 (1 broken sequence)" in error_of(path)


def test_bytes_in_no_recognisable_encoding(tmp_path: Path) -> None:
    rng = random.Random(0)
    noise = bytes(rng.randrange(128, 256) for _ in range(3000))  # koi8-r decodes it, to no text
    path = write(tmp_path, noise)
    assert "not UTF-8 and its encoding could not be recognised" in error_of(path)


def test_bom_but_invalid_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, codecs.BOM_UTF8 + "Глава государства".encode("cp1251"))
    assert "starts with a UTF-8 byte-order mark but is not valid UTF-8" in error_of(path)


@pytest.mark.parametrize(
    "html",
    [
        "<!DOCTYPE html>\n<html><body><p>Глава государства принял участие в сессии.</p></body></html>",
        "  <html lang=ru>\n<p>Глава государства</p>",
        "<div class=news>\n<p>Другие новости</p>\n<p>Поздравление Главы государства</p>\n<br>\n<a href=/ru>Akorda.kz</a></div>",
    ],
)
def test_html_is_refused(tmp_path: Path, html: str) -> None:
    path = write(tmp_path, html.encode())
    assert "looks like HTML" in error_of(path)


def test_plain_text_mentioning_a_tag_is_not_html(tmp_path: Path) -> None:
    text = SEED_EN + "\nUse the <br> tag for line breaks.\n"
    assert read_document(write(tmp_path, text.encode())).text == text


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    raw = SEED_EN.encode()
    path = write(tmp_path, raw)
    assert read_document(path, max_bytes=len(raw)).text == SEED_EN
    assert error_of(path, max_bytes=len(raw) - 1) == (
        f"{path}: the file is {len(raw):,} bytes, over the {len(raw) - 1:,} bytes limit for one input file"
    )


def test_default_size_limit_is_twenty_megabytes(tmp_path: Path) -> None:
    path = write(tmp_path, b"a" * 20_000_001)
    assert error_of(path) == f"{path}: the file is 20,000,001 bytes, over the 20,000,000 bytes limit for one input file"
    path = write(tmp_path, b"a" * 25_300_000)
    assert error_of(path) == f"{path}: the file is 25.3 MB, over the 20.0 MB limit for one input file"
