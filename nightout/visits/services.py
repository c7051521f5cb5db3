"""Writes to visits: units, plan versions, pins and moves, checks and lock, the night's reports.

Each is keyword-only, checks who may write with `nightout.accounts.permissions`, and runs in
one transaction. Solving runs as a background task (`tasks.py`) that takes only IDs; while it
solves, the worker beats a heartbeat on the version, so that a version whose worker was lost
is marked failed (`versions_fail_stale`) and can be retried (`version_retry`).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import threading
import uuid
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.tasks import TaskResultStatus
from django.utils import timezone

from nightout.accounts.models import Membership, Role
from nightout.accounts.permissions import (
    can_manage_agency,
    can_manage_season,
    can_report_stop,
)
from nightout.mail import mail_send
from nightout.planner.baseline import first_come_first_served
from nightout.planner.replan import UnitState, replan
from nightout.planner.result import validate
from nightout.planner.schedule import Context, itinerary
from nightout.planner.solve import solve
from nightout.registry.models import Agency, Season, Station
from nightout.registry.services import Actor, audit_record
from nightout.visits import adapter
from nightout.visits.models import (
    Plan,
    PlanVersion,
    Stop,
    StopReport,
    StopStatus,
    Unit,
    VersionStatus,
)

NOT_ALLOWED = "You may not do this for {what}."
LOCKED = "Version {number} is locked; build or copy a new version to change it."
NOT_DONE = "Version {number} is not finished."
OPEN_CHECKS = "Fix or accept every finding before locking: {count} left."
NO_UNITS = "Add units before building a plan."
BAD_FAIR_SHARE = "The fair share by district is a percent: from 0 (off) to 100."
WRONG_KIND = "{unit} is a {unit_kind} unit; this is a {kind} visit."
BAD_STATUS = "Unknown status {status!r}."
NOT_FAILED = "Version {number} has not failed; only a failed build or re-plan can be retried."
WORKER_LOST = ("The worker stopped while solving: no sign of life for more than {seconds} s "
               "(it was stopped, ran out of memory or lost its machine). Retry to solve again.")
MAX_BUDGET = 600
SOLVING_PROGRESS = 20  # percent, when the search starts
SAVING_PROGRESS = 90  # percent, when it is checked and saved
# The solving worker marks the version alive this often; a running version silent for
# STALE_AFTER has lost its worker.
HEARTBEAT_SECONDS = 5
STALE_AFTER = dt.timedelta(seconds=60)


def _require(allowed: bool, what, actor: Actor | None = None) -> None:
    """Refuse unless allowed. Only the system itself (`Actor.system`: the command line, the demo,
    the worker) skips the check; views always pass the signed-in user."""
    if actor is not None and actor.is_system:
        return
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED.format(what=what))


# ------------------------------------------------------------------ units

@transaction.atomic
def unit_create(*, actor: Actor, season: Season, agency: Agency, kind: str, name: str,
                shift_start: dt.time, shift_end: dt.time, start_station: Station,
                end_station: Station | None = None, district: str = "",
                max_stops: int | None = None, ride_along_with: Unit | None = None) -> Unit:
    _require(can_manage_agency(actor.user, agency) or can_manage_season(actor.user, season),
             agency, actor=actor)
    unit = Unit(season=season, agency=agency, kind=kind, name=name, shift_start=shift_start,
                shift_end=shift_end, start_station=start_station,
                end_station=end_station or start_station, district=district,
                max_stops=max_stops, ride_along_with=ride_along_with)
    unit.full_clean()
    unit.save()
    audit_record(actor=actor, season=season, action="unit_create", changes={"unit": name})
    return unit


UNIT_FIELDS = ("agency", "kind", "name", "shift_start", "shift_end", "start_station",
               "end_station", "district", "max_stops", "ride_along_with")


@transaction.atomic
def unit_update(*, actor: Actor, unit: Unit, **fields) -> Unit:
    """Change a unit's details (any of UNIT_FIELDS). Versions already built keep what they
    planned; the next build or re-plan plans with the new details. An empty end station means
    back where it starts, as when the unit was added."""
    season = unit.season
    _require(can_manage_season(actor.user, season) or can_manage_agency(actor.user, unit.agency),
             unit, actor=actor)
    if "agency" in fields:
        _require(can_manage_season(actor.user, season)
                 or can_manage_agency(actor.user, fields["agency"]), fields["agency"], actor=actor)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unit_update() does not change {', '.join(sorted(unknown))}")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if "end_station" in fields and fields["end_station"] is None:
        fields["end_station"] = fields.get("start_station", unit.start_station)
    rides = fields.get("ride_along_with")
    if rides is not None:
        if rides.pk == unit.pk:
            raise ValidationError({"ride_along_with": "A unit cannot ride along with itself."})
        if rides.ride_along_with_id is not None:
            raise ValidationError({"ride_along_with": f"{rides} rides along with another unit "
                                                      "itself; choose the unit it rides with."})
        if unit.riders.exists():
            raise ValidationError({"ride_along_with": "Other units ride along with this one; "
                                                      "it cannot ride along itself."})
    changes = {}
    for name, value in fields.items():
        old = getattr(unit, name)
        if old != value:
            changes[name] = ["" if old is None else str(old), "" if value is None else str(value)]
            setattr(unit, name, value)
    if not changes:
        return unit
    unit.full_clean()
    unit.save()
    audit_record(actor=actor, season=season, action="unit_update",
                 changes={"unit": unit.name, **changes})
    return unit


@transaction.atomic
def unit_set_active(*, actor: Actor, unit: Unit, active: bool) -> Unit:
    _require(can_manage_season(actor.user, unit.season)
             or can_manage_agency(actor.user, unit.agency), unit, actor=actor)
    Unit.objects.filter(pk=unit.pk).update(active=active)
    unit.active = active
    audit_record(actor=actor, season=unit.season, action="unit_active" if active else "unit_drop",
                 changes={"unit": unit.name})
    return unit


UNIT_IN_PLAN = ("{unit} has stops in version {versions} of the plan, which keep them: it cannot "
                "be removed. If it will not go out, mark it as not going out instead.")
UNIT_HAS_RIDERS = "{riders} {verb} along with {unit}: change or remove {them} first."


def unit_kept(unit: Unit) -> str | None:
    """Why `unit` cannot be removed, or None: a plan version has stops for it (the version
    keeps its history), or other units ride along with it."""
    versions = sorted(set(Stop.objects.filter(unit=unit).values_list("version__number", flat=True)))
    if versions:
        return UNIT_IN_PLAN.format(unit=unit.name, versions=", ".join(str(n) for n in versions))
    riders = list(unit.riders.order_by("name").values_list("name", flat=True))
    if riders:
        one = len(riders) == 1
        return UNIT_HAS_RIDERS.format(riders=", ".join(riders), unit=unit.name,
                                      verb="rides" if one else "ride", them="it" if one else "them")
    return None


@transaction.atomic
def unit_delete(*, actor: Actor, unit: Unit) -> None:
    """Remove a unit added by mistake, unless it is kept (`unit_kept`)."""
    season = unit.season
    _require(can_manage_season(actor.user, season) or can_manage_agency(actor.user, unit.agency),
             unit, actor=actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    kept = unit_kept(unit)
    if kept:
        raise ValidationError(kept)
    audit_record(actor=actor, season=season, action="unit_delete", changes={"unit": unit.name})
    unit.delete()


# ------------------------------------------------------------------ building

def _next_version(plan: Plan, **fields) -> PlanVersion:
    # Lock the plan row so two builds at once get different numbers.
    Plan.objects.select_for_update().get(pk=plan.pk)
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return PlanVersion.objects.create(plan=plan, number=number, **fields)


def plan_build(*, actor: Actor, season: Season, seconds: int = 30, seed: int = 1,
               fair_share: int = 0) -> PlanVersion:
    """Queue a new version solved from scratch (keeping the pins of the latest version).
    `fair_share` (percent, 0 = off): every district should get that share of the visits of
    each kind asked for in it (how the planner goes about it: `planner.solve.solve`)."""
    _require(can_manage_season(actor.user, season), season, actor=actor)
    if not adapter.planned_units(season):
        raise ValidationError(NO_UNITS)
    if not 0 <= int(fair_share) <= 100:
        raise ValidationError(BAD_FAIR_SHARE)
    seconds = max(1, min(int(seconds), MAX_BUDGET))
    with transaction.atomic():
        plan, _ = Plan.objects.get_or_create(season=season)
        parent = plan.versions.filter(status=VersionStatus.DONE).order_by("-number").first()
        version = _next_version(plan, parent=parent, origin="build", time_budget=seconds,
                                seed=seed, fair_share=int(fair_share),
                                progress_note="Waiting for a worker")
        audit_record(actor=actor, season=season, action="plan_build",
                     changes={"version": version.number, "seconds": seconds,
                              "fair_share": int(fair_share)})
    _enqueue(version)
    version.refresh_from_db()
    return version


def _enqueue(version: PlanVersion) -> None:
    """Hand the version to the task queue and remember the job's id."""
    from nightout.visits.tasks import version_replan_task, version_solve_task

    if version.origin == "replan":
        job = version_replan_task.enqueue(version.pk, version.late)
    else:
        job = version_solve_task.enqueue(version.pk)
    PlanVersion.objects.filter(pk=version.pk).update(task_id=str(job.id))


