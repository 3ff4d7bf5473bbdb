"""pair.toml: thresholds and their defaults, and manifests that must be refused with the file and key named."""
from __future__ import annotations

from pathlib import Path

import pytest
from ci_helpers import EN_FULL, ROOT, write_pair

from align.ci.pairs import find_pairs, load_pair
from align.errors import InputError


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


def _manifest_error(tmp_path: Path, replace: tuple[str, str] = ("", ""), extra: str = "") -> str:
    d = write_pair(tmp_path, "p", EN_FULL, extra=extra)
    manifest = d / "pair.toml"
    text = manifest.read_text("utf-8")
    assert replace[0] in text
    manifest.write_text(text.replace(*replace, 1), "utf-8")
    with pytest.raises(InputError) as exc:
        load_pair(d)
    message = str(exc.value)
    assert message.startswith(f"{manifest}: ") and "\n" not in message
    return message[len(f"{manifest}: "):]


@pytest.mark.parametrize("replace, expected", [
    (('file = "ru.txt"', "file = 42"),
     "source.file: must be a file name inside the pair directory in quotes, not a number (42)"),
    (('file = "en.txt"', 'file = ["en.txt"]'),
     "translation.file: must be a file name inside the pair directory in quotes, not a list (['en.txt'])"),
    (('file = "ru.txt"\n', ""), "source.file: missing"),
    (('lang = "ru"', "lang = 7"), "source.lang: 7 is not a two-letter ISO 639-1 code such as en or ru"),
    (('lang = "ru"', 'lang = "ua"'), "source.lang: 'ua' is not a two-letter ISO 639-1 code such as en or ru (Ukrainian is uk)"),
    (('lang = "en"\n', ""), "translation.lang: missing"),
    (('lang = "ru"', 'lang = "ru"\nabout = ["a", "b"]'),
     "source.about: must be text describing the document in quotes, not a list (['a', 'b'])"),
])
def test_manifest_values_of_the_wrong_type_are_named(tmp_path, replace, expected):
    assert _manifest_error(tmp_path, replace) == expected


@pytest.mark.parametrize("title, shown", [("5", "a number (5)"), ("true", "a boolean (True)"), ("[1]", "a list ([1])")])
def test_title_must_be_text(tmp_path, title, shown):
    assert _manifest_error(tmp_path, extra=f"title = {title}") == f"title: must be text in quotes, not {shown}"


def test_language_codes_are_read_in_any_case(tmp_path):
    d = write_pair(tmp_path, "p", EN_FULL)
    (d / "pair.toml").write_text((d / "pair.toml").read_text("utf-8").replace('lang = "ru"', 'lang = "RU"'), "utf-8")
    assert load_pair(d).source.lang == "ru"
