"""The fact database on real SQLite files and the real PostgreSQL server.

Also home of the helpers the conflict and report tests share: `Doc` builds articles and
their figures from text written here, and `db_url` gives a fresh database of either kind.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import Reply
from sqlalchemy import create_engine, inspect, text, update

from extractor import conflicts, pipeline, store
from extractor.cli import main as cli_main
from extractor.figures import FigureExtractor
from extractor.record import Article, Figure, ItemError, Source
from extractor.store import _article_row

PG_BASE = "postgresql://postgres@127.0.0.1:5432/test"
ACRE_HA = 0.40468564224

# ---------------------------------------------------------------- shared helpers


@dataclass
class Doc:
    """An article written for a test, and figures pointing into its text."""

    text: str
    url: str | None = None
    publisher: str | None = None
    published: str | None = None
    path: str | None = None

    def __post_init__(self) -> None:
        self.article = Article(self.text, Source(path=self.path, url=self.url,
                                                 publisher=self.publisher,
                                                 published=self.published))

    @property
    def source(self) -> Source:
        return self.article.source

    def fig(self, evidence: str, metric: str, value: float, *, subtype: str | None = None,
            unit: str = "count", qualifier: str = "exact", start: str | None = None,
            end: str | None = None, location: str | None = None, claimant: str | None = None,
            group: str | None = None, occurrence: int = 0) -> Figure:
        at = -1
        for _ in range(occurrence + 1):
            at = self.text.index(evidence, at + 1)
        stop = at + len(evidence)
        dot = self.text.rfind(". ", 0, at)
        left = max(dot + 2 if dot >= 0 else 0, self.text.rfind("\n", 0, at) + 1)
        right = min(i for i in (self.text.find(". ", stop), self.text.find("\n", stop),
                                len(self.text)) if i >= 0)
        factor = {"ha": 1.0, "acre": ACRE_HA, "km2": 100.0, "m2": 0.0001}.get(unit)
        normalized = ({"value": value * factor, "unit": "ha"} if factor is not None
                      else {"value": value, "unit": unit})
        return Figure(
            metric=metric, subtype=subtype, value=value, unit=unit, qualifier=qualifier,
            normalized=normalized, period_start=start, period_end=end, location=location,
            claimant=claimant, evidence=evidence, start=at, end=stop,
            sentence=self.text[left:right + 1].strip(), source=self.source,
            pattern="test.hand_written", version="0", group=group,
        )

    def outcome(self, *figures: Figure) -> pipeline.Outcome:
        return pipeline.Outcome(self.source, list(figures), None, self.article)


def ingest_outcomes(db: store.Store, outcomes, inputs=("test",),
                    policy: store.BatchPolicy | None = None) -> store.RunSummary:
    summary = store.start_run(db, list(inputs))
    store.ingest(db, outcomes, summary, policy)
    store.finish_run(db, summary)
    return summary


def _pg_reachable() -> bool:
    try:
        engine = create_engine(store.database_url(PG_BASE), connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a schema of their own, dropped afterwards."""
    if not _pg_reachable():
        pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432 (.ci/run starts it)")
    schema = f"nf_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(store.database_url(PG_BASE))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_BASE}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def database_fixture():
    """The `db_url` fixture, for this and the other test modules to bind by assignment."""

    @pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
    def db_url(request, tmp_path):
        """A fresh database: a SQLite file in tmp_path, or a private PostgreSQL schema."""
        if request.param == "sqlite":
            yield str(tmp_path / "facts.db")
        else:
            with postgres_schema_url() as url:
                yield url

    return db_url


db_url = database_fixture()


# ---------------------------------------------------------------- articles used below

WEEKLY = Doc(
    "ANAMA: 1,198.7 hectares cleared in a week\n"
    "Between October 7 and October 13, 2024, ANAMA cleared 1,198.7 hectares in Karabakh "
    "and found 31 anti-personnel mines and 12 anti-tank mines.",
    url="https://en.trend.az/azerbaijan/society/100.html", publisher="Trend News Agency",
    published="2024-10-14",
)