def _worker_token() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


@contextmanager
def _heartbeat(version_id: int, token: str):
    """Mark the version alive every HEARTBEAT_SECONDS from a side thread while the body runs."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                try:
                    PlanVersion.objects.filter(pk=version_id, worker=token).update(
                        heartbeat_at=timezone.now())
                except DatabaseError:  # a busy or lost database: try again at the next beat
                    pass
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{version_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _still_mine(version: PlanVersion, token: str) -> bool:
    """Inside the saving transaction: is the version still this worker's (not handed to a
    retry meanwhile)? Row-locked, so a retry waits for the save."""
    return PlanVersion.objects.select_for_update().filter(pk=version.pk, worker=token).exists()


def _start(version: PlanVersion, percent: int, note: str) -> str:
    """Mark the version running on this worker; returns the worker's token."""
    token, now = _worker_token(), timezone.now()
    _progress(version, percent, note, status=VersionStatus.RUNNING, started_at=now,
              worker=token, heartbeat_at=now)
    return token


def versions_fail_stale(*, season: Season | None = None, now: dt.datetime | None = None
                        ) -> list[PlanVersion]:
    """Mark failed (and retryable) every running version whose worker has given no sign of
    life for STALE_AFTER, and its job in the database queue. The plan's other versions, and
    the locked one, are untouched: a version's stops are written only when it is done."""
    now = now or timezone.now()
    stale = (PlanVersion.objects.filter(status=VersionStatus.RUNNING)
             .alias(seen=Coalesce("heartbeat_at", "started_at"))
             .filter(seen__lt=now - STALE_AFTER))
    if season is not None:
        stale = stale.filter(plan__season=season)
    failed = []
    for version in stale:
        error = WORKER_LOST.format(seconds=int(STALE_AFTER.total_seconds()))
        with transaction.atomic():
            marked = PlanVersion.objects.filter(
                pk=version.pk, status=VersionStatus.RUNNING, worker=version.worker,
            ).update(status=VersionStatus.FAILED, error=error, finished_at=now,
                     progress_note="Failed")
            if marked and version.task_id and apps.is_installed("django_tasks_db"):
                from django_tasks_db.models import DBTaskResult

                DBTaskResult.objects.filter(
                    id=version.task_id, status=TaskResultStatus.RUNNING,
                ).update(status=TaskResultStatus.FAILED, finished_at=now,
                         exception_class_path="nightout.visits.services.WorkerLost",
                         traceback=error)
        if marked:
            version.refresh_from_db()
            failed.append(version)
    return failed


