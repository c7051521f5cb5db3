"""Re-planning during the night: from now, where each unit is, and what is already done.

The rest of the night is a new, smaller Problem: the visits already made are no longer
offered, each unit starts where it is (free when its current visit ends) with what is left
of its shift, units that dropped out are gone, appointments already past are dropped. The
previous plan, cut to what is still feasible, is the starting point of the search, so what
can be kept is kept unless a better plan is found.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from nightout.planner.problem import Point, Problem, TimeWindow
from nightout.planner.result import Plan
from nightout.planner.schedule import Context, itinerary
from nightout.planner.solve import solve


@dataclass(frozen=True)
class UnitState:
    """Where a unit is and when it can leave; `active=False` when it dropped out."""

    unit: str
    point: Point
    free_at: int
    active: bool = True


@dataclass(frozen=True)
class Replanned:
    problem: Problem  # the rest of the night, which `validate` checks the plan against
    plan: Plan
    kept: int  # remaining stops of the previous plan still made by the same unit
    changed: int  # remaining stops of the previous plan now made by another unit or dropped


def rest_of_night(problem: Problem, now: int, states: Iterable[UnitState],
                  made: Iterable[tuple[str, str]]) -> Problem:
    """The Problem of what is left: units from their position and time, minus visits made."""
    state = {s.unit: s for s in states}
    units = []
    for unit in problem.units:
        s = state.get(unit.id)
        if s is not None and not s.active:
            continue
        point = s.point if s else unit.start
        begin = max(unit.shift.start, now, s.free_at if s else now)
        if begin > unit.shift.end:
            continue
        units.append(replace(unit, shift=TimeWindow(begin, unit.shift.end), start=point))
    made = frozenset(made) | problem.made
    kept_units = {u.id for u in units}
    pins = tuple(p for p in problem.pins if (p.site, p.kind) not in made and p.unit in kept_units
                 and (p.at is None or p.at >= now))
    return replace(problem, units=tuple(units), pins=pins, made=made)


def replan(problem: Problem, previous: Plan, now: int, states: Iterable[UnitState],
           made: Iterable[tuple[str, str]], time_limit: float = 5.0, seed: int = 1,
           workers: int | None = None, iterations: int | None = None) -> Replanned:
    rest = rest_of_night(problem, now, list(states), list(made))
    ctx = Context.of(rest)
    units = rest.unit_by_id()
    was: dict[tuple[str, str], str] = {}
    start_from = []
    for it in previous.itineraries:
        unit = units.get(it.unit)
        remaining = [s for s in it.stops if (s.site, s.kind) not in rest.made]
        for s in remaining:
            was[(s.site, s.kind)] = it.unit
        if unit is not None:
            cut, _ = itinerary(ctx, unit, [s.site for s in remaining])
            start_from.append(cut)
    initial = Plan(itineraries=tuple(start_from))
    plan = solve(rest, time_limit, seed, workers=workers, iterations=iterations, initial=initial)
    sites = rest.site_by_id()
    initial_score = sum(rest.value(sites[s.site], s.kind) for it in start_from for s in it.stops)
    if plan.score < initial_score:  # never worse than the previous plan, cut to what is feasible
        plan = Plan(itineraries=initial.itineraries, score=initial_score, note="previous plan, cut")
    now_by = {(s.site, s.kind): it.unit for it in plan.itineraries for s in it.stops}
    kept = sum(1 for key, unit in was.items() if now_by.get(key) == unit)
    return Replanned(problem=rest, plan=plan, kept=kept, changed=len(was) - kept)
