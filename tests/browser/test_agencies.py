"""A coordinator, on a phone and on a laptop, adds an agency and places its station by
clicking the map, then adds a unit from it with a district chosen from the town's, all from
nightout's own pages: no page is wider than its screen, axe-core finds no serious violation,
and nothing asks for the administration."""

import re

import pytest
from playwright.sync_api import expect

from nightout.registry.models import Agency, Station
from nightout.visits.models import Unit
from tests.browser.test_change_review import fits, no_serious_violations
from tests.browser.test_csp import sign_in
from tests.browser.test_finder import ARTIFACTS, axe_script  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
def _square(west: float, east: float) -> dict:
    ring = [[west, 42.0], [east, 42.0], [east, 42.2], [west, 42.2], [west, 42.0]]
    return {"type": "Polygon", "coordinates": [ring]}


DISTRICTS = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": name}, "geometry": _square(w, e)}
    for name, w, e in (("West", -72.8, -72.61), ("East", -72.61, -72.4))]}


@pytest.fixture
def town(casey_season):
    casey_season.jurisdiction.districts = DISTRICTS
    casey_season.jurisdiction.save()
    return casey_season


@pytest.mark.parametrize("width", [390, 1366])
def test_an_agency_its_station_and_a_unit_from_the_coordinators_pages(
        page, town, axe_script, width):  # noqa: F811
    asked = []
    page.on("request", lambda r: "/admin/" in r.url and asked.append(r.url))
    page.add_init_script(path=str(axe_script))
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "casey")
    page.goto(f"/plan/{town.slug}/units/")
    page.get_by_role("link", name="Agencies and stations").click()
    page.get_by_label("Name").fill("Agawam Police Department")
    page.get_by_label("Kind").select_option("local_police")
    page.get_by_role("button", name="Add the agency").click()
    page.wait_for_url(re.compile(r"/agencies/agawam-police-department/$"))
    page.locator("#id_name").fill("Headquarters")
    page.locator("#pin-map").click()  # the pin where the station is
    assert page.get_by_label("Map pin: latitude").input_value() != ""
    fits(page, width)
    no_serious_violations(page)
    page.screenshot(path=ARTIFACTS / f"agency-station-{width}.png", full_page=True)
    page.get_by_role("button", name="Add the station").click()
    expect(page.locator("body")).to_contain_text("Headquarters added to Agawam Police Department")
    station = Station.objects.get(name="Headquarters")
    assert abs(station.latitude - town.jurisdiction.center_latitude) < 0.05
    page.get_by_label("What it is for").fill("Dispatch console")
    page.get_by_role("button", name="Make a token").click()
    assert page.locator("code.secret").inner_text().startswith("nno_")
    fits(page, width)  # the token, shown once, breaks on a phone

    page.get_by_role("link", name="← Agencies of Agawam").click()
    page.get_by_role("link", name="Units of Agawam 2030").click()
    page.get_by_label("Agency").select_option(label="Agawam Police Department")
    page.get_by_label("Name").fill("Car 7")
    page.get_by_label("Shift start").fill("17:00")
    page.get_by_label("Shift end").fill("21:00")
    page.get_by_label("Start station").select_option(label=str(station))
    assert page.get_by_label("District").locator("option").all_inner_texts() == [
        "Anywhere in the town", "West", "East"]
    page.get_by_label("District").select_option("East")
    page.get_by_role("button", name="Add unit").click()
    expect(page.locator("main table")).to_contain_text("Car 7")
    assert Unit.objects.get(name="Car 7").district == "East"
    fits(page, width)
    assert Agency.objects.count() == 1 and asked == []
