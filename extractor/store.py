"""The fact database: articles, their figures and ingest runs, in SQLite or PostgreSQL.

One SQLAlchemy Core schema and one set of queries serve both. The schema is versioned:
`MIGRATIONS` lists every change in order and `schema_version` records those applied, so
an old database is brought up to date when it is opened for writing.

Ingest is idempotent and crash-safe: an article is identified by its URL (else its file
path) plus the hash of its body text, so the same article twice adds nothing; a changed
body at the same URL is a new version, and the old version with its figures is kept and
marked superseded. Articles are written in batches, each batch (articles, figures, run
counters) in one transaction, so a killed ingest leaves whole articles or none, and
running it again adds exactly what is missing.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError

from . import __version__, conflicts
from .pipeline import Outcome
from .record import Article, Figure, ItemError, Source

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_DB = "newsfacts.db"


class StoreError(Exception):
    """The database cannot be used: unreachable, not SQLite, too new (nothing was written),
    or it failed during an ingest (every batch committed before the failure is kept)."""


# ---------------------------------------------------------------- schema (newest version)

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", Text, nullable=False),
)

ingest_runs = Table(
    "ingest_runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", Text, nullable=False),
    Column("finished_at", Text),  # null while running, or if the run was killed
    Column("status", Text, nullable=False),  # running | completed | interrupted
    Column("inputs", Text, nullable=False),  # JSON list of what was given on the command line
    Column("newsfacts_version", Text, nullable=False),
    Column("host", Text),  # where the ingest ran, so a later one can tell it was killed
    Column("pid", Integer),
    Column("items_seen", Integer, nullable=False, default=0),
    Column("articles_added", Integer, nullable=False, default=0),
    Column("articles_unchanged", Integer, nullable=False, default=0),
    Column("articles_superseded", Integer, nullable=False, default=0),
    Column("figures_added", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
)

ingest_errors = Table(
    "ingest_errors", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("ingest_runs.id"), nullable=False, index=True),
    Column("input", Text),  # the URL or path of the item
    Column("kind", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("recorded_at", Text, nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    # What makes two versions "the same article": its URL, else its file's absolute path.
    Column("source_key", Text, nullable=False),
    Column("content_sha256", Text, nullable=False),  # of body_text
    Column("url", Text),
    Column("final_url", Text),
    Column("canonical_url", Text),
    Column("path", Text),
    Column("title", Text),
    Column("publisher", Text),
    Column("author", Text),
    Column("published", Text),
    Column("modified", Text),
    Column("fetched_at", Text),
    Column("http_status", Integer),
    Column("language", Text),
    Column("body_text", Text, nullable=False),
    Column("ingest_run_id", Integer, ForeignKey("ingest_runs.id")),
    Column("ingested_at", Text, nullable=False),
    Column("superseded_by", Integer, ForeignKey("articles.id")),  # the newer version
    Column("superseded_at", Text),
    UniqueConstraint("source_key", "content_sha256", name="uq_articles_version"),
)

figures = Table(
    "figures", metadata,
    Column("id", Integer, primary_key=True),
    Column("record_id", Text, nullable=False),  # the RECORD.md id
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("metric", Text, nullable=False),
    Column("subtype", Text),
    Column("value", Float, nullable=False),
    Column("unit", Text, nullable=False),
    Column("qualifier", Text, nullable=False),
    Column("normalized_value", Float),
    Column("normalized_unit", Text),
    Column("period_start", Text),
    Column("period_end", Text),
    Column("location", Text),
    Column("claimant", Text),
    Column("population_group", Text),  # RECORD.md `group`
    Column("evidence", Text, nullable=False),
    Column("evidence_start", Integer, nullable=False),  # RECORD.md `start`
    Column("evidence_end", Integer, nullable=False),  # RECORD.md `end`
    Column("sentence", Text),
    Column("extractor_pattern", Text),
    Column("extractor_version", Text),
    Column("superseded", Boolean, nullable=False, default=False),
)

Index("ix_articles_source_key", articles.c.source_key)
Index("ix_figures_article", figures.c.article_id)
Index("ix_figures_metric", figures.c.metric, figures.c.subtype)

CURRENT_FIGURES_VIEW = """
CREATE VIEW current_figures AS
SELECT f.id, f.metric, f.subtype, f.value, f.unit, f.qualifier,
       f.normalized_value, f.normalized_unit, f.period_start, f.period_end,
       f.location, f.claimant, f.population_group, f.evidence, f.sentence,
       a.publisher, a.published, a.url, a.path, a.title, f.article_id, f.record_id
