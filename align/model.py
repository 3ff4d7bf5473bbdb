"""Plain data that flows one way through the pipeline.

read -> segment -> embed -> align -> classify -> report

Every stage takes and returns these dataclasses; no stage imports a later one.
Offsets are character offsets into the decoded text of the original file
(`Document.text`), so a reviewer can always find a segment in the file as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One side of a pair, decoded but otherwise untouched."""

    path: str
    lang: str  # ISO 639-1, e.g. "en", "ru"
    text: str  # decoded text exactly as in the file (a BOM is dropped, newlines kept)
    sha256: str  # of the raw bytes on disk
    encoding: str  # e.g. "utf-8", "utf-8-sig", "cp1251", "koi8-r"
    # For a web page or a DOCX: the format and extractor the text came from, e.g. "html (trafilatura 2.3.1)";
    # `text` is then the extracted text (saved beside the report), not the file's bytes.
    extracted: str | None = None


@dataclass(frozen=True)
class Origin:
    """The unit of a localisation file (XLIFF, PO) a segment came from, so every finding can name it."""

    unit: str  # the unit's id in the file (XLIFF unit/segment id, PO msgctxt::msgid)
    tagged: str | None = None  # the text with its inline tags as in the file, when it has any
    state: str | None = None  # the file's state for the unit, e.g. translated, needs-review-translation, fuzzy
    notes: str | None = None  # the unit's notes (translator and developer comments), joined by newlines


@dataclass(frozen=True)
class Segment:
    """A sentence (or a line that stands alone, such as a headline)."""

    index: int
    text: str  # whitespace-normalised text, what is embedded and shown
    start: int  # [start, end) in Document.text
    end: int
    origin: Origin | None = None  # for `align score` of XLIFF and PO: the unit it belongs to


@dataclass(frozen=True)
class Alignment:
    """A link between source and translation segments.

    `kind` is "m-n" for a monotonic link (e.g. "1-1", "2-1", "1-0", "0-1"),
    or "moved" for a link found after the monotonic pass between content that
    changed places.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    kind: str
    similarity: float | None  # cosine of the joined texts; None for null links

    @staticmethod
    def kind_of(src: tuple[int, ...], tgt: tuple[int, ...]) -> str:
        return f"{len(src)}-{len(tgt)}"


@dataclass
class Timings:
    """Wall time per stage, in seconds."""

    stages: dict[str, float] = field(default_factory=dict)
