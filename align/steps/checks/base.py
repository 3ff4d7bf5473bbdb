"""The interface every drift check implements, and what it reports.

A check compares one aligned unit (source text, translation text, each one or
more sentences) and returns what a reviewer should look at. Checks are cheap
and deterministic: they run on every unit of documents of up to 16k sentences,
so they do no model calls and no I/O after their first use.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class Mismatch:
    """One thing that differs between a source and its translation."""

    check: str  # "number" | "name" | "quote" | "negation" | "modality"
    detail: str  # short human reason: "2024 ↔ —", "Herat ↔ —", "1 января 2024 года ↔ January (no day/year)"
    src_values: tuple[str, ...]  # normalised values found only / differently on the source side
    tgt_values: tuple[str, ...]
    src_spans: tuple[tuple[int, int], ...]  # [start, end) in the source text given to the check
    tgt_spans: tuple[tuple[int, int], ...]
    # How strong the evidence is, for the checks that can tell (the name check):
    # "swapped" - the other side has a different value in its place (major);
    # "missing" - the other side has nothing for it (at most minor);
    # "referenced" - the other side refers to it by a pronoun or a title only (informational).
    # None: the check does not grade; its kind decides.
    grade: str | None = None

    @property
    def severity_ceiling(self) -> str | None:
        """The highest severity this evidence supports ("major", "minor", "info"); None = no cap."""
        return GRADE_CEILING.get(self.grade) if self.grade else None


GRADE_CEILING = {"swapped": "major", "missing": "minor", "referenced": "info"}


class Check(ABC):
    """A text-level drift check; one instance serves every unit of every document."""

    name: str

    @abstractmethod
    def check(self, src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Mismatch]:
        """Mismatches between `src` (in `src_lang`) and its translation `tgt`; [] when none."""

    def runs_for(self, src_lang: str, tgt_lang: str) -> bool:
        """Whether the check has what it needs for this pair of languages; one that does not says nothing,
        which a report must not pass off as "nothing found"."""
        return True
