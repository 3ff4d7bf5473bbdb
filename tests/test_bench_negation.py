"""bench/negation.py's synthetic damage: every negation of one side cut out, then the check asked again.

Nothing here reads /work/shared.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from negation import dropped, sentence_pairs, without_negation  # noqa: E402


def test_every_negation_the_check_counts_is_cut_and_nothing_else():
    assert without_negation("Der Präsident kam gestern nicht , und er schrieb keine Zeile .", "de") == (
        "Der Präsident kam gestern , und er schrieb Zeile .")
    assert without_negation("Nicht nur er kam .", "de") == "Nicht nur er kam ."  # exempt: not counted, not cut
    assert without_negation("Il n'est pas venu .", "fr") == "Il venu ."


def test_a_dropped_negation_counts_found_only_where_both_sides_negated_and_nothing_was_flagged():
    units = [
        ("Er kam nicht .", "He did not come ."),  # both negate: damaged on each side in turn, found twice
        ("Er kam .", "He came ."),  # no negation: not damaged
        ("Er kam nicht .", "He came ."),  # already flagged: not damaged
        ("Er kam nicht , ohne zu zögern .", "He did not come ."),  # damaged: «ohne» answers the English "not"
    ]
    assert dropped(units, "de", "en") == (3, 4)


def test_mqm_paragraphs_pair_their_sentences_in_order_only_when_both_sides_cut_alike():
    from mqm import Item, Mark

    item = Item("doc", 1, "sys", "He came. She did not.", "Er kam. Sie nicht.",
                ((Mark("Accuracy/Mistranslation", "Major", "target", (8, 11)),),))
    assert sentence_pairs(item) == [("He came.", "Er kam.", False), ("She did not.", "Sie nicht.", True)]
    uneven = Item("doc", 1, "sys", "He came. She did not.", "Er kam, sie nicht.", ((),))
    assert sentence_pairs(uneven) is None
