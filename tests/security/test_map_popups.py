"""In Chromium: a party's name in a map popup is text, not HTML (Leaflet's popups take HTML)."""

import pytest

from nightout.registry.models import Event

pytestmark = [pytest.mark.browser]

ATTACK = "Party <img src=x onerror=\"window.__attacked=1\"><b>bold</b>"


@pytest.fixture
def world_on_the_server(transactional_db, world):
    Event.objects.filter(pk=world.event.pk).update(title=ATTACK)
    return world


def test_the_itinerary_map_shows_a_party_name_as_text(page, world_on_the_server):
    world = world_on_the_server
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("crew")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/plan/")  # a crew member's itineraries
    page.goto(f"/plan/{world.season.slug}/units/{world.car.pk}/")
    page.locator(".leaflet-marker-icon").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "<img src=x" in popup.inner_text()
    assert popup.locator("img, b").count() == 0
    assert page.evaluate("window.__attacked") is None
