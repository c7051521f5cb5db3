import datetime as dt

import pytest

from nightout.visits.models import StopStatus, VersionStatus
from nightout.visits.services import (
    stop_report,
    unit_set_active,
    version_queue_build,
    version_queue_replan,
)
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def test_replanning_after_a_unit_drops_out_keeps_what_was_done_and_moves_the_rest(
        season, units, parties):
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    car1 = units[0]
    done = version.stops.filter(unit=car1).order_by("order").first()
    stop_report(actor=SYSTEM, stop_id=done.pk, status="done")
    unit_set_active(actor=SYSTEM, unit=car1, active=False)
    now = season.at(season.nno_date, dt.time(18, 0))
    new = version_queue_replan(actor=SYSTEM, version=version, now=now, seconds=1)
    assert new.status == VersionStatus.DONE and new.origin == "replan" and new.parent == version
    kept = new.stops.get(event=done.event, kind=done.kind)
    assert kept.unit == car1 and kept.status == StopStatus.DONE
    assert not new.stops.filter(unit=car1, status=StopStatus.PLANNED).exists()
    assert all(s.start >= now for s in new.stops.filter(status=StopStatus.PLANNED))
    assert new.feasible, new.problems


def test_a_late_unit_starts_its_rest_of_the_night_later(season, units, parties):
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    engine = units[2]
    now = season.at(season.nno_date, dt.time(17, 0))
    new = version_queue_replan(actor=SYSTEM, version=version, now=now, late={engine.pk: 60},
                               seconds=1)
    first = new.stops.filter(unit=engine).order_by("order").first()
    assert first is None or first.arrival >= now + dt.timedelta(minutes=60)


def test_a_tap_on_the_previous_version_reaches_the_same_visit_in_the_re_planned_one(
        season, units, parties):
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    now = season.at(season.nno_date, dt.time(17, 0))
    new = version_queue_replan(actor=SYSTEM, version=version, now=now, seconds=1)
    later = new.stops.filter(status=StopStatus.PLANNED).order_by("unit_id", "order").first()
    old = version.stops.get(unit=later.unit, event=later.event, kind=later.kind)
    # The phone still showed the previous version when the crew tapped; the tap is sent now.
    stop_report(actor=SYSTEM, stop_id=old.pk, status="arrived")
    stop_report(actor=SYSTEM, stop_id=old.pk, status="done")
    later.refresh_from_db()
    assert later.status == StopStatus.DONE
    others = new.stops.exclude(pk=later.pk)
    assert not others.exclude(status=StopStatus.PLANNED).exists()


@pytest.mark.parametrize(("status", "forwarded"), [
    ("done", StopStatus.DONE), ("arrived", StopStatus.PLANNED), ("skipped", StopStatus.PLANNED)])
def test_a_visit_tapped_done_on_the_previous_version_is_done_for_the_unit_the_re_plan_gave_it_to(
        season, units, parties, status, forwarded):
    from nightout.visits.models import Stop

    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    now = season.at(season.nno_date, dt.time(17, 0))
    new = version_queue_replan(actor=SYSTEM, version=version, now=now, seconds=1)
    later = new.stops.filter(status=StopStatus.PLANNED, kind="police").order_by("order").first()
    old = version.stops.get(event=later.event, kind=later.kind)
    # The re-plan gave the visit to the other squad car; the first one's phone still shows it.
    other = units[1] if later.unit_id == units[0].pk else units[0]
    Stop.objects.filter(pk=later.pk).update(unit=other)
    Stop.objects.filter(pk=old.pk).update(unit=units[0] if other == units[1] else units[1])
    stop_report(actor=SYSTEM, stop_id=old.pk, status=status)
    later.refresh_from_db()
    old.refresh_from_db()
    assert later.unit == other and later.status == forwarded
    assert not new.stops.exclude(pk=later.pk).exclude(status=StopStatus.PLANNED).exists()
    # Who made it stays known: the other unit's stop is done, by the unit that tapped.
    made_by = old.unit_id if status == "done" else None
    assert (later.done_by_id, later.done_by_another) == (made_by, status == "done")
    assert (old.done_by_id, old.done_by_another) == (made_by, False)
    if status == "done":
        assert later.status_label == f"Done by {old.unit.name}"
        assert old.status_label == "Done"


