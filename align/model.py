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


@dataclass(frozen=True)
class Segment:
    """A sentence (or a line that stands alone, such as a headline)."""

    index: int
    text: str  # whitespace-normalised text, what is embedded and shown
    start: int  # [start, end) in Document.text
    end: int
    # Part of a sentence longer than segment.MAX_SEGMENT_CHARS, cut at a space near the limit:
    # its boundaries are not all sentence ends.
    cut_at_length: bool = False


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
