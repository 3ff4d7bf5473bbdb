"""Document pairs on disk: a directory with two texts and a `pair.toml` manifest.

The manifest is validated strictly, so a typo in a key or a path that leaves
the pair directory is an error naming the file and the key, not a silent default.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

MANIFEST = "pair.toml"
VERDICTS = ("translation", "partial-translation", "not-a-translation")
_TOP_KEYS = {"id", "title", "expected_verdict", "model", "baseline", "source", "translation", "thresholds"}
_SIDE_KEYS = {"file", "lang", "about"}
_LANG = re.compile(r"^[a-z]{2,3}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Side:
    path: Path
    lang: str
    about: str = ""


@dataclass(frozen=True)
class Pair:
    """A validated manifest with paths resolved inside the pair directory."""

    id: str
    directory: Path
    source: Side
    translation: Side
    title: str = ""
    expected_verdict: str | None = None
    model: str | None = None
    baseline: Path | None = None
    thresholds: dict[str, Any] = field(default_factory=dict)


def is_pair_dir(path: Path) -> bool:
    return (path / MANIFEST).is_file()


def find_pairs(paths: list[Path]) -> list[Path]:
    """Every directory with a manifest at or below `paths`, sorted, each once."""
    found: set[Path] = set()
    for p in paths:
        if is_pair_dir(p):
            found.add(p)
        elif p.is_dir():
            found.update(m.parent for m in p.rglob(MANIFEST))
        else:
            raise InputError(f"{p}: not a pair directory (no {MANIFEST}) and not a folder of pairs")
    return sorted(found)


def load_pair(directory: Path) -> Pair:
    manifest = directory / MANIFEST
    if not manifest.is_file():
        raise InputError(f"{directory}: no {MANIFEST} here; a pair directory needs a manifest")
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{manifest}: not valid TOML: {exc}") from exc

    def fail(key: str, why: str) -> InputError:
        return InputError(f"{manifest}: {key}: {why}")

    for key in data:
        if key not in _TOP_KEYS:
            raise fail(key, f"unknown key (known: {', '.join(sorted(_TOP_KEYS))})")
    pair_id = data.get("id", directory.name)
    if not isinstance(pair_id, str) or not _ID.match(pair_id):
        raise fail("id", "must be letters, digits, '.', '_' or '-'")
    verdict = data.get("expected_verdict")
    if verdict is not None and verdict not in VERDICTS:
        raise fail("expected_verdict", f"{verdict!r} is not one of {', '.join(VERDICTS)}")

    def side(name: str) -> Side:
        table = data.get(name)
        if not isinstance(table, dict):
            raise fail(name, "missing table [" + name + "] with file and lang")
        for key in table:
            if key not in _SIDE_KEYS:
                raise fail(f"{name}.{key}", f"unknown key (known: {', '.join(sorted(_SIDE_KEYS))})")
        file, lang = table.get("file"), table.get("lang")
        if not isinstance(file, str) or not file:
            raise fail(f"{name}.file", "missing")
        if not isinstance(lang, str) or not _LANG.match(lang):
            raise fail(f"{name}.lang", f"{lang!r} is not an ISO 639 language code such as 'en' or 'ru'")
        return Side(_inside(directory, file, fail, f"{name}.file"), lang, str(table.get("about", "")))

    baseline = data.get("baseline")
    thresholds = data.get("thresholds", {})
    if not isinstance(thresholds, dict):
        raise fail("thresholds", "must be a table")
    model = data.get("model")
    if model is not None and (not isinstance(model, str) or not model):
        raise fail("model", "must be a model name or path")
    return Pair(
        id=pair_id,
        directory=directory,
        source=side("source"),
        translation=side("translation"),
        title=str(data.get("title", "")),
        expected_verdict=verdict,
        model=model,
        baseline=_inside(directory, baseline, fail, "baseline", must_exist=False) if baseline else None,
        thresholds=thresholds,
    )


def _inside(directory: Path, name: str, fail, key: str, must_exist: bool = True) -> Path:
    """Resolve `name` in the pair directory; refuse a path that escapes it."""
    root = directory.resolve()
    path = (directory / name).resolve()
    if not path.is_relative_to(root):
        raise fail(key, f"{name!r} points outside the pair directory")
    if must_exist and not path.is_file():
        raise fail(key, f"{name!r} does not exist")
    return directory / name
