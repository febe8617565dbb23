"""Conflicts between sources, on articles written here where the right answer is known.

Every case runs through the fact database (SQLite file and real PostgreSQL): the figures are
ingested, read back and checked, so the conflict finder is tested on what the store returns.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from test_store import Doc, database_fixture, ingest_outcomes

from extractor import conflicts, store
from extractor.cli import main as cli_main
from extractor.record import Figure

KN = conflicts.load_knowledge()
db_url = database_fixture()
SINCE = "2020-11-10"


def stored_conflicts(db_url: str, figures: list[Figure],
                     knowledge: conflicts.Knowledge = KN) -> list[conflicts.Conflict]:
    """Ingest the figures' articles, read the figures back, and find conflicts."""
    by_article: dict[int, tuple] = {}
    for fig in figures:
        by_article.setdefault(id(fig.source), (fig.source, []))[1].append(fig)
    outcomes = []
    for source, figs in by_article.values():
        doc = DOCS[id(source)]
        outcomes.append(doc.outcome(*figs))
    with store.open_store(db_url) as db:
        ingest_outcomes(db, outcomes)
        return conflicts.find_conflicts(store.current_figures(db), knowledge)


DOCS: dict[int, Doc] = {}


def doc(text: str, url: str, publisher: str | None, published: str | None) -> Doc:
    d = Doc(text, url=url, publisher=publisher, published=published)
    DOCS[id(d.source)] = d
    return d


def kinds(found: list[conflicts.Conflict]) -> list[str]:
    return [c.kind for c in found]


# ---------------------------------------------------------------- rounding and qualifiers


def _area(d: Doc, evidence: str, value: float, qualifier: str = "exact", occurrence: int = 0,
          unit: str = "ha", start: str = "2024-10-07", end: str = "2024-10-13",
          location: str = "Karabakh") -> Figure:
    return d.fig(evidence, "area_cleared", value, unit=unit, qualifier=qualifier, start=start,
                 end=end, location=location, claimant="ANAMA", occurrence=occurrence)


def test_qualified_and_rounded_figures_agree(db_url):
    trend = doc("Over the week ANAMA cleared more than 426 hectares in Garabagh.",
                "https://en.trend.az/a/1", "Trend", "2024-10-14")
    azer = doc("ANAMA cleared 426.5 hectares in the Karabakh region this week.",
               "https://www.azernews.az/a/1", "AzerNews", "2024-10-14")
    report = doc("About 6,000 hectares were cleared since November 2020.",
                 "https://report.az/a/1", "Report.az", "2021-11-02")
    apa = doc("A total of 5,987 hectares were cleared since 10 November 2020.",
              "https://apa.az/a/1", "APA", "2021-11-02")
    head = doc("1,198 hectares cleared\nANAMA said 1,198.7 hectares were cleared last week.",
               "https://news.az/a/1", "News.Az", "2024-10-21")
    other = doc("ANAMA: 1,198.7 hectares cleared in a week.", "https://mtm.az/a/1", "MTM",
                "2024-10-21")
    acres = doc("About 6,000 hectares (14,800 acres) were cleared.", "https://caliber.az/a/1",
                "Caliber", "2021-11-02")
    week2 = {"start": "2024-10-14", "end": "2024-10-20"}
    found = stored_conflicts(db_url, [
        _area(trend, "more than 426 hectares", 426, "min"),
        _area(azer, "426.5 hectares", 426.5),
        _area(report, "About 6,000 hectares", 6000, "approx", start="2020-11", end="2021-11-02"),
        _area(apa, "5,987 hectares", 5987, start=SINCE, end="2021-11-02"),
        _area(head, "1,198 hectares", 1198, **week2),
        _area(head, "1,198.7 hectares", 1198.7, **week2),
        _area(other, "1,198.7 hectares", 1198.7, **week2),
        _area(acres, "14,800 acres", 14800, unit="acre", start=SINCE, end="2021-11-02"),
    ])
    assert found == []