FROM figures f JOIN articles a ON a.id = f.article_id
WHERE NOT f.superseded
"""


# ---------------------------------------------------------------- migrations


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _create_v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[ingest_runs, ingest_errors, articles, figures])


def _create_current_figures_view(conn: Connection) -> None:
    conn.execute(text(CURRENT_FIGURES_VIEW))


# Append only: a released migration never changes, a schema change is a new entry.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, figures, ingest runs and their errors", _create_v1),
    Migration(2, "current_figures view: figures that are not superseded, with their source",
              _create_current_figures_view),
)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    return conn.execute(select(func.max(schema_version.c.version))).scalar() or 0


def migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the migrations this database lacks, all in one transaction; the new version."""
    newest = max((m.version for m in migrations), default=0)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # two ingests starting at once migrate once
            conn.execute(text("SELECT pg_advisory_xact_lock(4820571)"))
        have = current_version(conn)
        if have > newest:
            raise StoreError(
                f"database schema version {have} is newer than this newsfacts knows "
                f"({newest}); upgrade newsfacts"
            )
        if have == 0:
            _refuse_foreign(conn)
            schema_version.create(conn, checkfirst=True)
        for migration in sorted(migrations, key=lambda m: m.version):
            if migration.version <= have:
                continue
            migration.apply(conn)
            conn.execute(insert(schema_version).values(
                version=migration.version, description=migration.description, applied_at=_now(),
            ))
    return max(have, newest)


def _refuse_foreign(conn: Connection) -> None:
    """Never write into a database that holds someone else's tables under our names."""
    existing = set(conn.dialect.get_table_names(conn))
    ours = {t.name for t in metadata.sorted_tables}
    clash = sorted(existing & ours) if conn.dialect.name == "postgresql" else sorted(existing)
    if clash:
        raise StoreError(
            "the database has tables but is not a newsfacts database "
            f"(no schema_version; found {', '.join(clash[:5])})"
        )


# ---------------------------------------------------------------- opening


def database_url(spec: str) -> URL:
    """A plain path is a SQLite file; postgresql:// uses psycopg 3."""
    if "://" not in spec:
        return URL.create("sqlite", database=spec)
    try:
        url = make_url(spec)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {spec!r}") from exc
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername == "sqlite":
        return url
    raise StoreError(f"unsupported database {url.drivername!r}: use a SQLite file path or "
                     "postgresql://...")


def _check_sqlite_file(path: str, create: bool) -> None:
    """Refuse before anything is written: directories, non-SQLite files, missing files."""
    if path in ("", ":memory:"):
        return
    target = Path(path)
    if target.is_dir():
        raise StoreError(f"{path} is a directory, not a SQLite database file")
    if target.exists():
        try:
            with target.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if header and header != SQLITE_HEADER:
            raise StoreError(f"{path} is not a SQLite database")
        return
    if not create:
        raise StoreError(f"no database at {path} (run `newsfacts ingest` first)")
    if not target.parent.resolve().is_dir():
        raise StoreError(f"cannot create {path}: folder {target.parent} does not exist")


def _sqlite_engine(url: URL, create: bool) -> Engine:
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # Let SQLAlchemy issue BEGIN itself so DDL and DML share real transactions.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        # With WAL (set once the schema is in place) NORMAL is crash-safe and much faster.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # IMMEDIATE takes the write lock up front, so two writers queue instead of failing.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if create else "BEGIN")

    return engine


