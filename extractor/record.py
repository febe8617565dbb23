"""The records that travel between stages (see shared RECORD.md for the contract)."""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

# Record area units in hectares: RECORD.md's `normalized` and the FORMAT.md scoring rule.
HECTARES_PER_UNIT = {
    "ha": 1.0,
    "acre": 0.40468564224,
    "mi2": 258.9988110336,
    "km2": 100.0,
    "m2": 0.0001,
}


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")


def compact_period(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """One way to write a period: whole calendar months or years at that precision.

    "last month" and "in February 2023" both come out as 2023-02..2023-02, and 2024-01-01..
    2024-12-31 as 2024..2024; any other period keeps its days (the README's convention).
    """
    first, last = _DAY.match(start or ""), _DAY.match(end or "")
    if not (first and last) or first[3] != "01":
        return start, end
    year, month = int(last[1]), int(last[2])
    if int(last[3]) != calendar.monthrange(year, month)[1]:
        return start, end
    if first[2] == "01" and last[2] == "12":
        return first[1], last[1]
    return f"{first[1]}-{first[2]}", f"{last[1]}-{last[2]}"


# The figure layer's area unit names -> the record's unit names.
AREA_UNITS = {
    "hectare": "ha", "square metre": "m2", "square meter": "m2", "square kilometre": "km2",
    "square kilometer": "km2", "acre": "acre", "square mile": "mi2",
}


def sha256_text(text: str) -> str:
    """Hex digest of the UTF-8 text that figure offsets index into."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Source:
    """Where an article came from. Unknown values stay None, never guessed."""

    path: str | None = None
    url: str | None = None
    final_url: str | None = None
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date (or datetime) of publication
    modified: str | None = None  # ISO date of the last update, distinct from published
    fetched_at: str | None = None  # UTC ISO timestamp, for fetched pages
    sha256: str | None = None  # of the body text that start/end index
    status: int | None = None  # HTTP status, for fetched pages
    language: str | None = None
    canonical_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Article:
    """Body text plus metadata: what every extractor stage works on."""

    text: str
    source: Source = field(default_factory=Source)

    def __post_init__(self) -> None:
        if self.source.sha256 is None:
            self.source.sha256 = sha256_text(self.text)


@dataclass
class Figure:
    """One extracted figure with its meaning and exact provenance (a RECORD.md record)."""

    metric: str
    subtype: str | None
    value: float
    unit: str
    qualifier: str
    normalized: dict[str, Any]
    period_start: str | None
    period_end: str | None
    location: str | None
    claimant: str | None
    evidence: str
    start: int
    end: int
    sentence: str
    source: Source
    pattern: str
    version: str
    group: str | None = None
    # What each learned decision chose from (attribute -> candidates), for training and
    # `eval --explain`; not part of the record.
    candidates: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.period_start, self.period_end = compact_period(self.period_start, self.period_end)

    @property
    def id(self) -> str:
        key = f"{self.source.sha256}{self.start}{self.end}{self.metric}{self.subtype}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        return {
            "id": self.id,
            "metric": self.metric,
            "subtype": self.subtype,
            "value": value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "normalized": self.normalized,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "location": self.location,
            "claimant": self.claimant,
            "group": self.group,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "source": self.source.to_dict(),
            "extractor": {"pattern": self.pattern, "version": self.version},
        }


@dataclass
class ItemError:
    """An input that could not be processed; the batch goes on without it."""

    kind: str  # e.g. fetch, http, timeout, decode, parse, input, extract
    message: str
    source: Source = field(default_factory=Source)

    def to_dict(self) -> dict[str, Any]:
        error = {"kind": self.kind, "message": self.message}
        return {"error": error, "source": self.source.to_dict()}
