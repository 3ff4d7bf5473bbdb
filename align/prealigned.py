"""Read segments that a CAT tool has already aligned: TSV (source TAB translation) or TMX.

`align score` runs the drift checks on such pairs without segmenting or
aligning. Each side becomes a `Document` whose text is that side's segments,
one per line, so offsets in the report index that text (as `--segmented`
would read it); an empty cell becomes a 1-0 or 0-1 link.
"""
from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import InputError
from .formats import LocalisationFile
from .model import Alignment, Document, Origin, Segment
from .read import detect_language, read_document

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_units(path: Path, source_lang: str | None, translation_lang: str | None) -> tuple[list[tuple[str, str]], str | None, str | None, str]:
    """(source, translation) pairs, the languages the file declares, and the sha256 of its bytes."""
    name = str(path)
    if path.suffix.lower() == ".tmx":
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
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
    src = source_lang or (header.get("srclang") if header is not None else None)
    tus = root.findall("./body/tu")
    langs = sorted({(tuv.get(_XML_LANG) or tuv.get("lang") or "").lower() for tu in tus for tuv in tu.findall("tuv")})
    if not src or src.lower() == "*all*":
        raise InputError(f"{name}: the TMX header has no srclang; give --source-lang")
    src = src.lower()
    others = [lang for lang in langs if lang and lang.split("-")[0] != src.split("-")[0]]
    tgt = (translation_lang or (others[0] if len(set(o.split("-")[0] for o in others)) == 1 else "")).lower()
    if not tgt:
        raise InputError(f"{name}: cannot tell the translation language among {', '.join(langs)}; give --translation-lang")
    units = []
    for tu in tus:
        texts = {"src": "", "tgt": ""}
        for tuv in tu.findall("tuv"):
            lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower().split("-")[0]
            seg = tuv.find("seg")
            text = " ".join("".join(seg.itertext()).split()) if seg is not None else ""
            if lang == src.split("-")[0]:
                texts["src"] = text
            elif lang == tgt.split("-")[0]:
                texts["tgt"] = text
        if texts["src"] or texts["tgt"]:
            units.append((texts["src"], texts["tgt"]))
    return units, src.split("-")[0], tgt.split("-")[0]


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
    return docs[0], docs[1], sides["source"][0], sides["translation"][0], alignments


def localised_units(loc: LocalisationFile) -> tuple[list[tuple[str, str]], list[tuple[Origin | None, Origin | None]]]:
    """An XLIFF or PO file's units as (source, translation) pairs and the `Origin` of each side."""
    pairs = [(u.source, u.translation) for u in loc.units]
    origins = [
        (Origin(u.unit, u.source_tagged, u.state, u.notes), Origin(u.unit, u.translation_tagged, u.state, u.notes))
        for u in loc.units
    ]
    return pairs, origins
