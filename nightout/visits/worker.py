"""The worker's side of a plan version: solving a queued build or re-plan, and noticing a worker
that was lost.

Both kinds of version go through one sequence (`_run`): mark the version running on this
worker, solve while a side thread beats a heartbeat on it, record any failure on it, and save
the result in one transaction, only if the version is still this worker's (a retry may have
taken it over meanwhile). A running version silent for STALE_AFTER lost its worker: the
reaper (`versions_fail_stale`) marks it failed, and its job through the task backend's API.

The background tasks (`tasks.py`) call `version_solve_build` and `version_solve_replan`; this
module imports neither the tasks nor the services that queue them.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models.functions import Coalesce
from django.tasks import TaskResultStatus, default_task_backend
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from nightout.planner.baseline import first_come_first_served
from nightout.planner.replan import UnitState, replan
from nightout.planner.result import Plan as PlannerPlan
from nightout.planner.result import Report, validate
from nightout.planner.solve import solve
from nightout.registry.actors import Actor, audit_record
from nightout.registry.models import Season
from nightout.visits import adapter
from nightout.visits.models import PlanVersion, Stop, StopStatus, Unit, VersionStatus

WORKER_LOST = ("The worker stopped while solving: no sign of life for more than {seconds} s "
               "(it was stopped, ran out of memory or lost its machine). Retry to solve again.")
SOLVING_PROGRESS = 20  # percent, when the search starts
SAVING_PROGRESS = 90  # percent, when it is checked and saved
# The solving worker marks the version alive this often; a running version silent for
# STALE_AFTER has lost its worker.
HEARTBEAT_SECONDS = 5
STALE_AFTER = dt.timedelta(seconds=60)

Solved = TypeVar("Solved")


class WorkerLost(Exception):
    """What a lost worker's job failed of, in the task queue's record of it."""


# ------------------------------------------------------------------ the one sequence

def _run(version: PlanVersion, *, percent: int, note: str, solve: Callable[[], Solved],
         save: Callable[[Solved], None]) -> PlanVersion:
    """Solve `version` on this worker and save what `solve` returned with `save`.

    `solve` runs outside any transaction, under the heartbeat; any failure is recorded on the
    version and raised for the task queue to record too. `save` runs in one transaction, with
    the version row locked, and only while the version is still this worker's."""
    token = _start(version, percent, note)
    try:
        with _heartbeat(version.pk, token):
            solved = solve()
    except Exception as exc:  # the worker must record any failure on the version
        _fail(version, token, exc)
        raise
    with transaction.atomic():
        if _still_mine(version, token):
            save(solved)
    version.refresh_from_db()
    return version


def _worker_token() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


def _start(version: PlanVersion, percent: int, note: str) -> str:
    """Mark the version running on this worker; returns the worker's token."""
    token, now = _worker_token(), timezone.now()
    _progress(version, percent, note, status=VersionStatus.RUNNING, started_at=now,
              worker=token, heartbeat_at=now)
    return token


def _progress(version: PlanVersion, percent: int, note: str, **fields: Any) -> None:
    PlanVersion.objects.filter(pk=version.pk).update(progress=percent, progress_note=note, **fields)


@contextmanager
def _heartbeat(version_id: int, token: str) -> Iterator[None]:
    """Mark the version alive every HEARTBEAT_SECONDS from a side thread while the body runs."""
    stop = threading.Event()

    def beat() -> None:
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


def _fail(version: PlanVersion, token: str, exc: Exception) -> None:
    """Record the failure on the version, unless a retry has taken it over meanwhile."""
    PlanVersion.objects.filter(pk=version.pk, worker=token).update(
        status=VersionStatus.FAILED, error=f"{type(exc).__name__}: {exc}",
        finished_at=timezone.now(), progress_note="Failed")


def _still_mine(version: PlanVersion, token: str) -> bool:
    """Inside the saving transaction: is the version still this worker's (not handed to a
    retry meanwhile)? Row-locked, so a retry waits for the save."""
    return PlanVersion.objects.select_for_update().filter(pk=version.pk, worker=token).exists()


def _workers() -> int | None:
    return getattr(settings, "PLANNER_WORKERS", None) or None


# ------------------------------------------------------------------ a build

@dataclass(frozen=True)
class _Built:
    stops: list[Stop]
    report: Report
    baseline: Report
    note: str


def version_solve_build(*, version_id: int) -> PlanVersion:
    """Solve a queued build (`versions.version_queue_build`): compare with first come, first
    served, check with the independent validator, save the stops."""
    version = PlanVersion.objects.select_related("plan__season__jurisdiction").get(pk=version_id)
    if version.is_finished:
        return version
    return _run(version, percent=5, note="Reading parties and units",
                solve=lambda: _build_solve(version), save=lambda built: _build_save(version, built))


def _build_solve(version: PlanVersion) -> _Built:
    season = version.season
    units = adapter.planned_units(season)
    pins = list(version.parent.stops.filter(pinned=True)) if version.parent else []
    problem = adapter.build_problem(season, units=units, pins=pins, fair_share=version.fair_share)
    _progress(version, 10, "First come, first served, for comparison")
    baseline = validate(first_come_first_served(problem), problem)
    _progress(version, SOLVING_PROGRESS, f"Solving for up to {version.time_budget} s")
    plan: PlannerPlan = solve(problem, time_limit=version.time_budget, seed=version.seed,
                              workers=_workers())
    _progress(version, SAVING_PROGRESS, "Checking and saving")
    report = validate(plan, problem)
    pinned = {(int(p.site), p.kind) for p in problem.pins}
    return _Built(stops=adapter.stops_from_plan(plan, season, pinned=pinned), report=report,
                  baseline=baseline, note=plan.note)


