"""Pattern packs: the domain knowledge (triggers, object words, gazetteers) as typed data.

A pack is a folder with a `pack.yaml` (what to extract) and optionally a `gazetteer.yaml`
(places, organisations, relaying media). The bundled packs ship in the data package
`newsfacts_patterns` (the repo's ./patterns); a user's folder of packs replaces them.
Everything here is loading and lookup; the extraction logic is in figures/normalize.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

PACK_FILE = "pack.yaml"
GAZETTEER_FILE = "gazetteer.yaml"

# Specific to broad: the order in which a figure's place is preferred.
PLACE_KINDS = ("village", "settlement", "city", "municipality", "district", "province",
               "region", "country")


class PatternError(ValueError):
    """A pattern pack that cannot be read or has the wrong shape."""


# ---------------------------------------------------------------- gazetteer


@dataclass(frozen=True)
class Place:
    name: str
    kind: str = "region"
    parent: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        """Smaller is more specific."""
        return PLACE_KINDS.index(self.kind) if self.kind in PLACE_KINDS else len(PLACE_KINDS)


@dataclass(frozen=True)
class Organization:
    name: str
    country: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    places: tuple[Place, ...] = ()
    organizations: tuple[Organization, ...] = ()
    media: tuple[str, ...] = ()

    def merged(self, other: Gazetteer) -> Gazetteer:
        return Gazetteer(self.places + other.places, self.organizations + other.organizations,
                         self.media + other.media)

    def place(self, name: str) -> Place | None:
        return next((p for p in self.places if p.name.casefold() == name.casefold()), None)

    def organization(self, name: str) -> Organization | None:
        folded = name.casefold()
        return next((o for o in self.organizations if o.name.casefold() == folded), None)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PatternError(f"{where}: expected a list of strings")
    return tuple(value)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PatternError(f"{where}: expected a mapping")
    return value


def parse_gazetteer(data: Any, where: str) -> Gazetteer:
    data = _mapping(data, where)
    places = []
    for i, item in enumerate(data.get("places") or []):
        item = _mapping(item, f"{where}: places[{i}]")
        if not isinstance(item.get("name"), str):
            raise PatternError(f"{where}: places[{i}] has no name")
        kind = item.get("kind", "region")
        places.append(Place(
            name=item["name"], kind=kind, parent=item.get("parent"),
            country=item.get("country"),
            aliases=_strings(item.get("aliases"), f"{where}: {item['name']}.aliases"),
            patterns=_strings(item.get("patterns"), f"{where}: {item['name']}.patterns"),
            covers=_strings(item.get("covers"), f"{where}: {item['name']}.covers"),
            demonyms=_strings(item.get("demonyms"), f"{where}: {item['name']}.demonyms"),
        ))
        for pattern in places[-1].patterns:
            _check_regex(pattern, f"{where}: {item['name']}.patterns")
    orgs = []
    for i, item in enumerate(data.get("organizations") or []):
        item = _mapping(item, f"{where}: organizations[{i}]")
        if not isinstance(item.get("name"), str):
            raise PatternError(f"{where}: organizations[{i}] has no name")
        orgs.append(Organization(
            name=item["name"], country=item.get("country"),
            aliases=_strings(item.get("aliases"), f"{where}: {item['name']}.aliases"),
        ))
    media = _strings(data.get("media"), f"{where}: media")
    return Gazetteer(tuple(places), tuple(orgs), media)


def _check_regex(pattern: str, where: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise PatternError(f"{where}: bad regular expression {pattern!r}: {exc}") from exc


# ---------------------------------------------------------------- finding packs


def bundled_root() -> Traversable:
    return resources.files("newsfacts_patterns")


def pack_folders(patterns_dir: Path | None = None) -> list[Traversable]:
    """The pack folders: those of `patterns_dir` when given (replacing the bundled ones)."""
    root: Traversable = Path(patterns_dir) if patterns_dir is not None else bundled_root()
    if patterns_dir is not None and not Path(patterns_dir).is_dir():
        raise PatternError(f"patterns folder not found: {patterns_dir}")
    folders = [root, *sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name)]
    return [f for f in folders
            if f.joinpath(PACK_FILE).is_file() or f.joinpath(GAZETTEER_FILE).is_file()]


def _read_yaml(file: Traversable) -> Any:
    try:
        return yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PatternError(f"cannot read pattern file {file}: {exc}") from exc


def load_gazetteer(patterns_dir: Path | None = None) -> Gazetteer:
    """All packs' gazetteers merged into one."""
    gazetteer = Gazetteer()
    for folder in pack_folders(patterns_dir):
        file = folder.joinpath(GAZETTEER_FILE)
        if file.is_file():
            gazetteer = gazetteer.merged(parse_gazetteer(_read_yaml(file), str(file)))
    return gazetteer


def aliases_of(gazetteer: Gazetteer) -> dict[str, str]:
    """Case-folded alias (and canonical name) -> canonical name, places and organisations."""
    table: dict[str, str] = {}
    for place in gazetteer.places:
        for alias in (place.name, *place.aliases):
            table.setdefault(alias.casefold(), place.name)
    for org in gazetteer.organizations:
        for alias in (org.name, *org.aliases):
            table.setdefault(alias.casefold(), org.name)
    return table


def load_aliases(patterns_dir: Path | None = None) -> dict[str, str]:
    """Case-folded alias -> canonical name for the places and organisations of the packs'
    gazetteers: "fizuli" -> "Fuzuli", "azerbaijan national agency for mine action" -> "ANAMA"."""
    return aliases_of(load_gazetteer(patterns_dir))
