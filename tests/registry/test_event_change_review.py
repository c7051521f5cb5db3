"""A host's change to an approved party's public side waits for the coordinator: the approved
version stays public meanwhile, the coordinator sees what changed and accepts or declines it."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nightout.errors import NotAllowed
from nightout.registry.links import manage_url
from nightout.registry.models import Event, EventStatus, PendingChange
from nightout.registry.rules import block_key
from nightout.registry.services import (
    Actor,
    event_change_accept,
    event_change_decline,
    event_update,
)

pytestmark = pytest.mark.django_db
PHISH = "Free prizes at phish.example"


@pytest.fixture
def approved(client, jurisdiction, coordinator):
    """A party registered through the form for a coming season, and approved."""
    from django.core.cache import cache

    from nightout.registry.services import event_approve, season_create
    from tests.registry.test_register_views import form_data

    season = season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030")
    client.post(reverse("registry:register", args=[season.slug]), form_data(
        description="Bring a chair.", venue="Elm Street", is_private_home=None,
        show_exact_location="on", activities=["music"]))
    cache.clear()  # the registration's rate limit
    return event_approve(event=Event.objects.get(), user=coordinator)


def public_text(client, event) -> str:
    urls = [reverse("finder:event", args=[event.pk]), reverse("finder:event_ics", args=[event.pk]),
            reverse("finder:events_atom"), reverse("finder:events_geojson") + "?when=all",
            f"/api/events/{event.pk}", "/?when=all"]
    return "\n".join(client.get(url).content.decode() for url in urls)


def host_edit(client, event, **changes):
    from tests.registry.test_register_views import form_data

    token = manage_url(event).split("/")[2]
    data = form_data(**{"title": event.title, "description": event.description,
                        "venue": event.venue, "address": event.address, "is_private_home": None,
                        "show_exact_location": "on", "activities": ["music"], **changes})
    return client.post(reverse("registry:manage_edit", args=[token]), data)


def test_the_hosts_new_title_waits_and_the_approved_one_stays_public(client, approved,
                                                                      mailoutbox):
    response = host_edit(client, approved, title=PHISH)
    assert response.status_code == 302, response.content.decode()
    page = client.get(response.url).content.decode()
    assert "Your change is waiting for the coordinator" in page and PHISH in page
    event = Event.objects.get(pk=approved.pk)
    assert event.status == EventStatus.APPROVED and event.title == "Elm Street Block Party"
    assert event.pending_change.changes["Title"] == ["Elm Street Block Party", PHISH]
    text = public_text(client, event)
    assert "Elm Street Block Party" in text and "phish.example" not in text
    assert not mailoutbox  # nothing is sent until the coordinator decides


def test_the_coordinator_sees_the_change_and_accepting_it_makes_it_public(
        client, approved, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    response = host_edit(client, approved, title="Elm Street Night Out", starts="18:00",
                         activities=["music", "kids-games"])
    assert response.status_code == 302
    client.force_login(coordinator)
    season = approved.season
    queue = client.get(reverse("registry:queue", args=[season.slug]),
                       {"flag": "change"}).content.decode()
    assert "Elm Street Block Party" in queue and "1 host change to review" in queue
    review = reverse("registry:review_event", args=[season.slug, approved.pk])
    html = client.get(review).content.decode()
    assert "The host&#x27;s change, waiting for you" in html or "change, waiting for you" in html
    for shown in ("Elm Street Night Out", "Title", "Starts", "Activities", "Kids&#x27; games"):
        assert shown in html, shown
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review, {"decision": "accept_change",
                             "version": PendingChange.objects.get().version})
    event = Event.objects.get(pk=approved.pk)
    assert event.title == "Elm Street Night Out" and event.status == EventStatus.APPROVED
    assert event.starts_at.astimezone(season.jurisdiction.zone).time() == dt.time(18)
    assert sorted(a.slug for a in event.activities.all()) == ["kids-games", "music"]
    assert not PendingChange.objects.exists()
    client.logout()
    assert "Elm Street Night Out" in public_text(client, event)
    assert mailoutbox[-1].subject.startswith("Your change is accepted")
    assert event.audit_entries.filter(action="change accepted", actor=coordinator).exists()


def test_declining_keeps_the_approved_version_and_tells_the_host_why(
        client, approved, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    host_edit(client, approved, title=PHISH)
    client.force_login(coordinator)
    review = reverse("registry:review_event", args=[approved.season.slug, approved.pk])
    version = PendingChange.objects.get().version
    client.post(review, {"decision": "decline_change", "reason": "", "version": version})
    assert PendingChange.objects.exists()  # a reason is needed, for the host
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review, {"decision": "decline_change", "reason": "Links are not allowed.",
                             "version": version})
    event = Event.objects.get(pk=approved.pk)
    assert event.title == "Elm Street Block Party" and not PendingChange.objects.exists()
    assert "Links are not allowed." in mailoutbox[-1].body
    with pytest.raises(ValidationError, match="no change waiting"):
        event_change_accept(event=event, user=coordinator, version=version)


def test_a_moved_place_waits_whole_and_the_pin_move_is_shown_in_metres(approved, event_input):
    event_update(event=approved, actor=Actor.host(approved), data=event_input(
        title=approved.title, description="Bring a chair.", activities=["music"],
        venue="Oak Park", address="9 Oak Street, Agawam, MA", latitude=42.0712,
        longitude=-72.6155, is_private_home=False, show_exact_location=True))
    event = Event.objects.get(pk=approved.pk)
    assert (event.address, event.latitude, event.venue) == (
        "120 Elm Street", 42.0702, "Elm Street")
    pending = event.pending_change
    assert pending.values["address"] == "9 Oak Street, Agawam, MA"
    assert pending.values["block_key"] == block_key("9 Oak Street, Agawam, MA") != ""
    assert pending.changes["Pin on the map"] == ["", "moved 111 m"]


def test_what_only_the_town_sees_is_saved_at_once(approved, event_input):
    from nightout.registry.services import HostInput

    event_update(event=approved, actor=Actor.host(approved), data=event_input(
        title=approved.title, description="Bring a chair.", activities=["music"],
        venue="Elm Street", address=approved.address, is_private_home=False,
        show_exact_location=True, expected_attendance=80, visits=["police"],
        host=HostInput(name="Pat Host", email="new@example.org", phone="413-555-0199")))
    event = Event.objects.get(pk=approved.pk)
    assert event.expected_attendance == 80 and event.host_contact.email == "new@example.org"
    assert list(event.visit_requests.values_list("unit_kind", flat=True)) == ["police"]
    assert not PendingChange.objects.exists()


def test_hiding_the_address_takes_effect_at_once_showing_it_waits(publish, event_input):
    shown = publish(title="Open House", is_private_home=True, show_exact_location=True)
    event_update(event=shown, actor=Actor.host(shown),
                 data=event_input(title="Open House", is_private_home=True,
                                  show_exact_location=False))
    event = Event.objects.get(pk=shown.pk)
    assert event.show_exact_location is False and not PendingChange.objects.exists()
    event_update(event=event, actor=Actor.host(event),
                 data=event_input(title="Open House", is_private_home=True,
                                  show_exact_location=True))
    event = Event.objects.get(pk=shown.pk)
    assert event.show_exact_location is False
    assert event.pending_change.changes["Exact address shown"] == ["no", "yes"]


def test_the_hosts_edit_page_goes_on_from_the_change_that_waits(client, approved):
    host_edit(client, approved, title="Elm Street Night Out")
    token = manage_url(approved).split("/")[2]
    html = client.get(reverse("registry:manage_edit", args=[token])).content.decode()
    assert 'value="Elm Street Night Out"' in html
    host_edit(client, approved, title="Elm Street Night Out, again")
    assert PendingChange.objects.get().changes["Title"][1] == "Elm Street Night Out, again"
    # Back to the approved text: nothing waits any more.
    host_edit(client, approved, title="Elm Street Block Party")
    assert not PendingChange.objects.exists()


def test_a_coordinator_or_an_event_not_yet_approved_changes_at_once(publish, event_input,
                                                                   coordinator):
    waiting = publish(title="Not Yet", approve=False, address="300 Elm Street, Agawam, MA")
    event_update(event=waiting, actor=Actor.host(waiting),
                 data=event_input(title="Not Yet, Renamed",
                                  address="300 Elm Street, Agawam, MA"))
    assert Event.objects.get(pk=waiting.pk).title == "Not Yet, Renamed"
    approved = publish(title="Approved", address="400 Elm Street, Agawam, MA")
    event_update(event=approved, data=event_input(title="Renamed by the town",
                                                  address="400 Elm Street, Agawam, MA"),
                 actor=Actor.of(coordinator))
    assert Event.objects.get(pk=approved.pk).title == "Renamed by the town"
    assert not PendingChange.objects.exists()


def test_only_the_towns_coordinator_decides_a_change(approved, event_input, django_user_model):
    event_update(event=approved, actor=Actor.host(approved), data=event_input(title=PHISH))
    stranger = django_user_model.objects.create_user("someone-else", password="pw")
    version = PendingChange.objects.get().version
    with pytest.raises(NotAllowed):
        event_change_accept(event=approved, user=stranger, version=version)
    with pytest.raises(NotAllowed):
        event_change_decline(event=approved, user=stranger, reason="No", version=version)
    assert PendingChange.objects.exists()


def test_the_coordinator_decides_on_the_change_they_saw_not_a_later_one(
        client, approved, coordinator):
    host_edit(client, approved, title="Elm Street Night Out")
    seen = PendingChange.objects.get().version
    host_edit(client, approved, title=PHISH)  # sent after the coordinator opened the page
    with pytest.raises(ValidationError, match="changed this again"):
        event_change_accept(event=approved, user=coordinator, version=seen)
    assert Event.objects.get(pk=approved.pk).title == "Elm Street Block Party"
    client.force_login(coordinator)
    review = reverse("registry:review_event", args=[approved.season.slug, approved.pk])
    html = client.post(review, {"decision": "accept_change", "version": seen},
                       follow=True).content.decode()
    assert "changed this again" in html and PHISH in html
    assert Event.objects.get(pk=approved.pk).title == "Elm Street Block Party"


def test_a_cancelled_or_rejected_party_leaves_no_change_to_decide(client, approved,
                                                                  coordinator):
    from nightout.registry.services import event_cancel

    host_edit(client, approved, title=PHISH)
    version = PendingChange.objects.get().version
    event_cancel(event=approved, actor=Actor.host(approved), reason="Moving away")
    assert not PendingChange.objects.exists()
    with pytest.raises(ValidationError, match="no change waiting"):
        event_change_accept(event=approved, user=coordinator, version=version)
    assert Event.objects.get(pk=approved.pk).title == "Elm Street Block Party"


def test_the_towns_edit_keeps_the_hosts_waiting_change_shown_against_it(
        client, approved, coordinator, event_input):
    host_edit(client, approved, title="Elm Street Night Out")
    base = dict(description="Bring a chair.", activities=["music"], venue="Elm Street",
                address=approved.address, is_private_home=False, show_exact_location=True)
    event_update(event=approved, data=event_input(title="Elm St. Block Party", **base),
                 actor=Actor.of(coordinator))
    pending = PendingChange.objects.get()
    assert pending.changes["Title"] == ["Elm St. Block Party", "Elm Street Night Out"]
    # The town's change makes the host's moot: nothing waits any more.
    event_update(event=approved, data=event_input(title="Elm Street Night Out", **base),
                 actor=Actor.of(coordinator))
    assert not PendingChange.objects.exists()


def test_a_change_the_public_does_not_see_leaves_the_feeds_and_calendars_as_they_were(
        client, approved):
    urls = [reverse("finder:event_ics", args=[approved.pk]), reverse("finder:events_atom"),
            reverse("finder:season_ics", args=[approved.season.slug])]
    def public(url: str) -> bytes:
        # Everything but when the file was made (DTSTAMP, the second it is asked for).
        return re.sub(rb"DTSTAMP:\d{8}T\d{6}Z\r\n", b"", client.get(url).content)

    before = [public(url) for url in urls]
    response = host_edit(client, approved, title=PHISH, expected_attendance="80",
                         host_phone="413-555-0111")
    assert response.status_code == 302
    event = Event.objects.get(pk=approved.pk)
    assert event.expected_attendance == 80 and PendingChange.objects.exists()
    from django.core.cache import cache
    cache.clear()
    assert [public(url) for url in urls] == before
