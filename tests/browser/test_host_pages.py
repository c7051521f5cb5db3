"""The pages a host or a resident meets off the beaten path, in Chromium at a phone's and a
laptop's width: asking again for a lost private link, a broken link, restoring a cancelled
party, and a survey that is not open yet (in Spanish). Each fits the screen, in the site's
layout, and axe-core finds no serious or critical violation."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from nightout.registry.actors import Actor
from nightout.registry.links import manage_url
from nightout.registry.models import EventStatus
from nightout.registry.services import (
    EventInput,
    HostInput,
    event_cancel,
    event_register,
    season_create,
)
from nightout.surveys.tokens import survey_url
from tests.browser.test_change_review import fits
from tests.browser.test_finder import axe_script  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def serious_violations(page) -> list:
    result = page.evaluate(
        "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
    return [(page.url, v["id"], v["help"]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def test_the_off_path_pages_fit_a_phone_and_a_laptop_and_pass_axe(page, jurisdiction,
                                                                  make_event, axe_script):  # noqa: F811
    season = season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030")
    cancelled = event_register(season=season, data=EventInput(
        title="Maple Court Block Party", address="15 Maple Court", postal_code="01001",
        latitude=42.0702, longitude=-72.6155, starts=dt.time(17), ends=dt.time(20, 30),
        host=HostInput(name="Robin Host", email="robin@example.org")))
    event_cancel(event=cancelled, actor=Actor.host(cancelled))
    start = timezone.now() + dt.timedelta(hours=5)
    later = make_event(status=EventStatus.APPROVED, starts_at=start,
                       ends_at=start + dt.timedelta(hours=3))
    pages = ["/manage/", "/manage/broken-link/", manage_url(cancelled),
             survey_url(later) + "?lang=es", f"/events/{later.pk}/"]
    page.add_init_script(path=str(axe_script))
    problems = []
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 844})
        for url in pages:
            page.goto(url)
            assert page.locator("header.site").is_visible(), url
            fits(page, width)
            problems += serious_violations(page)
    assert problems == []
    # The restore button does what it says, at a phone's width.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(manage_url(cancelled))
    page.get_by_role("button", name="Restore the event").click()
    assert page.get_by_text("Your event is restored").is_visible()
    cancelled.refresh_from_db()
    assert cancelled.status == EventStatus.SUBMITTED
