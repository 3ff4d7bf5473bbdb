"""Pre-aligned input for `align score`: TMX and TSV units, their languages, and the refusals every input gets."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.errors import InputError
from align.steps.read.prealigned import read_units
from align.steps.read.text import DEFAULT_MAX_BYTES


def tmx(srclang: str, units: list[tuple[str, str, str, str]]) -> str:
    """A TMX 1.4 document; each unit is (source lang, source text, target lang, target text)."""
    body = "".join(
        f'<tu><tuv xml:lang="{sl}"><seg>{s}</seg></tuv><tuv xml:lang="{tl}"><seg>{t}</seg></tuv></tu>'
        for sl, s, tl, t in units
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="{srclang}" '
            f'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" '
            f'creationtoolversion="1"/><body>{body}</body></tmx>\n')


UNITS = [("ru-RU", "Собака лаяла.", "en-US", "The dog barked."), ("ru-RU", "Кошка спала.", "en-US", "The cat slept.")]


def write(tmp_path: Path, text: str, name: str = "memory.tmx") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, source_lang: str | None = None, translation_lang: str | None = None) -> str:
    with pytest.raises(InputError) as info:
        read_units(path, source_lang, translation_lang)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_tmx_units_and_region_subtags(tmp_path):
    units, src, tgt, _ = read_units(write(tmp_path, tmx("ru-RU", UNITS)), None, None)
    assert (src, tgt) == ("ru", "en")
    assert units == [("Собака лаяла.", "The dog barked."), ("Кошка спала.", "The cat slept.")]


@pytest.mark.parametrize("srclang", ['ru&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;', "xx", "russian", "ru RU"])
def test_tmx_srclang_that_is_not_a_language_code_is_refused(tmp_path, srclang):
    path = write(tmp_path, tmx(srclang, UNITS))
    message = error_of(path)
    assert message.startswith(f"{path}: the TMX header's srclang ") and "is not a two-letter ISO 639-1 code" in message


def test_tmx_xml_lang_that_is_not_a_language_code_is_refused(tmp_path):
    bad = [UNITS[0], ("ru", "Кошка спала.", 'en"><script>alert(1)</script>'.replace('"', "&quot;").replace("<", "&lt;")
                      .replace(">", "&gt;"), "The cat slept.")]
    path = write(tmp_path, tmx("ru", bad))
    message = error_of(path)
    assert message.startswith(f"{path}: translation unit 2: xml:lang 'en\"><script>")
    assert "is not a two-letter ISO 639-1 code" in message


def test_languages_given_on_the_command_line_are_checked(tmp_path):
    path = write(tmp_path, tmx("ru", UNITS))
    assert error_of(path, source_lang="ua") == "--source-lang 'ua' is not a two-letter ISO 639-1 code such as en or ru (Ukrainian is uk)"
    assert error_of(path, translation_lang="xx") == "--translation-lang 'xx' is not a two-letter ISO 639-1 code such as en or ru"


def test_tmx_over_the_size_limit_is_refused_before_parsing(tmp_path):
    text = tmx("ru", UNITS)
    path = write(tmp_path, text.replace("<body>", "<body><!--" + "x" * DEFAULT_MAX_BYTES + "-->"))
    size = path.stat().st_size
    assert error_of(path) == f"{path}: the file is {size:,} bytes, over the 20,000,000 bytes limit for one input file"


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs")
def test_tmx_that_is_a_fifo_is_refused(tmp_path):
    import os

    path = tmp_path / "memory.tmx"
    os.mkfifo(path)
    assert "is a named pipe (FIFO), not a regular file" in error_of(path)


@settings(max_examples=80, deadline=None)
@given(srclang=st.text(max_size=12), lang=st.text(max_size=12), seg=st.text(max_size=40), junk=st.binary(max_size=80))
def test_no_tmx_crashes_the_reader(tmp_path_factory, srclang, lang, seg, junk):
    """Any attribute values, any segment text, any trailing bytes: units or a one-line InputError."""
    from xml.sax.saxutils import escape, quoteattr

    body = f'<tu><tuv xml:lang={quoteattr(lang)}><seg>{escape(seg)}</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu>'
    raw = (f'<tmx version="1.4"><header srclang={quoteattr(srclang)}/><body>{body}</body></tmx>'.encode("utf-8", "replace")
           + junk)
    path = tmp_path_factory.mktemp("tmx") / "memory.tmx"
    path.write_bytes(raw)
    try:
        units, src, tgt, _ = read_units(path, None, None)
    except InputError as err:
        assert "\n" not in str(err)
    else:
        assert len(src) == 2 and len(tgt) == 2 and src != tgt  # only ISO 639-1 codes come out
