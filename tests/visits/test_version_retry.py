"""A build whose worker was lost: marked failed once its heartbeat is stale, shown with a
Retry button, and solved again by the retry (inline here; the worker test is in tests/faults)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nightout.visits.models import Plan, PlanVersion, VersionStatus
from nightout.visits.services import STALE_AFTER, version_retry, versions_fail_stale
from tests.visits.conftest import SYSTEM


@pytest.fixture
def running(season, units, parties):
    """Version 1, running on a worker last heard of `silent` ago."""
    def make(silent: dt.timedelta) -> PlanVersion:
        seen = timezone.now() - silent
        return PlanVersion.objects.create(
            plan=Plan.objects.create(season=season), number=1, status=VersionStatus.RUNNING,
            time_budget=1, progress=20, started_at=seen - dt.timedelta(seconds=30),
            heartbeat_at=seen, worker="elsewhere:4242:0f0f0f0f")
    return make


def test_a_build_silent_for_longer_than_the_limit_fails_and_can_be_retried(
        client, coordinator, season, running):
    version = running(STALE_AFTER + dt.timedelta(seconds=5))
    client.force_login(coordinator)
    plan_page = client.get(reverse("visits:plan", args=[season.slug])).content.decode()
    assert "Failed" in plan_page and 'value="retry"' in plan_page
    page = client.get(reverse("visits:version", args=[season.slug, 1])).content.decode()
    assert "worker stopped while solving" in page and 'value="retry"' in page

    response = client.post(reverse("visits:version", args=[season.slug, 1]), {"action": "retry"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.DONE and version.error == ""
    assert version.stops.exists() and version.task_id
    assert season.audit_entries.filter(action="plan_retry").count() == 1


def test_a_build_whose_worker_still_beats_stays_running(season, running):
    version = running(dt.timedelta(seconds=10))
    assert versions_fail_stale(season=season) == []
    version.refresh_from_db()
    assert version.status == VersionStatus.RUNNING


def test_only_a_failed_build_can_be_retried(season, running):
    version = running(dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="has not failed"):
        version_retry(actor=SYSTEM, version=version)