def version_retry(*, actor: Actor, version: PlanVersion) -> PlanVersion:
    """Queue a failed build or re-plan again, as the same version."""
    season = version.season
    _require(can_manage_season(actor.user, season), season, actor=actor)
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.FAILED or version.origin not in ("build", "replan"):
            raise ValidationError(NOT_FAILED.format(number=version.number))
        PlanVersion.objects.filter(pk=version.pk).update(
            status=VersionStatus.QUEUED, progress=0, progress_note="Waiting for a worker",
            error="", worker="", heartbeat_at=None, started_at=None, finished_at=None)
        audit_record(actor=actor, season=season, action="plan_retry",
                     changes={"version": version.number, "error": version.error[:300]})
    version.refresh_from_db()
    _enqueue(version)
    version.refresh_from_db()
    return version


def _progress(version: PlanVersion, percent: int, note: str, **fields) -> None:
    PlanVersion.objects.filter(pk=version.pk).update(progress=percent, progress_note=note, **fields)


def version_solve(*, version_id: int) -> PlanVersion:
    """The background task's body: solve, compare with first come first served, save stops."""
    version = PlanVersion.objects.select_related("plan__season__jurisdiction").get(pk=version_id)
    if version.is_finished:
        return version
    season = version.season
    token = _start(version, 5, "Reading parties and units")
    try:
        with _heartbeat(version.pk, token):
            units = adapter.planned_units(season)
            pins = list(version.parent.stops.filter(pinned=True)) if version.parent else []
            problem = adapter.build_problem(season, units=units, pins=pins,
                                            fair_share=version.fair_share)
            _progress(version, 10, "First come, first served, for comparison")
            baseline = first_come_first_served(problem)
            base = validate(baseline, problem)
            _progress(version, SOLVING_PROGRESS, f"Solving for up to {version.time_budget} s")
            plan = solve(problem, time_limit=version.time_budget, seed=version.seed,
                         workers=getattr(settings, "PLANNER_WORKERS", None) or None)
            _progress(version, SAVING_PROGRESS, "Checking and saving")
            report = validate(plan, problem)
            pinned = {(int(p.site), p.kind) for p in problem.pins}
            rows = adapter.stops_from_plan(plan, season, pinned=pinned)
    except Exception as exc:  # the worker must record any failure on the version
        PlanVersion.objects.filter(pk=version.pk, worker=token).update(
            status=VersionStatus.FAILED, error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(), progress_note="Failed")
        raise
    with transaction.atomic():
        if not _still_mine(version, token):
            version.refresh_from_db()
            return version
        for row in rows:
            row.version = version
        Stop.objects.bulk_create(rows)
        PlanVersion.objects.filter(pk=version.pk).update(
            status=VersionStatus.DONE, progress=100, progress_note="Done", error="",
            score=report.score, visits_made=report.visits, parties_reached=report.parties,
            fcfs_score=base.score, fcfs_parties=base.parties, feasible=report.feasible,
            problems=report.errors, finished_at=timezone.now(), note=plan.note)
    version.refresh_from_db()
    return version


