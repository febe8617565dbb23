"""The HTML report, rendered by headless Chromium: charts, conflicts and sources are there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REQUIRE_ALL_ENV, skip_unless_required
from lxml import html as lxml_html
from test_conflicts import _area, _series, _victims, doc, stored_conflicts
from test_store import WEEKLY, database_fixture, ingest_outcomes, weekly_figures

from extractor import conflicts, report, store
from extractor.cli import main as cli_main

CHROMIUM = os.environ.get("NEWSFACTS_CHROMIUM", "/usr/bin/chromium")
db_url = database_fixture()


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        skip_unless_required(f"headless Chromium ({CHROMIUM}, Debian package `chromium`) "
                             "is not installed")


def dump_dom(page: Path, profile: Path) -> str:
    """The DOM after Chromium has loaded the page and run its script, with no network."""
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _build_db(db_url: str) -> None:
    drop = doc("Since 10 November 2020, 335 people have been victims of mines.",
               "https://news.az/c/5", "News.Az", "2024-09-22")
    stored_conflicts(db_url, [*_series(), _victims(drop, "335 people", 335, "2024-09-22")])
    copy = doc(WEEKLY.text, "https://menafn.com/1108776710/weekly", "MENAFN / Trend News Agency",
               "2024-10-15")
    with store.open_store(db_url) as db:
        ingest_outcomes(db, [WEEKLY.outcome(*weekly_figures()),
                             copy.outcome(*weekly_figures(copy))])


def test_report_file_is_self_contained(tmp_path):
    url = str(tmp_path / "facts.db")
    _build_db(url)
    out = tmp_path / "report.html"
    assert cli_main(["report", "--db", url, "-o", str(out)]) == 0
    tree = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    # Nothing to fetch: no external scripts, styles, images or fonts.
    assert not tree.xpath("//script[@src] | //link[@href] | //img | //iframe | //object")
    assert "@import" not in out.read_text(encoding="utf-8")
    assert "url(" not in "".join(tree.xpath("//style/text()"))


@pytest.mark.browser
def test_report_renders_charts_conflicts_and_sources_in_chromium(db_url, tmp_path):
    require_chromium()
    _build_db(db_url)
    out = tmp_path / "report.html"
    assert cli_main(["report", "--db", db_url, "-o", str(out)]) == 0
    dom = lxml_html.fromstring(dump_dom(out, tmp_path / "profile"))

    charts = dom.xpath("//svg[contains(@class, 'chart')]")
    cards = dom.xpath("//div[contains(@class, 'chart-card')]")
    series = {(c.get("data-metric"), c.get("data-subtype"), c.get("data-location")) for c in cards}
    assert ("casualties", "total", "Azerbaijan") in series
    assert ("area_cleared", "", "Karabakh") in series
    assert len(charts) == len(cards) >= 4
    assert {c.get("data-scale") for c in charts} <= {"linear", "log"}
    # The script ran after layout: every chart has a drawn size.
    assert dom.get("data-charts-rendered") == str(len(charts))
    victims = dom.xpath("//div[@data-metric='casualties']//*[local-name()='circle']")
    assert sorted(float(c.get("data-value")) for c in victims) == [335, 337, 338, 341]
    assert {c.get("data-outlet") for c in victims} == {"Report.az", "Trend News Agency",
                                                       "AzerNews", "News.Az"}
    ringed = [c for c in victims if "conflicted" in c.get("class")]
    assert sorted(float(c.get("data-value")) for c in ringed) == [335, 341]

    [conflict] = dom.xpath("//article[contains(@class, 'conflict')]")
    assert conflict.get("data-kind") == "cumulative_decrease"
    side_a, side_b = conflict.xpath(".//div[contains(@class, 'side ')]")
    assert side_a.xpath(".//mark/text()") == ["341 citizens"]
    assert side_b.xpath(".//mark/text()") == ["335 people"]
    assert "AzerNews" in side_a.text_content() and "News.Az" in side_b.text_content()
    assert side_b.xpath(".//a/@href") == ["https://news.az/c/5"]
    assert "cannot shrink" in conflict.text_content()

    rows = dom.xpath("//section[@id='sources']//tr[contains(@class, 'source-row')]")
    by_name = {r.xpath("./td[1]/text()")[0]: r for r in rows}
    # The MENAFN copy counts with Trend, the outlet it republished.
    trend = by_name["Trend News Agency"]
    assert trend.xpath("./td[2]/text()") == ["MENAFN"]
    assert trend.xpath("./td[3]/text()") == ["3"]
    assert "MENAFN" not in by_name


def test_report_of_an_empty_database_still_renders(tmp_path):
    url = str(tmp_path / "empty.db")
    with store.open_store(url):
        pass
    out = tmp_path / "report.html"
    assert cli_main(["report", "--db", url, "-o", str(out)]) == 0
    tree = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    assert tree.xpath("//section[@id='conflicts']") and not tree.xpath("//svg")


def test_monthly_and_cumulative_figures_get_a_log_axis_so_neither_sits_flat(tmp_path):
    weekly = doc("ANAMA cleared 426 hectares in Karabakh this week.",
                 "https://example.org/a/1", "Example Wire", "2024-10-14")
    total = doc("In all, 89,150 hectares in Karabakh have been cleared since 2020.",
                "https://example.org/a/2", "Example Daily", "2024-10-15")
    figs = [_area(weekly, "426 hectares", 426),
            _area(total, "89,150 hectares", 89150, start="2020-11-10", end="2024-10-15")]
    page = report.render(figs, [], [], conflicts.load_knowledge())
    [chart] = lxml_html.fromstring(page).xpath("//svg[contains(@class, 'chart')]")
    assert chart.get("data-scale") == "log"
    ys = {float(c.get("data-value")): float(c.get("cy")) for c in chart.xpath(".//circle")}
    plot_top, plot_bottom = report.PAD_T, report.CHART_H - report.PAD_B
    # On a linear axis from 0 the weekly 426 ha would sit within 1% of the bottom.
    assert plot_top <= ys[89150] < ys[426] < plot_bottom - 0.2 * (plot_bottom - plot_top)
    same_scale = report.render(figs[:1], [], [], conflicts.load_knowledge())
    assert 'data-scale="linear"' in same_scale


def test_a_skipped_browser_suite_fails_where_every_suite_is_required(tmp_path):
    """`.ci/run` sets NEWSFACTS_REQUIRE_ALL: a missing Chromium then fails the run."""
    test = "tests/test_report.py::test_report_renders_charts_conflicts_and_sources_in_chromium"
    env = {**os.environ, "NEWSFACTS_CHROMIUM": str(tmp_path / "no-chromium")}
    env.pop(REQUIRE_ALL_ENV, None)
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test, "-k", "sqlite"]
    root = Path(__file__).resolve().parent.parent
    relaxed = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert relaxed.returncode == 0 and "1 skipped" in relaxed.stdout, relaxed.stdout
    strict = subprocess.run(args, cwd=root, env={**env, REQUIRE_ALL_ENV: "1"},
                            capture_output=True, text=True, timeout=300)
    assert strict.returncode == 1 and "1 failed" in strict.stdout, strict.stdout
    assert "Chromium" in strict.stdout


def test_conflicts_table_reason_and_report_name_the_same_outlet(db_url, tmp_path, capsys):
    # The page credits "Trend"; the publisher table resolves it to "Trend News Agency".
    drop = doc("Since 10 November 2020, 335 people have been victims of mines.",
               "https://en.trend.az/c/9", "Trend", "2024-09-22")
    [found] = stored_conflicts(db_url, [*_series(), _victims(drop, "335 people", 335,
                                                             "2024-09-22")])
    assert "Trend News Agency" in found.reason
    assert cli_main(["conflicts", "--db", db_url]) == 0
    table = capsys.readouterr().out
    assert "(Trend News Agency, 2024-09-22)" in table and "(Trend," not in table
    assert cli_main(["conflicts", "--db", db_url, "--format", "jsonl"]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["outlets_b"] == ["Trend News Agency"] and record["outlets_a"] == ["AzerNews"]
    assert record["side_b"][0]["publisher"] == "Trend"  # the page's own credit, kept as is
    out = tmp_path / "report.html"
    assert cli_main(["report", "--db", db_url, "-o", str(out)]) == 0
    [card] = lxml_html.fromstring(out.read_text("utf-8")).xpath("//article[@data-kind]")
    assert "Trend News Agency" in card.xpath(".//div[contains(@class, 'side-b')]")[0] \
        .text_content()
