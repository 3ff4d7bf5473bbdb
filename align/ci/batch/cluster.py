"""Pairs on a Dask distributed cluster: `--cluster local:N` or `--cluster tcp://HOST:PORT`.

Dask distributed was chosen over Ray: it is pure Python and installs from PyPI
on any platform in seconds (dask + distributed and their dependencies: 34 MB,
`pip install 'dask[distributed]'` took 14 s here), while Ray is a 79 MB
platform wheel (plus its dependencies) with a C++ runtime; both retry work lost
with a worker and join a running cluster by address, which is all a batch of
independent pairs needs.

One task per pair, submitted longest first (Dask priority = input bytes), so a
large document starts early instead of holding up the end of the batch; each
worker runs one task at a time (one thread, embedding single-threaded), so N
workers use N cores. A task returns the pair's outcome (its reports already in
a staging folder, see `align.batch.execute`); this process commits it. Each
worker process keeps its model loaded from its first pair on
(`align.pipeline.keep_encoders`).

A long pair (`SPLIT_BYTES` of input or more, about 300 sentences a side) is
split: this process reads and segments it, and its sentences, which the aligner
embeds first, are embedded by chunk tasks of `CHUNK_TEXTS` on whichever workers
are free, into the shared cache; the pair's task depends on them and finds them
there. The rest of a pair's texts (the aligner's windows of several sentences
and the classifier's clauses, most of them) depend on the alignment, so they
stay in the pair's task: splitting shortens a long pair, it does not spread all
of it. Vectors do not depend on the
batch a text is embedded in, so the report is the same bytes. Without a cache
(`--no-cache`) nothing is split.

Faults: a task whose worker dies is rescheduled by the scheduler on another
worker (up to `distributed.scheduler.allowed-failures` times, default 3,
then it fails with KilledWorker and is reported as that pair's error); a task
that raises (a bug, an I/O error) is retried `retries` times. Bad input is not
an exception (see `run_staged`), so it is never retried. How often each pair
was attempted is read from the scheduler when the pair finishes.

A remote cluster's workers need align installed (same version) and must see
the inputs, the output folder and the cache at the same paths as this process:
a shared filesystem, with `--cache-kind files` (SQLite is not safe over NFS).
"""
from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from ...errors import InputError
from ..check import Job
from .execute import INTERNAL_ERROR, Outcome, pair_size, run_staged

_LOCAL = re.compile(r"^local:(\d+)$")


@dataclass(frozen=True)
class ClusterSpec:
    local_workers: int | None = None  # local:N
    address: str | None = None  # tcp://host:port


def parse_cluster(spec: str) -> ClusterSpec:
    """`local:N` or a scheduler address; anything else is a usage error."""
    m = _LOCAL.match(spec.strip())
    if m:
        n = int(m.group(1))
        if n < 1:
            raise InputError(f"--cluster {spec}: local needs 1 worker or more")
        return ClusterSpec(local_workers=n)
    if re.match(r"^(tcp|tls|inproc|ucx)://[^\s/]+$", spec.strip()):
        return ClusterSpec(address=spec.strip())
    raise InputError(f"--cluster {spec!r}: give local:N (N worker processes here) or a scheduler address such as "
                     "tcp://10.0.0.5:8786")


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError("--cluster needs Dask distributed: pip install 'align[cluster]'") from None
    return distributed


@contextmanager
def connect(spec: ClusterSpec) -> Iterator[Any]:
    """A Dask client: on a local cluster started (and stopped) here, or on a running scheduler."""
    distributed = _distributed()
    for name in ("distributed", "distributed.nanny", "distributed.scheduler", "distributed.worker"):
        logging.getLogger(name).setLevel(logging.ERROR)  # a lost worker is reported in the summary instead
    if spec.local_workers is not None:
        cluster = distributed.LocalCluster(
            n_workers=spec.local_workers, threads_per_worker=1, processes=True, dashboard_address=None,
            silence_logs=logging.ERROR, env={"OMP_NUM_THREADS": "1"},
        )
        try:
            with distributed.Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = distributed.Client(spec.address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"--cluster {spec.address}: cannot reach the scheduler: {exc}") from None
    with client:
        yield client


