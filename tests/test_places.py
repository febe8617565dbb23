"""The world gazetteer, the article's focus country and the learned choice of a place.

Sentences are invented (fictional people and bodies); each test names the dev articles
whose pattern it covers.
"""

from __future__ import annotations

import pytest

from extractor.gazetteer import world_gazetteer
from extractor.learned import Candidate, LinearModel, choose
from extractor.patterns import load_gazetteer
from extractor.places import name_key
from extractor.record import Article, Source


@pytest.fixture(scope="module")
def world():
    return world_gazetteer(load_gazetteer())


def run(extractor, text: str):
    return extractor.extract(Article(text, Source(url="https://example.org/a",
                                                  published="2024-06-10")))


def found(world, text: str) -> dict[str, tuple[str, str, str | None]]:
    return {m.text: (m.places[0].name, m.places[0].kind, m.places[0].country)
            for m in world.find(text)}


# --- the gazetteer: every country's subdivisions and towns, each with its country
# (dev: b4-016 Cuando Cubango in Angola, b3-025 Honiara in the Solomon Islands)

def test_subdivisions_and_towns_know_their_country(world):
    places = found(world, "Teams of the Redwater Trust worked in Moxico and near Honiara, "
                          "then in Fizuli.")
    assert places["Moxico"] == ("Moxico", "province", "Angola")
    assert places["Honiara"][1:] == ("city", "Solomon Islands")
    # the pack's transliterations keep their canonical name
    assert places["Fizuli"] == ("Fuzuli", "district", "Azerbaijan")


def test_continents_are_places_of_their_own(world):
    # dev: b3-021 ('Asia'), b4-021 ('Horn of Africa'), b4-026 and b4-024 ('West Africa')
    places = found(world, "Officials in Asia and North America agreed.")
    assert places["Asia"] == ("Asia", "continent", None)  # not Asia the Philippine town
    assert places["North America"][1] == "continent"
    assert world.names_continent("Horn of Africa") and world.names_continent("West Africa")
    assert not world.names_continent("Westland") and not world.names_continent("Chad")


def test_names_are_whole_and_written_as_names(world):
    # dev: b4-027 (Guinea-Bissau), b4-010 (a hyphenated surname)
    places = found(world, "Guinea-Bissau said Ms Ben-Amor, and the police of Chad agreed.")
    assert places["Guinea-Bissau"] == ("Guinea-Bissau", "country", "Guinea-Bissau")
    assert "Guinea" not in places and "Ben" not in places
    assert "police" not in places  # a town of that name, but written as a word
    assert places["Chad"][1] == "country"
    assert world.country("Lao People's Democratic Republic").name == "Laos"


# --- the document's focus country: a figure's place stays in the article's country
# (dev: b4-016 and b4-003, articles about Angola and Iraq naming other countries)

ANGOLA_ARTICLE = (
    "LUENA, Angola - Angolan deminers destroyed 1,200 anti-personnel mines in 2023, the "
    "National Demining Institute said on Monday.\n"
    "The institute's director, Paulo Quissanga, told reporters in Luena that a further 35 "
    "hectares were cleared of mines in the province of Moxico, and that 12 people were "
    "killed by mines over the year.\n"
    "Quissanga said the teams, trained with help from the fictional Redwater Trust, would "
    "move to the eastern border areas next year, where roads and farmland are still closed "
    "to the villagers who fled during the war.\n"
    "The institute plans to finish the survey of the province before the rainy season, "
    "he added, and thanked the local authorities for their support.")


def test_an_article_about_another_country_does_not_fall_back_to_azerbaijan(extractor):
    figures = run(extractor, ANGOLA_ARTICLE)
    assert len(ANGOLA_ARTICLE) >= 465  # long enough for the model (its shortest dev article)
    assert figures
    gazetteer = load_gazetteer()
    for figure in figures:
        options = figure.candidates["location"]
        assert [c.value for c in options if c.features.get("focus")] == ["Angola"]
        assert figure.location in {"Angola", "Moxico", "Luena"}
        place = gazetteer.place(figure.location or "")
        assert place is None or place.country != "Azerbaijan"


