"""The queue as a work list, in Chromium on a phone and a laptop: it opens on what awaits a
decision, a filter change updates the list (and the browser refuses nothing), the box in the
heading ticks the page, a refused bulk decision keeps the ticks and marks the row, and after a
decision the next awaiting registration is one click away."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from nightout.registry.models import Event, EventStatus
from nightout.registry.services import (
    EventInput,
    HostInput,
    event_register,
    event_reject,
)
from tests.browser.test_change_review import fits, no_serious_violations
from tests.browser.test_csp import sign_in
from tests.browser.test_finder import ARTIFACTS, axe_script  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue(casey_season):
    season, user = casey_season, casey_season.coordinator
    events = [event_register(season=season, data=EventInput(
        title=f"Party on {street}", address=f"{100 + n * 100} {street}", postal_code="01001",
        latitude=42.0702 + n * 0.001, longitude=-72.6155, starts=dt.time(17),
        ends=dt.time(20, 30), host=HostInput(name="Robin Host", email="robin@example.org")))
        for n, street in enumerate(["Elm Street", "Oak Street", "Main Street"])]
    event_reject(event=events[2], user=user, reason="Two on one block")
    return season


@pytest.mark.parametrize("width", [390, 1366])
def test_the_queue_is_a_work_list(page, queue, axe_script, width):  # noqa: F811
    refused = []
    page.on("console", lambda m: m.type == "error" and refused.append(m.text))
    page.add_init_script(path=str(axe_script))
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "casey")
    page.goto(f"/coordinate/{queue.slug}/")
    table = page.locator("table.queue")
    assert "Party on Elm Street" in table.inner_text()
    assert "Party on Main Street" not in table.inner_text()  # rejected: not awaiting
    no_serious_violations(page)

    page.get_by_label("Status").select_option("")  # any status: the list follows
    page.locator("table.queue").filter(has_text="Party on Main Street").wait_for()
    page.get_by_label("Select every registration on this page").check()
    assert all(box.is_checked() for box in page.locator('input[name="events"]').all())
    page.get_by_role("button", name="Apply to selected").click()
    page.get_by_text("Nothing was changed: 1 of 3 could not be approved.").wait_for()
    assert all(box.is_checked() for box in page.locator('input[name="events"]').all())
    assert "Not changed" in page.locator("tr.failed").inner_text()
    assert not Event.objects.filter(status=EventStatus.APPROVED).exists()
    fits(page, width)
    page.screenshot(path=ARTIFACTS / f"queue-refused-{width}.png", full_page=True)

    page.goto(f"/coordinate/{queue.slug}/")
    page.get_by_role("link", name="Party on Elm Street").click()
    page.get_by_role("button", name="Approve").click()
    page.get_by_role("link", name=re.compile("Next awaiting")).click()
    expect(page.locator("h1")).to_have_text("Party on Oak Street")
    fits(page, width)
    assert [e for e in refused if "Content Security Policy" in e or "Refused" in e] == []
