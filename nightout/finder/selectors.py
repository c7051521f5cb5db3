"""Reads for the public finder. Only approved events are public.

A search goes: the form parses the query string into a `SearchQuery`; `search_results` looks
up the place its words name (`nightout.finder.lookup.place_find`, kept like the pages), makes
the `Search`, reads a page of results and, when nothing upcoming matches, the past seasons too.
A search without words of a title is answered from the process's index of the public events
(`nightout.finder.index`); the rest (words of a title, calendars, feeds, the map's markers)
from the database, with the same meaning.

Near-me search: a bounding box on the public point (`Event.public_latitude`,
`public_longitude`: the fuzzed block point for a private home, stored by the services) narrows
the rows, then the exact great-circle distance to that point is measured, so neither the
radius nor the order can be used to find a house. Everything else is plain querysets with
their joins made.
"""

import dataclasses
import datetime as dt
import hashlib
import zoneinfo
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from nightout.finder.caching import cached_value, held_here
from nightout.finder.index import index_kept, index_search, public_index
from nightout.finder.lookup import FoundPlace, place_find
from nightout.geo.distance import bounding_box, haversine_m
from nightout.registry.models import (
    Activity,
    Event,
    EventAgency,
    EventStatus,
    Jurisdiction,
    Season,
)

PAGE_SIZE = 25
# What a search reads of each event in its box: no more than the public point.
POINT_COLUMNS = ("pk", "public_latitude", "public_longitude")
NOTHING_UPCOMING = "Nothing upcoming matches, so past seasons are shown too."


@dataclass(frozen=True)
class Search:
    """What is searched: a `SearchQuery` with the place its words name applied."""

    town: str = ""  # a jurisdiction's slug
    centre: tuple[float, float] | None = None
    radius_m: int = 3219
    day: dt.date | None = None
    activity: str = ""  # an activity's slug
    when: str = "upcoming"  # upcoming | past | all | a year such as "2017"
    text: str = ""  # words of a title, when the search named no place
    season: str = ""  # a season's slug (the API, the GeoJSON feed)


@dataclass(frozen=True)
class SearchQuery:
    """What a resident asked for, parsed from the query string; nothing looked up yet."""

    words: str = ""  # the search box: an address, a ZIP code, a town, or words of a title
    near: tuple[float, float] | None = None  # the resident's own point
    town: str = ""  # a jurisdiction's slug
    radius_m: int = 3219
    day: dt.date | None = None
    activity: str = ""  # an activity's slug
    when: str = "upcoming"
    season: str = ""  # a season's slug


@dataclass(frozen=True)
class SearchResults:
    """A page of what a search found, and what was searched for."""

    page: Page  # (pk, metres or None) pairs, or the events themselves (`cards`)
    search: Search  # with the place found, and "all" when nothing upcoming matched
    place: FoundPlace | None  # what the words or the point named
    note: str = ""  # said above the results: why they are not what was asked for


def public_events() -> QuerySet[Event]:
    return Event.objects.filter(status=EventStatus.APPROVED).select_related("season__jurisdiction")


def _search_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "town": [("", "Any town")] + [(t.slug, f"{t.name}, {t.state}")
                                      for t in towns_with_events()],
        "activity": [("", "Any activity")] + [(a.slug, a.name) for a in activities()],
        "when": [("upcoming", "Upcoming"), ("all", "All seasons")] + [
            (str(y), str(y)) for y in years_with_events()],
    }


def search_choices() -> dict[str, list[tuple[str, str]]]:
    """The towns, activities and years the search form offers (kept while the data is
    unchanged)."""
    return held_here("search-choices", _search_choices)


def _place_named(words: str) -> FoundPlace | None:
    # What the words name depends on the data only: kept like the pages.
    key = hashlib.sha256(" ".join(words.split()).encode()).hexdigest()
    return cached_value("place:" + key, lambda: place_find(
        text=words, index=public_index() if index_kept() else None))