def test_headline_rounding_agrees_across_sources(db_url):
    headline = doc("ANAMA: 1,198 hectares cleared", "https://en.trend.az/a/2", "Trend",
                   "2024-10-14")
    body = doc("In the week ANAMA cleared 1,198.7 hectares.", "https://www.azernews.az/a/2",
               "AzerNews", "2024-10-14")
    assert stored_conflicts(db_url, [_area(headline, "1,198 hectares", 1198),
                                     _area(body, "1,198.7 hectares", 1198.7)]) == []


def test_figures_beyond_rounding_disagree_with_both_sides_evidence(db_url):
    trend = doc("ANAMA cleared 1,198.7 hectares in Karabakh last week.",
                "https://en.trend.az/a/3", "Trend News Agency", "2024-10-14")
    azer = doc("Last week 1,298 hectares were cleared in Garabagh, ANAMA said.",
               "https://www.azernews.az/a/3", "AzerNews", "2024-10-15")
    approx = doc("About 6,000 hectares were cleared in Kalbajar in 2023.",
                 "https://report.az/a/3", "Report.az", "2024-01-05")
    exact = doc("ANAMA cleared 6,900.5 hectares in Kelbajar district in 2023.",
                "https://apa.az/a/3", "APA", "2024-01-06")
    year = {"start": "2023-01-01", "end": "2023-12-31"}
    found = stored_conflicts(db_url, [
        _area(trend, "1,198.7 hectares", 1198.7),
        _area(azer, "1,298 hectares", 1298, location="Garabagh"),
        _area(approx, "About 6,000 hectares", 6000, "approx", location="Kalbajar", **year),
        _area(exact, "6,900.5 hectares", 6900.5, location="Kelbajar district", **year),
    ])
    assert kinds(found) == ["disagreement", "disagreement"]
    by_value = {c.side_a[0].value: c for c in found} | {c.side_b[0].value: c for c in found}
    week = by_value[1298]
    record = week.to_dict()
    sides = {s[0]["value"]: s[0] for s in (record["side_a"], record["side_b"])}
    assert sides[1198.7]["url"] == trend.url and sides[1298]["url"] == azer.url
    assert sides[1198.7]["publisher"] == "Trend News Agency"
    assert sides[1298]["published"] == "2024-10-15"
    assert sides[1298]["sentence"] == azer.text and sides[1298]["evidence"] == "1,298 hectares"
    assert sides[1198.7]["period_start"] == "2024-10-07" and sides[1198.7]["qualifier"] == "exact"
    assert "1,198.7 ha" in record["reason"] and "1,298 ha" in record["reason"]
    assert by_value[6000].location in ("Kalbajar", "Kelbajar district")


def test_exact_counts_must_match(db_url):
    a = doc("10,200 antipersonnel mines were neutralized.", "https://en.trend.az/a/4", "Trend",
            "2021-11-02")
    b = doc("10,250 anti-personnel mines were neutralized.", "https://report.az/a/4",
            "Report.az", "2021-11-02")
    period = {"start": SINCE, "end": "2021-10-31", "location": "Karabakh"}
    found = stored_conflicts(db_url, [
        a.fig("10,200 antipersonnel mines", "mines_neutralized", 10200,
              subtype="anti_personnel", **period),
        b.fig("10,250 anti-personnel mines", "mines_neutralized", 10250,
              subtype="anti_personnel", **period),
    ])
    assert kinds(found) == ["disagreement"]


# ---------------------------------------------------------------- cumulative series


def _victims(d: Doc, evidence: str, value: int, end: str, qualifier: str = "exact") -> Figure:
    return d.fig(evidence, "casualties", value, subtype="total", qualifier=qualifier,
                 start=SINCE, end=end, location="Azerbaijan")


SERIES = [
    ("Since 10 November 2020, 337 people have fallen victim to mines.", "https://report.az/c/1",
     "Report.az", "2024-09-01", "337 people", 337),
    ("Mine victims since November 10, 2020 have reached 338.", "https://en.trend.az/c/2",
     "Trend", "2024-09-08", "338", 338),
    ("A total of 341 citizens became victims of mines since 10 November 2020.",
     "https://www.azernews.az/c/3", "AzerNews", "2024-09-15", "341 citizens", 341),
]


