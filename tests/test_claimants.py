"""Who claims a figure: the candidates `extractor.claimants` generates, their features, and
the choice of the bundled model. Sentences are made up (fictional names); each test names
the dev articles (../shared/corpus/dev) where the pattern it covers occurs."""

from __future__ import annotations

import pytest

from extractor import claimants
from extractor.figures import FigureExtractor
from extractor.learned import group_probabilities, load_model
from extractor.record import Article, Figure, Source


def run(extractor: FigureExtractor, text: str, publisher: str | None = None) -> list[Figure]:
    source = Source(url="https://example.org/news/1", published="2024-05-06",
                    publisher=publisher)
    return extractor.extract(Article(text, source))


def options(figure: Figure) -> dict[str | None, dict[str, float]]:
    return {c.value: c.features for c in figure.candidates[claimants.MODEL]}


def test_the_words_of_attribution_are_data():
    words = claimants.attribution()
    assert {"say", "tell", "report"} <= words.reporting
    assert "according" in words.markers
    assert "tell" in words.relaying
    assert "reuters" in words.media_words
    assert "trend news agency" in words.outlets  # from publishers.yaml


def test_outlets_are_media_by_list_or_by_name():
    media = frozenset({"apa"})
    assert claimants.is_media("APA", media)
    assert claimants.is_media("the Northland Herald", media)  # named like an outlet
    assert not claimants.is_media("Northland Mine Action Agency", media)


def test_candidates_are_nobody_the_rule_and_every_name(extractor):
    # 015, 026, b1-019: a named speaker of a body, the figure in the same sentence
    (f,) = run(extractor, "Ada Korvin, head of the Northland Mine Action Agency, said on "
                          "Monday that deminers cleared 120 hectares of land in April.")
    found = options(f)
    assert None in found
    assert "Ada Korvin" in found and "Northland Mine Action Agency" in found
    assert found["Ada Korvin"]["here:said"] == 1.0
    assert found["Ada Korvin"]["before<=0"] == 1.0
    assert found[None]["null"] == 1.0
    assert sum(1 for v in found.values() if v.get("rule")) == 1


def test_a_surname_is_the_person_named_in_full(extractor):
    # b1-019 ('Mammadov'), b2-006 ('Reva'), b3-006, b4-028: a person named again in part
    text = ("Ada Korvin is the head of the Northland Mine Action Agency.\n\n"
            "Deminers found 45 anti-tank mines in Eastvale last week, Korvin said.")
    (f,) = run(extractor, text)
    found = options(f)
    assert "Ada Korvin" in found and "Korvin" not in found
    assert found["Ada Korvin"]["here:said"] == 1.0
    assert found["Ada Korvin"]["count<=2"] == 1.0


def test_the_outlet_told_is_a_relay_not_a_speaker(extractor):
    # 015, 026, b1-013 ('told Trend', 'told Report'): the outlet relays the statement
    (f,) = run(extractor, "The Northland Mine Action Agency told Northland Herald that "
                          "deminers had found 45 anti-tank mines in Eastvale in April.")
    found = options(f)
    herald = found["Northland Herald"]
    assert herald["media"] == 1.0 and herald["here:relay"] == 1.0
    assert found["Northland Mine Action Agency"]["here:said"] == 1.0
    model = load_model(claimants.MODEL)
    if model is not None:  # the model ranks the body that spoke above the outlet
        shares = dict(zip([c.value for c in f.candidates[claimants.MODEL]],
                          group_probabilities(model, f.candidates[claimants.MODEL]),
                          strict=True))
        assert shares["Northland Mine Action Agency"] > shares["Northland Herald"]
        assert shares["Northland Mine Action Agency"] == max(shares.values())


def test_a_dateline_is_marked_and_is_not_the_claimant(extractor):
    # b3-017 ('KABUL'), b4-005 ('DAMASCUS (SANA)'): the place and outlet opening the story
    text = ("EASTVALE (Northland Herald) - Five people were killed when their car hit an "
            "anti-tank mine on Tuesday, the Northland Mine Action Agency said.")
    (f,) = run(extractor, text)
    assert f.claimant == "Northland Mine Action Agency"
    assert options(f)["Northland Herald"]["media"] == 1.0


def test_a_body_publishing_its_own_page_is_a_candidate(extractor):
    # b1-001 (ANAMA's site), b1-002 (HALO's page), b3-016, b5-007, b5-011, b5-022: the
    # publisher is a body and the text does not say who speaks
    text = ("Clearance in the north.\n\n"
            "Our deminers cleared 310 hectares of land of mines in Eastvale in March.")
    (f,) = run(extractor, text, publisher="Northland Mine Action Agency (NMAA)")
    found = options(f)
    assert found["NMAA"]["publisher"] == 1.0
    assert found["NMAA"]["publisher_body"] == 1.0
    assert found[None]["null_publisher_body"] == 1.0


def test_a_publisher_named_in_the_text_marks_that_name(extractor):
    # b4-023 ('ReliefWeb (Humanity & Inclusion)'), b2-013 ('UNDP Ukraine'): the part of the
    # publisher the text names
    text = ("The Northland Mine Action Agency (NMAA) works in Eastvale.\n\n"
            "Since January, 52 anti-personnel mines were destroyed in the district.")
    (f,) = run(extractor, text, publisher="ExampleWire (Northland Mine Action Agency)")
    assert options(f)["Northland Mine Action Agency"]["publisher"] == 1.0


