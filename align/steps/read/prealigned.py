"""Read segments that a CAT tool has already aligned: TSV (source TAB translation) or TMX.

`align score` runs the drift checks on such pairs without segmenting or
aligning. Each side becomes a `Document` whose text is that side's segments,
one per line, so offsets in the report index that text (as `--segmented`
would read it); an empty cell becomes a 1-0 or 0-1 link.
"""
from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ...errors import InputError
from ...model import Alignment, Document, Origin, Segment
from ..segment import check_document_size, check_segment_count
from . import LocalisationFile
from .text import checked_language, detect_language, read_bytes, read_document

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")  # en, en-US, pt_BR, zh-Hant-TW


def read_units(path: Path, source_lang: str | None, translation_lang: str | None) -> tuple[list[tuple[str, str]], str | None, str | None, str]:
    """(source, translation) pairs, the languages the file declares, and the sha256 of its bytes."""
    name = str(path)
    if path.suffix.lower() == ".tmx":
        raw = read_bytes(path)  # the same refusals and size limit as any input file
        units, src, tgt = _tmx_units(raw, name, source_lang, translation_lang)
        return units, src, tgt, hashlib.sha256(raw).hexdigest()
    # TSV goes through the ordinary reader: encodings, binary and HTML checks, size limit.
    doc = read_document(path, lang=None)
    units = []
    for number, line in enumerate(doc.text.splitlines(), 1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 2:
            raise InputError(f"{name}:{number}: expected two tab-separated columns (source, translation), found {len(cells)}")
        units.append((" ".join(cells[0].split()), " ".join(cells[1].split())))
    return units, source_lang, translation_lang, doc.sha256


def _tmx_units(raw: bytes, name: str, source_lang: str | None, translation_lang: str | None) -> tuple[list[tuple[str, str]], str, str]:
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise InputError(f"{name}: not valid TMX/XML: {exc}") from None
    if root.tag != "tmx":
        raise InputError(f"{name}: not a TMX file (root element is <{root.tag}>)")
    header = root.find("header")
    declared = header.get("srclang") if header is not None else None
    if source_lang:
        src = checked_language(source_lang, "--source-lang")
    elif not declared or declared.lower() == "*all*":
        raise InputError(f"{name}: the TMX header has no srclang; give --source-lang")
    else:
        src = _tag_language(declared, f"{name}: the TMX header's srclang")
    tus = [
        [(_tag_language(lang, f"{name}: translation unit {number}: xml:lang"), tuv)
         for tuv in tu.findall("tuv") if (lang := tuv.get(_XML_LANG) or tuv.get("lang"))]
        for number, tu in enumerate(root.findall("./body/tu"), 1)
    ]
    others = sorted({lang for tu in tus for lang, _ in tu} - {src})
    if translation_lang:
        tgt = checked_language(translation_lang, "--translation-lang")
    elif len(others) == 1:
        tgt = others[0]
    else:
        found = ", ".join(others) or "none besides the source's"
        raise InputError(f"{name}: cannot tell the translation language among {found}; give --translation-lang")
    units = []
    for tu in tus:
        texts = {src: "", tgt: ""}
        for lang, tuv in tu:
            seg = tuv.find("seg")
            if lang in texts:
                texts[lang] = " ".join("".join(seg.itertext()).split()) if seg is not None else ""
        if texts[src] or texts[tgt]:
            units.append((texts[src], texts[tgt]))
    return units, src, tgt


def _tag_language(tag: str, where: str) -> str:
    """The ISO 639-1 code of a TMX language tag (`en`, `en-US`, `pt_BR`); anything else is refused whole."""
    primary = re.split(r"[-_]", tag)[0] if _LANG_TAG.fullmatch(tag) else tag
    return checked_language(primary, where)


def as_documents(
    path: Path, units: list[tuple[str, str]], source_lang: str | None, translation_lang: str | None, sha256: str,
    origins: list[tuple[Origin | None, Origin | None]] | None = None,
) -> tuple[Document, Document, list[Segment], list[Segment], list[Alignment]]:
    """Both sides as documents with their segments, and the given 1-1 (or null) links.

    `origins` (XLIFF, PO) gives each unit's source and translation `Origin`, kept on its segments."""
    if not units:
        raise InputError(f"{path}: no aligned segments found")
    sides: dict[str, tuple[list[Segment], str]] = {}
    for k, side in enumerate(("source", "translation")):
        segments, lines, pos = [], [], 0
        for n, text in enumerate(u[k] for u in units):
            if text:
                origin = origins[n][k] if origins else None
                segments.append(Segment(index=len(segments), text=text, start=pos, end=pos + len(text), origin=origin))
                lines.append(text)
                pos += len(text) + 1
        sides[side] = (segments, "\n".join(lines))
    src_lang = source_lang or detect_language(sides["source"][1])
    tgt_lang = translation_lang or detect_language(sides["translation"][1])
    if src_lang == tgt_lang:
        raise InputError(f"{path}: both columns read as {src_lang}; give --source-lang and --translation-lang")
    alignments, i, j = [], 0, 0
    for s, t in units:
        src, tgt = ((i,) if s else ()), ((j,) if t else ())
        alignments.append(Alignment(src=src, tgt=tgt, kind=Alignment.kind_of(src, tgt), similarity=None))
        i, j = i + bool(s), j + bool(t)
    docs = [
        Document(path=f"{path}#{side}", lang=lang, text=sides[side][1], sha256=sha256, encoding="utf-8")
        for side, lang in (("source", src_lang), ("translation", tgt_lang))
    ]
    for doc, side in zip(docs, ("source", "translation")):
        check_document_size(doc)
        check_segment_count(doc.path, sides[side][0])
    return docs[0], docs[1], sides["source"][0], sides["translation"][0], alignments


def localised_units(loc: LocalisationFile) -> tuple[list[tuple[str, str]], list[tuple[Origin | None, Origin | None]]]:
    """An XLIFF or PO file's units as (source, translation) pairs and the `Origin` of each side."""
    pairs = [(u.source, u.translation) for u in loc.units]
    origins = [
        (Origin(u.unit, u.source_tagged, u.state, u.notes), Origin(u.unit, u.translation_tagged, u.state, u.notes))
        for u in loc.units
    ]
    return pairs, origins
