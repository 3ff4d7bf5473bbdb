"""A real local Dask cluster for the batch tests, and a worker plugin that kills its worker mid-write."""
from __future__ import annotations

import os
import signal
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin


class KillWhileWriting(WorkerPlugin):
    """SIGKILL the worker process right after it wrote the first report file of `pair_id`'s attempt,
    the first time only (an O_EXCL marker file, shared by the workers, says whether it happened)."""

    name = "align-test-kill-while-writing"

    def __init__(self, pair_id: str, marker: Path):
        self.pair_id = pair_id
        self.marker = str(marker)

    def setup(self, worker) -> None:
        import align.exports

        original = align.exports.write_atomically
        pair_id, marker = self.pair_id, self.marker

        def write_then_die(path: Path, text: str) -> None:
            original(path, text)
            if f"/.staging/{pair_id}." in str(path):
                try:
                    os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                except FileExistsError:
                    return
                (Path(marker).with_suffix(".path")).write_text(str(path), encoding="utf-8")
                os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no goodbye: as an OOM kill or a lost machine

        align.exports.write_atomically = write_then_die
