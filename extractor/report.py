"""One self-contained HTML report: figures over time, conflicts side by side, sources.

Everything (styles, inline SVG charts, a few lines of script) is inside the file, so it opens
offline and can be mailed as one attachment.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import __version__
from .conflicts import (
    Conflict,
    Knowledge,
    Outlet,
    date_range,
    figure_summary,
    place_key,
    resolve_outlet,
)
from .record import Figure, Source
from .store import ArticleInfo

MAX_CHARTS = 80
MAX_POINTS_PER_CHART = 2000
# Colours of maximum contrast (Kelly's list, red left out: red marks conflicts).
PALETTE = ("#0067a5", "#f38400", "#008856", "#875692", "#f3c300", "#848482", "#e68fac",
           "#2b3d26", "#a1caf1", "#882d17", "#8db600", "#604e97", "#c2b280", "#f99379",
           "#654522", "#dcd300", "#b3446c", "#f6a600", "#222222", "#e25822")
# Values spread wider than this (monthly figures beside totals over years) get a log axis,
# so the small ones do not sit flat on zero.
LOG_SCALE_RATIO = 50
LONG_PERIOD_DAYS = 92  # longer periods (totals since a start, years) are drawn hollow
CHART_W, CHART_H = 1100, 250
PAD_L, PAD_R, PAD_T, PAD_B = 70, 40, 14, 40

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d232a;
background:#f6f7f9}
header,main{max-width:1180px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}
h3{font-size:15px;margin:0 0 6px}
.summary{color:#4a5560}.summary b{color:#1d232a}
nav a{margin-right:14px}
.chart-card,.conflict{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px 14px;
margin-bottom:14px}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;margin-top:4px}
.legend span::before{content:"";display:inline-block;width:10px;height:10px;border-radius:50%;
background:var(--c);margin-right:5px;vertical-align:-1px}
svg.chart text{font-size:11px;fill:#4a5560}
svg.chart .axis{stroke:#9aa4ae}svg.chart .grid{stroke:#eceff2}
svg.chart circle.long-period{fill:#fff;stroke:var(--c);stroke-width:2}
svg.chart circle.conflicted{stroke:#d62728;stroke-width:2.5;fill:var(--c)}
td,.figure{overflow-wrap:anywhere}
.key{display:inline-block;width:9px;height:9px;border-radius:50%;vertical-align:-1px;
border:2px solid #555;margin:0 3px 0 8px}.key.filled{background:#555}
.conflict{border-left:5px solid #d62728}
.kind{display:inline-block;background:#d62728;color:#fff;border-radius:3px;padding:0 6px;
font-size:12px;margin-right:6px}
.reason{margin:6px 0 10px}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.side{background:#fafbfc;border:1px solid #e4e7eb;border-radius:4px;padding:8px 10px}
.side h4{margin:0 0 6px;font-size:13px}
.figure{border-top:1px dashed #dde1e6;padding:6px 0}.figure:first-of-type{border-top:0}
.value{font-weight:600;font-size:15px}
.meta{color:#4a5560;font-size:12px}
.sentence{margin:4px 0 0}
mark{background:#ffe58a;padding:0 1px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border:1px solid #dde1e6;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f4}
td.num{text-align:right}
.note{color:#6b7580;font-size:12px}
"""

