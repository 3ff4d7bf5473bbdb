"""align: check that a translation faithfully renders its source.

The library API (`align.api`) does what the command line does and returns typed results:

    import align

    report = align.compare("en.txt", "ru.txt", source_lang="ru")
    print(report.verdict.label, [f.key for f in report.findings])

Names load on first use, so `align --help` does not pay for the pipeline's imports.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import check, compare, load_encoder, score
    from .errors import AlignError, InputError, ModelError
    from .model import (
        Alignment,
        Document,
        Finding,
        FindingKind,
        Segment,
        Severity,
        Verdict,
        VerdictKind,
    )
    from .steps.embed.encoders import Encoder
    from .steps.report import Report, ReviewedSegment

_WHERE = {
    "compare": "api", "score": "api", "check": "api", "load_encoder": "api",
    "Report": "steps.report", "ReviewedSegment": "steps.report",
    "Document": "model", "Segment": "model", "Alignment": "model", "Finding": "model", "FindingKind": "model",
    "Severity": "model", "Verdict": "model", "VerdictKind": "model",
    "Encoder": "steps.embed.encoders", "AlignError": "errors", "InputError": "errors", "ModelError": "errors",
}
__all__ = [
    "compare", "score", "check", "load_encoder", "Report", "ReviewedSegment", "Document", "Segment", "Alignment",
    "Finding", "FindingKind", "Severity", "Verdict", "VerdictKind", "Encoder", "AlignError", "InputError", "ModelError",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'align' has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
