"""Writers for rows of records: JSON Lines, CSV and a plain-text table."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMATS = ("jsonl", "csv", "table")

# A figure record (RECORD.md) as one CSV row: everything but the rarely used source fields,
# so rows compare by the normalized value (areas in hectares) and trace back to their text
# (the offsets cut `evidence` out of the text whose sha256 is given).
RECORD_CSV_COLUMNS = (
    "id", "metric", "subtype", "value", "unit", "qualifier", "normalized.value",
    "normalized.unit", "period_start", "period_end", "location", "claimant", "group",
    "evidence", "start", "end", "sentence", "source.url", "source.final_url", "source.path",
    "source.title", "source.publisher", "source.published", "source.fetched_at",
    "source.sha256", "extractor.pattern", "extractor.version",
)


def flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts become dotted columns (source.url), for CSV and tables."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _cell(value: Any, width: int | None = None) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(
    rows: Sequence[dict[str, Any]], out: TextIO, columns: Sequence[str] | None = None
) -> None:
    flat = [flatten(r) for r in rows]
    if columns is None:
        columns = list(dict.fromkeys(k for r in flat for k in r))
    writer = csv.DictWriter(
        out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for r in flat:
        writer.writerow({c: _cell(r.get(c)) for c in columns})


def write_table(
    rows: Sequence[dict[str, Any]], out: TextIO, columns: Sequence[str], max_width: int = 40
) -> None:
    flat = [flatten(r) for r in rows]
    cells = [[_cell(r.get(c), max_width) for c in columns] for r in flat]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")


def write_rows(
    rows: Sequence[dict[str, Any]], fmt: str, out: TextIO, columns: Sequence[str],
    csv_columns: Sequence[str] | None = None,
) -> None:
    """`columns` picks and orders what the table shows, `csv_columns` (else `columns`) what
    CSV does; JSONL keeps whole records."""
    if fmt == "jsonl":
        write_jsonl(rows, out)
    elif fmt == "csv":
        write_csv(rows, out, csv_columns or columns)
    elif fmt == "table":
        write_table(rows, out, columns)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
