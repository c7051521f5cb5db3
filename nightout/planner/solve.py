"""The solver: PyVRP's iterated local search, driven so that it does better than used plainly.

This is the only module of the planner that imports pyvrp. How it goes past plain PyVRP:
- each kind of unit serves its own requests, so every kind is a separate, smaller problem;
- both cores work: from scratch, independent searches in parallel processes, each with its
  own seed (with one unit, one with PyVRP's defaults and one with another style of search,
  in rounds where each restarts from its own best plan, the first half of the time split
  between several starts so that a start that went wrong does not cost the whole time; with
  several, both in the style that does best there); from a plan, rounds in which every search
  restarts from the best plan found so far;
- large problems are first split geographically (k-means regions of about 75 parties, each
  with its share of the units, the nearest first), solved region by region in parallel; with
  longer budgets, passes over groups of routes clustered by where they go (with the open
  visits nearest to them) then work across the earlier borders; the joined plan seeds the
  global search;
- prizes are kept modest (the time-warp penalty must stay able to outweigh them), and travel
  costs only break ties between plans of equal score;
- the penalty on lateness starts on the scale of what time is worth (`_ValueOfTime`), not at
  PyVRP's far stricter midpoint, so that short searches can pass through late plans;
- on a share of its steps the search first takes a whole stretch of one route out (`_Shake`),
  as the TOPTW literature's iterated local searches do, so that a route can be rebuilt through
  another part of the map and of the evening, which scattered removals rarely achieve; with
  several units and 200 visits or more a narrower search (30 neighbours per visit instead of
  50) refills the gap, so that more steps fit in the time; with one unit, one of the two
  searches takes out longer stretches (up to 35 % of the route instead of a fifth).
Results go back through `schedule.itinerary`, which recomputes the times without PyVRP.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np
from pyvrp import (
    Client,
    CostEvaluator,
    Depot,
    IteratedLocalSearch,
    IteratedLocalSearchParams,
    Location,
    PenaltyManager,
    PenaltyParams,
    ProblemData,
    RandomNumberGenerator,
    Route,
    Solution,
    SolveParams,
    VehicleType,
)
from pyvrp.search import (
    LocalSearch,
    NeighbourhoodParams,
    PerturbationManager,
    PerturbationParams,
    compute_neighbours,
)

from nightout.planner.problem import Problem, Site, Unit
from nightout.planner.result import Itinerary, Plan
from nightout.planner.schedule import Context, itinerary

PRIZE_PER_POINT = 20_000

# Geographic decomposition kicks in above these sizes (visits, units of one kind).
SPLIT_MIN_VISITS = 600
SPLIT_MIN_UNITS = 8
VISITS_PER_REGION = 75
# Parallel searches restart, from the best plan so far (from scratch, each from its own best),
# every this many seconds (at most MAX_ROUNDS times).
ROUND_SECONDS = 2.5
MAX_ROUNDS = 4
# With one unit, from scratch, each core first spends RACE_SHARE of the time on RACE_CHAINS
# searches of an equal share of it, each from a random plan of its own; the core goes on from
# the best of them, in rounds as above.
RACE_CHAINS = 4
RACE_SHARE = 0.5
# Share of the time given to the regions before the global search; with budgets of
# LONG_RUN_SECONDS or more, a shorter split, then passes over groups of routes
# (PASS_SECONDS each), leaving GLOBAL_FRACTION of the time to the global search.
SPLIT_FRACTION = 0.5
LONG_RUN_SECONDS = 20.0
SPLIT_FRACTION_LONG = 0.2
GLOBAL_FRACTION = 0.25
PASS_SECONDS = 4.0
PASS_VISITS = 75
# Neighbours per visit of the search that refills a stretch taken out, with several units
# and at least REFILL_MIN_VISITS visits (below, PyVRP's 50, as the main search).
REFILL_NEIGHBOURS = 30
REFILL_MIN_VISITS = 200
# With one unit, the longest stretch the second style's search takes out (`_stretch`).
ONE_UNIT_STRETCH = 0.35


@dataclass
class _Visit:
    site: Site
    value: int
    prize: int
    early: int
    late: int
    pinned_to: str | None


@dataclass
class _Instance:
    """One kind of unit and the visits it may make, as PyVRP data."""

    kind: str
    visits: list[_Visit]
    type_units: list[list[Unit]]  # vehicle type index -> its units
    data: ProblemData
    tiebreak: bool = True


def _visits(ctx: Context, kind: str, units: list[Unit], bonus: dict[str, int]) -> list[_Visit]:
    """The visits of `kind` the units can make, each with its prize: its value, and `bonus`
    (points by site) for the visits a fair share puts first."""
    problem = ctx.problem
    pins = {p.site: p.unit for p in problem.pins if p.kind == kind}
    values = {s.id: problem.value(s, kind) for s in problem.sites}
    dur = ctx.travel.durations
    out = []
    for site in problem.sites:
        value = values[site.id]
        if value <= 0 and site.id not in pins:
            continue
        early, late = ctx.window(site, kind)
        if late < early:
            continue
        j = ctx.index[site.point]
        candidates = [u for u in units if u.id == pins[site.id]] if site.id in pins else units
        reachable = False
        for u in candidates:
            start = max(u.shift.start + int(dur[ctx.index[u.start], j]), early)
            if start <= late and start + site.stay + int(dur[j, ctx.index[u.end]]) <= u.shift.end:
                reachable = True
                break
        if not reachable and site.id not in pins:
            continue
        out.append(_Visit(site=site, value=value, prize=(value + bonus.get(site.id, 0)) * PRIZE_PER_POINT,
                          early=early, late=late, pinned_to=pins.get(site.id)))
    return out


# With a fair share, the share of the time spent first on the plan without it, to see which
# districts fall short (see `solve`).
FAIR_FIRST_SHARE = 0.6


def _fairness_bonus(problem: Problem, plan: Plan) -> dict[str, dict[str, int]]:
    """Bonus points by kind and site when `plan` leaves a district below `fair_share`.

    Per kind of visit and per district, the share is `fair_share` percent of the visits asked
    for (rounded up). If every district has its share, nothing. Else, in every district, the
    visits that make its share get a bonus: those the plan makes (the most valuable first),
    then the most valuable others (the earliest registered first). The first is worth ten of
    the most valuable visits of its kind, each next one a little less (the last of a share of
    n, 1/n of the first). So the search makes every district's share before more visits where
    parties are denser, keeps the share of the districts that had it, and when a kind has too
    few units for every district's share (two ambulances for a whole city), each district's
    first visits come before another's later ones.
    """
    bonus: dict[str, dict[str, int]] = {}
    lagging = False
    for kind, values, sites, share, got in _district_shares(problem, plan):
        lagging = lagging or len(got) < share
        top = max(values.values())
        first = sorted(sites, key=lambda s: (s.id not in got, -values[s.id], s.order, s.id))
        for rank, site in enumerate(first[:share]):
            bonus.setdefault(kind, {})[site.id] = math.ceil(10 * top * (share - rank) / share)
    return bonus if lagging else {}


def _shortfall(problem: Problem, plan: Plan) -> int:
    """How many visits the districts below their fair share miss, over every kind."""
    return sum(max(0, share - len(got)) for *_, share, got in _district_shares(problem, plan))


def _district_shares(problem: Problem, plan: Plan):
    """Per kind the units serve and per district: the kind's values by site, the district's
    visits of that kind asked for, its share of them (`fair_share` percent, rounded up), and
    the ids of those `plan` makes."""
    kind_of = {u.id: u.kind for u in problem.units}
    made = {(s.site, kind_of[it.unit]) for it in plan.itineraries for s in it.stops}
    for kind in sorted(set(kind_of.values())):
        values = {s.id: problem.value(s, kind) for s in problem.sites}
        districts: dict[str, list[Site]] = {}
        for site in problem.sites:
            if kind in site.requests and values[site.id] > 0:
                districts.setdefault(site.district, []).append(site)
        for sites in districts.values():
            share = math.ceil(len(sites) * problem.fair_share / 100)
            yield kind, values, sites, share, {s.id for s in sites if (s.id, kind) in made}


def _instance(ctx: Context, kind: str, units: list[Unit], visits: list[_Visit], *,
              tiebreak: bool = True) -> _Instance:
    # Locations are keyed by point, except pinned visits, which get one of their own so that
    # they can be put out of reach of other units without hiding a party at the same place.
    keys: dict = {}
    for u in units:
        keys.setdefault(u.start, u.start)
        keys.setdefault(u.end, u.end)
    for v in visits:
        key = ("pin", v.site.id) if v.pinned_to else v.site.point
        keys.setdefault(key, v.site.point)
    plist = list(keys.values())
    local = {k: i for i, k in enumerate(keys)}
    rows = [ctx.index[p] for p in plist]
    durations = ctx.travel.durations[np.ix_(rows, rows)].astype(np.int64)

    def loc(v: _Visit) -> int:
        return local[("pin", v.site.id) if v.pinned_to else v.site.point]

    depot_points = list(dict.fromkeys([u.start for u in units] + [u.end for u in units]))
    depot_of = {p: i for i, p in enumerate(depot_points)}
    begin = min(u.shift.start for u in units)
    finish = max(u.shift.end for u in units)
    depots = [Depot(location=local[p], tw_early=begin, tw_late=finish) for p in depot_points]

    capped = any(u.max_stops is not None for u in units)
    pinned_units = sorted({v.pinned_to for v in visits if v.pinned_to})
    clients = [
        Client(location=loc(v), delivery=[1] if capped else [],
               service_duration=v.site.stay, tw_early=v.early, tw_late=v.late,
               prize=v.prize, required=v.pinned_to is not None, name=v.site.id)
        for v in visits
    ]

    # Ties between equal scores are broken by travel; its total must stay below a point.
    total_shift = sum(u.shift.end - u.shift.start for u in units)
    grain = max(1, math.ceil(2 * total_shift / PRIZE_PER_POINT))
    distances = -((-durations) // grain)
    if not tiebreak:
        # Re-planning: no travel cost, so the search only leaves the previous plan for a
        # strictly better score, and does not reshuffle stops to save a few minutes.
        distances = np.zeros_like(durations)

    # Pinned visits: only their unit may make them. Each pinned unit gets a profile of its
    # own in which the other units' pinned visits are out of reach, and the shared profile
    # has every pinned visit out of reach.
    durations_by_profile = [durations]
    profile_of_unit: dict[str, int] = {}
    if pinned_units:
        far = finish - begin + 1
        locs_of = {u: [loc(v) for v in visits if v.pinned_to == u] for u in pinned_units}
        everyone = [loc for locs in locs_of.values() for loc in locs]
        base = durations.copy()
        base[:, everyone] += far
        np.fill_diagonal(base, 0)
        durations_by_profile = [base]
        for u in pinned_units:
            own = durations.copy()
            others = [loc for w, locs in locs_of.items() if w != u for loc in locs]
            own[:, others] += far
            np.fill_diagonal(own, 0)
            profile_of_unit[u] = len(durations_by_profile)
            durations_by_profile.append(own)

    groups: dict[tuple, list[Unit]] = {}
    for u in units:
        key = (u.start, u.end, u.shift, u.max_stops, profile_of_unit.get(u.id, 0),
               u.id if u.id in profile_of_unit else "")
        groups.setdefault(key, []).append(u)
    vehicle_types, type_units = [], []
    for (start, end, shift, cap, profile, _), members in groups.items():
        vehicle_types.append(VehicleType(
            num_available=len(members),
            capacity=[cap if cap is not None else len(visits)] if capped else [],
            start_depot=depot_of[start], end_depot=depot_of[end],
            tw_early=shift.start, tw_late=shift.end, profile=profile,
            name=",".join(m.id for m in members)))
        type_units.append(members)

    data = ProblemData(
        locations=[Location(float(p[0]), float(p[1])) for p in plist],
        clients=clients, depots=depots, vehicle_types=vehicle_types,
        distance_matrices=[distances] * len(durations_by_profile),
        duration_matrices=durations_by_profile,
    )
    return _Instance(kind=kind, visits=visits, type_units=type_units, data=data, tiebreak=tiebreak)


# ---------------------------------------------------------------- search

class _Until:
    """Stop at a wall-clock deadline or after a number of iterations, whichever comes first."""

    def __init__(self, deadline: float | None, iterations: int | None):
        self.deadline, self.left = deadline, iterations

    def __call__(self, best_cost: int) -> bool:
        if self.left is not None:
            if self.left <= 0:
                return True
            self.left -= 1
        return self.deadline is not None and time.monotonic() >= self.deadline


class _ValueOfTime(PenaltyParams):
    """PyVRP's penalty manager, with the penalty on lateness (time warp) starting near the value
    of time instead of halfway to its maximum.

    PyVRP starts every penalty at 50,000 per unit and adapts it by 10 to 50 % every 500
    candidate plans. In the benchmark's units (a hundredth of a minute, 20,000 per point of
    priority) that start is over a hundred times stricter than a unit of time is worth, and a
    10 s search on a 288-party instance (about 18,000 candidates, 36 adaptations) spent most of
    its time unable to pass through a late plan to reach a better one. Here the penalty starts
    at ten times the prizes on offer per unit of shift time: on the scale of what time is worth,
    and still strict enough for searches too short to adapt it (a few hundred candidates on a
    small problem). Load and distance penalties keep PyVRP's start. BENCHMARKS.md, the public
    TOPTW set, has the comparison.
    """

    def midpoint_penalties(self, data: ProblemData) -> tuple[list[float], float, float]:
        loads, duration, distance = super().midpoint_penalties(data)
        prizes = sum(c.prize for c in data.clients())
        shift = sum(vt.num_available * (vt.tw_late - vt.tw_early) for vt in data.vehicle_types())
        if prizes > 0 and shift > 0:
            duration = 10 * prizes / shift
        return loads, duration, distance


class _Shake:
    """PyVRP's local search; on a share of the steps, first a stretch of one route taken out.

    PyVRP perturbs a plan by removing or inserting a few clients around random ones, then
    searches around them. On long routes with time windows that rarely changes much: the gaps
    left are small, and the same visits go back in. Taking out a stretch of consecutive stops
    (up to a fifth of the route, optional visits only) opens a gap of an hour or more, which a
    complete local search then refills, often with other parties. This is the shake of the
    iterated local searches for the TOPTW (Vansteenwegen et al. 2009, Gunawan et al. 2017).
    The refill may be a narrower search than the main one (`_refill_neighbours`), and the
    stretch longer for one of the two searches of one unit (`_stretch`).
    BENCHMARKS.md, the public TOPTW set, has the measurements that chose the shares.
    """

    STRETCH = 0.2

    def __init__(self, search: LocalSearch, data: ProblemData, seed: int, share: float,
                 refill: LocalSearch | None = None, stretch: float = STRETCH):
        self.search, self.data, self.share, self.stretch = search, data, share, stretch
        self.refill = refill or search
        self.rng = np.random.default_rng(seed)
        self.required = [c.required for c in data.clients()]

    def __call__(self, solution: Solution, cost_evaluator: CostEvaluator,
                 exhaustive: bool = False) -> Solution:
        if exhaustive or self.rng.random() >= self.share:
            return self.search(solution, cost_evaluator, exhaustive)
        routes = [r for r in _routes(solution) if r[1]]
        if not routes:
            return self.search(solution, cost_evaluator, exhaustive)
        i = int(self.rng.integers(len(routes)))
        vt, visits = routes[i]
        n = len(visits)
        length = int(self.rng.integers(1, max(2, int(n * self.stretch)) + 1))
        at = int(self.rng.integers(0, n - length + 1)) if n > length else 0
        kept = [c for k, c in enumerate(visits) if not at <= k < at + length or self.required[c]]
        routes[i] = (vt, kept)
        return self.refill(_solution(self.data, routes), cost_evaluator, True)


def _refill_neighbours(data: ProblemData) -> int | None:
    """Neighbours per visit of the complete search that refills a stretch, or None for the
    main search's: 30 with several units and at least 200 visits.

    A complete search looks at every visit's neighbours (the closest in place and hours, as
    PyVRP measures it), so its cost grows with the number of visits. With PyVRP's 50 it took
    about 7 of the 9 ms of a step that takes a stretch out, on a 288-party instance with four
    units; refilling over the closest 30 lets the search make more steps in the same time, and
    it scored higher from 216 parties up. On smaller problems (the city's regions of about 75
    parties, 144 and 192 parties with four units) the complete search is cheap enough and the
    narrower one scored less, and so it did with one unit. BENCHMARKS.md, the public TOPTW set,
    has the comparisons that chose these.
    """
    if data.num_vehicles > 1 and data.num_clients >= REFILL_MIN_VISITS:
        return REFILL_NEIGHBOURS
    return None


def _shake_share(data: ProblemData) -> float:
    """Share of the steps that take a stretch out: half with one unit, 30 % with several."""
    return 0.5 if data.num_vehicles == 1 else 0.3


def _stretch(data: ProblemData, style: int) -> float:
    """The longest stretch a step takes out, as a share of the route: a fifth, and with one
    unit, for the second style's search, 35 %.

    A single long route settles early in the evening, and its searches can stay in a plan
    whose last hour or so differs from a better one in ten or more stops (pr19 with one unit:
    545 against 560, the first 18 stops alike), which stretches of up to a fifth rarely undo.
    Longer stretches on one of the two searches got out of it (pr19/1, seeds 1-24: at 3 % of
    the best known with 24 seeds instead of 18); on both searches, they cost pr20/1 four points
    (BENCHMARKS.md)."""
    return ONE_UNIT_STRETCH if data.num_vehicles == 1 and style == 1 else _Shake.STRETCH


def _params(data: ProblemData, style: int = 0) -> SolveParams:
    """Style 0 is PyVRP's defaults. Style 1 searches differently (BENCHMARKS.md, the public
    TOPTW set): it keeps a shorter late-acceptance history (100 instead of 300), so it accepts
    worse plans less often and climbs faster; with several units it runs on every core. With
    one unit it also perturbs harder (up to 50 moves instead of 25) and takes out longer
    stretches (`_stretch`), which gets out of the deep local optima of long single routes, and
    runs beside style 0 so that the two searches are not two draws of the same one. Both start
    the lateness penalty at the value of time (`_ValueOfTime`) and take stretches of routes out
    (`_Shake`)."""
    penalty = _ValueOfTime()
    if style == 0:
        return SolveParams(penalty=penalty)
    ils = IteratedLocalSearchParams(history_length=100)
    if data.num_vehicles == 1:
        return SolveParams(penalty=penalty, perturbation=PerturbationParams(1, 50), ils=ils)
    return SolveParams(penalty=penalty, ils=ils)


RouteSpec = tuple[int, list[int]]  # vehicle type, client indices


def _routes(solution: Solution) -> list[RouteSpec]:
    return [(r.vehicle_type(), [a.idx for a in r.schedule() if a.is_client()]) for r in solution.routes()]


def _solution(data: ProblemData, routes: list[RouteSpec]) -> Solution:
    return Solution(data, [Route(data, visits, vt) for vt, visits in routes if visits])


def _key(solution: Solution) -> tuple:
    """Higher is better: feasible first, then collected prizes net of tie-breaking travel."""
    return (solution.is_feasible(), solution.prizes() - solution.distance_cost())


def _local_search(data: ProblemData, rng: RandomNumberGenerator, params: SolveParams,
                  neighbourhood: NeighbourhoodParams, perturbation: PerturbationManager | None = None
                  ) -> LocalSearch:
    """A PyVRP local search with the operators of `params`, as `pyvrp.solve` builds it."""
    search = LocalSearch(data, rng, compute_neighbours(data, neighbourhood),
                         perturbation or PerturbationManager())
    for op in params.operators:
        if op.supports(data):
            search.add_operator(op(data))
    return search


def _ils(data: ProblemData, stop, seed: int, params: SolveParams,
         initial: Solution | None, stretch: float = _Shake.STRETCH) -> Solution:
    """PyVRP's iterated local search, built as `pyvrp.solve` builds it, with `_Shake` around
    its local search."""
    rng = RandomNumberGenerator(seed=seed)
    search = _local_search(data, rng, params, params.neighbourhood,
                           PerturbationManager(params.perturbation))
    penalties = PenaltyManager(params.penalty.midpoint_penalties(data), params.penalty)
    if initial is None:
        initial = search(Solution.make_random(data, rng), penalties.max_cost_evaluator(),
                         exhaustive=True)
    refill = None
    if (neighbours := _refill_neighbours(data)) is not None:
        refill = _local_search(data, rng, params, NeighbourhoodParams(num_neighbours=neighbours))
    shake = _Shake(search, data, seed, _shake_share(data), refill, stretch)
    ils = IteratedLocalSearch(data, penalties, shake, initial, params.ils)
    return ils.run(stop, collect_stats=False).best


def _search(job: tuple) -> tuple[tuple, list[RouteSpec]]:
    """One PyVRP search; `budget` is an absolute deadline, or ("seconds", s) counted from now."""
    data, budget, iterations, seed, init, *rest = job
    style = rest[0] if rest else 0  # jobs without a style (the regions) use the first
    if isinstance(budget, tuple):
        budget = time.monotonic() + budget[1]
    stop = _Until(budget, iterations)
    initial = _solution(data, init) if init else None
    best = _ils(data, stop, seed, _params(data, style), initial, _stretch(data, style))
    if initial is not None and _key(initial) > _key(best):
        best = initial
    return _key(best), _routes(best)


_POOL = None  # the worker processes of the solve() call under way, if it uses several


@contextmanager
def _workers(workers: int):
    """Worker processes for one solve() call, started from a fork server (safe in threaded hosts)."""
    global _POOL
    if workers <= 1 or _POOL is not None:
        yield
        return
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    with ctx.Pool(workers) as pool:
        _POOL = pool
        try:
            yield
        finally:
            _POOL = None


def _run_parallel(jobs: list[tuple], workers: int) -> list[tuple[tuple, list[RouteSpec]]]:
    if _POOL is None or workers <= 1 or len(jobs) == 1:
        return [_search(job) for job in jobs]
    return _POOL.map(_search, jobs, chunksize=1)


def _best(results: list[tuple[tuple, list[RouteSpec]]]) -> tuple[tuple, list[RouteSpec]]:
    best = results[0]
    for r in results[1:]:
        if r[0] > best[0]:
            best = r
    return best


def _improve(inst: _Instance, deadline: float | None, iterations: int | None, seed: int,
             workers: int, init: list[RouteSpec] | None) -> list[RouteSpec]:
    """Parallel searches, one per worker, and the best of them.

    From scratch, the searches run in rounds of ROUND_SECONDS: each round every core restarts
    a fresh search (new seed, late-acceptance history and penalties) from its own best plan,
    so the cores stay in their own parts of the map while each climbs out of where its last
    search stalled. With several units every core runs the second style (a shorter
    late-acceptance history, `_params`), which scored higher than a pair of styles on the
    public set (BENCHMARKS.md). With one unit the two styles run side by side (PyVRP's
    defaults, but for the starting penalty on lateness and the stretches taken out, `_Shake`,
    on the first core; harder perturbation and the shorter history on the second), and each
    core spends the first RACE_SHARE of the time on RACE_CHAINS searches of an equal share of
    it, each from a random plan, then goes on in rounds from the best: most searches of one
    unit settle within a second or two where they will end, so trying several starts is worth
    more than the time (BENCHMARKS.md).
    From a plan (the joined regions of a large problem, or the plan being re-planned), every
    search restarts each round from the best plan found so far. A search bounded by iterations
    runs in a single round.
    """
    n = inst.data.num_clients
    fresh = init is None
    rounds = 1
    if deadline is not None and (init is not None or iterations is None):
        rounds = max(1, min(MAX_ROUNDS, int((deadline - time.monotonic()) // ROUND_SECONDS)))
    if workers <= 1:
        rounds = 1
    if init is not None:
        styles = [0]  # rounds from a plan: every search restarts from the best one so far
    elif inst.data.num_vehicles > 1:
        styles = [1]  # several units: the shorter history wins on both cores
    else:
        styles = [0, 1]
    cores = max(1, workers)
    own: list[list[RouteSpec] | None] = [None] * cores  # from scratch: each core's best so far
    best: tuple[tuple, list[RouteSpec]] | None = None
    # One unit, from scratch: a first round of RACE_SHARE of the time in which each core tries
    # RACE_CHAINS starts, then rounds over the rest.
    race = fresh and rounds > 1 and inst.data.num_vehicles == 1
    start = time.monotonic()
    ends: list[float | None] = [None] * rounds
    if deadline is not None:
        begin, ends = start, []
        if race:
            begin = start + (deadline - start) * RACE_SHARE
            ends.append(begin)
        later = max(1, min(MAX_ROUNDS, int((deadline - begin) // ROUND_SECONDS))) if race else rounds
        ends += [begin + (deadline - begin) * (k + 1) / later for k in range(later)]
        rounds = len(ends)
    for r, until in enumerate(ends):
        its = None if iterations is None else max(1, iterations // rounds)
        # Each start of the race gets its share of the round, counted from when it begins.
        chains = RACE_CHAINS if race and r == 0 else 1
        budget = until if chains == 1 else ("seconds", max(0.05, (until - time.monotonic()) / chains))
        starts = own if fresh else [best[1] if best else init] * cores
        jobs = [(inst.data, budget, its, seed * 7919 + r * 101 + cores * j + w, starts[w],
                 styles[w % len(styles)]) for j in range(chains) for w in range(cores)]
        results = _run_parallel(jobs, workers)
        own = [_best(results[w::cores])[1] for w in range(cores)]
        found = _best(results)
        if best is None or found[0] > best[0]:
            best = found
    assert best is not None
    return best[1] if n else []


# ---------------------------------------------------------------- geographic decomposition

def _regions(inst: _Instance, parts: int, seed: int) -> list[list[int]]:
    """Split the visits into `parts` compact regions (k-means on their points)."""
    pts = np.array([v.site.point for v in inst.visits], dtype=float)
    rng = np.random.default_rng(seed)
    centres = pts[rng.choice(len(pts), size=parts, replace=False)]
    for _ in range(20):
        label = np.argmin(((pts[:, None, :] - centres[None, :, :]) ** 2).sum(-1), axis=1)
        for k in range(parts):
            members = pts[label == k]
            if len(members):
                centres[k] = members.mean(axis=0)
    return [list(np.flatnonzero(label == k)) for k in range(parts) if (label == k).any()]


def _shares(n_units: int, weights: list[float]) -> list[int]:
    total = sum(weights) or 1
    shares = [max(1, round(n_units * w / total)) for w in weights]
    while sum(shares) > n_units:
        shares[int(np.argmax(shares))] -= 1
    while sum(shares) < n_units:
        shares[int(np.argmin([s / max(w, 1e-9) for s, w in zip(shares, weights)]))] += 1
    return shares


def _parts(n_visits: int, workers: int, per_part: int = 0) -> int:
    parts = max(2, round(n_visits / (per_part or VISITS_PER_REGION)))
    return max(workers, parts - parts % max(1, workers))  # whole batches of parallel jobs


def _run_groups(ctx: Context, inst: _Instance, groups: list[tuple[list[Unit], list[int], list]],
                deadline: float, seed: int, workers: int) -> list[tuple[str, list[str]]]:
    """Solve each (units, visit indices, their named routes) group in parallel, in batches."""
    groups = [g for g in groups if g[0] and g[1]]
    batches = math.ceil(len(groups) / max(1, workers))
    each = max(0.05, (deadline - time.monotonic()) / max(1, batches) - 0.05)
    jobs, subs = [], []
    for units, idx, named in groups:
        sub = _instance(ctx, inst.kind, units, [inst.visits[i] for i in idx], tiebreak=inst.tiebreak)
        init = _unnamed(sub, named) if named else None
        jobs.append((sub.data, ("seconds", each), None, seed * 31 + len(jobs), init))
        subs.append(sub)
    out = []
    for sub, (_, routes) in zip(subs, _run_parallel(jobs, workers)):
        out += _named(sub, routes)
    return out


def _split_solve(ctx: Context, inst: _Instance, units: list[Unit], deadline: float, seed: int,
                 workers: int) -> list[tuple[str, list[str]]]:
    """Solve each region with its share of the units, in parallel; return unit -> site ids."""
    regions = _regions(inst, _parts(len(inst.visits), workers), seed)
    shares = _shares(len(units), [sum(inst.visits[i].value for i in reg) for reg in regions])
    free = list(units)
    groups = []
    # Units go to regions in proportion to the value there, the nearest units first.
    for reg, share in sorted(zip(regions, shares), key=lambda x: -x[1]):
        centre = np.mean([inst.visits[i].site.point for i in reg], axis=0)
        free.sort(key=lambda u: (u.start[0] - centre[0]) ** 2 + (u.start[1] - centre[1]) ** 2)
        mine, free = free[:share], free[share:]
        groups.append((mine, reg, []))
    return _run_groups(ctx, inst, groups, deadline, seed, workers)


def _route_pass(ctx: Context, inst: _Instance, units: list[Unit], named: list[tuple[str, list[str]]],
                deadline: float, seed: int, workers: int) -> list[tuple[str, list[str]]]:
    """Improve a plan group by group: routes clustered by where they go, with nearby open visits.

    The groups change with the seed, so that successive passes work across earlier borders.
    """
    routes = dict(named)
    where = {v.site.id: i for i, v in enumerate(inst.visits)}
    def centroid(u: Unit):
        pts = [inst.visits[where[s]].site.point for s in routes.get(u.id, []) if s in where]
        return np.mean(pts, axis=0) if pts else np.array(u.start, dtype=float)
    cents = np.array([centroid(u) for u in units])
    k = min(len(units), _parts(len(inst.visits), workers, PASS_VISITS))
    rng = np.random.default_rng(seed)
    centres = cents[rng.choice(len(units), size=k, replace=False)]
    for _ in range(15):
        label = np.argmin(((cents[:, None, :] - centres[None, :, :]) ** 2).sum(-1), axis=1)
        for g in range(k):
            if (label == g).any():
                centres[g] = cents[label == g].mean(axis=0)
    visited = {s for r in routes.values() for s in r}
    open_idx = [i for i, v in enumerate(inst.visits) if v.site.id not in visited]
    pts = np.array([inst.visits[i].site.point for i in open_idx], dtype=float).reshape(-1, 2)
    near = np.argmin(((pts[:, None, :] - centres[None, :, :]) ** 2).sum(-1), axis=1) if len(open_idx) else []
    groups = []
    for g in range(k):
        members = [u for u, lab in zip(units, label) if lab == g]
        idx = [where[s] for u in members for s in routes.get(u.id, []) if s in where]
        idx += [i for i, lab in zip(open_idx, near) if lab == g]
        groups.append((members, idx, [(u.id, routes.get(u.id, [])) for u in members]))
    improved = dict(_run_groups(ctx, inst, groups, deadline, seed, workers))
    # Keep, per group, the better of before and after (a short search can lose a little).
    out = []
    for members, _, before in groups:
        old = sum(inst.visits[where[s]].value for _, r in before for s in r if s in where)
        new_routes = [(u.id, improved.get(u.id, [])) for u in members]
        new = sum(inst.visits[where[s]].value for _, r in new_routes for s in r if s in where)
        out += new_routes if new >= old else before
    return out


def _named(inst: _Instance, routes: list[RouteSpec]) -> list[tuple[str, list[str]]]:
    """Give each route to a unit of its vehicle type: (unit id, site ids in order)."""
    free = {t: list(us) for t, us in enumerate(inst.type_units)}
    out = []
    for vt, visits in routes:
        unit = free[vt].pop(0)
        out.append((unit.id, [inst.visits[i].site.id for i in visits]))
    return out


def _unnamed(inst: _Instance, named: list[tuple[str, list[str]]]) -> list[RouteSpec]:
    type_of = {u.id: t for t, us in enumerate(inst.type_units) for u in us}
    client_of = {v.site.id: i for i, v in enumerate(inst.visits)}
    return [(type_of[u], [client_of[s] for s in sites if s in client_of]) for u, sites in named
            if u in type_of]


# ---------------------------------------------------------------- entry point

def solve(problem: Problem, time_limit: float = 10.0, seed: int = 1, *, workers: int | None = None,
          iterations: int | None = None, initial: Plan | None = None) -> Plan:
    """The best plan found within `time_limit` seconds (wall clock, all phases included).

    `iterations`, when given, bounds the search per kind instead of the clock (the clock
    still applies as a cap), so that a seed and a budget always give the same plan.
    `initial` is a plan to start from (re-planning); what is feasible in it is kept, and the
    travel tie-break is off, so that stops move only for a strictly better score.
    `workers` is the number of processes (default: every core the machine has).

    With `problem.fair_share`, the first FAIR_FIRST_SHARE of the time finds the plan without
    it. If every district has its share, the rest of the time goes on from that plan: the share
    costs nothing. If not, the rest solves again with the districts below their share put first
    (`_fairness_bonus`; from the start, as serving a far district takes routes the first plan
    is far from), and keeps that plan only if it brings the districts closer to their share
    (`_shortfall`).
    """
    t0 = time.monotonic()
    end = t0 + time_limit
    workers = workers or os.cpu_count() or 1
    ctx = Context.of(problem)
    with _workers(workers):  # one pool, and one travel matrix, for both stages
        if problem.fair_share <= 0:
            plan = _solve(ctx, end, seed, workers, iterations, initial, {})
        else:
            first_end = t0 + time_limit * FAIR_FIRST_SHARE
            first = _solve(ctx, first_end, seed, workers, iterations, initial, {})
            bonus = _fairness_bonus(problem, first)
            if not bonus:
                plan = _solve(ctx, end, seed, workers, iterations, first, {})
            else:
                plan = _solve(ctx, end, seed, workers, iterations, initial, bonus)
                if _shortfall(problem, plan) >= _shortfall(problem, first):
                    plan = first
    return replace(plan, note=f"pyvrp, {time.monotonic() - t0:.1f} s")


def _solve(ctx: Context, end: float, seed: int, workers: int, iterations: int | None,
           initial: Plan | None, bonus: dict[str, dict[str, int]]) -> Plan:
    """One search of the whole problem until `end` (a time.monotonic() moment), with the
    fair-share `bonus` by kind and site."""
    problem = ctx.problem
    deadline = max(time.monotonic() + 0.1, end - 0.3)
    by_kind: dict[str, list[Unit]] = {}
    for unit in problem.units:
        by_kind.setdefault(unit.kind, []).append(unit)

    instances = []
    for kind, units in by_kind.items():
        visits = _visits(ctx, kind, units, bonus.get(kind, {}))
        if visits:
            instances.append((kind, units, _instance(ctx, kind, units, visits, tiebreak=initial is None)))
    size = sum(len(i[2].visits) for i in instances) or 1
    start_of = {it.unit: [s.site for s in it.stops] for it in initial.itineraries} if initial else {}

    named = _solve_kinds(ctx, instances, size, start_of, deadline, iterations, seed, workers)
    return plan_from_routes(ctx, named)


def _solve_kinds(ctx: Context, instances: list, size: int, start_of: dict, deadline: float,
                 iterations: int | None, seed: int, workers: int) -> list[tuple[str, list[str]]]:
    named: list[tuple[str, list[str]]] = []
    left = size
    for kind, units, inst in instances:
        # Each kind gets the time left in proportion to its number of visits among the kinds
        # still to solve, so the last kind runs to the deadline.
        share = len(inst.visits) / left
        left -= len(inst.visits)
        begin = time.monotonic()
        until = begin + (deadline - begin) * share
        init = _unnamed(inst, [(u.id, start_of[u.id]) for u in units if u.id in start_of]) or None
        large = (iterations is None and len(inst.visits) >= SPLIT_MIN_VISITS
                 and len(units) >= SPLIT_MIN_UNITS and not any(v.pinned_to for v in inst.visits))
        if large:
            # Short budgets: regions, then the global search. Longer ones: a shorter first
            # split, then passes over groups of routes, then the global search.
            span = until - time.monotonic()
            long_run = span >= LONG_RUN_SECONDS
            split = SPLIT_FRACTION_LONG if long_run else SPLIT_FRACTION
            if init is None:
                named_now = _split_solve(ctx, inst, units, time.monotonic() + span * split, seed, workers)
            else:
                named_now = _named(inst, init)
            passes_until = until - span * GLOBAL_FRACTION if (long_run or init is not None) else 0
            k = 0
            while passes_until - time.monotonic() >= PASS_SECONDS:
                k += 1
                named_now = _route_pass(ctx, inst, units, named_now, time.monotonic() + PASS_SECONDS,
                                        seed + k, workers)
            init = _unnamed(inst, named_now)
        routes = _improve(inst, until, iterations, seed, workers, init)
        named += _named(inst, routes)

    return named


def plan_from_routes(ctx: Context, named: list[tuple[str, list[str]]], note: str = "") -> Plan:
    """Timed itineraries for every unit (empty for units without a route)."""
    units = ctx.problem.unit_by_id()
    routes = dict(named)
    itineraries: list[Itinerary] = []
    for unit in ctx.problem.units:
        it, _ = itinerary(ctx, unit, routes.get(unit.id, []))
        itineraries.append(it)
    score = sum(ctx.problem.value(ctx.sites[s.site], units[it.unit].kind)
                for it in itineraries for s in it.stops)
    return Plan(itineraries=tuple(itineraries), score=score, note=note)
