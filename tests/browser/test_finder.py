"""The public finder in Chromium: a newcomer finds Chicopee's 2017 night and takes its
calendar file; axe-core finds no serious or critical accessibility violation."""

import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import icalendar
import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.conftest import require

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
# axe-core comes from the npm registry into a cache outside the repository's files.
AXE_DIR = ROOT / ".venv" / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(autouse=True)
def empty_cache():
    """The finder keeps pages per data version; ids start again after each flushed test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists() and shutil.which("npm") and not os.environ.get("NIGHTOUT_NO_NPM"):
        subprocess.run(["npm", "install", "--prefix", str(AXE_DIR), "--no-save",
                        "--no-package-lock", "--silent", "axe-core@4"],
                       check=False, timeout=180, capture_output=True)
    require("axe", AXE.exists(), "axe-core is not installed (needs npm and the npm registry)")
    return AXE


def test_a_newcomer_finds_chicopee_and_downloads_its_calendar_file(page):
    call_command("demo", stdout=StringIO())
    page.goto("/")
    page.get_by_label("Address, ZIP code or town").fill("Chicopee")
    page.get_by_role("button", name="Search").click()
    result = page.locator("#results li").filter(has_text="Chicopee National Night Out")
    result.wait_for()
    assert "Monday 7 August 2017, 5:00 PM" in result.inner_text()
    assert "9:00 PM" in result.inner_text()
    assert "Sarah Jane Sherman Park" in result.inner_text()
    result.get_by_role("link", name="Chicopee National Night Out").click()
    page.wait_for_url("**/events/*/")
    facts = page.locator("dl.event-facts").inner_text()
    assert "Monday 7 August 2017" in facts and "5:00 PM to 9:00 PM" in facts
    assert "Sarah Jane Sherman Park" in facts
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "finder-event.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    body = Path(download.value.path()).read_bytes()
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    start = event.decoded("dtstart")
    assert (start.year, start.month, start.day, start.hour) == (2017, 8, 7, 17)
    assert str(start.tzinfo) == "America/New_York"
    assert event.decoded("dtend").hour == 21
    assert "Sarah Jane Sherman Park" in str(event["location"])


def test_the_filters_update_the_results_in_place(page):
    call_command("demo", stdout=StringIO())
    page.goto("/")
    page.get_by_label("Season").select_option("2017")
    page.locator("#results li").filter(has_text="Palmer National Night Out").wait_for()
    assert page.url.endswith("when=2017") or "when=2017" in page.url
    assert page.locator("h1").inner_text() == "Find a National Night Out party"


def test_the_big_citys_map_draws_clusters_not_every_party(page):
    call_command("demo", stdout=StringIO())
    page.goto("/?town=lakeport")
    page.locator(".leaflet-marker-icon.cluster").first.wait_for()
    markers = page.locator(".leaflet-marker-icon").count() + page.locator(
        "path.leaflet-interactive").count()
    assert 0 < markers < 300
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "finder-lakeport.png")


AXE_PAGES = ["/", "/?q=Chicopee", "/widget/", "/widget/chicopee/", "/seasons/", "/register/",
             "/register/lakeport-2027/", "/trust/agawam-2017/",
             "/transparency/western-massachusetts/", "/accounts/login/"]


def test_axe_finds_no_serious_or_critical_violation_on_the_public_pages(page, axe_script):
    from nightout.registry.models import Event

    call_command("demo", stdout=StringIO())
    chicopee = Event.objects.get(season__slug="chicopee-2017")
    home = Event.objects.filter(season__slug="lakeport-2027", status="approved",
                                is_private_home=True).first()
    problems = []
    from nightout.surveys.tokens import survey_url

    event_pages = [f"/events/{chicopee.pk}/", f"/events/{home.pk}/",
                   f"/events/{chicopee.pk}/poster/", survey_url(chicopee),
                   survey_url(chicopee) + "?lang=es"]
    # Loaded as the browser's own script on every page: the content security policy refuses
    # a script tag added to the page.
    page.add_init_script(path=str(axe_script))
    for url in [*AXE_PAGES, *event_pages]:
        page.goto(url)
        result = page.evaluate(
            "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append((url, violation["id"], violation["help"],
                                 [n["target"] for n in violation["nodes"]][:3]))
    assert problems == []