def _series() -> list[Figure]:
    figs = []
    for text, url, pub, day, evidence, value in SERIES:
        figs.append(_victims(doc(text, url, pub, day), evidence, value, day))
    return figs


def test_growing_cumulative_total_is_not_a_conflict(db_url):
    later = doc("Over 330 victims of mines since November 2020.", "https://apa.az/c/4", "APA",
                "2024-09-29")
    found = stored_conflicts(db_url, [*_series(),
                                      _victims(later, "Over 330 victims", 330, "2024-09-29",
                                               qualifier="min")])
    assert found == []


def test_later_smaller_cumulative_total_is_a_conflict(db_url):
    drop = doc("Since 10 November 2020, 335 people have been victims of mines.",
               "https://news.az/c/5", "News.Az", "2024-09-22")
    found = stored_conflicts(db_url, [*_series(),
                                      _victims(drop, "335 people", 335, "2024-09-22")])
    assert kinds(found) == ["cumulative_decrease"]
    [c] = found
    assert [f.value for f in c.side_a] == [341] and [f.value for f in c.side_b] == [335]
    assert "cannot shrink" in c.reason and "2024-09-15" in c.reason and "2024-09-22" in c.reason


def test_a_figure_for_a_week_cannot_exceed_its_month(db_url):
    week = doc("In the week of 7-13 October ANAMA cleared 1,500 hectares.",
               "https://en.trend.az/d/1", "Trend", "2024-10-14")
    month = doc("In October 2024 ANAMA cleared 1,000 hectares.", "https://report.az/d/2",
                "Report.az", "2024-11-02")
    found = stored_conflicts(db_url, [
        _area(week, "1,500 hectares", 1500),
        _area(month, "1,000 hectares", 1000, start="2024-10-01", end="2024-10-31"),
    ])
    assert kinds(found) == ["subperiod_exceeds"]
    [c] = found
    assert [f.value for f in c.side_a] == [1500] and [f.value for f in c.side_b] == [1000]


def test_a_week_within_its_month_is_fine(db_url):
    week = doc("In the week of 7-13 October ANAMA cleared 1,500 hectares.",
               "https://en.trend.az/d/1", "Trend", "2024-10-14")
    month = doc("In October 2024 ANAMA cleared 4,000 hectares.", "https://apa.az/d/3", "APA",
                "2024-11-02")
    assert stored_conflicts(db_url, [
        _area(week, "1,500 hectares", 1500),
        _area(month, "4,000 hectares", 4000, start="2024-10-01", end="2024-10-31"),
    ]) == []


def test_a_month_or_year_stated_as_such_holds_its_weeks(db_url):
    year = doc("In 2022, a total of 53,081.8 ha were cleared, ANAMA told APA.",
               "https://apa.az/y/1", "APA", "2023-01-05")
    week = doc("Some 522.3 hectares were cleared over the same week.", "https://en.trend.az/y/2",
               "Trend", "2022-11-22")
    month = doc("In December alone, 4,905.2 hectares were cleared.", "https://www.azernews.az/y/3",
                "AzerNews", "2024-01-03")
    big_week = doc("Last week 6,000.5 hectares were cleared.", "https://report.az/y/4",
                   "Report.az", "2023-12-25")
    found = stored_conflicts(db_url, [
        _area(year, "53,081.8 ha", 53081.8, start="2022", end="2022"),
        _area(week, "522.3 hectares", 522.3, "approx", start="2022-11-14", end="2022-11-20"),
        _area(month, "4,905.2 hectares", 4905.2, start="2023-12", end="2023-12"),
        _area(big_week, "6,000.5 hectares", 6000.5, start="2023-12-18", end="2023-12-24"),
    ])
    # Neither the year nor the month is "the same period" as a week in it; the one week
    # larger than its whole month is the only conflict.
    assert kinds(found) == ["subperiod_exceeds"]
    assert [f.value for f in found[0].side_a] == [6000.5]
    assert [f.value for f in found[0].side_b] == [4905.2]


