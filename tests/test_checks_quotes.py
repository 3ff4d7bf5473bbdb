"""The `quote` check and `quote_spans()`: quoted speech across quotation marks and the Russian dialogue dash.

Sentences come from the seed pair (Russian source 001, English account 000),
copied into tests/data/checks/seed_pairs.json.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from align.steps.checks import QuoteCheck, quote_spans

SEED = json.loads((Path(__file__).parent / "data" / "checks" / "seed_pairs.json").read_text(encoding="utf-8"))
PAIRS = {p["label"]: p for p in SEED["faithful"] + SEED["drift"]}
CHECK = QuoteCheck()


def quoted(text: str, lang: str) -> list[str]:
    return [text[a:b] for a, b in quote_spans(text, lang)]


def quotes(src: str, tgt: str, src_lang: str = "ru", tgt_lang: str = "en"):
    return CHECK.check(src, tgt, src_lang, tgt_lang)


@pytest.mark.parametrize("label", [p["label"] for p in SEED["faithful"]])
def test_faithful_seed_pairs_raise_no_quote_alarm(label):
    p = PAIRS[label]
    assert quotes(p["ru"], p["en"]) == []


def test_dash_quote_ending_in_attribution():
    text = PAIRS["fire"]["ru"]  # "Нужно остановиться, ..., – сказал Президент."
    assert quoted(text, "ru") == ["Нужно остановиться, пока пожар войны не опалил все страны и континенты,"]


def test_dash_quote_opening_after_a_sentence():
    text = "Глава государства заявил, что Казахстан приветствует договоренности. – Мы с самого начала настаивали на паузе, – подчеркнул он."
    assert quoted(text, "ru") == ["Мы с самого начала настаивали на паузе,"]


def test_english_quotation_marks_and_a_quote_cut_by_sentence_splitting():
    text = "Tokayev cautioned against undue focus on threats, asserting, “Frequent statements on this topic create the illusion that we are afraid of someone.”"
    assert quoted(text, "en") == ["Frequent statements on this topic create the illusion that we are afraid of someone."]
    opened = PAIRS["aid"]["en"]  # “Kazakhstan has extended ... (UNRWA). Despite ...  (closed in the next sentence)
    assert quoted(opened, "en") == [opened[1:]]
    closed = "We need to stop before the fire of war burns all countries and continents,” he said."
    assert quoted(closed, "en") == ["We need to stop before the fire of war burns all countries and continents,"]


@pytest.mark.parametrize(
    "text",
    [
        "Глава государства принял участие в саммите «БРИКС плюс».",
        "право палестинцев на создание государства по формуле «Два государства для двух народов».",
        "Журнал «Die Alpen» 1956.",
    ],
)
def test_titles_and_formulas_are_not_speech(text):
    assert quoted(text, "ru") == []


def test_quote_rendered_as_paraphrase_is_flagged():
    """«– Мы с самого начала настаивали…» -> "President Tokayev stressed Kazakhstan’s call on ..."."""
    p = PAIRS["pause"]
    [m] = quotes(p["ru"], p["en"])
    assert m.check == "quote" and m.detail == "quote ↔ paraphrase"
    assert m.src_values[0].startswith("Мы с самого начала настаивали")
    (a, b), = m.tgt_spans
    assert p["en"][a:b] == "stressed"


def test_paraphrase_rendered_as_quote_is_flagged():
    ru = "Президент заявил, что Казахстан готов и далее противостоять этим вызовам вместе с партнерами."
    en = "“Kazakhstan is ready to continue countering these challenges together with our partners,” the President said."
    [m] = quotes(ru, en)
    assert m.detail == "paraphrase ↔ quote"


def test_number_changed_inside_a_quote_is_flagged():
    ru = "– Казахстан оказал гуманитарную помощь жителям Газы в размере одного миллиона долларов, – сказал Президент."
    en = "“Kazakhstan has extended a humanitarian aid of two million dollars to the residents of Gaza,” he said."
    [m] = quotes(ru, en)
    assert m.detail == "quoted: одного миллиона долларов ↔ two million dollars"


def test_name_missing_from_a_quote_is_flagged():
    ru = "– В связи с землетрясением направлены спасатели и медицинские работники в город Герат, – напомнил Президент."
    en = "“After the earthquake we sent rescuers and medical workers to the region,” the President recalled."
    [m] = quotes(ru, en)
    assert m.detail == "quoted: Герат ↔ —"


def test_quote_rendered_as_quote_is_not_flagged():
    ru = "– Частые заявления на эту тему порождают иллюзию, будто мы кого-то боимся, – подчеркнул Президент."
    en = "“Frequent statements on this topic create the illusion that we are afraid of someone,” he stressed."
    assert quotes(ru, en) == []


def test_a_sentence_from_inside_a_quote_is_not_called_paraphrase():
    """A middle sentence of a quote has no marks; without a verb of saying the check stays quiet."""
    ru = "– Конфликт на Ближнем Востоке раскрутил спираль противостояния."
    en = "The Middle East conflict has sparked a far-reaching spiral of confrontation."
    assert quotes(ru, en) == []


@pytest.mark.parametrize(
    "ru, en",
    [
        # Russian sets direct speech off by dashes, English by quotation marks: one convention each
        ("— Я приду завтра, — сказал он.", "'I'll come tomorrow,' he said."),
        ("— Я приду завтра, — сказал он.", "‘I’ll come tomorrow,’ he said."),
        ("— Я приду завтра, — сказал он.", "“I’ll come tomorrow,” he said."),
        ("— Хватит болтать, мы уходим, — отрезал Джордж.", "'Stop talking, we are leaving,' said George."),
        ("— Ты куда? — спросила она.", "'Where are you going?' she asked."),
        ("— Я думаю, что он ошибается во всём, — заметил полковник.", "‘I think he is wrong about everything,’ remarked the colonel."),
    ],
)
def test_dialogue_dashes_render_quotation_marks(ru, en):
    assert quotes(ru, en) == []


def test_single_quotation_marks_are_quotes_and_apostrophes_are_not():
    assert quoted("'Stop talking, we are leaving,' said George.", "en") == ["Stop talking, we are leaving,"]
    assert quoted("‘I think he isn’t wrong about everything,’ remarked the colonel.", "en") == [
        "I think he isn’t wrong about everything,"]
    assert quoted("It's the boys' ball, and I'll take it, he said, and the Smiths' dog barked.", "en") == []


def test_the_dash_before_an_attribution_opens_no_quote():
    assert quoted("— Ты куда? — спросила она.", "ru") == ["Ты куда?"]


def test_dialogue_rendered_as_reported_speech_is_still_flagged():
    [m] = quotes("— Я приду завтра, — сказал он.", "He said he would come the next day.")
    assert m.detail == "quote ↔ paraphrase"
    [m] = quotes("Он сказал, что придёт завтра утром.", "‘I will come tomorrow morning,’ he said.")
    assert m.detail == "paraphrase ↔ quote"
