"""The report: a typed `Report` built from a `Comparison`, its JSON form, and atomic writing.

Everything in the report is a function of the inputs, the model and the
settings, except the `run` object (timestamp, stage timings, cache use), which
says how this particular run went. Two runs on the same inputs therefore give
byte-identical files once `run` is set aside.

`Report.to_json()` is the one place the JSON layout (`align/schema/report.schema.json`)
is written, and `Report.from_json()` the one place it is read back; every
output (HTML, exports, CI formats, baselines) reads the typed objects.
"""
from __future__ import annotations

import glob
import json
import os
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Iterable, Mapping, TypeVar

from ..errors import InputError
from ..model import Alignment, Document, Finding, Origin, Segment, Verdict

if TYPE_CHECKING:
    from ..pipeline import Comparison

SCHEMA_VERSION = "1.2"
SCHEMA_ID = "https://align.invalid/schema/report-1.2.json"
EXTRACTED_FILE = "{side}.extracted.txt"  # beside the report: the text taken out of a web page or DOCX
T = TypeVar("T")


def package_version() -> str:
    try:
        return metadata.version("align")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "0+unknown"


@dataclass(frozen=True)
class Sides(Generic[T]):
    """One value per side of the pair."""

    source: T
    translation: T

    def of(self, side: str) -> T:
        """`side` as the report's highlights name it ("src"/"tgt") or in full ("source"/"translation")."""
        return self.source if side in ("src", "source") else self.translation


@dataclass(frozen=True)
class Extraction:
    """Where a web page's or a DOCX's text came from: the report's offsets index `text_file`."""

    by: str  # the format and extractor, e.g. "html (trafilatura 2.3.1)"
    text_file: str  # beside the report, e.g. source.extracted.txt


@dataclass(frozen=True)
class InputFile:
    """One input as read: where, which bytes, which language and encoding, how long once decoded."""

    path: str
    sha256: str
    lang: str
    encoding: str
    chars: int
    extracted: Extraction | None = None  # a web page or a DOCX: the text the offsets index


@dataclass(frozen=True)
class ReviewedSegment(Segment):
    """A segment with what the classifier decided about it."""

    status: str = "rendered"  # source: rendered | omitted | partial | boilerplate; translation: rendered | added | partially-added | boilerplate
    boilerplate: str | None = None  # why it is boilerplate, when it is


@dataclass(frozen=True)
class Summary:
    segments: Sides[int]
    alignments: dict[str, int]  # by type: "1-1" -> count, in shape order, "moved" last
    coverage: Sides[float]  # share of characters rendered (source) or with a source (translation)
    findings: dict[str, dict[str, int]]  # finding key ("omission", "drift.number") -> severity -> count


@dataclass(frozen=True)
class RunInfo:
    """How this run went; the one part of a report that differs between runs."""

    generated_at: str
    timings: dict[str, float] = field(default_factory=dict)
    embedding: dict[str, int] = field(default_factory=dict)  # requested, embedded, cached


