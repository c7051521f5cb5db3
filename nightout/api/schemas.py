"""Shapes shared by several resources of the API.

Every property of the served description has a description and an example (a test walks the
document to hold it to that); an object's example is on its schema, and a property holding
such an object refers to it."""

import datetime as dt

from ninja import Schema
from pydantic import ConfigDict, Field

# What a slug in a path or a filter may hold (anything else is refused before the database).
SLUG = r"^[-a-zA-Z0-9_]+$"


def described(example: dict) -> ConfigDict:
    """A schema's own example, shown in the description beside its properties'."""
    return ConfigDict(json_schema_extra={"examples": [example]})


PROBLEM_EXAMPLE = {
    "detail": "Some of what was sent is not valid; see the messages per field.",
    "errors": {"date": ["Give the date as YYYY-MM-DD, such as 2027-08-03."]},
}


class Problem(Schema):
    """What went wrong, in words for a person; with `errors`, per field of the request."""

    model_config = described(PROBLEM_EXAMPLE)

    detail: str = Field(description="What went wrong, for a person to read.",
                        examples=[PROBLEM_EXAMPLE["detail"]])
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Messages per field, named as in the request (`host.email`, "
                    "`closure.street`); `__all__` for the request as a whole.",
        examples=[PROBLEM_EXAMPLE["errors"]])


TOWN_EXAMPLE = {"slug": "agawam", "name": "Agawam", "state": "MA",
                "time_zone": "America/New_York"}


class Town(Schema):
    """The town (jurisdiction) that holds the season."""

    model_config = described(TOWN_EXAMPLE)

    slug: str = Field(description="The town's slug, as the `town` filter takes it.",
                      examples=["agawam"])
    name: str = Field(description="The town's name.", examples=["Agawam"])
    state: str = Field(description="The state's two-letter code.", examples=["MA"])
    time_zone: str = Field(description="The town's IANA time zone, in which its times are "
                                       "given.", examples=["America/New_York"])


PLACE_EXAMPLE = {"name": "1200 block of Elm St", "street_address": "", "locality": "Agawam",
                 "region": "MA", "postal_code": "01001", "latitude": 42.0714,
                 "longitude": -72.6127, "at_block_level": True, "approximate": False}


class Place(Schema):
    """Where an event is, as the public may see it. A party at a private home is given as
    its block ("1200 block of Elm St") with an approximate point, never its address."""

    model_config = described(PLACE_EXAMPLE)

    name: str = Field(description="The venue's name, the published address, or the block.",
                      examples=["1200 block of Elm St"])
    street_address: str = Field(description="Empty when the place is shown at block level.",
                                examples=["45 Main Street, Agawam, MA"])
    locality: str = Field(description="The town.", examples=["Agawam"])
    region: str = Field(description="The state's two-letter code.", examples=["MA"])
    postal_code: str = Field(description="The ZIP code; empty when none was given.",
                             examples=["01001"])
    latitude: float = Field(description="The public point's latitude (WGS 84): the block's "
                                        "point for a party at a private home.",
                            examples=[42.0714])
    longitude: float = Field(description="The public point's longitude (WGS 84).",
                             examples=[-72.6127])
    at_block_level: bool = Field(description="True when only the block is public.",
                                 examples=[True])
    approximate: bool = Field(description="True when the pin comes from a ZIP code or the "
                                          "town rather than the address.", examples=[False])


class Activity(Schema):
    """Something to do at an event."""

    model_config = described({"slug": "music", "name": "Music"})

    slug: str = Field(description="The activity's slug, as the `activity` filter takes it.",
                      examples=["music"])
    name: str = Field(description="The activity's name.", examples=["Music"])


def local(moment: dt.datetime | None, town) -> dt.datetime | None:
    """A stored moment in the town's own zone, so that it is written with its offset."""
    return moment.astimezone(town.zone) if moment is not None else None


def town_of(jurisdiction) -> dict:
    return {"slug": jurisdiction.slug, "name": jurisdiction.name, "state": jurisdiction.state,
            "time_zone": jurisdiction.time_zone}


def documented(*, says: str, example: object, status: int = 200, **refusals: str) -> dict:
    """An operation's `openapi_extra`: what its answer is, an example of it, and when it
    refuses, in words (`not_found="..."` for 404, `invalid="..."` for 422, and so on)."""
    statuses = {"bad_request": 400, "unauthorized": 401, "not_found": 404, "gone": 410,
                "invalid": 422, "too_many": 429}
    responses: dict = {status: {"description": says,
                                 "content": {"application/json": {"example": example}}}}
    for name, words in refusals.items():
        responses[statuses[name]] = {"description": words}
    return {"responses": responses}
