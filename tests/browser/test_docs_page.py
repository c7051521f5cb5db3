"""The API's reference at /api/docs in Chromium, on a phone (390 px) and a laptop (1366 px):
every operation listed and reachable by its anchor, nothing fetched from elsewhere, nothing
refused by the content security policy, no page-wide sideways scroll, a region that scrolls
can be reached with the keyboard, and axe-core finds no serious or critical violation."""

import pytest

from tests.browser.test_change_review import fits
from tests.browser.test_finder import ARTIFACTS, axe_script  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (e) => window.__refused.push(
    `${e.effectiveDirective} refused ${e.blockedURI || "inline"}`));
"""
AXE = "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"


@pytest.mark.parametrize("width", [390, 1366], ids=["390px", "1366px"])
def test_the_reference_lists_every_operation_fits_the_screen_and_passes_axe(
        chromium, live_server, axe_script, width):  # noqa: F811
    context = chromium.new_context(base_url=live_server.url,
                                   viewport={"width": width, "height": 844})
    context.add_init_script(LISTEN)
    context.add_init_script(path=str(axe_script))
    page = context.new_page()
    page.set_default_timeout(15_000)
    elsewhere, console = [], []
    page.on("request", lambda r: None if r.url.startswith(live_server.url)
            or r.url.startswith("data:") else elsewhere.append(r.url))
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    try:
        page.goto("/api/docs")
        description = page.request.get("/api/openapi.json").json()
        paths = page.locator(".api-toc .api-path").all_inner_texts()
        assert paths == [path for path, methods in description["paths"].items()
                         for _ in methods]
        assert paths[0] == "/api/events" and len(paths) == 8
        fits(page, width)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"api-docs-{width}px.png")
        page.screenshot(path=ARTIFACTS / f"api-docs-{width}px-full.png", full_page=True)

        serious = [(v["id"], v["help"], [n["html"][:120] for n in v["nodes"]][:3])
                   for v in page.evaluate(AXE)["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == []

        # An operation's anchor brings its section into view, under its own heading.
        page.get_by_role("link", name="A unit's itinerary").click()
        page.wait_for_url("**#nightout_api_itineraries_unit_itinerary")
        heading = page.get_by_role("heading", name="A unit's itinerary", exact=True)
        top = heading.bounding_box()["y"]
        assert 0 <= top < 200, top
        section = page.locator("#nightout_api_itineraries_unit_itinerary")
        assert "GET /api/agency/units/{unit_id}/itinerary" in section.inner_text()
        page.screenshot(path=ARTIFACTS / f"api-docs-{width}px-itinerary.png")

        # The example answers scroll inside their region, which takes the keyboard's focus.
        region = section.get_by_role("region", name="Example answer 200 of A unit's itinerary")
        region.focus()
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
            "Example answer 200 of A unit's itinerary")
        page.keyboard.press("ArrowDown")
        assert region.bounding_box()["width"] <= width
        fits(page, width)

        page.wait_for_timeout(200)  # violation events are dispatched as a task
        assert page.evaluate("window.__refused") == [] and console == []
        assert elsewhere == []
    finally:
        context.close()
