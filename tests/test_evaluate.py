"""The scoring rule of FORMAT.md, on hand-made gold/prediction pairs, and `newsfacts eval`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import evaluate
from extractor.cli import main
from extractor.evaluate import (
    aggregate,
    is_acronym_of,
    names_match,
    period_bound_matches,
    score_article,
)
from extractor.patterns import load_aliases


def fig(metric="mines_neutralized", subtype="anti_tank", value=10, unit="count", **attrs):
    """A figure dict with the attributes of a typical ANAMA weekly report."""
    base = {
        "metric": metric, "subtype": subtype, "value": value, "unit": unit,
        "qualifier": "exact", "period_start": "2024-10-07", "period_end": "2024-10-13",
        "location": "Liberated territories, Azerbaijan", "claimant": "ANAMA",
        "evidence": f"{value} things",
    }
    base.update(attrs)
    return base


def area(value, unit="ha", metric="area_cleared", **attrs):
    return fig(metric, None, value, unit, **attrs)


def counts(score):
    report = aggregate([score])
    return report.overall.tp, report.overall.fp, report.overall.fn


# ---------------------------------------------------------------- values and units

def test_same_unit_values_match_within_a_tenth_of_a_percent():
    assert counts(score_article([area(6000)], [area(6005)])) == (1, 0, 0)
    assert counts(score_article([area(6000)], [area(6010)])) == (0, 1, 1)


def test_areas_compare_in_hectares_with_one_percent_for_a_conversion():
    gold = [area(6000)]
    # 14,800 acres is 5,989.35 ha: 0.18% off, inside the 1% a conversion gets
    assert counts(score_article(gold, [area(14800, "acre")])) == (1, 0, 0)
    # 14,700 acres is 5,948.9 ha: 0.85% off, still a conversion
    assert counts(score_article(gold, [area(14700, "acre")])) == (1, 0, 0)
    # 14,500 acres is 5,867.9 ha: 2.2% off
    assert counts(score_article(gold, [area(14500, "acre")])) == (0, 1, 1)
    assert counts(score_article([area(1686047, "m2")], [area(168.6047)])) == (1, 0, 0)
    assert counts(score_article([area(16.8, "mi2")], [area(4351.18)])) == (1, 0, 0)
    assert counts(score_article([area(1.5, "km2")], [area(150)])) == (1, 0, 0)
    assert counts(score_article([area(1.5, "km2")], [area(152)])) == (0, 1, 1)


def test_metric_and_subtype_must_agree():
    assert counts(score_article([fig(subtype="anti_tank")], [fig(subtype="anti_personnel")])) \
        == (0, 1, 1)
    assert counts(score_article([fig("mines_estimated", "mines", 5)],
                                [fig("mines_neutralized", "mines", 5)])) == (0, 1, 1)


def test_counts_are_not_converted_like_areas():
    assert counts(score_article([fig(value=100)], [fig(value=101)])) == (0, 1, 1)


# ---------------------------------------------------------------- what is not counted

def test_gold_other_is_neither_found_nor_missed_whatever_metric_the_prediction_gives():
    gold = [fig("casualties", "killed", 4), fig("other", None, 23)]
    score = score_article(gold, [fig("casualties", "killed", 4), fig("casualties", "total", 23)])
    assert counts(score) == (1, 0, 0)
    assert [p["value"] for _, p in score.ignored] == [23]
    # and missing the `other` figure costs nothing
    assert counts(score_article(gold, [fig("casualties", "killed", 4)])) == (1, 0, 0)


def test_other_matches_across_units_like_any_figure():
    gold = [area(683000, metric="other")]
    assert counts(score_article(gold, [area(683000)])) == (0, 0, 0)
    assert counts(score_article(gold, [area(690000)])) == (0, 1, 0)


def test_rounded_restatement_with_its_qualifier_is_not_counted_against():
    gold = [fig("casualties", "total", 337)]
    over_330 = fig("casualties", "total", 330, qualifier="min")
    score = score_article(gold, [fig("casualties", "total", 337), over_330])
    assert counts(score) == (1, 0, 0)
    assert score.ignored[0][0].startswith("rounded restatement")


@pytest.mark.parametrize(
    ("value", "qualifier"),
    [
        (330, "exact"),  # no qualifier: a different figure
        (350, "min"),  # "over 350" does not restate 337
        (320, "max"),  # "up to 320" does not either
        (300, "approx"),  # 11% off
    ],
)
def test_unqualified_or_far_restatements_are_false_hits(value, qualifier):
    gold = [fig("casualties", "total", 337)]
    restated = fig("casualties", "total", value, qualifier=qualifier)
    preds = [fig("casualties", "total", 337), restated]
    assert counts(score_article(gold, preds)) == (1, 1, 0)


def test_about_restates_in_either_direction_across_units():
    gold = [area(5870)]
    assert counts(score_article(gold, [area(5870), area(6000, qualifier="approx")])) == (1, 0, 0)
    assert counts(score_article(gold, [area(5870), area(14000, "acre", qualifier="approx")])) \
        == (1, 0, 0)


def test_a_repeated_prediction_of_a_matched_figure_is_not_a_false_hit():
    gold = [fig(value=64)]
    score = score_article(gold, [fig(value=64), fig(value=64, evidence="64 Mines")])
    assert counts(score) == (1, 0, 0)
    assert score.ignored[0][0].startswith("repeats")


def test_group_breakdowns_are_not_scored():
    gold = [fig("casualties", "total", 8)]
    preds = [fig("casualties", "total", 8), fig("casualties", "total", 4, group="military")]
    assert counts(score_article(gold, preds)) == (1, 0, 0)


def test_two_gold_figures_with_one_value_need_two_predictions():
    gold = [fig("casualties", "injured", 4), fig("casualties", "injured", 4, location="Kalbajar")]
    assert counts(score_article(gold, [fig("casualties", "injured", 4)])) == (1, 0, 1)


def test_matching_pairs_a_prediction_with_the_gold_figure_whose_attributes_agree():
    gold = [
        fig(value=11, period_start="2023-12-18", period_end="2023-12-24"),
        fig(value=11, period_start="2023-11-01", period_end="2023-11-30"),
    ]
    preds = [fig(value=11, period_start="2023-11-01", period_end="2023-11-30"),
             fig(value=11, period_start="2023-12-18", period_end="2023-12-24")]
    score = score_article(gold, preds)
    assert counts(score) == (2, 0, 0)
    assert all(pair.attributes["period"] for pair in score.matched)


# ---------------------------------------------------------------- attributes

def attributes_of(gold, pred):
    (pair,) = score_article([gold], [pred]).matched
    return pair.attributes


def test_qualifier_must_be_equal():
    assert attributes_of(fig(qualifier="approx"), fig(qualifier="approx"))["qualifier"]
    assert not attributes_of(fig(qualifier="approx"), fig(qualifier="min"))["qualifier"]


@pytest.mark.parametrize(
    ("gold", "pred", "end", "ok"),
    [
        ("2021-10-31", "2021-10-31", True, True),
        ("2021-10-31", "2021-10-30", True, False),
        # a partial gold date takes any day inside it, or the same or a narrower part
        ("2020-11", "2020-11-10", False, True),
        ("2020-11", "2020-12-01", False, False),
        ("2020-11", "2020-11", False, True),
        ("2014", "2014-06", False, True),
        ("2014", "2015-01-01", False, False),
        # a partial prediction: its first day for a start, its last day for an end
        ("2021-10-31", "2021-10", True, True),
        ("2021-10-01", "2021-10", False, True),
        ("2021-10-31", "2021-10", False, False),
        ("2024-12-31", "2024", True, True),
        ("2024-02-29", "2024-02", True, True),
        # null matches only null
        (None, None, True, True),
        (None, "2021-10-31", True, False),
        ("2021-10-31", None, True, False),
    ],
)
def test_period_bounds(gold, pred, end, ok):
    assert period_bound_matches(gold, pred, end=end) is ok


def test_period_needs_both_bounds():
    gold = fig(period_start="2020-11-10", period_end="2021-11-02")
    assert attributes_of(gold, fig(period_start="2020-11-10", period_end="2021-11-02"))["period"]
    assert not attributes_of(gold, fig(period_start="2020-11-10", period_end=None))["period"]
    assert not attributes_of(gold, fig(period_start="2020-11", period_end="2021-11-02"))["period"]


@pytest.mark.parametrize(
    ("gold", "pred", "ok"),
    [
        ("Kalbajar", "kalbajar", True),
        ("Kalbajar district", "Kalbajar", True),
        ("Bié province, Angola", "bié, angola", True),
        ("Chirag village, Kalbajar district", "Kalbajar", True),
        ("Chiragli (Chirag) village, Kalbajar district", "Chirag", True),
        ("Liberated territories, Azerbaijan", "Azerbaijan", True),
        ("Kherson Oblast, Ukraine", "Kherson", True),
        ("Aghdam, Fuzuli and Zangilan districts", "Fuzuli district", True),
        ("Liberated territories, Azerbaijan", "Karabakh", False),
        ("Kalbajar", "Lachin", False),
        ("Kalbajar, Azerbaijan", "Lachin, Azerbaijan", False),
        (None, None, True),
        ("Kalbajar", None, False),
        (None, "Kalbajar", False),
    ],
)
def test_locations(gold, pred, ok):
    assert names_match(gold, pred, {}) is ok


@pytest.mark.parametrize(
    ("gold", "pred", "ok"),
    [
        ("ANAMA", "Azerbaijan National Agency for Mine Action", True),
        ("Vugar Suleymanov (ANAMA)", "ANAMA", True),
        ("Vugar Suleymanov (ANAMA)", "Azerbaijan National Agency for Mine Action", True),
        ("Hafiz Safikhanov (Azerbaijan Campaign Against Landmines), citing ANAMA", "ANAMA", True),
        ("Cambodian Mine Action and Victim Assistance Authority (CMAA)", "CMAA", True),
        ("Project Masam", "project masam", True),
        ("ANAMA", "Azerbaijan Mine Action Agency", False),  # AMAA, not ANAMA
        ("ANAMA", "Ministry of Defense", False),
        ("ANAMA", None, False),
    ],
)
def test_claimants(gold, pred, ok):
    assert names_match(gold, pred, {}) is ok


def test_acronym_rule_skips_small_words_and_accepts_them_too():
    assert is_acronym_of("UNDP", "United Nations Development Programme")
    assert is_acronym_of("MES", "Ministry of Emergency Situations")
    assert is_acronym_of("MOES", "Ministry of Emergency Situations")
    assert not is_acronym_of("MES", "Ministry of Defense")
    assert not is_acronym_of("A", "Agency")


def test_known_aliases_make_two_names_one():
    aliases = {"kelbajar": "Kalbajar", "azerbaijan mine action agency": "ANAMA",
               "fizuli": "Fuzuli"}
    assert names_match("Kalbajar district", "Kelbajar", aliases)
    assert names_match("ANAMA", "Azerbaijan Mine Action Agency", aliases)
    assert names_match("Aghdam, Fuzuli and Zangilan districts", "Fizuli", aliases)
    assert not names_match("Kalbajar", "Kelbajar", {})
    assert not names_match("Kalbajar", "Fizuli", aliases)


def test_the_bundled_gazetteer_aliases_serve_the_scorer():
    aliases = load_aliases(None)
    assert names_match("Kalbajar district", "Kelbajar", aliases)
    assert names_match("Yukhari Seyidahmadli village, Fuzuli district", "Fizuli", aliases)
    assert names_match("ANAMA", "Mine Action Agency of Azerbaijan", aliases)
    assert names_match("Masam", "Saudi Project for Landmine Clearance", aliases)
    # a slash belongs to the name, it does not split it
    assert names_match("National Regulatory Authority for UXO/Mine Action", "NRA", aliases)
    assert not names_match("Shusha", "Lachin", aliases)


def test_attribute_accuracy_counts_only_matched_figures():
    gold = [fig(value=1, claimant="ANAMA"), fig(value=2, claimant="ANAMA"), fig(value=3)]
    preds = [fig(value=1, claimant="ANAMA"), fig(value=2, claimant=None), fig(value=99)]
    report = aggregate([score_article(gold, preds)])
    assert report.attributes["claimant"] == (1, 2)
    assert report.accuracy("claimant") == 0.5
    assert report.attributes["qualifier"] == (2, 2)


# ---------------------------------------------------------------- aggregation

def test_scores_are_micro_averaged_over_articles_and_split_by_metric():
    first = score_article([fig(value=1), fig(value=2), area(10)], [fig(value=1), area(10)])
    second = score_article([fig("casualties", "killed", 1)],
                           [fig("casualties", "killed", 1), fig("casualties", "injured", 7)])
    report = aggregate([first, second])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (3, 1, 1)
    assert report.overall.precision == pytest.approx(0.75)
    assert report.overall.recall == pytest.approx(0.75)
    mines = report.by_metric["mines_neutralized"]
    assert (mines.tp, mines.fp, mines.fn) == (1, 0, 1)
    assert report.by_metric["casualties"].precision == pytest.approx(0.5)
    as_json = report.to_dict()
    assert as_json["overall"]["f1"] == pytest.approx(0.75)
    assert as_json["metrics"]["area_cleared"]["f1"] == 1.0


def test_an_empty_report_is_zero_not_a_division_error():
    report = aggregate([])
    assert report.overall.f1 == 0.0
    assert report.accuracy("period") == 0.0


# ---------------------------------------------------------------- gold files

TEXT = "ANAMA said 64 anti-tank mines were found from October 7 to 13, 2024."


def gold_file(**overrides):
    obj = {"url": None, "publisher": "Test", "published": "2024-10-14", "text": TEXT,
           "gold": [fig(value=64, evidence="64 anti-tank mines")]}
    obj.update(overrides)
    return obj


def test_gold_problems_accepts_a_conforming_file_and_names_each_departure():
    assert evaluate.gold_problems(gold_file()) == []
    bad = gold_file(gold=[
        fig(value=64, evidence="64 antitank mines"),
        fig(metric="casualties", subtype="anti_tank", value=1, evidence="64"),
        area(5, "hectare", evidence="64"),
        fig(value=1, period_end="13.10.2024", evidence="64"),
        fig(value=1, qualifier="around", evidence="64"),
    ])
    problems = evaluate.gold_problems(bad)
    assert any("gold[0]: evidence" in p for p in problems)
    assert any("gold[1]: subtype" in p for p in problems)
    assert any("gold[2]: unknown unit" in p for p in problems)
    assert any("gold[3]: period_end" in p for p in problems)
    assert any("gold[4]: unknown qualifier" in p for p in problems)


def write(path: Path, content) -> Path:
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


def test_score_files_skips_bad_gold_files_with_an_error_each(tmp_path):
    write(tmp_path / "good.json", gold_file())
    write(tmp_path / "broken.json", "{not json")
    write(tmp_path / "notext.json", {"gold": []})
    write(tmp_path / "badgold.json", gold_file(gold={"metric": "x"}))
    seen = []

    def extract(article):
        seen.append(article)
        return [fig(value=64)]

    scores, errors = evaluate.score_files([str(tmp_path)], extract)
    assert [Path(s.name).name for s in scores] == ["good.json"]
    assert sorted(Path(e.path).name for e in errors) == ["badgold.json", "broken.json",
                                                          "notext.json"]
    assert "malformed JSON" in next(e.message for e in errors if e.path.endswith("broken.json"))
    # the article is built as the pipeline builds it, with the file's metadata
    assert seen[0].text == TEXT and seen[0].source.published == "2024-10-14"
    assert counts(scores[0]) == (1, 0, 0)


def test_an_extraction_failure_is_an_error_and_its_gold_counts_as_missed(tmp_path):
    write(tmp_path / "a.json", gold_file())

    def extract(article):
        raise RuntimeError("boom")

    scores, errors = evaluate.score_files([str(tmp_path)], extract)
    assert "boom" in errors[0].message
    assert counts(scores[0]) == (0, 0, 1)


def test_error_listing_shows_sentences_and_attribute_mismatches():
    text = "Weekly report. ANAMA said 64 anti-tank mines and 3 anti-personnel mines were found."
    gold = [fig(value=64, evidence="64 anti-tank mines"),
            fig(subtype="anti_personnel", value=3, evidence="3 anti-personnel mines")]
    preds = [fig(value=64, claimant=None), fig("casualties", "killed", 7, sentence="Seven died."),
             fig(value=64, evidence="64 Mines")]
    score = score_article(gold, preds, name="a.json", text=text)
    listing = evaluate.format_errors([score])
    assert "MISS  mines_neutralized/anti_personnel 3" in listing
    assert "sentence: ANAMA said 64 anti-tank mines and 3 anti-personnel mines were found." \
        in listing
    assert "FALSE casualties/killed 7" in listing and "Seven died." in listing
    assert "ATTR  claimant: gold 'ANAMA' predicted 'None'" in listing
    assert "SKIP  mines_neutralized/anti_tank 64" in listing and "repeats" in listing
    as_dict = evaluate.errors_to_dict(score)
    assert as_dict["attribute_mismatches"][0]["gold"] == {"claimant": "ANAMA"}
    assert as_dict["ignored"][0]["evidence"] == "64 Mines"


# ---------------------------------------------------------------- the command

def test_eval_command_reports_bad_files_on_stderr_and_exits_1(tmp_path, capsys):
    write(tmp_path / "negative.json", gold_file(text="A bus crashed in Baku.", gold=[]))
    write(tmp_path / "broken.json", "{")
    status = main(["eval", str(tmp_path)])
    out, err = capsys.readouterr()
    assert status == 1
    assert "broken.json" in err and "malformed JSON" in err
    assert "overall" in out and "claimant" in out


def test_eval_command_json_is_one_object(tmp_path, capsys):
    write(tmp_path / "negative.json", gold_file(text="A bus crashed in Baku.", gold=[]))
    status = main(["eval", "--json", "--errors", str(tmp_path)])
    out, _ = capsys.readouterr()
    result = json.loads(out)
    assert status == 0
    assert result["articles"] == 1
    assert set(result["metrics"]) == set(evaluate.SCORED_METRICS)
    assert result["file_errors"] == [] and len(result["errors"]) == 1


def test_eval_command_lists_a_gold_figure_the_text_cannot_give_as_missed(tmp_path, capsys):
    wrong = fig(subtype="anti_personnel", value=3, evidence="64 anti-tank mines")
    write(tmp_path / "a.json", gold_file(gold=[wrong]))
    assert main(["eval", "--errors", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "MISS  mines_neutralized/anti_personnel 3 count (exact)" in out
    assert f"sentence: {TEXT}" in out


def test_eval_command_with_a_missing_patterns_folder_is_a_setup_error(tmp_path, capsys):
    write(tmp_path / "a.json", gold_file())
    assert main(["eval", "--patterns", str(tmp_path / "none"), str(tmp_path)]) == 2
    assert "patterns" in capsys.readouterr().err


def test_eval_command_on_a_missing_folder_is_an_error(tmp_path, capsys):
    status = main(["eval", str(tmp_path / "nope")])
    assert status == 1
    assert "no such file" in capsys.readouterr().err
