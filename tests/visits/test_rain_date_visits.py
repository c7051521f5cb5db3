"""A party moved to its rain date under a locked visit plan: the confirmation names the
visits that stay on the first night, the move leaves the plan as it was, and the host's page
says when its expected visits were planned for."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from nightout.registry.links import manage_url
from nightout.registry.services import season_create
from nightout.visits.selectors import event_expected_visits, version_checks
from nightout.visits.services import check_accept, version_lock, version_queue_build
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(jurisdiction):
    """A season still to come, so the host's private link is valid."""
    year = timezone.localdate().year + 1
    return season_create(jurisdiction=jurisdiction, year=year, slug=f"agawam-{year}")


@pytest.fixture
def locked(season, units, parties):
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    for finding in version_checks(version):
        check_accept(actor=SYSTEM, version=version, key=finding.key)
    return version_lock(actor=SYSTEM, version=version)


def test_the_visits_of_a_locked_plan_stay_on_the_first_night_and_the_pages_say_so(
        client, season, parties, locked, coordinator):
    event = parties[0]
    event.rain_date = season.nno_date + dt.timedelta(days=1)
    event.manage_secret = "secret"
    event.save()
    zone = season.jurisdiction.zone
    stops = event_expected_visits(event)
    assert stops
    first_night = f"{season.nno_date:%A} {season.nno_date.day} {season.nno_date:%B}"
    said = [f"{s.unit} ({s.get_kind_display().lower()}) around "
            f"{timezone.localtime(s.start, zone):%-I:%M %p}" for s in stops]

    client.force_login(coordinator)
    url = reverse("registry:review_rain_date", args=[season.slug, event.pk])
    html = client.get(url).content.decode()
    assert f"The locked visit plan (version {locked.number}) keeps" in html
    assert ", ".join(said) + f" on {first_night}" in html
    assert "until you change the plan" in html

    client.logout()
    host_html = client.get(manage_url(event) + "rain-date/").content.decode()
    assert f"the {stops[0].get_kind_display().lower()} visit around" in host_html
    assert str(stops[0].unit) not in host_html  # a host sees kinds and times, not units

    client.post(manage_url(event) + "rain-date/")
    event.refresh_from_db()
    assert event.starts_at.astimezone(zone).date() == event.rain_date
    after = event_expected_visits(event)
    assert [(s.pk, s.start) for s in after] == [(s.pk, s.start) for s in stops]
    page = client.get(manage_url(event)).content.decode()
    assert f"planned for {first_night}, before your event moved to its rain date" in page
