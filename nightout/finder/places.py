"""Where an event is, as the public may see it.

A party at a private home whose host did not choose to publish the address is shown at block
level: '1200 block of Elm St, Agawam, MA' and a fuzzed point from `nightout.geo.fuzz`, never
its address, venue or exact pin. Everything public (pages, JSON-LD, calendars, GeoJSON, feeds,
the widget, the centre of a search or of the registration map) goes through `public_point`.
The fuzzing is keyed with a secret derived from SECRET_KEY, so it cannot be undone from public
data (docs/privacy.md).

Each event also keeps its public point in two columns (`public_latitude`, `public_longitude`),
set by `public_point_refresh` whenever a service writes its place, so that a search narrows,
measures and orders by public points in the database instead of fuzzing every event it reads.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import salted_hmac

from nightout.geo.fuzz import block_point

FUZZ_SALT = "nightout.finder.places.block_point"

# What `public_point` reads of an event.
PLACE_FIELDS = ("latitude", "longitude", "is_private_home", "show_exact_location", "block_key")
STREET_WORDS = {
    "st": "St", "ave": "Ave", "rd": "Rd", "dr": "Dr", "ln": "Ln", "blvd": "Blvd", "ct": "Ct",
    "pl": "Pl", "ter": "Ter", "pkwy": "Pkwy", "cir": "Cir", "n": "N", "s": "S", "e": "E", "w": "W",
}


@dataclass(frozen=True)
class PublicPlace:
    name: str  # the venue, or the block for a private home
    street_address: str  # empty when hidden
    locality: str
    region: str
    postal_code: str
    latitude: float
    longitude: float
    at_block_level: bool
    approximate: bool

    @property
    def display(self) -> str:
        """The place in one line, with its town: 'Sarah Jane Sherman Park, Chicopee, MA'."""
        town = f"{self.locality}, {self.region}"
        label = self.label
        if not label:
            return town
        return label if self.locality.lower() in label.lower() else f"{label}, {town}"

    @property
    def label(self) -> str:
        if self.street_address.startswith(self.name):
            return self.street_address
        return ", ".join(p for p in (self.name, self.street_address) if p)


def hides_address(*, is_private_home: bool, show_exact_location: bool) -> bool:
    return is_private_home and not show_exact_location


def block_label(block_key: str) -> str:
    """'1200 elm st' -> '1200 block of Elm St'."""
    number, _, street = (block_key or "").partition(" ")
    if not number.isdigit() or not street:
        return ""
    words = " ".join(STREET_WORDS.get(w, w.capitalize()) for w in street.split())
    return f"{number} block of {words}"


@lru_cache(maxsize=4)
def _fuzz_key(secret: str) -> bytes:
    return salted_hmac(FUZZ_SALT, "block-level points", secret=secret,
                       algorithm="sha256").digest()


def fuzz_key() -> bytes:
    """The secret that keys the block-level fuzzing (changing SECRET_KEY moves every private
    home's public point within its cell, which reveals nothing more)."""
    return _fuzz_key(settings.SECRET_KEY)


def public_point(
    *, latitude: float, longitude: float, is_private_home: bool, show_exact_location: bool,
    block_key: str,
) -> tuple[float, float]:
    """Where the public sees an event: a private home at its block's point (the same for every
    party on that block and in that cell, every year), anything else at its pin."""
    if hides_address(is_private_home=is_private_home, show_exact_location=show_exact_location):
        return block_point(latitude, longitude, f"nightout-block:{block_key}", key=fuzz_key())
    return round(latitude, 6), round(longitude, 6)


def event_public_point(event) -> tuple[float, float]:
    """`public_point` of an event's place as it stands on the instance."""
    return public_point(**{name: getattr(event, name) for name in PLACE_FIELDS})


def public_point_refresh(event) -> bool:
    """Set the event's stored public point (not saved) from its place; whether it moved.
    Every writer of an event's place calls it before saving."""
    point = event_public_point(event)
    moved = point != (event.public_latitude, event.public_longitude)
    event.public_latitude, event.public_longitude = point
    return moved


def public_place(event, *, point: tuple[float, float] | None = None) -> PublicPlace:
    """The public view of an event's place (the event's season and jurisdiction joined);
    `point`, the event's stored public point when read with it, spares working it out."""
    town = event.season.jurisdiction
    lat, lon = point or event_public_point(event)
    approximate = event.location_precision in ("postal_code", "town")
    if hides_address(is_private_home=event.is_private_home,
                     show_exact_location=event.show_exact_location):
        block = block_label(event.block_key)
        return PublicPlace(
            name=block or (f"ZIP {event.postal_code[:5]}" if event.postal_code
                           else "A private home"),
            street_address="", locality=town.name, region=town.state,
            postal_code=event.postal_code[:5], latitude=lat, longitude=lon,
            at_block_level=True, approximate=True,
        )
    return PublicPlace(
        name=event.venue, street_address=event.address, locality=town.name, region=town.state,
        postal_code=event.postal_code, latitude=lat, longitude=lon, at_block_level=False,
        approximate=approximate,
    )
