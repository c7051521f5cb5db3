"""The solver: PyVRP's iterated local search, driven so that it does better than used plainly.

`solve` is the entry; its tuning is `SearchParams` (nightout/planner/params.py), the fair
share `fair_share.py`, and everything that imports PyVRP lives in `search/`. How it goes past
plain PyVRP:
- each kind of unit serves its own requests, so every kind is a separate, smaller problem
  (`search.instance`);
- both cores work: from scratch, independent searches in parallel processes, each with its
  own seed (with one unit, one with PyVRP's defaults and one with another style of search,
  in rounds where each restarts from its own best plan, the first half of the time split
  between several starts so that a start that went wrong does not cost the whole time; with
  several, both in the style that does best there); from a plan, rounds in which every search
  restarts from the best plan found so far (`search.improve`);
- large problems are first split geographically (k-means regions of about 75 parties, each
  with its share of the units, the nearest first), solved region by region in parallel; with
  longer budgets, passes over groups of routes clustered by where they go (with the open
  visits nearest to them) then work across the earlier borders; the joined plan seeds the
  global search (`search.regions`);
- prizes are kept modest (the time-warp penalty must stay able to outweigh them), and travel
  costs only break ties between plans of equal score;
- the penalty on lateness starts on the scale of what time is worth (`search.ils.ValueOfTime`),
  not at PyVRP's far stricter midpoint, so that short searches can pass through late plans;
- on a share of its steps the search first takes a whole stretch of one route out
  (`search.shake.Shake`), as the TOPTW literature's iterated local searches do, so that a
  route can be rebuilt through another part of the map and of the evening, which scattered
  removals rarely achieve; with several units and 200 visits or more a narrower search (30
  neighbours per visit instead of 50) refills the gap, so that more steps fit in the time;
  with one unit, one of the two searches takes out longer stretches (up to 35 % of the route
  instead of a fifth).
Results go back through `schedule.itinerary`, which recomputes the times without PyVRP.
"""

from __future__ import annotations

import os
import time
from contextlib import nullcontext
from dataclasses import replace

from nightout.planner.fair_share import fairness_bonus, shortfall
from nightout.planner.params import SearchParams
from nightout.planner.problem import Problem, Unit
from nightout.planner.result import Itinerary, Plan
from nightout.planner.schedule import Context, itinerary
from nightout.planner.search.improve import improve
from nightout.planner.search.instance import (
    Instance,
    NamedRoutes,
    instance_of,
    named,
    unnamed,
    visits_of,
)
from nightout.planner.search.jobs import Runner, processes
from nightout.planner.search.regions import route_pass, split_solve

DEFAULT_PARAMS = SearchParams()


def solve(problem: Problem, time_limit: float = 10.0, seed: int = 1,
          params: SearchParams = DEFAULT_PARAMS, *, workers: int | None = None,
          iterations: int | None = None, initial: Plan | None = None,
          runner: Runner | None = None) -> Plan:
    """The best plan found within `time_limit` seconds (wall clock, all phases included).

    `params` is the tuning (`SearchParams`; its defaults are the measured ones).
    `iterations`, when given, bounds the search per kind instead of the clock (the clock
    still applies as a cap), so that a seed and a budget always give the same plan.
    `initial` is a plan to start from (re-planning); what is feasible in it is kept, and the
    travel tie-break is off, so that stops move only for a strictly better score.
    `workers` is the number of searches side by side (default: every core the machine has);
    they run on a pool of that many processes started for this call, or on `runner` when one
    is given (`search.jobs.Runner`: `Inline()`, or `Processes(pool)` on a pool of your own).

    With `problem.fair_share`, the first `fair_first_share` (60 %) of the time finds the plan
    without it. If every district has its share, the rest of the time goes on from that plan:
    the share costs nothing. If not, the rest solves again with the districts below their
    share put first (`fair_share.fairness_bonus`; from the start, as serving a far district
    takes routes the first plan is far from), and keeps that plan only if it brings the
    districts closer to their share (`fair_share.shortfall`).
    """
    t0 = time.monotonic()
    end = t0 + time_limit
    workers = workers or os.cpu_count() or 1
    ctx = Context.of(problem)
    pool = nullcontext(runner) if runner is not None else processes(workers)
    with pool as run:  # one pool, and one travel matrix, for both stages
        def search(until: float, start: Plan | None, bonus: dict[str, dict[str, int]]) -> Plan:
            return _solve(ctx, until, seed, workers, iterations, start, bonus, run, params)

        if problem.fair_share <= 0:
            plan = search(end, initial, {})
        else:
            first = search(t0 + time_limit * params.fair_first_share, initial, {})
            bonus = fairness_bonus(problem, first, params)
            if not bonus:
                plan = search(end, first, {})
            else:
                plan = search(end, initial, bonus)
                if shortfall(problem, plan) >= shortfall(problem, first):
                    plan = first
    return replace(plan, note=f"planned in {time.monotonic() - t0:.1f} s")


