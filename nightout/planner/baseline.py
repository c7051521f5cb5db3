"""First come, first served: what coordinators do by hand today.

Requests are taken in registration order (`Site.order`, then id); each goes to the unit of
its kind where it fits with the least added time, at the best place in that unit's run,
or is left out if no unit can still fit it. Nothing already given is ever taken back.
"""

from __future__ import annotations

from nightout.planner.problem import Problem, Unit
from nightout.planner.result import Plan
from nightout.planner.schedule import Builder, Context


def first_come_first_served(problem: Problem) -> Plan:
    ctx = Context.of(problem)
    builder = Builder(ctx, list(problem.units))
    by_kind: dict[str, list[Unit]] = {}
    for unit in problem.units:
        by_kind.setdefault(unit.kind, []).append(unit)
    pinned = {(p.site, p.kind): p.unit for p in problem.pins}
    units = problem.unit_by_id()
    for site in sorted(problem.sites, key=lambda s: (s.order, s.id)):
        for kind in by_kind:
            if problem.value(site, kind) <= 0 and (site.id, kind) not in pinned:
                continue
            pin = pinned.get((site.id, kind))
            candidates = [units[pin]] if pin is not None else by_kind[kind]
            best = None
            for unit in candidates:
                found = builder.best_insertion(unit, site.id)
                if found is not None and (best is None or found[0] < best[0]):
                    best = (found[0], found[1], unit)
            if best is not None:
                builder.insert(best[2], site.id, best[1])
    itineraries = tuple(builder.itineraries())
    score = sum(problem.value(ctx.sites[s.site], s.kind) for it in itineraries for s in it.stops)
    return Plan(itineraries=itineraries, score=score, note="first come, first served")
