"""A pair's baseline: the findings a reviewer has seen, so CI fails only on new ones.

The baseline file (`baseline = "baseline.json"` in pair.toml) is JSON::

    {
      "format": "align-baseline",
      "version": 1,
      "pair": "<pair id>",
      "findings": [
        {"id": "<finding id>", "kind": "omission", "check": null, "severity": "major",
         "detail": "...", "decision": "accepted" | "false-alarm", "note": "<reviewer's note, may be empty>"}
      ]
    }

Findings are sorted by id and nothing in the file depends on when it was
written, so regenerating an unchanged baseline changes no byte and a diff
shows only what a review changed. `kind`, `check`, `severity` and `detail` are
a copy for the reader of the file (and of stale entries); only `id` is matched.

Decisions exported by the review page (format `align-decisions`, see
`align/outputs/html.py`) update a baseline: each names a finding id, a decision and a note.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from ..errors import InputError
from ..model import Finding, finding_key

DEFAULT_FILE = "baseline.json"
FORMAT = "align-baseline"
DECISIONS_FORMAT = "align-decisions"
VERSION = 1
DECISIONS = ("accepted", "false-alarm")


@dataclass(frozen=True)
class Entry:
    """One reviewed finding."""

    id: str
    kind: str
    check: str | None
    severity: str
    detail: str
    decision: str = "accepted"
    note: str = ""

    @property
    def key(self) -> str:
        return finding_key(self.kind, self.check)


@dataclass(frozen=True)
class Baseline:
    pair: str
    entries: tuple[Entry, ...] = ()

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}


@dataclass(frozen=True)
class Decision:
    decision: str
    note: str


@dataclass(frozen=True)
class Update:
    """What `updated` did, for the one line `align baseline` prints."""

    added: int
    changed: int
    kept: int
    removed: tuple[Entry, ...]  # stale: their finding no longer occurs
    unknown: tuple[str, ...]  # decided ids that are not current findings


def dumps(baseline: Baseline) -> str:
    entries = sorted(baseline.entries, key=lambda e: e.id)
    data = {"format": FORMAT, "version": VERSION, "pair": baseline.pair, "findings": [asdict(e) for e in entries]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def load(path: Path, pair_id: str) -> Baseline:
    """Read and check a baseline file; an error names the file and what is wrong with it."""
    data = _read_json(path, FORMAT, pair_id, "findings")
    entries: list[Entry] = []
    for k, item in enumerate(data["findings"]):
        where = f"findings[{k}]"
        if not isinstance(item, dict):
            raise InputError(f"{path}: {where}: must be an object")
        unknown = sorted(set(item) - set(Entry.__dataclass_fields__))
        if unknown:
            raise InputError(f"{path}: {where}.{unknown[0]}: unknown key")
        for key in ("id", "kind", "severity"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise InputError(f"{path}: {where}.{key}: missing")
        if item.get("check") is not None and not isinstance(item["check"], str):
            raise InputError(f"{path}: {where}.check: must be a string or null")
        decision = _decision(item, path, where)
        entries.append(Entry(item["id"], item["kind"], item.get("check"), item["severity"],
                             str(item.get("detail", "")), decision.decision, decision.note))
    _refuse_duplicates([e.id for e in entries], path)
    return Baseline(pair_id, tuple(sorted(entries, key=lambda e: e.id)))


def load_decisions(path: Path, pair_id: str) -> dict[str, Decision]:
    """Decisions exported by the review page (or typed into review.xlsx), by finding id; refuses another pair's file."""
    if path.suffix.lower() == ".xlsx":
        from ..outputs.xlsx import load_decisions as from_workbook

        return from_workbook(path, pair_id)
    data = _read_json(path, DECISIONS_FORMAT, pair_id, "decisions")
    out: dict[str, Decision] = {}
    for k, item in enumerate(data["decisions"]):
        where = f"decisions[{k}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise InputError(f"{path}: {where}.id: missing")
        out[item["id"]] = _decision(item, path, where)
    _refuse_duplicates([item["id"] for item in data["decisions"]], path)
    return out


def updated(
    findings: Iterable[Finding], old: Baseline | None, pair_id: str, decisions: dict[str, Decision] | None = None
) -> tuple[Baseline, Update]:
    """The baseline for the current `findings` of a pair.

    Without `decisions`, every current finding is in it (accepted, unless the old
    baseline already decided it); with them, the decided findings and the ones
    the old baseline held. A decision overrides the old entry; entries whose
    finding no longer occurs are dropped (and counted as removed).
    """
    before = old.by_id() if old else {}
    current = {f.id: f for f in findings}
    decided = decisions or {}
    wanted = set(current) if decisions is None else (set(decided) | set(before)) & set(current)
    entries: list[Entry] = []
    added = changed = kept = 0
    for fid in sorted(wanted):
        f, prior = current[fid], before.get(fid)
        choice = decided.get(fid) or (Decision(prior.decision, prior.note) if prior else Decision("accepted", ""))
        entries.append(Entry(fid, str(f.kind), f.check, str(f.severity), f.detail, choice.decision, choice.note))
        if prior is None:
            added += 1
        elif (prior.decision, prior.note) != (choice.decision, choice.note):
            changed += 1
        else:
            kept += 1
    removed = tuple(e for fid, e in sorted(before.items()) if fid not in current)
    unknown = tuple(sorted(set(decided) - set(current)))
    return Baseline(pair_id, tuple(entries)), Update(added, changed, kept, removed, unknown)


def _read_json(path: Path, fmt: str, pair_id: str, list_key: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable JSON file: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise InputError(f"{path}: format: not an {fmt} file (\"format\": \"{fmt}\" expected)")
    if data.get("version") != VERSION:
        raise InputError(f"{path}: version: {data.get('version')!r} is not supported (only {VERSION})")
    if data.get("pair") != pair_id:
        raise InputError(f"{path}: pair: the file belongs to pair {data.get('pair')!r}, not {pair_id!r}")
    if not isinstance(data.get(list_key), list):
        raise InputError(f"{path}: {list_key}: missing (a list)")
    return data


def _decision(item: dict[str, Any], path: Path, where: str) -> Decision:
    decision, note = item.get("decision", "accepted"), item.get("note", "")
    if decision not in DECISIONS:
        raise InputError(f"{path}: {where}.decision: {decision!r} is not one of {', '.join(DECISIONS)}")
    if not isinstance(note, str):
        raise InputError(f"{path}: {where}.note: must be a string")
    return Decision(decision, note)


def _refuse_duplicates(ids: list[str], path: Path) -> None:
    seen: set[str] = set()
    for fid in ids:
        if fid in seen:
            raise InputError(f"{path}: finding {fid} is listed twice")
        seen.add(fid)
