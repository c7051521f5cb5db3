"""Reads for the public finder. Only approved events are public.

Near-me search: a bounding box on the indexed (latitude, longitude) narrows the rows, then the
exact great-circle distance is measured in Python to each event's *public* point (the fuzzed
block point for a private home), so neither the radius nor the order can be used to find a
house. Everything else is plain querysets with their joins made.
"""

import datetime as dt
import math
import zoneinfo
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from nightout.finder.places import offline_place, public_point
from nightout.geo.distance import EARTH_RADIUS_M, haversine_m
from nightout.registry.models import (
    Activity,
    Event,
    EventAgency,
    EventStatus,
    Jurisdiction,
    Season,
)
from nightout.registry.rules import block_key

PAGE_SIZE = 25
# A public point is at most this far from the true one (half a fuzzing cell's diagonal plus
# the jitter, `nightout.geo.fuzz.max_offset_m`), so the box is widened by it before the exact
# test.
FUZZ_MARGIN_M = 300
POINT_FIELDS = ("pk", "latitude", "longitude", "is_private_home", "show_exact_location",
                "block_key")


@dataclass(frozen=True)
class Search:
    """What a resident asked for, already parsed."""

    town: str = ""  # a jurisdiction's slug
    centre: tuple[float, float] | None = None
    radius_m: int = 3219
    day: dt.date | None = None
    activity: str = ""  # an activity's slug
    when: str = "upcoming"  # upcoming | past | all | a year such as "2017"
    text: str = ""  # words of a title, when the search named no place
    season: str = ""  # a season's slug (the widget)


@dataclass(frozen=True)
class FoundPlace:
    name: str
    latitude: float | None = None
    longitude: float | None = None
    town: str = ""  # a jurisdiction's slug, when the words named a town


def public_events() -> QuerySet[Event]:
    return Event.objects.filter(status=EventStatus.APPROVED).select_related("season__jurisdiction")


def _point_of(row: dict) -> tuple[float, float]:
    return public_point(**{k: row[k] for k in POINT_FIELDS if k != "pk"})


def _centre_of(rows: list[dict]) -> tuple[float, float] | None:
    points = [_point_of(r) for r in rows]
    if not points:
        return None
    return (round(sum(p[0] for p in points) / len(points), 5),
            round(sum(p[1] for p in points) / len(points), 5))


def place_find(*, text: str) -> FoundPlace | None:
    """What the words in the search box name: a town on this site, a ZIP code or an address
    known from the towns' published events, or a place of the offline list. The centre of a
    ZIP code or a street is the mean of its events' public points, never a single house."""
    text = " ".join(text.split())
    if not text:
        return None
    town = (Jurisdiction.objects.filter(Q(name__iexact=text) | Q(slug__iexact=text))
            .first() or _town_with_state(text))
    if town:
        return FoundPlace(f"{town.name}, {town.state}", town.center_latitude,
                          town.center_longitude, town=town.slug)
    approved = Event.objects.filter(status=EventStatus.APPROVED)
    if text[:5].isdigit() and len(text) <= 10:
        centre = _published_centre(approved, postal_code=text)
        if centre:
            return FoundPlace(f"ZIP {text[:5]}", *centre)
    listed = offline_place(text)
    if listed:
        return FoundPlace(listed.name, listed.latitude, listed.longitude)
    centre = _published_centre(approved, address=text)
    return FoundPlace(text, *centre) if centre else None


def public_centre(*, jurisdiction: Jurisdiction | None = None, address: str = "",
                  postal_code: str = "") -> tuple[float, float] | None:
    """Where an address or a ZIP code lies, from public data only (no geocoder): the mean of
    the published points of approved events on the address's block, else on its street, else
    in the ZIP code, else the offline place list's place for that ZIP code. Within one town
    when `jurisdiction` is given. Never an exact pin of a private home, never an unpublished
    event: whatever this answers, the public could already average for itself."""
    approved = Event.objects.filter(status=EventStatus.APPROVED)
    if jurisdiction is not None:
        approved = approved.filter(season__jurisdiction=jurisdiction)
    centre = _published_centre(approved, address=address, postal_code=postal_code)
    if centre:
        return centre
    code = (postal_code or "").strip()[:5]
    listed = offline_place(code) if len(code) == 5 and code.isdigit() else None
    if listed and (jurisdiction is None or _near_town(jurisdiction, listed)):
        return listed.latitude, listed.longitude
    return None


def _published_centre(approved: QuerySet[Event], *, address: str = "", postal_code: str = ""
                      ) -> tuple[float, float] | None:
    """The mean public point of `approved` events on the address's block, else its street,
    else in the ZIP code."""
    key = block_key(address) if address else ""
    if key:
        street = key.partition(" ")[2]
        rows = list(approved.filter(block_key=key).values(*POINT_FIELDS)[:200]) or list(
            approved.filter(block_key__endswith=f" {street}").values(*POINT_FIELDS)[:200])
        centre = _centre_of(rows)
        if centre:
            return centre
    code = (postal_code or "").strip()[:5]
    if len(code) == 5 and code.isdigit():
        # A range up to the next ZIP code rather than LIKE, so that the (status,
        # postal_code) index answers it under any collation; ZIP+4 codes fall inside it.
        in_zip = approved.filter(postal_code__gte=code)
        if code != "99999":
            in_zip = in_zip.filter(postal_code__lt=f"{int(code) + 1:05d}")
        return _centre_of(list(in_zip.order_by("pk").values(*POINT_FIELDS)[:500]))
    return None


