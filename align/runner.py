"""Run one comparison with the real encoder and cache, and build its report.

`align compare`, `align score`, `align check` and `align baseline` all come
through here: the encoder, the cache and the report's `run` object are set up
in one place, so the commands cannot drift apart. Nothing here prints or
writes a report; the commands decide that.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from .errors import InputError
from .pairs import Pair
from .pipeline import Comparison


@dataclass(frozen=True)
class EmbedOptions:
    """How to embed: the model, the cache, worker processes and progress bars."""

    model: str | None = None  # None: the bundled default
    cache_dir: Path | None = None  # None: default_cache_dir()
    no_cache: bool = False
    workers: int | None = None  # None: default_workers()
    progress: bool = True


def compare_files(
    source_path: Path | str, translation_path: Path | str, *, pair_id: str, options: EmbedOptions,
    source_lang: str | None = None, translation_lang: str | None = None, segmented: bool = False,
) -> tuple[Comparison, dict[str, Any]]:
    """Compare two files (text, DOCX or web pages; a side may be a URL); return the comparison and its report."""
    from .pipeline import compare_documents, read_pair

    started = time.perf_counter()
    # Read first: a bad input fails fast, before the model is loaded.
    source, translation = read_pair(source_path, translation_path, source_lang, translation_lang)
    read_time = time.perf_counter() - started
    return _embedded_and_reported(
        options, read_time,
        lambda embed, identity: compare_documents(
            source, translation, embed=embed, model=identity, pair_id=pair_id, segmented=segmented
        ),
    )


def compare_pair(pair: Pair, options: EmbedOptions) -> tuple[Comparison, dict[str, Any]]:
    """Compare a pair directory as its manifest says (the manifest's model unless `options` names one)."""
    return compare_files(
        pair.source.path, pair.translation.path, pair_id=pair.id,
        options=replace(options, model=options.model or pair.model),
        source_lang=pair.source.lang, translation_lang=pair.translation.lang,
    )


def score_file(file: Path, options: EmbedOptions, source_lang: str | None, translation_lang: str | None
               ) -> tuple[Comparison, dict[str, Any]]:
    """Classify the segments a CAT tool aligned (TSV, TMX, XLIFF 1.2/2.0 or PO)."""
    from .formats import is_localisation_file, read_localisation
    from .pipeline import score_documents
    from .prealigned import as_documents, localised_units, read_units

    started = time.perf_counter()
    origins, settings = None, {}
    if is_localisation_file(file):
        loc = read_localisation(file, source_lang, translation_lang)
        if not loc.units:
            left = ", ".join(f"{n} {why}" for why, n in loc.skipped.items()) or "none"
            raise InputError(f"{file}: no translated units to check (left out: {left})")
        units, origins = localised_units(loc)
        src_lang, tgt_lang, sha = loc.source_lang, loc.translation_lang, loc.sha256
        settings = {"format": loc.format, "skipped_units": loc.skipped}
    else:
        units, src_lang, tgt_lang, sha = read_units(file, source_lang, translation_lang)
    source, translation, src_segs, tgt_segs, links = as_documents(file, units, src_lang, tgt_lang, sha, origins)
    read_time = time.perf_counter() - started
    return _embedded_and_reported(
        options, read_time,
        lambda embed, identity: score_documents(
            source, translation, src_segs, tgt_segs, links, embed=embed, model=identity, pair_id=file.stem,
            settings=settings,
        ),
    )


def _embedded_and_reported(options: EmbedOptions, read_time: float, work: Callable[..., Comparison]
                           ) -> tuple[Comparison, dict[str, Any]]:
    """`work` run with the encoder and cache, its reading time recorded, and its report."""
    comparison, stats = with_embedder(options, work)
    comparison.timings["read"] = read_time
    return comparison, build_report(comparison, stats)


def with_embedder(options: EmbedOptions, work: Callable[..., Any]) -> tuple[Any, Any]:
    """Load the encoder and cache, run `work(embed, identity)`, close the cache and any embedding
    workers; time the model load. Progress bars (stderr, a terminal only) if `options.progress`."""
    from . import progress
    from .cache import EmbeddingCache, EmbeddingStats, caching_embedder, default_cache_dir
    from .embed import DEFAULT_MODEL, load_encoder

    progress.configure(options.progress)
    t0 = time.perf_counter()
    encoder = load_encoder(options.model or DEFAULT_MODEL, workers=options.workers)
    load_time = time.perf_counter() - t0
    try:
        cache = None if options.no_cache else EmbeddingCache(options.cache_dir or default_cache_dir())
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


def build_report(comparison: Comparison, stats: Any) -> dict[str, Any]:
    """The report, its `run` object telling this run's timings and cache use."""
    from . import report

    t0 = time.perf_counter()
    run = report.run_info(
        comparison.timings, {"requested": stats.requested, "embedded": stats.embedded, "cached": stats.cached}
    )
    data = report.build_report(comparison, run)
    run["timings"]["report"] = round(time.perf_counter() - t0, 4)  # building is the cost; writing is one call
    return data
