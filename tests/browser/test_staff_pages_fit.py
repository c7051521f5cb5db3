"""Every staff page of the demo's busiest season, on a 390 px phone and a 1,366 px laptop: no
page is wider than its screen (a wide table wraps or turns into cards) and axe-core finds no
serious or critical violation (on the phone: its rules do not depend on the width, and it
takes seconds a page). One run lists every page that fails, not only the first."""

import pytest

from nightout.registry.models import Agency, Event, EventStatus, Station
from nightout.visits.models import Unit
from tests.browser.test_change_review import fits, no_serious_violations
from tests.browser.test_csp import demo, sign_in  # noqa: F401 (a fixture)
from tests.browser.test_finder import ARTIFACTS, axe_script  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The rows of a long table after its first 20, built as those are: axe reads the first 20.
LATER_ROWS = ("table tbody tr:nth-child(n+21)",)


def staff_pages() -> list[str]:
    season = "lakeport-2027"
    event = Event.objects.filter(season__slug=season, status=EventStatus.SUBMITTED).first()
    car = Unit.objects.get(name="Central Car 1")
    police = Agency.objects.get(slug="lakeport-police-department")
    station = Station.objects.filter(agency=police).first()
    return [
        "/coordinate/", f"/coordinate/{season}/", f"/coordinate/{season}/events/{event.pk}/",
        f"/coordinate/{season}/events/{event.pk}/edit/", f"/coordinate/{season}/events/new/",
        f"/coordinate/{season}/settings/", f"/coordinate/{season}/people/",
        f"/coordinate/{season}/import/", f"/coordinate/{season}/lists/police/",
        f"/coordinate/{season}/lists/fire/", f"/coordinate/{season}/lists/public-works/",
        f"/coordinate/{season}/comments/", f"/coordinate/{season}/report/",
        f"/coordinate/{season}/report/awards/", "/coordinate/new-season/",
        "/towns/", "/towns/lakeport/",
        f"/plan/{season}/", f"/plan/{season}/v/1/", f"/plan/{season}/agencies/",
        f"/plan/{season}/agencies/{police.slug}/", f"/plan/{season}/stations/{station.pk}/",
        f"/plan/{season}/units/", f"/plan/{season}/units/from-a-sheet/",
        f"/plan/{season}/units/{car.pk}/",
        f"/plan/{season}/units/{car.pk}/edit/", f"/plan/{season}/units/{car.pk}/sheet/",
        f"/plan/{season}/board/?at=18:00", "/accounts/me/",
    ]


def test_every_staff_page_fits_the_screen_and_passes_axe(page, demo, axe_script):  # noqa: F811
    page.set_default_timeout(60_000)
    page.add_init_script(path=str(axe_script))
    sign_in(page, "coordinator")
    ARTIFACTS.mkdir(exist_ok=True)
    failed = []
    for width in (390, 1366):  # one demo for both: it takes a minute to load
        page.set_viewport_size({"width": width, "height": 844})
        for path in staff_pages():
            response = page.goto(path)
            if response.status != 200:
                failed.append(f"{path}: answered {response.status}")
                continue
            checks = [lambda w=width: fits(page, w)]
            if width == 390:  # what axe checks is the same at both widths; it takes seconds
                checks.append(lambda: no_serious_violations(page, exclude=LATER_ROWS))
            for check in checks:
                try:
                    check()
                except AssertionError as error:
                    failed.append(f"{path} at {width} px: {str(error)[:400]}")
            if path.endswith(("/report/", "/awards/")):
                name = path.strip("/").replace("/", "-")
                page.screenshot(path=ARTIFACTS / f"staff-{name}-{width}.png", full_page=True)
    assert failed == [], "\n".join(failed)
