"""XLIFF 1.2 and 2.0 for `align score`, parsed with translate-toolkit.

translate-toolkit (the Translate House / Pootle / Weblate library) reads both
versions: `xliff.xlifffile` for 1.2, `xliff2.Xliff2File` for 2.0. It gives the
units, their ids, states, notes and languages. Two things are done here
because it does not: its plain `source` keeps the native code inside
<bpt>/<ph>/... ('Click <b>here</b>'), which must not be compared as text, and
its XLIFF 2.0 notes look for <notes> inside <segment>, where 2.0 puts them in
the <unit>.

What is checked, and what is not:
- inline codes are never content: <x/>, <bx/>, <ex/>, <bpt>, <ept>, <ph>, <it>
  (1.2) and <ph/>, <sc/>, <ec/>, <sm/>, <em/> (2.0) are left out of the text
  that is embedded and compared, while the text inside <g>, <mrk> (1.2) and
  <pc>, <mrk> (2.0) is kept; <cp hex=".."/> is its character. The text with its
  tags, as in the file, is kept for the reader (`FileUnit.*_tagged`);
- a unit with no target text is untranslated and skipped (counted), as is one
  marked translate="no": there is nothing to check, and reporting it as an
  omission would blame the translator for work not yet done;
- every other unit is checked whatever its state; the state (1.2: the
  target's state attribute, or "approved"; 2.0: the segment's) is recorded,
  so findings on units still awaiting review can be told apart.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from ...errors import InputError
from . import FileUnit, LocalisationFile, read_raw

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_20 = "urn:oasis:names:tc:xliff:document:2.0"
# Inline elements whose content is native code (or which have none): never text.
CODE_ELEMENTS = frozenset({"x", "bx", "ex", "bpt", "ept", "ph", "it", "sc", "ec", "sm", "em", "sub"})
_SAFE_PARSER = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read_xliff(path: Path, source_lang: str | None, translation_lang: str | None) -> LocalisationFile:
    raw = read_raw(path)
    root = _root(raw, path)
    version = (root.get("version") or "").strip()
    namespace = etree.QName(root).namespace
    if namespace == XLIFF_20 or version.startswith("2"):
        units, skipped, langs = _xliff2(raw, path)
        fmt = "xliff-2.0"
    else:
        units, skipped, langs = _xliff1(raw, path)
        fmt = f"xliff-{version or '1.2'}"
    return LocalisationFile(
        format=fmt, units=units, source_lang=source_lang or _short(langs[0]),
        translation_lang=translation_lang or _short(langs[1]), sha256=hashlib.sha256(raw).hexdigest(),
        skipped=skipped,
    )


def _root(raw: bytes, path: Path) -> etree._Element:
    try:
        root = etree.fromstring(raw, etree.XMLParser(**_SAFE_PARSER))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: not valid XLIFF: not well-formed XML ({exc})") from None
    if etree.QName(root).localname != "xliff":
        raise InputError(f"{path}: not an XLIFF file (root element is <{etree.QName(root).localname}>)")
    return root


def _short(lang: str | None) -> str | None:
    """'en-US' -> 'en': align's languages are ISO 639-1."""
    return lang.split("-")[0].split("_")[0].lower() if lang else None


def _xliff1(raw: bytes, path: Path) -> tuple[list[FileUnit], dict[str, int], tuple[str | None, str | None]]:
    from translate.storage.xliff import xlifffile

    store = _parsed(xlifffile, raw, path)
    files = {u.getid().split("\x04")[0] for u in store.units if "\x04" in (u.getid() or "")}
    units, skipped = [], {"untranslated": 0, "not translatable": 0}
    for u in store.units:
        if not u.istranslatable():
            skipped["not translatable"] += 1
            continue
        fid, _, uid = (u.getid() or "").rpartition("\x04")
        unit_id = f"{fid}#{uid}" if len(files) > 1 and fid else uid
        target_el = u.getlanguageNode(lang=None, index=1)
        unit = _unit(unit_id, u.getlanguageNode(lang=None, index=0), target_el,
                     _state_1(u, target_el), u.getnotes() or None)
        if unit is None:
            skipped["untranslated"] += 1
        else:
            units.append(unit)
    return units, _nonzero(skipped), (store.getsourcelanguage(), store.gettargetlanguage())