# Marks the page as laid out by a browser: how many charts and points have a real size.
SCRIPT = """
(function(){
  var charts=document.querySelectorAll('svg.chart'),drawn=0,points=0;
  charts.forEach(function(svg){var b=svg.getBBox();if(b.width>0&&b.height>0){drawn++;}
    points+=svg.querySelectorAll('circle.point').length;});
  document.documentElement.setAttribute('data-charts-rendered',String(drawn));
  document.documentElement.setAttribute('data-points',String(points));
})();
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- colours per outlet


@dataclass
class Colours:
    by_outlet: dict[str, str]

    def of(self, name: str) -> str:
        return self.by_outlet.get(name, "#7f7f7f")


def _colours(outlet_counts: Counter[str]) -> Colours:
    mapping: dict[str, str] = {}
    for i, (name, _) in enumerate(sorted(outlet_counts.items(), key=lambda kv: (-kv[1], kv[0]))):
        mapping[name] = PALETTE[i] if i < len(PALETTE) else f"hsl({(i * 137.5) % 360:.0f},55%,42%)"
    return Colours(mapping)


# ---------------------------------------------------------------- charts


@dataclass
class Point:
    day: int  # ordinal of the date the figure is about (period end, else publication)
    value: float
    figure: Figure
    outlet: Outlet
    conflicted: bool
    long: bool  # covers more than a quarter: a total since a start, a year


def _point_day(fig: Figure) -> int | None:
    end = date_range(fig.period_end) or date_range(fig.source.published)
    return end[1] if end else None


def _is_long(fig: Figure, day: int) -> bool:
    start = date_range(fig.period_start)
    return start is not None and day - start[0] > LONG_PERIOD_DAYS


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * power:
            return mult * power
    return 10 * power


def _time_ticks(lo: int, hi: int) -> list[tuple[int, str]]:
    first, last = dt.date.fromordinal(lo), dt.date.fromordinal(hi)
    if (last - first).days > 3 * 365:
        years = range(first.year + 1, last.year + 1)
        return [(dt.date(year, 1, 1).toordinal(), str(year)) for year in years]
    if hi - lo <= 120:  # a few weeks or months: label days
        every = max(1, math.ceil((hi - lo) / 7))
        return [(day, dt.date.fromordinal(day).isoformat()) for day in range(lo, hi + 1, every)]
    ticks: list[tuple[int, str]] = []
    month = dt.date(first.year, first.month, 1)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    every = max(1, math.ceil(months / 8))
    while month <= last:
        if month >= first and (month.month - 1) % every == 0:
            ticks.append((month.toordinal(), month.strftime("%Y-%m")))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return ticks or [(lo, first.isoformat())]


def _chart_svg(points: list[Point], unit: str, colours: Colours, chart_id: str) -> str:
    days = [p.day for p in points]
    lo_day, hi_day = min(days), max(days)
    if lo_day == hi_day:
        lo_day, hi_day = lo_day - 15, hi_day + 15
    top = max(p.value for p in points)
    bottom = min(p.value for p in points)
    span = top - bottom
    log = bottom > 0 and top / bottom >= LOG_SCALE_RATIO
    if log:  # one tick per power of ten, values placed by their logarithm
        y_min, y_max = math.floor(math.log10(bottom)), math.ceil(math.log10(top))
        step = 1.0
    elif bottom > 0 and 0 < span < bottom:
        # Values close together (a cumulative series): start the axis near them so the
        # differences show; the axis labels say where it starts.
        step = _nice_step(span * 1.5)
        y_min = step * math.floor((bottom - span * 0.25) / step)
        y_max = step * math.ceil((top + span * 0.25) / step)
    else:
        step = _nice_step(top * 1.05 if top > 0 else 1.0)
        y_min = 0.0
        y_max = step * math.ceil((top * 1.05 if top > 0 else 1.0) / step)
    margin = max(1, (hi_day - lo_day) // 30)  # keep points off the frame
    lo_day, hi_day = lo_day - margin, hi_day + margin
    plot_w, plot_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B

    def x(day: int) -> float:
        return PAD_L + (day - lo_day) / (hi_day - lo_day) * plot_w

    def y(value: float) -> float:
        at = math.log10(value) if log else value
        return PAD_T + plot_h - (at - y_min) / (y_max - y_min) * plot_h

    parts = [
        f'<svg class="chart" id="{_e(chart_id)}" viewBox="0 0 {CHART_W} {CHART_H}" '
        f'width="100%" role="img" data-scale="{"log" if log else "linear"}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    tick = y_min
    while tick <= y_max + 1e-9:
        value = 10**tick if log else tick
        yy = y(value)
        parts.append(f'<line class="grid" x1="{PAD_L}" x2="{CHART_W - PAD_R}" y1="{yy:.1f}" '
                     f'y2="{yy:.1f}"/><text x="{PAD_L - 6}" y="{yy + 4:.1f}" '
                     f'text-anchor="end">{_e(_num(value))}</text>')
        tick += step
    for day, label in _time_ticks(lo_day, hi_day):
        xx = x(day)
        parts.append(f'<line class="grid" x1="{xx:.1f}" x2="{xx:.1f}" y1="{PAD_T}" '
                     f'y2="{PAD_T + plot_h}"/><text x="{xx:.1f}" y="{CHART_H - PAD_B + 16}" '
                     f'text-anchor="middle">{_e(label)}</text>')
    parts.append(f'<line class="axis" x1="{PAD_L}" x2="{CHART_W - PAD_R}" y1="{PAD_T + plot_h}" '
                 f'y2="{PAD_T + plot_h}"/><line class="axis" x1="{PAD_L}" x2="{PAD_L}" '
                 f'y1="{PAD_T}" y2="{PAD_T + plot_h}"/>')
    parts.append(f'<text x="14" y="{PAD_T + plot_h / 2:.0f}" transform="rotate(-90 14 '
                 f'{PAD_T + plot_h / 2:.0f})" text-anchor="middle">'
                 f'{_e(unit + (" (log scale)" if log else ""))}</text>')
    for p in sorted(points, key=lambda p: p.conflicted):  # conflicted points drawn on top
        fig = p.figure
        tip = (f"{_num(p.value)} {unit} ({fig.qualifier}), {fig.period_start or '?'}.."
               f"{fig.period_end or '?'}, {p.outlet.name}"
               f"{' via ' + p.outlet.via if p.outlet.via else ''}, "
               f"published {fig.source.published or '?'}: {fig.evidence}")
        cls = "point" + (" long-period" if p.long else "") + (" conflicted" if p.conflicted else "")
        colour = colours.of(p.outlet.name)
        parts.append(
            f'<circle class="{cls}" cx="{x(p.day):.1f}" cy="{y(p.value):.1f}" r="4.5" '
            f'fill="{colour}" style="--c:{colour}" data-outlet="{_e(p.outlet.name)}" '
            f'data-value="{p.value:g}"><title>{_e(tip)}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _series_title(metric: str, subtype: str | None, place: str | None) -> str:
    what = metric.replace("_", " ") + (f" ({subtype.replace('_', ' ')})" if subtype else "")
    return f"{what} — {place or 'place not stated'}"


def _charts_section(figures: Sequence[Figure], outlets: dict[int, Outlet], conflicted: set[int],
                    colours: Colours, knowledge: Knowledge) -> str:
    series: dict[tuple, list[Point]] = defaultdict(list)
    undated = 0
    for fig in figures:
        if fig.group is not None:
            continue  # breakdowns by population group are charted with their total
        day = _point_day(fig)
        if day is None:
            undated += 1
            continue
        value = (fig.normalized or {}).get("value")
        value = float(fig.value if value is None else value)
        place = place_key(fig.location, knowledge)
        key = (fig.metric, fig.subtype or "", place or "")
        series[key].append(Point(day, value, fig, outlets[id(fig)], id(fig) in conflicted,
                                 _is_long(fig, day)))
    ordered = sorted(series.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    out = ['<section id="charts"><h2>Figures over time</h2>',
           '<p class="note">One chart per metric and place; each point is a figure at the end '
           "of the period it covers (or its publication date), coloured by source: "
           '<span class="key filled"></span>a week or a month, <span class="key"></span>a longer '
           "period (a total since a start, a year). Points with a red ring take part in a "
           "conflict; hover for the evidence.</p>"]
    for n, ((metric, subtype, place), points) in enumerate(ordered[:MAX_CHARTS]):
        unique: dict[tuple, Point] = {}
        for p in points:
            unique.setdefault((p.day, p.value, p.outlet.name, p.conflicted, p.long), p)
        shown = list(unique.values())[:MAX_POINTS_PER_CHART]
        unit = (shown[0].figure.normalized or {}).get("unit") or shown[0].figure.unit
        names = sorted({p.outlet.name for p in shown})
        legend = "".join(f'<span style="--c:{colours.of(name)}">{_e(name)}</span>'
                         for name in names)
        out.append(
            f'<div class="chart-card" data-metric="{_e(metric)}" data-subtype="{_e(subtype)}" '
            f'data-location="{_e(place)}"><h3>{_e(_series_title(metric, subtype, place))}</h3>'
            f'{_chart_svg(shown, unit, colours, f"chart-{n}")}'
            f'<div class="legend">{legend}</div>'
            f'<p class="note">{len(points)} figures from {len(names)} sources</p></div>'
        )
    if len(ordered) > MAX_CHARTS:
        out.append(f'<p class="note">{len(ordered) - MAX_CHARTS} smaller series not charted; '
                   "query them with <code>newsfacts facts</code>.</p>")
    if undated:
        out.append(f'<p class="note">{undated} figures without any date are not charted.</p>')
    if not ordered:
        out.append('<p class="note">No dated figures in the database yet.</p>')
    out.append("</section>")
    return "".join(out)


# ---------------------------------------------------------------- conflicts


def _sentence_with_mark(fig: Figure) -> str:
    sentence = fig.sentence or fig.evidence
    at = sentence.find(fig.evidence) if fig.evidence else -1
    if at < 0:
        return f"{_e(sentence)} <mark>{_e(fig.evidence)}</mark>" if sentence != fig.evidence \
            else f"<mark>{_e(fig.evidence)}</mark>"
    end = at + len(fig.evidence)
    return f"{_e(sentence[:at])}<mark>{_e(sentence[at:end])}</mark>{_e(sentence[end:])}"


def _figure_card(fig: Figure, outlet: Outlet) -> str:
    s = figure_summary(fig)
    link = s["url"] or ""
    href = link if link.startswith(("http://", "https://")) else None
    where = (f'<a href="{_e(href)}">{_e(link)}</a>' if href else _e(link))
    via = f" via {_e(outlet.via)}" if outlet.via else ""
    unit = "" if fig.unit == "count" else f" {_e(fig.unit)}"
    return (
        f'<div class="figure" data-figure-id="{_e(s["id"])}">'
        f'<span class="value">{_e(_num(float(fig.value)))}{unit}</span> '
        f'<span class="meta">{_e(fig.qualifier)} · period {_e(fig.period_start or "?")} .. '
        f'{_e(fig.period_end or "?")} · {_e(fig.location or "place not stated")}'
        f'{" · claimed by " + _e(fig.claimant) if fig.claimant else ""}</span><br>'
        f'<span class="meta"><b>{_e(outlet.name)}</b>{via} · published '
        f'{_e(fig.source.published or "?")} · {where}</span>'
        f'<p class="sentence">{_sentence_with_mark(fig)}</p></div>'
    )


def _conflicts_section(conflicts: Sequence[Conflict], outlets: dict[int, Outlet]) -> str:
    out = [f'<section id="conflicts"><h2>Conflicts ({len(conflicts)})</h2>']
    if not conflicts:
        out.append('<p class="note">No figures disagree.</p>')
    labels = {
        "disagreement": ("Stated", "Contradicted by"),
        "cumulative_decrease": ("Earlier total", "Later, smaller total"),
        "subperiod_exceeds": ("Shorter period", "Longer period containing it"),
        "parts_exceed_total": ("Parts", "Stated total"),
    }
    for c in conflicts:
        head_a, head_b = labels.get(c.kind, ("Side A", "Side B"))
        what = _series_title(c.metric, c.subtype, None).split(" — ")[0]
        sides = []
        for cls, head, figs in (("side side-a", head_a, c.side_a),
                                ("side side-b", head_b, c.side_b)):
            cards = "".join(_figure_card(f, outlets[id(f)]) for f in figs)
            sides.append(f'<div class="{cls}"><h4>{_e(head)}</h4>{cards}</div>')
        out.append(
            f'<article class="conflict" id="conflict-{_e(c.id)}" data-kind="{_e(c.kind)}">'
            f'<h3><span class="kind">{_e(c.kind.replace("_", " "))}</span>{_e(what)} — '
            f'{_e(c.location or "place not stated")}</h3>'
            f'<p class="reason">{_e(c.reason)}</p><div class="sides">{"".join(sides)}</div>'
            "</article>"
        )
    out.append("</section>")
    return "".join(out)


# ---------------------------------------------------------------- sources


def _sources_section(articles: Sequence[ArticleInfo], knowledge: Knowledge) -> str:
    by_outlet: dict[str, list[tuple[ArticleInfo, Outlet]]] = defaultdict(list)
    for art in articles:
        outlet = resolve_outlet(art.source, knowledge.publishers)
        by_outlet[outlet.name].append((art, outlet))
    rows = []
    for name, items in sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        vias = sorted({o.via for _, o in items if o.via})
        dates = sorted(a.source.published for a, _ in items if a.source.published)
        links = "<br>".join(
            (f'<a href="{_e(a.source.url)}">{_e(a.source.title or a.source.url)}</a>'
             if a.source.url else _e(a.source.path or a.source.title or ""))
            for a, _ in items[:5]
        )
        more = f'<br><span class="note">and {len(items) - 5} more</span>' if len(items) > 5 else ""
        rows.append(
            f'<tr class="source-row"><td>{_e(name)}</td><td>{_e(", ".join(vias))}</td>'
            f'<td class="num">{len(items)}</td>'
            f'<td class="num">{sum(a.figure_count for a, _ in items)}</td>'
            f'<td>{_e(dates[0] if dates else "")}</td><td>{_e(dates[-1] if dates else "")}</td>'
            f"<td>{links}{more}</td></tr>"
        )
    return (
        '<section id="sources"><h2>Sources</h2>'
        '<p class="note">Copies republished by an aggregator count with their original outlet.'
        "</p><table><thead><tr><th>Source</th><th>Republished via</th><th>Articles</th>"
        "<th>Figures</th><th>First published</th><th>Last published</th><th>Articles (first 5)"
        f'</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


# ---------------------------------------------------------------- the page


def _outlets_of(figures: Iterable[Figure], knowledge: Knowledge) -> dict[int, Outlet]:
    cache: dict[tuple, Outlet] = {}
    result: dict[int, Outlet] = {}
    for fig in figures:
        src: Source = fig.source
        key = (src.publisher, src.url, src.final_url, src.path)
        if key not in cache:
            cache[key] = resolve_outlet(src, knowledge.publishers)
        result[id(fig)] = cache[key]
    return result


def render(figures: Sequence[Figure], conflicts: Sequence[Conflict],
           articles: Sequence[ArticleInfo], knowledge: Knowledge,
           title: str = "newsfacts report") -> str:
    """The whole report as one HTML string."""
    all_figs = list(figures) + [f for c in conflicts for f in (*c.side_a, *c.side_b)]
    outlets = _outlets_of(all_figs, knowledge)
    conflicted = {id(f) for c in conflicts for f in (*c.side_a, *c.side_b)}
    colours = _colours(Counter(outlets[id(f)].name for f in figures))
    source_count = len({resolve_outlet(a.source, knowledge.publishers).name for a in articles})
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    kinds = Counter(c.kind for c in conflicts)
    kind_text = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items()))
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{_e(title)}</h1><p class=\"summary\"><b>{len(figures)}</b> figures from "
        f"<b>{len(articles)}</b> articles by <b>{source_count}</b> sources; "
        f"<b>{len(conflicts)}</b> conflicts{' (' + _e(kind_text) + ')' if kind_text else ''}. "
        f"Generated {generated} by newsfacts {__version__}.</p>"
        '<nav><a href="#charts">Charts</a><a href="#conflicts">Conflicts</a>'
        '<a href="#sources">Sources</a></nav></header><main>'
        f"{_charts_section(figures, outlets, conflicted, colours, knowledge)}"
        f"{_conflicts_section(conflicts, outlets)}"
        f"{_sources_section(articles, knowledge)}"
        f"</main><script>{SCRIPT}</script></body></html>"
    )
