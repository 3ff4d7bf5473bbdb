"""Sentence segmentation: the seeds' quirks, offsets into the untouched text, speed."""
from __future__ import annotations

import itertools
import re
from importlib.metadata import version
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.model import Document, Segment
from align.steps import segment as segment_module
from align.steps.segment import (
    segment,
    segment_lines,
    segment_text,
    segmenter_signature,
)

DATA = Path(__file__).parent / "data" / "segment"
SEED_PAIR = Path(__file__).resolve().parent.parent / "pairs" / "csto-2023-narrow-session"
SEED_EN = (SEED_PAIR / "000_6cf8d23f497eb1aa.txt").read_text(encoding="utf-8")
SEED_RU = (SEED_PAIR / "001_cc3bb9ed3dc9ac90.txt").read_text(encoding="utf-8")


def check_spans(text: str, segments: list[Segment]) -> list[str]:
    """Every span reproduces its segment and has no outer whitespace; indices run 0..n-1."""
    assert [s.index for s in segments] == list(range(len(segments)))
    for s in segments:
        piece = text[s.start : s.end]
        assert piece == piece.strip(), (s, piece)
        assert re.sub(r"\s+", " ", piece) == s.text, (s, piece)
    assert all(a.end <= b.start for a, b in itertools.pairwise(segments))
    return [s.text for s in segments]


def sents(text: str, lang: str) -> list[str]:
    return check_spans(text, segment_text(text, lang))


# --- line breaks -------------------------------------------------------------------------


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"])
def test_every_kind_of_line_break_is_a_boundary_and_offsets_stay_in_the_original(nl: str) -> None:
    text = nl.join(["Другие новости", "", "Поздравление Главы государства Касым-Жомарта Токаева с Днем Республики", "Akorda.kz"])
    segs = segment_text(text, "ru")
    assert check_spans(text, segs) == [
        "Другие новости",
        "Поздравление Главы государства Касым-Жомарта Токаева с Днем Республики",
        "Akorda.kz",
    ]
    assert text[segs[2].start : segs[2].end] == "Akorda.kz"
    assert segs[2].end == len(text)


def test_headlines_without_final_punctuation_stay_segments_of_their_own() -> None:
    text = SEED_RU[: SEED_RU.index("В ходе сессии")]
    assert sents(text, "ru") == [
        "Воскресенье, 24 Ноября 2024",
        "Глава государства принял участие в сессии Совета коллективной безопасности ОДКБ в узком составе",
        "Глава государства принял участие в сессии Совета коллективной безопасности ОДКБ в узком составе",
        ("В заседании приняли участие Президент Республики Беларусь Александр Лукашенко, Президент Кыргызской "
        "Республики Садыр Жапаров, Президент Российской Федерации Владимир Путин, Президент Республики "
        "Таджикистан Эмомали Рахмон, а также Генеральный секретарь ОДКБ Имангали Тасмагамбетов."),
    ]


def test_english_headline_line_is_not_joined_to_the_capitalised_line_after_it() -> None:
    text = "CSTO calls all Afghan ethno-confessional groups to refrain from armed confrontation\nF.P. Report\nDUSHANBE: In Dushanbe on Wednesday, a joint meeting was held."
    assert sents(text, "en") == [
        "CSTO calls all Afghan ethno-confessional groups to refrain from armed confrontation",
        "F.P. Report",
        "DUSHANBE: In Dushanbe on Wednesday, a joint meeting was held.",
    ]


def test_hard_wrapped_line_is_joined_when_the_next_line_starts_in_lower_case() -> None:
    text = (
        "Statement by the Ministers of Foreign Affairs of the member states\r\n"
        "on collective efforts to resolve crisis situations\r\n"
        "in the Middle East and North Africa. The document expresses concern.\r\n"
    )
    segs = segment_text(text, "en")
    assert check_spans(text, segs) == [
        ("Statement by the Ministers of Foreign Affairs of the member states on collective efforts to resolve "
        "crisis situations in the Middle East and North Africa."),
        "The document expresses concern.",
    ]
    assert "\r\n" in text[segs[0].start : segs[0].end]  # the span covers the original line breaks