def _use_wal(engine: Engine) -> None:
    """WAL journal: readers (Datasette, `facts`) never block the ingest, nor it them.

    Set after migrating, so a file refused as someone else's database is left unchanged;
    the mode is stored in the file and cannot change inside a transaction.
    """
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()


def _redacted(url: URL) -> str:
    return url.render_as_string(hide_password=True)


@dataclass
class Store:
    engine: Engine
    url: URL

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(spec: str = DEFAULT_DB, create: bool = True,
               migrations: Sequence[Migration] = MIGRATIONS) -> Store:
    """Open (and for writing, create or upgrade) the fact database at a path or URL.

    With create=False (queries and reports) nothing is created and an unknown or outdated
    database is an error.
    """
    url = database_url(spec)
    if url.drivername == "sqlite":
        _check_sqlite_file(url.database or "", create)
        engine = _sqlite_engine(url, create)
    else:
        engine = create_engine(url, connect_args={"connect_timeout": 10}, pool_pre_ping=True)
    try:
        if create:
            migrate(engine, migrations)
            if url.drivername == "sqlite":
                _use_wal(engine)
        else:
            with engine.connect() as conn:
                have = current_version(conn)
            newest = max(m.version for m in migrations)
            if have == 0:
                raise StoreError(f"{_redacted(url)} is not a newsfacts database "
                                 "(run `newsfacts ingest` first)")
            if have != newest:
                raise StoreError(f"database schema version {have}, this newsfacts needs {newest}: "
                                 "run `newsfacts ingest` to upgrade it" if have < newest else
                                 f"database schema version {have} is newer than this newsfacts "
                                 f"knows ({newest}); upgrade newsfacts")
    except StoreError:
        engine.dispose()
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"cannot use database {_redacted(url)}: {reason}") from exc
    return Store(engine, url)


# ---------------------------------------------------------------- ingest


@dataclass
class RunSummary:
    run_id: int
    items_seen: int = 0
    articles_added: int = 0
    articles_unchanged: int = 0
    articles_superseded: int = 0
    figures_added: int = 0
    errors: int = 0

    def counters(self) -> dict[str, int]:
        return {
            "items_seen": self.items_seen,
            "articles_added": self.articles_added,
            "articles_unchanged": self.articles_unchanged,
            "articles_superseded": self.articles_superseded,
            "figures_added": self.figures_added,
            "errors": self.errors,
        }


def source_key(source: Source) -> str:
    """The identity of an article across versions: URL, else absolute file path."""
    if source.url:
        return source.url
    if source.path and source.path != "-":
        return "file:" + os.path.abspath(source.path)
    return "sha256:" + (source.sha256 or "")


def _article_row(outcome: Outcome, run_id: int, now: str) -> dict:
    assert outcome.article is not None
    src = outcome.article.source
    return {
        "source_key": source_key(src), "content_sha256": src.sha256,
        "url": src.url, "final_url": src.final_url, "canonical_url": src.canonical_url,
        "path": src.path, "title": src.title, "publisher": src.publisher, "author": src.author,
        "published": src.published, "modified": src.modified, "fetched_at": src.fetched_at,
        "http_status": src.status, "language": src.language,
        "body_text": outcome.article.text, "ingest_run_id": run_id, "ingested_at": now,
    }


