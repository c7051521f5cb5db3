"""Where words, an address or a ZIP code lie: the site's one look-up (`place_find`), for the
finder's search box, its feeds and API, and the registration map.

From public data only, with no geocoder: a town of this site; else the mean of the published
points of approved events on the address's block, else on its street, else in the ZIP code;
else a place of the offline list (`places.json`: towns with their ZIP codes). Never an exact
pin of a private home, never an unpublished event: whatever this answers, the public could
already average for itself (docs/privacy.md).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Q, QuerySet

from nightout.finder.places import POINT_FIELDS, row_point
from nightout.geo.distance import haversine_m
from nightout.registry.models import Event, EventStatus, Jurisdiction
from nightout.registry.rules import block_key

PLACES_FILE = Path(__file__).with_name("places.json")
# A place of the offline list counts for a town when it lies this close to the town's centre,
# so that one town's registration map is never centred on another's.
NEAR_TOWN_M = 25_000
# The most events averaged for a block or a street, and for a ZIP code.
STREET_ROWS = 200
ZIP_ROWS = 500


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
               jurisdiction: Jurisdiction | None = None) -> FoundPlace | None:
    """What the words of a search box (`text`) name, or where an `address` and a
    `postal_code` lie, within one town's events and near it when `jurisdiction` is given.

    Words may name a town of this site (by name, slug or "Name, ST"), else they are read as
    an address, and as a ZIP code when they look like one (five digits, or ZIP+4); an offline
    place is found by its name or ZIP code. The first that answers: the town; the address's
    block, else its street; the ZIP code; the offline list."""
    text = " ".join(text.split())
    if text:
        town = _town_named(text)
        if town is not None:
            return FoundPlace(f"{town.name}, {town.state}", town.center_latitude,
                              town.center_longitude, town=town.slug)
        address = text
        postal_code = text if text[:5].isdigit() and len(text) <= 10 else ""
    approved = Event.objects.filter(status=EventStatus.APPROVED)
    if jurisdiction is not None:
        approved = approved.filter(season__jurisdiction=jurisdiction)
    centre = _street_centre(approved, address)
    if centre:
        return FoundPlace(address, *centre)
    code = _zip_code(postal_code)
    centre = _zip_centre(approved, code) if code else None
    if centre:
        return FoundPlace(f"ZIP {code}", *centre)
    listed = _listed_place(text or code)
    if listed and (jurisdiction is None or _near_town(jurisdiction, listed)):
        return FoundPlace(listed.name, listed.latitude, listed.longitude)
    return None


def _town_named(text: str) -> Jurisdiction | None:
    town = Jurisdiction.objects.filter(Q(name__iexact=text) | Q(slug__iexact=text)).first()
    if town is not None:
        return town
    name, _, state = text.rpartition(",")
    if not name or len(state.strip()) != 2:
        return None
    return Jurisdiction.objects.filter(name__iexact=name.strip(),
                                       state__iexact=state.strip()).first()


def _zip_code(text: str) -> str:
    """The five digits of a ZIP code (or of a ZIP+4 one), or "" when `text` is not one."""
    code = (text or "").strip()[:5]
    return code if len(code) == 5 and code.isdigit() else ""


def _mean_point(rows: list[dict]) -> tuple[float, float] | None:
    points = [row_point(row) for row in rows]
    if not points:
        return None
    return (round(sum(p[0] for p in points) / len(points), 5),
            round(sum(p[1] for p in points) / len(points), 5))


def _street_centre(approved: QuerySet[Event], address: str) -> tuple[float, float] | None:
    """The mean public point of the events on the address's block, else on its street."""
    key = block_key(address) if address else ""
    if not key:
        return None
    street = key.partition(" ")[2]
    rows = list(approved.filter(block_key=key).values(*POINT_FIELDS)[:STREET_ROWS]) or list(
        approved.filter(block_key__endswith=f" {street}").values(*POINT_FIELDS)[:STREET_ROWS])
    return _mean_point(rows)


def _zip_centre(approved: QuerySet[Event], code: str) -> tuple[float, float] | None:
    """The mean public point of the events in the ZIP code (five digits)."""
    # A range up to the next ZIP code rather than LIKE, so that the (status, postal_code)
    # index answers it under any collation; ZIP+4 codes fall inside it.
    in_zip = approved.filter(postal_code__gte=code)
    if code != "99999":
        in_zip = in_zip.filter(postal_code__lt=f"{int(code) + 1:05d}")
    return _mean_point(list(in_zip.order_by("pk").values(*POINT_FIELDS)[:ZIP_ROWS]))


@dataclass(frozen=True)
class ListedPlace:
    name: str
    latitude: float
    longitude: float
    zips: tuple[str, ...]


@cache
def _listed_places() -> tuple[ListedPlace, ...]:
    data = json.loads(PLACES_FILE.read_text())
    return tuple(ListedPlace(p["name"], p["latitude"], p["longitude"], tuple(p["zips"]))
                 for p in data["places"])


def _listed_place(text: str) -> ListedPlace | None:
    """A place of the offline list by ZIP code or by name ('chicopee', 'Chicopee, MA')."""
    text = text.strip().lower()
    if not text:
        return None
    for place in _listed_places():
        if text[:5] in place.zips and text[:5].isdigit():
            return place
    for place in _listed_places():
        name = place.name.lower()
        if text == name or text == name.split(",")[0]:
            return place
    return None


def _near_town(jurisdiction: Jurisdiction, place: ListedPlace) -> bool:
    return haversine_m(jurisdiction.center_latitude, jurisdiction.center_longitude,
                       place.latitude, place.longitude) <= NEAR_TOWN_M
