"""The `negation` and `modality` checks: a "not" or a "must" on one side only.

Sentences come from the seed pair (Russian source 001, English account 000),
copied into tests/data/checks/seed_pairs.json.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from align.steps.checks import ModalityCheck, NegationCheck, negations

SEED = json.loads((Path(__file__).parent / "data" / "checks" / "seed_pairs.json").read_text(encoding="utf-8"))
PAIRS = {p["label"]: p for p in SEED["faithful"] + SEED["drift"]}
NEG = NegationCheck()
MOD = ModalityCheck()


@pytest.mark.parametrize("label", [p["label"] for p in SEED["faithful"]])
def test_faithful_seed_pairs_raise_no_negation_or_modality_alarm(label):
    p = PAIRS[label]
    assert NEG.check(p["ru"], p["en"], "ru", "en") == []
    assert MOD.check(p["ru"], p["en"], "ru", "en") == []


def test_dropped_negation_is_flagged():
    ru = "Казахстан не поддерживает введение новых санкций."
    [m] = NEG.check(ru, "Kazakhstan supports the introduction of new sanctions.", "ru", "en")
    assert m.detail == "не ↔ —"
    (a, b), = m.src_spans
    assert ru[a:b] == "не"


def test_a_negation_carried_in_other_words_is_not_a_drift():
    """The seed's «нет необходимости постоянно говорить о растущих угрозах» is "cautioned against undue focus"."""
    p = PAIRS["threats2"]
    assert NEG.check(p["ru"], p["en"], "ru", "en") == []
    assert NEG.check("Стороны не допустили эскалации.", "The parties prevented an escalation.", "ru", "en") == []
    assert NEG.check("Он отказался от встречи.", "He did not attend the meeting.", "ru", "en") == []


def test_words_that_carry_a_negation_never_raise_one():
    # "warned against" answers a «не»; alone, against a source with none, it is no finding either way.
    assert NEG.check("Президент предупредил о рисках.", "The President warned against the risks.", "ru", "en") == []
    assert NEG.check("Он выступил против.", "He spoke against it.", "ru", "en") == []


def test_added_negation_is_flagged():
    [m] = NEG.check("Казахстан готов противостоять вызовам.", "Kazakhstan is not ready to counter the challenges.", "ru", "en")
    assert m.detail == "— ↔ not"


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Нужно остановиться, пока пожар войны не опалил все страны.", "ru"),  # «пока … не» = "before"
        ("Это не только вопрос безопасности.", "ru"),
        ("Мы встречались не раз.", "ru"),
        ("This is not only about security.", "en"),
        ("No doubt the summit was a success.", "en"),
        ("See Alpine Journal No. 293.", "en"),
    ],
)
def test_words_that_do_not_negate(text, lang):
    assert negations(text, lang) == ()


def test_negation_in_both_is_fine_even_when_counts_differ():
    assert NEG.check("Мириться с этим невозможно, и нет сомнений.", "We cannot accept this.", "ru", "en") == []


def test_languages_without_a_negation_list_are_skipped_and_say_so():
    assert NEG.check("Non è possibile.", "Es posible.", "it", "es") == []
    assert not NEG.runs_for("it", "es") and not NEG.runs_for("es", "en") and NEG.runs_for("de", "fr")


# --------------------------------------------------------------------------- German and French


@pytest.mark.parametrize(
    "src, tgt, src_lang, tgt_lang, detail",
    [
        ("Der Präsident kam gestern nicht zur Sitzung.", "The president came to the meeting yesterday.", "de", "en",
         "nicht ↔ —"),
        ("Er hat keine Zeit.", "He has time.", "de", "en", "keine ↔ —"),
        ("Le président n'est pas venu à la réunion.", "Der Präsident kam zur Sitzung.", "fr", "de", "n'est pas ↔ —"),
        ("Rien n'a changé.", "Everything changed.", "fr", "en", "rien ↔ —"),
        ("Le président est venu.", "Der Präsident kam nicht.", "fr", "de", "— ↔ nicht"),
        ("The deal was signed.", "L' accord n' a jamais été signé .", "en", "fr", "— ↔ n' a jamais"),  # Text+Berg's spacing
        ("Das ist nicht unbedingt richtig.", "C'est juste.", "de", "fr", "nicht ↔ —"),  # no litotes
    ],
)
def test_a_german_or_french_negation_on_one_side_is_flagged(src, tgt, src_lang, tgt_lang, detail):
    [m] = NEG.check(src, tgt, src_lang, tgt_lang)
    assert m.detail == detail


