"""Small instances for the planner tests, built in code (no files, no database)."""

from __future__ import annotations

import itertools
import random

from nightout.planner.problem import Pin, Problem, Site, TimeWindow, Unit
from nightout.planner.travel import Planar

# Planar travel in whole minutes x 60: every time below is in seconds.
MINUTES = Planar(decimals=0, scale=60)
DEPOT = (0.0, 0.0)


def site(i, x, y, open_, close, stay=10, priority=1, requests=("police",), district="", order=None):
    return Site(id=f"s{i}", point=(float(x), float(y)), hours=TimeWindow(open_ * 60, close * 60),
                stay=stay * 60, priority=priority, requests=tuple(requests), district=district,
                order=i if order is None else order)


def unit(i, kind="police", start=0, end=240, point=DEPOT, max_stops=None):
    return Unit(id=f"u{i}", kind=kind, shift=TimeWindow(start * 60, end * 60), start=point,
                end=point, max_stops=max_stops)


def random_problem(seed: int, n_sites: int, n_units: int, horizon: int = 120) -> Problem:
    rng = random.Random(seed)
    sites = []
    for i in range(n_sites):
        open_ = rng.randrange(0, horizon - 40)
        sites.append(site(i, rng.randint(-20, 20), rng.randint(-20, 20), open_,
                          open_ + rng.randint(20, 60), stay=rng.randint(5, 15),
                          priority=rng.randint(1, 5)))
    units = [unit(i, end=horizon) for i in range(n_units)]
    return Problem(sites=tuple(sites), units=tuple(units), travel=MINUTES)


def brute_force_best(problem: Problem) -> int:
    """The optimal score, by trying every assignment of sites to units and every order."""
    pts = problem.points()
    ix = {p: i for i, p in enumerate(pts)}
    dur = problem.travel.matrix(pts).durations

    def best_route_value(unit, sites) -> int | None:
        for order in itertools.permutations(sites):
            t, here, ok = unit.shift.start, ix[unit.start], True
            for s in order:
                t = max(t + int(dur[here, ix[s.point]]), s.hours.start)
                if t + s.stay > s.hours.end:
                    ok = False
                    break
                t += s.stay
                here = ix[s.point]
            if ok and t + int(dur[here, ix[unit.end]]) <= unit.shift.end:
                return sum(problem.value(s, unit.kind) for s in sites)
        return None

    best = 0
    units = problem.units
    for assign in itertools.product(range(len(units) + 1), repeat=len(problem.sites)):
        total = 0
        for k, u in enumerate(units):
            mine = [s for s, a in zip(problem.sites, assign, strict=True) if a == k]
            if u.max_stops is not None and len(mine) > u.max_stops:
                total = None
                break
            value = best_route_value(u, mine) if mine else 0
            if value is None:
                total = None
                break
            total += value
        if total is not None:
            best = max(best, total)
    return best


def kickoff_problem() -> Problem:
    """Police and fire requests at the same parties, the mayor pinned to the kickoff at 18:00."""
    sites = (
        site(0, 5, 0, 0, 240, requests=("police", "fire")),
        site(1, -5, 0, 0, 240, requests=("police",)),
        site(2, 0, 5, 0, 240, requests=("fire",)),
        site(3, 0, -5, 0, 240, requests=("official",), priority=3),
        # The kickoff, 18:00 if the night starts at 17:00.
        site(4, 3, 3, 60, 90, requests=("official",)),
    )
    units = (unit(0, "police"), unit(1, "fire"), unit(2, "official"))
    return Problem(sites=sites, units=units, travel=MINUTES,
                   pins=(Pin("s4", "official", "u2", at=60 * 60),))


__all__ = ["Pin", "kickoff_problem", "random_problem", "brute_force_best", "site", "unit"]