def _near_town(jurisdiction: Jurisdiction, place) -> bool:
    """Whether a place of the offline list is in or near the town (within 25 km of its
    centre), so that one town's registration map is never centred on another's."""
    return haversine_m(jurisdiction.center_latitude, jurisdiction.center_longitude,
                       place.latitude, place.longitude) <= 25_000


def _town_with_state(text: str) -> Jurisdiction | None:
    name, _, state = text.rpartition(",")
    if not name or len(state.strip()) != 2:
        return None
    return Jurisdiction.objects.filter(name__iexact=name.strip(),
                                       state__iexact=state.strip()).first()


def _bounding_box(lat: float, lon: float, metres: float) -> dict:
    dlat = math.degrees(metres / EARTH_RADIUS_M)
    # Measured at the box's edge nearest a pole, where a degree of longitude is shortest.
    widest = min(abs(lat) + dlat, 89.0)
    dlon = math.degrees(metres / (EARTH_RADIUS_M * max(math.cos(math.radians(widest)), 0.01)))
    return {"latitude__gte": lat - dlat, "latitude__lte": lat + dlat,
            "longitude__gte": lon - dlon, "longitude__lte": lon + dlon}


def _day_filter(day: dt.date) -> Q:
    """Events starting on `day` in their own town's zone."""
    condition = Q(pk__in=[])
    for zone in Jurisdiction.objects.values_list("time_zone", flat=True).distinct():
        tz = zoneinfo.ZoneInfo(zone)
        start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
        condition |= Q(season__jurisdiction__time_zone=zone, starts_at__gte=start,
                       starts_at__lt=start + dt.timedelta(days=1))
    return condition


def event_search(*, search: Search) -> QuerySet[Event]:
    """Public events matching every filter but the exact distance, soonest first. With a
    centre, only the events in the box around it (widened by the fuzzing margin)."""
    events = public_events()
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
    if search.activity:
        events = events.filter(activities__slug=search.activity)
    if search.day:
        events = events.filter(_day_filter(search.day))
    if search.text:
        events = events.filter(Q(title__icontains=search.text) | Q(description__icontains=search.text))
    if search.centre:
        # The box as a subquery on the coordinates index, so that SQLite's planner reads
        # the box's rows by id instead of every approved event by status.
        box = _bounding_box(*search.centre, search.radius_m + FUZZ_MARGIN_M)
        events = events.filter(pk__in=Event.objects.filter(**box).values("pk"))
    order = ("-starts_at", "title") if search.when == "past" else ("starts_at", "title")
    return events.order_by(*order)


def nearest(events: QuerySet[Event], *, centre: tuple[float, float], radius_m: int
            ) -> list[tuple[int, int]]:
    """(pk, metres) of the events whose public point lies within `radius_m` of `centre`,
    nearest first (ties by the events' own order)."""
    found = []
    for index, row in enumerate(events.values(*POINT_FIELDS)):
        lat, lon = _point_of(row)
        metres = haversine_m(centre[0], centre[1], lat, lon)
        if metres <= radius_m:
            found.append((metres, index, row["pk"]))
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
    finder's page)."""
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
    if not search.centre:
        return Paginator(event_cards(events=event_search(search=search)), per_page).get_page(page)
    result = result_page(search=search, page=page, per_page=per_page)
    distances = dict(result.object_list)
    cards = {e.pk: e for e in event_cards(list(distances))}
    # An event unpublished between the two reads is left out rather than shown.
    result.object_list = [cards[pk] for pk in distances if pk in cards]
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
        # Widened by the fuzzing margin in metres, in longitude too (at the box's edge nearest
        # a pole), so which events the box holds depends on their public points only.
        lat_margin = math.degrees(FUZZ_MARGIN_M / EARTH_RADIUS_M)
        widest = min(max(abs(south), abs(north)) + lat_margin, 89.0)
        lon_margin = lat_margin / math.cos(math.radians(widest))
        events = events.filter(latitude__gte=south - lat_margin, latitude__lte=north + lat_margin,
                               longitude__gte=west - lon_margin, longitude__lte=east + lon_margin)
    rows = events.values(*POINT_FIELDS, "title")
    points = []
    for row in rows:
        lat, lon = _point_of(row)
        if search.centre and haversine_m(*search.centre, lat, lon) > search.radius_m:
            continue
        if bbox and not (bbox[1] <= lat <= bbox[3] and bbox[0] <= lon <= bbox[2]):
            continue
        points.append((lat, lon, {"pk": row["pk"], "title": row["title"]}))
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


def feed_events(*, season: Season | None = None, town: Jurisdiction | None = None
                ) -> QuerySet[Event]:
    """The public events of a season or a town, for calendars, with their activities."""
    events = public_events()
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