def _figure_row(fig: Figure, article_id: int) -> dict:
    norm = fig.normalized or {}
    return {
        "record_id": fig.id, "article_id": article_id, "metric": fig.metric,
        "subtype": fig.subtype, "value": float(fig.value), "unit": fig.unit,
        "qualifier": fig.qualifier,
        "normalized_value": None if norm.get("value") is None else float(norm["value"]),
        "normalized_unit": norm.get("unit"), "period_start": fig.period_start,
        "period_end": fig.period_end, "location": fig.location, "claimant": fig.claimant,
        "population_group": fig.group, "evidence": fig.evidence, "evidence_start": fig.start,
        "evidence_end": fig.end, "sentence": fig.sentence, "extractor_pattern": fig.pattern,
        "extractor_version": fig.version, "superseded": False,
    }


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def start_run(store: Store, inputs: Sequence[str]) -> RunSummary:
    """Record a new run; earlier runs on this host whose process is gone were killed."""
    host = socket.gethostname()
    with store.engine.begin() as conn:
        stale = conn.execute(select(ingest_runs.c.id, ingest_runs.c.pid).where(
            ingest_runs.c.status == "running", ingest_runs.c.host == host))
        dead = [row.id for row in stale if row.pid is None or not _alive(row.pid)]
        if dead:
            conn.execute(update(ingest_runs).where(ingest_runs.c.id.in_(dead))
                         .values(status="interrupted"))
        run_id = conn.execute(insert(ingest_runs).values(
            started_at=_now(), status="running", inputs=json.dumps(list(inputs)),
            newsfacts_version=__version__, host=host, pid=os.getpid(),
        ).returning(ingest_runs.c.id)).scalar_one()
    return RunSummary(run_id)


def finish_run(store: Store, summary: RunSummary, status: str = "completed") -> None:
    """Close a run: `completed`, or `interrupted` (Ctrl-C; what it wrote is kept)."""
    with store.engine.begin() as conn:
        conn.execute(update(ingest_runs).where(ingest_runs.c.id == summary.run_id).values(
            status=status, finished_at=_now(), **summary.counters(),
        ))


def stored_checker(store: Store) -> Callable[[Article], bool]:
    """Whether an article (this version of its body) is already stored: a resumed ingest
    skips extracting it, and the batch writer counts it unchanged."""

    def stored(article: Article) -> bool:
        with store.engine.connect() as conn:
            return conn.execute(select(articles.c.id).where(
                articles.c.source_key == source_key(article.source),
                articles.c.content_sha256 == article.source.sha256).limit(1)).first() is not None

    return stored


def _error_input(error: ItemError) -> str | None:
    return error.source.url or error.source.path


def _write_batch(conn: Connection, batch: list[Outcome], summary: RunSummary) -> None:
    """Store one batch of outcomes; the caller's transaction makes it all or nothing."""
    now = _now()
    keys = {source_key(o.article.source) for o in batch if o.error is None and o.article}
    known: set[tuple[str, str | None]] = set()  # (source_key, content hash) stored or pending
    current: dict[str, int] = {}  # source_key -> id of its version that is not superseded
    if keys:
        rows = conn.execute(
            select(articles.c.id, articles.c.source_key, articles.c.content_sha256,
                   articles.c.superseded_by).where(articles.c.source_key.in_(keys))
        )
        for row in rows:
            known.add((row.source_key, row.content_sha256))
            if row.superseded_by is None:
                current[row.source_key] = row.id
    figure_rows: list[dict] = []
    error_rows: list[dict] = []
    pending: list[tuple[Outcome, str]] = []  # new articles, inserted together

    def insert_pending() -> None:
        if not pending:
            return
        ids = conn.execute(
            insert(articles).returning(articles.c.id, sort_by_parameter_order=True),
            [_article_row(o, summary.run_id, now) for o, _ in pending],
        ).scalars().all()
        replaced: list[dict[str, int]] = []
        for (outcome, key), article_id in zip(pending, ids, strict=True):
            if key in current:
                replaced.append({"old_id": current[key], "new_id": article_id})
            current[key] = article_id
            seen: set[tuple[str, str | None]] = set()
            for fig in outcome.figures:
                if (fig.id, fig.group) in seen:  # the extractor repeating itself adds nothing
                    continue
                seen.add((fig.id, fig.group))
                figure_rows.append(_figure_row(fig, article_id))
        if figure_rows:  # before any update below marks them superseded
            conn.execute(insert(figures), figure_rows)
            summary.figures_added += len(figure_rows)
            figure_rows.clear()
        if replaced:
            conn.execute(
                update(articles).where(articles.c.id == bindparam("old_id"))
                .values(superseded_by=bindparam("new_id"), superseded_at=now),
                replaced,
            )
            conn.execute(update(figures)
                         .where(figures.c.article_id.in_([r["old_id"] for r in replaced]))
                         .values(superseded=True))
            summary.articles_superseded += len(replaced)
        summary.articles_added += len(pending)
        pending.clear()

    for outcome in batch:
        summary.items_seen += 1
        if outcome.error is not None or outcome.article is None:
            error = outcome.error or ItemError("input", "no article", outcome.source)
            summary.errors += 1
            error_rows.append({"run_id": summary.run_id, "input": _error_input(error),
                               "kind": error.kind, "message": error.message, "recorded_at": now})
            continue
        src = outcome.article.source
        key = source_key(src)
        if (key, src.sha256) in known:
            summary.articles_unchanged += 1
            continue
        if any(k == key for _, k in pending):  # a second new version in one batch
            insert_pending()
        known.add((key, src.sha256))
        pending.append((outcome, key))
    insert_pending()
    if error_rows:
        conn.execute(insert(ingest_errors), error_rows)
    conn.execute(update(ingest_runs).where(ingest_runs.c.id == summary.run_id)
                 .values(**summary.counters()))


