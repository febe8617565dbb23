"""Period expressions and their resolution against the publication date."""

from __future__ import annotations

import re
from datetime import date

import pytest

from extractor.periods import (
    DateContext,
    NamedPeriod,
    Period,
    find_period_mentions,
    last_weekday,
    parse_date_parts,
    parse_published,
    refine_end,
    resolve_for_figure,
)


def mentions(text: str, published: date | None = None, year: int | None = None, named=()):
    found = find_period_mentions(text, DateContext(published, year), named, text)
    return [(text[m.start:m.end], m.kind, m.period) for m in found]


def only(text: str, published: date | None = None, year: int | None = None) -> Period | None:
    found = mentions(text, published, year)
    assert len(found) == 1, found
    return found[0][2]


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("between November 10, 2020, and October 31, 2021", date(2021, 11, 2),
     Period("2020-11-10", "2021-10-31")),
    ("from October 7 to October\n13, 2024", date(2024, 10, 14), Period("2024-10-07", "2024-10-13")),
    ("from 2 to 8 October", date(2023, 10, 9), Period("2023-10-02", "2023-10-08")),
    ("October 7-13, 2024", None, Period("2024-10-07", "2024-10-13")),
    ("the week (March 4-10)", date(2024, 3, 11), Period("2024-03-04", "2024-03-10")),
    ("during 10.11.2020-14.02.2024", None, Period("2020-11-10", "2024-02-14")),
    ("from January 1 through August 15, 2024", None, Period("2024-01-01", "2024-08-15")),
    ("from 1979 to April 2015", None, Period("1979", "2015-04")),
    ("(December 14, 2022 to January 20, 2023)", None, Period("2022-12-14", "2023-01-20")),
])
def test_explicit_ranges(text, published, expected):
    assert only(text, published) == expected


def test_range_without_year_takes_the_latest_year_not_after_publication():
    # Published in early January: "December" is last year's December.
    assert only("from 18 to 24 December", date(2024, 1, 3)) == Period("2023-12-18", "2023-12-24")
    assert only("from 18 to 24 December", date(2023, 12, 25)) == Period("2023-12-18", "2023-12-24")


def test_no_year_and_no_publication_date_is_unknown_not_guessed():
    assert only("from August 1 to 31", None) is None
    assert only("on December 14", None) is None
    # ... unless the text itself is about a year.
    assert only("from January to April", None, year=2015) == Period("2015-01", "2015-04")


def test_number_ranges_that_are_not_dates():
    assert mentions("could take 5-6 years, while it is about 10-13 years") == []
    assert mentions("the 2020 Karabakh war") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("In March 2017, the agency", Period("2017-03", "2017-03")),
    ("took place in 2024", Period("2024", "2024")),
    ("On June 4, 2021, two", Period("2021-06-04", "2021-06-04")),
    ("in the first four months of 2015", Period("2015-01-01", "2015-04-30")),
    ("in the first quarter of 2024", Period("2024-01-01", "2024-03-31")),
])
def test_days_months_years(text, expected):
    assert only(text, date(2024, 6, 1)) == expected


def test_relative_to_publication():
    monday = date(2023, 12, 25)
    assert only("Last week an area", monday) == Period("2023-12-18", "2023-12-24")
    assert only("over the past week", monday) == Period("2023-12-18", "2023-12-24")
    assert only("last month", monday) == Period("2023-11-01", "2023-11-30")
    assert only("so far this year", monday) == Period("2023-01-01", "2023-12-25")
    assert only("so far in 2024", date(2024, 8, 20)) == Period("2024-01-01", "2024-08-20")
    assert only("last week", None) is None


def test_last_month_name_is_the_previous_occurrence():
    # In November 2021, "last November" is November 2020.
    found = mentions("cleared since last November.", date(2021, 11, 2))
    assert found == [("since last November", "since", Period("2020-11", "2021-11-02"))]
    assert mentions("since last March", date(2021, 11, 2))[0][2] == Period("2021-03", "2021-11-02")


