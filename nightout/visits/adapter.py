"""Rows to planner dataclasses and back.

The planner core sees integer seconds after midnight of the season's night in the
jurisdiction's zone, and points; it never sees a model. Site ids are event ids, unit ids
are unit ids, both as strings. Outside agencies riding along with a local unit are not
planned: they follow that unit's stops.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nightout.planner.problem import Pin, Problem, Site, TimeWindow
from nightout.planner.problem import Unit as PlannerUnit
from nightout.planner.result import Itinerary, Plan
from nightout.planner.result import Stop as PlannerStop
from nightout.registry.models import Event, EventStatus, Season
from nightout.visits.models import Stop, Unit

# How long a visit stays at a party, in seconds.
VISIT_STAY = 15 * 60


@dataclass(frozen=True)
class Night:
    """The clock of one season's night: aware datetimes <-> seconds after midnight."""

    midnight: dt.datetime

    @classmethod
    def of(cls, season: Season) -> Night:
        return cls(season.at(season.nno_date, dt.time(0)))

    def seconds(self, moment: dt.datetime) -> int:
        return int((moment - self.midnight).total_seconds())

    def of_time(self, time: dt.time) -> int:
        return time.hour * 3600 + time.minute * 60 + time.second

    def moment(self, seconds: int) -> dt.datetime:
        # Wall-clock arithmetic in the zone: the night never crosses a DST change in practice.
        return self.midnight + dt.timedelta(seconds=seconds)


def planned_units(season: Season) -> list[Unit]:
    return list(
        Unit.objects.filter(season=season, active=True, ride_along_with__isnull=True)
        .select_related("start_station", "end_station", "agency")
        .order_by("id")
    )


def planned_events(season: Season) -> list[Event]:
    return list(
        Event.objects.filter(season=season, status=EventStatus.APPROVED)
        .prefetch_related("visit_requests")
        .order_by("submitted_at", "id")
    )


def to_unit(unit: Unit, night: Night) -> PlannerUnit:
    return PlannerUnit(
        id=str(unit.pk),
        kind=unit.kind,
        shift=TimeWindow(night.of_time(unit.shift_start), night.of_time(unit.shift_end)),
        start=(unit.start_station.latitude, unit.start_station.longitude),
        end=(unit.end_station.latitude, unit.end_station.longitude),
        max_stops=unit.max_stops,
    )


def to_site(event: Event, order: int, night: Night, kinds: set[str]) -> Site:
    return Site(
        id=str(event.pk),
        point=(event.latitude, event.longitude),
        hours=TimeWindow(night.seconds(event.starts_at), night.seconds(event.ends_at)),
        stay=VISIT_STAY,
        requests=tuple(sorted(r.unit_kind for r in event.visit_requests.all()
                              if r.unit_kind in kinds)),
        district=event.district,
        order=order,
    )


def build_problem(season: Season, *, units: list[Unit] | None = None,
                  events: list[Event] | None = None, pins: list[Stop] = (),
                  fair_share: int = 0) -> Problem:
    """The season's problem: approved events with their requests, active units, pinned stops;
    with `fair_share`, that percent of every district's visits comes first."""
    night = Night.of(season)
    units = planned_units(season) if units is None else units
    events = planned_events(season) if events is None else events
    kinds = {u.kind for u in units}
    unit_ids = {u.pk for u in units}
    event_ids = {e.pk for e in events}
    return Problem(
        sites=tuple(to_site(e, i, night, kinds) for i, e in enumerate(events, start=1)),
        units=tuple(to_unit(u, night) for u in units),
        pins=tuple(
            Pin(site=str(s.event_id), kind=s.kind, unit=str(s.unit_id))
            for s in pins if s.unit_id in unit_ids and s.event_id in event_ids
        ),
        fair_share=fair_share,
    )


def stops_from_plan(plan: Plan, season: Season, *, pinned: set[tuple[int, str]] = frozenset()
                    ) -> list[Stop]:
    """Unsaved Stop rows (without version) for every stop of the plan."""
    night = Night.of(season)
    rows = []
    for it in plan.itineraries:
        for order, s in enumerate(it.stops, start=1):
            rows.append(Stop(
                unit_id=int(it.unit), event_id=int(s.site), kind=s.kind, order=order,
                arrival=night.moment(s.arrival), start=night.moment(s.start),
                departure=night.moment(s.departure),
                pinned=(int(s.site), s.kind) in pinned,
            ))
    return rows


def plan_from_stops(stops: list[Stop], season: Season, units: list[Unit]) -> Plan:
    """The planner's Plan of saved stops (for validation and as a starting point)."""
    night = Night.of(season)
    by_unit: dict[int, list[Stop]] = {}
    for s in sorted(stops, key=lambda s: (s.unit_id, s.order)):
        by_unit.setdefault(s.unit_id, []).append(s)
    itineraries = []
    for unit in units:
        mine = by_unit.get(unit.pk, [])
        shift = night.of_time(unit.shift_start)
        itineraries.append(Itinerary(
            unit=str(unit.pk), leave=shift, back=shift,
            stops=tuple(PlannerStop(site=str(s.event_id), kind=s.kind,
                                    arrival=night.seconds(s.arrival),
                                    start=night.seconds(s.start),
                                    departure=night.seconds(s.departure)) for s in mine),
        ))
    return Plan(itineraries=tuple(itineraries))