@dataclass
class BatchPolicy:
    """When to commit: after this many articles or figures, or this many seconds."""

    articles: int = 200
    figures: int = 2000
    seconds: float = 2.0


def ingest(store: Store, outcomes: Iterable[Outcome], summary: RunSummary,
           policy: BatchPolicy | None = None,
           on_outcome: Callable[[Outcome], None] | None = None) -> RunSummary:
    """Write every outcome (article with figures, or error) in committed batches."""
    policy = policy or BatchPolicy()
    batch: list[Outcome] = []
    batch_figures = 0
    started = time.monotonic()

    def flush() -> None:
        nonlocal batch, batch_figures
        if not batch:
            return
        before = summary.counters()
        for attempt in (1, 2):
            try:
                with store.engine.begin() as conn:
                    _write_batch(conn, batch, summary)
                break
            except BaseException as exc:
                # The transaction rolled back: so do the counters.
                for name, value in before.items():
                    setattr(summary, name, value)
                if isinstance(exc, IntegrityError) and attempt == 1:
                    continue  # another ingest stored one of these articles first: look again
                if isinstance(exc, DBAPIError):
                    reason = str(exc.orig or exc).strip().splitlines()[0]
                    raise StoreError(
                        f"database error while writing: {reason}; the articles written "
                        "before it are kept, run the ingest again to finish"
                    ) from exc
                raise
        batch, batch_figures = [], 0

    try:
        for outcome in outcomes:
            if on_outcome is not None:
                on_outcome(outcome)
            if not batch:
                started = time.monotonic()
            batch.append(outcome)
            batch_figures += len(outcome.figures)
            if (len(batch) >= policy.articles or batch_figures >= policy.figures
                    or time.monotonic() - started >= policy.seconds):
                flush()
    except KeyboardInterrupt:
        flush()  # Ctrl-C: the articles finished so far are written before the run stops
        raise
    flush()
    return summary


# ---------------------------------------------------------------- reading


@dataclass
class StoredFigure:
    figure: Figure
    row_id: int
    article_id: int
    superseded: bool

    def to_dict(self) -> dict:
        return {**self.figure.to_dict(), "superseded": self.superseded}


_FIGURE_COLUMNS = (
    figures.c.id, figures.c.article_id, figures.c.metric, figures.c.subtype, figures.c.value,
    figures.c.unit, figures.c.qualifier, figures.c.normalized_value, figures.c.normalized_unit,
    figures.c.period_start, figures.c.period_end, figures.c.location, figures.c.claimant,
    figures.c.population_group, figures.c.evidence, figures.c.evidence_start,
    figures.c.evidence_end, figures.c.sentence, figures.c.extractor_pattern,
    figures.c.extractor_version, figures.c.superseded,
)
_SOURCE_COLUMNS = (
    articles.c.id, articles.c.path, articles.c.url, articles.c.final_url, articles.c.title,
    articles.c.publisher, articles.c.author, articles.c.published, articles.c.modified,
    articles.c.fetched_at, articles.c.content_sha256, articles.c.http_status,
    articles.c.language, articles.c.canonical_url,
)


