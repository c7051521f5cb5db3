"""A coordinator on a phone invites a crew member; the crew member opens the emailed link on
their phone, chooses a password and lands signed in with the role: every page fits the
screen, axe-core finds no serious violation, and nothing asks for the administration."""

import re

import pytest
from django.core import mail

from nightout.accounts.models import Membership, Role
from nightout.registry.models import Agency, AgencyKind, Station
from tests.browser.test_change_review import fits, no_serious_violations
from tests.browser.test_csp import sign_in
from tests.browser.test_finder import ARTIFACTS, axe_script  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(casey_season):
    police = Agency.objects.create(name="Agawam Police", slug="agawam-police",
                                   kind=AgencyKind.LOCAL_POLICE,
                                   jurisdiction=casey_season.jurisdiction)
    Station.objects.create(agency=police, name="HQ", latitude=42.07, longitude=-72.615)
    return casey_season


def test_a_crew_member_is_invited_and_signs_up_on_a_phone(page, town, axe_script):  # noqa: F811
    asked = []
    page.on("request", lambda r: "/admin/" in r.url and asked.append(r.url))
    page.add_init_script(path=str(axe_script))
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "casey")
    page.goto("/coordinate/")
    page.get_by_role("link", name="People: roles and invitations").click()
    page.get_by_label("Their email").fill("sam@agawam.example")
    page.get_by_label("As").select_option(label="Crew member of Agawam Police")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("Invited sam@agawam.example").wait_for()
    fits(page, 390)
    no_serious_violations(page)
    page.screenshot(path=ARTIFACTS / "people-390.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()

    link = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", mail.outbox[-1].body)[1]
    page.goto(link)
    page.get_by_label("Username").fill("sam")
    page.locator("#id_password1").fill("Night-0ut-2030!")
    page.locator("#id_password2").fill("Night-0ut-2030!")
    fits(page, 390)
    no_serious_violations(page)
    page.get_by_role("button", name="Make my account").click()
    page.get_by_text("your account is made").wait_for()
    assert "Crew" in page.inner_text("main")
    assert Membership.objects.filter(user__username="sam", role=Role.CREW).exists()
    fits(page, 390)
    assert asked == []
