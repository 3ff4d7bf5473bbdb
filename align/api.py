"""The library API: what the `align` command line does, as functions returning typed results.

    import align

    report = align.compare("en.txt", "ru.txt", source_lang="ru")
    for finding in report.findings:
        print(finding.kind, finding.severity, finding.detail)
    report.write("reports/en-vs-ru", formats=["html", "json"])

A loaded encoder can be passed to every call, so a server or a notebook loads
its model once (`align.load_encoder()`; close it when done). Errors are
`align.AlignError` subclasses with a one-line message: `InputError` for bad
input, `ModelError` for a model that cannot be loaded.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .model import Document
from .pipeline import EmbedOptions, compare_files, compare_read, score_file, score_texts
from .steps.embed.encoders import Encoder, load_encoder
from .steps.read import input_stem, is_url, read_input
from .steps.report import Report

if TYPE_CHECKING:
    from .ci.check import Result

__all__ = ["compare", "score", "check", "load_encoder"]

PathLike = str | os.PathLike[str]


def compare(
    translation: PathLike | Document,
    source: PathLike | Document | None = None,
    *,
    source_lang: str | None = None,
    translation_lang: str | None = None,
    segmented: bool = False,
    model: str | None = None,
    encoder: Encoder | None = None,
    cache_dir: PathLike | None = None,
    cache: bool = True,
    pair_id: str | None = None,
    progress: bool = False,
) -> Report:
    """Align a translation with its source and report what differs.

    `translation` and `source` are file paths or `Document`s (`Document.from_text`); with
    `source` left out, `translation` is a pair directory with a `pair.toml` manifest. Languages
    are detected unless given; `model` is a model name as `--model` takes it (ignored when an
    `encoder` is given); `cache=False` neither reads nor writes the embedding cache.
    """
    options = _options(model, encoder, cache_dir, cache, progress)
    if source is None:
        if isinstance(translation, Document):
            raise InputError("give the source too: compare(translation, source)")
        from .ci.check import compare_pair
        from .ci.pairs import load_pair

        pair = load_pair(Path(translation))
        if source_lang or translation_lang or segmented or pair_id:
            raise InputError("a pair directory's manifest gives its languages and id; pass files to override them")
        return compare_pair(pair, options)[1]
    if isinstance(translation, Document) or isinstance(source, Document):
        from .pipeline import read_pair_documents

        started = time.perf_counter()
        src, tgt = read_pair_documents(_document(source, source_lang), _document(translation, translation_lang))
        pid = pair_id or f"{Path(tgt.path).stem}-vs-{Path(src.path).stem}"
        return compare_read(src, tgt, pair_id=pid, options=options, segmented=segmented,
                            read_time=time.perf_counter() - started)[1]
    tpath, spath = _input(translation), _input(source)
    return compare_files(spath, tpath, pair_id=pair_id or f"{input_stem(tpath)}-vs-{input_stem(spath)}",
                         options=options, source_lang=source_lang, translation_lang=translation_lang,
                         segmented=segmented)[1]


def score(
    pairs: PathLike | Sequence[tuple[str, str]],
    *,
    source_lang: str | None = None,
    translation_lang: str | None = None,
    model: str | None = None,
    encoder: Encoder | None = None,
    cache_dir: PathLike | None = None,
    cache: bool = True,
    pair_id: str | None = None,
    progress: bool = False,
) -> Report:
    """Check segments already aligned: a TSV or TMX file, or a list of (source, translation) texts
    (an empty text is an omission or an addition)."""
    options = _options(model, encoder, cache_dir, cache, progress)
    if isinstance(pairs, (str, os.PathLike)):
        return score_file(Path(pairs), options, source_lang, translation_lang)[1]
    return score_texts(pairs, pair_id=pair_id or "units", options=options, source_lang=source_lang,
                       translation_lang=translation_lang)[1]


def check(
    pair_dirs: Iterable[PathLike] = ("pairs",),
    *,
    strict: bool = False,
    jobs: int = 1,
    reports_dir: PathLike = "reports",
    formats: Iterable[str] = ("html", "json"),
    cache_dir: PathLike | None = None,
    cache: bool = True,
) -> list[Result]:
    """Hold every pair under `pair_dirs` to its manifest and baseline, as `align check` does: each
    result says whether the pair `passed`, its `new` findings and its `failures`. Reports are
    written to `reports_dir/<pair id>/`."""
    from .ci import check as ci

    planned = ci.plan([Path(p) for p in pair_dirs])
    options = _options(None, None, cache_dir, cache, progress=False)
    todo = [ci.Job(pair, Path(reports_dir) / pair.id, frozenset(formats), options) for pair, _ in planned]
    return [ci.evaluate(pair, baseline, run, strict) for (pair, baseline), run in zip(planned, ci.run_all(todo, jobs))]


def _options(model: str | None, encoder: Encoder | None, cache_dir: PathLike | None, cache: bool,
             progress: bool) -> EmbedOptions:
    return EmbedOptions(model=model, cache_dir=None if cache_dir is None else Path(cache_dir), no_cache=not cache,
                        progress=progress, encoder=encoder)


def _input(given: PathLike) -> str | Path:
    """A side as the readers take it: a URL stays a string, anything else is a path."""
    return given if isinstance(given, str) and is_url(given) else Path(given)


def _document(given: PathLike | Document, lang: str | None) -> Document:
    """A side given as text, or read by the reader the CLI uses (text, DOCX, web page or URL)."""
    if isinstance(given, Document):
        return given if lang is None else replace(given, lang=lang)
    return read_input(_input(given), lang)
