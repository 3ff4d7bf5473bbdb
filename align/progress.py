"""Progress bars on stderr for work that takes more than a moment.

Built on tqdm, chosen over rich's progress for three reasons: it has the two
behaviours wanted here built in (`delay`: show nothing until a job has run
that long; `leave=False`: erase the bar when done, so the summary on stdout
reads as before), and it is one small pure-Python package with no
dependencies (rich brings pygments and markdown-it). Either imports in about
35 ms here; tqdm is imported only when a bar is actually opened on a terminal,
so a run that shows no bar pays nothing.

A bar is shown only when all of these hold:
- the caller enabled bars (`configure(True)`; the CLI does unless `--quiet`);
  a library caller that never configures gets none;
- stderr is a terminal (a pipe, a file or CI logs never get control characters);
- the job is still running after `delay` seconds (default 2;
  `$ALIGN_PROGRESS_DELAY` overrides it, e.g. 0 in tests).
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

Update = Callable[[int], None]

_enabled = False
_delay: float | None = None


def configure(enabled: bool, delay: float | None = None) -> None:
    """Turn bars on or off for this process; `delay` is seconds before a bar appears."""
    global _enabled, _delay
    _enabled = enabled
    _delay = delay


def delay() -> float:
    if _delay is not None:
        return _delay
    try:
        return float(os.environ.get("ALIGN_PROGRESS_DELAY", "2"))
    except ValueError:
        return 2.0


def active() -> bool:
    """Whether a bar opened now could be shown."""
    stream = sys.stderr
    try:
        return _enabled and stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


def _noop(_: int) -> None:
    pass


@contextmanager
def bar(total: int, what: str = "embedding", unit: str = "texts") -> Iterator[Update]:
    """A bar for `total` units of work: "embedding 1,234/20,000 texts"; yields `update(done_now)`."""
    if total <= 0 or not active():
        yield _noop
        return
    from tqdm import (
        tqdm,  # lazily: only a terminal user with a long job pays for the import
    )

    with tqdm(
        total=total, desc=what, unit=unit, file=sys.stderr, delay=delay(), leave=False, dynamic_ncols=True,
        bar_format="{desc} {n:,}/{total:,} " + unit + " {bar} {elapsed}<{remaining}, {rate_fmt}",
    ) as progress:
        yield progress.update