def weekly_figures(doc: Doc = WEEKLY) -> list[Figure]:
    period = {"start": "2024-10-07", "end": "2024-10-13", "location": "Karabakh",
              "claimant": "ANAMA"}
    return [
        doc.fig("1,198.7 hectares", "area_cleared", 1198.7, unit="ha", occurrence=1, **period),
        doc.fig("31 anti-personnel mines", "mines_neutralized", 31, subtype="anti_personnel",
                **period),
        doc.fig("12 anti-tank mines", "mines_neutralized", 12, subtype="anti_tank", **period),
    ]


# ---------------------------------------------------------------- schema and opening


def test_fresh_database_has_versioned_readable_schema_in_wal_mode(tmp_path):
    path = tmp_path / "facts.db"
    with store.open_store(str(path)) as db:
        names = set(inspect(db.engine).get_table_names())
        columns = {c["name"] for c in inspect(db.engine).get_columns("figures")}
    assert {"schema_version", "articles", "figures", "ingest_runs", "ingest_errors"} <= names
    # Every RECORD.md field has a readable column (start/end/group renamed off SQL keywords).
    assert {"record_id", "metric", "subtype", "value", "unit", "qualifier", "normalized_value",
            "normalized_unit", "period_start", "period_end", "location", "claimant",
            "population_group", "evidence", "evidence_start", "evidence_end", "sentence",
            "extractor_pattern", "extractor_version", "superseded"} <= columns
    con = sqlite3.connect(path)  # what Datasette and the sqlite3 shell see
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1")] == [1, 2]
    assert con.execute("SELECT name FROM sqlite_master WHERE type='view'").fetchall() == [
        ("current_figures",)]
    con.close()


def test_record_fields_round_trip(db_url):
    figs = weekly_figures()
    with store.open_store(db_url) as db:
        ingest_outcomes(db, [WEEKLY.outcome(*figs)])
        stored = list(store.iter_figures(db))
    assert [s.figure.to_dict() for s in stored] == [f.to_dict() for f in figs]
    assert all(WEEKLY.text[s.figure.start:s.figure.end] == s.figure.evidence for s in stored)


def test_same_article_twice_adds_nothing(db_url):
    with store.open_store(db_url) as db:
        first = ingest_outcomes(db, [WEEKLY.outcome(*weekly_figures())])
        again = ingest_outcomes(db, [WEEKLY.outcome(*weekly_figures())] * 2)
        assert (first.articles_added, first.figures_added) == (1, 3)
        assert (again.articles_added, again.figures_added, again.articles_unchanged) == (0, 0, 2)
        assert len(list(store.iter_figures(db, include_superseded=True))) == 3
        assert len(store.list_articles(db, include_superseded=True)) == 1


def test_changed_article_at_same_url_supersedes_old_version(db_url):
    old = Doc("ANAMA cleared 1,198 hectares in Karabakh last week.", url="https://x.az/1",
              publisher="AzerNews", published="2024-10-14")
    new = Doc("ANAMA cleared 1,189 hectares in Karabakh last week (corrected).",
              url="https://x.az/1", publisher="AzerNews", published="2024-10-14")
    fig_old = old.fig("1,198 hectares", "area_cleared", 1198, unit="ha")
    fig_new = new.fig("1,189 hectares", "area_cleared", 1189, unit="ha")
    with store.open_store(db_url) as db:
        ingest_outcomes(db, [old.outcome(fig_old)])
        run = ingest_outcomes(db, [new.outcome(fig_new)])
        assert (run.articles_added, run.articles_superseded) == (1, 1)
        assert [s.figure.value for s in store.iter_figures(db)] == [1189]
        everything = list(store.iter_figures(db, include_superseded=True))
        assert sorted((s.figure.value, s.superseded) for s in everything) == [
            (1189, False), (1198, True)]
        versions = store.list_articles(db, include_superseded=True)
        assert [(a.source.sha256, a.superseded) for a in versions] == [
            (old.source.sha256, True), (new.source.sha256, False)]
        # The old version coming back again is not new: nothing changes.
        again = ingest_outcomes(db, [old.outcome(fig_old)])
        assert (again.articles_added, again.articles_unchanged) == (0, 1)
        assert [s.figure.value for s in store.iter_figures(db)] == [1189]


