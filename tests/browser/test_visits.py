"""The visit plan in Chromium: plan the demo city, open a run sheet, mark a stop done from the
phone view (which still shows when the signal drops), drop a unit and re-plan the rest of the
night."""

import re

import pytest
from django.core.management import call_command

from nightout.visits.models import PlanVersion, Stop, StopStatus, Unit

pytestmark = [pytest.mark.browser]


@pytest.fixture
def demo_city(live_server, settings):
    settings.PLANNER_WORKERS = 1
    call_command("demo", "--url", live_server.url)


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("nightout-demo")
    page.get_by_role("button", name="Sign in").click()


def test_coordinator_plans_the_demo_city_and_runs_the_night(page, demo_city):
    page.set_default_timeout(120_000)
    sign_in(page, "coordinator")
    page.goto("/plan/lakeport-2027/")
    page.get_by_label("Time budget (seconds)").fill("1")
    page.get_by_role("button", name="Build plan").click()
    page.wait_for_url(re.compile(r"/plan/lakeport-2027/v/1/$"))
    assert page.locator(".comparison").inner_text().endswith("more parties reached")
    version = PlanVersion.objects.get(number=1)
    assert version.status == "done" and version.stops.count() > 100

    car = Unit.objects.get(name="Central Car 1")
    first = version.stops.filter(unit=car).order_by("order").first()
    page.goto("/plan/lakeport-2027/units/")
    page.get_by_role("row", name=re.compile("^Central Car 1 ")).get_by_role(
        "link", name="Run sheet").click()
    assert page.get_by_role("heading", name="Run sheet: Central Car 1").is_visible()
    assert page.get_by_role("cell", name=first.event.title, exact=True).first.is_visible()

    page.goto(f"/plan/lakeport-2027/units/{car.pk}/phone/")
    page.locator(f'li[data-stop="{first.pk}"]').get_by_role("button", name="Done").click()
    page.locator(f'li[data-stop="{first.pk}"] .status', has_text="Done").wait_for()
    assert Stop.objects.get(pk=first.pk).status == StopStatus.DONE

    # The signal drops: the phone view still shows the last loaded itinerary.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker, which keeps this copy
    page.locator(f'li[data-stop="{first.pk}"] .status', has_text="Done").wait_for()
    page.context.set_offline(True)
    page.reload()
    assert page.locator(f'li[data-stop="{first.pk}"]').get_by_text(first.event.title).is_visible()
    page.context.set_offline(False)

    page.goto("/plan/lakeport-2027/board/?at=18:00")
    assert page.get_by_role("heading", name="Coverage by district").is_visible()
    page.get_by_label("A unit dropped out:").select_option(label="Central Car 2")
    page.get_by_label("Solve for").fill("1")
    page.get_by_role("button", name="Re-plan").click()
    page.get_by_text(re.compile(r"Version 2: Re-planned")).wait_for()
    new = PlanVersion.objects.get(number=2)
    assert new.origin == "replan" and not Unit.objects.get(name="Central Car 2").active
    assert new.stops.get(event=first.event, kind=first.kind).status == StopStatus.DONE
    assert not new.stops.filter(unit__name="Central Car 2", status="planned").exists()
