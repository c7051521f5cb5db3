"""A coordinator's own registrations: a party phoned or walked in, entered on the coordinator's
screen under the public form's rules; any registration changed, the history recording it; a
rejected or cancelled one reopened."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse

from nightout.errors import NotAllowed
from nightout.registry.models import AuditEntry, Event, EventStatus
from nightout.registry.services import (
    NEW_HOST,
    NOT_REOPENABLE,
    Actor,
    event_approve,
    event_cancel,
    event_register,
    event_reject,
    event_reopen,
    season_create,
)
from nightout.registry.services.events import HOST_NAME_NEEDED, HOST_UNREACHABLE


def test_the_service_names_a_missing_host_and_a_host_who_cannot_be_reached(upcoming,
                                                                            event_input):
    from nightout.registry.services import HostInput, registration_check

    data = event_input(host=HostInput(name=" ", email="", phone=""))
    with pytest.raises(Exception) as refused:
        registration_check(season=upcoming, data=data, at=upcoming.starts_at, source="phone")
    assert refused.value.message_dict["host_name"] == [HOST_NAME_NEEDED]
    assert refused.value.message_dict["host_email"] == [HOST_UNREACHABLE]

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(jurisdiction):
    return season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030")


@pytest.fixture
def signed_in(client, upcoming):
    from nightout.accounts.models import Membership, Role, User

    user = User.objects.create_user("casey", password="pw")
    Membership.objects.create(user=user, role=Role.COORDINATOR, jurisdiction=upcoming.jurisdiction)
    client.force_login(user)
    return user


def form_data(**overrides):
    data = {
        "received": "phone", "title": "Maple Court Cookout", "kind": "block_party",
        "address": "120 Elm Street", "postal_code": "01001", "latitude": "42.0702",
        "longitude": "-72.6155", "is_private_home": "on", "starts": "17:00", "ends": "20:30",
        "host_name": "Dolores Ruiz", "host_email": "", "host_phone": "413-555-0142",
        "coordinator_notes": "Called Tuesday; no email.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_party_phoned_in_is_entered_recorded_as_the_coordinators_and_waits_in_the_queue(
        client, upcoming, signed_in, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:review_event_new", args=[upcoming.slug]),
                               form_data())
    event = Event.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("registry:review_event", args=[upcoming.slug, event.pk])
    assert event.status == EventStatus.SUBMITTED and event.source == "phone"
    assert event.coordinator_notes == "Called Tuesday; no email."
    entry = AuditEntry.objects.get(event=event)
    assert entry.actor == signed_in and entry.action == "registered"
    assert mailoutbox == []  # no email given: nothing to send the link to
    page = client.get(response.url).content.decode()
    assert "Source: phoned in" in page and "waits in the queue" in page


def test_a_host_with_an_email_is_sent_the_private_link(
        client, upcoming, signed_in, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:review_event_new", args=[upcoming.slug]),
                    form_data(host_email="dolores@example.org", received="walk-in"))
    [mail] = mailoutbox
    assert mail.to == ["dolores@example.org"] and "/manage/" in mail.body
    assert Event.objects.get().source == "walk-in"


def test_every_mistake_is_said_at_once_and_nothing_is_written(client, upcoming, signed_in):
    response = client.post(reverse("registry:review_event_new", args=[upcoming.slug]),
                           form_data(host_name="", host_phone="", ends="16:00",
                                     latitude="44.97", longitude="-93.26"))
    html = unescape(response.content.decode())
    assert response.status_code == 400 and not Event.objects.exists()
    assert "This field is required." in html  # the host's name
    assert HOST_UNREACHABLE in html
    assert "The event must end after it starts." in html
    assert "This spot is outside Agawam." in html
    assert 'value="Maple Court Cookout"' in html  # what was typed is kept


def test_past_the_deadline_it_is_refused_unless_the_coordinator_says_to_record_it(
        client, upcoming, signed_in):
    upcoming.registration_deadline = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    upcoming.save()
    url = reverse("registry:review_event_new", args=[upcoming.slug])
    refused = client.post(url, form_data())
    assert refused.status_code == 400 and not Event.objects.exists()
    assert "closed" in refused.content.decode()
    recorded = client.post(url, form_data(past_deadlines="on"))
    assert recorded.status_code == 302 and Event.objects.get().source == "phone"


def test_only_the_towns_coordinators_may_enter_a_party_for_its_host(upcoming, event_input):
    data = event_input(starts=dt.time(17), ends=dt.time(20))
    with pytest.raises(NotAllowed):
        event_register(season=upcoming, data=data, actor=NEW_HOST, source="phone")


def test_the_coordinator_changes_any_field_and_the_history_says_what(
        client, upcoming, signed_in, event_input):
    event = event_register(season=upcoming, data=event_input(), actor=Actor.of(signed_in),
                           source="phone")
    event_approve(event=event, user=signed_in)
    url = reverse("registry:review_event_edit", args=[upcoming.slug, event.pk])
    form = client.get(url)
    assert form.status_code == 200 and 'value="Elm Street Block Party"' in form.content.decode()
    response = client.post(url, form_data(title="Elm Street Night Out", host_name="Pat Host",
                                          host_email="pat@example.org", received=None))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Elm Street Night Out" and event.status == EventStatus.APPROVED
    page = client.get(response.url).content.decode()
    assert "Saved your changes" in page
    assert "Title: Elm Street Block Party → Elm Street Night Out" in page


def test_a_cancelled_registration_is_reopened_before_it_is_changed(
        client, upcoming, signed_in, event_input):
    event = event_register(season=upcoming, data=event_input(), actor=Actor.of(signed_in),
                           source="phone")
    event_approve(event=event, user=signed_in)
    event_cancel(event=event, actor=Actor.host(event), reason="Moving away")
    edit = client.get(reverse("registry:review_event_edit", args=[upcoming.slug, event.pk]))
    assert edit.status_code == 302
    review = reverse("registry:review_event", args=[upcoming.slug, event.pk])
    assert "reopen it first" in client.get(review).content.decode()
    client.post(review, {"decision": "reopen"})
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED and not event.cancelled_in_public
    entry = AuditEntry.objects.filter(event=event).latest("pk")
    assert entry.action == "reopened" and entry.changes == {"status": ["cancelled", "submitted"]}
    page = client.get(review).content.decode()
    assert "Status: cancelled → submitted" in page


def test_a_rejected_registration_is_reopened_and_an_open_one_is_not(upcoming, signed_in,
                                                                    event_input):
    event = event_register(season=upcoming, data=event_input(), actor=Actor.of(signed_in),
                           source="phone")
    with pytest.raises(Exception, match="rejected or cancelled"):
        event_reopen(event=event, user=signed_in)
    assert "submitted" in NOT_REOPENABLE.format(status="submitted")
    event_reject(event=event, user=signed_in, reason="Duplicate of Maple Court")
    event = event_reopen(event=event, user=signed_in)
    assert event.status == EventStatus.SUBMITTED and event.status_reason == ""
