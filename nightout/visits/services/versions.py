"""Plans and their versions: queue a build or a re-plan for the worker, retry one that failed,
pin and move stops, accept the checks' findings, and lock the version the night runs on.

A version is made here and solved by the worker (`nightout.visits.worker`, through
`nightout.visits.tasks`); a move is made and checked here, at once. A version once locked, or
not yet solved, does not change: a change makes a new version.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from nightout.accounts.permissions import can_manage_season
from nightout.errors import Invalid
from nightout.planner.result import validate
from nightout.planner.schedule import Context, itinerary
from nightout.registry.actors import Actor, audit_record
from nightout.registry.models import Season
from nightout.visits import adapter
from nightout.visits.models import Plan, PlanVersion, Stop, Unit, VersionOrigin, VersionStatus
from nightout.visits.selectors import version_checks
from nightout.visits.services.access import require
from nightout.visits.tasks import (
    version_locked_notify_task,
    version_replan_task,
    version_solve_task,
)

LOCKED = "Version {number} is locked; build or copy a new version to change it."
NOT_DONE = "Version {number} is not finished."
OPEN_CHECKS = "Fix or accept every finding before locking: {count} left."
NO_UNITS = "Add units before building a plan."
BAD_FAIR_SHARE = "The fair share by district is a percent: from 0 (off) to 100."
WRONG_KIND = "{unit} is a {unit_kind} unit; this is a {kind} visit."
NOT_FAILED = "Version {number} has not failed; only a failed build or re-plan can be retried."
MAX_BUDGET = 600
WAITING = "Waiting for a worker"


# ------------------------------------------------------------------ versions for the worker

def _next_version(plan: Plan, **fields) -> PlanVersion:
    # Lock the plan row so two builds at once get different numbers.
    Plan.objects.select_for_update().get(pk=plan.pk)
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return PlanVersion.objects.create(plan=plan, number=number, **fields)


def version_queue_build(*, actor: Actor, season: Season, seconds: int = 30, seed: int = 1,
                        fair_share: int = 0) -> PlanVersion:
    """A new version of the season's plan, queued for the worker to solve from scratch
    (`worker.version_solve_build`), keeping the pins of the latest version.
    `fair_share` (percent, 0 = off): every district should get that share of the visits of
    each kind asked for in it (how the planner goes about it: `planner.solve.solve`)."""
    require(can_manage_season(actor.user, season), season, actor=actor)
    if not adapter.planned_units(season):
        raise Invalid(NO_UNITS)
    if not 0 <= int(fair_share) <= 100:
        raise Invalid(BAD_FAIR_SHARE)
    seconds = max(1, min(int(seconds), MAX_BUDGET))
    with transaction.atomic():
        plan, _ = Plan.objects.get_or_create(season=season)
        parent = plan.versions.filter(status=VersionStatus.DONE).order_by("-number").first()
        version = _next_version(plan, parent=parent, origin=VersionOrigin.BUILD,
                                time_budget=seconds, seed=seed, fair_share=int(fair_share),
                                progress_note=WAITING)
        audit_record(actor=actor, season=season, action="plan_build",
                     changes={"version": version.number, "seconds": seconds,
                              "fair_share": int(fair_share)})
    _enqueue(version)
    version.refresh_from_db()
    return version


def _enqueue(version: PlanVersion) -> None:
    """Hand the version to the task queue and remember the job's id."""
    if version.origin == VersionOrigin.REPLAN:
        job = version_replan_task.enqueue(version.pk, version.late)
    else:
        job = version_solve_task.enqueue(version.pk)
    PlanVersion.objects.filter(pk=version.pk).update(task_id=str(job.id))


def version_queue_replan(*, actor: Actor, version: PlanVersion, now: dt.datetime,
                         late: dict[int, int] | None = None, seconds: int = 5) -> PlanVersion:
    """A new version re-planning the rest of the night from `now`, queued for the worker to
    solve (`worker.version_solve_replan`): units that dropped out (inactive) are gone, late
    units are free `late[unit_id]` minutes later, visits done stay done."""
    season = version.season
    require(can_manage_season(actor.user, season), season, actor=actor)
    with transaction.atomic():
        new = _next_version(version.plan, parent=version, origin=VersionOrigin.REPLAN,
                            replan_from=now, time_budget=max(1, min(int(seconds), MAX_BUDGET)),
                            seed=version.seed, fair_share=version.fair_share,
                            progress_note=WAITING,
                            accepted=version.accepted, problems=[], note=_late_note(late),
                            late={str(k): v for k, v in (late or {}).items()})
        audit_record(actor=actor, season=season, action="plan_replan",
                     changes={"version": new.number, "late": late or {}})
    _enqueue(new)
    new.refresh_from_db()
    return new