@pytest.mark.skipif(load_model(claimants.MODEL) is None, reason="no trained claimant model")
def test_the_model_keeps_the_speaker_of_the_paragraph_before(extractor):
    # 007, 018, b1-008: figures in the paragraph after the attribution keep it
    text = ("The Northland Mine Action Agency said on Monday that its deminers had cleared "
            "310 hectares of land in Eastvale district in April.\n\n"
            "In the same month, 45 anti-tank mines and 120 unexploded ordnance were found.")
    figures = run(extractor, text)
    assert len(figures) == 3
    assert {f.claimant for f in figures} == {"Northland Mine Action Agency"}


def ruled(figure: Figure) -> list[str | None]:
    return [c.value for c in figure.candidates[claimants.MODEL] if c.features.get("rule")]


def test_a_generic_rules_choice_anchors_nothing(extractor):
    # b1-012 ('According to the source'), b2-017 and b3-020 ('officials'), b4-019 ('its
    # website'): the rules' choice names nobody; it stays a candidate, marked as such, and
    # no candidate holds the rules' anchor, so the model's ranking decides
    text = ("The Northland Mine Action Agency opened a new office in Eastvale on Monday.\n\n"
            "According to the source, deminers cleared 120 hectares of land in April.")
    (f,) = run(extractor, text)
    assert ruled(f) == []
    assert options(f)["source"]["rule_generic"] == 1.0
    (g,) = run(extractor, "Deminers found 45 anti-tank mines near Eastvale in April, "
                          "officials said.")
    assert ruled(g) == [] and options(g)["officials"]["rule_generic"] == 1.0
    assert g.claimant is None  # nobody else is named: the model keeps nobody


def test_unnamed_officials_are_generic_unless_a_body_is_named(extractor):
    # b2-006 ('Ukrainian officials'), b5-005 ('military officials'), b2-017: unnamed
    # officials are not claimants (FORMAT.md); the officials of a named body are that body's
    assert {"official", "officials", "sources"} <= claimants.attribution().people
    (f,) = run(extractor, "Deminers found 45 anti-tank mines near Eastvale in April, "
                          "Northlandian officials said.")
    assert ruled(f) == [] and options(f)["Northlandian officials"]["rule_generic"] == 1.0
    (g,) = run(extractor, "Deminers found 45 anti-tank mines near Eastvale in April, "
                          "Northland Mine Action Agency officials said.")
    assert ruled(g) == ["Northland Mine Action Agency"]
    assert g.claimant == "Northland Mine Action Agency"


@pytest.mark.parametrize("long_name, acronym", [
    ("the Coastal Programme of Integrated Action against Buried Mines", "CPIAM"),
    ("the Eastvale Center Against Explosive Devices and Mines of the Civil Guard", "ECEDM"),
    ("the Northland Agency for\nDemining Operations", "NADO"),
])
def test_a_body_named_in_full_before_its_acronym_is_one_name(extractor, long_name, acronym):
    """dev 040, b1-015, b1-021, b2-013, b5-001, b5-002: the NER stops a long name at a
    lowercase word, an "and" or a line break; the acronym the text defines ends it."""
    from extractor.nlp import ents_in

    text = (f"Since 2019, 120 people have been injured by mines, according to {long_name} "
            f"({acronym}).")
    doc = extractor.nlp(text)
    orgs = [e.text.removeprefix("the ") for e in ents_in(doc[:]) if e.label_ == "ORG"]
    assert long_name.removeprefix("the ") in orgs
    (f,) = run(extractor, text)
    assert f.claimant is not None and long_name.removeprefix("the ").split()[-1] in f.claimant


def test_two_bodies_before_one_acronym_stay_two(extractor):
    from extractor.nlp import ents_in

    doc = extractor.nlp("According to the State Council and Northland's Central Mine "
                        "Commission (NCMC), 40 mines were found.")
    assert not any(" and " in e.text for e in ents_in(doc[:]) if e.label_ == "ORG")


def test_a_verb_of_saying_that_takes_lives_is_the_event_not_a_statement(extractor):
    # b3-010, b4-004, b4-005, b4-008 ('... have claimed the lives of'): "claim" reports, but
    # with "lives" for object it is the deaths; its subject caused them and states nothing
    assert "life" in claimants.attribution().events
    text = ("Mines laid by the Eastvale Liberation Front have claimed the lives of more than "
            "300 civilians, Ada Korvin said on Monday.")
    (f,) = run(extractor, text)
    assert (f.metric, f.subtype, f.value) == ("casualties", "killed", 300)
    assert ruled(f) == ["Ada Korvin"]
    found = options(f)
    assert not any(v.get("rule") for k, v in found.items() if k and k.startswith("Mines"))
    front = found.get("Eastvale Liberation Front")
    assert front is None or not front.get("here:said")
    (g,) = run(extractor, "Mines laid by the Eastvale Liberation Front have claimed the lives "
                          "of more than 300 civilians.")
    assert g.claimant is None  # nobody states it
