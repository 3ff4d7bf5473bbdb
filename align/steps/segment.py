"""Split a document into sentences with offsets into its untouched text.

A library segmenter (razdel for Russian and other Cyrillic languages, sentencex
for languages that end sentences with marks of their own script — `。`, `।`, `؟`,
`։`, `።`, Greek `;` — and nupunkt elsewhere) splits each line; a few small rules
on top handle what the libraries get wrong on scraped news text (see MEASUREMENTS.md,
"Sentence splitting"):

- every line break is a sentence boundary, except that a line without final
  punctuation is joined to the next when that one starts in lower case (text
  hard-wrapped mid-sentence); a headline or menu line stays a segment of its own;
- sentences glued without a space after `!`, `?` or `…` are split
  (`соотечественники!От всей`), never after `.`, which would break `Akorda.kz`;
- known false splits of the libraries are joined again (`млн долл. | США`,
  `K.-J. | Tokayev`).

The text is never rewritten: line breaks are replaced by spaces of the same
length before splitting, so every span indexes `Document.text` directly.

Work is bounded: a sentence longer than `MAX_SEGMENT_CHARS` (a line with no
punctuation, a table dumped as one line) is cut at a space near the limit into
pieces flagged `cut_at_length`, and a side over `MAX_DOCUMENT_CHARS` characters
or `MAX_SEGMENTS` segments is refused (`check_document_size`,
`check_segment_count`): embedding such a file would take hours.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache, partial
from importlib.metadata import version
from typing import Protocol

from ..errors import InputError
from ..model import Document, Segment

# A longer sentence is cut into pieces of at most this many characters. The longest sentence of the
# Text+Berg dev set has 686; 1,000 characters stay within the model's 512-token window in the
# languages measured, so each piece is embedded as one context.
MAX_SEGMENT_CHARS = 1_000
# Per side. bench/speed.py's 16,000 sentences (about 2 million characters a side) take 22 minutes
# on 2 cores; these allow twice that (about 45 minutes), a long book, and refuse what would take hours.
MAX_DOCUMENT_CHARS = 4_000_000
MAX_SEGMENTS = 40_000


class Segmenter(Protocol):
    """A sentence splitter for one piece of text without line breaks."""

    name: str  # library and version, e.g. "razdel-0.5.0", recorded in reports

    def split(self, line: str) -> list[tuple[int, int]]:
        """[start, end) spans of the sentences in `line`, in order."""
        ...


class RazdelSegmenter:
    """razdel: rule-based, knows Russian abbreviations and initials (`С.М. Киров`, `т.е.`)."""

    def __init__(self) -> None:
        from razdel import sentenize

        self._sentenize = sentenize
        self.name = f"razdel-{version('razdel')}"

    def split(self, line: str) -> list[tuple[int, int]]:
        return [(s.start, s.stop) for s in self._sentenize(line)]


class NupunktSegmenter:
    """nupunkt: punkt with a model inside the wheel (no download); English abbreviations, quotes."""

    def __init__(self) -> None:
        import nupunkt

        self._tokenizer = nupunkt.load("default")
        self.name = f"nupunkt-{version('nupunkt')}"

    def split(self, line: str) -> list[tuple[int, int]]:
        return list(self._tokenizer.span_tokenize(line))


class SentencexSegmenter:
    """sentencex (Wikimedia): rules for about 250 languages, with each script's own sentence-final marks."""

    def __init__(self, lang: str) -> None:
        from sentencex import get_sentence_boundaries

        self._boundaries = get_sentence_boundaries
        self._lang = lang
        self.name = f"sentencex-{version('sentencex')}"

    def split(self, line: str) -> list[tuple[int, int]]:
        spans = [(b["start_index"], b["end_index"]) for b in self._boundaries(self._lang, line)]
        return [piece for a, b in spans for piece in _split_at_script_stops(line, a, b)]


# Sentence ends that never close an abbreviation. sentencex keeps a quotation of several sentences whole
# ("“援助已提供。工作仍在继续。我们必须停下来，”他说。" is one segment), as news quotes whole paragraphs;
# split after each such mark unless a closing quote or bracket follows, which stays with its sentence.
_SCRIPT_STOP = re.compile(r"[。！？।॥؟۔։።။]+(?![\s]*[”’」』）》〉»\"')\]])")


def _split_at_script_stops(line: str, start: int, end: int) -> list[tuple[int, int]]:
    return _pieces(start, [m.end() for m in _SCRIPT_STOP.finditer(line, start, end) if line[m.end():end].strip()], end)