def test_two_versions_in_one_batch_keep_their_order(db_url):
    first = Doc("ANAMA found 5 anti-tank mines.", url="https://x.az/5")
    second = Doc("ANAMA found 6 anti-tank mines.", url="https://x.az/5")
    third = Doc("ANAMA found 7 anti-tank mines.", url="https://x.az/5")
    outcomes = [d.outcome(d.fig(f"{v} anti-tank mines", "mines_neutralized", v))
                for d, v in ((first, 5), (second, 6), (third, 7))]
    with store.open_store(db_url) as db:
        run = ingest_outcomes(db, [*outcomes, outcomes[0]])
        assert (run.articles_added, run.articles_superseded, run.articles_unchanged) == (3, 2, 1)
        assert [s.figure.value for s in store.iter_figures(db)] == [7]
        versions = store.list_articles(db, include_superseded=True)
        assert [a.superseded for a in versions] == [True, True, False]


def test_errors_are_recorded_in_the_run_and_the_ingest_goes_on(db_url):
    bad = ItemError("fetch", "HTTP 404", Source(url="https://x.az/missing"))
    other = Doc("ANAMA found 5 anti-tank mines in Aghdam.", url="https://x.az/2")
    with store.open_store(db_url) as db:
        run = ingest_outcomes(db, [
            WEEKLY.outcome(*weekly_figures()),
            pipeline.Outcome(bad.source, [], bad),
            other.outcome(other.fig("5 anti-tank mines", "mines_neutralized", 5,
                                    subtype="anti_tank")),
        ])
        assert (run.items_seen, run.articles_added, run.figures_added, run.errors) == (3, 2, 4, 1)
        [info] = store.list_runs(db)
    assert info.status == "completed" and info.finished_at
    assert info.counters["errors"] == 1
    assert info.errors == [{"input": "https://x.az/missing", "kind": "fetch",
                            "message": "HTTP 404"}]


class ExplodingExtractor(FigureExtractor):
    """Fails on articles that mention a marker word, as a buggy pattern would."""

    def __init__(self, figures_by_text: dict[str, list[Figure]]) -> None:
        super().__init__()
        self.figures_by_text = figures_by_text

    def find(self, doc):
        if "EXPLODE" in doc.text:
            raise RuntimeError("pattern crashed")
        return super().find(doc)

    def figures_of(self, doc, found, published, source, completed=False) -> list[Figure]:
        return self.figures_by_text.get(doc.text, [])


