"""Moving a party to its rain date from a page: the coordinator's event page and the host's
private page offer it only when it applies, a confirmation says what will happen (the new
day and hours on the town's clock, what the public sees, the visits that stay), and only a
POST moves it."""

import datetime as dt

import pytest
from django.urls import resolve, reverse

from nightout.accounts.models import Membership, Role, User
from nightout.registry.actors import Actor
from nightout.registry.links import manage_url
from nightout.registry.models import Event, EventStatus, Jurisdiction
from nightout.registry.services import (
    event_approve,
    event_cancel,
    event_move_to_rain_date,
    event_register,
    event_reject,
    season_create,
)

pytestmark = pytest.mark.django_db

NEW_HOURS = "Wednesday 7 August 2030, 5:00 PM – 8:30 PM EDT"


@pytest.fixture
def upcoming(jurisdiction):
    """Agawam's 2030 night (Tuesday 6 August), rain date the next day: the host's link
    still works."""
    season = season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030")
    season.rain_date_rule = "next_day"
    season.save(update_fields=["rain_date_rule"])
    assert season.nno_date == dt.date(2030, 8, 6)
    return season


@pytest.fixture
def party(upcoming, event_input, coordinator):
    """An approved party, 5 PM to 8:30 PM, with the next day as its rain date."""
    event = event_register(season=upcoming, data=event_input())
    return event_approve(event=event, user=coordinator)


def review_url(event):
    return reverse("registry:review_event", args=[event.season.slug, event.pk])


def confirm_url(event):
    return reverse("registry:review_rain_date", args=[event.season.slug, event.pk])


def host_confirm_url(event):
    return manage_url(event) + "rain-date/"


def offers_host_move(html: str) -> bool:
    """Whether a host's page links to the move (a private link's signature carries the
    second it was made, so the link itself is not compared)."""
    return "/rain-date/" in html and "Move it to the rain date" in html


def test_the_coordinators_confirmation_shows_the_new_day_and_hours_and_moves_nothing(
        client, coordinator, party):
    client.force_login(coordinator)
    page = client.get(review_url(party)).content.decode()
    assert confirm_url(party) in page
    response = client.get(confirm_url(party))
    html = response.content.decode()
    assert response.status_code == 200
    assert NEW_HOURS in html
    assert "Tuesday 6 August 2030, 5:00 PM – 8:30 PM EDT" in html  # where it is now
    assert "Its public page says it was moved to its rain date from Tuesday 6 August" in html
    assert "No visit is planned at this party in a locked visit plan." in html
    assert "never on a rain date" in html
    party.refresh_from_db()
    assert party.rescheduled_from is None and party.starts_at.date() == dt.date(2030, 8, 6)