def test_parts_and_totals_without_any_stated_time_are_not_compared(db_url):
    cumulative = doc("Since 2018 the project has removed 383,193 mines.",
                     "https://themedialine.org/t/1", "The Media Line", None)
    weekly = doc("Project Masam dismantled 1,045 mines and UXO last week.",
                 "https://themedialine.org/t/1b", "The Media Line", None)
    assert stored_conflicts(db_url, [
        cumulative.fig("383,193 mines", "mines_neutralized", 383193, subtype="mines",
                       location="Yemen", claimant="Project Masam"),
        weekly.fig("1,045 mines and UXO", "mines_neutralized", 1045, subtype="mines_and_uxo",
                   location="Yemen", claimant="Project Masam"),
    ]) == []


# ---------------------------------------------------------------- parts and totals

PERIOD = {"start": SINCE, "end": "2021-10-31", "location": "Karabakh"}


def _mines(d: Doc, evidence: str, value: int, subtype: str, claimant: str | None = "ANAMA",
           qualifier: str = "exact") -> Figure:
    return d.fig(evidence, "mines_neutralized", value, subtype=subtype, claimant=claimant,
                 qualifier=qualifier, **PERIOD)


PARTS_TEXT = ("ANAMA said 10,200 antipersonnel mines and 4,329 anti-tank mines were "
              "neutralized between November 10, 2020, and October 31, 2021.")


def test_parts_exceeding_the_stated_total_is_a_conflict(db_url):
    parts = doc(PARTS_TEXT, "https://en.trend.az/p/1", "Trend", "2021-11-02")
    total = doc("The Azerbaijan National Agency for Mine Action neutralized 12,000 mines in "
                "that period.", "https://report.az/p/2", "Report.az", "2021-11-03")
    found = stored_conflicts(db_url, [
        _mines(parts, "10,200 antipersonnel mines", 10200, "anti_personnel"),
        _mines(parts, "4,329 anti-tank mines", 4329, "anti_tank"),
        _mines(total, "12,000 mines", 12000, "mines",
               claimant="Azerbaijan National Agency for Mine Action"),
    ])
    assert kinds(found) == ["parts_exceed_total"]
    [c] = found
    assert sorted(f.subtype for f in c.side_a) == ["anti_personnel", "anti_tank"]
    assert [f.value for f in c.side_b] == [12000]
    assert "14,529" in c.reason and "ANAMA" in c.reason


@pytest.mark.parametrize(("total_text", "value", "qualifier", "claimant"), [
    ("ANAMA neutralized 14,529 mines in that period.", 14529, "exact", "ANAMA"),
    ("ANAMA neutralized about 14,000 mines in that period.", 14000, "approx", "ANAMA"),
    ("The ministry neutralized 12,000 mines in that period.", 12000, "exact", "the ministry"),
])
def test_parts_within_the_total_or_another_claimant_are_fine(db_url, total_text, value,
                                                            qualifier, claimant):
    parts = doc(PARTS_TEXT, "https://en.trend.az/p/1", "Trend", "2021-11-02")
    total = doc(total_text, "https://report.az/p/3", "Report.az", "2021-11-03")
    evidence = total_text.split(" neutralized ")[1].split(" in ")[0]
    found = stored_conflicts(db_url, [
        _mines(parts, "10,200 antipersonnel mines", 10200, "anti_personnel"),
        _mines(parts, "4,329 anti-tank mines", 4329, "anti_tank"),
        _mines(total, evidence, value, "mines", claimant=claimant, qualifier=qualifier),
    ])
    assert found == []


