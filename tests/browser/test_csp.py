"""The content security policy in Chromium: the main pages of every role load, draw their maps
and charts and run their scripts without a single violation."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from nightout.registry.models import Event, Season
from nightout.registry.services import Actor
from nightout.visits.models import Unit
from nightout.visits.services import version_queue_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every refusal is reported to the page as a `securitypolicyviolation` event, and by Chromium
# on the console as "Refused to ...".
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(
    `${e.effectiveDirective} refused ${e.blockedURI || "inline"}`
    + ` (${e.sourceFile}:${e.lineNumber})`));
"""


class Violations:
    def __init__(self, page):
        self.page, self.found = page, []
        page.context.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message):
        if "Refused to" in message.text or "Content Security Policy" in message.text:
            self.found.append(f"{self.page.url}: console: {message.text}")

    def visit(self, path: str):
        response = self.page.goto(path)
        assert response.status == 200, path
        assert "Content-Security-Policy" in response.headers or (
            "content-security-policy" in response.headers), path
        self.page.wait_for_load_state("load")
        self.collect()

    def collect(self):
        self.page.wait_for_timeout(150)  # violation events are dispatched as a task
        found = self.page.evaluate("window.__violations || []")
        self.found += [f"{self.page.url}: {v}" for v in found]
        self.page.evaluate("window.__violations = []")


@pytest.fixture
def demo(live_server, settings):
    settings.PLANNER_WORKERS = 1
    cache.clear()
    call_command("demo", "--url", live_server.url, stdout=StringIO())
    lakeport = Season.objects.get(slug="lakeport-2027")
    version_queue_build(actor=Actor.system("test"), season=lakeport, seconds=1)
    yield lakeport
    cache.clear()


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("nightout-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_listener_sees_a_refused_inline_script(page, live_server):
    """The check below can fail: an inline script without the page's nonce is reported."""
    violations = Violations(page)
    violations.visit("/accounts/login/")
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.ran = true"; document.head.append(s); }""")
    violations.collect()
    assert page.evaluate("window.ran === undefined")
    assert any("script-src" in v for v in violations.found), violations.found


def test_the_main_pages_keep_to_the_content_security_policy(page, demo):
    page.set_default_timeout(60_000)
    violations = Violations(page)
    chicopee = Event.objects.get(season__slug="chicopee-2017")
    car = Unit.objects.get(name="Central Car 1")

    # The public: the finder with its maps, filters, an event page, the widget, the trust pulse.
    violations.visit("/")
    page.get_by_label("Season").select_option("2017")
    page.locator("#results li").filter(has_text="Palmer National Night Out").wait_for()
    violations.visit("/?town=lakeport")
    page.locator(".leaflet-marker-icon.cluster").first.wait_for()
    violations.collect()
    for path in (f"/events/{chicopee.pk}/", "/widget/", "/widget/lakeport/", "/seasons/",
                 "/trust/agawam-2017/", "/transparency/western-massachusetts/",
                 f"/events/{chicopee.pk}/poster/"):
        violations.visit(path)
    # A host registers with the map: a click drops the pin.
    violations.visit("/register/lakeport-2027/")
    page.locator("#pin-map").click(position={"x": 120, "y": 100})
    assert page.get_by_label("Map pin: latitude").input_value() != ""
    violations.collect()

    # The coordinator: the queue (filtered in place), the plan, its version, maps and sheets.
    sign_in(page, "coordinator")
    violations.visit("/coordinate/lakeport-2027/")
    page.locator("input[name=q]").press_sequentially("Block")
    page.wait_for_function("() => location.search.includes('q=Block')")
    violations.collect()
    for path in ("/plan/lakeport-2027/", "/plan/lakeport-2027/v/1/", "/plan/lakeport-2027/units/",
                 f"/plan/lakeport-2027/units/{car.pk}/",
                 f"/plan/lakeport-2027/units/{car.pk}/sheet/",
                 "/plan/lakeport-2027/board/?at=18:00", "/coordinate/lakeport-2027/report/",
                 "/coordinate/lakeport-2027/report/awards/", "/towns/", "/towns/lakeport/"):
        violations.visit(path)
    violations.visit(f"/plan/lakeport-2027/units/{car.pk}/")
    assert page.locator("#unit-map").bounding_box()["height"] == 420  # from its stylesheet
    # Its stops' markers: Leaflet's images, from the addresses the page gives it.
    page.wait_for_function("""() => { const img = document.querySelector(
        "#unit-map img.leaflet-marker-icon"); return img && img.complete && img.naturalWidth > 0
        && img.src.includes("/static/leaflet/images/marker-icon"); }""")

    # The crew on a phone: the night's stops, one marked done in place.
    sign_in(page, "crew")
    page.set_viewport_size({"width": 390, "height": 844})
    violations.visit(f"/plan/lakeport-2027/units/{car.pk}/phone/")
    page.locator("li.stop").first.get_by_role("button", name="Done").click()
    page.locator("li.stop .status", has_text="Done").first.wait_for()
    violations.collect()

    # The regional organizer's roll-up with its charts; the site administration.
    sign_in(page, "organizer")
    violations.visit("/region/western-massachusetts/")
    sign_in(page, "admin")
    for path in ("/admin/", "/admin/registry/event/",
                 f"/admin/registry/event/{chicopee.pk}/change/"):
        violations.visit(path)

    assert violations.found == []