@pytest.mark.parametrize(
    "src, tgt, src_lang, tgt_lang",
    [
        ("Le président n'est pas venu.", "Der Präsident kam nicht.", "fr", "de"),
        ("Personne n'est venu.", "Niemand kam.", "fr", "de"),
        ("Il ne reste plus que deux jours.", "Es bleiben nur noch zwei Tage.", "fr", "de"),  # ne … que: only
        ("Les empreintes ne sont que des pas d'ours.", "Die Spuren sind nur Bärentatzen.", "fr", "de"),
        ("Il a fait un pas en avant.", "Er machte einen Schritt nach vorn.", "fr", "de"),  # «pas» the noun
        ("Une personne est venue.", "Eine Person kam.", "fr", "de"),  # «personne» a person
        ("Plus que jamais, il faut agir.", "Mehr denn je muss man handeln.", "fr", "de"),
        ("Nicht nur die Schweizer kamen.", "Non seulement les Suisses sont venus.", "de", "fr"),
        ("Das verringerte das Gewicht nicht unerheblich.", "Cela réduisit sensiblement le poids.", "de", "fr"),
        ("Derartige Täler so zu erklären, ist nicht möglich.", "Il est hors question de l'expliquer ainsi.", "de", "fr"),
        ("Er ging, ohne ein Wort zu sagen.", "He left and said nothing.", "de", "en"),
        ("Das ist das Unmögliche.", "C'est l'exploit.", "de", "fr"),  # a noun, not a negated clause
    ],
)
def test_german_and_french_that_agree_or_do_not_negate(src, tgt, src_lang, tgt_lang):
    assert NEG.check(src, tgt, src_lang, tgt_lang) == []


@pytest.mark.parametrize("de", ["knapp 10 Prozent", "nicht weit von 10 Prozent"])
def test_an_idiom_exempt_from_the_count_answers_either_rendering(de):
    # "not far off" is "nearly": German may write it with a negation or without one.
    assert NEG.check("accounting for not far off 10 percent", f"mit {de}", "en", "de") == []
    assert NEG.check("It is unclear, saying nothing of whether it would succeed.",
                     "Es ist unklar, ganz zu schweigen davon, ob es Erfolg hätte.", "en", "de") == []


def test_intention_turned_into_fact_is_flagged():
    """«планирует сформулировать приоритеты» -> "he outlined key priorities"."""
    p = PAIRS["chair"]
    [m] = MOD.check(p["ru"], p["en"], "ru", "en")
    assert m.check == "modality"
    assert m.detail == "планирует ↔ — (intention dropped)"
    assert m.src_values == ("intention",)


def test_obligation_rendered_with_should_is_fine():
    p = PAIRS["rhetoric"]  # «должна быть жесткой» -> "should possess a firm ... tone"
    assert MOD.check(p["ru"], p["en"], "ru", "en") == []


def test_obligation_added_is_flagged():
    [m] = MOD.check("Организация учитывает угрозы.", "The organization must take threats into account.", "ru", "en")
    assert m.detail == "— ↔ must (obligation added)"


@pytest.mark.parametrize(
    "ru, en",
    [
        # an idiomatic or concord negative rendered by an English negative word or idiom
        ("Этого он никак не ожидал.", "It was the last thing he expected."),
        ("Я ни за что туда не пойду.", "Nothing would make me go there."),
        ("Никто ничего не сказал.", "Nobody said anything."),
        ("Никто ничего не сказал.", "No one said a word."),
        ("Шансов у него не было никаких.", "His chances were nil."),
        ("Ни он, ни она не знали об этом.", "Neither of them knew about it."),
        ("Он ушёл, не сказав ни слова.", "He left without a word."),
        ("Он ни разу не был в Лондоне.", "He had never been to London."),
        ("Не успел он войти, как зазвонил телефон.", "Hardly had he come in when the telephone rang."),
        ("Мне нечего сказать.", "I have nothing to say."),
        ("Никому он не доверял.", "He trusted none of them."),
    ],
)
def test_idiomatic_negatives_are_not_lost_negations(ru, en):
    assert NEG.check(ru, en, "ru", "en") == []


def test_negative_pronouns_of_every_case_are_negations():
    for text in ("Мне нечего сказать.", "Никому он не доверял.", "Он никуда не ходил.", "Ничуть!", "Отнюдь."):
        assert negations(text, "ru"), text


@pytest.mark.parametrize(
    "ru, en, detail",
    [
        ("Он не ожидал этого.", "He expected it.", "не ↔ —"),
        ("Никто не пришёл.", "Everybody came.", "никто/не ↔ —"),
        ("Он пришёл вовремя.", "He did not come on time.", "— ↔ not"),
    ],
)
def test_a_real_negation_dropped_or_added_is_still_flagged(ru, en, detail):
    [m] = NEG.check(ru, en, "ru", "en")
    assert m.detail == detail
