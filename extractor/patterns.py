"""Pattern packs: the domain knowledge (triggers, object words, gazetteers) as typed data.

A pack is a folder with a `pack.yaml` (what to extract) and optionally a `gazetteer.yaml`
(places, organisations, relaying media). The bundled packs ship in the data package
`newsfacts_patterns` (the repo's ./patterns); a user's folder of packs replaces them.
Everything here is loading and lookup; the extraction logic is in figures/normalize.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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


# ---------------------------------------------------------------- packs


@dataclass(frozen=True)
class ObjectRule:
    """What a counted figure counts: a regex matched right after the number."""

    subtype: str
    regex: re.Pattern[str]
    only_with: tuple[str, ...] = ()
    # the subtype when `only_with` does not hold (None: then it is no figure)
    otherwise: str | None = None
    # A generic word ("explosive objects") that names a total of these subtypes when the
    # text counts them in the same breath: then it is `total_subtype`.
    total_of: tuple[str, ...] = ()
    total_subtype: str | None = None


@dataclass(frozen=True)
class MetricRule:
    id: str
    kind: str  # area, count or people
    pattern: str  # pattern id reported with each figure
    triggers: frozenset[str] = frozenset()
    negative: frozenset[str] = frozenset()
    objects: tuple[str, ...] = ()  # count: the object subtypes it counts
    subtypes: dict[str, frozenset[str]] = field(default_factory=dict)  # people: by trigger
    context: frozenset[str] = frozenset()
    exclude_context: frozenset[str] = frozenset()
    veto: frozenset[str] = frozenset()  # rule the figure out whatever the context
    stock: bool = False  # counts what exists (mines planted), not what a period saw
    # A state at the time of writing ("900 km2 remain contaminated"): up to publication.
    as_of_publication: bool = False
    context_scope: str = "sentence"  # where the context words must be: sentence or article
    # The metric a trigger in the infinitive names when the work is still to be done
    # ("1,600 km2 still to be cleared" is contaminated, not cleared).
    unfinished: str | None = None
    unfinished_cues: frozenset[str] = frozenset()

    def trigger_subtype(self, word: str) -> str | None:
        """people metrics: the subtype a trigger word gives ("died" -> killed)."""
        return next((s for s, words in self.subtypes.items() if word in words), None)

    @property
    def all_triggers(self) -> frozenset[str]:
        return self.triggers.union(*self.subtypes.values()) if self.subtypes else self.triggers


@dataclass(frozen=True)
class Pack:
    name: str
    objects: tuple[ObjectRule, ...]
    not_followed_by: re.Pattern[str] | None
    metrics: tuple[MetricRule, ...]
    qualifiers: tuple[tuple[str, str], ...]  # (phrase, qualifier), longest phrase first
    hypothetical: frozenset[str]
    # verbs whose infinitive is done work, not a plan ("managed to remove")
    achieved: frozenset[str]
    people: frozenset[str]
    groups: dict[str, frozenset[str]]
    named_periods: tuple[NamedPeriodRule, ...]
    # words between a number and what it counts ("10 newly laid PMN-2 mines")
    object_modifiers: re.Pattern[str] | None = None
    # lemmas of verbs whose figures are history, not a state ("mines were planted")
    history_verbs: frozenset[str] = frozenset()

    def match_object(self, text: str, subtypes: tuple[str, ...] | None = None
                     ) -> tuple[ObjectRule, int] | None:
        """The longest object that `text` starts with (after spaces and modifiers the pack
        declares), and where it ends."""
        found = self._match_object_at(text, 0, subtypes)
        skip = self.object_modifiers.match(text) if self.object_modifiers else None
        if found is None and skip and skip.end() > 0:
            found = self._match_object_at(text, skip.end(), subtypes)
        return found

    def _match_object_at(self, text: str, start: int, subtypes: tuple[str, ...] | None
                         ) -> tuple[ObjectRule, int] | None:
        best: tuple[ObjectRule, int] | None = None
        for rule in self.objects:
            if subtypes is not None and rule.subtype not in subtypes:
                continue
            m = rule.regex.match(text, start)
            if not m or (best and m.end() <= best[1]):
                continue
            if self.not_followed_by and self.not_followed_by.match(text, m.end()):
                continue
            best = (rule, m.end())
        return best

    def group_of(self, noun: str) -> str | None:
        """The population group a noun phrase names ("military personnel" -> military)."""
        words = noun.casefold().split()
        keys = [" ".join(words[i:]) for i in range(len(words))]
        return next((g for key in keys for g, members in self.groups.items() if key in members),
                    None)


@dataclass(frozen=True)
class NamedPeriodRule:
    regex: re.Pattern[str]
    start: str
    end: str | None
    context: tuple[str, ...]


def _words(value: Any, where: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _strings(value, where))


def _expand(pattern: str, fragments: dict[str, str], where: str) -> str:
    def substitute(m: re.Match[str]) -> str:
        if m[1] not in fragments:
            raise PatternError(f"{where}: unknown fragment {{{m[1]}}}")
        return f"(?:{fragments[m[1]]})"

    expanded = re.sub(r"\{(\w+)\}", substitute, pattern)
    _check_regex(expanded, where)
    return expanded


def parse_pack(data: Any, where: str) -> Pack:
    data = _mapping(data, where)
    name = data.get("name")
    if not isinstance(name, str):
        raise PatternError(f"{where}: a pack needs a name")
    fragments = {
        k: str(v) for k, v in _mapping(data.get("fragments"), f"{where}: fragments").items()
    }
    objects = []
    for i, item in enumerate(data.get("objects") or []):
        item = _mapping(item, f"{where}: objects[{i}]")
        subtype = item.get("subtype")
        patterns = _strings(item.get("patterns"), f"{where}: objects[{i}].patterns")
        if not isinstance(subtype, str) or not patterns:
            raise PatternError(f"{where}: objects[{i}] needs a subtype and patterns")
        regex = "|".join(f"(?:{_expand(p, fragments, where)})" for p in patterns)
        objects.append(ObjectRule(
            subtype, re.compile(rf"\s*(?:other\s+)?(?:{regex})(?![\w-])", re.IGNORECASE),
            _strings(item.get("only_with"), f"{where}: objects[{i}].only_with"),
            item.get("otherwise"),
            _strings(item.get("total_of"), f"{where}: objects[{i}].total_of"),
            item.get("total_subtype"),
        ))
    not_followed = data.get("not_followed_by")
    metrics = []
    for i, item in enumerate(data.get("metrics") or []):
        item = _mapping(item, f"{where}: metrics[{i}]")
        metric_id, kind = item.get("id"), item.get("kind")
        if not isinstance(metric_id, str) or kind not in ("area", "count", "people"):
            raise PatternError(f"{where}: metrics[{i}] needs an id and a kind (area/count/people)")
        subtypes = {
            str(k): _words(v, f"{where}: {metric_id}.subtypes.{k}")
            for k, v in _mapping(item.get("subtypes"), f"{where}: {metric_id}.subtypes").items()
        }
        if kind == "people" and not subtypes:
            raise PatternError(f"{where}: people metric {metric_id} needs subtypes")
        metrics.append(MetricRule(
            id=metric_id, kind=kind, pattern=str(item.get("pattern") or f"{name}.{metric_id}"),
            triggers=_words(item.get("triggers"), f"{where}: {metric_id}.triggers"),
            negative=_words(item.get("negative"), f"{where}: {metric_id}.negative"),
            objects=_strings(item.get("objects"), f"{where}: {metric_id}.objects"),
            subtypes=subtypes,
            context=_words(item.get("context"), f"{where}: {metric_id}.context"),
            exclude_context=_words(item.get("exclude_context"), f"{where}: {metric_id}.exclude"),
            veto=_words(item.get("veto"), f"{where}: {metric_id}.veto"),
            stock=bool(item.get("stock", False)),
            as_of_publication=bool(item.get("as_of_publication", False)),
            context_scope=str(item.get("context_scope", "sentence")),
            unfinished=item.get("unfinished"),
            unfinished_cues=_words(item.get("unfinished_cues"), f"{where}: {metric_id}.cues"),
        ))
    qualifiers = sorted(
        ((phrase.casefold(), qualifier)
         for qualifier, phrases in _mapping(data.get("qualifiers"), f"{where}: qualifiers").items()
         for phrase in _strings(phrases, f"{where}: qualifiers.{qualifier}")),
        key=lambda pq: -len(pq[0]),
    )
    named = []
    for i, item in enumerate(data.get("named_periods") or []):
        item = _mapping(item, f"{where}: named_periods[{i}]")
        if not isinstance(item.get("phrase"), str) or not isinstance(item.get("start"), str):
            raise PatternError(f"{where}: named_periods[{i}] needs a phrase and a start")
        phrase = _expand(item["phrase"], fragments, where)
        _check_regex(phrase, f"{where}: named_periods[{i}]")
        named.append(NamedPeriodRule(
            re.compile(phrase, re.IGNORECASE), item["start"], item.get("end"),
            _strings(item.get("context"), f"{where}: named_periods[{i}].context"),
        ))
    if not_followed is not None:
        _check_regex(str(not_followed), f"{where}: not_followed_by")
    modifiers = data.get("object_modifiers")
    if modifiers is not None:
        _check_regex(str(modifiers), f"{where}: object_modifiers")
    return Pack(
        name=name,
        objects=tuple(objects),
        not_followed_by=re.compile(str(not_followed), re.IGNORECASE) if not_followed else None,
        metrics=tuple(metrics),
        qualifiers=tuple(qualifiers),
        hypothetical=_words(data.get("hypothetical"), f"{where}: hypothetical"),
        achieved=_words(data.get("achieved"), f"{where}: achieved"),
        people=_words(data.get("people"), f"{where}: people"),
        groups={str(k): _words(v, f"{where}: groups.{k}")
                for k, v in _mapping(data.get("groups"), f"{where}: groups").items()},
        named_periods=tuple(named),
        object_modifiers=re.compile(rf"(?:\s+(?:{modifiers}))+", re.IGNORECASE)
        if modifiers else None,
        history_verbs=_words(data.get("history_verbs"), f"{where}: history_verbs"),
    )


def load_packs(patterns_dir: Path | None = None) -> list[Pack]:
    """Every pack (folder with a pack.yaml): the bundled ones, or those of `patterns_dir`."""
    packs = []
    for folder in pack_folders(patterns_dir):
        file = folder.joinpath(PACK_FILE)
        if file.is_file():
            packs.append(parse_pack(_read_yaml(file), str(file)))
    if not packs:
        raise PatternError(f"no pattern packs (folders with {PACK_FILE}) in "
                           f"{patterns_dir or 'the bundled patterns'}")
    return packs
