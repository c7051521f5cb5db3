"""A new site's whole first season from nightout's own pages, starting from a database that
holds only a site administrator: a region and its town (its area and districts), the town's
season, two agencies with their stations, their units from a spreadsheet, a crew member invited
who makes an account through the emailed link, a party phoned in and approved, and a plan built.
It fails if any address of the Django admin is asked for, or the browser refuses anything."""

import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import Event, EventStatus, Jurisdiction, Season, Station
from nightout.visits.models import PlanVersion, Unit
from tests.browser.test_csp import sign_in
from tests.browser.test_town_setup import EAST, WEST

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_site_admin_runs_a_new_sites_first_season_without_the_admin(page, tmp_path,
                                                                        settings):
    settings.PLANNER_WORKERS = 1
    page.set_default_timeout(60_000)
    User.objects.create_superuser("ada", password="nightout-demo")
    asked, refused = [], []
    page.on("request", lambda r: "/admin/" in r.url and asked.append(r.url))
    page.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text
            and refused.append(m.text))
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "ada")

    # A region, then its town with its area and districts.
    page.get_by_label("Name of the region").fill("Western Massachusetts")
    page.get_by_role("button", name="Add the region").click()
    expect(page.locator("body")).to_contain_text("Western Massachusetts added")
    page.get_by_role("link", name="Add a town").click()
    page.get_by_label("Name of the town or department").fill("Agawam")
    page.get_by_label("State").select_option("MA")
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_label("Region").select_option(label="Western Massachusetts")
    page.get_by_label("Or the area as GeoJSON").fill(json.dumps(
        {"type": "Polygon", "coordinates": [[*WEST[:2], *EAST[1:3], *WEST[3:]]]}))
    page.get_by_role("button", name="Check the town").click()
    page.get_by_role("button", name="Add the town").click()
    expect(page.locator("body")).to_contain_text("Agawam added")
    districts = tmp_path / "districts.kml"
    districts.write_text(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>' + "".join(
            f"<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
            + " ".join(f"{lon},{lat}" for lon, lat in ring)
            + "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
            for name, ring in (("West", WEST), ("East", EAST))) + "</Document></kml>")
    page.get_by_label("A file of the districts").set_input_files(districts)
    page.get_by_role("button", name="Check the districts").click()
    page.get_by_role("button", name="Save the districts").click()
    expect(page.locator("body")).to_contain_text("The districts of Agawam are saved.")

    # Its season, then two agencies, each with a station placed on the map.
    page.get_by_role("link", name="Start a season").click()
    page.get_by_role("button", name="Start the season").click()
    page.wait_for_url(re.compile(r"/settings/$"))
    season = Season.objects.get()
    for name, kind, station in (("Agawam Police Department", "local_police", "Headquarters"),
                                ("Agawam Fire Department", "fire", "Station 1")):
        page.goto(f"/plan/{season.slug}/agencies/")
        page.get_by_label("Name").fill(name)
        page.get_by_label("Kind").select_option(kind)
        page.get_by_role("button", name="Add the agency").click()
        expect(page.locator("body")).to_contain_text(f"{name} added")
        page.locator("#id_name").fill(station)
        page.locator("#pin-map").click()
        page.get_by_role("button", name="Add the station").click()
        expect(page.locator("body")).to_contain_text(f"{station} added to {name}")
    assert Station.objects.count() == 2

    # Their units, from a spreadsheet.
    page.goto(f"/plan/{season.slug}/units/")
    page.get_by_role("link", name="Add several from a spreadsheet").click()
    roster = tmp_path / "units.csv"
    roster.write_text("Agency,Name,Kind,Shift,Station,District\n"
                      "Agawam Police Department,Car 1,Police officers,5-9 PM,Headquarters,\n"
                      "Agawam Fire Department,Engine 1,Engine,5-9 PM,,West\n")
    page.get_by_label("The units' spreadsheet").set_input_files(roster)
    page.get_by_role("button", name="Check the sheet").click()
    page.get_by_role("button", name="Add the 2 units").click()
    expect(page.locator("body")).to_contain_text("2 units added: Car 1, Engine 1.")

    # A crew member of the police, invited, makes their account through the link.
    page.goto(f"/coordinate/{season.slug}/people/")
    page.get_by_label("Their email").fill("sam@agawam.example")
    page.get_by_label("As").select_option(label="Crew member of Agawam Police Department")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("Invited sam@agawam.example").wait_for()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    link = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", mail.outbox[-1].body)[1]
    page.goto(link)
    page.get_by_label("Username").fill("sam")
    page.locator("#id_password1").fill("Night-0ut-2030!")
    page.locator("#id_password2").fill("Night-0ut-2030!")
    page.get_by_role("button", name="Make my account").click()
    page.get_by_text("your account is made").wait_for()
    assert Membership.objects.filter(user__username="sam", role=Role.CREW).exists()

    # A party phoned in, approved; a plan built for it.
    sign_in(page, "ada")
    page.goto(f"/coordinate/{season.slug}/events/new/")
    page.get_by_label("How it reached you").select_option("phone")
    page.get_by_label("Name of the event").fill("Maple Court Cookout")
    page.get_by_label("Street address").fill("120 Elm Street")
    page.get_by_label("ZIP code").fill("01001")
    page.get_by_label("Map pin: latitude").fill("42.065")
    page.get_by_label("Map pin: longitude").fill("-72.63")
    page.get_by_label("Police officers").check()
    page.get_by_label("Host's name").fill("Dolores Ruiz")
    page.get_by_label("Host's phone").fill("413-555-0142")
    page.get_by_role("button", name="Add the party").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("body")).to_contain_text("Approved")
    event = Event.objects.get()
    assert event.status == EventStatus.APPROVED and event.district == "West"
    page.goto(f"/plan/{season.slug}/")
    page.get_by_label("Time budget (seconds)").fill("1")
    page.get_by_role("button", name="Build plan").click()
    page.wait_for_url(re.compile(r"/v/1/$"))
    version = PlanVersion.objects.get()
    assert version.status == "done"
    assert list(version.stops.values_list("unit__name", "event__title")) == [
        ("Car 1", "Maple Court Cookout")]
    assert Jurisdiction.objects.get().regions.get().name == "Western Massachusetts"
    assert Unit.objects.count() == 2
    assert asked == [] and refused == []
