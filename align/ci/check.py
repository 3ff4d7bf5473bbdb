"""`align check`: compare every pair in a repository and hold each to its manifest.

plan (manifests and baselines, all validated before any work) -> run (one
comparison per pair, in this process or in `jobs` worker processes; each
writes its own reports) -> evaluate (a pure function of the pair, its baseline
and its report) -> the lines printed and the CI formats (`align.ci_formats`).

A pair passes when its verdict is the expected one, its coverage is above the
manifest's minima and its new findings (not in its baseline) are within the
manifest's maxima. Stale baseline entries, whose finding no longer occurs,
are reported, and fail the pair only with `strict`.
"""
from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError
from ..model import Finding, Severity
from ..pipeline import Comparison, EmbedOptions, compare_files
from ..steps.report import Report
from . import baseline as baselines
from .pairs import Pair, find_pairs, load_pair


@dataclass(frozen=True)
class Job:
    pair: Pair
    out_dir: Path
    formats: frozenset[str]
    options: EmbedOptions


@dataclass
class PairRun:
    """What one comparison hands back to the parent process."""

    report: Report
    texts: dict[str, str]  # "source" / "translation" -> decoded text, for line and column numbers
    written: list[Path]
    seconds: float


@dataclass
class Result:
    """One pair held to its manifest."""

    pair: Pair
    baseline: baselines.Baseline | None
    run: PairRun
    new: list[Finding] = field(default_factory=list)
    reviewed: list[tuple[Finding, baselines.Entry]] = field(default_factory=list)
    stale: list[baselines.Entry] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def new_divergences(self) -> list[Finding]:
        """The new findings `max_new` counts: not those of severity info (boilerplate, a name a
        neighbouring sentence carries), which are listed but are not divergences."""
        return [f for f in self.new if f.severity != Severity.INFO]

    @property
    def decisions(self) -> Counter[str]:
        """Its reviewed findings by the reviewer's decision: accepted, false-alarm."""
        return Counter(e.decision for _, e in self.reviewed)

    @property
    def fails_on_findings(self) -> bool:
        """Whether its new findings are among the reasons it failed."""
        return any(reason.startswith(_NEW_PREFIX) for reason in self.failures)

    @property
    def other_failures(self) -> list[str]:
        """The reasons it failed other than its new findings (verdict, coverage, stale entries)."""
        return [reason for reason in self.failures if not reason.startswith(_NEW_PREFIX)]


_NEW_PREFIX = "new findings:"


# --- plan ----------------------------------------------------------------------------------------


def plan(paths: list[Path]) -> list[tuple[Pair, baselines.Baseline | None]]:
    """Every pair under `paths` with its baseline; any bad manifest or baseline is an error now."""
    pairs = [load_pair(d) for d in find_pairs(paths)]
    seen: dict[str, Pair] = {}
    for p in pairs:
        if p.id in seen:
            raise InputError(f"{p.manifest}: id: {p.id!r} is also the id of {seen[p.id].manifest}; "
                             "reports are written by id, so ids must differ")
        seen[p.id] = p
    return [(p, baseline_of(p)) for p in pairs]


def baseline_of(pair: Pair, must_exist: bool = True) -> baselines.Baseline | None:
    """The pair's baseline, or None when its manifest names none (or, unless `must_exist`, the file
    is not there yet); errors name the manifest and the key."""
    if pair.baseline is None or not (must_exist or pair.baseline.exists()):
        return None
    if not pair.baseline.is_file():
        raise InputError(f"{pair.manifest}: baseline: {pair.baseline.name!r} does not exist "
                         f"(write it with: align baseline {pair.directory})")
    try:
        return baselines.load(pair.baseline, pair.id)
    except InputError as exc:
        raise InputError(f"{pair.manifest}: baseline: {exc}") from None


# --- run -----------------------------------------------------------------------------------------


def compare_pair(pair: Pair, options: EmbedOptions, segmented: bool = False) -> tuple[Comparison, Report]:
    """Compare a pair directory as its manifest says (the manifest's model unless `options` names one)."""
    return compare_files(
        pair.source.path, pair.translation.path, pair_id=pair.id,
        options=replace(options, model=options.model or pair.model),
        source_lang=pair.source.lang or None, translation_lang=pair.translation.lang or None, segmented=segmented,
    )


def run_job(job: Job) -> PairRun:
    """Compare one pair and write its reports (in a worker process when `--jobs` > 1)."""
    from ..outputs.exports import write_outputs

    started = time.perf_counter()
    comparison, report = compare_pair(job.pair, job.options)
    written = write_outputs(report, job.out_dir, set(job.formats))
    texts = {"source": comparison.source.text, "translation": comparison.translation.text}
    return PairRun(report, texts, written, time.perf_counter() - started)


