"""Batches of document pairs: a list in, one report folder per pair and a summary out.

listing (the CSV/JSONL list, validated whole before any work) -> execute (each
pair here, in local processes, or on a Dask cluster: `align.batch.cluster`;
reports staged and committed whole) -> summary (each pair held to its row with
`align.check.evaluate`; JSONL, Markdown, and the CI formats of
`align.ci.formats`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterator

from ..check import Job
from .execute import (
    Outcome,
    clean_staging,
    commit,
    new_batch_token,
    run_here,
    run_processes,
)


@dataclass(frozen=True)
class Execution:
    """Where pairs run: here (jobs 1), in `jobs` local processes, or on a Dask cluster."""

    jobs: int = 1
    cluster: str | None = None  # "local:N" or a scheduler address; None: not on a cluster
    retries: int = 2  # extra attempts for a task that raised (a worker lost is rescheduled anyway)
    split_bytes: int | None = None  # on a cluster: split pairs this large (None: cluster.SPLIT_BYTES)

    def validate(self) -> None:
        """A bad --cluster is a usage error before any work."""
        from ...errors import InputError

        if self.cluster is not None and self.jobs > 1:
            raise InputError("--jobs and --cluster both say where pairs run; give one (local:N for N processes)")
        if self.cluster is not None:
            from .cluster import _distributed, parse_cluster

            parse_cluster(self.cluster)
            _distributed()


def execute(jobs: list[Job], execution: Execution, client: Any = None) -> Iterator[Outcome]:
    """Each pair's committed outcome, as pairs finish (list order when run here). `client`: a Dask
    client already connected (then `execution.cluster` is not used)."""
    from ...steps.embed.cache import default_cache_dir

    token = new_batch_token()
    roots = sorted({j.out_dir.parent for j in jobs})
    # The cache is this process's: a worker started elsewhere must not fall back on its own default.
    jobs = [replace(j, options=replace(j.options, cache_dir=(j.options.cache_dir or default_cache_dir()).absolute())) for j in jobs]
    if client is not None or execution.cluster is not None or execution.jobs > 1:
        # Each worker embeds single-threaded, so N workers use N cores once; bars would interleave.
        jobs = [replace(j, options=replace(j.options, workers=1, progress=False)) for j in jobs]
    try:
        if client is not None:
            from .cluster import run_on_client

            source = run_on_client(client, jobs, token, execution.retries, execution.split_bytes)
        elif execution.cluster is not None:
            from .cluster import connect, parse_cluster, run_on_client

            def on_cluster() -> Iterator[Outcome]:
                with connect(parse_cluster(execution.cluster)) as connected:
                    yield from run_on_client(connected, jobs, token, execution.retries, execution.split_bytes)

            source = on_cluster()
        elif execution.jobs > 1 and len(jobs) > 1:
            source = run_processes(jobs, execution.jobs, token)
        else:
            source = run_here(jobs, token)
        for outcome in source:
            yield commit(outcome)
    finally:
        for root in roots:
            clean_staging(root, token)


__all__ = ["Execution", "Outcome", "execute"]
