"""Shared fixtures: one embedding cache for the session, and a working directory that uses it."""
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