@dataclass(frozen=True)
class Report:
    """Everything `align` found about one pair."""

    pair: str
    signature: str
    inputs: Sides[InputFile]
    model: str
    settings: dict[str, Any]
    verdict: Verdict
    summary: Summary
    calibration: dict[str, float]
    segments: Sides[tuple[ReviewedSegment, ...]]
    alignments: tuple[Alignment, ...]
    findings: tuple[Finding, ...]
    run: RunInfo
    schema_version: str = SCHEMA_VERSION
    # File name -> text taken out of a web page or DOCX, written beside the report (not in report.json).
    extracted_texts: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def texts(self, side: str) -> list[str]:
        return [s.text for s in self.segments.of(side)]

    def statuses(self, side: str) -> list[str]:
        return [s.status for s in self.segments.of(side)]

    def to_json(self) -> dict[str, Any]:
        """The report as JSON data, laid out as `align/schema/report.schema.json` says."""
        return {
            "$schema": SCHEMA_ID,
            "schema_version": self.schema_version,
            "pair": self.pair,
            "signature": self.signature,
            "inputs": {"source": _input_json(self.inputs.source), "translation": _input_json(self.inputs.translation)},
            "model": self.model,
            "settings": self.settings,
            "verdict": {"kind": str(self.verdict.kind), "label": self.verdict.label},
            "summary": {
                "segments": asdict(self.summary.segments),
                "alignments": self.summary.alignments,
                "coverage": asdict(self.summary.coverage),
                "findings": self.summary.findings,
            },
            "calibration": self.calibration,
            "segments": {
                "source": [_segment_json(s) for s in self.segments.source],
                "translation": [_segment_json(s) for s in self.segments.translation],
            },
            "alignments": [_alignment_json(a) for a in self.alignments],
            "findings": [finding_json(f) for f in self.findings],
            "run": asdict(self.run),
        }

    def dumps(self) -> str:
        """report.json's text: deterministic apart from `run`."""
        return dumps(self.to_json())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """A report read back from its JSON form; a report of another major schema version is refused."""
        version = str(data.get("schema_version", ""))
        if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            raise InputError(f"report schema version {version or '(none)'} is not supported (this align reads "
                             f"{SCHEMA_VERSION.split('.')[0]}.x)")
        try:
            s = data["summary"]
            return cls(
                pair=data["pair"], signature=data["signature"],
                inputs=Sides(*(_input_from_json(data["inputs"][side]) for side in ("source", "translation"))),
                model=data["model"], settings=data["settings"],
                verdict=Verdict(kind=data["verdict"]["kind"], label=data["verdict"]["label"],
                                source_coverage=s["coverage"]["source"], translation_coverage=s["coverage"]["translation"]),
                summary=Summary(
                    segments=Sides(**s["segments"]), alignments=dict(s["alignments"]),
                    coverage=Sides(**s["coverage"]), findings={k: dict(v) for k, v in s["findings"].items()},
                ),
                calibration=dict(data["calibration"]),
                segments=Sides(*(tuple(_segment_from_json(x) for x in data["segments"][side])
                                 for side in ("source", "translation"))),
                alignments=tuple(Alignment(tuple(a["src"]), tuple(a["tgt"]), a["type"], a["similarity"])
                                 for a in data["alignments"]),
                findings=tuple(finding_from_json(f) for f in data["findings"]),
                run=RunInfo(**data["run"]),
                schema_version=version,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"not a report of align's schema {SCHEMA_VERSION}: {type(exc).__name__}: {exc}") from None

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Report:
        """report.json from disk."""
        path = Path(path)
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: cannot read a report: {exc}") from None

    def write(self, out_dir: str | os.PathLike[str], formats: Iterable[str] = ("html", "json")) -> list[Path]:
        """Write the chosen outputs (`align.outputs.exports.FORMATS`) into `out_dir`; return their paths."""
        from ..outputs.exports import (
            write_outputs,  # the outputs read reports; a report only hands itself over
        )

        return write_outputs(self, Path(out_dir), set(formats))


def finding_json(f: Finding) -> dict[str, Any]:
    d = asdict(f)
    if not f.units:
        del d["units"]
    d["kind"], d["severity"] = str(f.kind), str(f.severity)
    d["src"], d["tgt"] = list(f.src), list(f.tgt)
    d["src_spans"] = [list(s) for s in f.src_spans]
    d["tgt_spans"] = [list(s) for s in f.tgt_spans]
    d["highlights"] = [{"side": h[0], "segment": h[1], "start": h[2], "end": h[3]} for h in f.highlights]
    return d


def finding_from_json(d: dict[str, Any]) -> Finding:
    return Finding(
        id=d["id"], kind=d["kind"], check=d.get("check"), severity=d["severity"],
        src=tuple(d.get("src", ())), tgt=tuple(d.get("tgt", ())),
        src_spans=tuple((a, b) for a, b in d.get("src_spans", ())),
        tgt_spans=tuple((a, b) for a, b in d.get("tgt_spans", ())),
        detail=d.get("detail", ""), evidence=dict(d.get("evidence") or {}),
        highlights=tuple((h["side"], h["segment"], h["start"], h["end"]) for h in d.get("highlights", ())),
        units=tuple(d.get("units", ())),
    )


def _input_json(i: InputFile) -> dict[str, Any]:
    d = asdict(i)
    if i.extracted is None:
        del d["extracted"]
    return d


def _input_from_json(d: dict[str, Any]) -> InputFile:
    extracted = d.get("extracted")
    return InputFile(**{**d, "extracted": None if extracted is None else Extraction(**extracted)})


_ORIGIN_FIELDS = ("unit", "tagged", "state", "notes")


def _segment_json(s: ReviewedSegment) -> dict[str, Any]:
    item: dict[str, Any] = {"index": s.index, "text": s.text, "start": s.start, "end": s.end, "status": s.status}
    if s.boilerplate is not None:
        item["boilerplate"] = s.boilerplate
    if s.cut_at_length:
        item["cut_at_length"] = True
    if s.origin is not None:  # the unit of an XLIFF or PO file: its id, and its tagged text, state and notes if any
        item.update({k: v for k, v in asdict(s.origin).items() if v is not None})
    return item


def _segment_from_json(d: dict[str, Any]) -> ReviewedSegment:
    plain = {k: v for k, v in d.items() if k not in _ORIGIN_FIELDS}
    origin = Origin(**{k: d[k] for k in _ORIGIN_FIELDS if k in d}) if "unit" in d else None
    return ReviewedSegment(**plain, origin=origin)


def _alignment_json(a: Alignment) -> dict[str, Any]:
    return {"src": list(a.src), "tgt": list(a.tgt), "type": a.kind, "similarity": a.similarity}


