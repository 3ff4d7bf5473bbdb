"""The plain data every step passes on: finding kinds and severities, their order and their keys."""
from __future__ import annotations

import pytest

from align.model import (
    Document,
    Finding,
    FindingKind,
    Severity,
    Verdict,
    VerdictKind,
    is_debris,
    key_order,
)


def finding(kind: str, check: str | None = None, severity: str = "major") -> Finding:
    return Finding(id="0" * 16, kind=kind, check=check, severity=severity, src=(0,), tgt=(), src_spans=(),
                   tgt_spans=(), detail="")


def test_threshold_keys_match_kind_check_and_severity():
    number, omission = finding("drift", "number", "major"), finding("omission", severity="minor")
    assert number.matches("drift") and number.matches("drift.number")
    assert number.matches("drift.number.major") and not number.matches("drift.number.minor")
    assert not number.matches("drift.name") and not omission.matches("omission.major")
    assert omission.matches("omission") and not finding("partial-omission").matches("omission")


def test_a_finding_read_from_plain_strings_has_enum_kind_and_severity():
    f = finding("partial-addition", severity="info")
    assert f.kind is FindingKind.PARTIAL_ADDITION and f.severity is Severity.INFO
    assert f.key == "partial-addition" and f.severity_key == "partial-addition.info"
    assert finding("drift", "quote").key == "drift.quote"
    assert Verdict("translation", "translation", 1.0, 1.0).kind is VerdictKind.TRANSLATION


def test_keys_sort_as_a_reviewer_reads_them_omissions_first_unknown_last():
    keys = ["boilerplate", "drift.number", "addition", "zzz", "omission", "drift.name", "partial-omission"]
    assert sorted(keys, key=key_order) == [
        "omission", "partial-omission", "addition", "drift.name", "drift.number", "boilerplate", "zzz"]
    assert [s.rank for s in Severity] == [0, 1, 2] and Severity.MAJOR.rank < Severity.INFO.rank


def test_a_document_given_as_text_has_its_hash_and_no_language_yet():
    doc = Document.from_text("Привет, мир.", name="greeting")
    assert doc.path == "greeting" and doc.lang == "" and doc.encoding == "utf-8" and len(doc.sha256) == 64
    assert Document.from_text("Hello.", lang="en").lang == "en"


@pytest.mark.parametrize("text", [".....", "- _-", "f r", "24 a !", ", .", 'h * "', "* , *^", "-"])
def test_a_line_without_a_word_is_debris(text: str) -> None:
    assert is_debris(text)


@pytest.mark.parametrize("text", ["1. 1950 :", "296-309 ) .", "Il pleut.", "Да.", "是。", "OK",
                                  "Lhotsé ( 8501 m )"])
def test_a_word_a_number_or_a_cjk_character_is_not_debris(text: str) -> None:
    assert not is_debris(text)