def test_a_part_an_article_states_beside_its_total_is_not_a_smaller_total(db_url):
    # A total and its part for the same period in one article ("X hectares cleared, Y of
    # which is agricultural land", "X hectares including Y hectares of farmland"), as in
    # the dev articles 038.json, b2-010.json and b3-007.json, whose gold has both.
    earlier = doc("Since 10 November 2020 the agency has cleared 9,150 hectares.",
                  "https://one.example.org/a/1", "Example One", "2023-06-20")
    later = doc("Since 10 November 2020 the agency has cleared 16,807 hectares. Of the "
                "cleared area, 7,390 hectares are farmland.", "https://two.example.org/a/2",
                "Example Two", "2024-02-15")
    part_only = doc("Since 10 November 2020 the agency has cleared 7,390 hectares.",
                    "https://three.example.org/a/3", "Example Three", "2024-02-16")

    def cleared(d: Doc, evidence: str, value: int, end: str) -> Figure:
        return d.fig(evidence, "area_cleared", value, unit="ha", start=SINCE, end=end,
                     location="Liberated territories", claimant="the agency")

    figures = [cleared(earlier, "9,150 hectares", 9150, "2023-06-20"),
               cleared(later, "16,807 hectares", 16807, "2024-02-15"),
               cleared(later, "7,390 hectares", 7390, "2024-02-15")]
    assert stored_conflicts(db_url, figures) == []
    # The same smaller figure as another article's only total still shrinks the series.
    found = stored_conflicts(db_url, [*figures,
                                      cleared(part_only, "7,390 hectares", 7390, "2024-02-16")])
    assert kinds(found) == ["cumulative_decrease"]
    assert [f.source.url for f in found[0].side_b] == ["https://three.example.org/a/3"]


def test_a_total_smaller_than_a_part_in_its_own_sentence_is_a_list_item(db_url):
    # "3 anti-personnel mines, 485 anti-tank mines, 40 explosive devices and 7,023 UXO":
    # the devices are one more item of the list, not the total of the others (dev articles
    # b3-016.json, b3-027.json and b4-007.json list such items, gold `other`).
    listed = doc("The team destroyed 3 anti-personnel mines, 485 anti-tank mines and 40 "
                 "explosive devices last week, the project said.",
                 "https://wire.example.org/y/1", "Example Wire", "2024-03-11")
    stated = doc("The project destroyed 400 mines and explosive devices last week.",
                 "https://daily.example.org/y/2", "Example Daily", "2024-03-12")
    week = {"start": "2024-03-04", "end": "2024-03-10", "location": "Yemen",
            "claimant": "the project"}
    items = [listed.fig("3 anti-personnel mines", "mines_neutralized", 3,
                        subtype="anti_personnel", **week),
             listed.fig("485 anti-tank mines", "mines_neutralized", 485, subtype="anti_tank",
                        **week)]
    devices = listed.fig("40 explosive devices", "mines_neutralized", 40,
                         subtype="mines_and_uxo", **week)
    assert stored_conflicts(db_url, [*items, devices]) == []
    # A stated total in another article that the parts exceed is still a conflict.
    found = stored_conflicts(db_url, [*items, devices, stated.fig(
        "400 mines and explosive devices", "mines_neutralized", 400,
        subtype="mines_and_uxo", **week)])
    assert kinds(found) == ["parts_exceed_total"]
    assert [f.value for f in found[0].side_b] == [400]


# ---------------------------------------------------------------- syndication


def _weekly_copies(menafn_publisher: str) -> list[Figure]:
    """Trend's report of week 40 (338 in all), its MENAFN copy published a week later, and
    Trend's own report of week 41 (341): the copy is old news, not a later smaller total."""
    text_40 = "Since 10 November 2020, 338 people have fallen victim to mines, Trend reports."
    text_41 = "Since 10 November 2020, 341 people have fallen victim to mines, Trend reports."
    w40 = doc(text_40, "https://en.trend.az/s/40", "Trend News Agency", "2024-10-08")
    w41 = doc(text_41, "https://en.trend.az/s/41", "Trend News Agency", "2024-10-15")
    copy = doc(text_40, "https://menafn.com/1107655017/victims", menafn_publisher, "2024-10-16")
    return [
        _victims(w40, "338 people", 338, "2024-10-08"),
        _victims(w41, "341 people", 341, "2024-10-15"),
        # The copy carries no date of its own, so its total runs to its publication date.
        _victims(copy, "338 people", 338, "2024-10-16"),
    ]


