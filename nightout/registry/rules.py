"""A season's rules, applied to a registration. Each rule is a small function that returns
what is wrong (a message for a coordinator's or a host's eyes) or nothing.

Every rule reads its numbers from the Season, so a town's rules are settings, never code.
All moments are aware datetimes; deadlines are compared in absolute time and shown in the
jurisdiction's zone.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format

from nightout.geo.distance import haversine_m
from nightout.geo.geojson import contains
from nightout.registry.models import (
    ClosureFeeTier,
    Event,
    EventStatus,
    Jurisdiction,
    RainDateRule,
    Season,
)

# How far from a town's centre a pin may be when the town has no boundary on file.
MAX_DISTANCE_WITHOUT_BOUNDARY_M = 30_000

REGISTRATION_CLOSED = "Registration for {season} closed on {deadline}."
SEASON_OVER = "National Night Out {season} is over: registration has closed."
CHANGES_CLOSED = "National Night Out {season} is over: its events can no longer be changed."
OUTSIDE_WINDOW = "Events on {night} run between {earliest} and {latest}."
ENDS_BEFORE_START = "The event must end after it starts."
OUTSIDE_JURISDICTION = "This spot is outside {town}. Move the pin to where the event is."
CLOSURES_NOT_OFFERED = "{town} does not take street-closure requests here."
CLOSURES_CLOSED = "Street-closure requests for {season} closed on {deadline}."
CONSENT_REQUIRED = (
    "Confirm that at least {percent}% of the households on the block agree to the closure."
)
VISIT_KIND_NOT_OFFERED = "{town} does not offer visits by {kind}."
VISITS_CLOSED = "Visit requests must come at least {days} days before the night (by {deadline})."
VISIT_TIMES_NOT_ALLOWED = "{town} schedules visits itself; leave the time empty."
VISIT_TIME_OUTSIDE_EVENT = "Ask for a time while your event is on."
RAIN_DATE_AFTER_NIGHT = "The rain date must be after the night, within two weeks."
RAIN_DATE_NOT_CHOSEN = "{town} does not let hosts pick a rain date."
NO_RAIN_DATE = "This event has no rain date to move to."
ALREADY_ON_RAIN_DATE = "This event is already on its rain date."
NOT_MOVABLE = "Only a submitted or approved event can move to its rain date."


def local(moment: dt.datetime, season: Season) -> str:
    value = moment.astimezone(season.jurisdiction.zone)
    return f"{date_format(value, 'l j F Y')} at {date_format(value, 'g:i A')}"


def registration_open(season: Season, at: dt.datetime) -> str | None:
    if at > season.window[1]:
        return SEASON_OVER.format(season=season)
    if season.registration_deadline and at > season.registration_deadline:
        return REGISTRATION_CLOSED.format(
            season=season, deadline=local(season.registration_deadline, season)
        )
    return None


def changes_open(season: Season, at: dt.datetime) -> str | None:
    """Whether a host may still change (or restore) an event of the season: until the end of
    its night's day, in the town's zone."""
    if at.astimezone(season.jurisdiction.zone).date() > season.nno_date:
        return CHANGES_CLOSED.format(season=season)
    return None


def hours_problem(season: Season, starts_at: dt.datetime, ends_at: dt.datetime) -> str | None:
    """What is wrong with the hours, or None: they run between the season's earliest and
    latest times on the night, or on the day the party was moved to (its rain date)."""
    earliest, latest = season.window
    zone = season.jurisdiction.zone
    day = starts_at.astimezone(zone).date()
    if day != season.nno_date:  # the same hours on the town's clock, that day
        earliest, latest = season.at(day, earliest.astimezone(zone).time()), (
            season.at(day, earliest.astimezone(zone).time()) + (latest - earliest))
    if ends_at <= starts_at:
        return ENDS_BEFORE_START
    if starts_at < earliest or ends_at > latest:
        return OUTSIDE_WINDOW.format(
            night=date_format(day, "l j F Y"),
            earliest=date_format(earliest.astimezone(season.jurisdiction.zone), "g:i A"),
            latest=date_format(latest.astimezone(season.jurisdiction.zone), "g:i A"),
        )
    return None


def inside_jurisdiction(jurisdiction: Jurisdiction, latitude: float, longitude: float) -> bool:
    if jurisdiction.boundary:
        return contains(jurisdiction.boundary, latitude, longitude)
    distance = haversine_m(
        jurisdiction.center_latitude, jurisdiction.center_longitude, latitude, longitude
    )
    return distance <= MAX_DISTANCE_WITHOUT_BOUNDARY_M


@dataclass(frozen=True)
class Fee:
    amount: Decimal
    label: str


def closure_fee(
    season: Season, *, filed_at: dt.datetime, blocks: int, residential: bool,
    tiers: list[ClosureFeeTier] | None = None, after_deadline_ok: bool = False,
) -> Fee | str:
    """The fee a closure filed at `filed_at` pays, or why it is refused.

    The cheapest tier that applies wins (Saint Paul: free only for one residential block
    filed 30 days ahead; otherwise the paid permit). A season without tiers charges nothing.
    With `after_deadline_ok` (a coordinator recording closures the town already took) a
    closure past the last deadline pays the last tier's fee instead of being refused.
    """
    if not season.closures_enabled:
        return CLOSURES_NOT_OFFERED.format(town=season.jurisdiction.name)
    tiers = list(season.closure_tiers.all()) if tiers is None else tiers
    if not tiers:
        return Fee(Decimal("0"), "")
    matching = [
        t for t in tiers if t.applies_to(filed_at=filed_at, blocks=blocks, residential=residential)
    ]
    if not matching and after_deadline_ok:
        matching = [max(tiers, key=lambda t: (t.filed_by, t.fee))]
    if not matching:
        last = max(t.filed_by for t in tiers)
        return CLOSURES_CLOSED.format(season=season, deadline=local(last, season))
    best = min(matching, key=lambda t: (t.fee, t.filed_by))
    return Fee(best.fee, best.label)


def visit_request_deadline(season: Season) -> dt.datetime | None:
    """The last moment a visit may be requested: the end of the day `lead` days before."""
    if season.visit_request_lead_days is None:
        return None
    day = season.nno_date - dt.timedelta(days=season.visit_request_lead_days)
    return season.at(day, dt.time(23, 59, 59))


def visits_open(season: Season, at: dt.datetime) -> str | None:
    deadline = visit_request_deadline(season)
    if deadline and at > deadline:
        return VISITS_CLOSED.format(
            days=season.visit_request_lead_days, deadline=local(deadline, season)
        )
    return None


def host_picks_rain_date(season: Season) -> bool:
    """Whether the season lets a host pick their event's rain date (see `rain_date_for`)."""
    return season.rain_date_rule == RainDateRule.HOST_CHOOSES


