"""The demo's home page in a real browser."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from nightout.registry.models import Event, EventStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_demo_home_page_shows_the_seasons(page):
    call_command("demo", stdout=StringIO())
    response = page.goto("/seasons/")
    assert response.status == 200
    assert page.title() == "Seasons · nightout"
    assert page.get_by_role("heading", name="National Night Out", level=1).is_visible()
    chicopee = page.get_by_role("row", name=re.compile("Chicopee, MA"))
    assert "Monday 7 August 2017" in chicopee.inner_text()
    approved = Event.objects.filter(season__slug="lakeport-2027", status=EventStatus.APPROVED)
    lakeport = page.get_by_role("row", name=re.compile("Lakeport, MN"))
    assert lakeport.get_by_role("cell").last.inner_text() == f"{approved.count():,}"
    # The stylesheet loaded: the header band is painted.
    band = page.locator("header.site").evaluate("e => getComputedStyle(e).backgroundColor")
    assert band == "rgb(15, 42, 74)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "home.png", full_page=True)


def test_a_demo_login_reaches_its_region_and_its_roles_page(page):
    call_command("demo", stdout=StringIO())
    page.goto("/")
    page.get_by_role("link", name="Staff sign-in").click()
    page.get_by_label("Username").fill("organizer")
    page.get_by_label("Password").fill("nightout-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/region/western-massachusetts/")  # an organizer's region, first
    page.goto("/accounts/me/")
    assert page.get_by_role("cell", name="Western Massachusetts").is_visible()
    assert page.get_by_role("cell", name="Regional organizer").is_visible()
