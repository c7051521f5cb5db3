import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from nightout.accounts.models import Membership, Role, User
from nightout.registry.actors import Actor
from nightout.visits.models import Stop, StopReport, StopStatus
from nightout.visits.services import stop_report, version_queue_build
from tests.visits.conftest import SYSTEM


@pytest.fixture
def version(season, units, parties):
    return version_queue_build(actor=SYSTEM, season=season, seconds=1)


@pytest.mark.django_db
def test_a_stop_moves_forward_and_every_tap_is_kept(version):
    stop = version.stops.first()
    stop_report(actor=SYSTEM, stop_id=stop.pk, status="arrived")
    stop_report(actor=SYSTEM, stop_id=stop.pk, status="done")
    # A late 'arrived' from a second phone changes nothing but is kept.
    stop_report(actor=SYSTEM, stop_id=stop.pk, status="arrived")
    assert Stop.objects.get(pk=stop.pk).status == StopStatus.DONE
    assert list(StopReport.objects.filter(stop=stop).values_list("status", flat=True)) == [
        "arrived", "done", "arrived"]


@pytest.mark.django_db
def test_a_crew_of_another_agency_may_not_report_a_stop(version, fire, units):
    stop = version.stops.filter(unit=units[0]).first()
    crew = User.objects.create_user("fire-crew", password="pw")
    Membership.objects.create(user=crew, role=Role.CREW, agency=fire)
    with pytest.raises(PermissionDenied):
        stop_report(actor=Actor.of(crew), stop_id=stop.pk, status="done")
    assert Stop.objects.get(pk=stop.pk).status == StopStatus.PLANNED


@pytest.mark.django_db(transaction=True)
def test_crews_reporting_at_once_all_land(on_postgresql, season, units, parties):
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    stops = list(version.stops.all())
    # Every stop gets a 'done' and a 'skipped' tap from two threads at once.
    taps = [(s.pk, status) for s in stops for status in ("done", "skipped")]
    barrier = threading.Barrier(8)
    errors = []

    def crew(share):
        try:
            barrier.wait()
            for stop_id, status in share:
                stop_report(actor=Actor.system("crew"), stop_id=stop_id, status=status)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=crew, args=(taps[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert StopReport.objects.count() == len(taps)
    # Each stop ends in exactly one final state, and each visit is still made by one unit.
    assert set(Stop.objects.filter(version=version).values_list("status", flat=True)) <= {
        "done", "skipped"}
    assert Stop.objects.filter(version=version).count() == len(stops)
