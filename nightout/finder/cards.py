"""A result card of the finder: the event's title and link, its day and hours on its town's
clock, its public place and its activities. Drawn in Python rather than by the template engine
(a card is the one piece a new search draws many times over: this is several times faster), with
the same escaping: every value goes through `html.escape`, which Django's `escape` wraps.

The cards of a page are read in two plain SQL queries (`cards_html`), not through the ORM's
model instances or its `values()`: at 100,000 events nearly every new search shows cards no
search drew before, and making the queries and converting their rows was most of their cost
(2.1 ms of 3.7 for a page of 15 cards; 0.3 ms as plain SQL)."""

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

from nightout.finder.places import PLACE_FIELDS, public_place
from nightout.registry.models import Activity, Event, EventStatus, Jurisdiction, Season

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
    """The columns a card reads (CARD_COLUMNS) of each approved event of `pks`."""
    if not pks:
        return []
    quote = connection.ops.quote_name
    event, season, town = (quote(m._meta.db_table) for m in (Event, Season, Jurisdiction))
    columns = [f"e.{quote(Event._meta.get_field(n).column)}"
               for n in EVENT_COLUMNS] + [f"j.{quote(n)}" for n in TOWN_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {event} e"  # noqa: S608 (names from the models)
            f" JOIN {season} s ON s.{quote('id')} = e.{quote('season_id')}"
            f" JOIN {town} j ON j.{quote('id')} = s.{quote('jurisdiction_id')}"
            f" WHERE e.{quote('status')} = %s AND e.{quote('id')} IN ({_in(pks)})",
            [EventStatus.APPROVED, *pks])
        rows = [dict(zip(CARD_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        for name in ("starts_at", "ends_at"):
            row[name] = _moment(row[name])
        for name in ("is_private_home", "show_exact_location"):
            row[name] = bool(row[name])  # SQLite answers 0 and 1
    return rows


def _moment(value) -> dt.datetime:
    """A timestamp as the database answers it (SQLite: text in UTC), aware."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


def activity_names(pks: list[int]) -> dict[int, list[str]]:
    """The names of each event's activities, in the activities' order."""
    if not pks:
        return {}
    quote = connection.ops.quote_name
    through, activity = (quote(m._meta.db_table) for m in (Event.activities.through, Activity))
    names = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.{quote('event_id')}, a.{quote('name')} FROM {through} t"  # noqa: S608
            f" JOIN {activity} a ON a.{quote('id')} = t.{quote('activity_id')}"
            f" WHERE t.{quote('event_id')} IN ({_in(pks)})"
            f" ORDER BY a.{quote('position')}, a.{quote('name')}", list(pks))
        for event_id, name in cursor.fetchall():
            names[event_id].append(name)
    return names


def cards_html(pks: list[int]) -> dict[int, tuple[str, str]]:
    """(title, card) of each approved event of `pks`; an event no longer public has none."""
    rows = card_rows(pks)
    names = activity_names([row["id"] for row in rows])
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
