"""Fact database and conflict finder at scale: 100,000 figures from generated articles.

Measures ingest rate into SQLite and PostgreSQL (figures per second) and conflict detection
time over all figures, each against a baseline measured in the same run:
- ingest: the same store committing after every article (no batching);
- conflicts: comparing every pair of figures about the same thing (no period index, no
  merging of copies), on a 20,000-figure sample where that is still affordable.

The generated press: 7 copies per district and week (five outlets, two of them also
republished by MENAFN), each with a week's area cleared, mines by type and the area cleared
since 10 November 2020; one outlet rounds ("about"), and 0.2 % of reports carry a typo in
the anti-personnel count or a stale, smaller total: the conflicts to find.
Targets (issue 5): >= 5,000 figures/s into SQLite, conflicts over 100,000 in < 10 s.

Usage: python benchmarks/store_conflicts.py [--figures N] [--no-postgres]
The last line printed is one JSON object with the numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from extractor import conflicts, store
from extractor.pipeline import Outcome
from extractor.record import Article, Figure, Source

PG_BASE = "postgresql://postgres@127.0.0.1:5432/test"
PLACES = ("Aghdam", "Fuzuli", "Jabrayil", "Kalbajar", "Lachin", "Gubadli", "Zangilan",
          "Khojavend", "Tartar", "Shusha")
# name, site, rounds "about N" (two significant digits), republished by MENAFN
OUTLETS = (
    ("Trend News Agency", "en.trend.az", False, True),
    ("AzerNews", "www.azernews.az", False, True),
    ("Report.az", "report.az", True, False),
    ("APA", "apa.az", False, False),
    ("News.Az", "news.az", False, False),
)
FIRST_WEEK = dt.date(2020, 11, 16)
SINCE = "2020-11-10"
ERROR_RATE = 0.002


def _fig(text: str, evidence: str, source: Source, metric: str, value: float, *,
         subtype: str | None, unit: str, qualifier: str, start: str, end: str,
         place: str, after: str = "") -> Figure:
    at = text.index(evidence, text.index(after))
    return Figure(
        metric=metric, subtype=subtype, value=value, unit=unit, qualifier=qualifier,
        normalized={"value": value, "unit": unit}, period_start=start, period_end=end,
        location=place, claimant="ANAMA", evidence=evidence, start=at, end=at + len(evidence),
        sentence=text, source=source, pattern="bench.generated", version="0",
    )


def generate(target_figures: int, seed: int = 7) -> tuple[list[Outcome], set[str]]:
    """Outcomes as the pipeline would yield them, and the ids of misreported figures."""
    rng = random.Random(seed)
    outcomes: list[Outcome] = []
    cumulative = dict.fromkeys(PLACES, 0.0)
    injected: set[str] = set()
    week = 0
    while sum(len(o.figures) for o in outcomes) < target_figures:
        start = FIRST_WEEK + dt.timedelta(weeks=week)
        end = start + dt.timedelta(days=6)
        published = (end + dt.timedelta(days=1)).isoformat()
        for place in PLACES:
            area = round(rng.uniform(80, 900), 1)
            ap, at, uxo = rng.randint(0, 60), rng.randint(0, 30), rng.randint(20, 400)
            previous_total = cumulative[place]
            cumulative[place] = round(cumulative[place] + area, 1)
            for name, site, rounds, syndicated in OUTLETS:
                said_area, said_ap, qualifier = area, ap, "exact"
                if rounds:
                    digits = 2 - len(str(int(area)))  # keep two significant digits
                    said_area, qualifier = float(round(area, digits)), "approx"
                misreported = rng.random() < ERROR_RATE
                if misreported:  # a typo: a hundred too many
                    said_ap += 100
                said_total = cumulative[place]
                stale = week > 1 and rng.random() < ERROR_RATE
                if stale:  # last week's total, as if nothing was cleared since: a decrease
                    said_total = round(previous_total - area, 1)
                words = "about " if qualifier == "approx" else ""
                area_text = f"{words}{said_area:,g} hectares"
                cum_text = f"{said_total:,g} hectares"
                text_body = (
                    f"{name}: between {start:%d %B %Y} and {end:%d %B %Y} ANAMA cleared "
                    f"{area_text} in {place} district and neutralized {said_ap} anti-personnel "
                    f"mines, {at} anti-tank mines and {uxo} unexploded ordnance; since 10 "
                    f"November 2020, {cum_text} have been cleared there."
                )
                url = f"https://{site}/news/{place.lower()}-{week}"
                copies = [Source(url=url, publisher=name, published=published)]
                if syndicated:
                    copies.append(Source(
                        url=f"https://menafn.com/{week}{len(outcomes)}/{place}",
                        publisher=f"MENAFN / {name}",
                        published=(end + dt.timedelta(days=2)).isoformat()))
                for source in copies:
                    article = Article(text_body, source)
                    week_period = {"start": start.isoformat(), "end": end.isoformat(),
                                   "place": place}
                    figs = [
                        _fig(text_body, area_text, source, "area_cleared", said_area,
                             subtype=None, unit="ha", qualifier=qualifier, **week_period),
                        _fig(text_body, f"{said_ap} anti-personnel mines", source,
                             "mines_neutralized", said_ap, subtype="anti_personnel",
                             unit="count", qualifier="exact", **week_period),
                        _fig(text_body, f"{at} anti-tank mines", source, "mines_neutralized",
                             at, subtype="anti_tank", unit="count", qualifier="exact",
                             **week_period),
                        _fig(text_body, f"{uxo} unexploded ordnance", source,
                             "mines_neutralized", uxo, subtype="uxo", unit="count",
                             qualifier="exact", **week_period),
                        _fig(text_body, cum_text, source, "area_cleared", said_total,
                             subtype=None, unit="ha", qualifier="exact", start=SINCE,
                             end=end.isoformat(), place=place, after="since"),
                    ]
                    if misreported:
                        injected.add(figs[1].id)
                    if stale:
                        injected.add(figs[4].id)
                    outcomes.append(Outcome(source, figs, None, article))
        week += 1
    return outcomes, injected


def _ingest(url: str, outcomes: list[Outcome], policy: store.BatchPolicy | None = None) -> float:
    """Figures per second, from opening the database to the finished run."""
    n = sum(len(o.figures) for o in outcomes)
    began = time.perf_counter()
    with store.open_store(url) as db:
        summary = store.start_run(db, ["benchmark"])
        store.ingest(db, outcomes, summary, policy)
        store.finish_run(db, summary)
    elapsed = time.perf_counter() - began
    assert summary.figures_added == n, (summary, n)
    return n / elapsed


def _naive_pairs(figures: list[Figure], kn: conflicts.Knowledge) -> int:
    """Baseline: every pair about the same thing and period, compared directly."""
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for f in figures:
        groups[(f.metric, f.subtype, conflicts.place_key(f.location, kn))].append(f)
    found = 0
    for figs in groups.values():
        readings = [(f, conflicts.reading(f, kn.tolerance),
                     conflicts.resolve_outlet(f.source, kn.publishers).name) for f in figs]
        for i, (fa, ra, oa) in enumerate(readings):
            for fb, rb, ob in readings[i + 1:]:
                same_period = (fa.period_start, fa.period_end) == (fb.period_start, fb.period_end)
                if same_period and oa != ob and not conflicts.agree(ra, rb, kn.tolerance):
                    found += 1
    return found


def _pg_ingest(outcomes: list[Outcome], policy: store.BatchPolicy | None = None) -> float:
    """Figures per second into a fresh PostgreSQL schema, dropped afterwards."""
    schema = f"nf_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(store.database_url(PG_BASE), connect_args={"connect_timeout": 5})
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        return _ingest(f"{PG_BASE}?options={quote(f'-csearch_path={schema}')}", outcomes, policy)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    outcomes, injected = generate(args.figures)
    n = sum(len(o.figures) for o in outcomes)
    print(f"generated {len(outcomes)} articles, {n} figures, {len(injected)} misreported")
    kn = conflicts.load_knowledge()
    results: dict[str, float | int | str | None] = {"figures": n, "articles": len(outcomes)}

    with tempfile.TemporaryDirectory() as tmp:
        sqlite_path = str(Path(tmp) / "bench.db")
        rate = _ingest(sqlite_path, outcomes)
        baseline_slice = outcomes[: max(1, len(outcomes) // 10)]
        baseline = _ingest(str(Path(tmp) / "baseline.db"), baseline_slice,
                           store.BatchPolicy(articles=1, figures=1))
        results |= {"sqlite_ingest_figures_per_s": round(rate),
                    "sqlite_per_article_commit_figures_per_s": round(baseline),
                    "sqlite_ingest_speedup_vs_per_article_commit": round(rate / baseline, 2)}
        print(f"SQLite ingest: {rate:,.0f} figures/s (commit per article: {baseline:,.0f}/s, "
              f"x{rate / baseline:.1f})")

        began = time.perf_counter()
        again = store.open_store(sqlite_path)
        summary = store.start_run(again, ["benchmark rerun"])
        store.ingest(again, outcomes, summary)
        again.close()
        rerun_s = time.perf_counter() - began
        assert summary.figures_added == 0 and summary.articles_unchanged == len(outcomes)
        results["sqlite_reingest_unchanged_s"] = round(rerun_s, 2)
        print(f"SQLite re-ingest of the same {len(outcomes)} articles: {rerun_s:.2f} s, "
              "nothing added")

        with store.open_store(sqlite_path, create=False) as db:
            began = time.perf_counter()
            figures = store.current_figures(db)
            load_s = time.perf_counter() - began
        began = time.perf_counter()
        found = conflicts.find_conflicts(figures, kn)
        detect_s = time.perf_counter() - began
        flagged = {f.id for c in found for f in (*c.side_a, *c.side_b)}
        by_kind: dict[str, int] = defaultdict(int)
        for c in found:
            by_kind[c.kind] += 1
        sample = figures[: min(len(figures), 20_000)]
        began = time.perf_counter()
        conflicts.find_conflicts(sample, kn)
        sample_s = time.perf_counter() - began
        began = time.perf_counter()
        _naive_pairs(sample, kn)
        naive_s = time.perf_counter() - began
        results |= {
            "conflicts_load_s": round(load_s, 2), "conflicts_detect_s": round(detect_s, 2),
            "conflicts_found": len(found), "conflicts_by_kind": json.dumps(dict(by_kind)),
            "misreported_injected": len(injected),
            "misreported_flagged": len(injected & flagged),
            "conflicts_20k_s": round(sample_s, 3), "naive_pairs_20k_s": round(naive_s, 3),
            "conflicts_speedup_vs_naive_pairs_20k": round(naive_s / sample_s, 1),
        }
        print(f"conflicts over {len(figures):,} figures: {detect_s:.2f} s (+{load_s:.2f} s to "
              f"read them), {len(found)} found {dict(by_kind)}; {len(injected & flagged)} of "
              f"{len(injected)} misreported figures flagged")
        print(f"{len(sample):,}-figure sample: {sample_s:.3f} s vs naive pairwise {naive_s:.3f} s "
              f"(x{naive_s / sample_s:.1f})")

    if not args.no_postgres:
        rate = _pg_ingest(outcomes)
        baseline = _pg_ingest(baseline_slice, store.BatchPolicy(articles=1, figures=1))
        results |= {"postgresql_ingest_figures_per_s": round(rate),
                    "postgresql_per_article_commit_figures_per_s": round(baseline),
                    "postgresql_ingest_speedup_vs_per_article_commit": round(rate / baseline, 2)}
        print(f"PostgreSQL ingest: {rate:,.0f} figures/s (commit per article: "
              f"{baseline:,.0f}/s, x{rate / baseline:.1f})")

    results["target_sqlite_figures_per_s_met"] = results["sqlite_ingest_figures_per_s"] >= 5000
    results["target_conflicts_under_10s_met"] = (
        float(results["conflicts_detect_s"]) + float(results["conflicts_load_s"]) < 10)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
