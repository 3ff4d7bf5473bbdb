"""One comparison, end to end: read -> segment -> embed -> align -> classify -> report.

This is the only module that knows the order of the stages; each stage stays a
pure function of plain data. The encoder and the embedding cache are set up
here, once per run (or handed in, so a server loads its model once), and
passed to the stages as an `embed` function; nothing here prints or writes a
report: the callers (the library API, the CLI, `align check`) decide that.
"""
from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from .errors import InputError
from .model import Alignment, Document, Origin, Segment
from .steps.aligner import AlignParams, align_segments
from .steps.boilerplate import find_boilerplate
from .steps.checks import reading
from .steps.classify import Classification, ClassifyParams, classify
from .steps.classify.scorer import load_scorers
from .steps.embed.encoders import Encoder
from .steps.read.text import checked, language_name
from .steps.report import Report, build_report, run_info
from .steps.segment import (
    check_document_size,
    check_segment_count,
    segment,
    segment_lines,
    segmenter_signature,
)


@dataclass
class Comparison:
    """Everything a report needs about one compared pair."""

    pair_id: str
    source: Document
    translation: Document
    source_segments: list[Segment]
    translation_segments: list[Segment]
    alignments: list[Alignment]
    model: str
    segmenters: dict[str, str]
    settings: dict[str, object]
    classification: Classification
    boilerplate: dict[str, dict[int, str]]
    timings: dict[str, float] = field(default_factory=dict)