def search_resolve(*, query: SearchQuery) -> tuple[Search, FoundPlace | None]:
    """The search a query makes, and the place it names: its point, or else the town or
    the place its words name (when they name none, they are words of a title)."""
    centre, town, text, place = None, query.town, "", None
    if query.near:
        centre = query.near
        place = FoundPlace("your location", *query.near)
    elif query.words:
        place = _place_named(query.words)
        if place is None:
            text = query.words
        elif place.town:
            town = town or place.town
        else:
            centre = (place.latitude, place.longitude)
    return Search(town=town, centre=centre, radius_m=query.radius_m, day=query.day,
                  activity=query.activity, when=query.when, text=text,
                  season=query.season), place


def search_results(*, query: SearchQuery, page: int | str = 1, per_page: int = PAGE_SIZE,
                   cards: bool = False, widen: bool = True) -> SearchResults:
    """One page of what `query` finds: (pk, metres or None) pairs (`result_page`), or with
    `cards` the events as a card shows them (`search_page`). With `widen`, a search of the
    upcoming events that finds none finds those of every season instead, and says so."""
    search, place = search_resolve(query=query)
    read = search_page if cards else result_page
    found = read(search=search, page=page, per_page=per_page)
    if widen and not found.paginator.count and search.when == "upcoming":
        search = dataclasses.replace(search, when="all")
        found = read(search=search, page=page, per_page=per_page)
        if found.paginator.count:
            return SearchResults(found, search, place, NOTHING_UPCOMING)
    return SearchResults(found, search, place)


def _bounding_box(lat: float, lon: float, metres: float) -> dict:
    south, north, west, east = bounding_box(lat, lon, metres)
    return {"public_latitude__gte": south, "public_latitude__lte": north,
            "public_longitude__gte": west, "public_longitude__lte": east}


def _time_zones() -> list[str]:
    return list(Jurisdiction.objects.values_list("time_zone", flat=True).distinct()
                .order_by("time_zone"))


