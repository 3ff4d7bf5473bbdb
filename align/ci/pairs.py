"""Document pairs on disk: a directory with two texts and a `pair.toml` manifest.

The manifest is validated strictly, so a typo in a key or a path that leaves
the pair directory is an error naming the file and the key, not a silent default.

`[thresholds]` says what `align check` holds the pair to. Every maximum counts
*new* findings (those not in the pair's baseline: reviewed findings never fail
CI): `max_new` all of them but those of severity info (boilerplate, a name a
neighbouring sentence carries: listed, but not divergences), and a key naming a
kind, optionally a drift check and a severity, the matching ones, info included
(`"omission"`, `"omission.major"`, `"drift.number"`, `"boilerplate"`). `max_new` defaults to 0, except
for a pair expected to be `not-a-translation`: there every sentence diverges
by design, so only the verdict (and any maximum given) is checked.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import InputError
from ..model import FindingKind, Severity, VerdictKind
from ..steps.read.text import language_code, language_code_problem

MANIFEST = "pair.toml"
VERDICTS = tuple(VerdictKind)
_TOP_KEYS = {"id", "title", "expected_verdict", "model", "baseline", "source", "translation", "thresholds"}
_SIDE_KEYS = {"file", "lang", "about"}
_THRESHOLD_KEYS = {"max_new", "min_source_coverage", "min_translation_coverage"}
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Side:
    path: Path
    lang: str
    about: str = ""


@dataclass(frozen=True)
class Thresholds:
    """What `align check` holds a pair to; every maximum counts new findings only."""

    max_new: int | None = 0  # None: no limit
    maxima: dict[str, int] = field(default_factory=dict)  # "omission.major" -> most new ones allowed
    min_source_coverage: float | None = None
    min_translation_coverage: float | None = None

    @property
    def gates_findings(self) -> bool:
        """Whether any finding can fail the pair (not so for a negative control by default)."""
        return self.max_new is not None or bool(self.maxima)


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
    thresholds: Thresholds = field(default_factory=Thresholds)

    @property
    def manifest(self) -> Path:
        return self.directory / MANIFEST


def is_pair_dir(path: Path) -> bool:
    return (path / MANIFEST).is_file()


def find_pairs(paths: list[Path]) -> list[Path]:
    """Every directory with a manifest at or below `paths`, sorted, each once."""
    found: dict[Path, Path] = {}
    for p in paths:
        if is_pair_dir(p):
            dirs = [p]
        elif p.is_dir():
            dirs = [m.parent for m in p.rglob(MANIFEST) if m.is_file()]
            if not dirs:
                raise InputError(f"{p}: no pair directories (with a {MANIFEST}) in this folder")
        else:
            raise InputError(f"{p}: not a pair directory (no {MANIFEST}) and not a folder of pairs")
        for d in dirs:
            found.setdefault(d.resolve(), d)
    return sorted(found.values())


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
    title = _text(data, "title", "title", fail, "text")
    pair_id = data.get("id", directory.name)
    if not isinstance(pair_id, str) or not ID_PATTERN.match(pair_id):
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
        file = _text(table, "file", f"{name}.file", fail, "a file name inside the pair directory")
        if not file:
            raise fail(f"{name}.file", "missing")
        lang = language_code(table.get("lang"))
        if lang is None:
            raise fail(f"{name}.lang", language_code_problem(table.get("lang")) if "lang" in table else "missing")
        about = _text(table, "about", f"{name}.about", fail, "text describing the document")
        return Side(_inside(directory, file, fail, f"{name}.file"), lang, about)

    baseline = data.get("baseline")
    if baseline is not None and (not isinstance(baseline, str) or not baseline):
        raise fail("baseline", "must be a file name such as \"baseline.json\"")
    thresholds = _thresholds(data.get("thresholds", {}), verdict, fail)
    model = data.get("model")
    if model is not None and (not isinstance(model, str) or not model):
        raise fail("model", "must be a model name or path")
    return Pair(
        id=pair_id,
        directory=directory,
        source=side("source"),
        translation=side("translation"),
        title=title,
        expected_verdict=verdict,
        model=model,
        baseline=_inside(directory, baseline, fail, "baseline", must_exist=False) if baseline else None,
        thresholds=thresholds,
    )


def _thresholds(table: Any, verdict: str | None, fail: Callable[[str, str], InputError]) -> Thresholds:
    if not isinstance(table, dict):
        raise fail("thresholds", "must be a table [thresholds]")
    kinds = _finding_kinds()
    maxima: dict[str, int] = {}
    coverage: dict[str, float] = {}
    for key, value in table.items():
        name = f"thresholds.{key}"
        if isinstance(value, dict):  # `omission.major = 0` unquoted is a nested table in TOML
            raise fail(name, f"is a table; quote a dotted key: \"{key}.{next(iter(value), 'major')}\" = 0")
        if key.startswith("min_") and key in _THRESHOLD_KEYS:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise fail(name, f"{value!r} must be a share between 0 and 1, e.g. 0.8")
            coverage[key] = float(value)
            continue
        if key != "max_new":
            head, _, last = key.rpartition(".")
            kind = head if last in tuple(Severity) else key
            if kind not in kinds:
                raise fail(name, "unknown key (known: max_new, min_source_coverage, min_translation_coverage, "
                                 "or KIND[.SEVERITY] with KIND one of " + ", ".join(kinds) + ")")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise fail(name, f"{value!r} must be a whole number of findings, 0 or more")
        maxima[key] = value
    default_max = None if verdict == "not-a-translation" else 0
    return Thresholds(
        max_new=maxima.pop("max_new", default_max),
        maxima=dict(sorted(maxima.items())),
        min_source_coverage=coverage.get("min_source_coverage"),
        min_translation_coverage=coverage.get("min_translation_coverage"),
    )


def _text(table: dict[str, Any], key: str, name: str, fail: Callable[[str, str], InputError], what: str) -> str:
    """`table[key]` as a string ("" if absent); any other TOML type is an error naming the type found."""
    value = table.get(key, "")
    if not isinstance(value, str):
        raise fail(name, f"must be {what} in quotes, not {_toml_type(value)} ({value!r})")
    return value


def _toml_type(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a table"}
    return next((n for t, n in names.items() if type(value) is t), f"a {type(value).__name__}")


def _finding_kinds() -> list[str]:
    from ..steps.checks import (
        all_checks,  # light: the checks load their libraries on first use
    )

    checks = ["similarity", *(c.name for c in all_checks())]
    return [*FindingKind, *(f"drift.{c}" for c in checks)]


def _inside(directory: Path, name: str, fail: Callable[[str, str], InputError], key: str,
            must_exist: bool = True) -> Path:
    """Resolve `name` in the pair directory; refuse a path that escapes it."""
    root = directory.resolve()
    path = (directory / name).resolve()
    if not path.is_relative_to(root):
        raise fail(key, f"{name!r} points outside the pair directory")
    if must_exist and not path.is_file():
        raise fail(key, f"{name!r} does not exist")
    return directory / name