def _late_note(late: dict | None) -> str:
    return "Re-planned" + (f", {len(late)} unit(s) late" if late else "")


def version_retry(*, actor: Actor, version: PlanVersion) -> PlanVersion:
    """Queue a failed build or re-plan again, as the same version."""
    season = version.season
    require(can_manage_season(actor.user, season), season, actor=actor)
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        if (version.status != VersionStatus.FAILED
                or version.origin not in VersionOrigin.solved_by_worker()):
            raise Invalid(NOT_FAILED.format(number=version.number))
        PlanVersion.objects.filter(pk=version.pk).update(
            status=VersionStatus.QUEUED, progress=0, progress_note=WAITING,
            error="", worker="", heartbeat_at=None, started_at=None, finished_at=None)
        audit_record(actor=actor, season=season, action="plan_retry",
                     changes={"version": version.number, "error": version.error[:300]})
    version.refresh_from_db()
    _enqueue(version)
    version.refresh_from_db()
    return version


# ------------------------------------------------------------------ pins and moves

def _editable(version: PlanVersion) -> PlanVersion:
    """The version as it is in the database now (row-locked), if it may still change."""
    version = PlanVersion.objects.select_for_update().select_related("plan__season").get(
        pk=version.pk)
    if version.locked:
        raise Invalid(LOCKED.format(number=version.number))
    if version.status != VersionStatus.DONE:
        raise Invalid(NOT_DONE.format(number=version.number))
    return version


def _copy_stops(source: PlanVersion, target: PlanVersion) -> list[Stop]:
    rows = [Stop(version=target, unit_id=s.unit_id, event_id=s.event_id, kind=s.kind,
                 order=s.order, arrival=s.arrival, start=s.start, departure=s.departure,
                 pinned=s.pinned, status=s.status, reported_at=s.reported_at,
                 done_by_id=s.done_by_id)
            for s in source.stops.all()]
    return Stop.objects.bulk_create(rows)


def _revalidate(version: PlanVersion, units: list[Unit] | None = None) -> PlanVersion:
    """Recompute score and findings of a version's stops with the independent validator."""
    season = version.season
    units = adapter.planned_units(season) if units is None else units
    stops = list(version.stops.all())
    problem = adapter.build_problem(season, units=units)
    report = validate(adapter.plan_from_stops(stops, season, units), problem)
    baseline = version.parent
    PlanVersion.objects.filter(pk=version.pk).update(
        score=report.score, visits_made=report.visits, parties_reached=report.parties,
        feasible=report.feasible, problems=report.errors,
        fcfs_score=baseline.fcfs_score if baseline else None,
        fcfs_parties=baseline.fcfs_parties if baseline else None)
    version.refresh_from_db()
    return version


@transaction.atomic
def stop_pin(*, actor: Actor, stop: Stop, pinned: bool = True) -> Stop:
    """Pin (or unpin) a stop: the next build keeps it with its unit."""
    version = stop.version
    require(can_manage_season(actor.user, version.season), version.season, actor=actor)
    _editable(version)
    Stop.objects.filter(pk=stop.pk).update(pinned=pinned)
    stop.pinned = pinned
    return stop