def _day_filter(day: dt.date) -> Q:
    """Events starting on `day` in their own town's zone: each zone's day as a range of
    `starts_at` for the seasons of its towns (a subquery, so no event row is joined to its
    town to be read)."""
    condition = Q(pk__in=[])
    if day >= dt.date.max - dt.timedelta(days=1):  # no party starts at the end of time
        return condition
    for zone in cached_value("time-zones", _time_zones):
        tz = zoneinfo.ZoneInfo(zone)
        start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
        condition |= Q(season__in=Season.objects.filter(jurisdiction__time_zone=zone)
                       .values("pk"),
                       starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
    return condition


def event_search(*, search: Search, listed: QuerySet[Event] | None = None) -> QuerySet[Event]:
    """Public events (or those of `listed`) matching every filter but the exact distance,
    soonest first. With a centre, only the events whose public point is in the box around
    the circle."""
    events = public_events() if listed is None else listed
    now = timezone.now()
    if search.when == "upcoming":
        events = events.filter(ends_at__gte=now)
    elif search.when == "past":
        events = events.filter(ends_at__lt=now)
    elif search.when.isdigit():
        events = events.filter(season__year=int(search.when))
    if search.season:
        events = events.filter(season__in=Season.objects.filter(slug=search.season))
    if search.town:
        events = events.filter(season__in=Season.objects.filter(jurisdiction__slug=search.town))
    if search.activity:  # a subquery on the link table's index, no join per event
        events = events.filter(pk__in=Event.activities.through.objects.filter(
            activity__slug=search.activity).values("event_id"))
    if search.day:
        events = events.filter(_day_filter(search.day))
    if search.text:
        events = events.filter(Q(title__icontains=search.text)
                               | Q(description__icontains=search.text))
    if search.centre:
        # The box as a subquery on the public point's index, so that SQLite's planner reads
        # the box's rows by id instead of every approved event by status.
        # A metre wider than the circle: a distance is measured in whole metres.
        box = _bounding_box(*search.centre, search.radius_m + 1)
        events = events.filter(pk__in=Event.objects.filter(**box).values("pk"))
    order = ("-starts_at", "title") if search.when == "past" else ("starts_at", "title")
    return events.order_by(*order)


def nearest(events: QuerySet[Event], *, centre: tuple[float, float], radius_m: int
            ) -> list[tuple[int, int]]:
    """(pk, metres) of the events whose public point lies within `radius_m` of `centre`,
    nearest first (ties by the events' own order)."""
    found = []
    lat0, lon0 = centre
    for index, (pk, lat, lon) in enumerate(events.values_list(*POINT_COLUMNS)):
        metres = haversine_m(lat0, lon0, lat, lon)
        if metres <= radius_m:
            found.append((metres, index, pk))
    found.sort()
    return [(pk, metres) for metres, _, pk in found]


# Read on a card's every row but never shown: a town's map and districts, a season's rules.
CARD_DEFERRED = ("season__jurisdiction__boundary", "season__jurisdiction__districts",
                 "season__visit_kinds")


def event_cards(pks: list[int] | None = None, events: QuerySet[Event] | None = None
                ) -> QuerySet[Event]:
    """What a result card shows, joined: the event, its season and town, its activities."""
    base = events if events is not None else public_events().filter(pk__in=pks or [])
    return base.defer(*CARD_DEFERRED).prefetch_related(
        Prefetch("activities", queryset=Activity.objects.order_by("position", "name")))


def result_page(*, search: Search, page: int | str = 1, per_page: int = PAGE_SIZE) -> Page:
    """One page of the events found, as (pk, metres to its public point) near a centre,
    nearest first, and as (pk, None) otherwise, soonest first. Nothing else of the events
    is read: the page of cards is built from them (`search_page`, or the kept cards of the
    finder's page). Without words of a title, from the process's index of the public events
    (`nightout.finder.index`), else from the database."""
    if not search.text and index_kept():
        return Paginator(index_search(search), per_page).get_page(page)
    events = event_search(search=search)
    if search.centre:
        return Paginator(nearest(events, centre=search.centre, radius_m=search.radius_m),
                         per_page).get_page(page)
    result = Paginator(events.values_list("pk", flat=True), per_page).get_page(page)
    result.object_list = [(pk, None) for pk in result.object_list]
    return result


def search_page(*, search: Search, page: int | str = 1, per_page: int = PAGE_SIZE) -> Page:
    """One page of results. Near a centre, each event carries `distance_m` (to its public
    point) and the page is ordered by it."""
    if not search.centre and search.text:
        return Paginator(event_cards(events=event_search(search=search)), per_page).get_page(page)
    result = result_page(search=search, page=page, per_page=per_page)
    distances = dict(result.object_list)
    cards = {e.pk: e for e in event_cards(list(distances))}
    # An event unpublished between the two reads is left out rather than shown.
    result.object_list = [cards[pk] for pk in distances if pk in cards]
    if search.centre:
        for event in result.object_list:
            event.distance_m = distances[event.pk]
    return result


def map_points(*, search: Search, bbox: tuple[float, float, float, float] | None
               ) -> list[tuple[float, float, dict]]:
    """(lat, lon, row) of the public points of the events matching `search`, inside `bbox`
    (west, south, east, north) when given."""
    events = event_search(search=search)
    if bbox:
        west, south, east, north = bbox
        events = events.filter(public_latitude__gte=south, public_latitude__lte=north,
                               public_longitude__gte=west, public_longitude__lte=east)
    points = []
    for pk, lat, lon, title in events.values_list(*POINT_COLUMNS, "title"):
        if search.centre and haversine_m(*search.centre, lat, lon) > search.radius_m:
            continue
        points.append((lat, lon, {"pk": pk, "title": title}))
    return points


def event_public_get(*, pk: int) -> Event:
    """An approved event with what its page shows (raises Event.DoesNotExist otherwise)."""
    return (
        public_events()
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("position", "name")),
            Prefetch("attendances", queryset=EventAgency.objects.select_related("agency")
                     .order_by("agency__name")),
        )
        .get(pk=pk)
    )


def _has_public_events(**where) -> Exists:
    """An index probe per row (event_season_status), not a count over every event."""
    return Exists(Event.objects.filter(status=EventStatus.APPROVED, **where))