def _source(row) -> Source:
    (_, path, url, final_url, title, publisher, author, published, modified, fetched_at,
     sha256, status, language, canonical_url) = row
    return Source(path=path, url=url, final_url=final_url, title=title, publisher=publisher,
                  author=author, published=published, modified=modified,
                  fetched_at=fetched_at, sha256=sha256, status=status, language=language,
                  canonical_url=canonical_url)


def _stored_figure(row, source: Source) -> StoredFigure:
    (row_id, article_id, metric, subtype, value, unit, qualifier, norm_value, norm_unit,
     period_start, period_end, location, claimant, group, evidence, start, end, sentence,
     pattern, version, superseded) = row
    if norm_value is not None and float(norm_value).is_integer():
        norm_value = int(norm_value)
    fig = Figure(
        metric=metric, subtype=subtype, value=value, unit=unit, qualifier=qualifier,
        normalized={"value": norm_value, "unit": norm_unit}, period_start=period_start,
        period_end=period_end, location=location, claimant=claimant, evidence=evidence,
        start=start, end=end, sentence=sentence, source=source, pattern=pattern,
        version=version, group=group,
    )
    return StoredFigure(fig, row_id, article_id, bool(superseded))


def iter_figures(
    store: Store, *, metric: str | None = None, subtype: str | None = None,
    url: str | None = None, include_superseded: bool = False,
) -> Iterator[StoredFigure]:
    """Stored figures with their sources, oldest article first; filters are exact matches."""
    chosen = select(*_SOURCE_COLUMNS)
    if not include_superseded:
        chosen = chosen.where(articles.c.superseded_by.is_(None))
    query = select(*_FIGURE_COLUMNS)
    if url:
        at_url = or_(articles.c.url == url, articles.c.final_url == url,
                     articles.c.canonical_url == url, articles.c.path == url)
        chosen = chosen.where(at_url)
        query = query.where(figures.c.article_id.in_(select(articles.c.id).where(at_url)))
    if not include_superseded:
        query = query.where(figures.c.superseded.is_(False))
    if metric:
        query = query.where(figures.c.metric == metric)
    if subtype:
        query = query.where(figures.c.subtype == subtype)
    query = query.order_by(figures.c.article_id, figures.c.evidence_start, figures.c.id)
    with store.engine.connect() as conn:
        # One Source per article, shared by its figures.
        sources = {row[0]: _source(row) for row in conn.execute(chosen)}
        for row in conn.execution_options(yield_per=5000).execute(query):
            # An article an ingest committed between the two reads is not in this one.
            if row[1] in sources:
                yield _stored_figure(row, sources[row[1]])


def current_figures(store: Store) -> list[Figure]:
    """Every figure of every current article version, for conflicts and reports."""
    with conflicts.without_gc_pauses():
        return [sf.figure for sf in iter_figures(store)]


@dataclass
class ArticleInfo:
    id: int
    source: Source
    superseded: bool
    figure_count: int
    ingested_at: str


def list_articles(store: Store, include_superseded: bool = False) -> list[ArticleInfo]:
    counts = (select(figures.c.article_id, func.count().label("n"))
              .group_by(figures.c.article_id).subquery())
    query = (
        select(articles.c.id, articles.c.url, articles.c.final_url, articles.c.path,
               articles.c.title, articles.c.publisher, articles.c.author, articles.c.published,
               articles.c.modified, articles.c.fetched_at, articles.c.content_sha256,
               articles.c.superseded_by, articles.c.ingested_at,
               func.coalesce(counts.c.n, 0).label("figure_count"))
        .outerjoin(counts, counts.c.article_id == articles.c.id)
        .order_by(articles.c.id)
    )
    if not include_superseded:
        query = query.where(articles.c.superseded_by.is_(None))
    with store.engine.connect() as conn:
        return [
            ArticleInfo(
                row.id,
                Source(path=row.path, url=row.url, final_url=row.final_url, title=row.title,
                       publisher=row.publisher, author=row.author, published=row.published,
                       modified=row.modified, fetched_at=row.fetched_at, sha256=row.content_sha256),
                row.superseded_by is not None, int(row.figure_count), row.ingested_at,
            )
            for row in conn.execute(query)
        ]


