"""A link as the classifier sees it: its joined texts with file offsets, and the clauses of those texts.

Every later step (idle members, clause coverage, findings) reads texts and
spans from these units, so a span always maps back into the original file.
"""
from __future__ import annotations

import math
import re
from functools import cached_property
from typing import Callable, Sequence

import numpy as np

from ...model import Alignment, Segment

Embed = Callable[[Sequence[str]], np.ndarray]


_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:()]|\s[–—-]\s|[«»“”\"])\s*")


def clauses(text: str, min_words: int) -> list[tuple[int, int]]:
    """Spans of the clauses of `text`: split at commas, semicolons, colons, brackets, dashes and quotes.

    Clauses shorter than `min_words` are merged into their shorter neighbour, so
    a list of names or a short aside is judged with its context.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    spans = [(a, b) for a, b in spans if text[a:b].strip(" .!?…")]
    merged = list(spans)
    words = [len(text[a:b].split()) for a, b in merged]
    # The shortest piece under `min_words` joins its shorter neighbour, until none is left: "как минимум,
    # на два лагеря" stays one clause of its own rather than disappearing into the one before.
    while len(merged) > 1:
        k = min(range(len(merged)), key=lambda k: (words[k], k))
        if words[k] >= min_words:
            break
        if k == 0 or (k + 1 < len(merged) and words[k + 1] < words[k - 1]):
            k += 1  # join the next piece: merge pieces k-1 and k below
        a, b = merged[k - 1][0], merged[k][1]
        merged[k - 1 : k + 1] = [(a, b)]
        words[k - 1 : k + 1] = [len(text[a:b].split())]
    return merged


def side_clauses(u: "Unit", side: str, min_words: int) -> list[tuple[int, int]]:
    """Clauses of one side of a unit, in its joined text, each within one segment.

    A link may join several sentences; a clause that ran from one into the
    next would hide a whole sentence inside a larger piece.
    """
    text = u.src_text if side == "src" else u.tgt_text
    out: list[tuple[int, int]] = []
    for seg, offset in u.starts(side):
        if text[offset : offset + len(seg.text)] != seg.text:
            return clauses(text, min_words)  # the joined text is not the segments' (never seen): split it whole
        out.extend((offset + a, offset + b) for a, b in clauses(seg.text, min_words))
    return out


class Unit:
    """An alignment with its joined texts and the file offset of every character of them."""

    def __init__(self, a: Alignment, src: list[Segment], tgt: list[Segment], src_file: str, tgt_file: str):
        self.a = a
        self.all_src, self.all_tgt, self.files = src, tgt, (src_file, tgt_file)
        self.src_segs = [src[i] for i in a.src]
        self.tgt_segs = [tgt[j] for j in a.tgt]
        self.src_text, self.src_map = _joined(self.src_segs, src_file)
        self.tgt_text, self.tgt_map = _joined(self.tgt_segs, tgt_file)

    @cached_property
    def src_checked(self) -> str:
        """The joined source as the text checks read it (`_for_checks`)."""
        return _for_checks(self.src_text, self.starts("src"))

    @cached_property
    def tgt_checked(self) -> str:
        """The joined translation as the text checks read it (`_for_checks`)."""
        return _for_checks(self.tgt_text, self.starts("tgt"))

    def starts(self, side: str) -> list[tuple[Segment, int]]:
        """Each segment of one side with the offset where it starts in that side's joined text."""
        out: list[tuple[Segment, int]] = []
        offset = 0
        for seg in self.src_segs if side == "src" else self.tgt_segs:
            out.append((seg, offset))
            offset += len(seg.text) + 1
        return out

    def relinked(self, src: tuple[int, ...], tgt: tuple[int, ...], similarity: float) -> "Unit":
        """A link of these segments of the same documents, with the cosine they score together."""
        return Unit(Alignment(src, tgt, Alignment.kind_of(src, tgt), similarity), self.all_src, self.all_tgt,
                     *self.files)


def _joined(segments: list[Segment], file_text: str) -> tuple[str, list[int]]:
    """Segments joined by one space, with each character's offset in the original file."""
    parts: list[str] = []
    offsets: list[int] = []
    for seg in segments:
        if parts:
            parts.append(" ")
            offsets.append(offsets[-1] + 1 if offsets else seg.start)
        # Rebuild the whitespace-collapsed text from the file so offsets are exact.
        raw = file_text[seg.start : seg.end]
        last_space = True
        for k, ch in enumerate(raw):
            if ch.isspace():
                if not last_space:
                    parts.append(" ")
                    offsets.append(seg.start + k)
                last_space = True
            else:
                parts.append(ch)
                offsets.append(seg.start + k)
                last_space = False
        if parts and parts[-1] == " ":
            parts.pop()
            offsets.pop()
    return "".join(parts), offsets


def _for_checks(text: str, starts: list[tuple[Segment, int]]) -> str:
    """`text` with a line break, not a space, before each segment that follows one ending without a full
    stop: the text checks read a capital after a line break as a sentence start, and every segment starts
    one ("10 - Photo Indian Air Force" then "Officiellement , le Lhotsé ..." names no Officiellement).

    Same length as `text`, so the checks' spans still index it.
    """
    chars = list(text)
    for _, offset in starts[1:]:
        if offset >= 2 and text[offset - 1] == " " and text[offset - 2] not in ".!?…:":
            chars[offset - 1] = "\n"
    return "".join(chars)


def unit_parts(u: Unit, side: str, min_words: int) -> list[str]:
    """Each sentence of one side of a unit and each clause (of `min_words` or more) of those sentences."""
    out = []
    for i in (u.a.src if side == "src" else u.a.tgt):
        text = (u.all_src if side == "src" else u.all_tgt)[i].text
        out.append(text)
        out.extend(text[a:b] for a, b in clauses(text, min_words))
    return out


def log_ratio(src_chars: int, tgt_chars: int) -> float:
    return math.log(max(tgt_chars, 1) / max(src_chars, 1))


def joined_text(segs: list[Segment], idx: tuple[int, ...]) -> str:
    return " ".join(segs[i].text for i in idx)


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def span_highlights(u: Unit, side: str, span: tuple[int, int]) -> tuple[tuple[str, int, int, int], ...]:
    """A span of a unit's joined text as spans inside each segment's own text."""
    out = []
    for seg, pos in u.starts(side):
        a, b = max(span[0], pos), min(span[1], pos + len(seg.text))
        if a < b:
            out.append((side, seg.index, a - pos, b - pos))
    return tuple(out)


def file_span(mapping: list[int], span: tuple[int, int]) -> tuple[int, int]:
    a, b = span
    if not mapping or a >= b:
        return (0, 0)
    return (mapping[min(a, len(mapping) - 1)], mapping[min(b, len(mapping)) - 1] + 1)