def test_syndicated_copy_is_the_original_outlet_not_a_new_report(db_url):
    assert stored_conflicts(db_url, _weekly_copies("MENAFN / Trend News Agency")) == []


def test_same_sentence_from_an_unrelated_outlet_is_a_new_report(db_url):
    found = stored_conflicts(db_url, _weekly_copies("News.Az"))
    assert kinds(found) == ["cumulative_decrease"]


def test_syndication_knowledge_comes_from_the_patterns_data(db_url, tmp_path):
    """Without MENAFN in publishers.yaml, the same copy is counted as a second source."""
    bundled = Path(conflicts.__file__).parent.parent / "patterns"
    shutil.copy(bundled / "conflicts.yaml", tmp_path / "conflicts.yaml")
    text = (bundled / "publishers.yaml").read_text(encoding="utf-8")
    text = text.split("aggregators:")[0] + "aggregators: []\ncredit_separators: [\" / \"]\n"
    (tmp_path / "publishers.yaml").write_text(text, encoding="utf-8")
    no_menafn = conflicts.load_knowledge(tmp_path)
    found = stored_conflicts(db_url, _weekly_copies("MENAFN / Trend News Agency"), no_menafn)
    assert kinds(found) == ["cumulative_decrease"]


def test_syndicated_copies_that_differ_are_one_source_not_a_disagreement(db_url):
    azer = doc("ANAMA cleared 1,198 hectares in Karabakh last week.",
               "https://www.azernews.az/s/1", "AzerNews", "2024-10-14")
    copy = doc("ANAMA cleared 1,189 hectares in Karabakh last week.",
               "https://menafn.com/1108776710/anama", "MENAFN / AzerNews", "2024-10-14")
    independent = doc("ANAMA cleared 1,189 hectares in Karabakh last week.",
                      "https://report.az/s/3", "Report.az", "2024-10-14")
    assert stored_conflicts(db_url, [_area(azer, "1,198 hectares", 1198),
                                     _area(copy, "1,189 hectares", 1189)]) == []
    outlets = {resolve.name for resolve in (
        conflicts.resolve_outlet(azer.source, KN.publishers),
        conflicts.resolve_outlet(copy.source, KN.publishers))}
    assert outlets == {"AzerNews"}
    assert conflicts.resolve_outlet(copy.source, KN.publishers).via == "MENAFN"
    assert conflicts.resolve_outlet(independent.source, KN.publishers).name == "Report.az"


# ---------------------------------------------------------------- places and stocks


def test_different_places_and_unrelated_periods_are_not_compared(db_url):
    aghdam = doc("ANAMA cleared 300 hectares in Aghdam in 2023.", "https://en.trend.az/l/1",
                 "Trend", "2024-01-05")
    fuzuli = doc("ANAMA cleared 900 hectares in Fuzuli in 2023.", "https://report.az/l/2",
                 "Report.az", "2024-01-05")
    later = doc("ANAMA cleared 100 hectares in Aghdam in 2024.", "https://apa.az/l/3", "APA",
                "2025-01-05")
    year = {"start": "2023-01-01", "end": "2023-12-31"}
    assert stored_conflicts(db_url, [
        _area(aghdam, "300 hectares", 300, location="Aghdam", **year),
        _area(fuzuli, "900 hectares", 900, location="Fuzuli", **year),
        _area(later, "100 hectares", 100, location="Agdam", start="2024-01-01",
              end="2024-12-31"),
    ]) == []


