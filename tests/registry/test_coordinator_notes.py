"""The town's own notes on an event: stored by registration and edit, shown on the
coordinator's event file, never to the host, never changed by the host's edit."""

import pytest
from django.urls import reverse

from nightout.registry.actors import Actor
from nightout.registry.links import manage_url
from nightout.registry.models import Event
from nightout.registry.services import event_register, event_update

pytestmark = pytest.mark.django_db

NOTE = "Gate code 4411\nCall the block captain first"


@pytest.fixture
def noted(season, event_input, at, coordinator):
    return event_register(season=season, data=event_input(coordinator_notes=NOTE),
                          actor=Actor.of(coordinator), submitted_at=at(7, 1), deadlines=False)


def test_registration_and_the_towns_edit_store_the_notes(noted, event_input, coordinator):
    assert Event.objects.get().coordinator_notes == NOTE
    event_update(event=noted, actor=Actor.of(coordinator),
                 data=event_input(coordinator_notes="Cones delivered"))
    assert Event.objects.get().coordinator_notes == "Cones delivered"


def test_an_edit_without_notes_keeps_them_and_the_host_cannot_change_them(noted, event_input,
                                                                          coordinator):
    event_update(event=noted, actor=Actor.of(coordinator), data=event_input(title="Renamed"))
    event_update(event=noted, actor=Actor.host(noted),
                 data=event_input(title="Renamed again", coordinator_notes="Mine now"))
    event = Event.objects.get()
    assert (event.title, event.coordinator_notes) == ("Renamed again", NOTE)


def test_the_coordinators_event_file_shows_the_notes_and_the_hosts_page_does_not(
        client, noted, coordinator, season):
    client.force_login(coordinator)
    page = client.get(reverse("registry:review_event", args=[season.slug, noted.pk]))
    assert "Gate code 4411<br>Call the block captain first" in page.content.decode()
    client.logout()
    assert "4411" not in client.get(manage_url(noted)).content.decode()
