"""The public finder in Chromium: a newcomer finds Chicopee's 2017 night and takes its
calendar file; axe-core finds no serious or critical accessibility violation."""

import base64
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


AXE_PAGES = ["/", "/?q=Chicopee", "/widget/", "/widget/chicopee/", "/seasons/", "/transparency/",
             "/register/", "/register/lakeport-2027/", "/trust/agawam-2017/",
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


# -- the live search, history and the phone layout ------------------------------------------

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# Every refusal of the content security policy is reported to the page as an event.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(
    `${e.effectiveDirective} refused ${e.blockedURI || "inline"}`));
"""


BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


class Watched:
    """A tab whose console errors, refused content and map requests are recorded."""

    def __init__(self, chromium, live_server, viewport=DESKTOP, **options):
        self.context = chromium.new_context(base_url=live_server.url, viewport=viewport,
                                            **options)
        self.context.add_init_script(LISTEN)
        # The map's tiles come from a server on the internet: here a blank tile stands in.
        self.context.route(lambda url: not url.startswith(live_server.url),
                           lambda route: route.fulfill(status=200, content_type="image/png",
                                                       body=BLANK_PNG))
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors, self.points = [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: "/map/points.geojson" in r.url
                     and self.points.append(r.url))

    def refused(self) -> list[str]:
        self.page.wait_for_timeout(150)  # violation events are dispatched as a task
        return self.page.evaluate("window.__violations || []") + [
            e for e in self.errors if "Content Security Policy" in e or "Refused to" in e]

    def map_follows(self, needle: str):
        """Waits until the map has asked for the points of the search `needle` names."""
        for _ in range(150):  # as long as any other wait of the page (a busy machine)
            if self.points and needle in self.points[-1]:
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(f"the map's last request {self.points[-1:]} is not for {needle}")

    def close(self):
        self.context.close()


@pytest.fixture
def watched(chromium, live_server):
    tabs = []

    def open_tab(**options):
        tabs.append(Watched(chromium, live_server, **options))
        return tabs[-1]

    yield open_tab
    for tab in tabs:
        tab.close()


def results_say(page, text: str):
    page.locator("#results .count").filter(has_text=text).wait_for()


def test_the_map_follows_every_live_search(watched):
    call_command("demo", stdout=StringIO())
    tab = watched(geolocation={"latitude": 42.1487, "longitude": -72.6079},
                  permissions=["geolocation"])
    page = tab.page
    page.goto("/")
    tab.map_follows("bbox=")  # fitted to the first results, then asked for its own view
    page.get_by_label("Address, ZIP code or town").fill("Chicopee")  # typed: no button
    results_say(page, "Chicopee")
    tab.map_follows("q=Chicopee")
    page.get_by_label("Season").select_option("2017")
    results_say(page, "Chicopee")
    tab.map_follows("when=2017")
    assert "radius=2" in tab.points[-1]
    page.get_by_role("button", name="Near me").click()
    results_say(page, "your location")
    tab.map_follows("near=42.149%2C-72.608")
    assert tab.refused() == [] and tab.errors == []


def test_back_and_forward_show_the_search_the_address_names(watched):
    call_command("demo", stdout=StringIO())
    tab = watched()
    page = tab.page
    page.goto("/?when=2017")
    box = page.get_by_label("Address, ZIP code or town")
    for town in ("Chicopee", "Agawam", "Palmer"):
        box.fill(town)
        results_say(page, town)
        page.wait_for_url(f"**q={town}**")
    tab.map_follows("q=Palmer")

    def shows(town: str):
        page.wait_for_url(f"**q={town}**")
        page.wait_for_load_state("load")
        results_say(page, town)
        assert page.locator("#results .count strong").inner_text().startswith(town)
        assert box.input_value() == town
        tab.map_follows(f"q={town}")
        page.wait_for_timeout(300)
        assert page.locator(".leaflet-control-zoom").count() == 1
        assert page.locator(".leaflet-container").count() == 1
        assert tab.refused() == []

    page.go_back()
    shows("Agawam")
    page.go_back()
    shows("Chicopee")
    page.go_forward()
    shows("Agawam")
    page.go_forward()
    shows("Palmer")
    assert tab.errors == []


def test_a_shared_link_shows_the_default_radius_and_the_next_search_keeps_it(watched):
    call_command("demo", stdout=StringIO())
    tab = watched()
    page = tab.page
    page.goto("/?q=Chicopee")
    page.get_by_label("Season").select_option("all")
    page.wait_for_url("**when=all**")
    results_say(page, "Chicopee")
    # The first page's map already asked for every season (nothing upcoming matched): wait
    # for the points of the search the form sent, which names its radius.
    tab.map_follows("radius=2")
    assert "radius=2" in page.url and "when=all" in tab.points[-1]
    assert page.get_by_label("Within").input_value() == "2"


def test_near_me_shows_only_where_it_can_work(watched):
    tab = watched(java_script_enabled=False)
    tab.page.goto("/")
    assert tab.page.locator("#near-me").count() == 1
    assert not tab.page.get_by_role("button", name="Near me").is_visible()
    with_script = watched(permissions=["geolocation"])
    with_script.page.goto("/")
    assert with_script.page.get_by_role("button", name="Near me").is_visible()


def in_view(page, selector: str) -> bool:
    return page.evaluate("""(selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return box.top >= -2 && box.top < window.innerHeight - 40; }""", selector)


def test_on_a_phone_the_results_are_in_view_and_next_lands_on_the_new_page(watched):
    call_command("demo", stdout=StringIO())
    tab = watched(viewport=PHONE)
    page = tab.page
    page.goto("/")
    page.locator("#results li").first.wait_for()
    assert in_view(page, "#results .count")
    assert in_view(page, "#results li:first-child h3")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "finder-phone.png")
    # The filters are folded away: opened, they take the screen; a change brings the
    # results into view, and says what changed to a screen reader.
    page.get_by_text("Filters", exact=False).first.click()
    page.get_by_label("Town", exact=True).select_option("lakeport")
    page.wait_for_url("**town=lakeport**")
    page.wait_for_timeout(400)
    assert in_view(page, "#results .count")
    count = page.locator("#results .count").inner_text()
    assert page.locator("#results-announced").inner_text().strip() == count.strip()
    page.screenshot(path=ARTIFACTS / "finder-phone-filtered.png")
    page.get_by_role("link", name="Next").click()
    page.locator("#results .pager").filter(has_text="Page 2 of").wait_for()
    page.wait_for_timeout(400)
    assert in_view(page, "#results")
    assert page.evaluate("document.activeElement.closest('#results') !== null")
    page.screenshot(path=ARTIFACTS / "finder-phone-page-2.png")
    assert tab.refused() == [] and tab.errors == []


def no_page_wide_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_the_public_pages_fit_the_screen_and_link_to_trust_and_transparency(watched, viewport):
    call_command("demo", stdout=StringIO())
    tab = watched(viewport=viewport)
    page = tab.page
    ARTIFACTS.mkdir(exist_ok=True)
    name = f"{viewport['width']}px"
    for path in ("/", "/?q=Chicopee&when=all", "/seasons/", "/transparency/",
                 "/trust/agawam-2017/", "/transparency/western-massachusetts/"):
        page.goto(path)
        assert no_page_wide_scroll(page), path
        assert page.locator("a.brand").get_attribute("href") == "/"
        page.locator("footer").get_by_role("link", name="Trust and transparency").click()
        page.wait_for_url("**/transparency/")
    page.get_by_role("link", name="Western Massachusetts").first.click()
    page.wait_for_url("**/transparency/western-massachusetts/")
    table = page.locator("table").first
    assert table.bounding_box()["width"] <= viewport["width"]
    page.screenshot(path=ARTIFACTS / f"transparency-{name}.png", full_page=True)
    page.goto("/transparency/")
    page.get_by_role("link", name="Agawam, MA 2017").click()
    page.wait_for_url("**/trust/agawam-2017/")
    assert page.locator("table.trust").bounding_box()["width"] <= viewport["width"]
    page.screenshot(path=ARTIFACTS / f"trust-{name}.png", full_page=True)
    page.goto("/")
    page.screenshot(path=ARTIFACTS / f"finder-{name}.png")
    assert tab.refused() == []