def _pieces(start: int, cuts: list[int], end: int) -> list[tuple[int, int]]:
    """[start, end) cut at `cuts` (ascending, inside it)."""
    bounds = [start, *cuts, end]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


# Languages written in Cyrillic: razdel's rules (punctuation, case, Russian abbreviations and
# initials) carry over to them far better than punkt's English model, which splits `В.В. | Путин`.
CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tg", "mn", "tt", "ba"})

# Languages whose sentences end with marks punkt's English model does not know: Chinese and
# Japanese `。！？`, the danda `।` (Hindi, Bengali, Nepali, Punjabi...), Arabic-script `؟` and Urdu
# `۔`, Armenian `։`, Ethiopic `።`, Burmese `။`, the Greek question mark `;`. nupunkt left each
# paragraph of these whole, one segment; sentencex splits them (tests/test_segment.py).
SCRIPT_MARK_LANGUAGES = frozenset({
    "zh", "ja",
    "hi", "bn", "ne", "pa", "as", "or", "sa", "mr",
    "ar", "fa", "ur", "ps", "sd", "ug", "ckb",
    "hy", "am", "ti", "my", "el",
})

# Language -> factory. Anything not listed falls back to nupunkt: its model is English,
# but punkt's punctuation-and-case logic works passably for other space-separated
# languages (a known weak spot, German ordinals `23. November`, is repaired below).
SEGMENTERS: dict[str, Callable[[], Segmenter]] = {lang: RazdelSegmenter for lang in CYRILLIC_LANGUAGES}
SEGMENTERS.update({lang: partial(SentencexSegmenter, lang) for lang in SCRIPT_MARK_LANGUAGES})
SEGMENTERS["en"] = NupunktSegmenter
FALLBACK: Callable[[], Segmenter] = NupunktSegmenter


@cache
def _instance(factory: Callable[[], Segmenter]) -> Segmenter:
    return factory()


def get_segmenter(lang: str) -> Segmenter:
    """The segmenter registered for `lang`, or the fallback; one shared instance per kind."""
    return _instance(SEGMENTERS.get(lang, FALLBACK))


def segmenter_signature(lang: str) -> str:
    """Name and version of the segmenter used for `lang`, for reports."""
    return get_segmenter(lang).name


# --- rules ------------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WHITESPACE = re.compile(r"\s+")
_SPACE = re.compile(r"\s")
_CLAUSE_END = frozenset(",;:–—")
_FINAL_PUNCTUATION = frozenset(".!?…:;»\"”“'’" "。！？」』।॥؟۔։።။")  # the second string: other scripts' marks
_GLUED = re.compile(r"[!?…](?=[^\W\d_]{2})")
# (end of the left piece, start of the right piece): a library's known false split.
_FALSE_SPLITS = [
    (re.compile(r"\bдолл\.$"), re.compile(r"^США\b")),  # razdel: "5 млн долл. | США"
    (re.compile(r"(?:^|[\s(«“\"])[A-ZА-ЯЁ]\.-[A-ZА-ЯЁ]\.$"), re.compile(r"^[A-ZА-ЯЁ]")),  # nupunkt: "K.-J. | Tokayev"
    # sentencex: a Japanese quotation and the particle that reports it, "「行きます。」| と言った。"
    (re.compile(r"[」』]$"), re.compile(r"^(?:と|って)")),
    # nupunkt: a day written as an ordinal, "am 24. | Februar 2023" (German, and the languages that write
    # dates so: Danish, Norwegian, Czech...). A sentence ending in a bare number right before a month's
    # name is rarer than every such date.
    (re.compile(r"(?:^|\s)\d{1,2}\.$"), re.compile(
        r"^(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
        r"januar|februar|marts|mars|april|maj|mai|juni|juli|august|september|oktober|november|december|desember|"
        r"ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince)\b")),
]


def segment(doc: Document) -> list[Segment]:
    """Sentences of a document, with spans into `doc.text`."""
    return segment_text(doc.text, doc.lang)


def segment_text(text: str, lang: str) -> list[Segment]:
    """Sentences of `text` in language `lang` (ISO 639-1)."""
    splitter = get_segmenter(lang)
    spans: list[tuple[int, int]] = []
    for start, end in _blocks(text):
        block = text[start:end].replace("\r", " ").replace("\n", " ")  # same length: offsets hold
        pieces = [p for a, b in splitter.split(block) for p in _split_glued(block, a, b)]
        spans.extend((start + a, start + b) for a, b in _join_false_splits(block, pieces))
    return _segments(text, spans)


