"""POST /api/seasons/{slug}/registrations: the web form's rules, service and rate limit."""

import pytest

from nightout.registry.models import AuditEntry, Event, EventStatus, HostContact

pytestmark = pytest.mark.django_db


def registration(**overrides):
    data = {
        "title": "Elm Street Block Party", "address": "120 Elm Street", "postal_code": "01001",
        "latitude": 42.0702, "longitude": -72.6155, "starts": "17:00", "ends": "20:30",
        "activities": ["music"], "visits": ["police"],
        "host": {"name": "Pat Host", "email": "pat@example.org", "phone": "413-555-0100"},
    }
    data.update(overrides)
    return data


def post(client, data, slug="agawam-2030"):
    return client.post(f"/api/seasons/{slug}/registrations", data, content_type="application/json")


def test_a_registration_is_written_through_the_service_and_waits_for_the_coordinator(
        client, upcoming, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, registration())
    assert response.status_code == 201
    body = response.json()
    event = Event.objects.get(pk=body["id"])
    assert body["status"] == "submitted" and event.status == EventStatus.SUBMITTED
    assert event.is_private_home and [a.slug for a in event.activities.all()] == ["music"]
    assert list(event.visit_requests.values_list("unit_kind", flat=True)) == ["police"]
    assert event.host_contact.email == "pat@example.org"
    assert event.rain_date is not None  # the season's next-day rule
    assert AuditEntry.objects.filter(event=event, action="registered").exists()
    assert body["manage_url"].startswith("http://testserver/")
    assert client.get(body["manage_url"]).status_code == 200
    assert "pat@example.org" not in response.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["pat@example.org"]


def test_a_closure_is_asked_for_with_consent(client, upcoming):
    response = post(client, registration(closure={"street": "Elm Street", "blocks": 1,
                                                  "consent": True}))
    assert response.status_code == 201
    closure = Event.objects.get().closures.get()
    assert closure.street == "Elm Street" and closure.consent_attested


def test_a_bad_registration_names_each_field_and_writes_nothing(client, upcoming):
    response = post(client, registration(
        title="", activities=["juggling"], expected_attendance=0,
        host={"name": "", "email": "not-an-email"}, closure={"street": "", "blocks": 50}))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"title", "activities", "expected_attendance", "host.name",
                           "host.email", "closure.street", "closure.blocks"}
    assert errors["host.email"] == ["Enter a valid email address."]
    assert errors["title"] == ["This field is required."]
    assert not Event.objects.exists() and not HostContact.objects.exists()


def test_the_seasons_rules_are_applied_by_the_service(client, upcoming):
    response = post(client, registration(starts="14:00", latitude=40.7128, longitude=-74.0060,
                                         closure={"street": "Elm Street"}))
    errors = response.json()["errors"]
    assert response.status_code == 422
    assert "Events on" in errors["ends"][0]
    assert "outside Agawam" in errors["latitude"][0]
    assert "75% of the households" in errors["closure.consent"][0]
    assert not Event.objects.exists()


def test_wrong_types_are_refused_per_field_before_the_form(client, upcoming):
    response = post(client, registration(starts="5 pm", visits=["dragon"], latitude="north"))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"starts", "visits.0", "latitude"}


def test_what_the_season_does_not_take_is_refused_not_ignored(client, upcoming):
    upcoming.visit_times_allowed = False
    upcoming.closures_enabled = False
    upcoming.save()
    response = post(client, registration(visit_time="18:00", rain_date="2030-08-07",
                                         closure={"street": "Elm Street"}))
    errors = response.json()["errors"]
    assert response.status_code == 422
    assert "schedules visits itself" in errors["visit_time"][0]
    assert "does not take street-closure requests" in errors["closure"][0]
    assert "does not let hosts pick a rain date" in errors["rain_date"][0]
    assert not Event.objects.exists()


def test_a_past_season_takes_no_registrations(client, season):
    response = post(client, registration(), slug=season.slug)
    assert response.status_code == 410 and "is over" in response.json()["detail"]


def test_an_unknown_season_is_not_found(client, db):
    assert post(client, registration(), slug="nowhere-1999").status_code == 404


def test_the_web_forms_rate_limit_holds_for_the_api_too(client, upcoming, settings):
    settings.REGISTRATION_RATE = "2/h"
    assert post(client, registration(title="One")).status_code == 201
    refused = client.post(f"/register/{upcoming.slug}/", {"title": "By the form"})
    assert refused.status_code == 400  # not counted: the form refused it for its errors
    web = client.post(f"/register/{upcoming.slug}/", {
        "title": "By the form", "kind": "block_party", "address": "300 Oak Street",
        "latitude": "42.0702", "longitude": "-72.6155", "starts": "17:00", "ends": "20:30",
        "host_name": "Pat Host", "host_email": "pat@example.org"})
    assert web.status_code == 302  # counted: the form's registrations and the API's are one
    response = post(client, registration(title="One too many"))
    assert response.status_code == 429 and "Too many registrations" in response.json()["detail"]
    assert Event.objects.count() == 2
