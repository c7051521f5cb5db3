"""A host restores a cancelled party from the private link, while the season takes changes;
it goes back to the coordinator's review, and the audit trail says who restored it."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from nightout.errors import Invalid, NotAllowed
from nightout.registry.actors import NEW_HOST, Actor
from nightout.registry.links import manage_url
from nightout.registry.models import Event, EventStatus
from nightout.registry.services import (
    NOT_CANCELLED,
    event_approve,
    event_cancel,
    event_register,
    event_reject,
    event_restore,
    season_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def upcoming(jurisdiction):
    return season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030")


@pytest.fixture
def party(upcoming, event_input, coordinator):
    """An approved party that its host then cancelled."""
    event = event_register(season=upcoming, data=event_input())
    event_approve(event=event, user=coordinator)
    return event_cancel(event=event, actor=Actor.host(event), reason="Moving away")


def test_the_host_restores_a_cancelled_party_and_it_waits_for_review(client, party):
    page = client.get(manage_url(party)).content.decode()
    assert "Restore the event" in page and "Change your event" not in page
    response = client.post(manage_url(party), {"action": "restore"}, follow=True)
    party.refresh_from_db()
    assert party.status == EventStatus.SUBMITTED and party.status_reason == ""
    html = response.content.decode()
    assert "restored" in html and "Change your event" in html and "Restore the event" not in html
    entry = party.audit_entries.first()
    assert (entry.action, entry.actor_label) == ("restored", "host")
    assert entry.changes == {"status": ["cancelled", "submitted"]}
    # Not public again until the coordinator approves it again.
    assert client.get(reverse("finder:event", args=[party.pk])).status_code == 404


def test_a_party_rejected_before_it_was_cancelled_comes_back_rejected(upcoming, event_input,
                                                                      coordinator):
    event = event_register(season=upcoming, data=event_input())
    event_reject(event=event, user=coordinator, reason="Not in town")
    event_cancel(event=event, actor=Actor.host(event))
    assert event_restore(event=event, actor=Actor.host(event)).status == EventStatus.REJECTED


def test_its_street_closure_stays_cancelled_and_the_host_is_told(client, upcoming,
                                                                 event_input):
    from nightout.registry.services import ClosureInput

    event = event_register(season=upcoming, data=event_input(
        closure=ClosureInput(street="Elm Street", consent_attested=True)))
    event_cancel(event=event, actor=Actor.host(event))
    html = client.post(manage_url(event), {"action": "restore"}, follow=True).content.decode()
    assert event.closures.get().status == "cancelled"
    assert "street closure was cancelled with the event" in html


def test_no_party_is_restored_once_its_night_is_over(client, party, upcoming):
    after = upcoming.at(upcoming.nno_date + dt.timedelta(days=1), dt.time(0, 1))
    with pytest.raises(Invalid, match="can no longer be changed"):
        event_restore(event=party, actor=Actor.host(party), now=after)
    on_the_night = upcoming.at(upcoming.nno_date, dt.time(23, 59))
    assert event_restore(event=party, actor=Actor.host(party),
                         now=on_the_night).status == EventStatus.SUBMITTED


def test_the_private_page_offers_no_restoring_after_the_night(client, jurisdiction,
                                                             make_event):
    from django.utils import timezone

    night = timezone.localdate(timezone=jurisdiction.zone) - dt.timedelta(days=2)
    past = season_create(jurisdiction=jurisdiction, year=night.year, slug="agawam-past",
                         nno_date=night)
    event = make_event(season=past, status=EventStatus.CANCELLED, manage_secret="secret")
    page = client.get(manage_url(event)).content.decode()  # the link still works ...
    assert "Cancelled" in page and "Restore the event" not in page  # ... restoring does not
    html = client.post(manage_url(event), {"action": "restore"}, follow=True).content.decode()
    assert "can no longer be changed" in html
    assert Event.objects.get(pk=event.pk).status == EventStatus.CANCELLED


def test_only_its_host_or_the_towns_coordinator_restores_it(party, make_event, coordinator):
    other = make_event(title="Another party")
    for stranger in (Actor.host(other), NEW_HOST, Actor("someone")):
        with pytest.raises(NotAllowed):
            event_restore(event=party, actor=stranger)
    assert Event.objects.get(pk=party.pk).status == EventStatus.CANCELLED
    assert event_restore(event=party, actor=Actor.of(coordinator)).status == (
        EventStatus.SUBMITTED)


def test_an_event_not_cancelled_has_nothing_to_restore(upcoming, event_input):
    event = event_register(season=upcoming, data=event_input())
    with pytest.raises(Invalid, match=NOT_CANCELLED):
        event_restore(event=event, actor=Actor.host(event))


def test_a_restored_party_leaves_the_calendars_that_marked_it_cancelled(party, coordinator):
    """Calendars listed it as cancelled; restored, it waits for review (not public), and a
    higher SEQUENCE tells any calendar holding it that it changed again."""
    assert party.cancelled_in_public
    sequence = party.sequence
    event_restore(event=party, actor=Actor.host(party))
    party.refresh_from_db()
    assert not party.cancelled_in_public and party.sequence == sequence + 1
    event_approve(event=party, user=coordinator)
    party.refresh_from_db()
    assert party.status == EventStatus.APPROVED and party.sequence == sequence + 2