def test_line_ending_in_final_punctuation_is_not_joined_even_before_lower_case() -> None:
    text = "– Мириться с этим невозможно.\nнапомнил Глава государства"
    assert sents(text, "ru") == ["– Мириться с этим невозможно.", "напомнил Глава государства"]


def test_blank_line_is_a_hard_boundary_even_before_lower_case() -> None:
    text = "Statement by the Ministers of Foreign Affairs\n\non collective efforts to resolve crisis situations"
    assert sents(text, "en") == [
        "Statement by the Ministers of Foreign Affairs",
        "on collective efforts to resolve crisis situations",
    ]


# --- glued sentences -----------------------------------------------------------------------


def test_glued_sentences_after_exclamation_mark_are_split() -> None:
    text = "Уважаемые соотечественники!От всей души поздравляю..."
    segs = segment_text(text, "ru")
    assert check_spans(text, segs) == ["Уважаемые соотечественники!", "От всей души поздравляю..."]
    assert (segs[1].start, segs[1].end) == (27, len(text))


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Good news?Next sentence here.", "en", ["Good news?", "Next sentence here."]),
        ("Вот и всё…Дальше было тише.", "ru", ["Вот и всё…", "Дальше было тише."]),
    ],
)
def test_glued_sentences_after_question_mark_and_ellipsis_are_split(text: str, lang: str, expected: list[str]) -> None:
    assert sents(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Akorda.kz", "ru"),
        ("In an exclusive commentary to Cronos.Asia, the Secretary General spoke.", "en"),
        ("Они отправили помощь в структуру ООН – UNRWA/БАПОР.", "ru"),
        ("Это было важно!USA and CSTO.", "en"),  # a capital then a capital: an acronym, not a sentence
    ],
)
def test_no_split_at_a_glued_full_stop_or_before_an_acronym(text: str, lang: str) -> None:
    assert sents(text, lang) == [text]


# --- abbreviations and initials ------------------------------------------------------------


def test_razdel_false_split_mln_dollars_usa_is_repaired() -> None:
    text = "Казахстан оказал помощь в размере 1 млн долл. США. Мириться с этим невозможно."
    assert sents(text, "ru") == ["Казахстан оказал помощь в размере 1 млн долл. США.", "Мириться с этим невозможно."]


def test_a_day_written_as_an_ordinal_does_not_end_a_sentence() -> None:
    # MQM en-de: "Als russische Truppen am 24. | Februar in die Ukraine einmarschierten" split in every one of
    # its 72 items with such a date.
    text = "Als russische Truppen am 24. Februar 2022 einmarschierten, war es kalt. Danach kam der Frühling."
    assert sents(text, "de") == ["Als russische Truppen am 24. Februar 2022 einmarschierten, war es kalt.",
                                 "Danach kam der Frühling."]
    assert sents("Den 5. maj 2023 kom han. Det var koldt.", "da") == ["Den 5. maj 2023 kom han.", "Det var koldt."]
    # A score is not a day: "3:2." still ends its sentence.
    assert sents("Das Ergebnis war 3:2. Mai und Juni folgten.", "de") == ["Das Ergebnis war 3:2.", "Mai und Juni folgten."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Председательство Казахстана начнется с 1 января 2024 г. в Минске.",
        "Угрозы существовали всегда, т.е. Организация должна быть готова.",
        "Угрозы существовали всегда, т. е. Организация должна быть готова.",
        "Обсуждены наркотики, оружие и т.д. и т.п. на заседании.",
        "Обсуждены новые угрозы, в т.ч. Афганистан и Ближний Восток.",
        "Президент К.-Ж. Токаев выступил на заседании.",
        "К.-Ж. Токаев выступил на заседании.",
        "Академия имени С.М. Кирова находится в Санкт-Петербурге.",
        "С.М. Киров был революционером.",
    ],
)
def test_russian_abbreviations_and_initials_do_not_split(sentence: str) -> None:
    text = f"{sentence} Мириться с этим невозможно."
    assert sents(text, "ru") == [sentence, "Мириться с этим невозможно."]