def test_extraction_failure_is_recorded_and_does_not_stop_the_ingest(db_url, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("ANAMA found 7 anti-tank mines.", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("EXPLODE 3 mines", encoding="utf-8")
    (tmp_path / "in" / "c.txt").write_text("ANAMA found 9 UXO.", encoding="utf-8")
    good = Doc("ANAMA found 7 anti-tank mines.", path=str(tmp_path / "in" / "a.txt"))
    extractor = ExplodingExtractor({good.text: [good.fig("7 anti-tank mines",
                                                         "mines_neutralized", 7)]})
    with store.open_store(db_url) as db:
        run = ingest_outcomes(db, pipeline.run([str(tmp_path / "in")], extractor))
        assert (run.items_seen, run.articles_added, run.figures_added, run.errors) == (3, 2, 1, 1)
        [info] = store.list_runs(db)
        assert info.errors[0]["kind"] == "extract"
        assert "pattern crashed" in info.errors[0]["message"]
        assert info.errors[0]["input"].endswith("b.txt")
        # The failed article was not stored, so a fixed extractor picks it up next time.
        assert len(store.list_articles(db)) == 2


# ---------------------------------------------------------------- migrations


def _mig(version: int, sql: str) -> store.Migration:
    return store.Migration(version, f"test {version}", lambda conn: conn.execute(text(sql)))


def test_migrations_upgrade_an_older_database_once(db_url):
    base = list(store.MIGRATIONS)
    extra = _mig(len(base) + 1, "CREATE TABLE reviewer_notes (id INTEGER PRIMARY KEY, note TEXT)")
    with store.open_store(db_url) as db:
        ingest_outcomes(db, [WEEKLY.outcome(*weekly_figures())])
    with store.open_store(db_url, migrations=[*base, extra]) as db:
        assert "reviewer_notes" in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            assert store.current_version(conn) == extra.version
        assert len(list(store.iter_figures(db))) == 3  # data kept across the upgrade
    with store.open_store(db_url, migrations=[*base, extra]) as db:  # applied once only
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM schema_version")).scalar()
        assert rows == extra.version


def test_failed_migration_rolls_back_whole(db_url):
    base = list(store.MIGRATIONS)
    good = _mig(len(base) + 1, "CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
    broken = _mig(len(base) + 2, "INSERT INTO no_such_table VALUES (1)")
    with store.open_store(db_url):
        pass
    with pytest.raises(store.StoreError):
        store.open_store(db_url, migrations=[*base, good, broken])
    with store.open_store(db_url) as db:
        assert "half_done" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            assert store.current_version(conn) == len(base)


def test_newer_schema_than_code_is_refused(db_url):
    newer = [*store.MIGRATIONS, _mig(len(store.MIGRATIONS) + 1, "CREATE TABLE future (id INT)")]
    with store.open_store(db_url, migrations=newer):
        pass
    with pytest.raises(store.StoreError, match="newer than this newsfacts"):
        store.open_store(db_url)
    with pytest.raises(store.StoreError, match="newer than this newsfacts"):
        store.open_store(db_url, create=False)


# ---------------------------------------------------------------- bad databases


def test_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my precious notes\n", encoding="utf-8")
    before = notes.read_bytes()
    with pytest.raises(store.StoreError, match="not a SQLite database"):
        store.open_store(str(notes))
    assert notes.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # no -wal, no -journal
    assert cli_main(["ingest", str(notes), "--db", str(notes)]) == 2
    assert notes.read_bytes() == before


def test_someone_elses_sqlite_database_is_not_written(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    before = other.read_bytes()
    with pytest.raises(store.StoreError, match="not a newsfacts database"):
        store.open_store(str(other))
    assert other.read_bytes() == before


def test_missing_database_for_queries_is_an_error_not_a_new_file(tmp_path):
    missing = tmp_path / "nothing.db"
    with pytest.raises(store.StoreError, match="no database"):
        store.open_store(str(missing), create=False)
    assert not missing.exists()
    assert cli_main(["facts", "--db", str(missing)]) == 2
    assert not missing.exists()


def test_directory_and_missing_folder_are_clear_errors(tmp_path):
    with pytest.raises(store.StoreError, match="directory"):
        store.open_store(str(tmp_path))
    with pytest.raises(store.StoreError, match="does not exist"):
        store.open_store(str(tmp_path / "no" / "such" / "facts.db"))


def test_unreachable_postgresql_is_a_clear_error(capsys):
    started = time.monotonic()
    with pytest.raises(store.StoreError, match="cannot use database"):
        store.open_store("postgresql://postgres:secret@127.0.0.1:1/test")
    assert time.monotonic() - started < 15
    assert cli_main(["conflicts", "--db", "postgresql://postgres:secret@127.0.0.1:1/x"]) == 2
    err = capsys.readouterr().err
    assert "cannot use database" in err and "secret" not in err


def test_unsupported_url_scheme_is_refused():
    with pytest.raises(store.StoreError, match="unsupported database"):
        store.open_store("mysql://root@localhost/db")


# ---------------------------------------------------------------- crash consistency

CRASH_SCRIPT = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {tests!r})
    from test_store import Doc, ingest_outcomes
    from extractor import store

    HANG_AT = int(sys.argv[1])  # stall before this item, with a batch half written
    BARRIER = sys.argv[2] if len(sys.argv) > 2 else None  # start together with others

    def outcomes():
        if BARRIER:
            open(f"{{BARRIER}}.{{os.getpid()}}", "w").close()
            while not os.path.exists(BARRIER):
                time.sleep(0.01)
        for i in range({n}):
            if BARRIER:
                time.sleep(0.002)  # interleave batches with the other writer
            if i == HANG_AT:
                time.sleep(600)  # the test kills us here
            doc = Doc(f"Report {{i}}: ANAMA found {{i + 1}} anti-tank mines and {{i + 2}} UXO.",
                      url=f"https://x.az/{{i}}", publisher="AzerNews", published="2024-01-01")
            yield doc.outcome(
                doc.fig(f"{{i + 1}} anti-tank mines", "mines_neutralized", i + 1,
                        subtype="anti_tank"),
                doc.fig(f"{{i + 2}} UXO", "mines_neutralized", i + 2, subtype="uxo"))

    with store.open_store({url!r}) as db:
        ingest_outcomes(db, outcomes(), policy=store.BatchPolicy(articles=7, seconds=600))
""")


def _stored_counts(db_url: str) -> tuple[int, int, list[int]]:
    with store.open_store(db_url, create=False) as db:
        arts = store.list_articles(db, include_superseded=True)
        figs = list(store.iter_figures(db, include_superseded=True))
        with db.engine.connect() as conn:
            orphans = conn.execute(text(
                "SELECT count(*) FROM figures f LEFT JOIN articles a ON a.id = f.article_id "
                "WHERE a.id IS NULL")).scalar()
    assert orphans == 0
    return len(arts), len(figs), sorted(a.figure_count for a in arts)


def test_killed_ingest_leaves_whole_articles_and_a_rerun_completes(db_url, tmp_path):
    n, hang_at, batch = 120, 52, 7
    script = tmp_path / "crash.py"
    script.write_text(CRASH_SCRIPT.format(tests=str(Path(__file__).parent), n=n, url=db_url))
    committed = hang_at // batch * batch  # 49: seven whole batches; 3 articles in flight
    proc = subprocess.Popen([sys.executable, str(script), str(hang_at)],
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        articles = 0
        while time.monotonic() < deadline and articles < committed:
            time.sleep(0.1)
            try:
                articles, _, _ = _stored_counts(db_url)
            except store.StoreError:  # not created yet
                continue
        time.sleep(0.3)  # let it reach the stall with the next batch half built
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    articles, figs, per_article = _stored_counts(db_url)
    assert (articles, figs, set(per_article)) == (committed, 2 * committed, {2})
    with store.open_store(db_url, create=False) as db:
        [killed] = store.list_runs(db)
    assert killed.status == "running" and killed.finished_at is None
    assert killed.counters["articles_added"] == committed  # counters match what was kept
    rerun = subprocess.run([sys.executable, str(script), str(n)], timeout=120)
    assert rerun.returncode == 0
    articles, figs, per_article = _stored_counts(db_url)
    assert (articles, figs, set(per_article)) == (n, 2 * n, {2})
    with store.open_store(db_url, create=False) as db:
        killed, last = store.list_runs(db)
    assert killed.status == "interrupted"  # the rerun saw its process was gone
    assert last.status == "completed"
    assert last.counters["articles_unchanged"] == committed
    assert last.counters["articles_added"] == n - committed


def test_two_ingests_of_the_same_articles_at_once_store_them_once(db_url, tmp_path):
    n = 60
    script = tmp_path / "same.py"
    script.write_text(CRASH_SCRIPT.format(tests=str(Path(__file__).parent), n=n, url=db_url))
    with store.open_store(db_url):
        pass  # schema in place, so both start ingesting straight away
    barrier = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, str(script), str(n), str(barrier)])
             for _ in range(2)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("go.*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # both connected and ready to write
    barrier.touch()
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    articles, figs, per_article = _stored_counts(db_url)
    assert (articles, figs, set(per_article)) == (n, 2 * n, {2})
    with store.open_store(db_url, create=False) as db:
        runs = store.list_runs(db)
    assert sum(r.counters["articles_added"] for r in runs) == n
    assert all(r.status == "completed" for r in runs)


@pytest.mark.postgres
def test_article_stored_by_another_ingest_mid_batch_is_not_a_failure():
    """PostgreSQL lets two ingests read "not stored yet" at once; the second to write meets
    the unique key, and looks again instead of failing."""
    with postgres_schema_url() as url, store.open_store(url) as db:
        other = db.engine.connect()
        rival = other.begin()
        row = _article_row(WEEKLY.outcome(), run_id=None, now="2024-01-01T00:00:00Z")
        other.execute(store.articles.insert().values(**row))  # not committed yet
        summary = store.start_run(db, ["race"])
        worker = threading.Thread(
            target=store.ingest, args=(db, [WEEKLY.outcome(*weekly_figures())], summary))
        worker.start()
        time.sleep(1.0)  # the ingest has read, and now waits on the uncommitted row
        rival.commit()
        other.close()
        worker.join(timeout=30)
        assert not worker.is_alive()
        assert (summary.articles_added, summary.articles_unchanged) == (0, 1)
        assert len(store.list_articles(db)) == 1


# ---------------------------------------------------------------- facts query and CLI


def _facts_db(db_url: str) -> None:
    syndicated = Doc(WEEKLY.text, url="https://menafn.com/1108776710/ANAMA-weekly",
                     publisher="MENAFN / Trend News Agency", published="2024-10-15")
    fuzuli = Doc("In 2023 ANAMA cleared 2,500 hectares in Fuzuli district.",
                 url="https://www.azernews.az/aggression/1.html", publisher="AzerNews",
                 published="2024-01-10")
    with store.open_store(db_url) as db:
        ingest_outcomes(db, [
            WEEKLY.outcome(*weekly_figures()),
            syndicated.outcome(*weekly_figures(syndicated)),
            fuzuli.outcome(fuzuli.fig("2,500 hectares", "area_cleared", 2500, unit="ha",
                                      start="2023-01-01", end="2023-12-31",
                                      location="Fuzuli district",
                                      claimant="Azerbaijan National Agency for Mine Action")),
        ])


def test_facts_filters(db_url):
    _facts_db(db_url)
    kn = conflicts.load_knowledge()

    def values(**kw):
        with store.open_store(db_url, create=False) as db:
            return sorted(s.figure.value for s in store.select_facts(db, store.FactFilter(**kw),
                                                                      kn))

    assert values(metric="area_cleared") == [1198.7, 1198.7, 2500]
    assert values(subtype="anti_tank") == [12, 12]
    assert values(location="Garabagh") == [12, 12, 31, 31, 1198.7, 1198.7]
    assert values(location="fuzuli") == [2500]
    assert values(claimant="ANAMA", metric="area_cleared") == [1198.7, 1198.7, 2500]
    assert values(publisher="Trend", metric="area_cleared") == [1198.7, 1198.7]
    assert values(publisher="MENAFN") == [12, 31, 1198.7]
    assert values(since="2024-01-01") == [12, 12, 31, 31, 1198.7, 1198.7]
    assert values(until="2023-06") == [2500]
    assert values(since="2024-10-14") == []  # the week ended on the 13th
    assert values(url="https://www.azernews.az/aggression/1.html") == [2500]
    with pytest.raises(ValueError, match="not an ISO date"):
        values(since="last week")


def test_facts_cli_formats(db_url, capsys):
    _facts_db(db_url)
    assert cli_main(["facts", "--db", db_url, "--metric", "area_cleared", "--format",
                     "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(r["value"] for r in records) == [1198.7, 1198.7, 2500]
    assert all(r["source"]["sha256"] and r["superseded"] is False for r in records)
    assert cli_main(["facts", "--db", db_url, "--location", "Fuzuli", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("id,metric,subtype,value,unit,qualifier,normalized.value")
    assert len(lines) == 2 and "2500" in lines[1]
    assert cli_main(["facts", "--db", db_url, "--subtype", "anti_tank"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["metric", "subtype", "value"] and len(table) == 4


def test_wal_reader_is_not_blocked_by_an_open_write(tmp_path):
    path = tmp_path / "facts.db"
    with store.open_store(str(path)) as db:
        ingest_outcomes(db, [WEEKLY.outcome(*weekly_figures())])
        with db.engine.begin() as conn:  # a write transaction held open
            conn.execute(update(store.figures).values(superseded=False))
            reader = sqlite3.connect(path, timeout=0.1)
            assert reader.execute("SELECT count(*) FROM figures").fetchone()[0] == 3
            reader.close()


def test_table_objects_match_a_readable_sqlite_file(tmp_path):
    """Datasette lists these tables with these columns; keep names stable and readable."""
    with store.open_store(str(tmp_path / "facts.db")) as db:
        ingest_outcomes(db, [WEEKLY.outcome(*weekly_figures())])
    con = sqlite3.connect(tmp_path / "facts.db")
    row = con.execute("SELECT metric, value, publisher, url FROM current_figures "
                      "WHERE metric = 'area_cleared'").fetchone()
    assert row == ("area_cleared", 1198.7, "Trend News Agency", WEEKLY.url)
    con.close()



# ---------------------------------------------------------------- end to end with the extractor

E2E_TEXT = (
    "Azerbaijan National Agency for Mine Action (ANAMA) released its figures on Tuesday. "
    "Between November 10, 2020, and October 31, 2021, a total of {ap} antipersonnel mines, "
    "{at} anti-tank mines, and {uxo} unexploded ordnances have been found and neutralized in "
    "the territories liberated from occupation, according to data released by the agency."
)


def _corpus_file(folder: Path, name: str, url: str, publisher: str, ap: str) -> None:
    body = {"url": url, "publisher": publisher, "published": "2021-11-02",
            "text": E2E_TEXT.format(ap=ap, at="4,329", uxo="12,436"), "gold": []}
    (folder / name).write_text(json.dumps(body), encoding="utf-8")


def _records(out: str) -> list[dict]:
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    figures = [r for r in rows if "error" not in r]
    return sorted(figures, key=lambda r: (r["source"]["url"], r["start"]))


def test_ingest_from_corpus_files_end_to_end(db_url, tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    _corpus_file(folder, "trend.json", "https://en.trend.az/azerbaijan/1.html",
                 "Trend News Agency", "10,200")
    _corpus_file(folder, "azernews.json", "https://www.azernews.az/aggression/2.html",
                 "AzerNews", "10,900")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")

    assert cli_main(["extract", str(folder)]) == 1
    extracted = _records(capsys.readouterr().out)
    assert {r["value"] for r in extracted if r["subtype"] == "anti_personnel"} == {10200, 10900}

    assert cli_main(["ingest", str(folder), "--db", db_url]) == 1  # one bad file
    assert "broken.json" in capsys.readouterr().err
    assert cli_main(["facts", "--db", db_url, "--format", "jsonl"]) == 0
    stored = _records(capsys.readouterr().out)
    assert [{k: v for k, v in r.items() if k != "superseded"} for r in stored] == extracted

    assert cli_main(["ingest", str(folder), "--db", db_url]) == 1
    with store.open_store(db_url, create=False) as db:
        first, second = store.list_runs(db)
    assert first.counters["articles_added"] == 2 and first.counters["errors"] == 1
    assert (second.counters["articles_added"], second.counters["figures_added"],
            second.counters["articles_unchanged"]) == (0, 0, 2)
    assert second.errors[0]["kind"] == "input" and second.errors[0]["input"].endswith("broken.json")

    assert cli_main(["conflicts", "--db", db_url, "--format", "jsonl"]) == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    ap = [c for c in found if c["subtype"] == "anti_personnel"]
    assert [c["kind"] for c in ap] == ["disagreement"]
    urls = {f["url"] for side in ("side_a", "side_b") for f in ap[0][side]}
    assert urls == {"https://en.trend.az/azerbaijan/1.html",
                    "https://www.azernews.az/aggression/2.html"}


PAGE = """<!DOCTYPE html><html><head><title>ANAMA figures</title>
<meta property="og:site_name" content="AzerNews">
<meta property="article:published_time" content="2021-11-02T09:00:00Z"></head>
<body><article><h1>ANAMA publishes its figures</h1>
<p>{text}</p>
<p>The agency deployed specialists and machinery to the region shortly after the hostilities
ended, and clearance work continues in several districts every day of the week.</p>
</article></body></html>"""


def test_changed_page_at_the_same_url_supersedes_end_to_end(db_url, page_server, capsys):
    def serve(ap: str) -> str:
        text = E2E_TEXT.format(ap=ap, at="4,329", uxo="12,436")
        return page_server.add("/news/1.html", Reply(body=PAGE.format(text=text).encode()))

    url = serve("10,200")
    fetch_flags = ["--allow-private", "--no-robots", "--no-cache", "--delay", "0"]
    assert cli_main(["ingest", url, "--db", db_url, *fetch_flags]) == 0
    serve("10,300")  # the outlet corrects its article
    assert cli_main(["ingest", url, "--db", db_url, *fetch_flags]) == 0
    capsys.readouterr()
    with store.open_store(db_url, create=False) as db:
        versions = store.list_articles(db, include_superseded=True)
        current = [s.figure for s in store.iter_figures(db, subtype="anti_personnel")]
        everything = list(store.iter_figures(db, subtype="anti_personnel",
                                             include_superseded=True))
        runs = store.list_runs(db)
    assert [(v.source.url, v.superseded) for v in versions] == [(url, True), (url, False)]
    assert [f.value for f in current] == [10300]
    assert sorted((s.figure.value, s.superseded) for s in everything) == [
        (10200, True), (10300, False)]
    assert runs[-1].counters["articles_superseded"] == 1