def test_since_ends_at_publication_or_the_statement_date():
    assert only("Since November 10, 2020, 167 citizens", date(2021, 11, 2)) == Period(
        "2020-11-10", "2021-11-02")
    ctx = DateContext(date(2023, 6, 20), None, stated=date(2023, 6, 19))
    found = find_period_mentions("since November 10, 2020", ctx)
    assert found[0].period == Period("2020-11-10", "2023-06-19")


def test_since_an_event_without_a_date_has_no_start():
    found = mentions("have been cleared since the project was launched.", date(2024, 1, 1))
    assert found[0][1] == "since" and found[0][2] == Period(None, "2024-01-01")
    # A date inside the event phrase is the start.
    found = mentions("laid since the outbreak of the civil war in late 2014, when", None)
    assert found[0][2] == Period("2014", None)


def test_since_does_not_swallow_the_figure_after_it():
    text = "since the end of the war 315 of our citizens"
    found = find_period_mentions(text, DateContext(None, None))
    assert "315" not in text[found[0].start:found[0].end]


def test_named_period_needs_its_context_and_a_later_publication():
    named = [NamedPeriod(re.compile(r"post-war period"), "2020-11-10", None, ("Azerbaijan",))]
    text = "cleared in Azerbaijan in the post-war period"
    assert mentions(text, date(2023, 11, 4), named=named)[0][2] == Period("2020-11-10",
                                                                          "2023-11-04")
    assert mentions("cleared in the post-war period", date(2023, 11, 4), named=named) == []
    assert mentions(text, date(2017, 4, 5), named=named) == []


def test_statement_dates_are_not_periods():
    found = mentions("In its report posted yesterday, the agency", date(2015, 5, 2))
    assert [f for f in found if f[1] == "relative"] == []
    assert mentions("announced on Sunday that", date(2023, 1, 23)) == []


def test_weekday_is_the_latest_such_day():
    assert last_weekday("Tuesday", date(2024, 7, 3)) == date(2024, 7, 2)
    assert last_weekday("Wednesday", date(2024, 7, 3)) == date(2024, 7, 3)
    assert only("was killed on Tuesday when", date(2024, 7, 3)) == Period("2024-07-02",
                                                                        "2024-07-02")


def test_dotted_dates_are_day_first_through_dateparser():
    # dateparser alone reads 10.11.2020 as October 11; the reports mean 10 November.
    parts = parse_date_parts("10.11.2020")
    assert (parts.year, parts.month, parts.day) == (2020, 11, 10)
    assert parse_published("2021-11-02T10:00:00Z") == date(2021, 11, 2)
    assert parse_published("not a date at all") is None


def test_resolving_a_figure_picks_the_nearest_mention_and_carries_the_period():
    text = "Last month (December 14, 2022 to January 20, 2023), teams cleared 49 acres"
    ctx = DateContext(date(2023, 1, 23), None)
    found = find_period_mentions(text, ctx)
    start = text.index("49")
    assert resolve_for_figure(found, start, start + 8, None, ctx) == Period("2022-12-14",
                                                                         "2023-01-20")
    current = Period("2024-10-07", "2024-10-13")
    assert resolve_for_figure([], 0, 5, current, ctx) == current
    # A stock figure (mines believed planted) takes no reporting period.
    assert resolve_for_figure([], 0, 5, current, ctx, stock=True) == Period(None, None)


def test_anaphoric_and_shifted_periods_use_the_period_in_force():
    ctx = DateContext(None, 2015)
    current = Period("2015-01-01", "2015-04-30")
    text = "During the same period last year, 10 people died"
    found = find_period_mentions(text, ctx)
    assert resolve_for_figure(found, 34, 36, current, ctx) == Period("2014-01-01", "2014-04-30")
    text = "Four people died during this period."
    found = find_period_mentions(text, ctx)
    assert resolve_for_figure(found, 0, 4, current, ctx) == current