def _editable(version: PlanVersion) -> PlanVersion:
    """The version as it is in the database now (row-locked), if it may still change."""
    version = PlanVersion.objects.select_for_update().select_related("plan__season").get(
        pk=version.pk)
    if version.locked:
        raise ValidationError(LOCKED.format(number=version.number))
    if version.status != VersionStatus.DONE:
        raise ValidationError(NOT_DONE.format(number=version.number))
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
    _require(can_manage_season(actor.user, version.season), version.season, actor=actor)
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
    _require(can_manage_season(actor.user, season), season, actor=actor)
    _editable(version)
    if unit.kind != stop.kind:
        raise ValidationError(WRONG_KIND.format(unit=unit, unit_kind=unit.kind, kind=stop.kind))
    new = _next_version(version.plan, parent=version, origin="move", status=VersionStatus.DONE,
                        progress=100, progress_note="Done", time_budget=0, seed=version.seed,
                        fair_share=version.fair_share, note=f"Moved {stop.event} to {unit}")
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
    from nightout.visits.selectors import version_checks

    _require(can_manage_season(actor.user, version.season), version.season, actor=actor)
    version = _editable(version)
    keys = [key] if key else [f.key for f in version_checks(version) if f.kind == kind]
    new = [k for k in keys if k and k not in version.accepted]
    if new:
        version.accepted = [*version.accepted, *new]
        version.save(update_fields=["accepted"])
    return version


