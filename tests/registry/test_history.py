"""A registration's history in words (`nightout.registry.history`): field names for codes,
labels for values, moments in the town's zone; and an import dated when it was imported."""

import zoneinfo

import pytest
from django.urls import reverse

from nightout.registry.actors import Actor
from nightout.registry.history import change_lines
from nightout.registry.services import event_update

pytestmark = pytest.mark.django_db
BOSTON = zoneinfo.ZoneInfo("America/New_York")


@pytest.mark.parametrize(("changes", "lines"), [
    ({"status": "submitted", "source": "web"}, ["Status: submitted", "Source: web form"]),
    ({"status": ["submitted", "approved"], "closure": ["requested", "AG-2017-00001"]},
     ["Status: submitted → approved", "Closure: requested → AG-2017-00001"]),
    ({"starts_at": ["2027-08-03 22:00:00+00:00", "2027-08-03 23:30:00+00:00"]},
     ["Starts at: 3 Aug 2027, 6:00 PM EDT → 3 Aug 2027, 7:30 PM EDT"]),
    ({"is_private_home": ["True", "False"], "venue": ["", "Robinson Park"]},
     ["Venue: (empty) → Robinson Park", "Is private home: yes → no"]),  # the form's order
    ({"kind": ["block_party", "community_event"], "location_precision": ["address", "block"]},
     ["Kind: block party → community event", "Location precision: exact address or venue → block"]),
    ({"starts_at": ["2027-08-03 18:00 EDT", "2027-08-10 18:00 EDT"]},  # a rain date's move
     ["Starts at: 2027-08-03 18:00 EDT → 2027-08-10 18:00 EDT"]),
    ({"Title (waiting for the coordinator)": ["Elm St", "Elm Street"], "photos": 2},
     ["Title (waiting for the coordinator): Elm St → Elm Street", "Photos: 2"]),
])
def test_each_change_reads_as_words(changes, lines):
    assert change_lines(changes, BOSTON) == lines


def test_the_review_page_shows_the_history_in_words(client, coordinator, season, event_input,
                                                    publish):
    event = publish(title="Elm Street Party")
    event_update(event=event, data=event_input(title="Elm Street Night Out"),
                 actor=Actor.of(coordinator))
    client.force_login(coordinator)
    html = client.get(reverse("registry:review_event", args=[season.slug, event.pk])
                      ).content.decode()
    for words in ("Status: submitted; Source: web form", "Status: submitted → approved",
                  "Title: Elm Street Party → Elm Street Night Out", "Registered", "Approved"):
        assert words in html
    assert "s → u" not in html and "w → e" not in html



def test_the_hosts_email_and_phone_are_links_and_reject_looks_apart(client, coordinator, season,
                                                                   publish):
    event = publish(title="Elm Street Party")
    client.force_login(coordinator)
    html = client.get(reverse("registry:review_event", args=[season.slug, event.pk])
                      ).content.decode()
    contact = event.host_contact
    assert f'<a href="mailto:{contact.email}">{contact.email}</a>' in html
    assert f'<a href="tel:{contact.phone.replace(" ", "")}">{contact.phone}</a>' in html
    assert '<button type="submit" class="danger">Reject</button>' in html
