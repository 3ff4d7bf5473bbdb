"""Worker plugins for the cluster tests: faults injected into a real worker's first write of a pair's reports."""
from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Callable, Mapping

from distributed.diagnostics.plugin import WorkerPlugin

Write = Callable[[Mapping[Path, str]], None]


class _FirstWriteOfPair(WorkerPlugin):
    """Patch the worker's report writing; the first report set of `pair_id`'s attempts, over the whole
    cluster (an O_EXCL marker file shared by the workers says whether it happened), goes to `first_write`."""

    def __init__(self, pair_id: str, marker: Path):
        self.pair_id = pair_id
        self.marker = str(marker)

    def setup(self, worker) -> None:
        import align.outputs.exports

        original = align.outputs.exports.write_all_atomically

        def patched(files: Mapping[Path, str]) -> None:
            if any(f"/.staging/{self.pair_id}." in str(path) for path in files) and self._first():
                return self.first_write(original, files)
            return original(files)

        align.outputs.exports.write_all_atomically = patched

    def _first(self) -> bool:
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True

    def first_write(self, original: Write, files: Mapping[Path, str]) -> None:
        raise NotImplementedError


class KillWhileWriting(_FirstWriteOfPair):
    """SIGKILL the worker process right after it wrote the first report file of the pair's attempt."""

    name = "align-test-kill-while-writing"

    def first_write(self, original: Write, files: Mapping[Path, str]) -> None:
        path, text = next(iter(files.items()))
        original({path: text})
        Path(self.marker).with_suffix(".path").write_text(str(path), encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no goodbye: as an OOM kill or a lost machine


class FailFirstWrite(_FirstWriteOfPair):
    """Raise an OSError, as a full disk would, instead of writing the pair's first report file."""

    name = "align-test-fail-first-write"

    def first_write(self, original: Write, files: Mapping[Path, str]) -> None:
        raise OSError(28, "No space left on device (test)")
