"""A site administrator of a new site, on a phone and on a laptop, adds the first town: its
name, state and zone, its area drawn on the map, checked on a preview and added; then its
districts from a file, previewed and saved; then its first season, whose hours are explained in
one place. No page is wider than its screen, axe-core finds no serious or critical violation,
the browser refuses nothing, and no page of the Django admin is asked for."""

import json
import re

import pytest
from playwright.sync_api import expect

from nightout.accounts.models import User
from nightout.registry.models import AuditEntry, Jurisdiction, Season
from tests.browser.test_change_review import fits, no_serious_violations
from tests.browser.test_csp import sign_in
from tests.browser.test_finder import ARTIFACTS, axe_script  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEST = [[-72.66, 42.04], [-72.615, 42.04], [-72.615, 42.09], [-72.66, 42.09], [-72.66, 42.04]]
EAST = [[-72.615, 42.04], [-72.57, 42.04], [-72.57, 42.09], [-72.615, 42.09], [-72.615, 42.04]]


@pytest.mark.parametrize("width", [390, 1366])
def test_a_site_admin_sets_up_the_first_town_from_the_map(page, axe_script, width, tmp_path):  # noqa: F811
    User.objects.create_superuser("ada", password="nightout-demo")
    ARTIFACTS.mkdir(exist_ok=True)
    refused, asked = [], []
    page.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text
            and refused.append(m.text))
    page.on("request", lambda r: "/admin/" in r.url and asked.append(r.url))
    page.add_init_script(path=str(axe_script))
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "ada")
    expect(page.locator("h1")).to_have_text("Towns")  # a new site starts with its first town
    page.get_by_role("link", name="Add a town").click()
    page.get_by_label("Name of the town or department").fill("Agawam")
    page.get_by_label("State").select_option("MA")
    page.get_by_label("Time zone").select_option("America/New_York")
    # Find the town on the map of the country, then draw a rectangle over it.
    page.evaluate("() => document.querySelector('#area-map').scrollIntoView()")
    page.locator(".leaflet-draw-draw-rectangle").click()
    box = page.locator("#area-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.6, steps=5)
    page.mouse.up()
    drawn = json.loads(page.get_by_label("Or the area as GeoJSON").input_value())
    assert drawn["features"][0]["geometry"]["type"] == "Polygon"
    fits(page, width)
    no_serious_violations(page)
    page.screenshot(path=ARTIFACTS / f"town-new-{width}.png", full_page=True)
    # The drawing was a rough one: the town's limits from its GIS file replace it.
    page.get_by_label("Or the area as GeoJSON").fill(json.dumps(
        {"type": "Polygon", "coordinates": [[*WEST[:2], *EAST[1:3], *WEST[3:]]]}))
    page.get_by_role("button", name="Check the town").click()
    expect(page.get_by_role("heading", name="Check before adding Agawam, MA")).to_be_visible()
    assert not Jurisdiction.objects.exists()
    fits(page, width)
    page.get_by_role("button", name="Add the town").click()
    page.wait_for_url(re.compile(r"/towns/agawam-ma/$"))
    expect(page.locator("body")).to_contain_text("Agawam added")

    districts = tmp_path / "districts.geojson"
    districts.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"DISTRICT": name},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for name, ring in (("West", WEST), ("East", EAST))]}))
    page.get_by_label("A file of the districts").set_input_files(districts)
    page.get_by_role("button", name="Check the districts").click()
    expect(page.locator("body")).to_contain_text("2 districts: West, East.")
    fits(page, width)
    no_serious_violations(page)
    page.screenshot(path=ARTIFACTS / f"town-districts-{width}.png", full_page=True)
    page.get_by_role("button", name="Save the districts").click()
    expect(page.locator("body")).to_contain_text("The districts of Agawam are saved.")
    assert Jurisdiction.objects.get().district_names == ["West", "East"]

    page.get_by_role("link", name="Start a season").click()
    page.get_by_role("button", name="Start the season").click()
    page.wait_for_url(re.compile(r"/coordinate/agawam-ma-\d{4}/settings/$"))
    expect(page.get_by_role("group", name="The night's window")).to_be_visible()
    fits(page, width)
    no_serious_violations(page)
    assert Season.objects.count() == 1
    assert list(AuditEntry.objects.filter(season__isnull=True).order_by("pk")
                .values_list("action", flat=True)) == ["town added", "districts set"]
    assert refused == [] and asked == []