def _state_1(u: object, target_el: etree._Element | None) -> str | None:
    state = target_el.get("state") if target_el is not None else None
    if state:
        return state
    return "approved" if getattr(u, "isapproved")() else None


def _xliff2(raw: bytes, path: Path) -> tuple[list[FileUnit], dict[str, int], tuple[str | None, str | None]]:
    from translate.storage.xliff2 import Xliff2File

    store = _parsed(Xliff2File, raw, path)
    units, skipped = [], {"untranslated": 0, "not translatable": 0}
    for u in store.units:
        unit_el = u.getunitelement()
        if unit_el.get("translate") == "no":
            skipped["not translatable"] += 1
            continue
        seg = u.xmlelement
        notes = "\n".join(n.text.strip() for n in unit_el.iter(f"{{{XLIFF_20}}}note") if n.text and n.text.strip())
        unit = _unit(u.getid() or "", seg.find(f"{{{XLIFF_20}}}source"), seg.find(f"{{{XLIFF_20}}}target"),
                     seg.get("state") or None, notes or None)
        if unit is None:
            skipped["untranslated"] += 1
        else:
            units.append(unit)
    return units, _nonzero(skipped), (store.getsourcelanguage(), store.gettargetlanguage())


def _parsed(store_class: type, raw: bytes, path: Path) -> object:
    try:
        return store_class.parsestring(raw)
    except (ValueError, AssertionError, etree.XMLSyntaxError) as exc:
        raise InputError(f"{path}: not a readable XLIFF file ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


def _unit(unit_id: str, source: etree._Element | None, target: etree._Element | None, state: str | None,
          notes: str | None) -> FileUnit | None:
    """The unit's texts, or None when there is no translation to check."""
    src_text, src_tagged = content(source)
    tgt_text, tgt_tagged = content(target)
    if not tgt_text or not src_text:
        return None
    return FileUnit(unit=unit_id, source=src_text, translation=tgt_text,
                    source_tagged=src_tagged if src_tagged != src_text else None,
                    translation_tagged=tgt_tagged if tgt_tagged != tgt_text else None,
                    state=state, notes=notes)


def content(element: etree._Element | None) -> tuple[str, str]:
    """(plain text, text with its inline tags) of a <source> or <target>, whitespace normalised.

    Codes (CODE_ELEMENTS) add nothing to the plain text; their markup, content
    included, stays in the tagged text, written without namespace prefixes.
    """
    if element is None:
        return "", ""
    plain: list[str] = []
    tagged: list[str] = []
    _walk(element, plain, tagged, code=False)
    return " ".join("".join(plain).split()), " ".join("".join(tagged).split())


def _walk(element: etree._Element, plain: list[str], tagged: list[str], *, code: bool) -> None:
    if element.text:
        tagged.append(escape(element.text))
        if not code:
            plain.append(element.text)
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            if child.tail:
                tagged.append(escape(child.tail))
                if not code:
                    plain.append(child.tail)
            continue
        name = etree.QName(child).localname
        attrs = "".join(f" {etree.QName(k).localname}={quoteattr(v)}" for k, v in child.attrib.items())
        if name == "cp" and child.get("hex"):  # XLIFF 2.0: a character XML cannot carry
            try:
                char = chr(int(child.get("hex", ""), 16))
            except ValueError:
                char = ""
            if not code:
                plain.append(char)
            tagged.append(f"<cp{attrs}/>")
        elif len(child) or child.text:
            tagged.append(f"<{name}{attrs}>")
            _walk(child, plain, tagged, code=code or name in CODE_ELEMENTS)
            tagged.append(f"</{name}>")
        else:
            tagged.append(f"<{name}{attrs}/>")
        if child.tail:
            tagged.append(escape(child.tail))
            if not code:
                plain.append(child.tail)
