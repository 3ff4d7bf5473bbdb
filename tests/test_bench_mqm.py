"""bench/mqm.py's labels: which MQM items count as omissions, additions or clean, and where the marks are.

Hand-written items in the shape of items.jsonl; nothing here reads /work/shared.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from mqm import (  # noqa: E402
    ADDITION,
    OMISSION,
    Found,
    Outcome,
    hit,
    is_clean,
    is_faithful,
    marked_spans,
    parse_item,
    read_items,
)

SOURCE = "The mayor spoke on Monday. She promised new schools and a bridge."
TARGET = "Die Bürgermeisterin sprach. Sie versprach neue Schulen und eine Brücke und Parks."


def item(*raters: list[dict], system: str = "ONLINE-A") -> dict:
    return {"doc": "d", "seg": 1, "system": system, "source": SOURCE, "target": TARGET,
            "raters": [{"rater": f"rater{k}", "errors": errors} for k, errors in enumerate(raters)]}


OMITTED_DAY = {"category": "Accuracy/Omission (Translation)", "severity": "Major", "source_span": [16, 25]}
OMITTED_BRIDGE = {"category": "Accuracy/Omission (Translation 2)", "severity": "Minor", "source_span": [52, 64]}
ADDED_PARKS = {"category": "Accuracy/Addition", "severity": "Minor", "target_span": [71, 80]}
ATTENTION = {"category": "Found", "severity": "HOTW-test"}
SOURCE_ISSUE = {"category": "Source issue", "severity": "Minor", "source_span": [0, 3]}
PUNCTUATION = {"category": "Fluency/Punctuation", "severity": "Minor", "target_span": [26, 27]}
WRONG = {"category": "Accuracy/Mistranslation", "severity": "Major", "target_span": [0, 3]}


def test_omission_spans_of_every_rater_are_merged_once_enough_raters_marked_one():
    one = parse_item(item([OMITTED_DAY], [], [PUNCTUATION]))
    two = parse_item(item([OMITTED_DAY], [OMITTED_BRIDGE, {**OMITTED_DAY, "source_span": [20, 26]}], []))
    assert marked_spans(one, OMISSION, 1) == ((16, 25),)
    assert marked_spans(one, OMISSION, 2) == ()
    assert marked_spans(two, OMISSION, 2) == ((16, 26), (52, 64))


def test_a_mark_without_a_span_or_on_the_other_side_does_not_count():
    no_span = {"category": "Accuracy/Omission (Translation 2)", "severity": "Major"}
    parsed = parse_item(item([no_span], [{**ADDED_PARKS, "category": "Accuracy/Omission (Translation)"}], []))
    assert marked_spans(parsed, OMISSION, 1) == ()
    assert marked_spans(parse_item(item([ADDED_PARKS], [], [])), ADDITION, 1) == ((71, 80),)
    assert marked_spans(parse_item(item([ADDED_PARKS], [], [])), OMISSION, 1) == ()


def test_attention_checks_and_source_issues_leave_an_item_clean():
    assert is_clean(parse_item(item([ATTENTION], [SOURCE_ISSUE], [])))
    assert parse_item(item([ATTENTION], [], [])).raters[0] == ()
    assert not is_clean(parse_item(item([], [], [PUNCTUATION])))


def test_faithful_allows_fluency_and_style_and_the_reference_but_not_accuracy_errors():
    assert is_faithful(parse_item(item([PUNCTUATION], [{**PUNCTUATION, "category": "Style/Unnatural or awkward"}], [])))
    assert not is_faithful(parse_item(item([PUNCTUATION], [WRONG], [])))
    assert is_faithful(parse_item(item([WRONG], [], [], system="refA")))


def test_an_omission_is_found_only_by_an_omission_type_finding_over_the_marked_characters():
    spans = ((16, 25),)
    over = Found("partial-omission", "major", ((14, 26),), (), "not rendered")
    elsewhere = Found("omission", "major", ((27, 65),), (), "not rendered")
    drift = Found("drift.similarity", "minor", ((0, 26),), ((0, 27),), "low")
    assert hit(Outcome((over,)), OMISSION, spans)
    assert not hit(Outcome((elsewhere,)), OMISSION, spans)
    assert not hit(Outcome((drift,)), OMISSION, spans)
    touching = Found("omission", "major", ((25, 30),), (), "adjacent, no shared character")
    assert not hit(Outcome((touching,)), OMISSION, spans)
    # Counted apart: any divergence over the marked characters (a drift on the sentence points there too),
    # never an information finding.
    assert hit(Outcome((drift,)), OMISSION, spans, any_kind=True)
    assert not hit(Outcome((elsewhere,)), OMISSION, spans, any_kind=True)
    info = Found("boilerplate", "info", ((0, 26),), (), "navigation")
    assert not hit(Outcome((info,)), OMISSION, spans, any_kind=True)


def test_read_items_reads_one_item_a_line(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in (item([OMITTED_DAY], [], []), item([], [], []))) + "\n",
                    encoding="utf-8")
    items = read_items(path)
    assert [bool(marked_spans(x, OMISSION)) for x in items] == [True, False]
    assert items[0].source[16:25] == "on Monday"
    assert SOURCE[52:64] == "and a bridge" and TARGET[71:80] == "und Parks"


def test_the_target_line_reads_the_strict_row_and_gives_the_worded_one_beside_it():
    from mqm import Row, meets_target
    marked, strict = "omission marked, >=1 rater", "omission-type finding overlapping the marked span"
    table = [Row("sentences", marked, strict, 34, 89),
             Row("sentences", marked, "any finding overlapping the marked span", 47, 89),
             Row("sentences", "clean (no rater marked an error)", "items with any finding", 4, 114)]
    ok, line = meets_target(table)
    assert not ok  # 0.382 < 0.50: the strict reading decides
    assert "0.382" in line and "as the issue words it: 0.528" in line and "0.035" in line
    table[0] = Row("sentences", marked, strict, 45, 89)
    assert meets_target(table)[0]
