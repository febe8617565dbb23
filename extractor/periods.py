"""Reporting periods: the dates a figure covers, from the words of its sentence.

`find_period_mentions(text, context)` finds every period expression in a sentence with its
character span and kind; `resolve_for_figure` picks the one that applies to a figure and
turns it into ISO bounds, using the article's publication date (or, without one, the
year the text itself is talking about) for dates that name no year. Partial dates
("2020-11", "2021") are kept partial; what cannot be resolved is None, never guessed.

Kinds of mention:
- range:      explicit bounds ("between November 10, 2020, and October 31, 2021")
- point:      a day, month or year ("On June 4, 2021", "in March 2017", "in 2024")
- relative:   relative to publication ("last week", "this year", "last month")
- since:      "since X": from X to the statement date or publication
- cumulative: "so far", "up to now", "currently": up to publication, start unknown
- anaphor:    "during this period", "in the reporting period": the period in force
- shifted:    "during the same period last year": the period in force, a year earlier
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import dateparser

from .learned import Candidate, bucket, choose, load_model
from .nlp import governing_verb

if TYPE_CHECKING:

    from .document import Document
    from .mentions import Mention
    from .record import Figure

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH = (r"\b(?=(?-i:[A-Z]))(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
         r"|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?(?![a-z])")
YEAR = r"(?:19|20)\d{2}(?![\d,]\d)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
# ", 2025", " of 2025", " of 2025 year" (a calque common in translated reports)
YEAR_TAIL = rf"(?:,?\s+(?:of\s+)?{YEAR}(?:\s+year\b)?)"
NUMERIC_DATE = r"(?:[12]\d|3[01]|0?[1-9])[./](?:1[0-2]|0?[1-9])[./](?:19|20)\d{2}"
# One side of a range, most specific form first (alternation takes the first that fits).
DATEISH = (
    rf"(?:{NUMERIC_DATE}|{DAY}\s+(?:of\s+)?{MONTH}{YEAR_TAIL}?"
    rf"|{MONTH}\s+{DAY}{YEAR_TAIL}?|{DAY},?\s+{YEAR}|{MONTH}{YEAR_TAIL}|{MONTH}|{YEAR}|{DAY})"
)
RANGE = re.compile(
    rf"(?:\b(?P<intro>between|from|for|during|in)\s+(?:the\s+period\s+(?:from\s+)?)?)?"
    rf"\b(?P<left>{DATEISH}),?\s*(?P<sep>-|–|—|\bto\b|\btill\b|\buntil\b|\bthrough\b|\bthru\b|\band\b)"
    rf"\s*(?P<right>{DATEISH})",
    re.IGNORECASE,
)
POINT = re.compile(
    rf"(?P<lead>\b(?:on|in|for|during|throughout|of|since|from|as\s+(?:of|at)|by|until|till|last"
    rf"|at(?=\s+the\s+(?:start|beginning|end|middle)\s+of\b))\s+"
    rf"(?:the\s+(?:start|beginning|end|middle)\s+of\s+|(?:early|mid|late)[\s-]+)?)?"
    rf"(?P<date>{NUMERIC_DATE}|{DAY}\s+(?:of\s+)?{MONTH}{YEAR_TAIL}?"
    rf"|{MONTH}\s+{DAY}{YEAR_TAIL}?|{MONTH}{YEAR_TAIL}|{MONTH}|{YEAR})",
    re.IGNORECASE,
)
FIRST_MONTHS = re.compile(
    rf"\b(?:in|during|over|for)?\s*the\s+first\s+(?P<n>\w+)\s+months\s+of\s+(?:the\s+year\s+)?"
    rf"(?P<year>{YEAR})?",
    re.IGNORECASE,
)
HALF_QUARTER = re.compile(
    rf"\b(?:the\s+)?(?P<which>first|second|third|fourth|1st|2nd|3rd|4th)\s+"
    rf"(?P<part>half|quarter)(?:\s+(?:of\s+)?(?P<year>{YEAR}|(?:this|last)\s+year))?",
    re.IGNORECASE,
)
RELATIVE = re.compile(
    r"\b(?P<text>(?:so\s+far\s+)?(?P<rel>last|past|previous|this|current)\s+(?P<unit>day|week|month|year)"
    r"|so\s+far\s+this\s+(?P<unit2>week|month|year)|(?-i:yesterday|today))\b",
    re.IGNORECASE,
)
YEAR_SO_FAR = re.compile(
    rf"\b(?:so\s+far\s+in\s+(?P<year>{YEAR})|in\s+(?P<year2>{YEAR})\s+so\s+far)\b", re.IGNORECASE
)
# "at the start of the year": January of the year of publication (a state then, or a start)
START_OF_YEAR = re.compile(
    r"\b(?:at|in)\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+year\b", re.IGNORECASE)
# "on 14/11": a day and month in figures, read as dates only after "on"
ON_DAY_MONTH = re.compile(
    r"\bon\s+(?P<day>[12]\d|3[01]|0?[1-9])/(?P<month>1[0-2]|0?[1-9])(?![/.\d])")
WEEKEND = re.compile(r"\b(?:over|during|at|on)\s+the\s+(?:past\s+|last\s+)?weekend\b",
                     re.IGNORECASE)
PAST_N = re.compile(
    r"\b(?:in|over|during|for|within)\s+the\s+(?:past|last|previous)\s+(?:(?P<n>\d{1,3}|one|two"
    r"|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<unit>hours|days|weeks|months"
    r"|years|decades)|(?P<decade>decade))\b",
    re.IGNORECASE)
SINCE = re.compile(r"\bsince\b", re.IGNORECASE)
# "until today": a running total, read before "today" alone is taken for a day
UNTIL_TODAY = re.compile(r"\b(?:until|till|up\s+to)\s+today\b", re.IGNORECASE)
WEEKLY_REPORT = re.compile(r"\bweekly\s+(?:report|bulletin|summary|update|briefing)s?\b",
                           re.IGNORECASE)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY = re.compile(r"\b(?:on\s+)?(?P<day>(?-i:Monday|Tuesday|Wednesday|Thursday|Friday"
                     r"|Saturday|Sunday))\b(?!['’]s)", re.IGNORECASE)
CUMULATIVE = re.compile(
    r"\b(?:so\s+far|to\s+date|up\s+to\s+now|until\s+now|till\s+now|thus\s+far|as\s+of\s+today"
    r"|currently|at\s+present|to\s+this\s+day|up\s+to\s+the\s+present)\b",
    re.IGNORECASE,
)
ANAPHOR = re.compile(
    r"\b(?:(?:during|in|over|for|within)\s+(?:this|that|the\s+same|the\s+reporting|the\s+reported"
    r"|the\s+review|the\s+mentioned|the\s+specified|the\s+said|the)\s+period"
    r"|(?:during|in|over)\s+the\s+period\s+under\s+review"
    r"|over\s+the\s+course\s+of\s+the\s+(?:year|month|week)"
    r"|(?:during|in|over|throughout)\s+the\s+(?:year|quarter|month|week)(?!\s+(?:19|20)\d\d)"
    r"|(?:during|in)\s+the\s+reporting\s+(?:week|month|year))\b",
    re.IGNORECASE,
)
SHIFT_YEAR = re.compile(
    r"\b(?:(?:during|in|over)\s+the\s+same\s+period\s+(?:of\s+)?(?:last|the\s+previous)\s+year"
    r"|a\s+year\s+(?:earlier|before|ago))\b",
    re.IGNORECASE,
)
# A date right after these words is when something was said or published, not what a
# figure covers ("posted yesterday", "announced on Sunday").
STATEMENT_VERBS = re.compile(
    r"\b(?:posted|published|released|announced|said|told|reported|stated|issued|disclosed"
    r"|added|noted|updated|informed)"
    r"(?:\s+(?!(?:on|that|was|were|is|are|had|has|have|been)\b)[\w'’-]+){0,4}\s*(?:on\s+)?$",
    re.IGNORECASE,
)
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
            "4th": 4}


@dataclass(frozen=True)
class Period:
    """ISO bounds, partial where only a month ("2020-11") or year ("2021") is known."""

    start: str | None
    end: str | None


@dataclass(frozen=True)
class PeriodMention:
    start: int  # character offsets in the text searched
    end: int
    kind: str  # range, point, relative, since, cumulative, anaphor, shifted
    period: Period | None  # None when it cannot be resolved (no year, no publication date)
    # For `since`: whether a date followed "since" (else the start is unknown).
    dated: bool = True
    # A moment ("at the start of 2023", "at the end of 2024"): what a state was then, so a
    # state figure takes it as the end of its period, its start unknown.
    moment: bool = False


@dataclass(frozen=True)
class ReadDate:
    """A period expression as the sentence rules read it, and why they set it aside, if
    they did: "event" ("launched in 2018"), "dateline", "target" ("mine-free by 2030")."""

    mention: PeriodMention
    set_aside: str | None = None


@dataclass(frozen=True)
class NamedPeriod:
    """A phrase that names a period in a pack ("the post-war period"), with the words one
    of which the article must contain for it to apply."""

    pattern: re.Pattern[str]
    start: str
    end: str | None  # None: up to publication
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class DateContext:
    published: date | None  # the article's publication date
    year: int | None  # the year the text talks about, when there is no publication date
    stated: date | None = None  # when the figures were stated, if the text says
    # a publication date known only to the month or year ("2020-03", "2005")
    partial: str | None = None

    @property
    def until(self) -> str | None:
        """Where "since" and "so far" end: the statement date, else publication (as
        precise as it is known)."""
        day = self.stated or self.published
        return day.isoformat() if day else self.partial

    @property
    def month_known(self) -> tuple[int, int | None] | None:
        """Year and month (None if unknown) of a publication known only partially."""
        if self.published is not None or not self.partial:
            return None
        return int(self.partial[:4]), int(self.partial[5:7]) if len(self.partial) >= 7 else None


# ---------------------------------------------------------------- small date helpers


PARTIAL_DATE = re.compile(r"^(?:19|20)\d{2}(?:-(?:0[1-9]|1[0-2]))?$")


def partial_published(value: str | None) -> str | None:
    """A publication date given only to the month or year ("2020-03"), else None."""
    return value if value and PARTIAL_DATE.match(value) else None


def parse_published(value: str | None) -> date | None:
    """The publication date from an ISO date or datetime string; None if unusable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        parsed = dateparser.parse(value, settings={"REQUIRE_PARTS": ["day", "month", "year"]})
        return parsed.date() if parsed else None


