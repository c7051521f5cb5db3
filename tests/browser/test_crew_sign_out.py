"""Signing out clears what the crew's phone kept for offline use (itineraries with exact
addresses): in Chromium, after the phone view was loaded under its service worker, signing out
leaves no nightout cache, no kept itinerary and no service worker behind. Both ways work on
their own: the sign-out answer's Clear-Site-Data header (honoured over HTTPS and on localhost),
and the page's own script (for plain HTTP elsewhere)."""

import pytest

from tests.browser.test_crew_offline import phone, stops  # noqa: F401 - fixtures used here
from tests.visits.conftest import one_planner_process, parties, units  # noqa: F401

pytestmark = [pytest.mark.browser]

KEPT = """async () => {
    const names = await caches.keys();
    let entries = 0;
    for (const name of names) entries += (await (await caches.open(name)).keys()).length;
    const stored = Object.keys(localStorage).filter((key) => key.startsWith("nightout-"));
    const workers = (await navigator.serviceWorker.getRegistrations()).length;
    return {names, entries, stored, workers};
}"""


def without_clear_site_data(route):
    answer = route.fetch(max_redirects=0)
    headers = {k: v for k, v in answer.headers.items() if k.lower() != "clear-site-data"}
    route.fulfill(response=answer, headers=headers)


def without_the_script(route):
    route.fulfill(status=200, content_type="application/javascript", body="")


def load_offline_copy(phone, season, unit):  # noqa: F811
    url = f"/plan/{season.slug}/units/{unit.pk}/phone/"
    phone.goto(url)
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()  # under the service worker, which keeps this copy
    phone.wait_for_function("""async () => {
        const cache = await caches.open("nightout-phone-v1");
        return (await cache.keys()).length > 0;
    }""")
    kept = phone.evaluate(KEPT)
    assert kept["names"] == ["nightout-phone-v1"] and kept["entries"] >= 1
    assert f"nightout-itinerary:{url}" in kept["stored"] and kept["workers"] == 1
    return url


@pytest.mark.parametrize("way", ["both", "the header alone", "the script alone"])
def test_signing_out_clears_the_itineraries_kept_on_the_phone(
        phone, stops, season, units, way):  # noqa: F811
    if way == "the header alone":
        phone.context.route("**/static/nightout/sign-out.js", without_the_script)
    if way == "the script alone":
        phone.context.route("**/accounts/logout/", without_clear_site_data)
    load_offline_copy(phone, season, units[0])
    with phone.expect_response("**/accounts/logout/") as answer:
        phone.get_by_role("button", name="Sign out").click()
    assert ("clear-site-data" in answer.value.all_headers()) is (way != "the script alone")
    phone.wait_for_url("**/seasons/")
    assert phone.evaluate(KEPT) == {"names": [], "entries": 0, "stored": [], "workers": 0}


def test_signing_out_with_taps_waiting_asks_first(phone, stops, season, units):  # noqa: F811
    url = load_offline_copy(phone, season, units[0])
    phone.context.route("**/accounts/logout/", without_clear_site_data)
    phone.evaluate("""() => localStorage.setItem("nightout-taps", JSON.stringify([
        {id: "t1", stop: "1", status: "done", state: "waiting", at: new Date().toISOString()}]))""")
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    phone.once("dialog", lambda dialog: answer(dialog, accept=False))
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_timeout(500)
    assert asked == ["1 tap is still waiting to send. Signing out deletes them from this phone. "
                     "Sign out anyway?"]
    assert phone.url.endswith(url) and "nightout-taps" in phone.evaluate(KEPT)["stored"]
    phone.once("dialog", lambda dialog: answer(dialog, accept=True))
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url("**/seasons/")
    assert phone.evaluate(KEPT)["stored"] == []