def test_russian_etc_at_the_end_of_a_sentence_still_splits() -> None:
    text = "Обсуждены наркотики, оружие и т.д. Мириться с этим невозможно."
    assert sents(text, "ru") == ["Обсуждены наркотики, оружие и т.д.", "Мириться с этим невозможно."]


@pytest.mark.parametrize(
    "sentence",
    [
        "The session was held in Minsk on Nov. 23, Akorda press service reported.",
        "The U.S. delegation did not attend.",
        "U.S. officials did not attend.",
        "They trained at the S.M. Kirov Military Medical Academy in St. Petersburg.",
        "They support the Special Representative for Libya, G. Salame, in accordance with his mandate.",
        "G. Salame briefed the ministers.",
        "Mr. Tokayev met Dr. Zas before the session.",
        "The statement is listed as No. 5 on the agenda.",
        "President K.-J. Tokayev chaired the session.",
    ],
)
def test_english_abbreviations_and_initials_do_not_split(sentence: str) -> None:
    text = f"{sentence} The session concluded."
    assert sents(text, "en") == [sentence, "The session concluded."]


def test_dates_and_counters_stay_whole() -> None:
    text = "Уважаемые соотечественники!От всей души поздравляю...\n\n\xa0 25.10.2024 \xa0 1975\nГлава государства принял участие в саммите «БРИКС плюс»"
    segs = segment_text(text, "ru")
    assert check_spans(text, segs)[2:] == ["25.10.2024 1975", "Глава государства принял участие в саммите «БРИКС плюс»"]
    assert text[segs[2].start : segs[2].end] == "25.10.2024 \xa0 1975"
    assert sents("On 25.10.2024 the session was held in Minsk.", "en") == ["On 25.10.2024 the session was held in Minsk."]


# --- quotations and dialogue ---------------------------------------------------------------


def test_english_multi_sentence_quotation_is_split_and_he_said_stays_with_the_last() -> None:
    paragraph = SEED_EN.splitlines()[2]
    assert sents(paragraph, "en") == [
        ("“Kazakhstan has extended a humanitarian aid of one million dollars to the residents of Gaza, channeling it "
        "through the United Nations structure – the UN Relief and Works Agency for Palestine Refugees in the Near "
        "East (UNRWA)."),
        "Despite facing unprecedented losses among its personnel, the UNRWA heroically continues its mission.",
        ("The Middle East conflict has sparked a far-reaching spiral of informational and ideological confrontation, "
        "casting its influence on a virtually global scale."),
        ("The events surrounding the Gaza Strip have led to a division within the world community, creating at least "
        "two camps."),
        "We need to stop before the fire of war burns all countries and continents,” he said.",
    ]


def test_quotation_ending_inside_closing_quote_keeps_the_quote() -> None:
    text = "He urged the community to act, stating, “It is necessary to ensure the right of the Palestinians.” The session went on."
    assert sents(text, "en") == [
        "He urged the community to act, stating, “It is necessary to ensure the right of the Palestinians.”",
        "The session went on.",
    ]


def test_russian_guillemet_quotation_of_several_sentences_is_split() -> None:
    text = "Президент заявил: «В конце концов, угрозы существовали всегда. Такова сущность международного сообщества». Затем он перешел к Афганистану."
    assert sents(text, "ru") == [
        "Президент заявил: «В конце концов, угрозы существовали всегда.",
        "Такова сущность международного сообщества».",
        "Затем он перешел к Афганистану.",
    ]


