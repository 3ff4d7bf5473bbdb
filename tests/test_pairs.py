"""pair.toml: thresholds and their defaults, and manifests that must be refused with the file and key named."""
from __future__ import annotations

from pathlib import Path

import pytest

from align.errors import InputError
from align.ci.pairs import find_pairs, load_pair
from ci_helpers import EN_FULL, ROOT, write_pair


def test_repository_pairs_load():
    pairs = [load_pair(d) for d in find_pairs([ROOT / "pairs"])]
    assert {p.id for p in pairs} >= {"csto-2023-narrow-session", "negative-anadolu-astana-2024"}
    for p in pairs:
        assert p.source.path.is_file() and p.translation.path.is_file()
        if p.expected_verdict == "not-a-translation":
            assert not p.thresholds.gates_findings  # a negative control's findings are expected
        else:
            assert p.thresholds.max_new == 0  # every new finding fails CI by default
        if p.baseline is not None:
            assert p.baseline.is_file()


def test_thresholds_table(tmp_path):
    d = write_pair(tmp_path, "p", EN_FULL, extra='expected_verdict = "not-a-translation"', thresholds="\n".join([
        'max_new = 3', '"omission.major" = 0', '"drift.number" = 1', 'min_source_coverage = 0.5',
        'min_translation_coverage = 1']))
    t = load_pair(d).thresholds
    assert t.max_new == 3 and t.maxima == {"drift.number": 1, "omission.major": 0}
    assert (t.min_source_coverage, t.min_translation_coverage) == (0.5, 1.0)
    assert t.gates_findings  # a maximum given is checked even for a negative control


@pytest.mark.parametrize("thresholds, key", [
    ('max_new = "none"', "thresholds.max_new"),
    ("max_new = 1.5", "thresholds.max_new"),
    ("min_source_coverage = 80", "thresholds.min_source_coverage"),
    ('"omission.critical" = 0', "thresholds.omission.critical"),
    ('"drift.spelling" = 0', "thresholds.drift.spelling"),
    ("omission.major = 0", "thresholds.omission"),  # unquoted: a nested table; the error says to quote it
])
def test_bad_thresholds(tmp_path, thresholds, key):
    d = write_pair(tmp_path, "p", EN_FULL, thresholds=thresholds)
    with pytest.raises(InputError) as exc:
        load_pair(d)
    assert str(exc.value).startswith(str(d / "pair.toml")) and f"{key}:" in str(exc.value)


def test_pairs_found_once_in_order(tmp_path):
    for name in ("b", "a", "c/nested"):
        write_pair(tmp_path / name, "x", EN_FULL)
    found = find_pairs([tmp_path, tmp_path / "a" / "pairs" / "x"])
    assert found == sorted(found) and len(found) == 3
    assert all(isinstance(p, Path) for p in found)
