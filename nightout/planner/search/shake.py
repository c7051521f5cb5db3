"""The shake: on a share of the steps, a stretch of one route taken out before the search."""

from __future__ import annotations

from typing import Protocol

import numpy as np
from pyvrp import CostEvaluator, ProblemData, Route, Solution

from nightout.planner.params import SearchParams
from nightout.planner.search.instance import RouteSpec


class Search(Protocol):
    """A local search as PyVRP's iterated local search calls it (`pyvrp.search.LocalSearch`)."""

    def __call__(self, solution: Solution, cost_evaluator: CostEvaluator,
                 exhaustive: bool = False) -> Solution: ...


def routes_of(solution: Solution) -> list[RouteSpec]:
    """The routes of `solution`: vehicle type and client indices in order."""
    return [(r.vehicle_type(), [a.idx for a in r.schedule() if a.is_client()])
            for r in solution.routes()]


def solution_of(data: ProblemData, routes: list[RouteSpec]) -> Solution:
    return Solution(data, [Route(data, visits, vt) for vt, visits in routes if visits])


class Shake:
    """PyVRP's local search; on a share of the steps, first a stretch of one route taken out.

    PyVRP perturbs a plan by removing or inserting a few clients around random ones, then
    searches around them. On long routes with time windows that rarely changes much: the gaps
    left are small, and the same visits go back in. Taking out a stretch of consecutive stops
    (up to a fifth of the route, optional visits only) opens a gap of an hour or more, which a
    complete local search then refills, often with other parties. This is the shake of the
    iterated local searches for the TOPTW (Vansteenwegen et al. 2009, Gunawan et al. 2017).
    The refill may be a narrower search than the main one (`refill_neighbours`), and the
    stretch longer for one of the two searches of one unit (`stretch_of`).
    BENCHMARKS.md, the public TOPTW set, has the measurements that chose the shares.
    """

    def __init__(self, search: Search, data: ProblemData, seed: int, share: float,
                 refill: Search | None = None, stretch: float = SearchParams.stretch):
        self.search, self.data, self.share, self.stretch = search, data, share, stretch
        self.refill = refill or search
        self.rng = np.random.default_rng(seed)
        self.required = [c.required for c in data.clients()]

    def __call__(self, solution: Solution, cost_evaluator: CostEvaluator,
                 exhaustive: bool = False) -> Solution:
        if exhaustive or self.rng.random() >= self.share:
            return self.search(solution, cost_evaluator, exhaustive)
        routes = [r for r in routes_of(solution) if r[1]]
        if not routes:
            return self.search(solution, cost_evaluator, exhaustive)
        i = int(self.rng.integers(len(routes)))
        vt, visits = routes[i]
        n = len(visits)
        length = int(self.rng.integers(1, max(2, int(n * self.stretch)) + 1))
        at = int(self.rng.integers(0, n - length + 1)) if n > length else 0
        kept = [c for k, c in enumerate(visits)
                if not at <= k < at + length or self.required[c]]
        routes[i] = (vt, kept)
        return self.refill(solution_of(self.data, routes), cost_evaluator, True)


def refill_neighbours(data: ProblemData, params: SearchParams) -> int | None:
    """Neighbours per visit of the complete search that refills a stretch, or None for the
    main search's: `refill_neighbours` (30) with several units and at least
    `refill_min_visits` (200) visits.

    A complete search looks at every visit's neighbours (the closest in place and hours, as
    PyVRP measures it), so its cost grows with the number of visits. With PyVRP's 50 it took
    about 7 of the 9 ms of a step that takes a stretch out, on a 288-party instance with four
    units; refilling over the closest 30 lets the search make more steps in the same time, and
    it scored higher from 216 parties up. On smaller problems (the city's regions of about 75
    parties, 144 and 192 parties with four units) the complete search is cheap enough and the
    narrower one scored less, and so it did with one unit. BENCHMARKS.md, the public TOPTW set,
    has the comparisons that chose these.
    """
    if data.num_vehicles > 1 and data.num_clients >= params.refill_min_visits:
        return params.refill_neighbours
    return None


def shake_share(data: ProblemData, params: SearchParams) -> float:
    """Share of the steps that take a stretch out: half with one unit, 30 % with several."""
    return params.shake_share_one_unit if data.num_vehicles == 1 else params.shake_share_several


def stretch_of(data: ProblemData, style: int, params: SearchParams) -> float:
    """The longest stretch a step takes out, as a share of the route: a fifth, and with one
    unit, for the second style's search, 35 %.

    A single long route settles early in the evening, and its searches can stay in a plan
    whose last hour or so differs from a better one in ten or more stops (pr19 with one unit:
    545 against 560, the first 18 stops alike), which stretches of up to a fifth rarely undo.
    Longer stretches on one of the two searches got out of it (pr19/1, seeds 1-24: at 3 % of
    the best known with 24 seeds instead of 18); on both searches, they cost pr20/1 four points
    (BENCHMARKS.md)."""
    return params.one_unit_stretch if data.num_vehicles == 1 and style == 1 else params.stretch