def test_so_far_keeps_a_cumulative_start_only():
    ctx = DateContext(date(2023, 11, 4), None)
    found = find_period_mentions("so far, 12,514 hectares", ctx)
    cumulative = Period("2020-11-10", "2023-11-04")
    assert resolve_for_figure(found, 8, 22, cumulative, ctx) == cumulative
    monthly = Period("2023-10-01", "2023-10-31")
    assert resolve_for_figure(found, 8, 22, monthly, ctx) == Period(None, "2023-11-04")


def test_a_later_range_refines_so_far():
    published = date(2024, 8, 20)
    so_far = Period("2024-01-01", "2024-08-20")
    assert refine_end(so_far, Period("2024-01-01", "2024-08-15"), published) == Period(
        "2024-01-01", "2024-08-15")
    assert refine_end(so_far, Period("2023-01-01", "2023-08-15"), published) == so_far


def test_weekend_and_past_hours_days():
    # Published on Monday 2024-08-19: the weekend is the 17th and 18th.
    assert only("Over the weekend, two brothers", date(2024, 8, 19)) == Period("2024-08-17",
                                                                             "2024-08-18")
    assert only("in the past 24 hours", date(2024, 3, 4)) == Period("2024-03-03", "2024-03-04")
    assert only("over the past two weeks", date(2024, 3, 15)) == Period("2024-03-01",
                                                                      "2024-03-15")
    assert only("over the weekend", None) is None


def test_as_of_and_bare_weekdays():
    assert mentions("As of March 2023, an estimated 13 km2 remained", date(2023, 4, 4))[0][1:] == (
        "since", Period(None, "2023-03"))
    assert only("were wounded Wednesday when a mine exploded", date(2023, 4, 26)) == Period(
        "2023-04-26", "2023-04-26")
    assert mentions("Monday's statement", date(2023, 4, 26)) == []


def test_a_year_after_of_and_the_calque_year():
    found = mentions("In the period of 1-28 February of 2025 year, teams found mines.")
    assert ("1-28 February of 2025 year", "range", Period("2025-02-01", "2025-02-28")) in found
    assert only("in March of 2023") == Period("2023-03", "2023-03")


def test_during_the_year_and_in_the_quarter_are_the_period_in_force():
    for text in ("During the year, deminers found 1,140 mines.",
                 "Mines killed 5 people in the quarter."):
        ((_, kind, period),) = mentions(text, date(2025, 1, 15))
        assert kind == "anaphor" and period is None
    assert all(kind != "anaphor" for _, kind, _ in mentions("in the year 2023",
                                                             date(2025, 1, 15)))


def test_a_named_period_wins_when_the_since_date_is_part_of_its_name():
    named = [NamedPeriod(re.compile(r"since\s+the\s+end\s+of\s+the\s+(?:2020\s+)?war", re.I),
                         "2020-11-10", None)]
    found = mentions("since the end of the 2020 war, 392 people", date(2025, 5, 12),
                     named=named)
    assert found[0][2] == Period("2020-11-10", "2025-05-12")
    # a date after the name is the text's own
    found = mentions("since the end of the war in November 2020, 300 people",
                     date(2025, 5, 12), named=named)
    assert found[0][2].start == "2020-11"


def test_days_of_dates_are_spans_that_hold_no_counts():
    from extractor.periods import day_dates
    text = "Four soldiers were wounded on February 12 and 3 May, not in 2024."
    assert [text[a:b] for a, b in day_dates(text)] == ["February 12", "3 May"]


def test_a_day_and_month_in_figures_after_on():
    assert only("Recently, on 14/11, a bomb exploded.", date(2023, 11, 22)) == Period(
        "2023-11-14", "2023-11-14")
    assert mentions("3/4 of the land", date(2023, 11, 22)) == []


# ---------------------------------------------------------------- classes seen in dev/