@dataclass
class RunInfo:
    id: int
    started_at: str
    finished_at: str | None
    status: str
    inputs: list[str]
    counters: dict[str, int]
    errors: list[dict[str, str | None]] = field(default_factory=list)


def list_runs(store: Store) -> list[RunInfo]:
    with store.engine.connect() as conn:
        errors: dict[int, list[dict[str, str | None]]] = {}
        for row in conn.execute(select(ingest_errors).order_by(ingest_errors.c.id)):
            errors.setdefault(row.run_id, []).append(
                {"input": row.input, "kind": row.kind, "message": row.message})
        return [
            RunInfo(
                row.id, row.started_at, row.finished_at, row.status, json.loads(row.inputs),
                {name: getattr(row, name) for name in RunSummary(0).counters()},
                errors.get(row.id, []),
            )
            for row in conn.execute(select(ingest_runs).order_by(ingest_runs.c.id))
        ]


# ---------------------------------------------------------------- the `facts` query


@dataclass(frozen=True)
class FactFilter:
    """What `newsfacts facts` asks for; names match through the aliases in patterns/."""

    metric: str | None = None
    subtype: str | None = None
    location: str | None = None
    claimant: str | None = None
    publisher: str | None = None
    since: str | None = None  # ISO date: figures covering time on or after it
    until: str | None = None  # ISO date: figures covering time on or before it
    url: str | None = None
    include_superseded: bool = False


def _name_matches(wanted: str | None, actual: str | None, key) -> bool:
    """Same canonical name, or the wanted text inside the stated one ("Kalbajar")."""
    if not wanted:
        return True
    if not actual:
        return False
    return key(wanted) == key(actual) or " ".join(wanted.casefold().split()) in actual.casefold()


def _time_span(fig: Figure) -> tuple[int, int] | None:
    first = conflicts.date_range(fig.period_start or fig.period_end or fig.source.published)
    last = conflicts.date_range(fig.period_end or fig.source.published)
    if first is None or last is None:
        return None
    return first[0], last[1]


def select_facts(store: Store, filt: FactFilter,
                 knowledge: conflicts.Knowledge) -> list[StoredFigure]:
    """Stored figures matching every given filter."""
    since = conflicts.date_range(filt.since) if filt.since else None
    until = conflicts.date_range(filt.until) if filt.until else None
    for given, parsed in ((filt.since, since), (filt.until, until)):
        if given and parsed is None:
            raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {given!r}")
    place = functools.partial(conflicts.place_key, knowledge=knowledge)
    who = functools.partial(conflicts.claimant_key, knowledge=knowledge)
    wanted_outlet = (conflicts.resolve_outlet(Source(publisher=filt.publisher),
                                              knowledge.publishers).name
                     if filt.publisher else None)
    selected: list[StoredFigure] = []
    for stored in iter_figures(store, metric=filt.metric, subtype=filt.subtype, url=filt.url,
                               include_superseded=filt.include_superseded):
        fig = stored.figure
        if not (_name_matches(filt.location, fig.location, place)
                and _name_matches(filt.claimant, fig.claimant, who)):
            continue
        if filt.publisher:
            outlet = conflicts.resolve_outlet(fig.source, knowledge.publishers)
            names = [outlet.name, outlet.via, fig.source.publisher]
            if wanted_outlet not in names and not any(
                    filt.publisher.casefold() in (n or "").casefold() for n in names):
                continue
        if since or until:
            span = _time_span(fig)
            if span is None or (since and span[1] < since[0]) or (until and span[0] > until[1]):
                continue
        selected.append(stored)
    return selected
