"""Public events: search and detail, through the finder's own selectors and its public view of
a place, so the API shows exactly what the event pages show and nothing more."""

import dataclasses
import datetime as dt
import re
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Path, Query, Router, Schema
from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from nightout.api.errors import MAX_ID, InvalidInput, form_errors
from nightout.api.schemas import (
    PLACE_EXAMPLE,
    SLUG,
    TOWN_EXAMPLE,
    Activity,
    Place,
    Problem,
    Town,
    described,
    documented,
    local,
    town_of,
)
from nightout.errors import NotFound
from nightout.finder.forms import SearchForm
from nightout.finder.places import public_place
from nightout.finder.selectors import event_public_get, search_choices, search_results
from nightout.registry.models import Event, EventKind, Season

router = Router(tags=["events"])

MAX_PER_PAGE = 100
UNKNOWN_SEASON = "No season {slug}."
UNKNOWN_TOWN = "No town {slug} has public events; the towns are in GET /api/seasons."
UNKNOWN_ACTIVITY = "No activity {slug}; a season's activities are in GET /api/seasons/{{slug}}."
UNKNOWN = "A filter names nothing that exists; see the messages per field."
NO_EVENT = "No such public event."
DATE_FORMAT = "Give the date as YYYY-MM-DD, such as 2027-08-03."
NO_SUCH_DAY = "There is no day {value}; give the date as YYYY-MM-DD, such as 2027-08-03."
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# A point on the globe, as the finder's own links write it: the latitude from -90 to 90 and
# the longitude from -180 to 180, in decimal degrees (a point off the globe is refused).
NEAR = (r"^(-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?),"
        r"-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?))?$")
# Characters a query string's text may not hold (the form refuses U+0000).
NO_NUL = r"^[^\x00]*$"


def iso_date(value: object) -> object:
    """Only YYYY-MM-DD is a date here: not a number of seconds (`0` is not 1970-01-01)."""
    if isinstance(value, dt.date) or value is None:
        return value
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("date_value", NO_SUCH_DAY.format(value=value)) from None
    raise PydanticCustomError("date_format", DATE_FORMAT)


IsoDate = Annotated[
    dt.date | None, BeforeValidator(iso_date),
    WithJsonSchema({"type": "string", "format": "date",
                    "description": "Events starting on this day, in their town's zone, "
                                   "written YYYY-MM-DD.",
                    "examples": ["2027-08-03"]}),
]


class EventSearch(Schema):
    q: str = Field("", max_length=120, pattern=NO_NUL, description=(
        "An address, ZIP code or town (searched near it), or else words of the title."),
        examples=["Chicopee"])
    town: str = Field("", max_length=120, pattern=f"{SLUG}|^$", description=(
        "A town's slug (from `GET /api/seasons`); a town with no public events is not "
        "found (404)."), examples=["agawam"])
    season: str = Field("", max_length=140, pattern=f"{SLUG}|^$", description=(
        "A season's slug; one that does not exist is not found (404)."),
        examples=["agawam-2017"])
    near: str = Field("", pattern=NEAR, description=(
        "A point `latitude,longitude` in decimal degrees to search around (the latitude "
        "from -90 to 90, the longitude from -180 to 180); the words of `q` are then left "
        "aside."), examples=["42.0650,-72.6200"])
    radius: Literal["1", "2", "5", "10", "25"] = Field(
        "2", description="Miles around the place searched.", examples=["1"])
    date: IsoDate = None
    activity: str = Field("", max_length=40, pattern=f"{SLUG}|^$", description=(
        "An activity's slug; one that does not exist is not found (404)."),
        examples=["music"])
    when: str = Field("upcoming", pattern=r"^(upcoming|all|[0-9]{4})$", description=(
        "`upcoming` (the default), `all`, or a year such as `2017`."), examples=["2017"])
    page: int = Field(1, ge=1, le=100_000, description=(
        "The page to answer, from 1; a page past the last gives the last."), examples=[1])
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE,
                          description="Events on a page.", examples=[25])


