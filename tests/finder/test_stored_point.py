"""The public point each event keeps (`public_latitude`, `public_longitude`), which the finder
searches: every writer of a party's place keeps it equal to the point worked out from the
place (`nightout.finder.places.public_point`), and it tells an attacker nothing that point
did not."""

import pytest

from nightout.demo.city import load_city
from nightout.demo.seed import load_seed
from nightout.finder.places import event_public_point, hides_address, public_place
from nightout.finder.selectors import Search, result_page
from nightout.geo.distance import haversine_m
from nightout.geo.fuzz import max_offset_m
from nightout.registry.actors import Actor
from nightout.registry.models import Event, PendingChange
from nightout.registry.services import (
    event_change_accept,
    event_renew,
    event_update,
    public_points_refresh,
    season_create,
)

pytestmark = pytest.mark.django_db
PIN = (42.071234, -72.618765)  # the home_party fixture's house


def stored(event) -> tuple[float, float]:
    event = Event.objects.get(pk=event.pk)
    return event.public_latitude, event.public_longitude


def computed(event) -> tuple[float, float]:
    return event_public_point(Event.objects.get(pk=event.pk))


def test_registering_stores_a_homes_block_point_and_a_parks_own_pin(home_party, park_event):
    assert stored(home_party) == computed(home_party)
    assert stored(home_party) != PIN
    assert 0 < haversine_m(*PIN, *stored(home_party)) <= max_offset_m()
    assert stored(park_event) == computed(park_event) == (42.0655, -72.63)


def test_a_hosts_move_keeps_the_approved_point_until_the_coordinator_accepts_it(
        home_party, event_input, coordinator):
    approved = stored(home_party)
    moved = event_input(title="Quiet Lane Potluck", address="9100 Far Road, Agawam, MA",
                        latitude=42.0900, longitude=-72.6400)
    event_update(event=home_party, data=moved, actor=Actor.host(home_party))
    assert stored(home_party) == approved == computed(home_party)  # the change waits
    pending = PendingChange.objects.get(event=home_party)
    event_change_accept(event=home_party, user=coordinator, version=pending.version)
    assert stored(home_party) == computed(home_party)
    assert haversine_m(42.09, -72.64, *stored(home_party)) <= max_offset_m()


def test_a_coordinators_move_and_a_published_address_move_the_point_at_once(
        home_party, event_input, coordinator):
    coordinator_actor = Actor.of(coordinator)
    event_update(event=home_party, data=event_input(
        address="2200 Elm Street, Agawam, MA", latitude=42.0800, longitude=-72.6000),
        actor=coordinator_actor)
    assert stored(home_party) == computed(home_party)
    assert haversine_m(42.08, -72.60, *stored(home_party)) <= max_offset_m()
    event_update(event=home_party, data=event_input(
        address="2200 Elm Street, Agawam, MA", latitude=42.0800, longitude=-72.6000,
        show_exact_location=True), actor=coordinator_actor)
    assert stored(home_party) == computed(home_party) == (42.08, -72.6)


def test_a_host_hiding_the_address_moves_the_point_to_the_block_at_once(publish, event_input):
    shown = publish(address="4400 Open Street, Agawam, MA", latitude=42.0712,
                    longitude=-72.6187, show_exact_location=True)
    assert stored(shown) == (42.0712, -72.6187)
    event_update(event=shown, data=event_input(
        address="4400 Open Street, Agawam, MA", latitude=42.0712, longitude=-72.6187,
        show_exact_location=False), actor=Actor.host(shown))
    # Hiding more is never held for review: the pin leaves every search at once.
    assert stored(shown) == computed(shown) != (42.0712, -72.6187)


def test_a_renewed_party_stores_its_point_in_the_next_season(home_party, season):
    season_create(jurisdiction=season.jurisdiction, year=2030, slug="agawam-2030")
    renewed = event_renew(event=home_party, actor=Actor.host(home_party))
    assert stored(renewed) == computed(renewed) == stored(home_party)


def test_the_demo_stores_every_point_as_it_is_worked_out():
    load_seed()
    load_city(parties=60)
    for event in Event.objects.all():
        assert (event.public_latitude, event.public_longitude) == event_public_point(event)


def test_after_the_key_changes_the_refresh_puts_every_point_right(
        settings, home_party, park_event):
    before = stored(home_party)
    settings.SECRET_KEY = "a new secret key for the site"
    assert computed(home_party) != before
    assert public_points_refresh() == 1  # the park's pin does not depend on the key
    assert stored(home_party) == computed(home_party)
    assert stored(park_event) == (42.0655, -72.63)


def test_the_stored_point_tells_an_attacker_nothing_the_shown_point_did_not(settings):
    """An attacker sees a home's shown point (its page, the map) and can measure the
    search's distances from any point they choose. The stored point is the shown one, so
    the distances lead to it and never to the house."""
    settings.SECRET_KEY = "a fixed key for this test"
    season = load_city(parties=300)
    events = list(Event.objects.filter(season=season).select_related("season__jurisdiction"))
    homes = [e for e in events if hides_address(is_private_home=e.is_private_home,
                                                show_exact_location=e.show_exact_location)]
    assert len(homes) > 200
    for event in events:
        place = public_place(event)
        assert (event.public_latitude, event.public_longitude) == (place.latitude,
                                                                   place.longitude)
    for home in homes:
        pin = (home.latitude, home.longitude)
        assert (home.public_latitude, home.public_longitude) != pin
        assert haversine_m(*pin, home.public_latitude, home.public_longitude) <= max_offset_m()
    # Searched from its own house, a home is found at the distance of its shown point.
    for home in [h for h in homes if h.is_public][:40]:
        pin = (home.latitude, home.longitude)
        found = dict(result_page(search=Search(centre=pin, radius_m=1609, when="all"),
                                 per_page=2000).object_list)
        assert found[home.pk] == haversine_m(*pin, home.public_latitude, home.public_longitude)
        assert found[home.pk] > 0


def test_the_admin_stores_the_point_of_a_party_it_moves(home_party, rf):
    from django.contrib import admin

    event = Event.objects.get(pk=home_party.pk)
    event.latitude, event.longitude = 42.0900, -72.6400
    admin.site._registry[Event].save_model(rf.post("/"), event, form=None, change=True)
    assert stored(home_party) == computed(home_party)
    assert haversine_m(42.09, -72.64, *stored(home_party)) <= max_offset_m()