def _month_number(text: str) -> int:
    return MONTHS[text.strip(". ").lower()[:3]]


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def iso(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass(frozen=True)
class _Parts:
    year: int | None
    month: int | None
    day: int | None


_NUMERIC = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_YEAR_PART = rf"(?:,?\s+(?:of\s+)?({YEAR})(?:\s+year)?)"
_DAY_MONTH = re.compile(rf"^({DAY})\s+(?:of\s+)?({MONTH}){_YEAR_PART}?$", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"^({MONTH})\s+({DAY}){_YEAR_PART}?$", re.IGNORECASE)
_DAY_YEAR = re.compile(rf"^({DAY}),?\s+({YEAR})$", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"^({MONTH}){_YEAR_PART}?$", re.IGNORECASE)
_YEAR = re.compile(rf"^({YEAR})$")
_DAY = re.compile(rf"^({DAY})$")


def _day(text: str) -> int:
    return int(re.match(r"\d+", text)[0])


def parse_date_parts(text: str) -> _Parts | None:
    """Year, month, day as written ("18 December", "November 10, 2020", "10.11.2020")."""
    text = text.strip().rstrip(",")
    if m := _NUMERIC.match(text):
        # Day first: the convention of the dotted and slashed dates in these reports.
        parsed = dateparser.parse(text, settings={"DATE_ORDER": "DMY"})
        if parsed is None:
            return None
        return _Parts(parsed.year, parsed.month, parsed.day)
    if m := _DAY_MONTH.match(text):
        return _Parts(int(m[3]) if m[3] else None, _month_number(m[2]), _day(m[1]))
    if m := _MONTH_DAY.match(text):
        return _Parts(int(m[3]) if m[3] else None, _month_number(m[1]), _day(m[2]))
    if m := _DAY_YEAR.match(text):
        return _Parts(int(m[2]), None, _day(m[1]))
    if m := _MONTH_YEAR.match(text):
        return _Parts(int(m[2]) if m[2] else None, _month_number(m[1]), None)
    if m := _YEAR.match(text):
        return _Parts(int(m[1]), None, None)
    if m := _DAY.match(text):
        return _Parts(None, None, _day(m[1]))
    return None


def _valid(year: int, month: int, day: int | None) -> bool:
    return 1 <= month <= 12 and (day is None or 1 <= day <= _last_day(year, month))


def _year_for(month: int, day: int | None, ctx: DateContext) -> int | None:
    """The year of a day or month that names none: the latest one not after publication,
    else the year the text is about."""
    if ctx.published is not None:
        year = ctx.published.year
        if (month, day or 1) > (ctx.published.month, ctx.published.day):
            year -= 1
        return year
    return ctx.year


def _bound(parts: _Parts, ctx: DateContext, *, end: bool) -> str | None:
    """One bound; partial when the text gives only a month or year."""
    year, month, day = parts.year, parts.month, parts.day
    if year is None and month is not None:
        year = _year_for(month, day, ctx)
    if year is None or (month is not None and not _valid(year, month, day)):
        return None
    return iso(year, month, day)


def _shift_year(value: str | None, years: int) -> str | None:
    if value is None:
        return None
    year = int(value[:4]) + years
    rest = value[4:]
    if rest == "-02-29" and not calendar.isleap(year):
        rest = "-02-28"
    return f"{year:04d}{rest}"


def shift_period(period: Period, years: int) -> Period:
    return Period(_shift_year(period.start, years), _shift_year(period.end, years))


# ---------------------------------------------------------------- finding mentions


def _range_mention(m: re.Match[str], ctx: DateContext) -> PeriodMention | None:
    left, right = parse_date_parts(m["left"]), parse_date_parts(m["right"])
    if left is None or right is None:
        return None
    sep = m["sep"].lower()
    if sep == "and" and (m["intro"] or "").lower() != "between":
        return None
    # The right side lends the left what it leaves out: "from 18 to 24 December", "October
    # 7-13, 2024", "from January to April 2015".
    if left.month is None and left.day is not None:
        if right.month is None:
            return None  # "5-6", "10-13 years": not dates
        left = _Parts(left.year, right.month, left.day)
    if right.month is None and right.day is not None:
        if left.month is None:
            return None
        right = _Parts(right.year, left.month, right.day)
    if left.year is None and right.year is not None:
        left_year = right.year - (1 if (left.month or 1, left.day or 1) >
                                  (right.month or 12, right.day or 31) else 0)
        left = _Parts(left_year, left.month, left.day)
    if left.year is not None and left.month is None and left.day is None \
            and right.year is None and right.month is None:
        return None
    if right.year is None and right.month is not None:
        right = _Parts(_year_for(right.month, right.day, ctx), right.month, right.day)
        if left.year is None and right.year is not None:
            left = _Parts(right.year, left.month, left.day)
    if not _plausible_range(left, right, m["intro"]):
        return None
    start, end = _bound(left, ctx, end=False), _bound(right, ctx, end=True)
    period = Period(start, end) if start and end else None
    return PeriodMention(m.start(), m.end(), "range", period)


def _plausible_range(left: _Parts, right: _Parts, intro: str | None) -> bool:
    """A bare "2014-2016" is a range only with from/between, and bounds must be ordered."""
    if left.month is None and right.month is None and not intro:
        return False
    if left.year is not None and right.year is not None:
        return (left.year, left.month or 1, left.day or 1) <= (
            right.year, right.month or 12, right.day or 31)
    return True


def _point_mention(m: re.Match[str], text: str, ctx: DateContext) -> PeriodMention | None:
    parts = parse_date_parts(m["date"])
    if parts is None or (parts.month is None and parts.day is not None):
        return None
    lead = (m["lead"] or "").lower().split()
    head = lead[0] if lead else ""
    if parts.month is None and not head:
        return None  # a bare year ("the 2020 war") is no period
    if head == "since":
        return None  # handled with "since"
    if head == "as":  # "as of March 2023": a state on that date, its start unknown
        end_parts = parts if parts.year is not None or parts.month is None else _Parts(
            _year_for(parts.month, parts.day, ctx), parts.month, parts.day)
        end = _bound(end_parts, ctx, end=True)
        return PeriodMention(m.start(), m.end(), "since", Period(None, end)) if end else None
    if head == "last" and parts.month is not None and parts.year is None and parts.day is None:
        return _last_month_name(m, parts.month, ctx)
    if STATEMENT_VERBS.search(text[max(0, m.start() - 50):m.start()]):
        return None
    if parts.year is None and parts.month is not None:
        parts = _Parts(_year_for(parts.month, parts.day, ctx), parts.month, parts.day)
    if parts.year is None:
        return PeriodMention(m.start(), m.end(), "point", None)
    moment = head == "at"  # "at the start of 2023", "at the end of 2024"
    if "start" in lead or "beginning" in lead:
        value = iso(parts.year, parts.month or 1, 1 if parts.month else None)
        return PeriodMention(m.start(), m.end(), "point", Period(value, value), moment=moment)
    if parts.day is not None:
        value = iso(parts.year, parts.month, parts.day)
        return PeriodMention(m.start(), m.end(), "point", Period(value, value))
    value = iso(parts.year, parts.month)
    if moment:
        return PeriodMention(m.start(), m.end(), "point", Period(value, value), moment=True)
    if head == "from":  # "from early January": a start, up to publication
        published = ctx.published.isoformat() if ctx.published else None
        return PeriodMention(m.start(), m.end(), "point", Period(value, published))
    return PeriodMention(m.start(), m.end(), "point", Period(value, value))


def last_weekday(name: str, reference: date) -> date:
    """The latest `name` day on or before `reference` ("on Tuesday" in Wednesday's paper)."""
    back = (reference.weekday() - WEEKDAYS.index(name.lower())) % 7
    return reference - timedelta(days=back)


def _weekday_mention(m: re.Match[str], text: str, ctx: DateContext) -> PeriodMention | None:
    if STATEMENT_VERBS.search(text[max(0, m.start() - 50):m.start()]):
        return None  # "announced on Sunday", "told reporters on Thursday": when it was said
    if ctx.published is None:
        return PeriodMention(m.start(), m.end(), "point", None)
    day = last_weekday(m["day"], ctx.published).isoformat()
    return PeriodMention(m.start(), m.end(), "point", Period(day, day))


def _weekend(m: re.Match[str], ctx: DateContext) -> PeriodMention:
    """"over the weekend": the Saturday and Sunday before publication."""
    if ctx.published is None:
        return PeriodMention(m.start(), m.end(), "relative", None)
    sunday = last_weekday("Sunday", ctx.published)
    if sunday == ctx.published:
        sunday -= timedelta(days=7)
    saturday = sunday - timedelta(days=1)
    return PeriodMention(m.start(), m.end(), "relative",
                         Period(saturday.isoformat(), sunday.isoformat()))


def _past_n(m: re.Match[str], ctx: DateContext) -> PeriodMention | None:
    """"in the past 24 hours", "over the past four months", "over the past 21 years", "in the
    last decade": back from publication."""
    if m["decade"]:
        n, unit = 10, "years"
    else:
        n = NUMBER_WORDS.get(m["n"].lower()) or (int(m["n"]) if m["n"].isdigit() else None)
        unit = m["unit"].lower()
        if unit == "decades" and n:
            n, unit = 10 * n, "years"
    if not n:
        return None
    if ctx.published is None:
        return PeriodMention(m.start(), m.end(), "relative", None)
    end = ctx.published
    if unit == "hours":
        start = end - timedelta(days=max(1, -(-n // 24)))
    elif unit == "days":
        start = end - timedelta(days=n)
    elif unit == "weeks":
        start = end - timedelta(days=7 * n)
    elif unit == "years":  # "over the past 21 years": from that year, as precise as the text
        return PeriodMention(m.start(), m.end(), "relative",
                             Period(str(end.year - n), end.isoformat()))
    else:
        month = end.month - n
        year = end.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        start = date(year, month, min(end.day, _last_day(year, month)))
    return PeriodMention(m.start(), m.end(), "relative", Period(start.isoformat(), end.isoformat()))


def _year_so_far(m: re.Match[str], ctx: DateContext) -> PeriodMention:
    """"so far in 2024", "in 2024 so far": from the start of that year to publication."""
    year = int(m["year"] or m["year2"])
    if ctx.published is not None and ctx.published.year == year:
        return PeriodMention(m.start(), m.end(), "relative",
                             Period(iso(year, 1, 1), ctx.published.isoformat()))
    return PeriodMention(m.start(), m.end(), "point", Period(iso(year), iso(year)))


def _last_month_name(m: re.Match[str], month: int, ctx: DateContext) -> PeriodMention:
    """"last November": the latest November before the month of publication."""
    known = (ctx.published.year, ctx.published.month) if ctx.published else ctx.month_known
    if known is None or known[1] is None:
        return PeriodMention(m.start(), m.end(), "point", None)
    year = known[0] - (1 if month >= known[1] else 0)
    value = iso(year, month)
    return PeriodMention(m.start(), m.end(), "point", Period(value, value))


def _relative_mention(m: re.Match[str], ctx: DateContext) -> PeriodMention:
    pub = ctx.published
    word = m["text"].lower().split()
    if pub is None:
        return _relative_to_partial(m, ctx)
    if word == ["yesterday"] or word == ["today"]:
        day = pub - timedelta(days=1) if word == ["yesterday"] else pub
        return PeriodMention(m.start(), m.end(), "relative",
                             Period(day.isoformat(), day.isoformat()))
    unit = (m["unit"] or m["unit2"]).lower()
    rel = "this" if m["unit2"] else m["rel"].lower()
    if unit == "day":  # "over the past day": the day before publication up to it
        if rel == "this":
            return PeriodMention(m.start(), m.end(), "relative", Period(pub.isoformat(),
                                                                        pub.isoformat()))
        return PeriodMention(m.start(), m.end(), "relative",
                             Period((pub - timedelta(days=1)).isoformat(), pub.isoformat()))
    so_far = word[0] == "so"
    if rel in ("this", "current") or (so_far and rel not in ("last", "past", "previous")):
        if unit == "week":
            start = pub - timedelta(days=pub.weekday())
        elif unit == "month":
            start = pub.replace(day=1)
        else:
            start = date(pub.year, 1, 1)
        return PeriodMention(m.start(), m.end(), "relative",
                             Period(start.isoformat(), pub.isoformat()))
    if unit == "week":  # "last", "past" or "previous week": the calendar week (Monday to
        # Sunday) before the one of the statement (FORMAT.md), as in weekly reports
        return PeriodMention(m.start(), m.end(), "relative", week_before(ctx.stated or pub))
    if unit == "month":
        year, month = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
        return PeriodMention(m.start(), m.end(), "relative",
                             Period(iso(year, month, 1), iso(year, month, _last_day(year, month))))
    return PeriodMention(m.start(), m.end(), "relative",
                         Period(iso(pub.year - 1), iso(pub.year - 1)))


def _relative_to_partial(m: re.Match[str], ctx: DateContext) -> PeriodMention:
    """"last year", "this year", "last month" in an article dated only by month or year."""
    known, unit = ctx.month_known, (m["unit"] or m["unit2"] or "").lower()
    rel = "this" if m["unit2"] else (m["rel"] or "").lower()
    if known is None or unit not in ("month", "year") or (unit == "month" and not known[1]):
        return PeriodMention(m.start(), m.end(), "relative", None)
    year, month = known
    back = 0 if rel in ("this", "current") else 1
    if m["text"].lower().startswith("so far") and back == 0:
        start = iso(year, month if unit == "month" else 1, 1)
        return PeriodMention(m.start(), m.end(), "relative", Period(start, ctx.partial))
    if unit == "year":
        return PeriodMention(m.start(), m.end(), "relative",
                             Period(iso(year - back), iso(year - back)))
    year, month = (year, month - back) if month - back >= 1 else (year - 1, 12)
    return PeriodMention(m.start(), m.end(), "relative",
                         Period(iso(year, month), iso(year, month)))


def week_before(day: date) -> Period:
    """The Monday-to-Sunday week before the week of `day`."""
    start = day - timedelta(days=day.weekday() + 7)
    return Period(start.isoformat(), (start + timedelta(days=6)).isoformat())


def _running_total(m: re.Match[str], ctx: DateContext) -> PeriodMention:
    return PeriodMention(m.start(), m.end(), "cumulative", None)


def _weekly_report(m: re.Match[str], ctx: DateContext) -> PeriodMention:
    """"a weekly report of the agency said": the figures of the week before the statement."""
    day = ctx.stated or ctx.published
    return PeriodMention(m.start(), m.end(), "relative", week_before(day) if day else None)


def _since_mention(m: re.Match[str], text: str, ctx: DateContext) -> PeriodMention:
    """"since X": from X (when X holds a date before the clause ends) to publication."""
    rest = text[m.end():]
    clause = re.split(r"[;:!?]|\.(?:\s|$)|,\s+(?:when|while|which|and|but|as|after|before)\b",
                      rest, maxsplit=1)[0]
    clause = clause[:90]
    # The mention ends with its date, or after a few words when it names an event.
    words = re.match(r"(?:\s*(?!\d)[\w'’-]+){1,6}", clause)
    end_at = m.end() + (words.end() if words else 0)
    relative = RELATIVE.match(clause.strip())
    if relative and relative["rel"] and relative["rel"].lower() in ("last", "past", "previous"):
        found = _relative_mention(relative, ctx)
        start = found.period.start if found.period else None
        return _since(m.start(), end_at, start, ctx, dated=True)
    best: tuple[int, str | None] | None = None
    for found in POINT.finditer(clause):
        parts = parse_date_parts(found["date"])
        if parts is None or (parts.month is None and parts.day is not None):
            continue
        lead = (found["lead"] or "").lower()
        if parts.year is None and parts.month is not None:
            parts = _Parts(_year_for(parts.month, parts.day, ctx), parts.month, parts.day)
        if "last" in lead.split() and parts.month and not parts.day:
            found_last = _last_month_name(found, parts.month, ctx)
            value = found_last.period.start if found_last.period else None
        elif parts.year is None:
            value = None
        elif "end" in lead.split():
            day = _last_day(parts.year, parts.month) if parts.month else None
            value = iso(parts.year, parts.month or 12 if parts.month else None, day)
        else:
            day = parts.day if parts.day else (1 if ("start" in lead or "beginning" in lead)
                                               and parts.month else None)
            value = iso(parts.year, parts.month, day)
        best = (found.start(), value)
        end_at = m.end() + found.end()
        break
    if best is None:
        named_start = re.match(r"\s*(?:the\s+)?(?:start|beginning)\s+of\s+(?:the\s+|this\s+)?year",
                               clause, re.IGNORECASE)
        if named_start and ctx.published is not None:
            return _since(m.start(), end_at, iso(ctx.published.year, 1, 1), ctx, dated=True)
        return _since(m.start(), end_at, None, ctx, dated=False)
    return _since(m.start(), end_at, best[1], ctx, dated=True)


def _since(
    start: int, end: int, value: str | None, ctx: DateContext, *, dated: bool
) -> PeriodMention:
    return PeriodMention(start, end, "since", Period(value, ctx.until), dated=dated)


def _start_of_year(m: re.Match[str], ctx: DateContext) -> PeriodMention:
    year = ctx.published.year if ctx.published else ctx.year
    value = iso(year, 1) if year else None
    return PeriodMention(m.start(), m.end(), "point", Period(value, value) if value else None,
                         moment=m[0].lower().startswith("at"))


def _on_day_month(m: re.Match[str], ctx: DateContext) -> PeriodMention:
    month, day = int(m["month"]), int(m["day"])
    year = _year_for(month, day, ctx)
    value = iso(year, month, day) if year and _valid(year, month, day) else None
    return PeriodMention(m.start(), m.end(), "point", Period(value, value) if value else None)


def _first_months(m: re.Match[str], ctx: DateContext) -> PeriodMention | None:
    n = NUMBER_WORDS.get(m["n"].lower()) or (int(m["n"]) if m["n"].isdigit() else None)
    year = int(m["year"]) if m["year"] else (ctx.published.year if ctx.published else ctx.year)
    if not n or not 1 <= n <= 12:
        return None
    if year is None:
        return PeriodMention(m.start(), m.end(), "range", None)
    return PeriodMention(m.start(), m.end(), "range",
                         Period(iso(year, 1, 1), iso(year, n, _last_day(year, n))))


def _half_quarter(m: re.Match[str], ctx: DateContext) -> PeriodMention | None:
    which = ORDINALS[m["which"].lower()]
    year_text = (m["year"] or "this year").lower()
    if year_text[0].isdigit():
        year: int | None = int(year_text)
    elif ctx.published is not None:
        year = ctx.published.year - (1 if year_text.startswith("last") else 0)
    else:
        year = None
    size = 6 if m["part"].lower() == "half" else 3
    if which * size > 12:
        return None
    if year is None:
        return PeriodMention(m.start(), m.end(), "range", None)
    first, last = (which - 1) * size + 1, which * size
    return PeriodMention(m.start(), m.end(), "range",
                         Period(iso(year, first, 1), iso(year, last, _last_day(year, last))))


@lru_cache(maxsize=8)
def _folded(text: str) -> str:
    """The article case-folded once, not once per sentence."""
    return text.casefold()


def day_dates(text: str) -> list[tuple[int, int]]:
    """Spans of the dates in `text` that name a day of a month ("February 12", "5 May"):
    their numbers are days, never counts, whatever the date means."""
    return [(m.start("date"), m.end("date")) for m in POINT.finditer(text)
            if (p := parse_date_parts(m["date"])) is not None and p.month and p.day]


def _overlaps(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def find_period_mentions(
    text: str, ctx: DateContext, named: Iterable[NamedPeriod] = (), article_text: str = ""
) -> list[PeriodMention]:
    """Every period expression in `text` (one sentence), in text order, without overlaps;
    the more specific reading of a stretch of text wins."""
    mentions: list[PeriodMention] = []
    taken: list[tuple[int, int]] = []

    def add(mention: PeriodMention | None) -> None:
        if mention is not None and not _overlaps((mention.start, mention.end), taken):
            mentions.append(mention)
            taken.append((mention.start, mention.end))

    for m in SHIFT_YEAR.finditer(text):
        add(PeriodMention(m.start(), m.end(), "shifted", None))
    named_found = []
    for period in named:
        if period.context and not any(w.casefold() in _folded(article_text)
                                      for w in period.context):
            continue
        if ctx.published is not None and period.start > ctx.published.isoformat():
            continue  # "since the end of the war" in 2017 names another war
        named_found += [PeriodMention(m.start(), m.end(), "since",
                                      Period(period.start, period.end or ctx.until))
                        for m in period.pattern.finditer(text)]
    for m in SINCE.finditer(text):
        since = _since_mention(m, text, ctx)
        # "since the end of the war", "since the end of the 2020 war" (its date inside the
        # name): a period the pack names, if any, says exactly when
        since = next((n for n in named_found if (n.start <= since.start < n.end
                                                 or since.start <= n.start < since.end)
                      and (not since.dated or since.end <= n.end)), since)
        add(since)
    for mention in named_found:
        add(mention)
    # In this order: an earlier kind keeps the text it covers (see add).
    for expression, mention_of in (
        (YEAR_SO_FAR, _year_so_far), (FIRST_MONTHS, _first_months),
        (HALF_QUARTER, _half_quarter), (RANGE, _range_mention),
        (ON_DAY_MONTH, _on_day_month), (WEEKEND, _weekend), (PAST_N, _past_n),
        (WEEKLY_REPORT, _weekly_report), (UNTIL_TODAY, _running_total),
        (START_OF_YEAR, _start_of_year),
    ):
        for m in expression.finditer(text):
            add(mention_of(m, ctx))
    for m in ANAPHOR.finditer(text):
        add(PeriodMention(m.start(), m.end(), "anaphor", None))
    for m in RELATIVE.finditer(text):
        if STATEMENT_VERBS.search(text[max(0, m.start() - 50):m.start()]):
            continue
        add(_relative_mention(m, ctx))
    for m in POINT.finditer(text):
        add(_point_mention(m, text, ctx))
    for m in WEEKDAY.finditer(text):
        add(_weekday_mention(m, text, ctx))
    for m in CUMULATIVE.finditer(text):
        add(PeriodMention(m.start(), m.end(), "cumulative", None))
    return sorted(mentions, key=lambda x: x.start)


# ---------------------------------------------------------------- choosing and resolving


def _distance(mention: PeriodMention, start: int, end: int) -> int:
    if mention.end <= start:
        return start - mention.end
    if mention.start >= end:
        return mention.start - end
    return 0


def resolve_for_figure(
    mentions: Sequence[PeriodMention],
    fig_start: int,
    fig_end: int,
    current: Period | None,
    ctx: DateContext,
    *,
    stock: bool = False,
) -> Period:
    """The period of a figure at [fig_start, fig_end) of the sentence.

    The nearest mention applies; a relative word right before an explicit date in
    brackets ("last week (December 18-24)") yields to the date. Without a mention, the
    period in force (`current`, from the sentences before) carries over. A `stock`
    figure (mines believed planted) takes only "since" periods and moments: it counts what
    exists, not what happened in a reporting period; at a moment ("at the start of 2023,
    some 174,000 km2 were hazardous") it is what existed then.
    """
    candidates = [m for m in mentions if not (stock and m.kind != "since" and not m.moment)]
    if not candidates:
        return Period(None, None) if stock else (current or Period(None, None))
    chosen = min(candidates, key=lambda m: _distance(m, fig_start, fig_end))
    explicit = [m for m in candidates if m.kind in ("range", "point") and m.period]
    if chosen.kind in ("relative", "cumulative"):
        # "Last month (December 14, 2022 to January 20, 2023)": the dates say it exactly.
        following = [m for m in explicit if 0 <= m.start - chosen.end <= 3]
        if following:
            chosen = following[0]
    published = ctx.until
    if stock and chosen.moment and chosen.period:
        return Period(None, chosen.period.end)
    if chosen.kind == "since":
        period = chosen.period or Period(None, published)
        others = [m for m in explicit if m is not chosen and m.period and m.period.end]
        if others:  # "since X" ends at the date of the statement when the text gives one
            period = replace(period, end=max(others, key=lambda m: m.end).period.end)
        return period
    if chosen.kind == "cumulative":
        start = current.start if current and current.end == published and published else None
        return Period(start, published)
    if chosen.kind == "anaphor":
        return current or Period(None, None)
    if chosen.kind == "shifted":
        return shift_period(current, -1) if current else Period(None, None)
    return chosen.period or Period(None, None)


def refine_end(figure_period: Period, later: Period, published: date | None) -> Period:
    """A figure counted "so far" (to publication) whose start a later explicit range
    shares takes that range's end: the text says what "so far" meant."""
    if published is None or figure_period.end != published.isoformat() or not later.start:
        return figure_period
    if figure_period.start and later.start[:len(figure_period.start)] == figure_period.start \
            and later.end and later.end <= published.isoformat():
        return Period(figure_period.start if len(figure_period.start) > len(later.start)
                      else later.start, later.end)
    return figure_period



# ---------------------------------------------------------------- the learned choice

PERIOD_MODEL = "period"
# Document.memo key of the date expressions normalize read: sentence start -> [ReadDate]
READ_DATES = "period_mentions"
# How far back (in sentences) a date expression may set a figure's period.
LOOKBACK = 3
# Cue expressions of the sentence, as features of the period shapes they favour.
SENTENCE_CUES = (("since", SINCE), ("cumulative", CUMULATIVE), ("anaphor", ANAPHOR),
                 ("relative", RELATIVE), ("shifted", SHIFT_YEAR))
LEAD_WORDS = re.compile(r"[a-z]+")
TOTAL_WORDS = re.compile(r"\b(?:total|overall|in\s+all|altogether|cumulative|so\s+far|to\s+date"
                         r"|remain(?:s|ed|ing)?|still|currently|estimated)\b", re.IGNORECASE)


def _precision(value: str | None) -> str:
    return {None: "none", 4: "year", 7: "month", 10: "day"}.get(len(value) if value else None,
                                                                 "other")


def _shape(period: Period, until: str | None) -> str:
    """What kind of period a candidate is, as the gold conventions distinguish them."""
    if period.start is None and period.end is None:
        return "none"
    if period.start is None:
        return "to_statement" if period.end == until else "to_date"
    if period.end is None:
        return "open"
    if period.start == period.end:
        return f"single_{_precision(period.start)}"
    if period.end == until:
        return "since"
    return "range"


def period_candidates(document: Document, mention: Mention, figure: Figure) -> list[Candidate]:
    """Periods a figure may cover: the rules' choice, none, a running total to the
    statement, what each date expression of its sentence, the sentences before and the
    headline reads as (as stated, from it to the statement, up to it), and in an undated
    article the years it states for its "last year" or "this year"."""
    ctx = DateContext(document.published, None, document.statement,
                      partial_published(document.source.published))
    until = ctx.until
    options: dict[Period, dict[str, float]] = {}

    def add(period: Period, features: dict[str, float]) -> None:
        merged = options.setdefault(period, {})
        for key, value in features.items():
            merged[key] = max(merged.get(key, 0.0), value)

    index = mention.sent_index
    read_dates: dict[int, list[ReadDate]] = document.memo.get(READ_DATES, {})
    years = _years_of_undated(document, index, read_dates) if document.published is None else {}
    # The rules cannot tell which year an undated article's "last year" is: their choice is
    # then no judgment for the model to defer to (dev b3-007, b3-011, b4-001, b1-020).
    add(Period(figure.period_start, figure.period_end), {} if years else {"rule": 1.0})
    add(Period(None, None), {})
    add(Period(None, until), {})
    # A running total may end at publication rather than at the day a source spoke
    published = document.published.isoformat() if document.published else None
    if published and published != until:
        add(Period(None, published), {"to_publication": 1.0})
    nearby = {i for i in range(max(0, index - LOOKBACK), index + 2)}
    nearby |= set(range(min(document.headline_end, index)))
    for i in sorted(i for i in nearby if i < len(document.sentences)):
        sent = document.sentences[i]
        where = "same" if i == index else ("after" if i > index else (
            "headline" if i < document.headline_end else f"back{min(index - i, LOOKBACK)}"))
        for read in read_dates.get(sent.start, ()):
            found = read.mention
            if found.period is None:
                continue
            lead = LEAD_WORDS.findall(sent.text[max(0, found.start - 30):found.start].lower())
            base = {f"from_{found.kind}": 1.0, f"where_{where}": 1.0,
                    f"kind_where_{found.kind}_{where}": 1.0,
                    f"lead_{'_'.join(lead[-1:]) or 'none'}": 1.0,
                    f"lead2_{'_'.join(lead[-2:]) or 'none'}": 1.0}
            if read.set_aside:
                base[f"set_aside_{read.set_aside}"] = 1.0
            if found.moment:
                base["moment"] = 1.0
            if i == index:
                position = sent.start_char + found.start - mention.start
                base.update(bucket("char_distance", abs(position), (0, 20, 60, 150)))
                base["before_figure" if position < 0 else "after_figure"] = 1.0
            p = found.period
            if found.kind == "since" and p.end is None and until:
                p = Period(p.start, until)  # an article dated by month: "since" ends then
            # "from" it to the statement; in an undated article to an unknown end (FORMAT.md)
            since = Period(p.start, until) if p.start and until and p.start <= until else (
                Period(p.start, None) if p.start and until is None else None)
            for reading, period in (("stated", p), ("from", since),
                                    ("upto", Period(None, p.end) if p.end else None)):
                if period is not None:
                    add(period, {**base, f"read_{reading}": 1.0,
                                 **{f"{k}_{reading}": 1.0 for k in base}})
    for period, features in years.items():
        add(period, features)
    # Cues of the figure's own clause (the subtree of its verb) and of its whole sentence:
    # "still contaminated" in one clause says nothing of mines "planted" in the next.
    verb = governing_verb(mention.number)
    sentence = document.sentences[index]
    clause = sentence if verb is None else document.doc[verb.left_edge.i:verb.right_edge.i + 1]
    cues = [f"verb_{verb.lemma_.lower()}"] if verb is not None else []
    if verb is not None and verb.lemma_.lower() in mention.pack.history_verbs:
        cues.append("history_verb")
    for scope, span in (("clause", clause), ("sentence", sentence)):
        cues += [f"{scope}_{name}" for name, expression in SENTENCE_CUES
                 if expression.search(span.text)]
        if TOTAL_WORDS.search(span.text):
            cues.append(f"{scope}_total_word")
        if any(t.lemma_ == "have" and t.head.tag_ == "VBN" for t in span):
            cues.append(f"{scope}_perfect")
    metric = mention.metric
    kind = "stock" if metric.stock else ("state" if metric.as_of_publication else metric.kind)
    result = []
    for period, features in options.items():
        shape = _shape(period, until)
        features = dict(features, **{f"shape_{shape}": 1.0, f"metric_{kind}_{shape}": 1.0,
                                     f"subtype_{figure.subtype}_{shape}": 1.0})
        for cue in cues:
            features[f"cue_{cue}_{shape}"] = 1.0
        if features.get("rule"):
            features[f"rule_{shape}"] = 1.0
        if not document.published:
            features[f"undated_{shape}"] = 1.0
        result.append(Candidate(period, features))
    return result


UNRESOLVED_YEAR = re.compile(r"\byear\b", re.IGNORECASE)


def _years_of_undated(document: Document, index: int,
                      read_dates: dict[int, list[ReadDate]]) -> dict[Period, dict[str, float]]:
    """In an article without a publication date, "last year" or "this year" in the figure's
    sentence or the headline is one of the years the article states: each is a candidate,
    with how near it is stated and whether it is the latest."""
    def relative_year(i: int) -> bool:
        sent = document.sentences[i]
        return any(r.mention.kind == "relative" and r.mention.period is None
                   and UNRESOLVED_YEAR.search(sent.text[r.mention.start:r.mention.end])
                   for r in read_dates.get(sent.start, ()))

    if not any(relative_year(i) for i in (index, *range(min(document.headline_end, index)))):
        return {}
    years: dict[int, int] = {}  # year -> sentences away from the figure's
    for i, sent in enumerate(document.sentences):
        for read in read_dates.get(sent.start, ()):
            p = read.mention.period
            if read.set_aside is None and read.mention.kind in ("point", "range") and p and p.end:
                year = int(p.end[:4])
                years[year] = min(years.get(year, abs(i - index)), abs(i - index))
    latest = max(years, default=None)
    return {Period(str(year), str(year)): {
        "text_year": 1.0, "text_year_latest": float(year == latest),
        **bucket("text_year_distance", away, (0, 1, 3, 10))} for year, away in years.items()}


def resolve(document: Document, mention: Mention, figure: Figure) -> Period:
    """The period a figure covers: the model's choice among `period_candidates`."""
    options = period_candidates(document, mention, figure)
    figure.candidates[PERIOD_MODEL] = options
    best = choose(options, load_model(PERIOD_MODEL))
    return best.value if best else Period(figure.period_start, figure.period_end)