# "over the past week" reports a calendar week like "last week" (shared/corpus/dev 006,
# b1-012, b4-007); a weekly report says so (006, b1-015, b1-022): Monday to Sunday before
# the statement (FORMAT.md).
@pytest.mark.parametrize("text", [
    "Deminers cleared 40 hectares over the past week.",
    "In the previous week the teams found 12 mines.",
    "A weekly report of the Northfield Demining Office said 12 mines were found.",
])
def test_a_past_week_and_a_weekly_report_are_the_calendar_week_before(text):
    # published on Tuesday 2023-12-05: the week before is Monday 27 November to Sunday 3 December
    assert only(text, date(2023, 12, 5)) == Period("2023-11-27", "2023-12-03")


def test_a_week_before_a_stated_day_counts_from_the_statement():
    ctx = DateContext(date(2023, 12, 20), None, stated=date(2023, 12, 5))
    found = find_period_mentions("over the past week", ctx)
    assert found[0].period == Period("2023-11-27", "2023-12-03")


# "As at November 2007" (dev b1-002, b3-016) is "as of": a state on that date.
def test_as_at_is_a_state_on_that_date():
    assert only("As at November 2007, 11 km2 had been cleared.", None, None) == \
        Period(None, "2007-11")


# "until today" (dev b1-014, b2-026) runs to the statement like "until now".
def test_until_today_is_a_running_total():
    assert mentions("were hurt from 2020 until today", date(2023, 11, 5))[-1][1] == "cumulative"


# "over the past 21 years", "in the last four years" (dev b5-001, b4-022): from that year.
@pytest.mark.parametrize(("text", "start"), [
    ("have killed 1,935 people over the past 21 years", "1990"),
    ("were laid in the last four years", "2007"),
])
def test_past_n_years_start_that_many_years_back(text, start):
    assert only(text, date(2011, 12, 1)) == Period(start, "2011-12-01")


# An article dated only by month (dev b3-006, b3-025) still dates a running total.
def test_a_month_dated_article_offers_that_month_as_the_end_of_a_running_total(extractor):
    from extractor.record import Article, Source

    article = Article("So far, 60,190 hectares have been cleared of mines.",
                      Source(published="2020-03"))
    figures = extractor.extract(article)
    assert figures, "the area figure is found"
    assert Period(None, "2020-03") in [c.value for c in figures[0].candidates["period"]]


# "at the start of the year", "at the beginning of 2023" (dev b2-023, b2-004): January of
# that year, the date a state was estimated on.
@pytest.mark.parametrize(("text", "expected"), [
    ("estimated at the start of the year that 900 mines remained", Period("2024-01", "2024-01")),
    ("at the beginning of 2023 some 80 km2 were hazardous", Period("2023-01", "2023-01")),
])
def test_the_start_of_a_year_is_its_january(text, expected):
    assert only(text, date(2024, 6, 8)) == expected
    assert mentions("at 2020 levels", date(2024, 6, 8)) == []


# "in the last decade" (dev b3-007, b4-012, b5-002): ten years back from publication.
@pytest.mark.parametrize(("text", "start"), [
    ("In the last decade, mines killed 300 soldiers.", "2013"),
    ("over the past two decades 40 people were hurt", "2003"),
])
def test_a_decade_counts_back_ten_years(text, start):
    assert only(text, date(2023, 4, 4)) == Period(start, "2023-04-04")


def candidates(extractor, text: str, published: str | None) -> list[list[Period]]:
    from extractor.record import Article, Source

    figures = extractor.extract(Article(text, Source(url="https://example.org/n/1",
                                                     published=published)))
    assert figures, "the figures are found"
    return [[c.value for c in f.candidates["period"]] for f in figures]


# "since the project was launched" with its launch year in an earlier sentence (dev 047,
# b4-010): from that year; in an article without a date the end is unknown (FORMAT.md).
# The event date is one the sentence rules set aside ("launched in 2018") and the resolver
# now reads the rules' own expressions instead of reading the text a second time.
def test_since_an_event_dated_earlier_starts_at_its_date(extractor):
    text = ("The Northfield clearance project was launched in 2018 by the Example Fund.\n\n"
            "A total of 3,193 mines have been cleared since the project was launched.")
    (options,) = candidates(extractor, text, None)
    assert Period("2018", None) in options
    (options,) = candidates(extractor, text, "2024-05-02")
    assert Period("2018", "2024-05-02") in options