def towns_with_events() -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.filter(
        Exists(Season.objects.filter(jurisdiction=OuterRef("pk")).filter(
            _has_public_events(season=OuterRef("pk"))))).order_by("name")


def activities() -> QuerySet[Activity]:
    return Activity.objects.order_by("position", "name")


def years_with_events() -> list[int]:
    return list(Season.objects.filter(_has_public_events(season=OuterRef("pk")))
                .values_list("year", flat=True).distinct().order_by("-year"))


def season_public_get(*, slug: str) -> Season:
    return Season.objects.select_related("jurisdiction").get(slug=slug)


def calendar_listed() -> QuerySet[Event]:
    """What calendars list: the public events, and those cancelled after they were public
    (written STATUS:CANCELLED, so a calendar that holds one marks it instead of keeping it).
    An event never public leaves no trace."""
    return Event.objects.filter(
        Q(status=EventStatus.APPROVED) | Q(status=EventStatus.CANCELLED, cancelled_in_public=True)
    ).select_related("season__jurisdiction")


def calendar_search(*, query: SearchQuery) -> list[Event]:
    """The events of a subscribable calendar of a search: what the finder lists for `query`
    (`search_resolve`, `event_search`: the same place, filters and radius, and past seasons
    when nothing upcoming matches), nearest first near a point, else soonest first; with the
    cancelled ones the finder no longer shows (`calendar_listed`)."""
    search, _ = search_resolve(query=query)
    found = event_search(search=search, listed=calendar_listed())
    if search.when == "upcoming" and not event_search(search=search).exists():
        search = dataclasses.replace(search, when="all")
        found = event_search(search=search, listed=calendar_listed())
    if not search.centre:
        return list(event_cards(events=found))
    order = [pk for pk, _ in nearest(found, centre=search.centre, radius_m=search.radius_m)]
    events = {e.pk: e for e in event_cards(events=calendar_listed().filter(pk__in=order))}
    return [events[pk] for pk in order if pk in events]


def feed_events(*, season: Season | None = None, town: Jurisdiction | None = None
                ) -> QuerySet[Event]:
    """The events of a season or a town, for calendars (`calendar_listed`), with their
    activities."""
    events = calendar_listed()
    if season is not None:
        events = events.filter(season=season)
    if town is not None:
        events = events.filter(season__jurisdiction=town)
    return event_cards(events=events.order_by("starts_at", "pk"))


def latest_events(*, limit: int = 50, season: Season | None = None) -> QuerySet[Event]:
    """The most recently changed public events (the Atom feed)."""
    events = public_events().order_by("-updated_at", "-pk")
    if season is not None:
        events = events.filter(season=season)
    return event_cards(events=events)[:limit]


def sitemap_chunks(*, size: int) -> list[tuple[int, dt.datetime]]:
    """The chunks of `size` event ids that hold at least one public event, each with the
    latest change of its events, in order: the sitemap index names only these."""
    rows = (public_events().order_by().annotate(chunk=F("pk") / size).values("chunk")
            .annotate(changed=Max("updated_at")).order_by("chunk"))
    return [(row["chunk"], row["changed"]) for row in rows]


def sitemap_events(*, chunk: int, size: int) -> list[tuple[int, dt.datetime]]:
    """(pk, last change) of the public events whose ids fall in `chunk`."""
    return list(public_events().filter(pk__gte=chunk * size, pk__lt=(chunk + 1) * size)
                .order_by("pk").values_list("pk", "updated_at"))


def event_page_get(*, pk: int) -> Event:
    """An event whose page is public, with what its page shows: an approved event, or one
    cancelled while it was approved (its page says so, for those who saved the link or
    shared it); raises Event.DoesNotExist otherwise (never approved, rejected, or cancelled
    before approval leave no public trace)."""
    return (
        Event.objects.filter(Q(status=EventStatus.APPROVED)
                             | Q(status=EventStatus.CANCELLED, cancelled_in_public=True))
        .select_related("season__jurisdiction")
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("position", "name")),
            Prefetch("attendances", queryset=EventAgency.objects.select_related("agency")
                     .order_by("agency__name")),
        )
        .get(pk=pk)
    )