def test_estimates_are_compared_only_when_stated_at_the_same_time(db_url):
    def estimate(d: Doc, evidence: str, value: int, qualifier: str = "exact") -> Figure:
        return d.fig(evidence, "mines_estimated", value, subtype="mines", qualifier=qualifier,
                     location="Azerbaijan")

    a = doc("Officials say at least one million landmines remain.", "https://en.trend.az/e/1",
            "Trend", "2023-03-01")
    b = doc("Some 1.5 million mines remain, experts say.", "https://report.az/e/2",
            "Report.az", "2023-03-10")
    c = doc("About 200,000 mines remain, according to the agency.", "https://apa.az/e/3",
            "APA", "2023-03-20")
    d = doc("About 200,000 mines remain, according to the agency.", "https://news.az/e/4",
            "News.Az", "2026-01-20")
    found = stored_conflicts(db_url, [
        estimate(a, "at least one million landmines", 1_000_000, "min"),
        estimate(b, "Some 1.5 million mines", 1_500_000, "approx"),
        estimate(c, "About 200,000 mines", 200_000, "approx"),
        estimate(d, "About 200,000 mines", 200_000, "approx"),
    ])
    # The March 2023 figures: 200,000 contradicts both; the 2026 repeat is a different time.
    assert kinds(found) == ["disagreement"]
    [conflict] = found
    assert {f.value for f in conflict.side_b} == {200_000}
    assert {f.source.published for f in conflict.side_b} == {"2023-03-20"}


# ---------------------------------------------------------------- CLI output


def test_conflicts_cli_formats(db_url, capsys):
    drop = doc("Since 10 November 2020, 335 people have been victims of mines.",
               "https://news.az/c/5", "News.Az", "2024-09-22")
    stored_conflicts(db_url, [*_series(), _victims(drop, "335 people", 335, "2024-09-22")])
    assert cli_main(["conflicts", "--db", db_url, "--format", "jsonl"]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["kind"] == "cumulative_decrease" and record["reason"]
    for side in ("side_a", "side_b"):
        assert {"value", "qualifier", "period_start", "period_end", "url", "publisher",
                "published", "evidence", "sentence"} <= set(record[side][0])
    assert cli_main(["conflicts", "--db", db_url, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["side"], r["value"], r["publisher"]) for r in rows] == [
        ("a", "341", "AzerNews"), ("b", "335", "News.Az")]
    assert cli_main(["conflicts", "--db", db_url]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:2] == ["kind", "metric"] and "cumulative_decrease" in table[2]


# ---------------------------------------------------------------- the agreement rule itself

_PLAIN = Doc("x")


def _reading(value: float, qualifier: str = "exact", unit: str = "ha") -> conflicts.Reading:
    fig = Figure("area_cleared" if unit != "count" else "mines_neutralized", None, value, unit,
                 qualifier, {"value": value * (0.40468564224 if unit == "acre" else 1.0),
                             "unit": "count" if unit == "count" else "ha"},
                 None, None, None, None, "x", 0, 1, "x", _PLAIN.source, "t", "0")
    return conflicts.reading(fig, KN.tolerance)


@pytest.mark.parametrize(("a", "b", "agree"), [
    ((426, "min"), (426.5,), True),            # "more than 426" and 426.5
    ((426, "min"), (420,), False),
    ((6000, "approx"), (5987,), True),         # "about 6,000" and 5,987
    ((6000, "approx"), (6550.2,), True),       # within 10 %
    ((6000, "approx"), (6900.5,), False),
    ((1198,), (1198.7,), True),                # headline truncates the body's figure
    ((1198,), (1197.4,), False),
    ((1198,), (1199,), False),                 # same precision: same digits or a conflict
    ((337, "exact", "count"), (338, "exact", "count"), False),
    ((330, "min", "count"), (337, "exact", "count"), True),   # "over 330 victims"
    ((338, "min", "count"), (337, "exact", "count"), False),
    ((500, "max", "count"), (480, "exact", "count"), True),   # "up to 500"
    ((500, "max", "count"), (510, "exact", "count"), False),
    ((6000,), (14800, "exact", "acre"), True),  # 6,000 ha (14,800 acres)
    ((6000.5,), (14000, "exact", "acre"), False),
    ((10200, "exact", "count"), (10250, "exact", "count"), False),
])
def test_agreement_rule(a, b, agree):
    assert conflicts.agree(_reading(*a), _reading(*b), KN.tolerance) is agree
    assert conflicts.agree(_reading(*b), _reading(*a), KN.tolerance) is agree
