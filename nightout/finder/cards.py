"""A result card of the finder: the event's title and link, its day and hours on its town's
clock, its public place and its activities. Drawn in Python rather than by the template engine
(a card is the one piece a new search draws many times over: this is several times faster), with
the same escaping: every value goes through `html.escape`, which Django's `escape` wraps.

The cards of a page are read in two plain SQL queries of one table each (`card_rows`,
`activity_names`), not through the ORM's model instances or its `values()`: at 100,000 events
nearly every new search shows cards no search drew before, and making the queries, planning
their joins and converting their rows was most of their cost (2.1 ms of 3.7 for a page of 15
cards on SQLite through the ORM; 0.3 ms as plain SQL)."""

import datetime as dt
import functools
import zoneinfo
from collections import defaultdict
from html import escape  # Django's `escape` is this, wrapped for lazy text; a card has none
from types import SimpleNamespace

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nightout.finder.caching import held_here
from nightout.finder.places import PLACE_FIELDS, public_place
from nightout.registry.models import Activity, Event, EventStatus, Season

# What a card reads of its event and town: what `public_place` reads, the title and times.
EVENT_COLUMNS = ("id", "title", "starts_at", "ends_at", "venue", "address", "postal_code",
                 "location_precision", *PLACE_FIELDS, "public_latitude", "public_longitude")
TOWN_COLUMNS = ("name", "state", "time_zone")
CARD_COLUMNS = (*EVENT_COLUMNS, *(f"town_{name}" for name in TOWN_COLUMNS))


# An event id no event has: the event page's address is worked out once per page of cards.
SOME_ID = 987654321


def _in(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def card_rows(pks: list[int]) -> list[dict]:
    """The columns a card reads (CARD_COLUMNS) of each approved event of `pks`: the event's
    own in one query of its table alone (joined to its season and town, planning the query
    cost PostgreSQL more than running it), its town's from `_towns`."""
    if not pks:
        return []
    quote = connection.ops.quote_name
    columns = [quote(Event._meta.get_field(n).column) for n in (*EVENT_COLUMNS, "season")]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {quote(Event._meta.db_table)}"  # noqa: S608
            f" WHERE {quote('status')} = %s AND {quote('id')} IN ({_in(pks)})",
            [EventStatus.APPROVED, *pks])
        found = cursor.fetchall()
    towns = _towns()
    rows = []
    for *values, season in found:
        town = towns.get(season)
        if town is None:  # a season made since the towns were read
            towns = _towns(again=True)
            town = towns[season]
        row = dict(zip(CARD_COLUMNS, (*values, *town), strict=True))
        for name in ("starts_at", "ends_at"):
            row[name] = _moment(row[name])
        for name in ("is_private_home", "show_exact_location"):
            row[name] = bool(row[name])  # SQLite answers 0 and 1
        rows.append(row)
    return rows


def _towns(*, again: bool = False) -> dict[int, tuple]:
    """Each season's town's TOWN_COLUMNS, by season id (a small table, kept in the process
    for the data's version)."""
    def read():
        return {pk: town for pk, *town in Season.objects.values_list(
            "pk", *(f"jurisdiction__{name}" for name in TOWN_COLUMNS))}
    return read() if again else held_here("card-towns", read)


def _moment(value) -> dt.datetime:
    """A timestamp as the database answers it (SQLite: text in UTC), aware."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


def activity_names(pks: list[int]) -> dict[int, list[str]]:
    """The names of each event's activities, in the activities' order: the events' ids of
    activities in one query of the link table alone, their names and order from `_activities`."""
    if not pks:
        return {}
    through = Event.activities.through
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('event_id')}, {quote('activity_id')}"  # noqa: S608
            f" FROM {quote(through._meta.db_table)} WHERE {quote('event_id')} IN ({_in(pks)})",
            list(pks))
        links = cursor.fetchall()
    activities = _activities()
    if any(activity not in activities for _, activity in links):  # one made since
        activities = _activities(again=True)
    kept = defaultdict(list)
    for event_id, activity in links:
        kept[event_id].append(activities[activity])
    return {event_id: [name for _, name in sorted(found)] for event_id, found in kept.items()}


def _activities(*, again: bool = False) -> dict[int, tuple[int, str]]:
    """Each activity's (position, name), by id (a small table, kept like `_towns`)."""
    def read():
        return {pk: (position, name) for pk, position, name in
                Activity.objects.values_list("pk", "position", "name")}
    return read() if again else held_here("card-activities", read)


def cards_html(pks: list[int]) -> dict[int, tuple[str, str]]:
    """(title, card) of each approved event of `pks`; an event no longer public has none."""
    rows = card_rows(pks)
    names = defaultdict(list, activity_names([row["id"] for row in rows]))
    address = reverse("finder:event", args=[SOME_ID])
    words = _words(get_language())
    return {row["id"]: (row["title"], _card(row, names[row["id"]], address, words))
            for row in rows}


def _card(row: dict, activities: list[str], address: str, words) -> str:
    town = SimpleNamespace(name=row["town_name"], state=row["town_state"])
    event = SimpleNamespace(season=SimpleNamespace(jurisdiction=town), **{
        name: row[name] for name in ("venue", "address", "postal_code", "location_precision",
                                     *PLACE_FIELDS)})
    # The point stored for the event is the one `public_place` would work out (kept equal by
    # every writer); the card shows the place's words only.
    place = public_place(event, point=(row["public_latitude"], row["public_longitude"]))
    zone = zoneinfo.ZoneInfo(row["town_time_zone"])
    starts, ends = row["starts_at"].astimezone(zone), row["ends_at"].astimezone(zone)
    tags = ('<p class="activities">' + "".join(
        f'<span class="tag">{escape(name)}</span>' for name in activities) + "</p>"
            if activities else "")
    return mark_safe(  # noqa: S308 (every value escaped)
        f'<h3><a href="{escape(address.replace(str(SOME_ID), str(row["id"])))}">'
        f'{escape(row["title"])}</a></h3>\n'
        f'        <p class="when"><time datetime="{escape(starts.isoformat())}">'
        f'{escape(day_and_time(starts, words))}</time> – '
        f'{escape(time_and_zone(ends, words))}</p>\n'
        f'        <p class="where">{escape(place.display)}</p>\n'
        f'        {tags}\n')


@functools.lru_cache(maxsize=32)
def _words(language: str | None) -> tuple[list[str], dict[int, str], str, str]:
    """The day and month names and "AM" and "PM" of `language` (the active one), translated
    once rather than for every card."""
    return ([str(WEEKDAYS[i]) for i in range(7)], {m: str(MONTHS[m]) for m in MONTHS},
            str(_("AM")), str(_("PM")))


def _clock(moment: dt.datetime, words) -> str:
    half = words[3] if moment.hour > 11 else words[2]
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {half}"


def day_and_time(moment: dt.datetime, words=None) -> str:
    """Django's date format "l j F Y, g:i A" ("Tuesday 3 August 2027, 6:00 PM"), in the
    active language, without parsing the format for each card."""
    words = words or _words(get_language())
    return (f"{words[0][moment.weekday()]} {moment.day} {words[1][moment.month]} "
            f"{moment.year:04d}, {_clock(moment, words)}")


def time_and_zone(moment: dt.datetime, words=None) -> str:
    """Django's date format "g:i A T" ("9:00 PM EDT")."""
    return f"{_clock(moment, words or _words(get_language()))} {moment.tzname()}"
