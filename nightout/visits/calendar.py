"""A unit's itinerary as an iCalendar file (RFC 5545): one event per stop."""

from icalendar import Calendar, vText
from icalendar import Event as CalendarEvent

from nightout.registry.models import Season
from nightout.text import calendar_text
from nightout.visits.models import Stop, Unit


def unit_calendar(season: Season, unit: Unit, stops: list[Stop]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//nightout//visits//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", vText(calendar_text(f"{unit.name} — {season}", single_line=True)))
    for stop in stops:
        item = CalendarEvent()
        item.add("uid", f"stop-{stop.version_id}-{stop.event_id}-{stop.kind}@nightout")
        item.add("summary", calendar_text(f"{stop.order}. {stop.event.title}", single_line=True))
        item.add("dtstart", stop.start.astimezone(season.jurisdiction.zone))
        item.add("dtend", stop.departure.astimezone(season.jurisdiction.zone))
        item.add("dtstamp", stop.start)
        item.add("location", calendar_text(stop.event.address, single_line=True))
        item.add("geo", (stop.event.latitude, stop.event.longitude))
        item.add("description", f"Arrive {stop.arrival.astimezone(season.jurisdiction.zone):%H:%M}"
                                f", {stop.get_kind_display()} visit.")
        cal.add_component(item)
    return cal.to_ical()
