"""The one iCalendar writer: a unit's itinerary and the finder's files alike carry the town's
VTIMEZONE and their times in the town's zone, read back alike by icalendar and vobject."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
import vobject
from django.urls import reverse

from nightout import calendars
from nightout.registry.models import Event, Jurisdiction, Season
from nightout.visits.calendar import unit_calendar
from nightout.visits.models import Stop, Unit
from tests.calendar_readers import read_with_icalendar, read_with_vobject

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
PHOENIX = zoneinfo.ZoneInfo("America/Phoenix")


def a_unit_calendar(time_zone: str, start: dt.datetime, *, stops: int = 1) -> bytes:
    """A unit's calendar in a town of `time_zone`, in memory: stops 30 minutes apart from
    `start`, each 20 minutes long."""
    town = Jurisdiction(name="Agawam", state="MA", slug="agawam", time_zone=time_zone)
    season = Season(jurisdiction=town, year=start.year, slug=f"agawam-{start.year}")
    made = []
    for n in range(stops):
        event = Event(pk=7 + n, title=f"Party {n}", address=f"{12 + n} Elm Street",
                      latitude=42.07, longitude=-72.61)
        at = start + dt.timedelta(minutes=30 * n)
        made.append(Stop(version_id=1, event=event, kind="police", order=n + 1, arrival=at,
                         start=at, departure=at + dt.timedelta(minutes=20)))
    return unit_calendar(season, Unit(name="Car 1"), made)


@pytest.mark.parametrize(("time_zone", "local_hour"), [
    ("America/New_York", 17), ("America/Chicago", 16), ("America/Phoenix", 14)])
def test_a_units_calendar_carries_the_towns_time_zone_and_its_times_in_it(time_zone,
                                                                          local_hour):
    start = dt.datetime(2017, 8, 1, 21, 0, tzinfo=dt.UTC)  # 5 pm in Agawam
    body = a_unit_calendar(time_zone, start, stops=2)
    zone = zoneinfo.ZoneInfo(time_zone)
    first, second = read_with_icalendar(body), read_with_vobject(body)
    assert len(first) == len(second) == 2
    for (start_a, end_a, zone_a, _), (start_b, end_b, zone_b, _) in zip(first, second,
                                                                        strict=True):
        assert start_a == start_b and end_a == end_b
        assert zone_a == zone_b == time_zone
        assert start_a.astimezone(zone).utcoffset() == start_b.utcoffset()
    assert first[0][0].astimezone(zone).hour == local_hour
    assert first[0][0] == start and first[1][0] == start + dt.timedelta(minutes=30)
    assert f"DTSTART;TZID={time_zone}:20170801T{local_hour}0000".encode() in body
    [vtimezone] = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    assert str(vtimezone["tzid"]) == time_zone
    assert vobject.readOne(body.decode()).x_wr_timezone.value == time_zone


def test_a_units_calendar_says_when_to_arrive_in_the_towns_zone_and_where():
    body = a_unit_calendar("America/New_York", dt.datetime(2017, 8, 1, 21, 5, tzinfo=dt.UTC))
    [vevent] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(vevent["summary"]) == "1. Party 0"
    assert str(vevent["location"]) == "12 Elm Street"
    assert str(vevent["description"]) == "Arrive 17:05, Police officers visit."
    assert (vevent["geo"].latitude, vevent["geo"].longitude) == (42.07, -72.61)
    assert vevent.decoded("dtstamp") == dt.datetime(2017, 8, 1, 21, 5, tzinfo=dt.UTC)
    assert b"DTSTAMP:20170801T210500Z" in body  # in UTC, as RFC 5545 requires


@pytest.mark.django_db
def test_the_finders_and_a_units_calendars_are_written_alike(client, park_event, settings):
    settings.SITE_URL = "https://nno.example.org"
    finder = client.get(reverse("finder:event_ics", args=[park_event.pk])).content
    unit = a_unit_calendar("America/New_York", dt.datetime(2017, 8, 1, 21, tzinfo=dt.UTC))
    for body in (finder, unit):
        calendar = icalendar.Calendar.from_ical(body)
        assert (str(calendar["version"]), str(calendar["calscale"]),
                str(calendar["method"])) == ("2.0", "GREGORIAN", "PUBLISH")
        assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]
        [vevent] = calendar.walk("VEVENT")
        assert str(vevent["uid"]).endswith("@nno.example.org")
        assert vevent.decoded("dtstamp").utcoffset() == dt.timedelta(0)
        assert b"BEGIN:VTIMEZONE" in body and b"DTSTART;TZID=America/New_York:" in body


@pytest.fixture
def park_event(publish):
    return publish(title="Robinson Park Night Out", kind="community_event",
                   venue="Robinson Park", address="1 Robinson Park Road, Agawam, MA",
                   latitude=42.0655, longitude=-72.6300, is_private_home=False,
                   show_exact_location=True)


def entry(n: int, zone: zoneinfo.ZoneInfo, start: dt.datetime, **fields) -> calendars.Entry:
    return calendars.Entry(uid=calendars.uid(f"test-{n}"), summary=f"Entry {n}",
                           starts_at=start, ends_at=start + dt.timedelta(hours=1), zone=zone,
                           changed_at=start, **fields)


def test_entries_of_two_zones_get_a_time_zone_block_each_and_no_calendar_zone():
    # 2017, as the other tests: vobject keeps the first VTIMEZONE it reads of a name for the
    # whole process, and each file's block covers only the years its events need.
    start = dt.datetime(2017, 8, 1, 22, tzinfo=dt.UTC)
    body = calendars.calendar_bytes([entry(1, NEW_YORK, start), entry(2, PHOENIX, start)],
                                    name="Two towns", product="test")
    calendar = icalendar.Calendar.from_ical(body)
    assert sorted(str(z["tzid"]) for z in calendar.walk("VTIMEZONE")) == [
        "America/New_York", "America/Phoenix"]
    assert "x-wr-timezone" not in calendar
    read = read_with_vobject(body)
    assert [(s.hour, z) for s, _, z, _ in read] == [(18, "America/New_York"),
                                                    (15, "America/Phoenix")]
    assert [s for s, *_ in read] == [s for s, *_ in read_with_icalendar(body)] == [start] * 2


def test_an_entry_without_a_point_or_a_place_has_no_geo_nor_location():
    body = calendars.calendar_bytes(
        [entry(1, NEW_YORK, dt.datetime(2030, 8, 6, 22, tzinfo=dt.UTC))],
        name="Nowhere", product="test")
    [vevent] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert "geo" not in vevent and "location" not in vevent and "url" not in vevent
    assert "description" not in vevent


def test_a_feed_says_how_often_to_read_it_again_and_a_single_file_does_not():
    one = [entry(1, NEW_YORK, dt.datetime(2030, 8, 6, 22, tzinfo=dt.UTC))]
    feed = icalendar.Calendar.from_ical(
        calendars.calendar_bytes(one, name="Feed", product="test", feed=True))
    single = icalendar.Calendar.from_ical(
        calendars.calendar_bytes(one, name="File", product="test"))
    assert feed.decoded("refresh-interval") == dt.timedelta(hours=6)
    assert "refresh-interval" not in single
    assert str(single["prodid"]) == "-//nightout//test//EN"