# An undated article's "last year" or "this year", in the figure's sentence or the
# headline, is a year the article states (dev b3-007, b3-011, b4-001).
def test_a_relative_year_in_an_undated_article_is_a_year_it_states(extractor):
    text = ("Deminers cleared more land last year, says agency\n\n"
            "Deminers cleared 1,966 hectares of land last year, the Example Agency said. "
            "That was up from 900 hectares of land cleared in 2022.\n\n"
            "The agency's report on 2023 will be debated by the council.")
    options = candidates(extractor, text, None)[0]
    assert Period("2023", "2023") in options and Period("2022", "2022") in options
    dated = candidates(extractor, text, "2024-02-01")[0]
    assert Period("2023", "2023") in dated  # there "last year" itself says it


# "since 1996" in an article dated only by month (dev b3-006) or year (b5-011, "since May
# 2004") runs to that month: the "since" expression itself says so, not only a reading of it.
def test_since_in_a_month_dated_article_ends_at_that_month(extractor):
    from extractor.record import Article, Source

    (figure,) = extractor.extract(Article(
        "Since 1996, there have been 251 deaths from mines in Northland, the Example Authority "
        "said.", Source(url="https://example.org/n/2", published="2020-03")))
    stated = [c for c in figure.candidates["period"] if c.features.get("read_stated")]
    assert Period("1996", "2020-03") in [c.value for c in stated]


# Articles dated only by month or year (dev b3-006 "thus far", "since 1996"; b3-025 "last
# August"; b5-011): relative dates resolve as far as that date allows, "so far" ends at it.
@pytest.mark.parametrize(("text", "partial", "expected"), [
    ("Last August, 202 shells were removed.", "2025-03", Period("2024-08", "2024-08")),
    ("Last March, 20 shells were removed.", "2025-03", Period("2024-03", "2024-03")),
    ("This year 1,966 hectares were cleared.", "2015-07", Period("2015", "2015")),
    ("Last year 1,966 hectares were cleared.", "2015", Period("2014", "2014")),
    ("Last month 96 hectares were cleared.", "2015-01", Period("2014-12", "2014-12")),
    ("Since 1996, 251 people have died.", "2020-03", Period("1996", "2020-03")),
])
def test_an_article_dated_by_month_or_year_resolves_what_it_can(text, partial, expected):
    found = find_period_mentions(text, DateContext(None, None, None, partial))
    assert [m.period for m in found] == [expected]


def test_an_article_dated_by_year_knows_no_last_month_or_week():
    for text in ("Last month 96 hectares were cleared.", "Last week 9 mines were found."):
        found = find_period_mentions(text, DateContext(None, None, None, "2015"))
        assert [m.period for m in found] == [None]
    ctx = DateContext(None, None, None, "2020-03")
    assert ctx.until == "2020-03"
    assert resolve_for_figure(find_period_mentions("thus far, 60,190 ha were cleared", ctx),
                              10, 16, None, ctx) == Period(None, "2020-03")


# A line that dates the story ("Northtown, 9 August 2013:", "31 January 2012 - ...", a day
# alone on its line) is when it was filed, not the period of the figures under it (dev
# b4-014, b4-016, b4-027).
@pytest.mark.parametrize("dateline", ["Northtown, 9 August 2013:", "9 August 2013",
                                      "9 August 2013 - Northtown"])
