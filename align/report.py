"""Turn a `Comparison` into report.json, deterministically, and write it atomically.

Everything in the report is a function of the inputs, the model and the
settings, except the `run` object (timestamp, stage timings, cache use), which
says how this particular run went. Two runs on the same inputs therefore give
byte-identical files once `run` is set aside.
"""
from __future__ import annotations

import glob
import json
import os
import tempfile
from collections import Counter
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

from .classify import Divergence, as_dict as finding_dict
from .errors import InputError
from .model import Alignment, Document, Segment
from .pipeline import Comparison

SCHEMA_VERSION = "1.1"
SCHEMA_ID = "https://align.invalid/schema/report-1.1.json"


def package_version() -> str:
    try:
        return metadata.version("align")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def signature(c: Comparison) -> str:
    """Every setting and version behind the report, in one line (as sacrebleu does for scores)."""
    from .checks import signature as checks_signature
    from .embed import engine_build

    def knobs(name: str) -> str:
        a = c.settings.get(name)
        if not isinstance(a, dict):
            return "given" if name == "align" else "none"
        return ",".join(f"{k}={a[k]}" for k in sorted(a))

    return "|".join(
        [
            f"align:{package_version()}",
            f"model:{c.model}",
            f"engine:{engine_build(c.model)}",
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


def _document(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.path,
        "sha256": doc.sha256,
        "lang": doc.lang,
        "encoding": doc.encoding,
        "chars": len(doc.text),
    }


def _segments(segments: list[Segment], status: list[str], boilerplate: dict[int, str]) -> list[dict[str, Any]]:
    out = []
    for s in segments:
        item: dict[str, Any] = {"index": s.index, "text": s.text, "start": s.start, "end": s.end, "status": status[s.index]}
        if s.index in boilerplate:
            item["boilerplate"] = boilerplate[s.index]
        out.append(item)
    return out


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
        "inputs": {"source": _document(c.source), "translation": _document(c.translation)},
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
        "findings": [finding_dict(f) for f in cl.findings],
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


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a report."""
    write_all_atomically({path: text})


def write_all_atomically(files: Mapping[Path, str]) -> None:
    """Write a set of files all or nothing, so a report set is never a mix of two runs.

    Every file is first written to a temporary file beside its target; only when all of them
    are written are they renamed into place, and should a rename still fail, the files already
    replaced get their old contents back. A target that cannot be written (its directory is a
    file, the target a directory, no permission, a full disk) is an `InputError` naming it,
    raised before anything is replaced.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            staged.append((_staged(path, text), path))
        _rename_all(staged)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for path in files:  # what a killed run (SIGKILL, power loss) left behind: nothing else cleans it up
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp*"):
            leftover.unlink(missing_ok=True)


def check_writable(path: Path) -> None:
    """Refuse, as an InputError, a target that is a directory or lies under a file: callers check
    their outputs with it before the work, so a wrong --out fails at once, not after embedding."""
    if path.is_dir():
        raise InputError(f"{path}: is a directory, so the file cannot be written there; remove it or write elsewhere")
    for parent in (path.parent, *path.parent.parents):
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"{parent}: is a file, not a directory, so {path.name} cannot be written into it")
            break


def _staged(path: Path, text: str) -> str:
    """`text` in a temporary file beside `path` (mode as an ordinary file); a target that cannot
    take it is an InputError."""
    check_writable(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report is an ordinary file
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise
    return tmp


def _rename_all(staged: list[tuple[str, Path]]) -> None:
    """Rename each temporary file onto its target; on a failure, put back what was replaced."""
    backups: dict[Path, str | None] = {}  # target -> hard link to its old contents (None: it was new)
    replaced: list[Path] = []
    try:
        for tmp, path in staged:
            backups[path] = None
            if path.exists():
                try:
                    os.link(path, f"{tmp}.old")
                    backups[path] = f"{tmp}.old"
                except OSError:  # a file system without hard links: replaced without a way back
                    pass
            os.replace(tmp, path)
            replaced.append(path)
    except BaseException as exc:
        failed = path
        for target in reversed(replaced):
            backup = backups.pop(target)
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        if isinstance(exc, OSError):
            raise InputError(f"{failed}: cannot write: {exc.strerror or exc}") from None
        raise
    finally:
        for backup in backups.values():
            if backup is not None:
                Path(backup).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
