"""Turn a `Comparison` into report.json, deterministically, and write it atomically.

Everything in the report is a function of the inputs, the model and the
settings, except the `run` object (timestamp, stage timings, cache use), which
says how this particular run went. Two runs on the same inputs therefore give
byte-identical files once `run` is set aside.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from .classify import Divergence, as_dict as finding_dict
from .model import Alignment, Document, Origin, Segment
from .pipeline import Comparison

SCHEMA_VERSION = "1.2"
SCHEMA_ID = "https://align.invalid/schema/report-1.2.json"


def package_version() -> str:
    try:
        return metadata.version("align")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def signature(c: Comparison) -> str:
    """Every setting and version behind the report, in one line (as sacrebleu does for scores)."""
    from .checks import signature as checks_signature

    def knobs(name: str) -> str:
        a = c.settings.get(name)
        if not isinstance(a, dict):
            return "given" if name == "align" else "none"
        return ",".join(f"{k}={a[k]}" for k in sorted(a))

    return "|".join(
        [
            f"align:{package_version()}",
            f"model:{c.model}",
            f"seg.src:{c.segmenters['source']}",
            f"seg.tgt:{c.segmenters['translation']}",
            f"aligner:{knobs('align')}",
            f"classifier:{knobs('classify')}",
            checks_signature(),
        ]
    )


def alignment_counts(alignments: list[Alignment]) -> dict[str, int]:
    counts = Counter(a.kind for a in alignments)
    return {k: counts[k] for k in sorted(counts, key=_kind_order)}


def _kind_order(kind: str) -> tuple[int, int, int]:
    if kind == "moved":
        return (1, 0, 0)
    m, _, n = kind.partition("-")
    return (0, int(m) if m.isdigit() else 99, int(n) if n.isdigit() else 99)


def _document(doc: Document, side: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "path": doc.path,
        "sha256": doc.sha256,
        "lang": doc.lang,
        "encoding": doc.encoding,
        "chars": len(doc.text),
    }
    if doc.extracted:  # a web page or a DOCX: offsets index the text saved beside the report
        from .formats import EXTRACTED_FILE

        out["extracted"] = {"by": doc.extracted, "text_file": EXTRACTED_FILE.format(side=side)}
    return out


def _segments(segments: list[Segment], status: list[str], boilerplate: dict[int, str]) -> list[dict[str, Any]]:
    out = []
    for s in segments:
        item: dict[str, Any] = {"index": s.index, "text": s.text, "start": s.start, "end": s.end, "status": status[s.index]}
        if s.index in boilerplate:
            item["boilerplate"] = boilerplate[s.index]
        if s.origin is not None:
            item.update(_origin(s.origin))
        out.append(item)
    return out


def _origin(o: Origin) -> dict[str, str]:
    """The unit of an XLIFF or PO file a segment came from: its id, and its tagged text, state and notes if any."""
    fields = {"unit": o.unit, "tagged": o.tagged, "state": o.state, "notes": o.notes}
    return {k: v for k, v in fields.items() if v is not None}


def _finding(f: Divergence, c: Comparison) -> dict[str, Any]:
    """A finding as JSON; with the ids of the units it belongs to when the segments came from units."""
    d = finding_dict(f)
    units = [seg.origin.unit for idx, segs in ((f.src, c.source_segments), (f.tgt, c.translation_segments))
             for seg in (segs[i] for i in idx if 0 <= i < len(segs)) if seg.origin is not None]
    if units:
        d["units"] = list(dict.fromkeys(units))
    return d


def finding_counts(findings: list[Divergence]) -> dict[str, dict[str, int]]:
    """Findings by kind (drift split by check, e.g. drift.number) and severity."""
    counts: dict[str, Counter[str]] = {}
    for f in findings:
        key = f"drift.{f.check}" if f.kind == "drift" else f.kind
        counts.setdefault(key, Counter())[f.severity] += 1
    return {k: dict(sorted(counts[k].items())) for k in sorted(counts)}


def _alignment(a: Alignment) -> dict[str, Any]:
    return {
        "src": list(a.src),
        "tgt": list(a.tgt),
        "type": a.kind,
        "similarity": None if a.similarity is None else round(float(a.similarity), 4),
    }


def build_report(c: Comparison, run: dict[str, Any]) -> dict[str, Any]:
    """The report as plain JSON data; `run` is the only non-deterministic part."""
    cl = c.classification
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "pair": c.pair_id,
        "signature": signature(c),
        "inputs": {"source": _document(c.source, "source"), "translation": _document(c.translation, "translation")},
        "model": c.model,
        "settings": c.settings,
        "verdict": {"kind": cl.verdict.kind, "label": cl.verdict.label},
        "summary": {
            "segments": {"source": len(c.source_segments), "translation": len(c.translation_segments)},
            "alignments": alignment_counts(c.alignments),
            "coverage": {"source": cl.verdict.source_coverage, "translation": cl.verdict.translation_coverage},
            "findings": finding_counts(cl.findings),
        },
        "calibration": cl.calibration,
        "segments": {
            "source": _segments(c.source_segments, cl.source_status, c.boilerplate["source"]),
            "translation": _segments(c.translation_segments, cl.translation_status, c.boilerplate["translation"]),
        },
        "alignments": [_alignment(a) for a in c.alignments],
        "findings": [_finding(f, c) for f in cl.findings],
        "run": run,
    }


def run_info(timings: dict[str, float], embedding: dict[str, int]) -> dict[str, Any]:
    return {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "timings": {k: round(v, 4) for k, v in timings.items()},
        "embedding": embedding,
    }


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1) + "\n"


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a report.

    `text` is written as UTF-8; bytes (a workbook) as they are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with (os.fdopen(fd, "wb") if isinstance(text, bytes) else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as f:
            f.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