def version_lock(*, actor: Actor, version: PlanVersion) -> PlanVersion:
    from nightout.visits.selectors import version_checks

    season = version.season
    _require(can_manage_season(actor.user, season), season, actor=actor)
    with transaction.atomic():
        version = _editable(version)
        open_checks = [c for c in version_checks(version) if not c.accepted]
        if open_checks:
            raise ValidationError(OPEN_CHECKS.format(count=len(open_checks)))
        PlanVersion.objects.filter(plan=version.plan, locked=True).update(locked=False)
        version.locked, version.locked_at = True, timezone.now()
        version.save(update_fields=["locked", "locked_at"])
        audit_record(actor=actor, season=season, action="plan_lock",
                     changes={"version": version.number})
        transaction.on_commit(lambda: _notify_agencies(version))
    return version


def _notify_agencies(version: PlanVersion) -> None:
    from nightout.visits.tasks import version_locked_notify_task

    version_locked_notify_task.enqueue(version.pk)


def version_locked_notify(*, version_id: int) -> None:
    """Email the liaisons and crews of every agency with stops in the locked version. Each
    agency's mail is tried; one that fails is logged, and the task fails after the rest."""
    version = PlanVersion.objects.select_related("plan__season__jurisdiction").get(pk=version_id)
    season = version.season
    agencies = Agency.objects.filter(units__stops__version=version).distinct()
    failure = None
    for agency in agencies:
        emails = sorted({m.user.email for m in Membership.objects.filter(
            agency=agency, role__in=[Role.AGENCY_LIAISON, Role.CREW]).select_related("user")
            if m.user.email})
        if not emails:
            continue
        try:
            mail_send(
                subject=f"{season}: the visit plan is locked",
                body=f"The visit plan for {season} is locked (version {version.number}). Your "
                     f"units' itineraries: {settings.SITE_URL}/plan/{season.slug}/units/\n",
                to=emails, about=f"the locked plan of {season.slug} for {agency.slug}",
            )
        except Exception as exc:  # logged by mail_send; the other agencies still hear
            failure = failure or exc
    if failure is not None:
        raise failure


# ------------------------------------------------------------------ the night

TRANSITIONS = {
    StopStatus.ARRIVED: {StopStatus.PLANNED},
    StopStatus.DONE: {StopStatus.PLANNED, StopStatus.ARRIVED},
    StopStatus.SKIPPED: {StopStatus.PLANNED, StopStatus.ARRIVED},
}


# A phone's clock may run this far ahead of the server's and its taps still keep their time.
TAP_CLOCK_SKEW = dt.timedelta(minutes=2)


