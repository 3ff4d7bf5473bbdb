"""bench/textberg.py's leave-one-document-out: the held-out figure must never see the document it scores."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from textberg import (  # noqa: E402
    NO_COUNTS,
    Counts,
    count,
    figures,
    leave_one_out,
    missed_by_kind,
    split_documents,
)

from align.steps.aligner import AlignParams  # noqa: E402


def test_documents_are_cut_where_the_gold_allows_and_renumbered_from_zero():
    src = ["a", "b", "c", "d"]
    tgt = ["A", "B", "X", "C", "D"]
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))]
    first, second = split_documents(src, tgt, gold, [(0, "one"), (2, "two")])
    assert (first.src, first.tgt, first.gold) == (["a", "b"], ["A", "B", "X"], [((0,), (0,)), ((1,), (1, 2))])
    assert (second.src_start, second.tgt_start) == (2, 3)
    assert second.gold == [((0,), (0,)), ((1,), (1,))]


def test_a_cut_inside_a_gold_link_is_refused():
    gold = [((0, 1), (0,)), ((2,), (1,))]
    with pytest.raises(ValueError, match="straddles"):
        split_documents(["a", "b", "c"], ["A", "B"], gold, [(0, "one"), (1, "two")])


def _perfect(n: int) -> Counts:
    return Counts((n, 0, n, 0), (n, 0, n, 0))


def _wrong(n: int) -> Counts:
    return Counts((0, n, 0, n), (0, n, 0, n))


def test_each_fold_chooses_on_the_other_documents_only():
    documents = split_documents(["a", "b", "c"], ["A", "B", "C"], [((i,), (i,)) for i in range(3)],
                                [(0, "d0"), (1, "d1"), (2, "d2")])
    points = [AlignParams(), AlignParams(margin=0.9)]
    # Point 1 is perfect on the large document 0 and wrong on the two small ones; point 0 the reverse.
    # Counting document 0 in its own fold would pick point 1 for it.
    table = [[_wrong(10), _perfect(1), _perfect(1)], [_perfect(10), _wrong(1), _wrong(1)]]
    folds = leave_one_out(table, points, documents)
    assert [f.chosen for f in folds] == [points[0], points[1], points[1]]
    assert figures(folds[0].held_out)["strict_f1"] == 0.0  # tuned elsewhere, so document 0 is scored badly
    assert figures(sum((f.held_out for f in folds), NO_COUNTS))["strict_p"] == 0.0


def test_counts_pool_to_the_figures_of_the_concatenation():
    gold_a, test_a = [((0,), (0,)), ((1,), (1,))], [((0,), (0,)), ((1,), ()), ((), (1,))]
    gold_b, test_b = [((0, 1), (0,))], [((0,), (0,)), ((1,), ())]
    pooled = figures(count(gold_a, test_a) + count(gold_b, test_b))
    shifted = lambda links: [(tuple(i + 2 for i in s), tuple(j + 2 for j in t)) for s, t in links]  # noqa: E731
    whole = figures(count(gold_a + shifted(gold_b), test_a + shifted(test_b)))
    assert pooled == pytest.approx(whole)
    assert 0 < pooled["strict_f1"] < pooled["lax_f1"] < 1


def test_a_whole_text_alignment_is_shared_out_by_document_and_a_link_over_a_cut_stays_wrong():
    from textberg import links_by_document

    gold = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))]
    documents = split_documents(list("abcd"), list("ABXCD"), gold, [(0, "one"), (2, "two")])
    links = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))]
    assert [count(d.gold, part) for d, part in zip(documents, links_by_document(links, documents))] == [
        count(d.gold, d.gold) for d in documents]
    over_the_cut = [((0,), (0,)), ((1, 2), (1, 2, 3)), ((3,), (4,))]
    first, second = links_by_document(over_the_cut, documents)
    assert first == [((0,), (0,)), ((1, 2), (1, 2, 3))]  # counted against the first document's gold: wrong
    assert second == [((1,), (1,))]


def test_missed_gold_links_are_told_apart_by_what_the_aligner_did_instead():
    gold = [((0, 1), (0, 1)),  # split into two 1-1 links
            ((2,), (2,)), ((), (3,)),  # the gold null (3) glued onto the link before
            ((3,), (4,)),  # found
            ((4, 5), (5,)), ((6,), (6,)),  # 4 linked alone, 5 glued onto 6's link
            ((7,), (7,)), ((8,), (8,))]  # boundary moved: 7 with 7-8, 8 with 9
    test = [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), (4,)), ((4,), (5,)), ((5, 6), (6,)),
            ((7,), (7, 8)), ((8,), (9,))]
    assert missed_by_kind(gold, test) == {"split": 1, "merged with more": 3, "null absorbed": 1,
                                          "split, part unaligned or elsewhere": 1, "boundary shifted": 1}
