"""A host changes an approved party on a phone; the coordinator, on a phone and on a laptop,
sees what changed and accepts it. No page is wider than its screen, and axe-core finds no
serious or critical violation on either page."""

import re

import pytest

from nightout.accounts.models import Membership, Role, User
from nightout.registry.links import manage_url
from nightout.registry.models import Event
from nightout.registry.services import (
    EventInput,
    HostInput,
    activities_ensure_standard,
    event_approve,
    event_register,
    season_create,
)
from tests.browser.test_finder import ARTIFACTS, axe_script  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONG_TITLE = ("Maple Court and Birch Lane Neighbours' Annual Night Out With Music, Games and "
              "a Potluck for Everyone")


@pytest.fixture
def approved(jurisdiction):
    import datetime as dt

    activities_ensure_standard()  # a transactional test starts from an emptied database
    season = season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030")
    coordinator = User.objects.create_user("casey", password="nightout-demo")
    Membership.objects.create(user=coordinator, role=Role.COORDINATOR, jurisdiction=jurisdiction)
    event = event_register(season=season, data=EventInput(
        title="Maple Court Block Party", address="15 Maple Court", postal_code="01001",
        latitude=42.0702, longitude=-72.6155, starts=dt.time(17), ends=dt.time(20, 30),
        activities=["music"], host=HostInput(name="Robin Host", email="robin@example.org")))
    return event_approve(event=event, user=coordinator)


def fits(page, width: int) -> None:
    page.wait_for_load_state()  # a click's page may have its address but not yet its document
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    culprits = page.evaluate(
        "w => [...document.querySelectorAll('body *')].filter(e => "
        "e.getBoundingClientRect().right > w).slice(0, 5).map(e => e.outerHTML.slice(0, 90))",
        width)
    assert wide <= width, (f"{page.url} is {wide} px wide on a {width} px screen", culprits)


def no_serious_violations(page, exclude: tuple[str, ...] = ()) -> None:
    """axe-core's serious and critical violations on the page: none. `exclude` leaves out
    what repeats what is checked already (the 1,200th row of a list built like its first)."""
    result = page.evaluate(
        "exclude => axe.run({include: [document], exclude: exclude.map(e => [e])}, "
        "{runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})", list(exclude))
    serious = [(v["id"], [n["html"][:120] for n in v["nodes"]][:2]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, (page.url, serious)


def test_the_hosts_change_waits_and_the_coordinator_accepts_it_on_any_screen(
        page, approved, axe_script):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    # Loaded as the browser's own script: the content security policy refuses an added tag.
    page.add_init_script(path=str(axe_script))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(manage_url(approved))
    page.get_by_role("link", name="Change your event").click()
    page.get_by_label("Name of your event").fill(LONG_TITLE)
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url(re.compile(r"/manage/[^/]+/$"))
    waiting = page.locator("#pending-change")
    assert "waiting for the coordinator" in waiting.inner_text()
    assert LONG_TITLE in waiting.inner_text()
    fits(page, 390)
    no_serious_violations(page)
    page.screenshot(path=ARTIFACTS / "host-change-waiting-390.png", full_page=True)
    assert Event.objects.get().title == "Maple Court Block Party"

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("nightout-demo")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/coordinate/{approved.season.slug}/")
    page.get_by_role("link", name="1 host change to review").click()
    page.get_by_role("link", name="Maple Court Block Party").click()
    section = page.locator("#pending-change")
    assert "Maple Court Block Party" in section.inner_text() and LONG_TITLE in section.inner_text()
    fits(page, 390)
    no_serious_violations(page)
    page.screenshot(path=ARTIFACTS / "coordinator-change-review-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    fits(page, 1366)
    page.screenshot(path=ARTIFACTS / "coordinator-change-review-1366.png", full_page=True)
    page.get_by_role("button", name="Accept the change").click()
    assert page.get_by_text("Accepted the host's change").is_visible()
    assert Event.objects.get().title == LONG_TITLE