def test_russian_dialogue_dash_paragraph_splits_and_ends_with_said_the_president() -> None:
    paragraph = next(line for line in SEED_RU.splitlines() if line.startswith("– В результате"))
    assert sents(paragraph, "ru") == [
        "– В результате конфликта страдает мирное население, в большом количестве погибли безвинные люди, в том числе дети.",
        "Мириться с этим невозможно.",
        ("Казахстан оказал гуманитарную помощь жителям Газы в размере одного миллиона долларов, отправив ее в структуру "
        "ООН – UNRWA/БАПОР, которая понесла беспрецедентные потери среди своего персонала, но героически продолжает "
        "свою работу."),
        ("Конфликт на Ближнем Востоке раскрутил спираль фактически глобального по своим масштабам "
        "информационно-идеологического противостояния."),
        "События вокруг сектора Газа поделили мировое сообщество, как минимум, на два лагеря.",
        "Нужно остановиться, пока пожар войны не опалил все страны и континенты, – сказал Президент.",
    ]


# --- whole seeds ---------------------------------------------------------------------------

# A lower-case letter, final punctuation, space, then a capitalised word: two sentences in one segment.
MISSED_BOUNDARY = re.compile(r"[a-zа-яё][.!?…][\"”»]?\s+[\"“«–]?\s*[A-ZА-ЯЁ][a-zа-яё]")
# Left piece ends in an abbreviation or initial from the list: a false split.
ABBREVIATION_END = re.compile(
    r"(?:\b(?:г|т\.\s?е|т\.ч|долл|Nov|U\.S|Mr|Dr|No)|(?:^|\s)[A-ZА-ЯЁ]\.(?:-?[A-ZА-ЯЁ]\.)?)$"
)


@pytest.mark.parametrize(("text", "lang", "count"), [(SEED_EN, "en", 32), (SEED_RU, "ru", 58)])
def test_whole_seed_has_no_missed_or_false_splits(text: str, lang: str, count: int) -> None:
    segs = segment(Document(path="seed", lang=lang, text=text, sha256="", encoding="utf-8"))
    texts = check_spans(text, segs)
    assert [t for t in texts if MISSED_BOUNDARY.search(t)] == []
    assert [t for t in texts if ABBREVIATION_END.search(t.rstrip("."))] == []
    assert len(texts) == count


@pytest.mark.parametrize(
    ("text", "lang", "fragments"),
    [
        (SEED_EN, "en", ["Nov. 23", "Kassym-Jomart", "(UNRWA)."]),
        (SEED_RU, "ru", ["Akorda.kz", "UNRWA/БАПОР", "25.10.2024", "17.10.2024", "2011-2024.", "Astana Think Tank Forum"]),
    ],
)
def test_whole_seed_never_splits_inside_abbreviations_dates_or_names(text: str, lang: str, fragments: list[str]) -> None:
    segs = segment_text(text, lang)
    for fragment in fragments:
        starts = [m.start() for m in re.finditer(re.escape(fragment), text)]
        assert starts, fragment
        for start in starts:
            assert any(s.start <= start and start + len(fragment) <= s.end for s in segs), fragment


def test_seed_ru_footer_and_teasers() -> None:
    texts = [s.text for s in segment_text(SEED_RU, "ru")]
    assert texts[36:42] == [
        "Akorda.kz",
        "Другие новости",
        "Поздравление Главы государства Касым-Жомарта Токаева с Днем Республики",
        "Поздравление Главы государства Касым-Жомарта Токаева с Днем Республики",
        "Уважаемые соотечественники!",
        "От всей души поздравляю...",
    ]
    assert texts[-3:] == [
        "Создано на платформе Alison CMS © 2011-2024.",
        "Авторские права защищены законодательством Республики Казахстан.",
        "Дизайн и разработка сайта от компании Licon.",
    ]


# --- pre-segmented input, plug-ins, speed --------------------------------------------------


def test_segment_lines_keeps_each_line_whole_and_skips_blank_lines() -> None:
    text = "  Мириться с этим невозможно. Такова сущность.\r\n\r\n\t\r\nAkorda.kz\rДругие  новости"
    segs = segment_lines(text)
    assert check_spans(text, segs) == ["Мириться с этим невозможно. Такова сущность.", "Akorda.kz", "Другие новости"]
    assert segs[0].start == 2