def segment_lines(text: str) -> list[Segment]:
    """One segment per non-blank line, for input that is already split into sentences."""
    return _segments(text, [(a, b) for a, b in _lines(text) if text[a:b].strip()])


def _lines(text: str) -> list[tuple[int, int]]:
    """[start, end) of every line, without its line break (`\\r\\n`, `\\r` or `\\n`)."""
    lines, start = [], 0
    for m in _LINE_BREAK.finditer(text):
        lines.append((start, m.start()))
        start = m.end()
    lines.append((start, len(text)))
    return lines


def _blocks(text: str) -> list[tuple[int, int]]:
    """Runs of lines to split as one piece: a line is joined to the next only when it has
    no final punctuation and the next starts in lower case (hard-wrapped text)."""
    blocks: list[tuple[int, int]] = []
    joinable = False  # the previous non-blank line may continue on this one
    for a, b in _lines(text):
        stripped = text[a:b].strip()
        if not stripped:
            joinable = False
            continue
        if joinable and stripped[0].islower():
            blocks[-1] = (blocks[-1][0], b)
        else:
            blocks.append((a, b))
        joinable = stripped[-1] not in _FINAL_PUNCTUATION
    return blocks


def _split_glued(block: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split `...!От всей` after `!`, `?` or `…` followed by an upper- then a lower-case letter."""
    cuts = [
        m.end()
        for m in _GLUED.finditer(block, start, end)
        if block[m.end()].isupper() and block[m.end() + 1].islower()
    ]
    return _pieces(start, cuts, end)


def _join_false_splits(block: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for a, b in spans:
        if joined:
            left = block[joined[-1][0] : joined[-1][1]].rstrip()
            right = block[a:b].lstrip()
            if any(end.search(left) and begin.search(right) for end, begin in _FALSE_SPLITS):
                joined[-1] = (joined[-1][0], b)
                continue
        joined.append((a, b))
    return joined


def _segments(text: str, spans: list[tuple[int, int]]) -> list[Segment]:
    """Trim each span to its non-space text, cut any over MAX_SEGMENT_CHARS, number the non-empty ones."""
    segments: list[Segment] = []
    for a, b in spans:
        a, b = _trimmed(text, a, b)
        if b <= a:
            continue
        pieces = _cut_to_length(text, a, b) if b - a > MAX_SEGMENT_CHARS else [(a, b)]
        for start, end in pieces:
            segments.append(Segment(len(segments), _WHITESPACE.sub(" ", text[start:end]), start, end,
                                    cut_at_length=len(pieces) > 1))
    return segments


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    piece = text[a:b]
    stripped = piece.lstrip()
    a += len(piece) - len(stripped)
    return a, a + len(stripped.rstrip())


def _cut_to_length(text: str, a: int, b: int, limit: int = MAX_SEGMENT_CHARS) -> list[tuple[int, int]]:
    """[a, b) as trimmed pieces of at most `limit` characters, each cut in the last space of its
    second half, after a comma, semicolon, colon or dash if there is one; where there is no space
    (a language written without them, a blob), at the limit, never before a combining mark."""
    pieces: list[tuple[int, int]] = []
    while b - a > limit:
        window = text[a : a + limit + 1]  # the character after a piece may be the space it ends at
        spaces = [m.start() for m in _SPACE.finditer(window, limit // 2)]
        after_clause = [i for i in spaces if window[i - 1] in _CLAUSE_END]
        cut = (after_clause or spaces or [limit])[-1]
        while not (after_clause or spaces) and cut > 1 and unicodedata.combining(window[cut]):
            cut -= 1
        pieces.append(_trimmed(text, a, a + cut))
        a += cut
        while text[a].isspace():  # b ends in a non-space: the loop stops there at the latest
            a += 1
    pieces.append((a, b))
    return pieces


def check_document_size(doc: Document) -> None:
    """Refuse a side whose text alone would take hours to embed, before any model is loaded."""
    if len(doc.text) > MAX_DOCUMENT_CHARS:
        raise InputError(
            f"{doc.path}: {len(doc.text):,} characters, over the limit of {MAX_DOCUMENT_CHARS:,} a side "
            "(about 45 minutes of work); split the document into parts and compare them one by one"
        )


def check_segment_count(path: str, segments: Sequence[Segment]) -> None:
    """Refuse a side with more segments than align compares in under an hour."""
    if len(segments) > MAX_SEGMENTS:
        raise InputError(
            f"{path}: {len(segments):,} segments, over the limit of {MAX_SEGMENTS:,} a side "
            "(about 45 minutes of work); split the document into parts and compare them one by one"
        )
