"""Readers for the files translators and monitors really have, each in its own module.

- `xliff` and `po`: localisation files for `align score` (units already aligned),
  read with translate-toolkit; they give `LocalisationFile`.
- `html_page` and `docx`: documents for `align compare`; they give the text to
  align, which is saved beside the report so that offsets index it.

`localisation_reader` and `document_reader` are the only hooks the rest of
align calls: they choose a reader by file type, or say there is none.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...model import Document

LOCALISATION_SUFFIXES = (".xlf", ".xliff", ".po", ".pot")


@dataclass(frozen=True)
class FileUnit:
    """One translatable unit (an XLIFF segment, a PO entry): plain texts to check, and where they came from."""

    unit: str  # the id a finding names
    source: str  # plain text, inline tags left out: what is embedded and compared
    translation: str
    source_tagged: str | None = None  # the source with its inline tags, as in the file (None: it has none)
    translation_tagged: str | None = None
    state: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class LocalisationFile:
    """The units of a localisation file worth checking, and what was left out and why."""

    format: str  # e.g. "xliff-1.2", "xliff-2.0", "po"
    units: list[FileUnit]
    source_lang: str | None
    translation_lang: str | None
    sha256: str
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> units left out


def is_localisation_file(path: Path) -> bool:
    return path.suffix.lower() in LOCALISATION_SUFFIXES


def read_localisation(path: Path, source_lang: str | None, translation_lang: str | None) -> LocalisationFile:
    """Read an XLIFF (1.2 or 2.0) or PO file; which one is told by its suffix (XLIFF's version by its root)."""
    if path.suffix.lower() in (".po", ".pot"):
        from .po import read_po

        return read_po(path, source_lang, translation_lang)
    from .xliff import read_xliff

    return read_xliff(path, source_lang, translation_lang)


def read_raw(path: Path) -> bytes:
    """The file's bytes, with the reader's own checks: missing, directory, unreadable, over the size limit."""
    from ...errors import InputError
    from .text import read_bytes

    raw = read_bytes(path)
    if not raw.strip():
        raise InputError(f"{path}: the file is empty")
    return raw



DOCUMENT_SUFFIXES = (".docx", ".html", ".htm", ".xhtml")


def is_url(name: str | Path) -> bool:
    return isinstance(name, str) and name.lower().startswith(("http://", "https://"))


def read_input(name: str | Path, lang: str | None) -> Document:
    """One side of `align compare`: a text file, a DOCX, a saved web page, or an http(s) URL (fetched only
    because the user named it). Documents other than text carry the extracted text and say so."""
    from .text import read_document

    if is_url(name):
        from .html_page import read_url

        return read_url(str(name), lang)
    path = Path(name)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from .docx import read_docx

        return read_docx(path, lang)
    if suffix in (".html", ".htm", ".xhtml"):
        from .html_page import read_html_file

        return read_html_file(path, lang)
    return read_document(path, lang)


def input_stem(name: str | Path) -> str:
    """A name for reports: a file's stem, or a URL's last path part ('https://x.kz/news/123.html' -> '123')."""
    if not is_url(name):
        return Path(name).stem
    from urllib.parse import urlsplit

    url = urlsplit(str(name))
    last = [part for part in url.path.split("/") if part]
    stem = Path(last[-1]).stem if last else url.hostname or "page"
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in stem) or "page"