# --- building -------------------------------------------------------------------


def signature(c: Comparison) -> str:
    """Every setting and version behind the report, in one line (as sacrebleu does for scores)."""
    from .checks import signature as checks_signature
    from .embed.encoders import engine_build

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


def alignment_counts(alignments: Iterable[Alignment]) -> dict[str, int]:
    counts = Counter(a.kind for a in alignments)
    return {k: counts[k] for k in sorted(counts, key=_shape_order)}


def _shape_order(kind: str) -> tuple[int, int, int]:
    if kind == "moved":
        return (1, 0, 0)
    m, _, n = kind.partition("-")
    return (0, int(m) if m.isdigit() else 99, int(n) if n.isdigit() else 99)


def finding_counts(findings: Iterable[Finding]) -> dict[str, dict[str, int]]:
    """Findings by key (drift split by check, e.g. drift.number) and severity."""
    counts: dict[str, Counter[str]] = {}
    for f in findings:
        counts.setdefault(f.key, Counter())[str(f.severity)] += 1
    return {k: dict(sorted(counts[k].items())) for k in sorted(counts)}


def _input(doc: Document, side: str) -> InputFile:
    extracted = Extraction(by=doc.extracted, text_file=EXTRACTED_FILE.format(side=side)) if doc.extracted else None
    return InputFile(path=doc.path, sha256=doc.sha256, lang=doc.lang, encoding=doc.encoding, chars=len(doc.text),
                     extracted=extracted)


def _with_units(f: Finding, c: Comparison) -> Finding:
    """A finding with the ids of the units it belongs to, when the segments came from units (XLIFF, PO)."""
    units = [seg.origin.unit for idx, segs in ((f.src, c.source_segments), (f.tgt, c.translation_segments))
             for seg in (segs[i] for i in idx if 0 <= i < len(segs)) if seg.origin is not None]
    return replace(f, units=tuple(dict.fromkeys(units))) if units else f


def _reviewed(segments: list[Segment], status: list[str], boilerplate: dict[int, str]) -> tuple[ReviewedSegment, ...]:
    return tuple(ReviewedSegment(index=s.index, text=s.text, start=s.start, end=s.end, cut_at_length=s.cut_at_length,
                                 origin=s.origin, status=status[s.index], boilerplate=boilerplate.get(s.index))
                 for s in segments)


def build_report(c: Comparison, run: RunInfo) -> Report:
    """The report of one comparison; `run` is its only non-deterministic part."""
    cl = c.classification
    extracted = {EXTRACTED_FILE.format(side=side): doc.text
                 for side, doc in (("source", c.source), ("translation", c.translation)) if doc.extracted}
    return Report(
        pair=c.pair_id,
        signature=signature(c),
        inputs=Sides(_input(c.source, "source"), _input(c.translation, "translation")),
        model=c.model,
        settings=c.settings,
        verdict=cl.verdict,
        summary=Summary(
            segments=Sides(len(c.source_segments), len(c.translation_segments)),
            alignments=alignment_counts(c.alignments),
            coverage=Sides(cl.verdict.source_coverage, cl.verdict.translation_coverage),
            findings=finding_counts(cl.findings),
        ),
        calibration=cl.calibration,
        segments=Sides(_reviewed(c.source_segments, cl.source_status, c.boilerplate["source"]),
                       _reviewed(c.translation_segments, cl.translation_status, c.boilerplate["translation"])),
        alignments=tuple(a if a.similarity is None else Alignment(a.src, a.tgt, a.kind, round(float(a.similarity), 4))
                         for a in c.alignments),
        findings=tuple(_with_units(f, c) for f in cl.findings),
        run=run,
        extracted_texts=extracted,
    )


def run_info(timings: dict[str, float], embedding: dict[str, int]) -> RunInfo:
    return RunInfo(
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        timings={k: round(v, 4) for k, v in timings.items()},
        embedding=embedding,
    )


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a report."""
    write_all_atomically({path: text})


def write_all_atomically(files: Mapping[Path, str | bytes]) -> None:
    """Write a set of files all or nothing, so a report set is never a mix of two runs.

    Every file is first written to a temporary file beside its target (text as UTF-8, bytes, such
    as a workbook, as they are); only when all of them are written are they renamed into place,
    and should a rename still fail, the files already replaced get their old contents back. A
    target that cannot be written (its directory is a file, the target a directory, no
    permission, a full disk) is an `InputError` naming it, raised before anything is replaced.
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


def _staged(path: Path, text: str | bytes) -> str:
    """`text` in a temporary file beside `path` (mode as an ordinary file); a target that cannot
    take it is an InputError."""
    check_writable(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:  # text as UTF-8, newlines as they are; bytes (a workbook) as they are
            f.write(text.encode("utf-8") if isinstance(text, str) else text)
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
