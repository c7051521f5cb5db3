"""The one iCalendar writer: a unit's itinerary and the finder's files alike carry the town's
VTIMEZONE and their times in the town's zone, read back alike by icalendar and vobject."""

import dataclasses
import datetime as dt
import zoneinfo

import icalendar
import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from nightout import calendars
from nightout.registry.models import Event, Jurisdiction, Season
from nightout.visits.calendar import unit_calendar
from nightout.visits.models import Stop, Unit
from tests.calendar_readers import READERS, read_with_icalendar, read_with_vobject

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
PHOENIX = zoneinfo.ZoneInfo("America/Phoenix")


def a_unit_calendar(time_zone: str, start: dt.datetime, *, stops: int = 1) -> bytes:
    """A unit's calendar in a town of `time_zone`, in memory: stops 30 minutes apart from
    `start`, each 20 minutes long."""
    town = Jurisdiction(name="Agawam", state="MA", slug="agawam", time_zone=time_zone)
    season = Season(jurisdiction=town, year=start.year, slug=f"agawam-{start.year}",
                    nno_date=start.date())
    made = []
    for n in range(stops):
        event = Event(pk=7 + n, title=f"Party {n}", address=f"{12 + n} Elm Street",
                      latitude=42.07, longitude=-72.61)
        at = start + dt.timedelta(minutes=30 * n)
        made.append(Stop(version_id=1, event=event, kind="police", order=n + 1, arrival=at,
                         start=at, departure=at + dt.timedelta(minutes=20)))
    return unit_calendar(season, Unit(pk=3, name="Car 1"), made)


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
    made_from = timezone.now().replace(microsecond=0)
    body = a_unit_calendar("America/New_York", dt.datetime(2017, 8, 1, 21, 5, tzinfo=dt.UTC))
    [vevent] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(vevent["summary"]) == "1. Party 0"
    assert str(vevent["location"]) == "12 Elm Street"
    assert str(vevent["description"]) == "Arrive 17:05, Police officers visit."
    assert (vevent["geo"].latitude, vevent["geo"].longitude) == (42.07, -72.61)
    # DTSTAMP is when the file was made (RFC 5545), in UTC; not the stop's time.
    assert made_from <= vevent.decoded("dtstamp") <= timezone.now()
    assert f"DTSTAMP:{vevent.decoded('dtstamp'):%Y%m%dT%H%M%S}Z".encode() in body


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


# Every reader (icalendar, vobject, the standard library, ical.js under node) must read the
# same uid, start, end, sequence and status as written, in UTC.
@pytest.fixture(params=sorted(READERS))
def reader(request):
    return READERS[request.param]


def dst_edge_entries() -> list[calendars.Entry]:
    """Entries about the hours New York's clocks change in 2027: one across the spring
    gap (14 March, 2 am does not exist), and three across the autumn repeat (7 November,
    1 to 2 am happens twice): in its first pass, in its second, and across both."""
    first_pass = dt.datetime(2027, 11, 7, 5, 30, tzinfo=dt.UTC)  # 1:30 am EDT
    second_pass = dt.datetime(2027, 11, 7, 6, 30, tzinfo=dt.UTC)  # 1:30 am EST
    spring = dt.datetime(2027, 3, 14, 6, 30, tzinfo=dt.UTC)  # 1:30 am EST, ends 3:30 EDT
    return [
        calendars.Entry(uid=calendars.uid("spring"), summary="Across the gap",
                        starts_at=spring, ends_at=spring + dt.timedelta(hours=1), zone=NEW_YORK,
                        changed_at=spring, sequence=2),
        calendars.Entry(uid=calendars.uid("first"), summary="First 1:30",
                        starts_at=first_pass, ends_at=first_pass + dt.timedelta(minutes=20),
                        zone=NEW_YORK, changed_at=first_pass),
        calendars.Entry(uid=calendars.uid("second"), summary="Second 1:30",
                        starts_at=second_pass, ends_at=second_pass + dt.timedelta(minutes=20),
                        zone=NEW_YORK, changed_at=second_pass, cancelled=True, sequence=1),
        calendars.Entry(uid=calendars.uid("across"), summary="Across the repeat",
                        starts_at=first_pass - dt.timedelta(hours=1),
                        ends_at=second_pass + dt.timedelta(hours=1), zone=NEW_YORK,
                        changed_at=first_pass),
    ]


def test_every_reader_reads_the_times_written_on_both_edges_of_daylight_saving_time(reader):
    entries = dst_edge_entries()
    body = calendars.calendar_bytes(entries, name="Clocks change", product="test")
    read = reader(body)
    assert [(e["uid"], e["start"], e["end"], e["sequence"], e["status"]) for e in read] == [
        (e.uid, e.starts_at, e.ends_at, e.sequence, "CANCELLED" if e.cancelled else "CONFIRMED")
        for e in entries]


def test_a_local_time_that_happens_twice_is_written_in_utc():
    # Readers differ on which pass a repeated local time means (RFC 5545: the first;
    # ical.js: the second), so neither 1:30 am of 7 November is written as local time.
    body = calendars.calendar_bytes(dst_edge_entries(), name="Clocks change", product="test")
    assert b"DTSTART:20271107T053000Z" in body and b"DTSTART:20271107T063000Z" in body
    assert b"America/New_York:20271107T013000" not in body
    assert b"DTSTART;TZID=America/New_York:20271107T003000" in body  # not repeated: local


def test_every_reader_agrees_on_a_units_calendar_and_reads_its_town_zone(reader):
    start = dt.datetime(2017, 8, 1, 21, 0, tzinfo=dt.UTC)
    body = a_unit_calendar("America/Chicago", start, stops=3)
    read = reader(body)
    assert [e["start"] for e in read] == [start + dt.timedelta(minutes=30 * n) for n in range(3)]
    assert [e["end"] - e["start"] for e in read] == [dt.timedelta(minutes=20)] * 3
    assert [e["uid"] for e in read] == [e["uid"] for e in READERS["icalendar"](body)]


def test_dtstamp_is_when_the_file_is_made_and_last_modified_never_after_it():
    changed = dt.datetime(2027, 6, 1, 12, tzinfo=dt.UTC)
    made = dt.datetime(2027, 5, 1, 12, tzinfo=dt.UTC)  # a change "stored in the future"
    one = calendars.Entry(uid=calendars.uid("a"), summary="A", zone=NEW_YORK, changed_at=changed,
                          starts_at=dt.datetime(2027, 8, 3, 22, tzinfo=dt.UTC),
                          ends_at=dt.datetime(2027, 8, 3, 23, tzinfo=dt.UTC), sequence=4)
    [vevent] = icalendar.Calendar.from_ical(
        calendars.calendar_bytes([one], name="A", product="test", stamp=made)).walk("VEVENT")
    assert vevent.decoded("dtstamp") == made
    assert vevent.decoded("last-modified") == made
    assert vevent.decoded("sequence") == 4
    earlier = dataclasses.replace(one, changed_at=dt.datetime(2027, 4, 2, 8, 15, 30,
                                                              tzinfo=NEW_YORK))
    [vevent] = icalendar.Calendar.from_ical(
        calendars.calendar_bytes([earlier], name="A", product="test", stamp=made)).walk("VEVENT")
    assert vevent.decoded("last-modified") == dt.datetime(2027, 4, 2, 12, 15, 30, tzinfo=dt.UTC)