def test_segmenter_signature_names_library_and_version() -> None:
    assert segmenter_signature("ru") == f"razdel-{version('razdel')}"
    assert segmenter_signature("uk") == f"razdel-{version('razdel')}"
    assert segmenter_signature("en") == f"nupunkt-{version('nupunkt')}"
    assert segmenter_signature("de") == f"nupunkt-{version('nupunkt')}"  # fallback


# --- languages that end sentences with their own script's marks ----------------------------


@pytest.mark.parametrize("lang, text, expected", [
    ("zh", "会议在明斯克举行。托卡耶夫出席了会议！他表示：“局势紧张。各国必须合作。”会议通过了二十多份文件？",
     ["会议在明斯克举行。", "托卡耶夫出席了会议！", "他表示：“局势紧张。", "各国必须合作。”", "会议通过了二十多份文件？"]),
    ("ja", "会議はミンスクで開かれた。田中さんは「行きます。」と言った。状況は緊張しているか？",
     ["会議はミンスクで開かれた。", "田中さんは「行きます。」と言った。", "状況は緊張しているか？"]),
    ("hi", "भारत एक विशाल देश है। इसकी राजधानी नई दिल्ली है। क्या आप वहाँ गए हैं?",
     ["भारत एक विशाल देश है।", "इसकी राजधानी नई दिल्ली है।", "क्या आप वहाँ गए हैं?"]),
    ("ar", "عقدت الجلسة في مينسك. هل حضر الرئيس؟ نعم، حضر الاجتماع.",
     ["عقدت الجلسة في مينسك.", "هل حضر الرئيس؟", "نعم، حضر الاجتماع."]),
    ("ur", "اجلاس منسک میں ہوا۔ صدر نے شرکت کی۔", ["اجلاس منسک میں ہوا۔", "صدر نے شرکت کی۔"]),
    ("hy", "Նիստը տեղի ունեցավ Մինսկում։ Նախագահը մասնակցեց։", ["Նիստը տեղի ունեցավ Մինսկում։", "Նախագահը մասնակցեց։"]),
    ("am", "ስብሰባው በሚንስክ ተካሄደ። ፕሬዚዳንቱ ተገኝተዋል።", ["ስብሰባው በሚንስክ ተካሄደ።", "ፕሬዚዳንቱ ተገኝተዋል።"]),
    ("my", "အစည်းအဝေးကို မင်းစခ်တွင် ကျင်းပခဲ့သည်။ သမ္မတ တက်ရောက်ခဲ့သည်။",
     ["အစည်းအဝေးကို မင်းစခ်တွင် ကျင်းပခဲ့သည်။", "သမ္မတ တက်ရောက်ခဲ့သည်။"]),
    ("el", "Η σύνοδος έγινε στο Μινσκ. Ο πρόεδρος συμμετείχε; Ναι, συμμετείχε.",
     ["Η σύνοδος έγινε στο Μινσκ.", "Ο πρόεδρος συμμετείχε;", "Ναι, συμμετείχε."]),
])
def test_sentences_ending_in_their_scripts_own_marks_are_split(lang: str, text: str, expected: list[str]) -> None:
    # Each paragraph here was one segment before: punkt's English model knows only `.`, `!` and `?`.
    assert sents("  " + text + "\n\n" + text, lang) == expected + expected
    assert segmenter_signature(lang) == f"sentencex-{version('sentencex')}"


