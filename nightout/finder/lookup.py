"""Where words, an address or a ZIP code lie: the site's one look-up (`place_find`), for the
finder's search box, its feeds and API, and the registration map.

From public data only, with no geocoder: a town of this site; else the mean of the published
points of approved events on the address's block, else on its street, else in the ZIP code;
else a place of the offline list (`places.json`: towns with their ZIP codes), which is the
town itself when it is a town of this site, so that a town's own ZIP code finds the town's
events. Never an exact pin of a private home, never an unpublished event: whatever this
answers, the public could already average for itself (docs/privacy.md).

Each answer is one indexed read: the means are taken by the database over the events' stored
public points (`Event.public_latitude`, `public_longitude`), through the indexes on the
block, the street (`street_key`) and the ZIP code; the offline list is held in memory.
Words of the search box that end in a town of this site ("120 Elm St, Lakeport, MN") are
looked up in that town, and find the town when nothing there is on that block or street.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Avg, Q, QuerySet

from nightout.geo.distance import haversine_m
from nightout.registry.models import Event, EventStatus, Jurisdiction
from nightout.registry.rules import block_key

PLACES_FILE = Path(__file__).with_name("places.json")
# What a place found shows of a town (`_town_place`), and how its words are matched.
TOWN_FIELDS = ("pk", "slug", "name", "state", "center_latitude", "center_longitude")
# A place of the offline list counts for a town when it lies this close to the town's centre,
# so that one town's registration map is never centred on another's.
NEAR_TOWN_M = 25_000


@dataclass(frozen=True)
class FoundPlace:
    name: str  # as a resident would say it: "Chicopee, MA", "ZIP 01013", the address
    latitude: float | None = None
    longitude: float | None = None
    town: str = ""  # a jurisdiction's slug, when the words named a town

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return self.latitude, self.longitude


def place_find(*, text: str = "", address: str = "", postal_code: str = "",
               jurisdiction: Jurisdiction | None = None, index=None) -> FoundPlace | None:
    """What the words of a search box (`text`) name, or where an `address` and a
    `postal_code` lie, within one town's events and near it when `jurisdiction` is given.

    Words may name a town of this site (by name, slug or "Name, ST"), else they are read as
    an address (in the town of this site their last words name, if any), and as a ZIP code
    when they look like one (five digits, or ZIP+4); an offline place is found by its name
    or ZIP code. The first that answers: the town; the address's block, else its street,
    else the town the address names; the ZIP code; the offline list (a town of this site
    when the place is one)."""
    if index is not None and (address or postal_code or jurisdiction is not None):
        raise ValueError("The index answers the words of a search box only.")
    towns = index.towns if index is not None else None
    text = " ".join(text.split())
    named = None
    if text:
        # Digits name no town: a ZIP code is not looked up among the towns.
        found = {} if text[:1].isdigit() and not _tails(text) else _towns_named(
            _town_forms(text), towns)
        town = found.get(text.lower())
        if town is not None:
            return _town_place(town)
        named = next((found[tail] for tail in _tails(text) if tail in found), None)
        address = text
        postal_code = text if text[:5].isdigit() and len(text) <= 10 else ""
    means = (_DatabaseMeans(jurisdiction or named) if index is None
             else _IndexMeans(index, named))
    centre = means.street(address)
    if centre:
        return FoundPlace(address, *centre)
    if named is not None and jurisdiction is None:
        return _town_place(named)
    code = _zip_code(postal_code)
    centre = means.zip(code) if code else None
    if centre:
        return FoundPlace(f"ZIP {code}", *centre)
    listed = _listed_place(text or code)
    if listed and (jurisdiction is None or _near_town(jurisdiction, listed)):
        town = _towns_named([listed.name.lower()], towns).get(listed.name.lower())
        return FoundPlace(listed.name, listed.latitude, listed.longitude,
                          town=town.slug if town is not None else "")
    return None


class _DatabaseMeans:
    """The mean public points of the approved events (of one town when given), taken by the
    database through its indexes."""

    def __init__(self, town: Jurisdiction | None):
        self.approved = Event.objects.filter(status=EventStatus.APPROVED)
        if town is not None:
            self.approved = self.approved.filter(season__jurisdiction=town)

    def street(self, address: str) -> tuple[float, float] | None:
        return _street_centre(self.approved, address)

    def zip(self, code: str) -> tuple[float, float] | None:
        return _zip_centre(self.approved, code)


class _IndexMeans:
    """The same means, over `nightout.finder.index.PublicIndex` (its events' blocks, streets
    and ZIP codes held in memory)."""

    def __init__(self, index, town: Jurisdiction | None):
        self.index, self.town = index, town

    def _in_town(self, positions):
        return positions if self.town is None else self.index.in_town(positions, self.town.slug)

    def street(self, address: str) -> tuple[float, float] | None:
        key = block_key(address) if address else ""
        if not key:
            return None
        return (self.index.mean_point(self._in_town(self.index.at("block", key)))
                or self.index.mean_point(self._in_town(
                    self.index.at("street", key.partition(" ")[2]))))

    def zip(self, code: str) -> tuple[float, float] | None:
        return self.index.mean_point(self._in_town(self.index.at("zip", code)))


def _town_place(town: Jurisdiction) -> FoundPlace:
    return FoundPlace(f"{town.name}, {town.state}", town.center_latitude,
                      town.center_longitude, town=town.slug)


def _tails(text: str) -> list[str]:
    """The words after each comma, longest first: '120 Elm St, Lakeport, MN' gives
    'lakeport, mn' and 'mn'."""
    parts = text.lower().split(",")
    return [",".join(parts[i:]).strip() for i in range(1, len(parts))]


def _town_forms(text: str) -> list[str]:
    """The words, and the words after each comma, as a town's name could be written."""
    return [text.lower(), *_tails(text)]


