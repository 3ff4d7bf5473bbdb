"""Run one comparison with the real encoder and cache, and build its report.

`align compare`, `align score`, `align check` and `align baseline` all come
through here: the encoder, the cache and the report's `run` object are set up
in one place, so the commands cannot drift apart. Nothing here prints or
writes a report; the commands decide that.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from .pairs import Pair
from .pipeline import Comparison


@dataclass(frozen=True)
class EmbedOptions:
    """How to embed: the model, the cache, worker processes and progress bars."""

    model: str | None = None  # None: the bundled default
    cache_dir: Path | None = None  # None: default_cache_dir()
    no_cache: bool = False
    cache_kind: str = "sqlite"  # or "files": the shared cache of align.cache_files
    workers: int | None = None  # None: default_workers()
    progress: bool = True


def compare_files(
    source_path: Path, translation_path: Path, *, pair_id: str, options: EmbedOptions,
    source_lang: str | None = None, translation_lang: str | None = None, segmented: bool = False,
) -> tuple[Comparison, dict[str, Any]]:
    """Compare two files; return the comparison and its report."""
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
        source_lang=pair.source.lang or None, translation_lang=pair.translation.lang or None,
    )


def score_file(file: Path, options: EmbedOptions, source_lang: str | None, translation_lang: str | None
               ) -> tuple[Comparison, dict[str, Any]]:
    """Classify the segments a CAT tool aligned (TSV or TMX)."""
    from .pipeline import score_documents
    from .prealigned import as_documents, read_units

    started = time.perf_counter()
    units, src_lang, tgt_lang, sha = read_units(file, source_lang, translation_lang)
    source, translation, src_segs, tgt_segs, links = as_documents(file, units, src_lang, tgt_lang, sha)
    read_time = time.perf_counter() - started
    return _embedded_and_reported(
        options, read_time,
        lambda embed, identity: score_documents(
            source, translation, src_segs, tgt_segs, links, embed=embed, model=identity, pair_id=file.stem
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
    from .cache import EmbeddingStats, caching_embedder, default_cache_dir
    from .cache_files import open_cache

    progress.configure(options.progress)
    t0 = time.perf_counter()
    encoder = _encoder(options)
    load_time = time.perf_counter() - t0
    try:
        cache = None if options.no_cache else open_cache(options.cache_kind, options.cache_dir or default_cache_dir())
        stats = EmbeddingStats()
        try:
            comparison = work(caching_embedder(encoder, cache, stats), encoder.identity)
        finally:
            if cache is not None:
                cache.close()
    finally:
        if _kept is None:
            encoder.close()
    comparison.timings["model_load"] = load_time
    return comparison, stats


# Encoders this process keeps loaded between comparisons (None: load and close one per comparison).
_kept: dict[tuple[str, int | None], Any] | None = None


def keep_encoders() -> None:
    """Keep each encoder loaded for the life of this process: a batch worker loads its model once,
    not once per pair. Idempotent. (For a while only, in a process that does other things: `kept_encoders`.)"""
    global _kept
    if _kept is None:
        _kept = {}


@contextmanager
def kept_encoders() -> Iterator[None]:
    """Keep encoders loaded inside the block (a batch run in this process), then close them."""
    global _kept
    if _kept is not None:  # already kept for the process's life
        yield
        return
    _kept = {}
    try:
        yield
    finally:
        kept, _kept = _kept, None
        for encoder in kept.values():
            encoder.close()


def _encoder(options: EmbedOptions) -> Any:
    from .embed import DEFAULT_MODEL, load_encoder

    spec = (options.model or DEFAULT_MODEL, options.workers)
    if _kept is None:
        return load_encoder(spec[0], workers=spec[1])
    if spec not in _kept:
        _kept[spec] = load_encoder(spec[0], workers=spec[1])
    return _kept[spec]


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
