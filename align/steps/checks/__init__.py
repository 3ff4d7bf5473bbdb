"""Cheap, deterministic, text-level checks for paraphrase drift in an aligned unit.

Each check compares the source and the translation of one aligned unit and
lists what a reviewer should look at: numbers and dates (`number`), names
(`name`), quoted speech (`quote`), negation (`negation`) and modality
(`modality`). They share one interface (`Check`) and one result type
(`Mismatch`); what differs between languages lives in `languages.py`, so a
new language is a new profile, not a new check.

Nothing heavy is imported here: the number-word and transliteration libraries
load on first use.
"""
from __future__ import annotations

from . import languages
from .base import Check, Mismatch
from .names import Name, NameCheck, equivalents_signature, extract_names
from .numbers import DateValue, NumberCheck, Quantity, compare, extract_numbers
from .polarity import ModalityCheck, NegationCheck, modals, negations
from .quotes import QuoteCheck, quote_spans

__all__ = [
    "Check", "Mismatch", "Quantity", "DateValue", "Name",
    "NumberCheck", "NameCheck", "QuoteCheck", "NegationCheck", "ModalityCheck",
    "all_checks", "run_all", "extract_numbers", "extract_names", "quote_spans",
    "negations", "modals", "compare", "signature", "languages", "reading",
]

_CHECKS: tuple[type[Check], ...] = (NumberCheck, NameCheck, QuoteCheck, NegationCheck, ModalityCheck)


def all_checks() -> list[Check]:
    """One instance of every check, in a stable order."""
    return [cls() for cls in _CHECKS]


def run_all(src: str, tgt: str, src_lang: str, tgt_lang: str, checks: list[Check] | None = None) -> list[Mismatch]:
    """Every mismatch of every check for one aligned unit."""
    out: list[Mismatch] = []
    for c in checks if checks is not None else all_checks():
        out.extend(c.check(src, tgt, src_lang, tgt_lang))
    return out


def reading(src_lang: str, tgt_lang: str) -> dict[str, object]:
    """What the checks know of this pair, for the report: each side's language profile and where it comes
    from, and the checks that cannot run for these languages (they found nothing because they did not look)."""
    return {
        "profiles": {side: f"{lang or 'und'}: {languages.origin(lang)}"
                     for side, lang in (("source", src_lang), ("translation", tgt_lang))},
        "not_run": [c.name for c in all_checks() if not c.runs_for(src_lang, tgt_lang)],
    }


def _version(dist: str) -> str:
    from importlib import metadata  # 20 ms to import: only when a report is signed

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


def signature() -> str:
    """Libraries and data behind the checks, for the report signature."""
    return (
        f"checks: number-parser-{_version('number-parser')}, text2num-{_version('text2num')}, cn2an-{_version('cn2an')}, "
        f"iuliia-{_version('iuliia')}, anyascii-{_version('anyascii')}, jellyfish-{_version('jellyfish')}, "
        f"babel-{_version('babel')} (CLDR territory and language names, profiles of languages without a written one), "
        f"equivalents-{equivalents_signature()}, "
        f"languages-{languages.profiles_signature()}"
    )
