"""Writes to visits, by subject: `agencies` (agencies and their stations), `units`, `versions`
(building and re-planning, retries, pins, moves, checks and the lock), `night` (the crews'
taps). Each is keyword-only, checks who may write (`access.require`, with
`nightout.accounts.permissions`) and runs in one transaction.

Solving is the worker's (`nightout.visits.worker`), run by the background tasks
(`nightout.visits.tasks`) that `versions` queues; the lock's notice to agencies is a task too
(`nightout.visits.notices`). Their public names are here as well, so that callers import
every write of visits from one place.
"""

from nightout.visits.notices import version_locked_notify
from nightout.visits.services.access import NOT_ALLOWED
from nightout.visits.services.agencies import (
    AGENCY_FIELDS,
    STATION_FIELDS,
    STATION_IN_USE,
    agency_create,
    agency_retire,
    agency_update,
    station_create,
    station_delete,
    station_update,
)
from nightout.visits.services.night import (
    BAD_STATUS,
    TAP_CLOCK_SKEW,
    TRANSITIONS,
    may_tap,
    stop_report,
)
from nightout.visits.services.units import (
    UNIT_FIELDS,
    UNIT_HAS_RIDERS,
    UNIT_IN_PLAN,
    unit_create,
    unit_delete,
    unit_kept,
    unit_set_active,
    unit_update,
)
from nightout.visits.services.versions import (
    BAD_FAIR_SHARE,
    LOCKED,
    MAX_BUDGET,
    NO_UNITS,
    NOT_DONE,
    NOT_FAILED,
    OPEN_CHECKS,
    WRONG_KIND,
    check_accept,
    stop_move,
    stop_pin,
    version_lock,
    version_queue_build,
    version_queue_replan,
    version_retry,
)
from nightout.visits.worker import (
    HEARTBEAT_SECONDS,
    SAVING_PROGRESS,
    SOLVING_PROGRESS,
    STALE_AFTER,
    WORKER_LOST,
    version_solve_build,
    version_solve_replan,
    versions_fail_stale,
)

__all__ = [
    "AGENCY_FIELDS", "STATION_FIELDS", "STATION_IN_USE", "agency_create", "agency_retire",
    "agency_update", "station_create", "station_delete", "station_update",
    "BAD_FAIR_SHARE", "BAD_STATUS", "HEARTBEAT_SECONDS", "LOCKED", "MAX_BUDGET", "NOT_ALLOWED",
    "NOT_DONE", "NOT_FAILED", "NO_UNITS", "OPEN_CHECKS", "SAVING_PROGRESS", "SOLVING_PROGRESS",
    "STALE_AFTER", "TAP_CLOCK_SKEW", "TRANSITIONS", "UNIT_FIELDS", "UNIT_HAS_RIDERS",
    "UNIT_IN_PLAN", "WORKER_LOST", "WRONG_KIND", "check_accept", "stop_move", "stop_pin",
    "may_tap", "stop_report", "unit_create", "unit_delete", "unit_kept", "unit_set_active",
    "unit_update",
    "version_lock", "version_locked_notify", "version_queue_build", "version_queue_replan",
    "version_retry", "version_solve_build", "version_solve_replan", "versions_fail_stale",
]