@pytest.mark.parametrize("lang, text, expected", [
    ("zh", "“哈萨克斯坦已提供援助。尽管损失惨重，工程处仍在继续。我们必须停下来，”他说。会议结束了。",
     ["“哈萨克斯坦已提供援助。", "尽管损失惨重，工程处仍在继续。", "我们必须停下来，”他说。", "会议结束了。"]),
    ("zh", "他说：“我们必须停下来。”会议结束了。", ["他说：“我们必须停下来。”", "会议结束了。"]),
    ("hi", "उन्होंने कहा, “यह महत्वपूर्ण है। हम सहमत हैं।” बैठक समाप्त हुई।",
     ["उन्होंने कहा, “यह महत्वपूर्ण है।", "हम सहमत हैं।”", "बैठक समाप्त हुई।"]),
])
def test_a_quotation_of_several_sentences_is_split_and_its_closing_quote_stays(lang: str, text: str,
                                                                              expected: list[str]) -> None:
    # sentencex keeps a whole quotation as one segment; news quotes whole paragraphs, which then align 1-5.
    assert sents(text, lang) == expected


def test_a_chinese_line_ending_in_a_full_stop_is_not_joined_to_the_next() -> None:
    assert sents("会议在明斯克举行。\nOSCE 代表出席。", "zh") == ["会议在明斯克举行。", "OSCE 代表出席。"]
    assert sents("Նիստը տեղի ունեցավ։\nնախագահը մասնակցեց։", "hy") == ["Նիստը տեղի ունեցավ։", "նախագահը մասնակցեց։"]


def test_a_registered_segmenter_is_used_and_the_rules_still_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    class Commas:
        name = "commas-1"

        def split(self, line: str) -> list[tuple[int, int]]:
            cuts = [0] + [i + 1 for i, ch in enumerate(line) if ch == ","] + [len(line)]
            return list(itertools.pairwise(cuts))  # may include a blank piece, which must be dropped

    monkeypatch.setitem(segment_module.SEGMENTERS, "xx", Commas)
    assert segmenter_signature("xx") == "commas-1"
    assert sents("один, два!Три штуки\nчетыре,  ", "xx") == ["один,", "два!", "Три штуки четыре,"]


def test_one_megabyte_text_segments_like_its_parts() -> None:
    copies = [re.sub(r"(?<=[.!?]) (?=\w)", f" {i} ", SEED_RU) for i in range(100)]
    text = "\n\n".join(copies)
    assert len(text.encode("utf-8")) > 1_000_000
    segs = segment_text(text, "ru")
    assert len(segs) == 58 * 100


# --- bounded work: over-long sentences and documents (issue 24) --------------------------


def _unpunctuated(words: int, word: str = "слово") -> str:
    return " ".join(f"{word}{k % 7}" for k in range(words))