CARD_EXAMPLE = {
    "id": 42, "title": "Elm Street Block Party", "kind": "block_party",
    "season": "agawam-2017", "town": TOWN_EXAMPLE,
    "starts_at": "2017-08-01T17:00:00-04:00", "ends_at": "2017-08-01T21:00:00-04:00",
    "place": PLACE_EXAMPLE, "activities": [{"slug": "music", "name": "Music"}],
    "distance_m": 180, "url": "https://nno.example.org/events/42/",
}


class EventCard(Schema):
    """An approved event, as the finder's list shows it."""

    model_config = described(CARD_EXAMPLE)

    id: int = Field(description="The event's id.", examples=[42])
    title: str = Field(description="The event's name.", examples=["Elm Street Block Party"])
    kind: Literal[tuple(EventKind.values)] = Field(description="What kind of event it is.",
                                                   examples=["block_party"])
    season: str = Field(description="The season's slug.", examples=["agawam-2017"])
    town: Town = Field(description="The town that holds it.")
    starts_at: dt.datetime = Field(description="In the town's zone, with its offset.",
                                   examples=["2017-08-01T17:00:00-04:00"])
    ends_at: dt.datetime = Field(description="In the town's zone, with its offset.",
                                 examples=["2017-08-01T21:00:00-04:00"])
    place: Place = Field(description="Where it is, as the public may see it.")
    activities: list[Activity] = Field(description="What there is to do.")
    distance_m: int | None = Field(None, description="Metres from the place searched to "
                                                     "the event's public point; null when "
                                                     "the search named no place.",
                                   examples=[180])
    url: str = Field(description="The event's public page.",
                     examples=["https://nno.example.org/events/42/"])


class EventPage(Schema):
    """One page of a search's results."""

    model_config = described({"count": 1, "page": 1, "pages": 1, "per_page": 25,
                              "next_page": None, "results": [CARD_EXAMPLE]})

    count: int = Field(description="Events found in all.", examples=[1])
    page: int = Field(description="This page's number, from 1.", examples=[1])
    pages: int = Field(description="How many pages there are.", examples=[1])
    per_page: int = Field(description="Events on a page.", examples=[25])
    next_page: int | None = Field(description="The next page's number; null on the last.",
                                  examples=[None])
    results: list[EventCard] = Field(description="The events of this page, soonest first "
                                                 "(nearest first around a place).")


class Agency(Schema):
    """An agency that attends an event."""

    model_config = described({"slug": "agawam-police", "name": "Agawam Police",
                              "kind": "local_police"})

    slug: str = Field(description="The agency's slug.", examples=["agawam-police"])
    name: str = Field(description="The agency's name.", examples=["Agawam Police"])
    kind: str = Field(description="What kind of agency it is.", examples=["local_police"])


DETAIL_EXAMPLE = {
    **CARD_EXAMPLE, "distance_m": None,
    "description": "Music, a cookout and a visit from the fire engine.",
    "rain_date": "2017-08-02", "accessibility_notes": "Step-free; seating in the shade.",
    "agencies": [{"slug": "agawam-police", "name": "Agawam Police", "kind": "local_police"}],
    "calendar_url": "https://nno.example.org/events/42.ics",
}


class EventDetail(EventCard):
    """An approved event, as its public page shows it."""

    model_config = described(DETAIL_EXAMPLE)

    description: str = Field(description="What is planned, as the host wrote it (may hold "
                                         "line breaks).",
                             examples=[DETAIL_EXAMPLE["description"]])
    rain_date: dt.date | None = Field(description="The day it moves to if it rains; null "
                                                  "when it has none.",
                                      examples=["2017-08-02"])
    accessibility_notes: str = Field(description="Access, seating, quiet space.",
                                     examples=[DETAIL_EXAMPLE["accessibility_notes"]])
    agencies: list[Agency] = Field(description="Agencies attending.")
    calendar_url: str = Field(description="The event as an iCalendar file.",
                              examples=[DETAIL_EXAMPLE["calendar_url"]])


