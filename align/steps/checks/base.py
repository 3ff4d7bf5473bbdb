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


class Check(ABC):
    """A text-level drift check; one instance serves every unit of every document."""

    name: str

    @abstractmethod
    def check(self, src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Mismatch]:
        """Mismatches between `src` (in `src_lang`) and its translation `tgt`; [] when none."""
