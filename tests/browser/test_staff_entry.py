"""A coordinator, on a phone and on a laptop, enters a party that was phoned in, changes it,
rejects it and reopens it, from the coordinator's own pages. No page is wider than its screen,
axe-core finds no serious or critical violation, and the browser refuses nothing."""

import re

import pytest
from playwright.sync_api import expect

from nightout.registry.models import AuditEntry, Event, EventStatus
from tests.browser.test_change_review import fits, no_serious_violations
from tests.browser.test_csp import sign_in
from tests.browser.test_finder import ARTIFACTS, axe_script  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1366])
def test_a_party_phoned_in_is_entered_changed_rejected_and_reopened(
        page, casey_season, axe_script, width):  # noqa: F811
    season = casey_season
    ARTIFACTS.mkdir(exist_ok=True)
    refused = []
    page.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text
            and refused.append(m.text))
    page.add_init_script(path=str(axe_script))
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "casey")
    page.goto(f"/coordinate/{season.slug}/")
    page.get_by_role("link", name="Add a party phoned or walked in").click()
    page.wait_for_url(re.compile(r"/events/new/$"))
    fits(page, width)
    no_serious_violations(page)
    page.get_by_label("How it reached you").select_option("phone")
    page.get_by_label("Name of the event").fill("Maple Court Cookout")
    page.get_by_label("Street address").fill("120 Elm Street")
    page.get_by_label("ZIP code").fill("01001")
    page.get_by_label("Map pin: latitude").fill("42.0702")
    page.get_by_label("Map pin: longitude").fill("-72.6155")
    page.get_by_label("Host's name").fill("Dolores Ruiz")
    page.get_by_label("Host's phone").fill("413-555-0142")
    page.get_by_role("button", name="Add the party").click()
    page.wait_for_url(re.compile(r"/coordinate/agawam-2030/events/\d+/$"))
    expect(page.locator("body")).to_contain_text("waits in the queue")
    event = Event.objects.get()
    assert event.source == "phone" and event.status == EventStatus.SUBMITTED
    fits(page, width)
    page.screenshot(path=ARTIFACTS / f"staff-entry-{width}.png", full_page=True)

    page.get_by_role("link", name="Change the registration").click()
    page.wait_for_url(re.compile(r"/events/\d+/edit/$"))
    page.get_by_label("Name of the event").fill("Maple Court Night Out")
    page.get_by_label("Town's notes").fill("Called back Tuesday.")
    fits(page, width)
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("body")).to_contain_text(
        "Title: Maple Court Cookout → Maple Court Night Out")

    page.get_by_label("Reason, sent to the host").fill("Same block as another party.")
    page.get_by_role("button", name="Reject").click()
    page.get_by_role("button", name="Reopen “Maple Court Night Out”").click()
    expect(page.locator("body")).to_contain_text("Reopened")
    fits(page, width)
    no_serious_violations(page)
    page.screenshot(path=ARTIFACTS / f"staff-reopened-{width}.png", full_page=True)
    assert Event.objects.get().status == EventStatus.SUBMITTED
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "registered", "edited", "rejected", "reopened"]
    assert refused == []