def rain_date_for(season: Season, *, declined: bool = False, chosen: dt.date | None = None
                  ) -> dt.date | None | str:
    """The one rule of which rain date an event gets under the season's rule, or what is
    wrong with the host's pick. Without `declined` and `chosen`, the date an event gets by
    default (the next day, the town's date, or none). Every place that shows or sets a rain
    date (the form, the API, the demo) asks this."""
    rule = season.rain_date_rule
    if chosen and not host_picks_rain_date(season):
        return RAIN_DATE_NOT_CHOSEN.format(town=season.jurisdiction.name)
    if rule == RainDateRule.NEXT_DAY:
        return None if declined else season.nno_date + dt.timedelta(days=1)
    if rule == RainDateRule.FIXED:
        return season.rain_date
    if rule == RainDateRule.HOST_CHOOSES and chosen:
        if not season.nno_date < chosen <= season.nno_date + dt.timedelta(days=14):
            return RAIN_DATE_AFTER_NIGHT
        return chosen
    return None


def rain_date_refusal(event: Event) -> str | None:
    """Why `event` cannot move to its rain date, or None when it can: the one rule that
    `event_move_to_rain_date` applies and that the host's and the coordinator's pages ask
    before offering the move."""
    if event.status not in (EventStatus.SUBMITTED, EventStatus.APPROVED):
        return NOT_MOVABLE
    if event.rain_date is None:
        return NO_RAIN_DATE
    if event.starts_at.astimezone(event.season.jurisdiction.zone).date() == event.rain_date:
        return ALREADY_ON_RAIN_DATE
    return None


def rain_date_hours(event: Event) -> tuple[dt.datetime, dt.datetime]:
    """Where `event` starts and ends on its rain date: the same hours on the town's clock
    (a party that ends after midnight ends after midnight of the rain date)."""
    zone = event.season.jurisdiction.zone
    start = dt.datetime.combine(event.rain_date, event.starts_at.astimezone(zone).time(),
                                tzinfo=zone)
    return start, start + (event.ends_at - event.starts_at)


STREET_WORDS = {
    "street": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr", "lane": "ln",
    "boulevard": "blvd", "court": "ct", "place": "pl", "terrace": "ter", "parkway": "pkwy",
    "circle": "cir", "north": "n", "south": "s", "east": "e", "west": "w",
}
HOUSE_NUMBER = re.compile(r"^\s*(\d+)[a-z]?\s+([^,]+)", re.IGNORECASE)


def block_key(address: str) -> str:
    """'1234 Elm Street, Lakeport' and '1260 elm st.' are both on block '1200 elm st'."""
    match = HOUSE_NUMBER.match(address or "")
    if not match:
        return ""
    number = int(match.group(1)) // 100 * 100
    words = re.sub(r"[^\w\s]", " ", match.group(2).lower()).split()
    street = " ".join(STREET_WORDS.get(w, w) for w in words)
    return f"{number} {street}"[:200]


def address_key(address: str) -> str:
    """The whole address as `block_key` reads a street: '120 Elm Street, Agawam' and
    '120 elm st. agawam' are the same place."""
    words = re.sub(r"[^\w\s]", " ", (address or "").lower()).split()
    return " ".join(STREET_WORDS.get(w, w) for w in words)[:200]
