import pytest
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


def test_the_host_sees_the_expected_visit_time_once_the_plan_is_locked(
        client, season, units, parties):
    event = parties[0]
    event.manage_secret = "secret"
    event.save()
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    assert event_expected_visits(event) == []  # a draft plan is not shown to hosts
    assert "Expected visits" not in client.get(manage_url(event)).content.decode()
    for finding in version_checks(version):
        check_accept(actor=SYSTEM, version=version, key=finding.key)
    version_lock(actor=SYSTEM, version=version)
    stops = event_expected_visits(event)
    assert {s.kind for s in stops} == {"police", "fire"}
    page = client.get(manage_url(event)).content.decode()
    assert "Expected visits" in page
    first = timezone.localtime(stops[0].start, season.jurisdiction.zone)
    assert first.strftime("%-I:%M") in page