def _build_save(version: PlanVersion, built: _Built) -> None:
    for row in built.stops:
        row.version = version
    Stop.objects.bulk_create(built.stops)
    report, base = built.report, built.baseline
    PlanVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.DONE, progress=100, progress_note="Done", error="",
        score=report.score, visits_made=report.visits, parties_reached=report.parties,
        fcfs_score=base.score, fcfs_parties=base.parties, feasible=report.feasible,
        problems=report.errors, finished_at=timezone.now(), note=built.note)


# ------------------------------------------------------------------ a re-plan

@dataclass(frozen=True)
class _Replanned:
    kept: list[Stop]  # the previous version's stops already arrived at, done or skipped
    stops: list[Stop]  # the rest of the night, as solved
    report: Report
    kept_count: int
    changed_count: int


def version_solve_replan(*, version_id: int, late: dict[str, int]) -> PlanVersion:
    """Solve a queued re-plan (`versions.version_queue_replan`): the rest of the night from its
    `replan_from`, with the units as they are now and `late[unit id]` minutes late; visits
    made stay made. On the night, the new version takes over the lock (`_take_over_lock`)."""
    version = PlanVersion.objects.select_related("plan__season__jurisdiction", "parent").get(
        pk=version_id)
    if version.is_finished:
        return version
    return _run(version, percent=10, note="Reading the night so far",
                solve=lambda: _replan_solve(version, late),
                save=lambda replanned: _replan_save(version, replanned))


def _replan_solve(version: PlanVersion, late: dict[str, int]) -> _Replanned:
    season, previous = version.season, version.parent
    night = adapter.Night.of(season)
    now = night.seconds(version.replan_from)
    all_units = list(Unit.objects.filter(season=season, ride_along_with__isnull=True)
                     .select_related("start_station", "end_station").order_by("id"))
    problem = adapter.build_problem(season, units=all_units, fair_share=version.fair_share)
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
        states.append(UnitState(unit=str(unit.pk), point=point, free_at=free, active=unit.active))
    _progress(version, SOLVING_PROGRESS,
              f"Solving the rest of the night for up to {version.time_budget} s")
    result = replan(problem, adapter.plan_from_stops(old, season, all_units), now, states, made,
                    time_limit=version.time_budget, seed=version.seed, workers=_workers())
    return _Replanned(kept=kept, stops=adapter.stops_from_plan(result.plan, season),
                      report=validate(result.plan, result.problem), kept_count=result.kept,
                      changed_count=result.changed)


def _replan_save(version: PlanVersion, replanned: _Replanned) -> None:
    previous, kept, rows = version.parent, replanned.kept, replanned.stops
    # Taps that landed on the previous version while this one was solved: read again now,
    # with its stops locked, so that a tap from now on waits and then finds these stops.
    reported = {(s.unit_id, s.event_id, s.kind): (s.status, s.reported_at, s.done_by_id)
                for s in previous.stops.select_for_update()
                if s.status != StopStatus.PLANNED}
    # A visit done is done whoever this version gives it to (as `night._forward` does later),
    # and keeps who made it.
    done = {(e, k): made for (_, e, k), made in reported.items() if made[0] == StopStatus.DONE}
    done_count: dict[int, int] = {}
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
    report = replanned.report
    PlanVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.DONE, progress=100, progress_note="Done", error="",
        score=report.score + len(kept), visits_made=report.visits + len(kept),
        parties_reached=len({s.event_id for s in copied + rows}),
        fcfs_score=previous.fcfs_score, fcfs_parties=previous.fcfs_parties,
        feasible=report.feasible, problems=report.errors, finished_at=timezone.now(),
        note=f"{version.note}: kept {replanned.kept_count}, changed {replanned.changed_count}")
    _take_over_lock(version, previous)


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


# ------------------------------------------------------------------ a lost worker

def versions_fail_stale(*, season: Season | None = None, now: dt.datetime | None = None
                        ) -> list[PlanVersion]:
    """Mark failed (and retryable) every running version whose worker has given no sign of
    life for STALE_AFTER, and its job in the task queue. The plan's other versions, and the
    locked one, are untouched: a version's stops are written only when it is done."""
    now = now or timezone.now()
    stale = (PlanVersion.objects.filter(status=VersionStatus.RUNNING)
             .alias(seen=Coalesce("heartbeat_at", "started_at"))
             .filter(seen__lt=now - STALE_AFTER))
    if season is not None:
        stale = stale.filter(plan__season=season)
    error = WORKER_LOST.format(seconds=int(STALE_AFTER.total_seconds()))
    failed = []
    for version in stale:
        with transaction.atomic():
            marked = PlanVersion.objects.filter(
                pk=version.pk, status=VersionStatus.RUNNING, worker=version.worker,
            ).update(status=VersionStatus.FAILED, error=error, finished_at=now,
                     progress_note="Failed")
            if marked and version.task_id:
                _job_fail(version.task_id, error)
        if marked:
            version.refresh_from_db()
            failed.append(version)
    return failed


def _job_fail(task_id: str, error: str) -> None:
    """Mark a lost worker's job failed through the task backend's own API, as the backend's
    worker does when a task raises. A backend that keeps no results (the immediate one, which
    runs each task inline) has no job left running to mark."""
    backend = default_task_backend
    if not backend.supports_get_result:
        return
    try:
        job = backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return
    record = getattr(job, "db_result", None)  # django_tasks_db's row for the job
    if job.status == TaskResultStatus.RUNNING and record is not None:
        record.set_failed(WorkerLost(error))
