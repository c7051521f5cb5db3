"""The finder's calendars as the calendars that hold them see them: the same UID with a
higher SEQUENCE and a later LAST-MODIFIED when a party's time, place or status changes, a
cancelled party kept as cancelled, DTSTAMP when the file is made, and calendars of a search
(a town, a ZIP code, near a point) that list what the finder lists, with `webcal:` links.
Every file is read by every reader (`tests.calendar_readers.READERS`)."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from nightout.finder.forms import SearchForm
from nightout.finder.selectors import search_choices, search_results
from nightout.registry.actors import Actor
from nightout.registry.models import Event
from nightout.registry.services import (
    event_cancel,
    event_change_accept,
    event_update,
)
from tests.calendar_readers import READERS

pytestmark = pytest.mark.django_db


@pytest.fixture(params=sorted(READERS))
def reader(request):
    return READERS[request.param]


def vevents(body: bytes) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def season_file(client, season) -> bytes:
    return client.get(reverse("finder:season_ics", args=[season.slug])).content


def test_a_new_time_keeps_the_uid_and_raises_sequence_and_last_modified_for_every_reader(
        client, season, publish, event_input, coordinator, reader):
    party = publish(title="Elm Street Block Party")
    an_hour_ago = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    Event.objects.filter(pk=party.pk).update(updated_at=an_hour_ago)
    before = {e["uid"]: e for e in reader(season_file(client, season))}
    [uid] = before
    assert vevents(season_file(client, season))[uid].decoded("last-modified") == an_hour_ago
    event_update(event=party, data=event_input(starts=dt.time(18), ends=dt.time(21)),
                 actor=Actor.of(coordinator))
    after = {e["uid"]: e for e in reader(season_file(client, season))}
    assert list(after) == [uid]
    assert after[uid]["sequence"] > before[uid]["sequence"]
    assert after[uid]["start"] == before[uid]["start"] + dt.timedelta(hours=1)
    assert after[uid]["end"] == dt.datetime(2017, 8, 2, 1, tzinfo=dt.UTC)  # 9 pm in Agawam
    assert vevents(season_file(client, season))[uid].decoded("last-modified") > an_hour_ago


def test_a_new_title_alone_does_not_raise_the_sequence(client, season, publish, event_input,
                                                       coordinator):
    party = publish()
    [before] = vevents(season_file(client, season)).values()
    event_update(event=party, data=event_input(title="Renamed party"),
                 actor=Actor.of(coordinator))
    [after] = vevents(season_file(client, season)).values()
    assert str(after["summary"]) == "Renamed party"
    assert after.decoded("sequence") == before.decoded("sequence")


def test_a_private_homes_new_house_number_on_the_same_block_moves_nothing_public(
        client, season, publish, event_input, coordinator):
    """The hidden address changed, the public block and point did not: a higher SEQUENCE or a
    later LAST-MODIFIED would tell the public that the exact spot moved."""
    party = publish()
    assert party.is_private_home and not party.show_exact_location
    [before] = vevents(season_file(client, season)).values()
    event_update(event=party, data=event_input(address="128 Elm Street, Agawam, MA"),
                 actor=Actor.of(coordinator))
    party.refresh_from_db()
    assert party.address.startswith("128")
    [after] = vevents(season_file(client, season)).values()
    assert str(after["location"]) == str(before["location"])
    assert after.decoded("sequence") == before.decoded("sequence")


def test_a_hosts_new_place_raises_the_sequence_only_once_the_coordinator_accepts_it(
        client, season, publish, event_input, coordinator):
    party = publish(address="120 Elm Street, Agawam, MA", is_private_home=False,
                    show_exact_location=True)
    [before] = vevents(season_file(client, season)).values()
    event_update(event=party, actor=Actor.host(party), data=event_input(
        address="300 Main Street, Agawam, MA", latitude=42.0711, longitude=-72.6201,
        is_private_home=False, show_exact_location=True))
    [waiting] = vevents(season_file(client, season)).values()
    assert waiting.decoded("sequence") == before.decoded("sequence")
    assert "120 Elm Street" in str(waiting["location"])
    party.refresh_from_db()
    event_change_accept(event=party, user=coordinator, version=party.pending_change.version)
    [accepted] = vevents(season_file(client, season)).values()
    assert accepted.decoded("sequence") == before.decoded("sequence") + 1
    assert "300 Main Street" in str(accepted["location"])


def test_a_cancelled_party_stays_in_the_calendars_as_cancelled_for_every_reader(
        client, season, publish, reader):
    party = publish(title="Rained out")
    publish(title="Still on", address="200 Elm Street, Agawam, MA")
    never_public = publish(title="Never approved", address="300 Elm Street, Agawam, MA",
                           approve=False)
    [sequence] = [e["sequence"] for e in reader(season_file(client, season))
                  if e["uid"].startswith(f"event-{party.pk}@")]
    event_cancel(event=party, actor=Actor.host(party), reason="Rain")
    event_cancel(event=never_public, actor=Actor.host(never_public), reason="Moved away")
    for url in (reverse("finder:season_ics", args=[season.slug]),
                reverse("finder:town_ics", args=[season.jurisdiction.slug]),
                reverse("finder:search_ics") + "?when=all"):
        body = client.get(url).content
        read = {e["uid"].split("@")[0]: e for e in reader(body)}
        assert sorted(read) == sorted([f"event-{party.pk}", f"event-{party.pk + 1}"])
        assert read[f"event-{party.pk}"]["status"] == "CANCELLED"
        assert read[f"event-{party.pk}"]["sequence"] == sequence + 1
        assert read[f"event-{party.pk + 1}"]["status"] == "CONFIRMED"
        assert b"Never approved" not in body
    assert client.get(reverse("finder:event_ics", args=[party.pk])).status_code == 404


def test_dtstamp_is_when_the_file_is_made_and_last_modified_the_partys_last_change(
        client, season, publish):
    party = publish()
    made_from = timezone.now().replace(microsecond=0)
    [vevent] = vevents(season_file(client, season)).values()
    assert made_from <= vevent.decoded("dtstamp") <= timezone.now()
    party.refresh_from_db()
    assert vevent.decoded("last-modified") == party.updated_at.replace(microsecond=0)
    assert vevent.decoded("last-modified") <= vevent.decoded("dtstamp")


# --- calendars of a search ------------------------------------------------------------


@pytest.fixture
def around_town(publish):
    """Three public parties in Agawam: two in ZIP 01001 near Robinson Park (one at a private
    home), one at a private home in ZIP 01030, five kilometres north."""
    return {
        "park": publish(title="Park party", venue="Robinson Park",
                        address="1 Robinson Park Road, Agawam, MA", latitude=42.0655,
                        longitude=-72.6300, is_private_home=False, show_exact_location=True),
        "near": publish(title="Near party", address="130 Elm Street, Agawam, MA",
                        latitude=42.0660, longitude=-72.6290),
        "far": publish(title="Far party", address="900 North Street, Agawam, MA",
                       postal_code="01030", latitude=42.1100, longitude=-72.6300),
    }


def finder_lists(params: dict) -> list[int]:
    query = SearchForm(params, choices=search_choices()).query()
    return [pk for pk, _ in search_results(query=query, per_page=1000).page.object_list]


@pytest.mark.parametrize(("params", "expected"), [
    ({"town": "agawam", "when": "all"}, {"park", "near", "far"}),
    ({"q": "01001", "when": "all"}, {"park", "near"}),
    ({"near": "42.066,-72.630", "radius": "1", "when": "all"}, {"park", "near"}),
    ({"q": "Far party", "when": "all"}, {"far"}),
])
def test_a_calendar_of_a_search_lists_what_the_finder_lists(client, around_town, params,
                                                             expected, reader):
    response = client.get(reverse("finder:search_ics"), params)
    assert response["Content-Type"].startswith("text/calendar")
    read = [int(e["uid"].split("@")[0].removeprefix("event-")) for e in reader(response.content)]
    assert set(read) == {around_town[name].pk for name in expected}
    assert read == finder_lists(params)  # in the finder's order: nearest first near a point


def test_a_calendar_of_a_search_says_what_was_searched_for_in_its_name(client, around_town):
    body = client.get(reverse("finder:search_ics"), {"town": "agawam", "when": "all"}).content
    assert b"X-WR-CALNAME:National Night Out: Agawam\\, MA\r\n" in body  # a text value
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in body


def test_a_calendar_of_a_search_shows_no_private_home_nor_host(client, around_town):
    body = client.get(reverse("finder:search_ics"), {"q": "01001", "when": "all"}).content
    text = icalendar.Calendar.from_ical(body).to_ical().decode()
    assert "130 Elm Street" not in text.replace("\r\n ", "")
    assert "Hidden Host" not in text and "secret@example.org" not in text and "413-555" not in text
    near = next(e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")
                if str(e["summary"]) == "Near party")
    event = Event.objects.get(title="Near party")
    assert (near["geo"].latitude, near["geo"].longitude) != (event.latitude, event.longitude)


def test_the_finder_offers_a_webcal_subscription_to_the_current_search(client, around_town):
    page = client.get(reverse("finder:search"), {"q": "01001", "when": "all"}).content.decode()
    assert 'href="webcal://testserver/feeds/events.ics?q=01001&amp;when=all"' in page
    assert 'href="http://testserver/feeds/events.ics?q=01001&amp;when=all"' in page
    live = client.get(reverse("finder:search"), {"town": "agawam"},
                      headers={"HX-Request": "true"}).content.decode()
    assert 'href="webcal://testserver/feeds/events.ics?town=agawam"' in live


def test_the_widget_subscribes_to_its_towns_calendar_by_webcal(client, around_town, season):
    town = season.jurisdiction.slug
    page = client.get(reverse("finder:widget", args=[town])).content.decode()
    assert f'href="webcal://testserver/feeds/towns/{town}.ics"' in page
