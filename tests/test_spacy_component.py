"""`nlp.add_pipe("newsfacts")` in a user's own spaCy pipeline."""

from __future__ import annotations

from importlib.metadata import entry_points

import spacy

from extractor.nlp import DEFAULT_MODEL, load_model
from extractor.record import Figure

TEXT = ("Deminers found 25 anti-tank mines and 310 unexploded ordnance in the Lachin district "
        "last week, ANAMA said.")


def test_factory_is_registered_through_the_entry_point():
    names = [ep.name for ep in entry_points(group="spacy_factories")]
    assert "newsfacts" in names
    factory = next(ep for ep in entry_points(group="spacy_factories") if ep.name == "newsfacts")
    assert factory.value == "extractor.component:make_newsfacts_component"


def test_add_pipe_puts_figures_on_the_doc():
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("newsfacts")
    assert nlp.pipe_names[-1] == "newsfacts"
    doc = nlp(TEXT)
    figures = doc._.figures
    assert all(isinstance(f, Figure) for f in figures)
    assert {(f.metric, f.subtype, f.value) for f in figures} == {
        ("mines_neutralized", "anti_tank", 25), ("mines_neutralized", "uxo", 310)}
    assert {f.claimant for f in figures} == {"ANAMA"}
    for f in figures:
        assert doc.text[f.start:f.end] == f.evidence
    # Without a publication date, "last week" cannot be placed in time.
    assert {(f.period_start, f.period_end) for f in figures} == {(None, None)}


def test_publication_date_on_the_doc_resolves_relative_dates():
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("newsfacts")
    doc = nlp.make_doc(TEXT)
    doc._.published = "2024-05-06"
    doc = nlp(doc)
    assert {(f.period_start, f.period_end) for f in doc._.figures} == {("2024-04-29",
                                                                        "2024-05-05")}


def test_nlp_pipe_and_a_pattern_folder_from_the_config(tmp_path):
    pack = tmp_path / "roads"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "name: roads\nobjects:\n  - subtype: bridges\n    patterns: ['bridges']\n"
        "metrics:\n  - id: bridges_repaired\n    kind: count\n    objects: [bridges]\n"
        "    triggers: [repaired]\n", encoding="utf-8")
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("newsfacts", config={"patterns_dir": str(tmp_path)})
    docs = list(nlp.pipe(["Crews repaired 40 bridges.", TEXT]))
    assert [[(f.metric, f.value, f.pattern) for f in d._.figures] for d in docs] == [
        [("bridges_repaired", 40, "roads.bridges_repaired")], []]


def test_the_model_is_loaded_once_per_process():
    assert load_model() is load_model()
    assert load_model(DEFAULT_MODEL) is load_model()
