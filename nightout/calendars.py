"""The one iCalendar (RFC 5545) writer: every calendar file of the site goes through it (the
finder's event, season and town files, `nightout.finder.ical`; a unit's itinerary,
`nightout.visits.calendar`), so a fix reaches them all.

Times are written in the town's zone (DTSTART;TZID=America/New_York:...) with the matching
VTIMEZONE, so every calendar shows 5 pm as 5 pm in Chicopee. Text goes through
`calendar_text`: what a content line cannot carry is left out, and one-line properties (the
summary, the place, the categories, the calendar's name) are one line. A UID is the entry's
name at the site's host (`uid`), the same for the same thing in every file and every version
of it. Clients that hold an entry take a change when its SEQUENCE is higher (the caller counts
the changes of time, date, place and status); LAST-MODIFIED is the entry's last change and
DTSTAMP the moment the file was made, both in UTC and neither after it. A cancelled entry stays
in the file, STATUS:CANCELLED, so calendars that hold it mark it rather than keep it. The
caller chooses the point written as GEO: the public point for the public, none when it has
none.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vGeo, vText
from icalendar import Event as VEvent

from nightout.text import calendar_text

# How often a subscribed calendar (a season's, a town's) is read again.
FEED_REFRESH = dt.timedelta(hours=6)


@dataclass(frozen=True)
class Entry:
    """One VEVENT, in plain values; text as stored (the writer cleans it)."""

    uid: str  # unique to the site: `uid("event-7")`
    summary: str
    starts_at: dt.datetime  # aware
    ends_at: dt.datetime  # aware
    zone: zoneinfo.ZoneInfo  # the town's
    changed_at: dt.datetime  # LAST-MODIFIED: its last change
    location: str | None = None  # None: no LOCATION
    point: tuple[float, float] | None = None  # (latitude, longitude) for GEO
    description: str = ""  # many lines
    notes: tuple[str, ...] = ()  # one line each, after the description
    url: str = ""  # also the description's last line
    categories: tuple[str, ...] = ()
    sequence: int = 0  # how many times its time, date, place or status changed
    cancelled: bool = False  # STATUS:CANCELLED rather than CONFIRMED


def uid(name: str) -> str:
    """A UID unique to this site: `name` at the host of SITE_URL."""
    host = urlsplit(settings.SITE_URL).hostname or "nightout"
    return f"{name}@{host}"


def _moment(at: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """`at` as written: in `zone`, unless its local time occurs twice (the hour a clock goes
    back): RFC 5545 reads such a time as its first pass and ical.js as its second, so it is
    written in UTC, which every reader reads alike."""
    local = at.astimezone(zone)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return at.astimezone(dt.UTC)
    return local


def _vevent(entry: Entry, stamp: dt.datetime) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", entry.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", min(entry.changed_at.astimezone(dt.UTC), stamp))
    vevent.add("sequence", entry.sequence)
    vevent.add("dtstart", _moment(entry.starts_at, entry.zone))
    vevent.add("dtend", _moment(entry.ends_at, entry.zone))
    vevent.add("summary", calendar_text(entry.summary, single_line=True))
    lines = [calendar_text(entry.description)] if entry.description else []
    lines += [calendar_text(note, single_line=True) for note in entry.notes]
    if entry.url:
        lines.append(entry.url)
    if lines:
        vevent.add("description", "\n".join(lines))
    if entry.location is not None:
        vevent.add("location", calendar_text(entry.location, single_line=True))
    if entry.point is not None:
        vevent["geo"] = vGeo(entry.point)
    if entry.url:
        vevent.add("url", entry.url)
    vevent.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    names = [calendar_text(name, single_line=True) for name in entry.categories]
    if names:
        vevent.add("categories", names)
    return vevent


def calendar_bytes(entries: Iterable[Entry], *, name: str, product: str,
                   feed: bool = False, stamp: dt.datetime | None = None) -> bytes:
    """The VCALENDAR of `entries`, named `name`, with a VTIMEZONE for each zone they use
    (covering only the years they need). `product` names the writer in PRODID; a `feed` is
    a calendar clients subscribe to, and says how often to read it again. `stamp`, the
    entries' DTSTAMP, is when the file is made: now unless given."""
    # To the second, as DTSTAMP is written; no entry's last change is later.
    stamp = (stamp or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", f"-//nightout//{product}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # A text value, escaped as one: written raw, "Agawam, MA" read as "Agawam" in vobject.
    calendar.add("x-wr-calname", vText(calendar_text(name, single_line=True)))
    zones, years = set(), set()
    for entry in entries:
        zones.add(entry.zone.key)
        years.add(entry.starts_at.astimezone(entry.zone).year)
        calendar.add_component(_vevent(entry, stamp))
    if len(zones) == 1:
        calendar.add("x-wr-timezone", zones.pop())
    if feed:
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT6H")
    if years:
        # Only the years the events need: a short VTIMEZONE that every reader takes
        # (vobject misreads the 1970-2038 one icalendar writes by default).
        calendar.add_missing_timezones(first_date=dt.date(min(years) - 1, 1, 1),
                                       last_date=dt.date(max(years) + 2, 1, 1))
    return calendar.to_ical()
