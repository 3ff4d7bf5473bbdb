"""One comparison, end to end: read -> segment -> embed -> align (-> classify).

This is the only module that knows the order of the stages; each stage stays a
pure function of plain data. Side effects (files, cache) are passed in.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from .align import AlignParams, align_segments
from .boilerplate import find_boilerplate
from .classify import Classification, ClassifyParams, classify
from .errors import InputError
from .model import Alignment, Document, Segment
from .read import language_name
from .segment import segment, segment_lines, segmenter_signature



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

    Each side is a text file, a DOCX, a saved web page or a URL (`align.formats.read_input`)."""
    from .formats import read_input

    source = read_input(source_path, source_lang)
    translation = read_input(translation_path, translation_lang)
    if source.lang == translation.lang:
        raise InputError(
            f"{translation_path}: reads as {language_name(translation.lang)} ({translation.lang}), "
            f"the same language as its source {source_path}; align compares a translation with a source "
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
) -> Comparison:
    """Align and classify one pair. `embed` is the (cached) encoder; `model` its identity for the report."""
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
        settings={"segmented": segmented, "align": asdict(params)}, classify_params=classify_params,
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
        settings={"prealigned": True, **(settings or {})}, classify_params=classify_params,
    )


def _classified(
    source: Document, translation: Document, src_segments: list[Segment], tgt_segments: list[Segment],
    alignments: list[Alignment], watch: _Stopwatch, timed_embed: Callable[[Sequence[str]], np.ndarray], *,
    model: str, pair_id: str, segmenters: dict[str, str], settings: dict[str, object],
    classify_params: ClassifyParams,
) -> Comparison:
    """The stages after alignment, shared by compare and score."""
    embed_before = watch.timings.get("embed", 0.0)
    with watch.stage("classify"):
        boilerplate = {"source": find_boilerplate(src_segments), "translation": find_boilerplate(tgt_segments)}
        classification = classify(
            src_segments, tgt_segments, alignments,
            src_file=source.text, tgt_file=translation.text, src_lang=source.lang, tgt_lang=translation.lang,
            src_boilerplate=boilerplate["source"], tgt_boilerplate=boilerplate["translation"],
            embed=timed_embed, params=classify_params,
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
        settings={**settings, "classify": asdict(classify_params)},
        classification=classification,
        boilerplate=boilerplate,
        timings=watch.timings,
    )


def _timed(embed: Callable[[Sequence[str]], np.ndarray], watch: _Stopwatch) -> Callable[[Sequence[str]], np.ndarray]:
    def timed(texts: Sequence[str]) -> np.ndarray:
        with watch.stage("embed"):
            return embed(texts)

    return timed
