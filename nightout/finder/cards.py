"""A result card of the finder: the event's title and link, its day and hours on its town's
clock, its public place and its activities. Drawn in Python rather than by the template engine
(a card is the one piece a new search draws many times over: this is several times faster), with
the same escaping: every value goes through `escape`.

The cards of a page are read in two queries of plain rows (`cards_html`), not as model
instances: at 100,000 events nearly every new search shows cards no search drew before, and
making an event, its season and its town per card was most of their cost."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from types import SimpleNamespace

from django.urls import reverse
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from nightout.finder.places import PLACE_FIELDS, public_place
from nightout.registry.models import Event, EventStatus

# What a card reads of its event and town: what `public_place` reads, the title and times.
CARD_COLUMNS = ("pk", "title", "starts_at", "ends_at", "venue", "address", "postal_code",
                "location_precision", *PLACE_FIELDS, "public_latitude", "public_longitude",
                "season__jurisdiction__name", "season__jurisdiction__state",
                "season__jurisdiction__time_zone")


# An event id no event has: the event page's address is worked out once per page of cards.
SOME_ID = 987654321


def cards_html(pks: list[int]) -> dict[int, tuple[str, str]]:
    """(title, card) of each approved event of `pks`; an event no longer public has none."""
    rows = list(Event.objects.filter(status=EventStatus.APPROVED, pk__in=pks)
                .values(*CARD_COLUMNS))
    names = defaultdict(list)
    for event_id, name in (Event.activities.through.objects
                           .filter(event_id__in=[row["pk"] for row in rows])
                           .order_by("activity__position", "activity__name")
                           .values_list("event_id", "activity__name")):
        names[event_id].append(name)
    address = reverse("finder:event", args=[SOME_ID])
    return {row["pk"]: (row["title"], _card(row, names[row["pk"]], address)) for row in rows}


def _card(row: dict, activities: list[str], address: str) -> str:
    town = SimpleNamespace(name=row["season__jurisdiction__name"],
                           state=row["season__jurisdiction__state"])
    event = SimpleNamespace(season=SimpleNamespace(jurisdiction=town), **{
        name: row[name] for name in ("venue", "address", "postal_code", "location_precision",
                                     *PLACE_FIELDS)})
    # The point stored for the event is the one `public_place` would work out (kept equal by
    # every writer); the card shows the place's words only.
    place = public_place(event, point=(row["public_latitude"], row["public_longitude"]))
    zone = zoneinfo.ZoneInfo(row["season__jurisdiction__time_zone"])
    starts, ends = row["starts_at"].astimezone(zone), row["ends_at"].astimezone(zone)
    tags = ('<p class="activities">' + "".join(
        f'<span class="tag">{escape(name)}</span>' for name in activities) + "</p>"
            if activities else "")
    return mark_safe(  # noqa: S308 (every value escaped)
        f'<h3><a href="{escape(address.replace(str(SOME_ID), str(row["pk"])))}">'
        f'{escape(row["title"])}</a></h3>\n'
        f'        <p class="when"><time datetime="{escape(starts.isoformat())}">'
        f'{escape(day_and_time(starts))}</time> – {escape(time_and_zone(ends))}</p>\n'
        f'        <p class="where">{escape(place.display)}</p>\n'
        f'        {tags}\n')


def _clock(moment: dt.datetime) -> str:
    half = _("PM") if moment.hour > 11 else _("AM")
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {half}"


def day_and_time(moment: dt.datetime) -> str:
    """Django's date format "l j F Y, g:i A" ("Tuesday 3 August 2027, 6:00 PM"), in the
    active language, without parsing the format for each card."""
    return (f"{WEEKDAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month]} "
            f"{moment.year:04d}, {_clock(moment)}")


def time_and_zone(moment: dt.datetime) -> str:
    """Django's date format "g:i A T" ("9:00 PM EDT")."""
    return f"{_clock(moment)} {moment.tzname()}"
