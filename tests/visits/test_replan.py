import datetime as dt

import pytest

from nightout.visits.models import StopStatus, VersionStatus
from nightout.visits.services import plan_build, plan_replan, stop_report, unit_set_active
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def test_replanning_after_a_unit_drops_out_keeps_what_was_done_and_moves_the_rest(
        season, units, parties):
    version = plan_build(actor=SYSTEM, season=season, seconds=1)
    car1, car2 = units[0], units[1]
    done = version.stops.filter(unit=car1).order_by("order").first()
    stop_report(actor=SYSTEM, stop_id=done.pk, status="done")
    unit_set_active(actor=SYSTEM, unit=car1, active=False)
    now = season.at(season.nno_date, dt.time(18, 0))
    new = plan_replan(actor=SYSTEM, version=version, now=now, seconds=1)
    assert new.status == VersionStatus.DONE and new.origin == "replan" and new.parent == version
    kept = new.stops.get(event=done.event, kind=done.kind)
    assert kept.unit == car1 and kept.status == StopStatus.DONE
    assert not new.stops.filter(unit=car1, status=StopStatus.PLANNED).exists()
    assert all(s.start >= now for s in new.stops.filter(status=StopStatus.PLANNED))
    assert new.feasible, new.problems


def test_a_late_unit_starts_its_rest_of_the_night_later(season, units, parties):
    version = plan_build(actor=SYSTEM, season=season, seconds=1)
    engine = units[2]
    now = season.at(season.nno_date, dt.time(17, 0))
    new = plan_replan(actor=SYSTEM, version=version, now=now, late={engine.pk: 60}, seconds=1)
    first = new.stops.filter(unit=engine).order_by("order").first()
    assert first is None or first.arrival >= now + dt.timedelta(minutes=60)