def _towns_named(forms: list[str], towns: list[Jurisdiction] | None = None
                 ) -> dict[str, Jurisdiction]:
    """The towns of this site named by each of `forms` (lower case): its name, its slug, or
    'name, st', in any letters; in one read of the (small) table of towns, or among `towns`
    (every town, by pk) when given."""
    names = set(forms)
    for form in forms:
        name, _, state = form.rpartition(",")
        if name and len(state.strip()) == 2:
            names.add(name.strip())
    found: dict[str, Jurisdiction] = {}
    if towns is None:  # compared here rather than by the database, whose lower case may
        towns = list(Jurisdiction.objects.order_by("pk").only(*TOWN_FIELDS))  # be ASCII only
    for town in towns:
        lower_name = town.name.lower()
        if lower_name not in names and town.slug not in names:
            continue
        for form in forms:
            name, _, state = form.rpartition(",")
            if form in (lower_name, town.slug) or (
                    name.strip() == lower_name and state.strip() == town.state.lower()):
                found.setdefault(form, town)
    return found


def _zip_code(text: str) -> str:
    """The five digits of a ZIP code (or of a ZIP+4 one), or "" when `text` is not one."""
    code = (text or "").strip()[:5]
    return code if len(code) == 5 and code.isdigit() else ""


def _mean_point(events: QuerySet[Event], where: Q | None = None
                ) -> tuple[float, float] | None:
    """The mean of the events' public points, taken by the database; with `where`, the
    mean of those it holds first, when it holds any (in the same read)."""
    means = {"lat": Avg("public_latitude"), "lon": Avg("public_longitude")}
    if where is not None:
        means |= {"where_lat": Avg("public_latitude", filter=where),
                  "where_lon": Avg("public_longitude", filter=where)}
    mean = events.aggregate(**means)
    for lat, lon in (("where_lat", "where_lon"), ("lat", "lon")):
        if mean.get(lat) is not None:
            return round(mean[lat], 5), round(mean[lon], 5)
    return None


def _street_centre(approved: QuerySet[Event], address: str) -> tuple[float, float] | None:
    """The mean public point of the events on the address's block, else on its street (a
    block's events are on its street: one read of the street's index)."""
    key = block_key(address) if address else ""
    if not key:
        return None
    street = key.partition(" ")[2]
    return _mean_point(approved.filter(street_key=street), Q(block_key=key))


def _zip_centre(approved: QuerySet[Event], code: str) -> tuple[float, float] | None:
    """The mean public point of the events in the ZIP code (five digits)."""
    # A range up to the next ZIP code rather than LIKE, so that the (status, postal_code)
    # index answers it under any collation; ZIP+4 codes fall inside it.
    in_zip = approved.filter(postal_code__gte=code)
    if code != "99999":
        in_zip = in_zip.filter(postal_code__lt=f"{int(code) + 1:05d}")
    return _mean_point(in_zip)


@dataclass(frozen=True)
class ListedPlace:
    name: str
    latitude: float
    longitude: float
    zips: tuple[str, ...]


@cache
def _listed_places() -> tuple[dict[str, ListedPlace], dict[str, ListedPlace]]:
    """The offline list, by ZIP code and by name ('chicopee' and 'chicopee, ma')."""
    data = json.loads(PLACES_FILE.read_text())
    by_zip: dict[str, ListedPlace] = {}
    by_name: dict[str, ListedPlace] = {}
    for p in data["places"]:
        place = ListedPlace(p["name"], p["latitude"], p["longitude"], tuple(p["zips"]))
        for code in place.zips:
            by_zip.setdefault(code, place)
        name = place.name.lower()
        for form in (name, name.split(",")[0]):
            by_name.setdefault(form, place)
    return by_zip, by_name


def _listed_place(text: str) -> ListedPlace | None:
    """A place of the offline list by ZIP code or by name ('chicopee', 'Chicopee, MA')."""
    text = text.strip().lower()
    if not text:
        return None
    by_zip, by_name = _listed_places()
    if text[:5].isdigit() and text[:5] in by_zip:
        return by_zip[text[:5]]
    return by_name.get(text)


def _near_town(jurisdiction: Jurisdiction, place: ListedPlace) -> bool:
    return haversine_m(jurisdiction.center_latitude, jurisdiction.center_longitude,
                       place.latitude, place.longitude) <= NEAR_TOWN_M