def run_on_client(client: Any, jobs: list[Job], token: str, retries: int,
                  split_bytes: int | None = None) -> Iterator[Outcome]:
    """Each pair as a Dask task, longest first (a long one after its chunk tasks); outcomes as they
    finish, with their attempt counts."""
    import os

    distributed = _distributed()
    cwd = os.getcwd()
    split_bytes = SPLIT_BYTES if split_bytes is None else split_bytes
    futures = {}
    for job in sorted(jobs, key=pair_size, reverse=True):
        size = pair_size(job)
        chunks = []
        if size >= split_bytes and not job.options.no_cache:
            for k, texts in enumerate(sentence_chunks(job, cwd)):
                chunks.append(client.submit(embed_chunk, texts, job.options, key=f"align-chunk-{token}-{job.pair.id}-{k}",
                                            priority=size, retries=retries, pure=False))
        future = client.submit(run_staged_after, job, token, cwd, chunks, key=f"align-pair-{token}-{job.pair.id}",
                               priority=size, retries=retries, pure=False)
        futures[future] = job
    for future in distributed.as_completed(futures):
        job = futures[future]
        attempts = client.run_on_scheduler(_attempts, key=future.key, retries=retries)
        try:
            outcome = future.result()
        except Exception as exc:  # retries used up, or the task killed its workers too often
            outcome = Outcome(job, None, f"failed on the cluster: {type(exc).__name__}: {exc}", INTERNAL_ERROR)
        outcome.attempts = 1 + attempts["lost_workers"] + attempts["retried_errors"]
        outcome.retry_reasons = (["worker lost"] * attempts["lost_workers"]
                                 + ["task error"] * attempts["retried_errors"])
        future.release()
        yield outcome


# A pair of this many input bytes or more (about 300 sentences a side) has its sentences embedded by
# chunk tasks first, spread over the workers; CHUNK_TEXTS sentences per task.
SPLIT_BYTES = 40_000
CHUNK_TEXTS = 256


def sentence_chunks(job: Job, cwd: str) -> list[list[str]]:
    """The sentences of both sides, as the aligner embeds them first, in chunks; none if the pair
    cannot be read (its own task then reports why)."""
    from ...errors import AlignError
    from ...pipeline import read_pair
    from ...steps.segment import segment
    from .execute import working_directory

    pair = job.pair
    try:
        with working_directory(cwd):
            source, translation = read_pair(pair.source.path, pair.translation.path,
                                            pair.source.lang or None, pair.translation.lang or None)
    except AlignError:
        return []
    texts = list(dict.fromkeys(s.text for doc in (source, translation) for s in segment(doc)))
    return [texts[i : i + CHUNK_TEXTS] for i in range(0, len(texts), CHUNK_TEXTS)]


def embed_chunk(texts: list[str], options: Any) -> int:
    """On a worker: embed `texts` into the shared cache with the worker's kept model; how many it embedded.
    A failure here only means the pair's own task embeds them."""
    from ...pipeline import encoder_for, keep_encoders
    from ...steps.embed.cache import EmbeddingStats, caching_embedder
    from ...steps.embed.cache_files import open_cache

    try:
        keep_encoders()
        cache = open_cache(options.cache_kind, options.cache_dir)
        try:
            stats = EmbeddingStats()
            caching_embedder(encoder_for(options), cache, stats)(texts)
            return stats.embedded
        finally:
            cache.close()
    except Exception:
        return 0


def run_staged_after(job: Job, token: str, cwd: str, chunks: list[int]) -> Outcome:
    """On a worker, which keeps its model loaded from its first pair on: `run_staged`, once the pair's
    chunk tasks (if any) have filled the cache."""
    from ...pipeline import keep_encoders

    keep_encoders()
    outcome = run_staged(job, token, cwd)
    outcome.chunks = len(chunks)
    return outcome


def _attempts(dask_scheduler: Any, key: str, retries: int) -> dict[str, int]:
    """On the scheduler: how often a task's worker died under it, and how many of its retries it used."""
    ts = dask_scheduler.tasks.get(key)
    if ts is None:
        return {"lost_workers": 0, "retried_errors": 0}
    return {"lost_workers": int(ts.suspicious), "retried_errors": max(0, retries - int(ts.retries))}