def _solve(ctx: Context, end: float, seed: int, workers: int, iterations: int | None,
           initial: Plan | None, bonus: dict[str, dict[str, int]], runner: Runner,
           params: SearchParams) -> Plan:
    """One search of the whole problem until `end` (a time.monotonic() moment), with the
    fair-share `bonus` by kind and site."""
    problem = ctx.problem
    deadline = max(time.monotonic() + params.min_search_seconds, end - params.finish_seconds)
    by_kind: dict[str, list[Unit]] = {}
    for unit in problem.units:
        by_kind.setdefault(unit.kind, []).append(unit)

    instances = []
    for kind, units in by_kind.items():
        visits = visits_of(ctx, kind, units, bonus.get(kind, {}), params)
        if visits:
            inst = instance_of(ctx, kind, units, visits, params, tiebreak=initial is None)
            instances.append((units, inst))
    start_of = ({it.unit: [s.site for s in it.stops] for it in initial.itineraries}
                if initial else {})
    left = sum(len(inst.visits) for _, inst in instances) or 1
    routes: NamedRoutes = []
    for units, inst in instances:
        # Each kind gets the time left in proportion to its number of visits among the kinds
        # still to solve, so the last kind runs to the deadline.
        share = len(inst.visits) / left
        left -= len(inst.visits)
        begin = time.monotonic()
        until = begin + (deadline - begin) * share
        init = unnamed(inst, [(u.id, start_of[u.id]) for u in units if u.id in start_of]) or None
        large = (iterations is None and len(inst.visits) >= params.split_min_visits
                 and len(units) >= params.split_min_units
                 and not any(v.pinned_to for v in inst.visits))
        if large:
            init = unnamed(inst, _split_and_pass(ctx, inst, units, until, init, seed, workers,
                                                 runner, params))
        found = improve(inst, until, iterations, seed, workers, init, runner, params)
        routes += named(inst, found)
    return plan_from_routes(ctx, routes)


def _split_and_pass(ctx: Context, inst: Instance, units: list[Unit], until: float,
                    init: list[tuple[int, list[int]]] | None, seed: int, workers: int,
                    runner: Runner, params: SearchParams) -> NamedRoutes:
    """A large kind's plan to start the global search from. Short budgets: the regions.
    Longer ones (or from a plan): a shorter first split, then passes over groups of routes,
    leaving `global_fraction` of the time to the global search."""
    span = until - time.monotonic()
    long_run = span >= params.long_run_seconds
    split = params.split_fraction_long if long_run else params.split_fraction
    if init is None:
        routes = split_solve(ctx, inst, units, time.monotonic() + span * split, seed, workers,
                             runner, params)
    else:
        routes = named(inst, init)
    passes_until = until - span * params.global_fraction if (long_run or init is not None) else 0
    k = 0
    while passes_until - time.monotonic() >= params.pass_seconds:
        k += 1
        routes = route_pass(ctx, inst, units, routes, time.monotonic() + params.pass_seconds,
                            seed + k, workers, runner, params)
    return routes


def plan_from_routes(ctx: Context, routes: NamedRoutes, note: str = "") -> Plan:
    """Timed itineraries for every unit (empty for units without a route)."""
    units = ctx.problem.unit_by_id()
    by_unit = dict(routes)
    itineraries: list[Itinerary] = []
    for unit in ctx.problem.units:
        it, _ = itinerary(ctx, unit, by_unit.get(unit.id, []))
        itineraries.append(it)
    score = sum(ctx.problem.value(ctx.sites[s.site], units[it.unit].kind)
                for it in itineraries for s in it.stops)
    return Plan(itineraries=tuple(itineraries), score=score, note=note)