@pytest.mark.parametrize("lang", ["ru", "en", "de"])
def test_a_huge_line_without_punctuation_is_cut_at_spaces_near_the_limit(lang: str) -> None:
    text = "Заголовок.\n" + _unpunctuated(30_000) + "\nПоследняя строка.\n"  # one line of about 210,000 characters
    segs = segment_text(text, lang)
    check_spans(text, segs)
    middle = segs[1:-1]
    assert len(middle) > 200 and all(s.cut_at_length for s in middle)
    assert all(len(s.text) <= segment_module.MAX_SEGMENT_CHARS for s in segs)
    assert all(len(s.text) > segment_module.MAX_SEGMENT_CHARS // 2 for s in middle[:-1])  # near the limit
    assert all(text[s.end].isspace() for s in middle)  # cut at a space, never inside a word
    assert " ".join(s.text for s in middle) == text.splitlines()[1]  # nothing lost or repeated
    assert not segs[0].cut_at_length and not segs[-1].cut_at_length


def test_a_long_sentence_is_cut_after_a_comma_when_there_is_one() -> None:
    clause = "the committee heard the witnesses and read the reports of every regional office"
    text = ", ".join([clause] * 30) + "."
    segs = segment_text(text, "en")
    check_spans(text, segs)
    assert len(segs) > 1 and all(s.text.endswith((",", ".")) for s in segs)


def test_text_without_spaces_is_cut_at_the_limit_but_not_before_a_combining_mark() -> None:
    limit = segment_module.MAX_SEGMENT_CHARS
    text = "字" * (limit - 1) + "e\u0301" + "字" * 500  # é as e + combining acute across the limit
    segs = segment_text(text, "zh")
    check_spans(text, segs)
    assert [s.end - s.start for s in segs] == [limit - 1, 502]
    assert segs[1].text.startswith("e\u0301")


def test_segmented_input_cuts_an_over_long_line_too() -> None:
    text = "Short line.\n" + _unpunctuated(1_000, "word") + "\n"
    segs = segment_lines(text)
    check_spans(text, segs)
    assert [s.cut_at_length for s in segs] == [False] + [True] * (len(segs) - 1) and len(segs) > 2


def test_ordinary_sentences_are_never_cut() -> None:
    for text, lang in ((SEED_RU, "ru"), (SEED_EN, "en")):
        assert not any(s.cut_at_length for s in segment_text(text, lang))


def test_documents_over_the_work_limits_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from align.errors import InputError

    doc = Document(path="big.txt", lang="en", text="A sentence. " * 10, sha256="0" * 64, encoding="utf-8")
    segment_module.check_document_size(doc)
    segment_module.check_segment_count(doc.path, segment(doc))
    monkeypatch.setattr(segment_module, "MAX_DOCUMENT_CHARS", len(doc.text) - 1)
    monkeypatch.setattr(segment_module, "MAX_SEGMENTS", 9)
    with pytest.raises(InputError, match=r"^big\.txt: 120 characters, over the limit of 119 a side "
                                         r"\(about 45 minutes of work\); split the document"):
        segment_module.check_document_size(doc)
    with pytest.raises(InputError, match=r"^big\.txt: 10 segments, over the limit of 9 a side"):
        segment_module.check_segment_count(doc.path, segment(doc))


# --- properties: every span of any text, for every segmenter (hypothesis) --------------------


# razdel (ru, and the other Cyrillic languages), sentencex (zh, ja, hi, ar, el...), nupunkt for en and the rest.
SEGMENTER_LANGUAGES = ["ru", "uk", "en", "de", "zh", "ja", "hi", "ar", "el"]
PIECES = st.one_of(
    st.sampled_from(["Он пришёл.", "Mr. Smith left.", "т.е.", "5 млн долл. США", "K.-J. Tokayev", "«Да!»", "…",
                     "вопрос?Ответ", "Akorda.kz", "U.S.", "e\u0301", "字字。",
                     "「行きます。」と", "है। ", "هل؟", "Ναι;", "\u00a0", "\u2028", "\t", "1.5"]),
    st.text(alphabet=st.sampled_from("aбZЖ .,!?…:;»«\"'\n\r -–—0123456789"), max_size=40),
    st.text(max_size=20),  # anything at all, surrogates aside
    st.builds(lambda n: " ".join(["wordless"] * n), st.integers(100, 400)),  # over MAX_SEGMENT_CHARS, no punctuation
)


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(PIECES, max_size=12), lang=st.sampled_from(SEGMENTER_LANGUAGES))
def test_every_segment_is_the_exact_span_of_any_text(parts: list[str], lang: str) -> None:
    text = "".join(parts)
    segs = segment_text(text, lang)
    check_spans(text, segs)  # slice == text (spaces normalised), no outer spaces, in order, indices 0..n-1
    assert all(s.end - s.start <= segment_module.MAX_SEGMENT_CHARS for s in segs)
    covered = "".join(text[s.start : s.end] for s in segs)
    assert re.sub(r"\s+", "", covered) == re.sub(r"\s+", "", text)  # every non-space character is in one segment


@settings(max_examples=40, deadline=None)
@given(parts=st.lists(PIECES, max_size=12))
def test_every_line_segment_is_the_exact_span_of_any_text(parts: list[str]) -> None:
    text = "".join(parts)
    segs = segment_lines(text)
    check_spans(text, segs)
    assert re.sub(r"\s+", "", "".join(text[s.start : s.end] for s in segs)) == re.sub(r"\s+", "", text)