def _tap_time(stop: Stop, tapped_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When a tap happened: the phone's time if it is plausible (not later than now, give or
    take the phone's clock, and not before the night opens for the stop's unit: its shift or
    the season's earliest start, whichever is first), else the time the server received it."""
    if tapped_at is None:
        return now
    season = stop.unit.season
    opens = min(season.window[0], season.at(season.nno_date, stop.unit.shift_start))
    if not opens <= tapped_at <= now + TAP_CLOCK_SKEW:
        return now
    return min(tapped_at, now)


def stop_report(*, actor: Actor, stop_id: int, status: str, tap: uuid.UUID | None = None,
                tapped_at: dt.datetime | None = None, now: dt.datetime | None = None) -> Stop:
    """A crew's tap: arrived, done or skipped. Every tap is kept; the stop's status moves
    forward only (a late 'arrived' after 'done' changes nothing), under a row lock so taps
    from many crews at once all land.

    A tap made without signal is sent when the signal is back, with the phone's id for it
    (`tap`) and the time it was tapped (`tapped_at`): the same tap sent again changes nothing,
    and the report keeps the phone's time when it is plausible (`_tap_time`)."""
    now = now or timezone.now()
    if tapped_at is not None and timezone.is_naive(tapped_at):
        tapped_at = None  # a time without a zone says nothing
    with transaction.atomic():
        # Only the stop's row: its unit, agency and season are read, not locked, so crews of
        # one agency do not queue behind each other. The lock also makes a tap sent twice at
        # once wait for the first, and then find it.
        stop = (Stop.objects.select_for_update(of=("self",))
                .select_related("unit__agency", "unit__season__jurisdiction").get(pk=stop_id))
        _require(can_report_stop(actor.user, stop.unit.agency, stop.unit.season), stop.unit,
                 actor=actor)
        if status not in TRANSITIONS:
            raise ValidationError(BAD_STATUS.format(status=status))
        if tap is not None and StopReport.objects.filter(stop=stop, tap=tap).exists():
            return stop
        at = _tap_time(stop, tapped_at, now)
        StopReport.objects.create(stop=stop, status=status, at=at, by=actor.label, tap=tap,
                                  tapped_at=tapped_at, received_at=now)
        if stop.status in TRANSITIONS[status]:
            made = {"done_by_id": stop.unit_id} if status == StopStatus.DONE else {}
            Stop.objects.filter(pk=stop.pk).update(status=status, reported_at=at, **made)
            stop.status, stop.reported_at = status, at
            for field, value in made.items():
                setattr(stop, field, value)
        _forward(stop, status, at)
    return stop


def _forward(stop: Stop, status: str, at: dt.datetime) -> None:
    """A tap queued on a phone across a re-plan names the stop of the version the phone had.
    The same visit by the same unit in every version made from that one moves forward too, so
    the crew's list and the board do not show a visit made as still to do.

    A visit done is done whoever the re-plan gave it to: when the later version has the party's
    visit of that kind on another unit, that stop is done too, so the other unit does not drive
    there. 'Arrived' and 'skipped' stay with the unit that tapped: the other unit is not there,
    and a visit skipped is one the re-plan may still send someone to. A stop done this way
    keeps who made the visit (`done_by`), so the board and the other unit's phone say so."""
    same_visit = {"event_id": stop.event_id, "kind": stop.kind, "status__in": TRANSITIONS[status]}
    made = {}
    if status == StopStatus.DONE:
        made["done_by_id"] = stop.unit_id
    else:
        same_visit["unit_id"] = stop.unit_id
    parents = [stop.version_id]
    while parents:
        later = list(PlanVersion.objects.filter(parent_id__in=parents).values_list("pk", flat=True))
        Stop.objects.filter(version_id__in=later, **same_visit).update(
            status=status, reported_at=at, **made)
        parents = later


def plan_replan(*, actor: Actor, version: PlanVersion, now: dt.datetime,
                late: dict[int, int] | None = None, seconds: int = 5) -> PlanVersion:
    """The rest of the night from `now`: units that dropped out (inactive) are gone, late
    units are free `late[unit_id]` minutes later, visits done stay done. Runs as a task."""
    season = version.season
    _require(can_manage_season(actor.user, season), season, actor=actor)
    with transaction.atomic():
        new = _next_version(version.plan, parent=version, origin="replan", replan_from=now,
                            time_budget=max(1, min(int(seconds), MAX_BUDGET)), seed=version.seed,
                            fair_share=version.fair_share,
                            progress_note="Waiting for a worker",
                            accepted=version.accepted, problems=[], note=_late_note(late),
                            late={str(k): v for k, v in (late or {}).items()})
        audit_record(actor=actor, season=season, action="plan_replan",
                     changes={"version": new.number, "late": late or {}})
    _enqueue(new)
    new.refresh_from_db()
    return new


def _late_note(late: dict | None) -> str:
    return "Re-planned" + (f", {len(late)} unit(s) late" if late else "")


def version_replan(*, version_id: int, late: dict[str, int]) -> PlanVersion:
    version = PlanVersion.objects.select_related("plan__season__jurisdiction", "parent").get(
        pk=version_id)
    if version.is_finished:
        return version
    season, previous = version.season, version.parent
    night = adapter.Night.of(season)
    now = night.seconds(version.replan_from)
    token = _start(version, 10, "Reading the night so far")
    try:
        with _heartbeat(version.pk, token):
            all_units = list(Unit.objects.filter(season=season, ride_along_with__isnull=True)
                             .select_related("start_station", "end_station").order_by("id"))
            problem = adapter.build_problem(season, units=all_units,
                                            fair_share=version.fair_share)
            old = list(previous.stops.select_related("event").order_by("unit_id", "order"))
            kept = [s for s in old if s.status != StopStatus.PLANNED]
            made = [(str(s.event_id), s.kind) for s in kept]
            states = []
            for unit in all_units:
                mine = [s for s in kept if s.unit_id == unit.pk]
                point = ((mine[-1].event.latitude, mine[-1].event.longitude) if mine
                         else (unit.start_station.latitude, unit.start_station.longitude))
                free = max(now, *(night.seconds(s.departure) for s in mine
                                  if s.status == StopStatus.ARRIVED), now)
                free += int(late.get(str(unit.pk), 0)) * 60
                states.append(UnitState(unit=str(unit.pk), point=point, free_at=free,
                                        active=unit.active))
            _progress(version, SOLVING_PROGRESS,
                      f"Solving the rest of the night for up to {version.time_budget} s")
            result = replan(problem, adapter.plan_from_stops(old, season, all_units), now, states,
                            made, time_limit=version.time_budget, seed=version.seed,
                            workers=getattr(settings, "PLANNER_WORKERS", None) or None)
            report = validate(result.plan, result.problem)
            rows = adapter.stops_from_plan(result.plan, season)
    except Exception as exc:
        PlanVersion.objects.filter(pk=version.pk, worker=token).update(
            status=VersionStatus.FAILED, error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(), progress_note="Failed")
        raise
    with transaction.atomic():
        if not _still_mine(version, token):
            version.refresh_from_db()
            return version
        # Taps that landed on the previous version while this one was solved: read again now,
        # with its stops locked, so that a tap from now on waits and then finds these stops.
        reported = {(s.unit_id, s.event_id, s.kind): (s.status, s.reported_at, s.done_by_id)
                    for s in previous.stops.select_for_update()
                    if s.status != StopStatus.PLANNED}
        # A visit done is done whoever this version gives it to (as `_forward` does later),
        # and keeps who made it.
        done = {(e, k): made for (_, e, k), made in reported.items()
                if made[0] == StopStatus.DONE}
        done_count = {}
        copied = []
        for s in kept:
            done_count[s.unit_id] = done_count.get(s.unit_id, 0) + 1
            status, at, by = reported.get((s.unit_id, s.event_id, s.kind),
                                          (s.status, s.reported_at, s.done_by_id))
            copied.append(Stop(version=version, unit_id=s.unit_id, event_id=s.event_id,
                               kind=s.kind, order=done_count[s.unit_id], arrival=s.arrival,
                               start=s.start, departure=s.departure, pinned=s.pinned,
                               status=status, reported_at=at, done_by_id=by))
        for row in rows:
            row.version = version
            row.order += done_count.get(row.unit_id, 0)
            row.status, row.reported_at, row.done_by_id = reported.get(
                (row.unit_id, row.event_id, row.kind),
                done.get((row.event_id, row.kind), (row.status, row.reported_at, None)))
        Stop.objects.bulk_create(copied + rows)
        PlanVersion.objects.filter(pk=version.pk).update(
            status=VersionStatus.DONE, progress=100, progress_note="Done", error="",
            score=report.score + len(kept), visits_made=report.visits + len(kept),
            parties_reached=len({s.event_id for s in copied + rows}),
            fcfs_score=previous.fcfs_score, fcfs_parties=previous.fcfs_parties,
            feasible=report.feasible, problems=report.errors, finished_at=timezone.now(),
            note=f"{version.note}: kept {result.kept}, changed {result.changed}")
        _take_over_lock(version, previous)
    version.refresh_from_db()
    return version


def _take_over_lock(version: PlanVersion, previous: PlanVersion) -> None:
    """On the night, a re-planned version of the locked plan takes over the lock as soon as it
    is solved (by the worker, whenever that is), so the board and the crews' phones show it;
    the checks were made when the plan was first locked. If the coordinator locked another
    version meanwhile, that one stays locked."""
    if not PlanVersion.objects.select_for_update().filter(pk=previous.pk, locked=True).exists():
        return
    PlanVersion.objects.filter(plan=version.plan, locked=True).update(locked=False)
    PlanVersion.objects.filter(pk=version.pk).update(locked=True, locked_at=timezone.now())
    audit_record(actor=Actor.system("re-plan"), season=version.season, action="plan_relock",
                 changes={"version": version.number})