def test_a_date_line_is_no_period_of_the_figures_under_it(extractor, dateline):
    from extractor.record import Article, Source

    text = (f"Example Agency clears war debris\n\n{dateline}\n\n"
            "Deminers of the Example Agency have cleared 100,000 items of unexploded ordnance.")
    (figure,) = extractor.extract(Article(text, Source(url="https://example.org/n/3",
                                                       published="2013-08-09")))
    rule = [c.value for c in figure.candidates["period"] if c.features.get("rule")]
    assert rule != [Period("2013-08-09", "2013-08-09")]
    assert (figure.period_start, figure.period_end) != ("2013-08-09", "2013-08-09")


def rule_choice(extractor, text: str, published: str | None) -> list[Period]:
    """The sentence rules' period of each figure (the candidate marked `rule`)."""
    from extractor.record import Article, Source

    figures = extractor.extract(Article(text, Source(url="https://example.org/n/4",
                                                     published=published)))
    assert figures, "the figures are found"
    return [next(c.value for c in f.candidates["period"] if c.features.get("rule"))
            for f in figures]


# Mines "estimated" or "remaining" are a current state, up to the statement date, like
# contaminated land; mines "planted" or "laid" are history (FORMAT.md; dev 000-seed, b4-009,
# b5-016, b5-019 against b3-021).
def test_estimated_mines_are_a_state_and_planted_mines_history(extractor):
    assert rule_choice(extractor, "An estimated 30,000 landmines still lie in the hills of "
                       "Northland, the Example Agency said.", "2011-12-02") \
        == [Period(None, "2011-12-02")]
    assert rule_choice(extractor, "During the war the army planted an estimated 11,000 "
                       "landmines in Northland.", "2011-12-02") == [Period(None, None)]


# A state taken at a moment ("at the start of the year ... 900 mines remained", "at the
# beginning of 2023 some 80 km2 were hazardous", "at the end of 2024 the area left was") is
# what existed then: no start, that moment as its end; a flow keeps the point itself
# (FORMAT.md; dev b2-023, b2-004, b2-020).
@pytest.mark.parametrize(("text", "end"), [
    ("estimated at the start of the year that 900 mines remained", "2024-01"),
    ("at the beginning of 2023 some 80 km2 were hazardous", "2023-01"),
    ("At the end of 2023, the remaining area was 49.3 square km.", "2023"),
])
def test_a_state_at_a_moment_ends_then(text, end):
    ctx = DateContext(date(2024, 6, 8), None)
    found = find_period_mentions(text, ctx)
    assert resolve_for_figure(found, 45, 50, None, ctx, stock=True) == Period(None, end)
    assert resolve_for_figure(found, 45, 50, None, ctx) == Period(end, end)


def test_in_the_beginning_of_the_year_is_no_moment():
    ctx = DateContext(date(2024, 6, 8), None)
    found = find_period_mentions("In the beginning of the year 50 mines were found", ctx)
    assert resolve_for_figure(found, 30, 35, None, ctx, stock=True) == Period(None, None)


# A dateline after the page's publication stamp ("date 2023-03-06 Northtown, Northland,
# March 6.") dates the story, not the figures (dev b1-013, b1-015, 015).
def test_a_dateline_after_a_date_stamp_is_no_period(extractor):
    text = (" date 2023-03-06 Northtown, Northland, March 6. Over 900 hectares of land have "
            "been cleared of mines to date, the Example Agency said.")
    assert rule_choice(extractor, text, "2023-03-06") == [Period(None, "2023-03-06")]


# The rules cannot tell which year an undated article's "last year" is, so their choice is
# not marked for the model to defer to; with a date they can (dev b3-007, b3-011, b4-001,
# b1-020).
def test_an_undated_relative_year_leaves_the_choice_to_the_model(extractor):
    from extractor.record import Article, Source

    text = ("Deminers cleared 1,966 hectares of land last year, the Example Agency said. "
            "That was up from 900 hectares of land cleared in 2022.")
    for published, marked in ((None, False), ("2024-02-01", True)):
        figures = extractor.extract(Article(text, Source(url="https://example.org/n/5",
                                                         published=published)))
        assert any(c.features.get("rule") for c in figures[0].candidates["period"]) is marked