def test_a_region_of_a_continent_is_one_candidate_of_its_own_kind(extractor):
    # dev: b4-021 ('the Horn of Africa'), b4-026 and b4-024 ('West Africa'): a region
    # larger than any country, whose words are no places ("West", a Cameroonian province)
    (figure,) = run(extractor, "Teams of the Redwater Trust working across West Africa "
                               "destroyed 120 anti-personnel mines last year.")
    options = {c.value: c.features for c in figure.candidates["location"]}
    assert options["West Africa"]["kind=continent"] == 1.0
    assert "West" not in options


def test_the_rules_place_with_a_kind_word_is_the_texts_place(extractor):
    # dev: 011 ('Chiragli village'), b4-020 ('Khartoum State'), b4-016 ('Menongue
    # Municipality'): the rules' name and the text's name are one candidate, with the
    # text's position and kind, as FORMAT.md compares them
    (figure,) = run(extractor, "Sappers of the Redwater Trust cleared 12 hectares in "
                               "Khartoum State last month.")
    (rule,) = [c for c in figure.candidates["location"] if c.features.get("rule")]
    assert rule.value == "Khartoum State"
    assert rule.features["kind=province"] == rule.features["where=sentence"] == 1.0
    assert not any(c.value == "Khartoum" for c in figure.candidates["location"])
    assert name_key("Chiragli village") == name_key("chiragli") == "chiragli"


def test_a_text_shorter_than_any_training_article_keeps_the_rules_choice(extractor):
    # the model learned from articles; a sentence alone says too little of its country
    (figure,) = run(extractor, "Sappers found 40 anti-tank mines in the Kelbajar district.")
    (rule,) = [c.value for c in figure.candidates["location"] if c.features.get("rule")]
    assert figure.location == rule == "Kalbajar"


def test_candidates_cover_the_sentence_the_focus_and_the_world(extractor):
    # dev: b4-023 ('northern Chad'), b4-024 ('central Mali'), b5-022 and b5-023 (Global)
    (figure,) = run(extractor, "Deminers of the Amberfield Foundation have cleared 40 hectares "
                               "of land in northern Chad since January.")
    options = {c.value: c.features for c in figure.candidates["location"]}
    assert {None, "Global", "Chad", "northern Chad"} <= set(options)
    assert options["northern Chad"]["directional"] == 1.0
    # dev: b2-013, b4-023, b4-024, b4-028: a country written with its part ("eastern
    # Ukraine") is filed under that part; a province's part ('central Bié', 033) is not
    assert options["northern Chad"]["directional&kind=country"] == 1.0
    assert options["Chad"]["focus"] == options["Chad"]["written_with_direction"] == 1.0
    assert sum(1 for f in options.values() if f.get("rule")) == 1


def test_a_worldwide_figure_is_global(extractor):
    # dev: b5-022, b5-023 (worldwide totals beside countries' names)
    text = ("Mines and explosive remnants of war killed or injured 4,710 people worldwide "
            "last year, the Landmine Monitor said, most of them in Myanmar and Syria.")
    figures = run(extractor, text)
    assert figures
    for figure in figures:
        options = {c.value: c.features for c in figure.candidates["location"]}
        assert options["Global"]["global_sentence"] == 1.0


# --- the choice: the model overrides the rules only when surer by its margin

def test_the_model_overrides_the_rules_only_by_its_margin():
    rule = Candidate("Lachin", {"rule": 1.0})
    other = Candidate("Azerbaijan", {"focus": 1.0})
    weights = {"rule": (0.0,), "focus": (0.5,)}
    sure = LinearModel(("0", "1"), (0.0,), weights, {"margin": 0.05})
    unsure = LinearModel(("0", "1"), (0.0,), weights, {"margin": 0.3})
    assert choose([rule, other], sure) is other  # P 0.62 vs 0.5
    assert choose([rule, other], unsure) is rule
    assert choose([rule, other], None) is rule
