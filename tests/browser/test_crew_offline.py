"""A crew's taps survive a lost signal: in Chromium, taps made offline wait on the phone (also
through a reload), are sent in order when the signal is back, and are stored once, at the
time they were tapped on the phone."""

import datetime as dt
import zoneinfo
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings

from nightout.accounts.models import Membership, Role, User
from nightout.visits import services
from nightout.visits.models import Stop, StopReport, StopStatus
from nightout.visits.services import version_queue_build
from tests.visits.conftest import SYSTEM, one_planner_process, parties, units  # noqa: F401 - the visits tests' fixtures, used here

pytestmark = [pytest.mark.browser]

AGAWAM = zoneinfo.ZoneInfo("America/New_York")
# The phone's clock on the night (the server's is years later: the taps keep the phone's).
TAPPED = dt.datetime(2017, 8, 1, 18, 42, tzinfo=AGAWAM)
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def stops(season, units, parties):  # noqa: F811
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    return list(version.stops.filter(unit=units[0]).order_by("order")[:2])


@pytest.fixture
def phone(chromium, live_server, police):  # noqa: F811
    """Chromium on a crew's phone in Agawam, its clock at 18:42 on the night, signed in. The
    phone's own zone is not the jurisdiction's: the page shows times in the jurisdiction's."""
    crew = User.objects.create_user("carmen", password="crew-password")
    Membership.objects.create(user=crew, role=Role.CREW, agency=police)
    context = chromium.new_context(base_url=live_server.url, timezone_id="Europe/Lisbon",
                                   viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.clock.set_fixed_time(TAPPED)
    tab.goto("/accounts/login/")
    tab.get_by_label("Username").fill("carmen")
    tab.get_by_label("Password").fill("crew-password")
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(lambda url: "/accounts/login/" not in url)
    yield tab
    context.close()


def no_report(route):
    route.abort("internetdisconnected")


class Signal:
    """The phone loses or finds the signal. Chromium's offline emulation does not always reach
    the requests that pass through a service worker (Playwright issue #2311), so while the
    signal is off a tap is also refused at the network and, should one still get through, the
    server fails it (500) as if it never arrived."""

    def __init__(self, phone):
        self.phone = phone
        self.lost = mock.patch.object(services, "stop_report",
                                      side_effect=RuntimeError("no signal"))
        self.is_off = False

    def off(self) -> None:
        self.phone.context.set_offline(True)
        self.phone.context.route("**/report/", no_report)
        self.lost.start()
        self.is_off = True

    def on(self) -> None:
        self.lost.stop()
        self.is_off = False
        self.phone.context.unroute("**/report/", no_report)
        self.phone.context.set_offline(False)


@pytest.fixture
def signal(phone):
    signal = Signal(phone)
    yield signal
    if signal.is_off:
        signal.lost.stop()


def test_taps_made_without_signal_wait_on_the_phone_and_land_at_the_phones_time(
        phone, signal, stops, season, units):  # noqa: F811
    first, second = stops
    url = f"/plan/{season.slug}/units/{units[0].pk}/phone/"
    phone.goto(url)
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()  # now under the service worker, which keeps this copy for the offline reload

    signal.off()
    stop = phone.locator(f'li[data-stop="{first.pk}"]')
    stop.get_by_role("button", name="Done").click()
    stop.get_by_text("Waiting to send: Done, tapped at 18:42.").wait_for()
    assert phone.get_by_role("status").filter(has_text="1 tap waiting to send.").is_visible()
    assert stop.get_by_role("button", name="Done").is_hidden()  # not tapped twice
    # A second stop: arrived, then done, both without signal.
    later = phone.locator(f'li[data-stop="{second.pk}"]')
    later.get_by_role("button", name="Arrived").click()
    later.get_by_text("Waiting to send: Arrived").wait_for()
    assert later.get_by_role("button", name="Arrived").is_hidden()
    later.get_by_role("button", name="Done").click()
    phone.get_by_role("status").filter(has_text="3 taps waiting to send.").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=ARTIFACTS / "crew-offline-waiting.png", full_page=True)
    assert not StopReport.objects.exists()

    # The phone reloads the page while still without signal: the taps still wait.
    phone.reload()
    stop.get_by_text("Waiting to send: Done, tapped at 18:42.").wait_for()
    assert later.get_by_text("Waiting to send: Done, tapped at 18:42.").is_visible()
    assert not StopReport.objects.exists()

    # The signal is back: the queue is sent, in order, and each tap shows as sent.
    signal.on()
    later.get_by_text("Sent: Done, tapped at 18:42.").wait_for(timeout=45_000)
    assert stop.get_by_text("Sent: Done, tapped at 18:42.").is_visible()
    assert stop.locator(".status").inner_text() == "Done"
    assert phone.get_by_text("waiting to send").count() == 0
    phone.screenshot(path=ARTIFACTS / "crew-offline-sent.png", full_page=True)

    reports = list(StopReport.objects.order_by("id").values_list("stop", "status", "at"))
    assert reports == [(first.pk, "done", TAPPED), (second.pk, "arrived", TAPPED),
                       (second.pk, "done", TAPPED)]
    assert StopReport.objects.filter(tap__isnull=True).count() == 0
    assert {s.status for s in Stop.objects.filter(pk__in=[first.pk, second.pk])} == {
        StopStatus.DONE}

    # Sent again (another tab's copy of the queue, a lost answer): nothing new is stored.
    phone.evaluate("""() => {
        const taps = JSON.parse(localStorage.getItem("nightout-taps"));
        taps.forEach((t) => { t.state = "waiting"; });
        localStorage.setItem("nightout-taps", JSON.stringify(taps));
    }""")
    phone.reload()
    phone.get_by_role("status").filter(has_text="waiting to send").wait_for(state="hidden")
    assert StopReport.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_tap_the_site_refuses_is_shown_as_refused_and_not_sent_again(
        phone, stops, season, units):  # noqa: F811
    """A tap refused with 403 (the crew's role was taken back after the page loaded) says so
    on the phone and is not retried: it would be refused forever."""
    first, _ = stops
    phone.goto(f"/plan/{season.slug}/units/{units[0].pk}/phone/")
    Membership.objects.filter(user__username="carmen").delete()
    posts = []
    phone.on("request", lambda r: r.method == "POST" and "/report/" in r.url
             and posts.append(r.url))
    phone.locator(f'li[data-stop="{first.pk}"]').get_by_role("button", name="Done").click()
    phone.get_by_text("Not sent: Done, tapped at 18:42. The site refused it").wait_for()
    phone.wait_for_timeout(1500)  # a retry would have gone by now
    assert len(posts) == 1
    assert not StopReport.objects.exists()