@transaction.atomic
def stop_move(*, actor: Actor, stop: Stop, unit: Unit, position: int | None = None
              ) -> PlanVersion:
    """A new version with `stop` moved to `unit` at `position` (1-based; default: where it
    fits best in time), pinned there; the unit's times are recomputed and the whole version
    re-validated. Stops the move makes impossible are dropped and named in the note."""
    version = stop.version
    season = version.season
    require(can_manage_season(actor.user, season), season, actor=actor)
    _editable(version)
    if unit.kind != stop.kind:
        raise Invalid(WRONG_KIND.format(unit=unit, unit_kind=unit.kind, kind=stop.kind))
    new = _next_version(version.plan, parent=version, origin=VersionOrigin.MOVE,
                        status=VersionStatus.DONE, progress=100, progress_note="Done",
                        time_budget=0, seed=version.seed, fair_share=version.fair_share,
                        note=f"Moved {stop.event} to {unit}")
    _copy_stops(version, new)
    moved = new.stops.get(event_id=stop.event_id, kind=stop.kind)
    old_unit_id = moved.unit_id
    units = adapter.planned_units(season)
    problem = adapter.build_problem(season, units=units)
    ctx = Context.of(problem)
    dropped_all: list[str] = []
    for unit_id in {old_unit_id, unit.pk}:
        route = list(new.stops.filter(unit_id=unit_id).exclude(pk=moved.pk).order_by("order"))
        ids = [str(s.event_id) for s in route]
        if unit_id == unit.pk:
            if position is None:
                at = sum(1 for s in route if s.start <= stop.start)
            else:
                at = max(0, min(position - 1, len(ids)))
            ids.insert(at, str(moved.event_id))
        planner_unit = problem.unit_by_id()[str(unit_id)]
        it, dropped = itinerary(ctx, planner_unit, [i for i in ids if i in ctx.sites])
        dropped_all += dropped
        keep = {str(s.event_id): s for s in route}
        keep[str(moved.event_id)] = moved
        Stop.objects.filter(version=new, unit_id=unit_id).delete()
        Stop.objects.filter(pk=moved.pk).delete()
        night = adapter.Night.of(season)
        Stop.objects.bulk_create([
            Stop(version=new, unit_id=unit_id, event_id=int(s.site), kind=s.kind, order=i,
                 arrival=night.moment(s.arrival), start=night.moment(s.start),
                 departure=night.moment(s.departure),
                 pinned=keep[s.site].pinned or keep[s.site] is moved,
                 status=keep[s.site].status, reported_at=keep[s.site].reported_at,
                 done_by_id=keep[s.site].done_by_id)
            for i, s in enumerate(it.stops, start=1)
        ])
    if dropped_all:
        new.note += f"; dropped {len(dropped_all)} stop(s) that no longer fit"
        new.save(update_fields=["note"])
    audit_record(actor=actor, season=season, action="plan_move",
                 changes={"version": new.number, "event": stop.event_id, "unit": unit.name})
    return _revalidate(new, units)


# ------------------------------------------------------------------ checks and lock

@transaction.atomic
def check_accept(*, actor: Actor, version: PlanVersion, key: str = "",
                 kind: str = "") -> PlanVersion:
    """Accept one lock-check finding (`key`), or every open finding of a `kind`."""
    require(can_manage_season(actor.user, version.season), version.season, actor=actor)
    version = _editable(version)
    keys = [key] if key else [f.key for f in version_checks(version) if f.kind == kind]
    new = [k for k in keys if k and k not in version.accepted]
    if new:
        version.accepted = [*version.accepted, *new]
        version.save(update_fields=["accepted"])
    return version


def version_lock(*, actor: Actor, version: PlanVersion) -> PlanVersion:
    """Lock the version the night runs on, once every finding of its checks is fixed or
    accepted. The agencies with units in it are told by a background task after the lock is
    committed (`notices.version_locked_notify`): a mail that fails is logged there and undoes
    nothing, and a queue that cannot take the task is logged too."""
    season = version.season
    require(can_manage_season(actor.user, season), season, actor=actor)
    with transaction.atomic():
        version = _editable(version)
        open_checks = [c for c in version_checks(version) if not c.accepted]
        if open_checks:
            raise Invalid(OPEN_CHECKS.format(count=len(open_checks)))
        PlanVersion.objects.filter(plan=version.plan, locked=True).update(locked=False)
        version.locked, version.locked_at = True, timezone.now()
        version.save(update_fields=["locked", "locked_at"])
        audit_record(actor=actor, season=season, action="plan_lock",
                     changes={"version": version.number})
        transaction.on_commit(partial(version_locked_notify_task.enqueue, version.pk),
                              robust=True)
    return version

