"""A batch list: the pairs `align batch` checks, one CSV row or JSONL line each, no manifests.

Columns (CSV header) or keys (JSONL): `id`, `translation`, `source` (paths,
relative to the list file), `source_lang`, `translation_lang` (ISO 639-1,
blank: detected), and optionally `model`, `expected_verdict` and `max_new`
(the most new non-info findings a pair may have before it counts as failed;
blank: findings are reported but fail nothing; default 0, as for a manifest).

The whole list is checked before anything runs: every bad row is named with its
row number (the CSV header is row 1; a JSONL list counts lines), and any bad
row stops the batch with exit code 2, as a bad manifest stops `align check`.
The files' contents are read only when a pair runs: a file that turns out to be
binary or in the wrong language fails that pair, and the batch goes on.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import InputError
from ...steps.read.text import checked_language, read_bytes
from ..pairs import ID_PATTERN, VERDICTS, Pair, Side, Thresholds

COLUMNS = ("id", "translation", "source", "source_lang", "translation_lang")
OPTIONAL = ("model", "expected_verdict", "max_new")
RESERVED_IDS = frozenset({"summary.jsonl", "summary.md", ".staging"})  # names the batch writes beside the pairs
MAX_LISTED = 10  # bad rows named in the one-line error; the count says how many more


@dataclass(frozen=True)
class ListedPair(Pair):
    """A pair from a row of a list: CI formats point at the list where they would point at a manifest."""

    list_file: Path = Path()
    row: int = 0

    @property
    def manifest(self) -> Path:
        return self.list_file


def read_list(path: Path) -> list[ListedPair]:
    """Every pair of the list, validated; one InputError naming each bad row (up to MAX_LISTED)."""
    rows = _rows(path)
    if not rows:
        raise InputError(f"{path}: the list has no pairs")
    pairs: list[ListedPair] = []
    problems: list[str] = []
    first_row: dict[str, int] = {}
    for number, row in rows:
        try:
            pair = _pair(row, path, number)
        except InputError as exc:
            problems.append(f"row {number}: {exc}")
            continue
        if pair.id in first_row:
            problems.append(f"row {number}: id {pair.id!r} is also the id of row {first_row[pair.id]}; "
                            "reports are written by id, so ids must differ")
            continue
        first_row[pair.id] = number
        pairs.append(pair)
    if problems:
        more = f"; and {len(problems) - MAX_LISTED} more bad rows" if len(problems) > MAX_LISTED else ""
        raise InputError(f"{path}: {len(problems)} bad row{'s' if len(problems) > 1 else ''}: "
                         + "; ".join(problems[:MAX_LISTED]) + more)
    return pairs


def _rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(row number, fields) for each pair in a CSV or JSONL list; blank lines are skipped."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a CSV or JSONL list of pairs")
    try:  # the reader's bounded read: a FIFO, a device or a huge file is refused, not read forever
        text = read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: the list is not UTF-8 text") from None
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl_rows(path, text)
    if suffix in (".csv", ".tsv"):
        return _csv_rows(path, text, "\t" if suffix == ".tsv" else ",")
    raise InputError(f"{path}: a batch list is .csv, .tsv or .jsonl, not {path.suffix or 'a file without suffix'!r}")


def _jsonl_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: line {number}: not JSON: {exc.msg}") from None
        if not isinstance(row, dict):
            raise InputError(f"{path}: line {number}: must be a JSON object with keys {', '.join(COLUMNS)}")
        rows.append((number, row))
    return rows


def _csv_rows(path: Path, text: str, delimiter: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(text.splitlines(), delimiter=delimiter)
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(f"{path}: row 1: the header lacks {', '.join(missing)} "
                         f"(columns: {', '.join(COLUMNS)}, optionally {', '.join(OPTIONAL)})")
    unknown = [h for h in header if h not in COLUMNS + OPTIONAL]
    if unknown:
        raise InputError(f"{path}: row 1: unknown column {', '.join(map(repr, unknown))} "
                         f"(columns: {', '.join(COLUMNS)}, optionally {', '.join(OPTIONAL)})")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if None in row:
            raise InputError(f"{path}: row {reader.line_num}: more fields than the header has")
        if any((v or "").strip() for v in row.values()):
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    return rows


def _pair(row: dict[str, Any], list_file: Path, number: int) -> ListedPair:
    base = list_file.parent
    unknown = [k for k in row if k not in COLUMNS + OPTIONAL]
    if unknown:
        raise InputError(f"unknown key {', '.join(map(repr, unknown))}")
    pair_id = _text(row, "id")
    if not pair_id:
        raise InputError("id: missing")
    if not ID_PATTERN.match(pair_id) or pair_id in RESERVED_IDS:
        raise InputError(f"id: {pair_id!r} must be letters, digits, '.', '_' or '-' (and not a name the batch writes)")
    sides = {name: Side(_file(row, name, base), _lang(row, f"{name}_lang")) for name in ("source", "translation")}
    verdict = _text(row, "expected_verdict") or None
    if verdict is not None and verdict not in VERDICTS:
        raise InputError(f"expected_verdict: {verdict!r} is not one of {', '.join(VERDICTS)}")
    if sides["source"].lang and sides["source"].lang == sides["translation"].lang:
        raise InputError(f"source_lang and translation_lang are both {sides['source'].lang!r}; "
                         "a translation is compared with a source in another language")
    return ListedPair(id=pair_id, directory=base, source=sides["source"], translation=sides["translation"],
                      expected_verdict=verdict, model=_text(row, "model") or None,
                      thresholds=Thresholds(max_new=_max_new(row)), list_file=list_file, row=number)


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{key}: {value!r} must be text")
    return value.strip()


def _file(row: dict[str, Any], key: str, base: Path) -> Path:
    name = _text(row, key)
    if not name:
        raise InputError(f"{key}: missing")
    path = base / name
    if not path.exists():
        raise InputError(f"{key}: {name!r} does not exist (paths are relative to the list)")
    if not path.is_file():
        raise InputError(f"{key}: {name!r} is not a file")
    return path


def _lang(row: dict[str, Any], key: str) -> str:
    lang = _text(row, key)
    return checked_language(lang, f"{key}:") if lang else ""  # "": detected when the pair runs


def _max_new(row: dict[str, Any]) -> int | None:
    value = row.get("max_new", 0)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise InputError(f"max_new: {value!r} must be a whole number of findings, 0 or more (blank: no limit)")
