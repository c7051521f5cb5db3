"""Public events: search and detail, through the finder's own selectors and its public view of
a place, so the API shows exactly what the event pages show and nothing more."""

import dataclasses
import datetime as dt
from typing import Literal

from django.urls import reverse
from ninja import Path, Query, Router, Schema
from pydantic import Field

from nightout.api.errors import MAX_ID, InvalidInput, form_errors
from nightout.api.schemas import SLUG, Activity, Place, Problem, Town, local, town_of
from nightout.errors import NotFound
from nightout.finder.forms import SearchForm
from nightout.finder.places import public_place
from nightout.finder.selectors import event_public_get, search_choices, search_results
from nightout.registry.models import Event, Season

router = Router(tags=["events"])

MAX_PER_PAGE = 100
UNKNOWN_SEASON = "No season {slug}."
NO_EVENT = "No such public event."


class EventSearch(Schema):
    q: str = Field("", max_length=120, description=(
        "An address, ZIP code or town (searched near it), or else words of the title."))
    town: str = Field("", max_length=120, pattern=f"{SLUG}|^$", description="A town's slug.")
    season: str = Field("", max_length=140, pattern=f"{SLUG}|^$",
                        description="A season's slug.")
    near: str = Field("", pattern=r"^(-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?)?$",
                      description="A point `latitude,longitude` to search around.")
    radius: Literal["1", "2", "5", "10", "25"] = Field(
        "2", description="Miles around the place searched.")
    date: dt.date | None = Field(None, description="Events starting on this day, in their "
                                                   "town's zone.")
    activity: str = Field("", max_length=40, pattern=f"{SLUG}|^$",
                          description="An activity's slug.")
    when: str = Field("upcoming", pattern=r"^(upcoming|all|\d{4})$",
                      description="`upcoming`, `all`, or a year with events.")
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE)


class EventCard(Schema):
    id: int
    title: str
    kind: str
    season: str
    town: Town
    starts_at: dt.datetime = Field(description="In the town's zone, with its offset.")
    ends_at: dt.datetime
    place: Place
    activities: list[Activity]
    distance_m: int | None = Field(None, description="From the place searched, to the "
                                                     "event's public point.")
    url: str = Field(description="The event's public page.")


class EventPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    next_page: int | None
    results: list[EventCard]


class Agency(Schema):
    slug: str
    name: str
    kind: str


class EventDetail(EventCard):
    description: str
    rain_date: dt.date | None
    accessibility_notes: str
    agencies: list[Agency] = Field(description="Agencies attending.")
    calendar_url: str = Field(description="The event as an iCalendar file.")


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


@router.get("/events", response={200: EventPage, 422: Problem}, summary="Search events")
def event_search(request, filters: Query[EventSearch]):
    """Approved events matching every filter, soonest first (nearest first around a place),
    one page at a time. The same search as the site's **Find a party**."""
    form = SearchForm({
        "q": filters.q, "town": filters.town, "near": filters.near,
        "radius": filters.radius, "activity": filters.activity, "when": filters.when,
        "date": filters.date.isoformat() if filters.date else "",
    }, choices=search_choices())
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    if filters.season and not Season.objects.filter(slug=filters.season).exists():
        raise InvalidInput({"season": [UNKNOWN_SEASON.format(slug=filters.season)]})
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
            summary="An event")
def event_detail(request, event_id: int = Path(..., ge=1, le=MAX_ID)):
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
