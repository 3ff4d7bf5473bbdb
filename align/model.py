"""Plain data that flows one way through the pipeline.

read -> segment -> embed -> align -> classify -> report

Every stage takes and returns these dataclasses; no stage imports a later one.
Offsets are character offsets into the decoded text of the original file
(`Document.text`), so a reviewer can always find a segment in the file as it was.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Document:
    """One side of a pair, decoded but otherwise untouched."""

    path: str
    lang: str  # ISO 639-1, e.g. "en", "ru" ("" until detected, for a document given as text)
    text: str  # decoded text exactly as in the file (a BOM is dropped, newlines kept)
    sha256: str  # of the raw bytes on disk
    encoding: str  # e.g. "utf-8", "utf-8-sig", "cp1251", "koi8-r"
    # For a web page or a DOCX: the format and extractor the text came from, e.g. "html (trafilatura 2.3.1)";
    # `text` is then the extracted text (saved beside the report), not the file's bytes.
    extracted: str | None = None

    @classmethod
    def from_text(cls, text: str, lang: str | None = None, name: str = "<text>") -> Document:
        """A document given as text rather than a file (the library API); an empty `lang` is
        detected when the document is read in, with the same checks as a file's text."""
        return cls(path=name, lang=lang or "", text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                   encoding="utf-8")


@dataclass(frozen=True)
class Origin:
    """The unit of a localisation file (XLIFF, PO) a segment came from, so every finding can name it."""

    unit: str  # the unit's id in the file (XLIFF unit/segment id, PO msgctxt::msgid)
    tagged: str | None = None  # the text with its inline tags as in the file, when it has any
    state: str | None = None  # the file's state for the unit, e.g. translated, needs-review-translation, fuzzy
    notes: str | None = None  # the unit's notes (translator and developer comments), joined by newlines


# Two letters in a row, a number of three digits, or one CJK character (a word on its own).
_WORD_LIKE = re.compile(r"[^\W\d_]{2}|\d{3}|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def is_debris(text: str) -> bool:
    """Whether a segment's text holds no word: layout or OCR debris («.....», «f r», «24 a !»).

    It renders nothing and nothing renders it: the aligner never ends a link on
    one, and it is boilerplate, never an omission or an addition. «1. 1950 :»
    and «296-309 ) .» hold numbers a translation keeps, so they are not debris.
    """
    return _WORD_LIKE.search(text) is None


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


class FindingKind(StrEnum):
    """What a finding says happened; the order here is the order a reviewer reads them in."""

    OMISSION = "omission"
    PARTIAL_OMISSION = "partial-omission"
    ADDITION = "addition"
    PARTIAL_ADDITION = "partial-addition"
    DRIFT = "drift"  # split further by its check: similarity, number, name, quote, negation, modality
    BOILERPLATE = "boilerplate"

    @property
    def rank(self) -> int:
        return list(FindingKind).index(self)


class Severity(StrEnum):
    """How much a finding matters, most severe first; info findings are listed but are no divergences."""

    MAJOR = "major"
    MINOR = "minor"
    INFO = "info"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True)
class Finding:
    """One finding: what, how bad, where, and why."""

    id: str  # stable across runs and machines: a hash of the kind and the normalised texts involved
    kind: FindingKind
    check: str | None  # for drift: similarity | number | name | quote | negation | modality
    severity: Severity
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    src_spans: tuple[tuple[int, int], ...]  # character spans in the source file
    tgt_spans: tuple[tuple[int, int], ...]
    detail: str
    evidence: dict[str, object] = field(default_factory=dict)
    # (side, segment index, start, end) within Segment.text, for highlighting inside a sentence
    highlights: tuple[tuple[str, int, int, int], ...] = ()
    units: tuple[str, ...] = ()  # XLIFF/PO: the ids of the file's units it belongs to

    def __post_init__(self) -> None:  # a plain string names the member, so findings read back compare equal
        object.__setattr__(self, "kind", FindingKind(self.kind))
        object.__setattr__(self, "severity", Severity(self.severity))

    @property
    def key(self) -> str:
        return finding_key(self.kind, self.check)

    @property
    def severity_key(self) -> str:
        """`key` and severity, as a threshold key names it: `omission.major`, `drift.number.minor`."""
        return f"{self.key}.{self.severity}"

    def matches(self, key: str) -> bool:
        """'omission' matches every omission, 'omission.major' the major ones, 'drift' every drift."""
        full = self.severity_key
        return full == key or full.startswith(key + ".")


def finding_key(kind: str, check: str | None) -> str:
    """A kind as summaries, thresholds and CI rules name it: `omission`, or `drift.<check>` for drift."""
    return f"drift.{check}" if kind == FindingKind.DRIFT else str(kind)


def key_order(key: str) -> tuple[int, str]:
    """Sort order of finding keys (`omission`, `drift.number`, ...): by kind as `FindingKind` lists them."""
    base = key.split(".", 1)[0]
    try:
        return (FindingKind(base).rank, key)
    except ValueError:
        return (len(FindingKind), key)


class VerdictKind(StrEnum):
    TRANSLATION = "translation"
    PARTIAL_TRANSLATION = "partial-translation"
    NOT_A_TRANSLATION = "not-a-translation"


@dataclass(frozen=True)
class Verdict:
    """What the pair is, as a whole."""

    kind: VerdictKind
    label: str  # e.g. "partial translation with additions"
    source_coverage: float  # share of source characters (boilerplate excluded) rendered
    translation_coverage: float  # share of translation characters (boilerplate excluded) with a source

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", VerdictKind(self.kind))


@dataclass
class Timings:
    """Wall time per stage, in seconds."""

    stages: dict[str, float] = field(default_factory=dict)
