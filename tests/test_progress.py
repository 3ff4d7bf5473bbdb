"""Progress bars: on a terminal's stderr for long jobs only; never on a pipe, a file or with --quiet."""
from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from align import progress

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "pairs" / "csto-2023-narrow-session"


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _reset():
    yield
    progress.configure(False)


def test_bar_writes_nothing_to_a_stream_that_is_not_a_terminal(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    progress.configure(True, delay=0)
    with progress.bar(100) as update:
        for _ in range(100):
            update(1)
    assert stream.getvalue() == ""


def test_bar_is_off_unless_configured_and_waits_for_its_delay(monkeypatch):
    stream = FakeTTY()
    monkeypatch.setattr(sys, "stderr", stream)
    with progress.bar(10) as update:  # never configured: a library caller gets no bar
        update(10)
    progress.configure(True, delay=60)
    with progress.bar(10) as update:  # a short job ends before the delay
        update(10)
    assert stream.getvalue() == ""
    progress.configure(True, delay=0)
    with progress.bar(20_000) as update:
        time.sleep(0.2)  # tqdm redraws at most every 0.1 s
        update(1234)
    assert "embedding 1,234/20,000 texts" in stream.getvalue()


def _run_on_pty(args: list[str], cache: Path) -> tuple[str, str, int]:
    """Run `align ARGS` with stderr on a pseudo-terminal; return (terminal output, stdout, exit code)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal has a width
    env = {**os.environ, "ALIGN_PROGRESS_DELAY": "0", "ALIGN_CACHE_DIR": str(cache), "ALIGN_WORKERS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "align.cli", *args], stdout=subprocess.PIPE, stderr=slave,
                            stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
    os.close(slave)
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    stdout, _ = proc.communicate(timeout=300)
    reader.join(timeout=10)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace"), stdout.decode("utf-8", "replace"), proc.returncode


def test_compare_shows_a_progress_line_on_a_terminal(tmp_path):
    term, stdout, code = _run_on_pty(["compare", str(SEED), "--out", str(tmp_path / "out")], tmp_path / "cache")
    assert code == 0, term
    assert "embedding" in term and "texts" in term and "/" in term
    assert "texts/s" not in stdout and "verdict" in stdout  # the bar stays off stdout; the summary is as before


def test_compare_quiet_prints_nothing_even_on_a_terminal(tmp_path):
    term, stdout, code = _run_on_pty(["compare", str(SEED), "--out", str(tmp_path / "out"), "--quiet"], tmp_path / "cache")
    assert code == 0 and term == "" and stdout == ""


def test_compare_prints_nothing_to_stderr_that_is_a_pipe(tmp_path):
    env = {**os.environ, "ALIGN_PROGRESS_DELAY": "0", "ALIGN_WORKERS": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "align.cli", "compare", str(SEED), "--out", str(tmp_path / "out"),
         "--cache-dir", str(tmp_path / "cache")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0 and proc.stderr == "" and "wrote" in proc.stdout
