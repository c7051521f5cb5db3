"""The public registration form and the host's private pages, without JavaScript."""

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from nightout.registry.links import SALT, manage_url
from nightout.registry.models import Event, EventStatus
from nightout.registry.services import season_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(jurisdiction):
    return season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030",
                         neighbor_consent_percent=75)


def form_data(**overrides):
    data = {
        "title": "Elm Street Block Party", "kind": "block_party", "address": "120 Elm Street",
        "postal_code": "01001", "latitude": "42.0702", "longitude": "-72.6155",
        "is_private_home": "on", "starts": "17:00", "ends": "20:30",
        "activities": ["music"], "visits": ["police"], "host_name": "Pat Host",
        "host_email": "pat@example.org", "host_phone": "413-555-0100",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def test_a_plain_form_post_registers_and_lands_on_the_private_page(client, upcoming,
                                                                    mailoutbox):
    response = client.post(reverse("registry:register", args=[upcoming.slug]), form_data())
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == manage_url(event)
    page = client.get(response.url).content.decode()
    assert "Elm Street Block Party" in page and "Submitted" in page
    assert "Tuesday 6 August 2030, 5:00 PM" in page


def test_errors_are_shown_by_their_fields_and_input_is_kept(client, upcoming):
    response = client.post(reverse("registry:register", args=[upcoming.slug]), form_data(
        host_email="not an email", ends="23:30", closure="on", closure_street="Elm Street",
        title="T" * 161))
    html = response.content.decode()
    assert response.status_code == 400 and not Event.objects.exists()
    assert "Enter a valid email address." in html
    assert "Ensure this value has at most 160 characters" in html
    assert 'value="120 Elm Street"' in html and 'value="Pat Host"' in html
    response = client.post(reverse("registry:register", args=[upcoming.slug]), form_data(
        ends="23:30", closure="on", closure_street="Elm Street"))
    html = response.content.decode()
    assert "Events run between" in html or "Events on" in html
    assert "75% of the households" in html and 'aria-invalid="true"' in html


def test_pin_outside_the_town_is_refused_with_a_message(client, upcoming):
    response = client.post(reverse("registry:register", args=[upcoming.slug]),
                           form_data(latitude="40.7128", longitude="-74.0060"))
    assert "outside Agawam" in response.content.decode() and not Event.objects.exists()


def test_the_honeypot_stores_nothing(client, upcoming):
    response = client.post(reverse("registry:register", args=[upcoming.slug]),
                           form_data(website="http://spam.example"))
    assert response.status_code == 400 and not Event.objects.exists()


def test_too_many_registrations_from_one_connection_are_refused(client, upcoming, settings):
    settings.REGISTRATION_RATE = "2/h"
    url = reverse("registry:register", args=[upcoming.slug])
    for n in range(2):
        assert client.post(url, form_data(title=f"Party {n}")).status_code == 302
    response = client.post(url, form_data(title="One too many"))
    assert response.status_code == 429 and "Too many registrations" in response.content.decode()
    assert Event.objects.count() == 2


def test_a_past_season_takes_no_registrations(client, season):
    response = client.get(reverse("registry:register", args=[season.slug]))
    assert response.status_code == 410 and "is over" in response.content.decode()


def test_a_host_link_opens_only_its_own_event(client, upcoming):
    url = reverse("registry:register", args=[upcoming.slug])
    client.post(url, form_data(title="Ours"))
    client.post(url, form_data(title="Theirs", address="300 Oak Street", host_email="x@y.org"))
    ours, theirs = Event.objects.order_by("pk")
    page = client.get(manage_url(ours)).content.decode()
    assert "Ours" in page and "Theirs" not in page and "x@y.org" not in page
    # A correctly signed link naming their event with our secret is still refused.
    forged = signing.dumps({"e": theirs.pk, "s": ours.manage_secret}, salt=SALT, compress=True)
    assert client.get(reverse("registry:manage", args=[forged])).status_code == 404
    assert client.get(reverse("registry:manage", args=["guess"])).status_code == 404


def test_the_host_edits_and_cancels_through_the_link(client, upcoming):
    client.post(reverse("registry:register", args=[upcoming.slug]), form_data())
    event = Event.objects.get()
    edit = reverse("registry:manage_edit", args=[manage_url(event).split("/")[2]])
    assert 'value="Elm Street Block Party"' in client.get(edit).content.decode()
    client.post(edit, form_data(title="Elm Street Night Out"))
    event.refresh_from_db()
    assert event.title == "Elm Street Night Out"
    client.post(manage_url(event), {"action": "cancel", "reason": "Rain"})
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED


def _approve(event, user):
    from nightout.registry.services import event_approve

    event_approve(event=event, user=user)


def test_zip_code_lookup_centres_the_map_from_published_events_only(client, upcoming,
                                                                   coordinator):
    from nightout.finder.places import public_place

    url = reverse("registry:postal_code_place", args=[upcoming.slug])
    client.post(reverse("registry:register", args=[upcoming.slug]), form_data())
    # A registration not yet approved leaves no trace: the ZIP code falls back to the
    # offline place list's centre of Agawam, not to the new pin.
    assert client.get(url, {"code": "01001"}).json() == {"latitude": 42.0695,
                                                         "longitude": -72.6148}
    event = Event.objects.get()
    _approve(event, coordinator)
    public = public_place(Event.objects.select_related("season__jurisdiction").get())
    # Approved, the private home counts by its published block point, never its exact pin.
    assert client.get(url, {"code": "01001"}).json() == {"latitude": public.latitude,
                                                         "longitude": public.longitude}
    assert (public.latitude, public.longitude) != (42.0702, -72.6155)
    assert client.get(url, {"code": "99999"}).status_code == 404


def test_an_address_on_a_known_block_centres_the_map_on_its_published_point(
        client, upcoming, coordinator):
    from nightout.finder.places import public_place

    client.post(reverse("registry:register", args=[upcoming.slug]), form_data())
    url = reverse("registry:postal_code_place", args=[upcoming.slug])
    assert client.get(url, {"address": "150 elm st"}).status_code == 404  # not published
    _approve(Event.objects.get(), coordinator)
    public = public_place(Event.objects.select_related("season__jurisdiction").get())
    for address in ("120 Elm Street", "150 elm st", "900 Elm Street"):
        assert client.get(url, {"address": address}).json()["latitude"] == public.latitude
    assert client.get(url, {"address": "5 Birch Road"}).status_code == 404


def test_the_towns_list_and_the_form_give_the_same_deadline_in_the_towns_zone(client,
                                                                              jurisdiction):
    import datetime as dt

    # 11:59 PM on Saturday 20 July in Agawam is already 21 July in UTC.
    season = season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030",
                           registration_deadline=dt.datetime(2030, 7, 21, 3, 59, tzinfo=dt.UTC))
    said = "register by Saturday 20 July, 11:59 PM"
    assert said in client.get(reverse("registry:register_index")).content.decode()
    assert said in client.get(reverse("registry:register", args=[season.slug])).content.decode()


