"""DOCX for `align compare`: the body's paragraphs as lines of text, opened with python-docx.

python-docx is the maintained library for .docx; it opens and checks the
package and gives the document's XML, which is walked here because its
`Paragraph.text` has no notion of tracked changes. What becomes text:

- every paragraph of the body in document order, one line each, including
  headings, list items (their automatic numbers and bullets are formatting,
  not text) and paragraphs in table cells (row by row, cell by cell);
  empty paragraphs are dropped;
- tracked changes are read as if accepted: text inside <w:ins> and
  <w:moveTo> is kept, text inside <w:del> and <w:moveFrom> (and any
  <w:delText>) is dropped;
- comments are never read: their text lives in comments.xml, which is not
  opened, and the range marks in the body carry no text;
- field codes (<w:instrText>, e.g. HYPERLINK "...") are dropped, their shown
  results kept; a tab or a line break inside a paragraph is a space;
- headers, footers, footnotes, endnotes and text boxes are not read.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from ...errors import InputError
from ...model import Document
from . import read_raw

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DROPPED = {f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{W}delInstrText", f"{W}commentReference",
            f"{W}txbxContent", f"{W}footnoteReference", f"{W}endnoteReference"}
_SPACE = {f"{W}tab", f"{W}br", f"{W}cr"}


def extractor() -> str:
    from importlib.metadata import version

    return f"docx (python-docx {version('python-docx')})"


def docx_text(raw: bytes, name: str) -> str:
    """The text of a .docx's body, one paragraph a line (see the module's docstring for what is kept)."""
    import docx

    try:
        body = docx.Document(io.BytesIO(raw)).element.body
    except Exception as exc:  # OpcError, zipfile.BadZipFile, KeyError, lxml XMLSyntaxError: a broken package
        raise InputError(f"{name}: not a readable DOCX file ({_reason(exc)})") from None
    lines = []
    for paragraph in body.iter(f"{W}p"):
        if any(a.tag in _DROPPED for a in paragraph.iterancestors()):
            continue  # a paragraph inside a deletion or a text box
        text = " ".join(_paragraph_text(paragraph).split())
        if text:
            lines.append(text)
    return "\n".join(lines) + ("\n" if lines else "")


def _paragraph_text(paragraph: object) -> str:
    out: list[str] = []

    def walk(el: object) -> None:
        for child in el:  # type: ignore[attr-defined]
            tag = child.tag
            if tag in _DROPPED or tag == f"{W}p":  # nested paragraphs (text boxes) are their own lines
                continue
            if tag == f"{W}t":
                out.append(child.text or "")
            elif tag in _SPACE:
                out.append(" ")
            else:
                walk(child)

    walk(paragraph)
    return "".join(out)


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def read_docx(path: Path, lang: str | None) -> Document:
    from .text import text_document

    raw = read_raw(path)
    return text_document(str(path), docx_text(raw, str(path)), lang, sha256=hashlib.sha256(raw).hexdigest(),
                         encoding="docx", extracted=extractor())
