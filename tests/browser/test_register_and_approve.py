"""A host registers a party in Chromium, pinning it on the map; the coordinator approves it."""

import re

import pytest

from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import ClosureFeeTier, Event, EventStatus
from nightout.registry.services import activities_ensure_standard, season_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def upcoming(jurisdiction):
    activities_ensure_standard()  # a transactional test starts from an emptied database
    season = season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030",
                           neighbor_consent_percent=75, permit_prefix="AG")
    ClosureFeeTier.objects.create(season=season, filed_by=season.at(season.nno_date,
                                                                    season.default_start),
                                  fee=0, label="Free")
    user = User.objects.create_user("casey", password="nightout-demo")
    Membership.objects.create(user=user, role=Role.COORDINATOR, jurisdiction=jurisdiction)
    return season


def test_host_registers_with_a_map_pin_and_coordinator_approves(page, upcoming):
    page.goto("/register/")
    page.get_by_role("link", name=re.compile("Agawam")).click()
    page.get_by_label("Name of your event").fill("Maple Court Block Party")
    page.get_by_label("Street address").fill("15 Maple Court, Agawam")
    page.get_by_label("ZIP code").fill("01001")
    page.get_by_label("Music").check()
    # The map replaces typing coordinates: a click drops the pin and fills them in.
    assert page.locator("#pin-map").is_visible()
    page.locator("#pin-map").click(position={"x": 120, "y": 100})
    assert page.get_by_label("Map pin: latitude").input_value() != ""
    page.get_by_label("Police officers").check()
    page.get_by_label("Close the street for the event").check()
    page.get_by_label("Street to close").fill("Maple Court")
    page.get_by_label(re.compile("75% of the households")).check()
    page.get_by_label("Your name").fill("Robin Host")
    page.get_by_label("Your email").fill("robin@example.org")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r"/manage/"))
    assert page.get_by_text("Status: Submitted").is_visible()
    event = Event.objects.get()
    assert event.host_contact.email == "robin@example.org"
    assert event.location_precision == "address"

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("nightout-demo")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/coordinate/{upcoming.slug}/")
    page.get_by_role("link", name="Maple Court Block Party").click()
    assert page.get_by_text("robin@example.org").is_visible()
    colour = "el => getComputedStyle(el).backgroundColor"
    assert (page.get_by_role("button", name="Reject").evaluate(colour)
            != page.get_by_role("button", name="Approve").evaluate(colour))  # told apart
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_text("Approved “Maple Court Block Party”").is_visible()
    event.refresh_from_db()
    assert event.status == EventStatus.APPROVED
    assert event.closures.get().permit_number == "AG-2030-00001"
    assert page.get_by_role("cell", name="Approved", exact=True).is_visible()  # the history
    assert page.get_by_text("Status: submitted → approved").is_visible()
