"""Page furniture is recognised from the document alone; a numbered heading is not furniture."""
from align.model import Segment
from align.steps.boilerplate import find_boilerplate


def _segments(lines: list[str]) -> list[Segment]:
    out, start = [], 0
    for i, line in enumerate(lines):
        out.append(Segment(i, line, start, start + len(line)))
        start += len(line) + 1
    return out


BODY = ["The leaders met in Minsk on Thursday to discuss regional security.",
        "They agreed to hold the next session in Astana.",
        "The chairmanship passes to Kazakhstan next year."]


def test_page_dates_and_view_counters_are_boilerplate():
    lines = ["Воскресенье, 24 Ноября 2024", *BODY, "25.10.2024 \xa0 1975", "November 27, 2019"]
    found = find_boilerplate(_segments(lines))
    assert set(found) == {0, 4, 5}
    assert found[0] == "page date"


def test_a_numbered_heading_is_not_a_date_line():
    lines = [*BODY, "1. 1950 :", "Annapurna I, 8078 m, expedition leader M. Herzog.", "2. 1953 :"]
    assert find_boilerplate(_segments(lines)) == {}


def test_read_also_links_and_tags_inside_an_article_are_boilerplate():
    lines = [BODY[0], "Читайте также: Глава государства провел переговоры с Президентом Беларуси", BODY[1],
             "READ ALSO: Tokayev Holds Talks with Lukashenko in Minsk", BODY[2], "Tags: CSTO, Kassym-Jomart Tokayev, Minsk"]
    found = find_boilerplate(_segments(lines))
    assert set(found) == {1, 3, 5}
    assert found[3] == "link to another page: READ ALSO: Tokayev Holds Talks with Lukashenko in Minsk"


def test_a_sentence_with_a_colon_is_not_a_link_label():
    lines = [*BODY, "Related issues were discussed as well: trade, transport and water.",
             "The minister said: see also the annex to the agreement.", "Tags:"]
    assert find_boilerplate(_segments(lines)) == {}


def test_a_line_without_a_word_is_debris_not_an_omission():
    lines = [BODY[0], ".....", BODY[1], "24 a !", BODY[2], "1. 1950 :"]
    debris = "no words: layout or OCR debris"
    assert find_boilerplate(_segments(lines)) == {1: debris, 3: debris}


def test_a_menu_or_breadcrumb_in_any_language_is_navigation():
    menus = ["ホーム | ニュース | お問い合わせ", "Главная › Новости › Мир", "Accueil » Monde » Asie",
             "Русский | English | Қазақша", "首页 · 新闻 · 联系我们"]
    found = find_boilerplate(_segments([menus[0], *BODY, *menus[1:]]))
    assert set(found) == {0, 4, 5, 6, 7}
    assert found[0] == "navigation: ホーム | ニュース | お問い合わせ"
    assert set(find_boilerplate(_segments([menus[0], *BODY]))) == {0}  # a menu at the top starts no teasers


def test_lines_with_separators_that_are_not_menus_stay_content():
    lines = [*BODY, "Exports rose 12 % | imports 8 % | the balance 4 %", "Growth | inflation",
             "He spoke of Kazakhstan / Russia / China relations in the decades since independence.",
             "The figures | as published | were revised later on."]
    assert find_boilerplate(_segments(lines)) == {}