def test_the_coordinators_post_moves_it_tells_them_and_emails_the_host(
        client, coordinator, party, upcoming, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url(party), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == review_url(party)
    assert "to its rain date, Wednesday 7 August 2030; the host is emailed" in html
    party.refresh_from_db()
    zone = upcoming.jurisdiction.zone
    assert party.starts_at == dt.datetime(2030, 8, 7, 17, tzinfo=zone)
    assert party.ends_at == dt.datetime(2030, 8, 7, 20, 30, tzinfo=zone)
    assert party.rescheduled_from == dt.datetime(2030, 8, 6, 17, tzinfo=zone)
    assert party.audit_entries.filter(action="moved to rain date").exists()
    [mail] = [m for m in mailoutbox if m.subject.startswith("Moved to its rain date")]
    assert mail.to == ["pat@example.org"]
    assert "Wednesday 7 August 2030, 5:00 PM to 8:30 PM" in mail.body
    assert "instead of Tuesday 6 August 2030" in mail.body
    # Moved once, the page offers it no more.
    assert confirm_url(party) not in client.get(review_url(party)).content.decode()


def test_the_host_confirms_on_the_private_page_and_is_not_emailed_their_own_move(
        client, party, upcoming, mailoutbox, django_capture_on_commit_callbacks):
    assert offers_host_move(client.get(manage_url(party)).content.decode())
    html = client.get(host_confirm_url(party)).content.decode()
    assert NEW_HOURS in html
    assert "ask the coordinator whether anyone can visit on Wednesday 7 August" in html
    assert Event.objects.get(pk=party.pk).rescheduled_from is None
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(host_confirm_url(party), follow=True)
    html = response.content.decode()
    assert resolve(response.redirect_chain[-1][0]).url_name == "manage"
    assert "Your event is moved to its rain date, Wednesday 7 August 2030." in html
    assert "Wednesday 7 August 2030, 5:00 PM" in html  # the page's "When"
    assert not offers_host_move(html)
    party.refresh_from_db()
    assert party.starts_at == dt.datetime(2030, 8, 7, 17, tzinfo=upcoming.jurisdiction.zone)
    assert len(mailoutbox) == sent
    assert party.audit_entries.get(action="moved to rain date").actor_label == "host"


def test_another_towns_coordinator_and_a_visitor_are_refused(client, party):
    springfield = Jurisdiction.objects.create(name="Springfield", slug="springfield",
                                              state="MA", center_latitude=42.1,
                                              center_longitude=-72.59)
    season_create(jurisdiction=springfield, year=2030, slug="springfield-2030")
    stranger = User.objects.create_user("sam", password="pw")
    Membership.objects.create(user=stranger, role=Role.COORDINATOR, jurisdiction=springfield)
    anonymous = client.post(confirm_url(party))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    client.force_login(stranger)
    assert client.get(confirm_url(party)).status_code == 403
    assert client.post(confirm_url(party)).status_code == 403
    client.logout()
    broken = manage_url(party)[:-4] + "xyz/rain-date/"
    assert client.post(broken).status_code == 404
    party.refresh_from_db()
    assert party.rescheduled_from is None and party.starts_at.date() == dt.date(2030, 8, 6)


def test_the_button_is_absent_where_the_move_does_not_apply(
        client, coordinator, upcoming, event_input):
    dry = event_register(season=upcoming, data=event_input(
        rain_date_declined=True, address="300 Elm Street, Agawam, MA"))
    rejected = event_register(season=upcoming, data=event_input(
        address="500 Elm Street, Agawam, MA"))
    event_reject(event=rejected, user=coordinator, reason="Not in town")
    cancelled = event_register(season=upcoming, data=event_input(
        address="700 Elm Street, Agawam, MA"))
    event_cancel(event=cancelled, actor=Actor.host(cancelled))
    moved = event_register(season=upcoming, data=event_input(
        address="900 Elm Street, Agawam, MA"))
    moved = event_move_to_rain_date(event=moved, actor=Actor.host(moved))
    client.force_login(coordinator)
    for event in (dry, rejected, cancelled, moved):
        assert confirm_url(event) not in client.get(review_url(event)).content.decode()
        assert not offers_host_move(client.get(manage_url(event)).content.decode())
    # Asked for anyway, the pages say why and nothing moves.
    html = client.post(confirm_url(dry), follow=True).content.decode()
    assert "This event has no rain date to move to." in html
    html = client.get(host_confirm_url(cancelled), follow=True).content.decode()
    assert "Only a submitted or approved event can move to its rain date." in html
    html = client.post(host_confirm_url(moved), follow=True).content.decode()
    assert "This event is already on its rain date." in html
    for event in (dry, rejected, cancelled):
        event.refresh_from_db()
        assert event.rescheduled_from is None
    again = Event.objects.get(pk=moved.pk)
    assert (again.starts_at, again.sequence) == (moved.starts_at, moved.sequence)


def test_a_submitted_party_may_move_too(client, coordinator, upcoming, event_input):
    waiting = event_register(season=upcoming, data=event_input())
    assert waiting.status == EventStatus.SUBMITTED
    client.force_login(coordinator)
    assert confirm_url(waiting) in client.get(review_url(waiting)).content.decode()
    assert offers_host_move(client.get(manage_url(waiting)).content.decode())


def test_calendars_and_feeds_say_it_was_moved(client, party):
    import xml.etree.ElementTree as ET

    import icalendar

    event_move_to_rain_date(event=party, actor=Actor.host(party))
    body = client.get(reverse("finder:event_ics", args=[party.pk])).content
    [entry] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(entry["DESCRIPTION"]).startswith(
        "Moved to its rain date from Tuesday 6 August 2030.")
    assert entry.decoded("DTSTART").date() == dt.date(2030, 8, 7)
    atom = ET.fromstring(client.get(reverse("finder:events_atom")).content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    [summary] = [e.find("a:summary", ns).text for e in atom.findall("a:entry", ns)]
    assert summary.startswith("Moved to its rain date from Tuesday 6 August 2030: "
                              "Wednesday 7 August 2030, 5:00 PM to 8:30 PM")


def test_calendars_do_not_say_moved_before_a_move(client, party):
    import icalendar

    body = client.get(reverse("finder:event_ics", args=[party.pk])).content
    [entry] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert "Moved to its rain date" not in str(entry.get("DESCRIPTION", ""))