def _replan_tapping_while_solving(season, version, monkeypatch, tap):
    """Re-plan `version` from 16:00; once the rest of the night is solved and before it is
    saved, `tap(result)` taps on the previous version and returns what it tapped."""
    from nightout.visits import worker

    solve_rest = worker.replan
    tapped = []

    def tap_while_solving(*args, **kwargs):
        result = solve_rest(*args, **kwargs)
        tapped.append(tap(result))
        return result

    monkeypatch.setattr(worker, "replan", tap_while_solving)
    new = version_queue_replan(actor=SYSTEM, version=version, seconds=1,
                               now=season.at(season.nno_date, dt.time(16, 0)))
    return new, tapped[0]


def _planned(result) -> list[tuple[int, int, str]]:
    """(unit, event, kind) of every stop of a solved re-plan."""
    return [(int(it.unit), int(s.site), s.kind) for it in result.plan.itineraries
            for s in it.stops]


def test_a_tap_made_while_the_rest_of_the_night_is_solved_is_kept_in_the_new_version(
        season, units, parties, monkeypatch):
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)

    def tap(result):
        # A visit the new plan keeps with the same unit, tapped on the previous version now.
        planned = set(_planned(result))
        stop = next(s for s in version.stops.order_by("unit_id", "order")
                    if (s.unit_id, s.event_id, s.kind) in planned)
        stop_report(actor=SYSTEM, stop_id=stop.pk, status="done")
        return stop

    new, stop = _replan_tapping_while_solving(season, version, monkeypatch, tap)
    made = new.stops.filter(unit=stop.unit, event=stop.event, kind=stop.kind)
    assert [s.status for s in made] == [StopStatus.DONE]


@pytest.mark.parametrize("meanwhile", ["nothing", "the coordinator locked another version",
                                       "the plan was not locked"])
def test_a_re_plan_the_worker_solves_later_takes_over_the_lock_of_the_version_it_came_from(
        season, units, parties, monkeypatch, meanwhile):
    from nightout.registry.models import AuditEntry
    from nightout.visits import services
    from nightout.visits.models import PlanVersion
    from nightout.visits.selectors import version_current
    from nightout.visits.services import versions

    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    other = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    if meanwhile != "the plan was not locked":
        PlanVersion.objects.filter(pk=version.pk).update(locked=True)
    monkeypatch.setattr(versions, "_enqueue", lambda v: None)  # the worker has not run yet
    new = version_queue_replan(actor=SYSTEM, version=version,
                               now=season.at(season.nno_date, dt.time(17)), seconds=1)
    assert new.status == VersionStatus.QUEUED
    if meanwhile == "the coordinator locked another version":
        PlanVersion.objects.filter(pk=version.pk).update(locked=False)
        PlanVersion.objects.filter(pk=other.pk).update(locked=True)
    expected = {"nothing": new, "the coordinator locked another version": other,
                "the plan was not locked": new}[meanwhile]
    services.version_solve_replan(version_id=new.pk, late={})  # what the worker runs
    assert version_current(season) == expected
    assert list(PlanVersion.objects.filter(locked=True)) == (
        [] if meanwhile == "the plan was not locked" else [expected])
    relocked = AuditEntry.objects.filter(action="plan_relock").values_list("changes", flat=True)
    assert list(relocked) == ([{"version": new.number}] if meanwhile == "nothing" else [])


def test_a_visit_tapped_done_while_the_re_plan_solves_is_done_for_the_unit_it_gives_it_to(
        season, units, parties, monkeypatch):
    from nightout.visits.models import Stop

    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)

    def tap(result):
        unit, event, kind = next(p for p in _planned(result) if p[2] == "police")
        # On the previous version, another squad car had this visit, and its crew taps done.
        other = units[1] if unit == units[0].pk else units[0]
        stop = version.stops.get(event_id=event, kind=kind)
        Stop.objects.filter(pk=stop.pk).update(unit=other)
        stop_report(actor=SYSTEM, stop_id=stop.pk, status="done")
        return unit, event, kind

    new, (unit, event, kind) = _replan_tapping_while_solving(season, version, monkeypatch, tap)
    made = new.stops.get(unit_id=unit, event_id=event, kind=kind)
    assert made.status == StopStatus.DONE
    assert new.stops.filter(status=StopStatus.DONE).count() == 1
    # Made by the squad car that tapped, not by the one this version gives it to.
    tapped = version.stops.get(event_id=event, kind=kind)
    assert made.done_by_id == tapped.unit_id != unit and made.done_by_another