def run_all(jobs: list[Job], processes: int) -> Iterator[PairRun]:
    """Each job's run, in the order of `jobs`; with `processes` > 1 in that many worker processes,
    each embedding single-threaded so that together they use the cores once, not `processes` times."""
    if processes <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield run_job(job)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    single = [replace(j, options=replace(j.options, workers=1, progress=False)) for j in jobs]
    # spawn: a fresh interpreter per worker, so OMP_NUM_THREADS is read before the model loads.
    pool = ProcessPoolExecutor(min(processes, len(jobs)), mp_context=multiprocessing.get_context("spawn"),
                               initializer=single_threaded)
    try:
        yield from pool.map(run_job, single)
    except BaseException:  # ^C or a failed pair: stop the other pairs now rather than finish them
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def single_threaded() -> None:
    """A worker's set-up: one embedding thread, and ^C left to the parent, which stops the workers
    and reports the interruption in one line (else each worker prints a traceback)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_NUM_THREADS"] = "1"


# --- evaluate ------------------------------------------------------------------------------------


def evaluate(pair: Pair, baseline: baselines.Baseline | None, run: PairRun, strict: bool = False) -> Result:
    """Hold one pair's report to its manifest and baseline."""
    report, t = run.report, pair.thresholds
    known = baseline.by_id() if baseline else {}
    findings = report.findings
    result = Result(pair, baseline, run)
    result.new = [f for f in findings if f.id not in known]
    result.reviewed = [(f, known[f.id]) for f in findings if f.id in known]
    current = {f.id for f in findings}
    result.stale = [e for e in (baseline.entries if baseline else ()) if e.id not in current]

    fail = result.failures.append
    verdict = report.verdict.kind
    if pair.expected_verdict and verdict != pair.expected_verdict:
        fail(f"verdict {verdict}, expected {pair.expected_verdict}")
    coverage = report.summary.coverage
    for side, minimum in (("source", t.min_source_coverage), ("translation", t.min_translation_coverage)):
        if minimum is not None and coverage.of(side) < minimum:
            fail(f"{side} coverage {coverage.of(side):.1%} is below min_{side}_coverage {minimum:.1%}")
    over = []
    if t.max_new is not None and len(result.new_divergences) > t.max_new:
        over.append(f"{len(result.new_divergences)} > max_new {t.max_new}")
    for key, limit in t.maxima.items():
        n = sum(f.matches(key) for f in result.new)
        if n > limit:
            over.append(f"{key} {n} > {limit}")
    if over:
        fail(f"{_NEW_PREFIX} {', '.join(over)}")
    if strict and result.stale:
        fail(f"stale baseline entries: {len(result.stale)} (--strict)")
    return result


# --- what is printed -----------------------------------------------------------------------------

MAX_LISTED = 10  # findings listed under a failing pair; the rest are in its reports


def counts_by_key(findings: Iterable[Finding]) -> str:
    """'omission.major 3, drift.number.minor 1': the manifest's threshold keys, most first."""
    counts = Counter(f.severity_key for f in findings)
    return ", ".join(f"{k} {n}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))) or "no findings"


def pair_lines(r: Result) -> list[str]:
    """One line for the pair, then its reasons, new findings (if they failed it) and stale entries."""
    report = r.run.report
    emb = report.run.embedding
    decisions = r.decisions
    info = len(r.new) - len(r.new_divergences)
    review = (f"new {len(r.new_divergences)}{f' (+{info} info)' if info else ''}, accepted {decisions['accepted']}, false alarms {decisions['false-alarm']}"
              if r.pair.thresholds.gates_findings else "findings not gated")
    lines = [
        f"{'PASS' if r.passed else 'FAIL'}  {r.pair.id}  {report.verdict.kind}  "
        f"[{counts_by_key(report.findings)}]  {review}  "
        f"{r.run.seconds:.1f} s, {emb.get('embedded', 0)} embedded"
    ]
    lines += [f"    fail: {reason}" for reason in r.failures]
    if r.fails_on_findings:
        listed = r.new_divergences if not r.pair.thresholds.maxima else r.new
        for f in listed[:MAX_LISTED]:
            lines.append(f"    new: {f.id}  {f.severity_key}  {_short(f.detail)}")
        if len(listed) > MAX_LISTED:
            lines.append(f"    … and {len(listed) - MAX_LISTED} more new findings in {r.run.written[0].parent}")
    for e in r.stale:
        lines.append(f"    warning: stale baseline entry {e.id} ({e.kind}{'.' + e.check if e.check else ''}): "
                     f"no longer found: {_short(e.detail)}")
    return lines


def _short(text: str, width: int = 100) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def total_line(results: list[Result], seconds: float) -> str:
    failed = sum(not r.passed for r in results)
    decisions = sum((r.decisions for r in results), Counter())
    return (
        f"{plural(len(results), 'pair')}: {len(results) - failed} passed, {failed} failed; "
        f"findings: {sum(len(r.new_divergences) for r in results if r.pair.thresholds.gates_findings)} new, {decisions['accepted']} accepted, "
        f"{plural(decisions['false-alarm'], 'false alarm')}, {sum(len(r.stale) for r in results)} stale; {seconds:.1f} s"
    )
