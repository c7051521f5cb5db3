import pytest
from django.urls import reverse

from nightout.visits.models import StopReport
from nightout.visits.services import stop_report, version_queue_build
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["unit", "planversion", "stopreport"])
def test_the_admin_lists_and_opens_units_versions_and_reports(admin_client, season, units,
                                                              parties, model):
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    stop_report(actor=SYSTEM, stop_id=version.stops.first().pk, status="done")
    first = {"unit": units[0], "planversion": version,
             "stopreport": StopReport.objects.first()}[model]
    changelist = reverse(f"admin:visits_{model}_changelist")
    assert admin_client.get(changelist, {"q": "a"}).status_code == 200
    change = reverse(f"admin:visits_{model}_change", args=[first.pk])
    assert admin_client.get(change).status_code == 200
