"""Shared fixtures: one embedding cache for the session, and a working directory that uses it;
and, when the browser tests were skipped, one line at the end saying how to run them."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """One embedding cache for every test that sets it: most comparisons after the first are warm."""
    return tmp_path_factory.mktemp("align-cache")


@pytest.fixture()
def workspace(tmp_path, shared_cache, monkeypatch) -> Path:
    """A repository-like working directory (the CLI's paths are relative to it) using the shared cache."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(shared_cache))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


BROWSER_SKIP = "browser tests need Chromium"  # the start of tests/test_html.py's skip reason
BROWSER_HINT = "browser tests skipped: install Debian's chromium (apt-get install chromium) to run them"


def pytest_terminal_summary(terminalreporter) -> None:
    """Once per run, however many browser tests were skipped: what to install to run them."""
    skipped = terminalreporter.stats.get("skipped", [])
    if any(BROWSER_SKIP in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_line(BROWSER_HINT, yellow=True)
