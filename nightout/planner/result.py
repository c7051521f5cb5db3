"""What the planner answers (Plan, Itinerary, Stop) and the independent check of it.

`validate()` shares nothing with the solver but the travel model: it recomputes every
travel time from the points, checks every recorded time against the party hours and the
unit shifts, and recomputes the score from the problem's weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nightout.planner.problem import Problem

LATE = "late: {unit} starts {site}/{kind} at {start}, its visit must end by {end}"
EARLY = "early: {unit} starts {site}/{kind} at {start}, before it opens at {open}"
TOO_SOON = "too soon: {unit} reaches {site} at {arrival}, it cannot be there before {earliest}"
SHORT_STAY = "short stay: {unit} leaves {site} at {departure}, before {earliest}"
SHIFT_START = "shift: {unit} leaves at {leave}, before its shift starts at {start}"
SHIFT_END = "shift: {unit} is back at {back}, after its shift ends at {end}"
TWICE = "twice: {site}/{kind} is visited more than once"
WRONG_KIND = "wrong kind: {unit} ({unit_kind}) makes a {kind} visit at {site}"
NOT_OFFERED = "not offered: {site} does not take {kind} visits"
UNKNOWN_UNIT = "unknown unit {unit}"
UNKNOWN_SITE = "unknown site {site}"
UNIT_TWICE = "unit {unit} has more than one itinerary"
TOO_MANY = "too many stops: {unit} makes {count}, its cap is {cap}"
PIN_MISSING = "pin broken: {site}/{kind} must be visited by {unit}"
PIN_TIME = "pin broken: {unit} must start {site}/{kind} at {at}, not {start}"


@dataclass(frozen=True)
class Stop:
    site: str
    kind: str
    arrival: int
    start: int
    departure: int


@dataclass(frozen=True)
class Itinerary:
    unit: str
    leave: int
    back: int
    stops: tuple[Stop, ...] = ()


@dataclass(frozen=True)
class Plan:
    itineraries: tuple[Itinerary, ...]
    score: int = 0
    note: str = ""

    def visits(self) -> list[tuple[str, Stop]]:
        return [(it.unit, s) for it in self.itineraries for s in it.stops]


@dataclass
class Report:
    feasible: bool
    score: int
    visits: int
    parties: int
    errors: list[str] = field(default_factory=list)
    districts: dict[str, tuple[int, int]] = field(default_factory=dict)  # made, offered requests


def validate(plan: Plan, problem: Problem) -> Report:
    """Recompute feasibility and score of `plan` for `problem`, listing every violation."""
    sites, units = problem.site_by_id(), problem.unit_by_id()
    points = problem.points()
    index = {p: i for i, p in enumerate(points)}
    travel = problem.travel.matrix(points)
    errors: list[str] = []
    seen_units: set[str] = set()
    seen_visits: set[tuple[str, str]] = set()
    where: dict[tuple[str, str], tuple[str, int]] = {}
    score = 0

    for it in plan.itineraries:
        unit = units.get(it.unit)
        if unit is None:
            errors.append(UNKNOWN_UNIT.format(unit=it.unit))
            continue
        if it.unit in seen_units:
            errors.append(UNIT_TWICE.format(unit=it.unit))
        seen_units.add(it.unit)
        if not it.stops:
            continue
        if it.leave < unit.shift.start:
            errors.append(SHIFT_START.format(unit=unit.id, leave=it.leave, start=unit.shift.start))
        if unit.max_stops is not None and len(it.stops) > unit.max_stops:
            errors.append(TOO_MANY.format(unit=unit.id, count=len(it.stops), cap=unit.max_stops))
        here, free = index[unit.start], it.leave
        for stop in it.stops:
            site = sites.get(stop.site)
            if site is None:
                errors.append(UNKNOWN_SITE.format(site=stop.site))
                continue
            fmt = dict(unit=unit.id, site=site.id, kind=stop.kind)
            if stop.kind != unit.kind:
                errors.append(WRONG_KIND.format(unit_kind=unit.kind, **fmt))
            value = problem.value(site, stop.kind)
            if value <= 0:
                errors.append(NOT_OFFERED.format(site=site.id, kind=stop.kind))
            if (site.id, stop.kind) in seen_visits:
                errors.append(TWICE.format(site=site.id, kind=stop.kind))
            seen_visits.add((site.id, stop.kind))
            where[(site.id, stop.kind)] = (unit.id, stop.start)
            there = index[site.point]
            earliest = free + travel.duration(here, there)
            if stop.arrival < earliest:
                errors.append(TOO_SOON.format(arrival=stop.arrival, earliest=earliest, **fmt))
            if stop.start < max(stop.arrival, site.hours.start):
                errors.append(EARLY.format(start=stop.start, open=site.hours.start, **fmt))
            if stop.start + site.stay > site.hours.end:
                errors.append(LATE.format(start=stop.start, end=site.hours.end, **fmt))
            if stop.departure < stop.start + site.stay:
                errors.append(SHORT_STAY.format(departure=stop.departure,
                                                earliest=stop.start + site.stay, **fmt))
            score += max(value, 0)
            here, free = there, stop.departure
        back = max(it.back, free + travel.duration(here, index[unit.end]))
        if back > unit.shift.end:
            errors.append(SHIFT_END.format(unit=unit.id, back=back, end=unit.shift.end))

    for pin in problem.pins:
        made = where.get((pin.site, pin.kind))
        if made is None or made[0] != pin.unit:
            errors.append(PIN_MISSING.format(site=pin.site, kind=pin.kind, unit=pin.unit))
        elif pin.at is not None and made[1] != pin.at:
            errors.append(PIN_TIME.format(site=pin.site, kind=pin.kind, unit=pin.unit,
                                          at=pin.at, start=made[1]))

    districts: dict[str, list[int]] = {}
    for site in problem.sites:
        tally = districts.setdefault(site.district, [0, 0])
        for kind in site.requests:
            tally[1] += 1
            tally[0] += (site.id, kind) in seen_visits
    return Report(
        feasible=not errors,
        score=score,
        visits=len(seen_visits),
        parties=len({s for s, _ in seen_visits}),
        errors=errors,
        districts={d: (t[0], t[1]) for d, t in districts.items()},
    )
