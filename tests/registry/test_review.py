"""The coordinator's queue: decisions, permits, audit, and who may see what."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nightout.accounts.models import Membership, Role, User
from nightout.errors import NotAllowed
from nightout.registry.models import (
    AuditEntry,
    ClosureStatus,
    Event,
    EventStatus,
    Jurisdiction,
)
from nightout.registry.services import (
    ClosureInput,
    event_approve,
    event_register,
    event_reject,
    events_review,
    season_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(season, event_input, at):
    def make(n=1, **fields):
        return [
            event_register(season=season, data=event_input(
                title=f"Party {i}", address=f"{100 + i * 100} Elm Street",
                closure=ClosureInput(street="Elm Street"), **fields), submitted_at=at(7, 1 + i))
            for i in range(n)
        ]
    return make


@pytest.fixture
def springfield_coordinator(db):
    springfield = Jurisdiction.objects.create(name="Springfield", slug="springfield", state="MA",
                                              center_latitude=42.1, center_longitude=-72.59)
    season_create(jurisdiction=springfield, year=2017, slug="springfield-2017")
    user = User.objects.create_user("sam", password="pw")
    Membership.objects.create(user=user, role=Role.COORDINATOR, jurisdiction=springfield)
    return user


def test_approval_issues_sequential_permit_numbers(registered, coordinator, season):
    season.permit_prefix = "AG"
    season.save()
    first, second = registered(2)
    event_approve(event=second, user=coordinator)
    event_approve(event=first, user=coordinator)
    assert second.closures.get().permit_number == "AG-2017-00001"
    assert first.closures.get().permit_number == "AG-2017-00002"
    assert first.closures.get().status == ClosureStatus.APPROVED


def test_rejection_needs_a_reason_and_emails_the_host(registered, coordinator, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    [event] = registered()
    with pytest.raises(ValidationError, match="Say why"):
        event_reject(event=event, user=coordinator, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        event_reject(event=event, user=coordinator, reason="Two parties on one block.")
    event.refresh_from_db()
    assert event.status == EventStatus.REJECTED
    assert event.closures.get().status == ClosureStatus.REJECTED
    [mail] = mailoutbox
    assert "Two parties on one block." in mail.body and mail.to == ["pat@example.org"]


def test_audit_trail_says_who_did_what_and_when(registered, coordinator):
    [event] = registered()
    event_approve(event=event, user=coordinator)
    entries = list(AuditEntry.objects.filter(event=event).order_by("at", "id"))
    assert [(e.actor_label, e.action) for e in entries] == [("host", "registered"),
                                                           ("casey", "approved")]
    assert entries[1].actor == coordinator
    assert entries[1].changes["status"] == ["submitted", "approved"]


def test_a_coordinator_of_another_town_cannot_decide(registered, springfield_coordinator):
    [event] = registered()
    with pytest.raises(NotAllowed):
        event_approve(event=event, user=springfield_coordinator)
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED


def test_bulk_review_is_all_or_nothing(registered, coordinator, springfield_coordinator):
    events = registered(3)
    events[2].status = EventStatus.CANCELLED
    events[2].save()
    with pytest.raises(ValidationError):
        events_review(events=events, user=coordinator, decision="approve")
    assert not any(e.closures.get().permit_number for e in events)
    assert events_review(events=events[:2], user=coordinator, decision="approve") == 2


def test_queue_pages_are_for_the_towns_own_coordinators(client, registered, coordinator,
                                                        springfield_coordinator, season):
    registered()
    url = reverse("registry:queue", args=[season.slug])
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(springfield_coordinator)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200 and "Party 0" in response.content.decode()


def test_a_refused_coordinator_page_says_what_the_account_lacks(client, season,
                                                                springfield_coordinator):
    client.force_login(springfield_coordinator)
    response = client.get(reverse("registry:queue", args=[season.slug]))
    assert response.status_code == 403
    assert f"does not give you the coordinator&#x27;s pages of {season}" in response.text


def test_bulk_review_refuses_a_decision_it_does_not_know(registered, coordinator):
    events = registered(2)
    with pytest.raises(ValidationError, match="Choose approve or reject"):
        events_review(events=events, user=coordinator, decision="approve all")
    assert all(Event.objects.get(pk=e.pk).status == EventStatus.SUBMITTED for e in events)


def test_queue_filters_sorts_and_costs_few_queries(client, registered, coordinator, season,
                                                   django_assert_max_num_queries):
    registered(12)
    client.force_login(coordinator)
    url = reverse("registry:queue", args=[season.slug])
    with django_assert_max_num_queries(12):
        html = client.get(url, {"sort": "-submitted", "flag": "closure"}).content.decode()
    assert html.index("Party 11") < html.index("Party 0")
    html = client.get(url, {"q": "Party 3"}).content.decode()
    assert "Party 3" in html and "Party 4" not in html


def test_queue_answers_htmx_with_only_the_results(client, registered, coordinator, season):
    registered()
    client.force_login(coordinator)
    response = client.get(reverse("registry:queue", args=[season.slug]), {"status": "submitted"},
                          headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">') and "<html" not in html


def test_bulk_approve_from_the_queue(client, registered, coordinator, season):
    events = registered(2)
    client.force_login(coordinator)
    url = reverse("registry:queue", args=[season.slug])
    response = client.post(url, {"events": [e.pk for e in events], "decision": "approve"},
                           follow=True)
    assert "2 registrations approved" in response.content.decode()
    assert all(e.closures.get().permit_number for e in events)


def test_event_page_shows_contact_and_history_and_rejects(client, registered, coordinator,
                                                          season):
    [event] = registered()
    client.force_login(coordinator)
    url = reverse("registry:review_event", args=[season.slug, event.pk])
    html = client.get(url).content.decode()
    assert "pat@example.org" in html and "Registered" in html
    client.post(url, {"decision": "reject", "reason": "Outside the town"})
    event.refresh_from_db()
    assert event.status == EventStatus.REJECTED and event.status_reason == "Outside the town"


def test_the_queue_opens_on_what_awaits_a_decision_and_each_filter_says_how_many(
        client, registered, coordinator, season):
    from nightout.registry.selectors import QUEUE_FLAGS, queue_counts, review_queue

    events = registered(4)
    event_approve(event=events[0], user=coordinator)
    event_reject(event=events[1], user=coordinator, reason="Outside the town")
    client.force_login(coordinator)
    html = client.get(reverse("registry:queue", args=[season.slug])).content.decode()
    assert "Party 2" in html and "Party 3" in html
    assert "Party 0" not in html and "Party 1" not in html
    assert '<option value="awaiting" selected>Awaiting a decision (2)</option>' in html
    assert '<option value="">Any status (4)</option>' in html
    every = client.get(reverse("registry:queue", args=[season.slug]), {"status": ""})
    assert "Party 0" in every.content.decode()
    counts = queue_counts(season=season)
    for flag in QUEUE_FLAGS:  # each count is what its filter finds
        assert counts[f"flag:{flag}"] == review_queue(season=season, flag=flag).count(), flag
    assert counts["flag:closure"] == 2  # the two still submitted ask for a closure


def test_a_failed_bulk_decision_keeps_the_ticks_and_says_which_rows_and_why(
        client, registered, coordinator, season):
    events = registered(3)
    event_reject(event=events[2], user=coordinator, reason="Outside the town")
    client.force_login(coordinator)
    url = reverse("registry:queue", args=[season.slug]) + "?status="
    response = client.post(url, {"events": [e.pk for e in events], "decision": "approve"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was changed: 1 of 3 could not be approved." in html
    assert "Only submitted or approved events can be approved." in html
    assert all(f'value="{e.pk}" id="pick-{e.pk}" aria-label="Select {e.title}" checked' in html
               for e in events)
    assert not Event.objects.filter(status=EventStatus.APPROVED).exists()


def test_every_match_of_the_filters_is_decided_at_once(client, registered, coordinator,
                                                       season):
    registered(3)
    client.force_login(coordinator)
    url = reverse("registry:queue", args=[season.slug]) + "?status=awaiting"
    response = client.post(url, {"every_match": "1", "decision": "approve"}, follow=True)
    assert "3 registrations approved" in response.content.decode()
    assert Event.objects.filter(status=EventStatus.APPROVED).count() == 3


def test_after_a_decision_the_next_awaiting_is_one_click_and_a_key(client, registered,
                                                                  coordinator, season):
    first, second, third = registered(3)
    client.force_login(coordinator)
    url = reverse("registry:review_event", args=[season.slug, first.pk])
    page = client.post(url, {"decision": "approve"}, follow=True).content.decode()
    nxt = reverse("registry:review_event", args=[season.slug, second.pk])
    assert f'href="{nxt}" accesskey="n"' in page
    last = client.get(reverse("registry:review_event", args=[season.slug, third.pk]))
    assert f'href="{nxt}" accesskey="n"' in last.content.decode()  # from the start again