def test_an_event_that_ends_when_it_starts_is_told_so_once(client, upcoming):
    response = client.post(reverse("registry:register", args=[upcoming.slug]),
                           form_data(starts="18:00", ends="18:00"))
    assert response.status_code == 400 and not Event.objects.exists()
    assert response.content.decode().count("The event must end after it starts.") == 1


def test_the_towns_rules_are_checked_with_the_fields_so_every_error_comes_at_once(client,
                                                                                  upcoming):
    response = client.post(reverse("registry:register", args=[upcoming.slug]), form_data(
        host_email="not an email", title="T" * 161, starts="21:00", ends="20:00",
        latitude="40.7128", longitude="-74.0060", closure="on", closure_street="Elm Street"))
    html = response.content.decode()
    assert response.status_code == 400 and not Event.objects.exists()
    assert "Enter a valid email address." in html  # the fields' own errors ...
    assert "Ensure this value has at most 160 characters" in html
    assert "The event must end after it starts." in html  # ... and the town's rules
    assert "outside Agawam" in html and "75% of the households" in html


def test_a_rule_that_reads_a_field_in_error_waits_for_that_field(client, upcoming):
    # Without a valid start, the hours cannot be checked: only the start's own error shows.
    response = client.post(reverse("registry:register", args=[upcoming.slug]),
                           form_data(starts="not a time", ends="23:30", host_email="nope"))
    html = response.content.decode()
    assert "Enter a valid time." in html and "Enter a valid email address." in html
    assert "Events on" not in html and "end after it starts" not in html


def test_forms_refused_for_errors_do_not_count_toward_the_limit(client, upcoming, settings):
    settings.REGISTRATION_RATE = "20/h"
    url = reverse("registry:register", args=[upcoming.slug])
    for _ in range(20):  # a library's drive on one Wi-Fi: twenty mistyped forms ...
        assert client.post(url, form_data(host_email="typo")).status_code == 400
    response = client.post(url, form_data())  # ... then the first good one is taken
    assert response.status_code == 302 and Event.objects.count() == 1


def test_accepted_registrations_and_the_honeypots_catches_still_meet_the_limit(
        client, upcoming, settings):
    settings.REGISTRATION_RATE = "2/h"
    url = reverse("registry:register", args=[upcoming.slug])
    assert client.post(url, form_data(website="http://spam.example")).status_code == 400
    assert client.post(url, form_data(title="Ours")).status_code == 302
    response = client.post(url, form_data(title="One too many"))
    assert response.status_code == 429 and "Too many registrations" in response.content.decode()
    assert Event.objects.count() == 1


def test_refused_forms_sent_without_end_are_stopped_too(client, upcoming, settings):
    from nightout.registry.throttle import ATTEMPTS_PER_REGISTRATION

    settings.REGISTRATION_RATE = "2/h"
    url = reverse("registry:register", args=[upcoming.slug])
    for _ in range(2 * ATTEMPTS_PER_REGISTRATION):
        assert client.post(url, form_data(host_email="typo")).status_code == 400
    response = client.post(url, form_data())  # even a good form waits, once that many came
    assert response.status_code == 429 and not Event.objects.exists()
    # Another connection is not held up by this one.
    other = client.post(url, form_data(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302