class _Stopwatch:
    """Wall time per named stage; a stage may be entered several times."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0


def read_pair(
    source_path: Path | str, translation_path: Path | str, source_lang: str | None, translation_lang: str | None
) -> tuple[Document, Document]:
    """Read both sides and refuse a pair whose two sides are in the same language.

    Each side is a text file, a DOCX, a saved web page or a URL (`align.steps.read.read_input`)."""
    from .steps.read import read_input

    return _checked_pair(read_input(source_path, source_lang), read_input(translation_path, translation_lang))


def read_pair_documents(source: Document, translation: Document) -> tuple[Document, Document]:
    """Both sides given as documents, checked as files are (`read.checked`), in different languages."""
    return _checked_pair(checked(source), checked(translation))


def _checked_pair(source: Document, translation: Document) -> tuple[Document, Document]:
    """Both sides, each within the work limits, in two different languages."""
    for doc in (source, translation):
        check_document_size(doc)  # before the model loads: hours of work are refused at once
    if source.lang == translation.lang:
        raise InputError(
            f"{translation.path}: reads as {language_name(translation.lang)} ({translation.lang}), "
            f"the same language as its source {source.path}; align compares a translation with a source "
            "in another language (give --source-lang/--translation-lang if detection is wrong)"
        )
    return source, translation


def compare(
    source_path: Path,
    translation_path: Path,
    *,
    source_lang: str | None = None,
    translation_lang: str | None = None,
    **options: Any,
) -> Comparison:
    """Read two files and compare them; see `compare_documents` for the options."""
    t0 = time.perf_counter()
    source, translation = read_pair(source_path, translation_path, source_lang, translation_lang)
    comparison = compare_documents(source, translation, **options)
    comparison.timings["read"] = time.perf_counter() - t0
    return comparison


def compare_documents(
    source: Document,
    translation: Document,
    *,
    embed: Callable[[Sequence[str]], np.ndarray],
    model: str,
    pair_id: str,
    segmented: bool = False,
    params: AlignParams = AlignParams(),
    classify_params: ClassifyParams = ClassifyParams(),
    words: WordEmbedder | None = None,
) -> Comparison:
    """Align and classify one pair. `embed` is the (cached) encoder; `model` its identity for the report;
    `words` the word encoder that judges names the checks could not match (None: the checks alone)."""
    watch = _Stopwatch()
    with watch.stage("segment"):
        if segmented:
            src_segments, tgt_segments = segment_lines(source.text), segment_lines(translation.text)
            segmenters = {"source": "lines", "translation": "lines"}
        else:
            src_segments, tgt_segments = segment(source), segment(translation)
            segmenters = {
                "source": segmenter_signature(source.lang),
                "translation": segmenter_signature(translation.lang),
            }
    for doc, segs in ((source, src_segments), (translation, tgt_segments)):
        if not segs:
            raise InputError(f"{doc.path}: no sentences found")
        check_segment_count(doc.path, segs)

    timed_embed = _timed(embed, watch)
    with watch.stage("align"):
        alignments = align_segments(
            [s.text for s in src_segments], [s.text for s in tgt_segments], timed_embed, params
        )
    # Embedding happens inside the aligner and the classifier; report it as its own stage.
    watch.timings["align"] -= watch.timings.get("embed", 0.0)
    return _classified(
        source, translation, src_segments, tgt_segments, alignments, watch, timed_embed,
        model=model, pair_id=pair_id, segmenters=segmenters,
        settings={"segmented": segmented, "align": asdict(params)}, classify_params=classify_params, words=words,
    )


def score_documents(
    source: Document,
    translation: Document,
    src_segments: list[Segment],
    tgt_segments: list[Segment],
    alignments: list[Alignment],
    *,
    embed: Callable[[Sequence[str]], np.ndarray],
    model: str,
    pair_id: str,
    classify_params: ClassifyParams = ClassifyParams(),
    settings: dict[str, object] | None = None,
    words: WordEmbedder | None = None,
) -> Comparison:
    """Classify links that were aligned elsewhere (a CAT tool's TSV, TMX, XLIFF or PO): only similarities are
    computed. `settings` adds what the reader did (the file's format, units left out) to the report's."""
    watch = _Stopwatch()
    timed_embed = _timed(embed, watch)
    with watch.stage("align"):
        src_v = timed_embed([s.text for s in src_segments])
        tgt_v = timed_embed([t.text for t in tgt_segments])
        scored = [
            replace(a, similarity=float(src_v[a.src[0]] @ tgt_v[a.tgt[0]])) if a.src and a.tgt else a
            for a in alignments
        ]
    watch.timings["align"] -= watch.timings.get("embed", 0.0)
    return _classified(
        source, translation, src_segments, tgt_segments, scored, watch, timed_embed,
        model=model, pair_id=pair_id, segmenters={"source": "given", "translation": "given"},
        settings={"prealigned": True, **(settings or {})}, classify_params=classify_params, words=words,
    )


def _classified(
    source: Document, translation: Document, src_segments: list[Segment], tgt_segments: list[Segment],
    alignments: list[Alignment], watch: _Stopwatch, timed_embed: Callable[[Sequence[str]], np.ndarray], *,
    model: str, pair_id: str, segmenters: dict[str, str], settings: dict[str, object],
    classify_params: ClassifyParams, words: WordEmbedder | None,
) -> Comparison:
    """The stages after alignment, shared by compare and score."""
    embed_before = watch.timings.get("embed", 0.0)
    embed_words = _timed(words.embed, watch) if words is not None else None
    with watch.stage("classify"):
        boilerplate = {"source": find_boilerplate(src_segments), "translation": find_boilerplate(tgt_segments)}
        classification = classify(
            src_segments, tgt_segments, alignments,
            src_file=source.text, tgt_file=translation.text, src_lang=source.lang, tgt_lang=translation.lang,
            src_boilerplate=boilerplate["source"], tgt_boilerplate=boilerplate["translation"],
            embed=timed_embed, embed_words=embed_words, params=classify_params,
        )
    watch.timings["classify"] -= watch.timings.get("embed", 0.0) - embed_before
    watch.timings["embed_classify"] = watch.timings.get("embed", 0.0) - embed_before  # part of "embed"
    return Comparison(
        pair_id=pair_id,
        source=source,
        translation=translation,
        source_segments=src_segments,
        translation_segments=tgt_segments,
        alignments=alignments,
        model=model,
        segmenters=segmenters,
        # The fitted scorers are named by their file's hash: a report says which fit it came from.
        settings={**settings, "classify": {**asdict(classify_params),
                                           "scorers": f"{classify_params.scorers}:sha256="
                                                      f"{load_scorers(classify_params.scorers).sha256[:16]}",
                                           "word_model": words.identity if words is not None else "none"},
                  # which language profiles the text checks read, and which checks could not run at all
                  "checks": reading(source.lang, translation.lang)},
        classification=classification,
        boilerplate=boilerplate,
        timings=watch.timings,
    )


@dataclass(frozen=True)
class WordEmbedder:
    """The word encoder (cached) and its identity: names the checks could not match are judged by it
    (`align.steps.classify.meaning`)."""

    embed: Callable[[Sequence[str]], np.ndarray]
    identity: str


def word_embedder(encoder: Encoder, cache: Any) -> WordEmbedder:
    """`encoder` as the word encoder, through `cache` (None: in memory only), with its raw cosines."""
    from .steps.embed.cache import caching_embedder

    return WordEmbedder(caching_embedder(encoder, cache), encoder.identity)


def _timed(embed: Callable[[Sequence[str]], np.ndarray], watch: _Stopwatch) -> Callable[[Sequence[str]], np.ndarray]:
    def timed(texts: Sequence[str]) -> np.ndarray:
        with watch.stage("embed"):
            return embed(texts)

    return timed


# --- a run: the encoder and cache around the stages, and the report ----------------------------


@dataclass(frozen=True)
class EmbedOptions:
    """How to embed: the model, the cache, worker processes and progress bars."""

    model: str | None = None  # None: the bundled default
    cache_dir: Path | None = None  # None: default_cache_dir()
    no_cache: bool = False
    workers: int | None = None  # None: default_workers()
    progress: bool = True
    encoder: Encoder | None = None  # already loaded (and left open): a server or notebook loads its model once
    cache_kind: str = "sqlite"  # or "files": the shared cache of align.steps.embed.cache_files


def compare_files(
    source_path: Path | str, translation_path: Path | str, *, pair_id: str, options: EmbedOptions,
    source_lang: str | None = None, translation_lang: str | None = None, segmented: bool = False,
) -> tuple[Comparison, Report]:
    """Compare two files (text, DOCX or web pages; a side may be a URL); return the comparison and its report."""
    started = time.perf_counter()
    # Read first: a bad input fails fast, before the model is loaded.
    source, translation = read_pair(source_path, translation_path, source_lang, translation_lang)
    return compare_read(source, translation, pair_id=pair_id, options=options, segmented=segmented,
                        read_time=time.perf_counter() - started)


def compare_read(source: Document, translation: Document, *, pair_id: str, options: EmbedOptions,
                 segmented: bool = False, read_time: float = 0.0,
                 classify_params: ClassifyParams = ClassifyParams()) -> tuple[Comparison, Report]:
    """Compare two documents already read and checked; return the comparison and its report.
    (`classify_params`: the benchmarks try other settings, such as a held-out scorer, this way.)"""
    return _embedded_and_reported(
        options, read_time,
        lambda embed, identity, words: compare_documents(
            source, translation, embed=embed, model=identity, pair_id=pair_id, segmented=segmented,
            classify_params=classify_params, words=words,
        ),
        (source.lang, translation.lang),
    )


def score_file(file: Path, options: EmbedOptions, source_lang: str | None, translation_lang: str | None
               ) -> tuple[Comparison, Report]:
    """Classify the segments a CAT tool aligned (TSV, TMX, XLIFF 1.2/2.0 or PO)."""
    from .steps.read import is_localisation_file, read_localisation
    from .steps.read.prealigned import localised_units, read_units

    started = time.perf_counter()
    if not is_localisation_file(file):
        units, src_lang, tgt_lang, sha = read_units(file, source_lang, translation_lang)
        return score_units(units, name=str(file), pair_id=file.stem, options=options, source_lang=src_lang,
                           translation_lang=tgt_lang, sha256=sha, read_time=time.perf_counter() - started)
    loc = read_localisation(file, source_lang, translation_lang)
    if not loc.units:
        left = ", ".join(f"{n} {why}" for why, n in loc.skipped.items()) or "none"
        raise InputError(f"{file}: no translated units to check (left out: {left})")
    pairs, origins = localised_units(loc)
    return score_units(pairs, name=str(file), pair_id=file.stem, options=options, source_lang=loc.source_lang,
                       translation_lang=loc.translation_lang, sha256=loc.sha256, origins=origins,
                       settings={"format": loc.format, "skipped_units": loc.skipped},
                       read_time=time.perf_counter() - started)


def score_units(units: list[tuple[str, str]], *, name: str, pair_id: str, options: EmbedOptions,
                source_lang: str | None, translation_lang: str | None, sha256: str,
                origins: list[tuple[Origin | None, Origin | None]] | None = None,
                settings: dict[str, object] | None = None, read_time: float = 0.0,
                classify_params: ClassifyParams = ClassifyParams()) -> tuple[Comparison, Report]:
    """Classify given (source, translation) units; an empty side of a unit is an omission or addition.
    `origins` name the file's unit of each side (XLIFF, PO); `settings` say what the reader did."""
    from .steps.read.prealigned import as_documents

    source, translation, src_segs, tgt_segs, links = as_documents(Path(name), units, source_lang, translation_lang,
                                                                  sha256, origins)
    return _embedded_and_reported(
        options, read_time,
        lambda embed, identity, words: score_documents(
            source, translation, src_segs, tgt_segs, links, embed=embed, model=identity, pair_id=pair_id,
            settings=settings, classify_params=classify_params, words=words,
        ),
        (source.lang, translation.lang),
    )


def score_texts(pairs: Sequence[tuple[str | None, str | None]], *, pair_id: str, options: EmbedOptions,
                source_lang: str | None, translation_lang: str | None,
                classify_params: ClassifyParams = ClassifyParams()) -> tuple[Comparison, Report]:
    """Classify (source, translation) texts given in memory, each side stripped (an empty one is an
    omission or an addition); the input is named by the hash of the pairs, as a file is by its bytes."""
    units = [(str(s or "").strip(), str(t or "").strip()) for s, t in pairs]
    digest = hashlib.sha256("\n".join(f"{s}\t{t}" for s, t in units).encode("utf-8")).hexdigest()
    return score_units(units, name="<units>", pair_id=pair_id, options=options, source_lang=source_lang,
                       translation_lang=translation_lang, sha256=digest, classify_params=classify_params)


def _embedded_and_reported(options: EmbedOptions, read_time: float, work: Callable[..., Comparison],
                           languages: tuple[str, str]) -> tuple[Comparison, Report]:
    """`work` run with the encoder and cache, its reading time recorded, and its report, whose `run`
    object tells this run's timings and cache use. `languages`: (source, translation)."""
    comparison, stats = with_embedder(options, work, languages)
    comparison.timings["read"] = read_time
    t0 = time.perf_counter()
    run = run_info(comparison.timings,
                   {"requested": stats.requested, "embedded": stats.embedded, "cached": stats.cached})
    report = build_report(comparison, run)
    run.timings["report"] = round(time.perf_counter() - t0, 4)  # building is the cost; writing is one call
    return comparison, report


def with_embedder(options: EmbedOptions, work: Callable[..., Any],
                  languages: tuple[str, str] | None = None) -> tuple[Any, Any]:
    """Load the encoder (unless `options` hands one in, or this process keeps them) and the cache,
    run `work(embed, identity, words)`, close the cache and any encoder loaded for this run alone; time
    the model load. `words` is the word encoder (`WordEmbedder`): USE, loaded only if a name needs it
    (the main encoder itself when that is USE). Progress bars (stderr, a terminal only) if `options.progress`."""
    from . import progress
    from .steps.embed.cache import EmbeddingStats, caching_embedder, default_cache_dir
    from .steps.embed.cache_files import open_cache
    from .steps.embed.calibration import on_reference_scale
    from .steps.embed.use import use_identity

    progress.configure(options.progress)
    t0 = time.perf_counter()
    encoder = encoder_for(options)
    load_time = time.perf_counter() - t0
    word_encoder = encoder if encoder.identity == use_identity() else word_encoder_for()
    try:
        cache = None if options.no_cache else open_cache(options.cache_kind, options.cache_dir or default_cache_dir())
        stats = EmbeddingStats()
        try:
            # Another model's cosines are put on the bundled model's scale, where the thresholds were set.
            # The word encoder's are not: the name scorer was fitted on USE's own (and its hits are not
            # counted with the main model's in the report).
            words = word_embedder(word_encoder, cache)
            comparison = work(*on_reference_scale(encoder.identity, caching_embedder(encoder, cache, stats),
                                                  languages=languages), words)
        finally:
            if cache is not None:
                cache.close()
    finally:
        if options.encoder is None and _kept is None:
            encoder.close()
        if word_encoder is not encoder and _kept is None:
            word_encoder.close()
    comparison.timings["model_load"] = load_time
    return comparison, stats


# Encoders this process keeps loaded between comparisons (None: load and close one per comparison).
_kept: dict[tuple[str, int | None], Encoder] | None = None
_WORDS = ("<word encoder>", None)  # the kept word encoder's key (no model has this name)


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


def word_encoder_for() -> Encoder:
    """The word encoder, USE, loaded on its first texts; this process's kept one if it keeps encoders."""
    from .steps.embed.use import lazy_use

    if _kept is None:
        return lazy_use()
    if _WORDS not in _kept:
        _kept[_WORDS] = lazy_use()
    return _kept[_WORDS]


def encoder_for(options: EmbedOptions) -> Encoder:
    """The encoder `options` hand in, else this process's kept one for the model, else a new one."""
    from .steps.embed.encoders import DEFAULT_MODEL, load_encoder

    if options.encoder is not None:
        return options.encoder
    spec = (options.model or DEFAULT_MODEL, options.workers)
    if _kept is None:
        return load_encoder(spec[0], workers=spec[1])
    if spec not in _kept:
        _kept[spec] = load_encoder(spec[0], workers=spec[1])
    return _kept[spec]