def _card(request, event: Event) -> dict:
    town = event.season.jurisdiction
    return {
        "id": event.pk, "title": event.title, "kind": event.kind, "season": event.season.slug,
        "town": town_of(town), "starts_at": local(event.starts_at, town),
        "ends_at": local(event.ends_at, town),
        "place": dataclasses.asdict(public_place(event)),
        "activities": [{"slug": a.slug, "name": a.name} for a in event.activities.all()],
        "distance_m": getattr(event, "distance_m", None),
        "url": request.build_absolute_uri(reverse("finder:event", args=[event.pk])),
    }


def _unknown(filters: EventSearch, choices: dict[str, list[tuple[str, str]]]
             ) -> dict[str, list[str]]:
    """The filters that name a town, activity or season that does not exist."""
    found = {}
    for name, message in (("town", UNKNOWN_TOWN), ("activity", UNKNOWN_ACTIVITY)):
        value = getattr(filters, name)
        if value and value not in {v for v, _ in choices[name]}:
            found[name] = [message.format(slug=value)]
    if filters.season and not Season.objects.filter(slug=filters.season).exists():
        found["season"] = [UNKNOWN_SEASON.format(slug=filters.season)]
    return found


@router.get("/events", response={200: EventPage, 404: Problem, 422: Problem},
            summary="Search events",
            openapi_extra=documented(
                says="A page of the events found.",
                example={"count": 1, "page": 1, "pages": 1, "per_page": 25,
                         "next_page": None, "results": [CARD_EXAMPLE]},
                not_found="A town, activity or season named by a filter does not exist; "
                          "`errors` names the filter.",
                invalid="A filter is not well formed (such as a date not written "
                        "YYYY-MM-DD, or a point off the globe); `errors` names it."))
def event_search(request, filters: Query[EventSearch]):
    """Approved events matching every filter, soonest first (nearest first around a place),
    one page at a time. The same search as the site's **Find a party**. A year with no
    events finds none."""
    choices = search_choices()
    unknown = _unknown(filters, choices)
    if unknown:
        raise InvalidInput(unknown, UNKNOWN, status=404)
    if filters.when not in {v for v, _ in choices["when"]}:  # a year without events
        choices = {**choices, "when": [*choices["when"], (filters.when, filters.when)]}
    form = SearchForm({
        "q": filters.q, "town": filters.town, "near": filters.near,
        "radius": filters.radius, "activity": filters.activity, "when": filters.when,
        "date": filters.date.isoformat() if filters.date else "",
    }, choices=choices)
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    query = dataclasses.replace(form.query(), season=filters.season)
    results = search_results(query=query, page=filters.page, per_page=filters.per_page,
                             cards=True, widen=False).page
    return {
        "count": results.paginator.count, "page": results.number,
        "pages": results.paginator.num_pages, "per_page": filters.per_page,
        "next_page": results.next_page_number() if results.has_next() else None,
        "results": [_card(request, e) for e in results],
    }


@router.get("/events/{event_id}", response={200: EventDetail, 404: Problem, 422: Problem},
            summary="An event",
            openapi_extra=documented(
                says="The event.", example=DETAIL_EXAMPLE,
                not_found="No approved event has this id.",
                invalid="The id is not a whole number from 1 to 2^53."))
def event_detail(request, event_id: int = Path(..., ge=1, le=MAX_ID,
                                               description="The event's id.",
                                               examples=[42])):
    """One approved event, as its public page shows it."""
    try:
        event = event_public_get(pk=event_id)
    except Event.DoesNotExist:
        raise NotFound(NO_EVENT) from None
    return {
        **_card(request, event),
        "description": event.description, "rain_date": event.rain_date,
        "accessibility_notes": event.accessibility_notes,
        "agencies": [{"slug": a.agency.slug, "name": a.agency.name, "kind": a.agency.kind}
                     for a in event.attendances.all()],
        "calendar_url": request.build_absolute_uri(reverse("finder:event_ics",
                                                           args=[event.pk])),
    }
