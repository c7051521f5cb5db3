"""A host's registration through the service: what it writes, what it flags, what it sends."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nightout.registry.links import event_from_token
from nightout.registry.models import (
    AuditEntry,
    Event,
    EventStatus,
    HostContact,
    LocationPrecision,
    VisitRequest,
)
from nightout.registry.services import (
    Actor,
    ClosureInput,
    HostInput,
    event_cancel,
    event_register,
    event_renew,
    event_update,
)

pytestmark = pytest.mark.django_db


def test_register_writes_the_event_its_host_requests_and_closure(
        season, event_input, at, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = event_register(season=season, data=event_input(
            visits=["police", "fire"], activities=["music", "free-food"],
            closure=ClosureInput(street="Elm Street", blocks=2),
        ), submitted_at=at(7, 1))
    assert event.status == EventStatus.SUBMITTED
    assert event.host_contact.email == "pat@example.org"
    assert set(event.visit_requests.values_list("unit_kind", flat=True)) == {"police", "fire"}
    closure = event.closures.get()
    assert (closure.blocks, closure.barricades, closure.fee) == (2, 4, 0)
    assert event.block_key == "100 elm st"
    assert AuditEntry.objects.get(event=event).action == "registered"
    [mail] = mailoutbox
    assert mail.to == ["pat@example.org"]
    assert "Tuesday 1 August 2017, 5:00 PM" in mail.body  # in Agawam's zone, not UTC
    link = next(line for line in mail.body.splitlines() if "/manage/" in line)
    token = link.rsplit("/manage/", 1)[1].strip("/")
    assert event_from_token(token, now=event.submitted_at) == event


def test_bad_input_writes_nothing(season, event_input, at):
    with pytest.raises(ValidationError) as caught:
        event_register(season=season, data=event_input(
            title="x" * 500, host=HostInput(name="", email="not-an-email"),
            visits=["police"], ends=dt.time(16),
        ), submitted_at=at(7, 1))
    errors = caught.value.message_dict
    assert {"title", "host_name", "host_email", "ends"} <= set(errors)
    assert not Event.objects.exists()
    assert not HostContact.objects.exists() and not VisitRequest.objects.exists()


def test_a_second_event_on_the_same_block_is_flagged_not_refused(season, event_input, at):
    season.one_event_per_block = True
    season.save()
    first = event_register(season=season, data=event_input(address="120 Elm Street"),
                           submitted_at=at(7, 1))
    second = event_register(season=season, data=event_input(address="166 elm st.",
                                                            title="Elm St Picnic"),
                            submitted_at=at(7, 2))
    other_block = event_register(season=season, data=event_input(address="240 Elm Street",
                                                                 title="Further up"),
                                 submitted_at=at(7, 3))
    assert second.same_block_as == first and second.status == EventStatus.SUBMITTED
    assert first.same_block_as is None and other_block.same_block_as is None


def test_without_a_pin_the_zip_code_places_an_approximate_one(season, event_input, at,
                                                              coordinator):
    from nightout.finder.places import public_place
    from nightout.registry.services import event_approve

    first = event_register(season=season, data=event_input(postal_code="01001"),
                           submitted_at=at(7, 1))
    event = event_register(season=season, data=event_input(
        latitude=None, longitude=None, postal_code="01001", title="No pin"),
        submitted_at=at(7, 2))
    assert event.location_precision == LocationPrecision.POSTAL_CODE and event.pin_is_approximate
    # Never another party's exact or unpublished pin: the offline list's centre of the ZIP.
    assert (event.latitude, event.longitude) == (42.0695, -72.6148)
    event_approve(event=first, user=coordinator)
    later = event_register(season=season, data=event_input(
        latitude=None, longitude=None, postal_code="01001", title="Later, no pin"),
        submitted_at=at(7, 3))
    # Once the first party is published, its public (block-level) point, not its pin.
    public = public_place(first)
    assert (later.latitude, later.longitude) == (public.latitude, public.longitude)
    assert (later.latitude, later.longitude) != (first.latitude, first.longitude)
    with pytest.raises(ValidationError, match="Place the pin"):
        event_register(season=season, data=event_input(latitude=None, longitude=None,
                                                       postal_code="99999"),
                       submitted_at=at(7, 2))


def test_host_edit_of_hours_waits_for_the_coordinator_and_the_event_stays_approved(
        season, event_input, at, coordinator):
    from nightout.registry.services import event_approve

    event = event_register(season=season, data=event_input(), submitted_at=at(7, 1))
    event_approve(event=event, user=coordinator)
    event = event_update(event=event, actor=Actor.host(event),
                         data=event_input(expected_attendance=60))
    assert event.status == EventStatus.APPROVED and event.expected_attendance == 60
    assert not hasattr(event, "pending_change")  # nothing public changed
    starts = event.starts_at
    event = event_update(event=event, actor=Actor.host(event), data=event_input(starts=dt.time(18)))
    event.refresh_from_db()
    assert event.status == EventStatus.APPROVED and event.starts_at == starts
    assert "Starts" in event.pending_change.changes
    entry = event.audit_entries.filter(action="edited").first()
    assert entry.actor_label == "host"
    assert "Starts (waiting for the coordinator)" in entry.changes
    assert "starts_at" not in entry.changes  # the public hours did not change


def test_cancel_cancels_the_closure_too(season, event_input, at):
    event = event_register(season=season, data=event_input(
        closure=ClosureInput(street="Elm Street")), submitted_at=at(7, 1))
    event_cancel(event=event, actor=Actor.host(event), reason="Moving away")
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert event.closures.get().status == "cancelled"
    with pytest.raises(ValidationError, match="cancelled"):
        event_update(event=event, actor=Actor.host(event), data=event_input())


def test_renew_registers_the_same_party_next_year_in_one_step(season, event_input, at):
    from nightout.registry.services import season_create

    event = event_register(season=season, data=event_input(
        visits=["police"], activities=["music"]), submitted_at=at(7, 1))
    with pytest.raises(ValidationError, match="not opened a later season"):
        event_renew(event=event, actor=Actor.host(event))
    later = season_create(jurisdiction=season.jurisdiction, year=2030, slug="agawam-2030")
    renewed = event_renew(event=event, actor=Actor.host(event))
    assert renewed.season == later and renewed.renewed_from == event
    assert renewed.starts_at == later.at(dt.date(2030, 8, 6), dt.time(17))
    assert list(renewed.visit_requests.values_list("unit_kind", flat=True)) == ["police"]
    assert renewed.host_contact.email == "pat@example.org"
    with pytest.raises(ValidationError, match="already registered"):
        event_renew(event=event, actor=Actor.host(event))
