"""The night: a crew's taps (arrived, done, skipped) on the stops of the plan.

A tap moves a stop forward only, lands under a row lock so taps from many crews at once all
land, and reaches the same visit in every version re-planned from the one the phone had.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from nightout.accounts.permissions import can_report_stop
from nightout.errors import Invalid
from nightout.registry.actors import Actor
from nightout.visits.models import PlanVersion, Stop, StopReport, StopStatus, Unit
from nightout.visits.services.access import require

BAD_STATUS = "Unknown status {status!r}: a tap is arrived, done or skipped."

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


def may_tap(user, unit: Unit) -> bool:
    """Whether `user` may report the stops of `unit`: its own agency's crews and managers, the
    town's coordinators, and the crews of an outside agency riding along in it (a State Police
    trooper in a city car taps the car's stops). The phone shows the buttons by this rule too."""
    season = unit.season
    return can_report_stop(user, unit.agency, season) or any(
        can_report_stop(user, rider.agency, season)
        for rider in unit.riders.select_related("agency"))


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
        require(may_tap(actor.user, stop.unit), stop.unit, actor=actor)
        if status not in TRANSITIONS:
            raise Invalid(BAD_STATUS.format(status=status))
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

