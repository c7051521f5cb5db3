"""Shapes shared by several resources of the API."""

import datetime as dt

from ninja import Schema
from pydantic import Field

# What a slug in a path or a filter may hold (anything else is refused before the database).
SLUG = r"^[-a-zA-Z0-9_]+$"


class Problem(Schema):
    """What went wrong, in words for a person; with `errors`, per field of the request."""

    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Messages per field, named as in the request (`host.email`, "
                    "`closure.street`); `__all__` for the request as a whole.")


class Town(Schema):
    slug: str
    name: str
    state: str
    time_zone: str


class Place(Schema):
    """Where an event is, as the public may see it. A party at a private home is given as
    its block ("1200 block of Elm St") with an approximate point, never its address."""

    name: str
    street_address: str = Field(description="Empty when the place is shown at block level.")
    locality: str
    region: str
    postal_code: str
    latitude: float
    longitude: float
    at_block_level: bool
    approximate: bool


class Activity(Schema):
    slug: str
    name: str


def local(moment: dt.datetime | None, town) -> dt.datetime | None:
    """A stored moment in the town's own zone, so that it is written with its offset."""
    return moment.astimezone(town.zone) if moment is not None else None


def town_of(jurisdiction) -> dict:
    return {"slug": jurisdiction.slug, "name": jurisdiction.name, "state": jurisdiction.state,
            "time_zone": jurisdiction.time_zone}
