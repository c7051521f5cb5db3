"""PyVRP's iterated local search, built as `pyvrp.solve` builds it, tuned for the TOPTW."""

from __future__ import annotations

import time
from dataclasses import dataclass

from pyvrp import (
    IteratedLocalSearch,
    IteratedLocalSearchParams,
    PenaltyManager,
    PenaltyParams,
    ProblemData,
    RandomNumberGenerator,
    Solution,
    SolveParams,
)
from pyvrp.search import (
    LocalSearch,
    NeighbourhoodParams,
    PerturbationManager,
    PerturbationParams,
    compute_neighbours,
)

from nightout.planner.params import SearchParams
from nightout.planner.search.shake import Shake, refill_neighbours, shake_share

Key = tuple[bool, int]  # higher is better: feasible first, then prizes net of tie-break travel


class Until:
    """Stop at a wall-clock deadline or after a number of iterations, whichever comes first."""

    def __init__(self, deadline: float | None, iterations: int | None):
        self.deadline, self.left = deadline, iterations

    def __call__(self, best_cost: float) -> bool:
        if self.left is not None:
            if self.left <= 0:
                return True
            self.left -= 1
        return self.deadline is not None and time.monotonic() >= self.deadline


@dataclass
class ValueOfTime(PenaltyParams):
    """PyVRP's penalty manager, with the penalty on lateness (time warp) starting near the value
    of time instead of halfway to its maximum.

    PyVRP starts every penalty at 50,000 per unit and adapts it by 10 to 50 % every 500
    candidate plans. In the benchmark's units (a hundredth of a minute, 20,000 per point of
    priority) that start is over a hundred times stricter than a unit of time is worth, and a
    10 s search on a 288-party instance (about 18,000 candidates, 36 adaptations) spent most of
    its time unable to pass through a late plan to reach a better one. Here the penalty starts
    at `per_prize` (ten) times the prizes on offer per unit of shift time: on the scale of what
    time is worth, and still strict enough for searches too short to adapt it (a few hundred
    candidates on a small problem). Load and distance penalties keep PyVRP's start.
    BENCHMARKS.md, the public TOPTW set, has the comparison.
    """

    per_prize: int = SearchParams.lateness_per_prize

    def midpoint_penalties(self, data: ProblemData) -> tuple[list[float], float, float]:
        loads, duration, distance = super().midpoint_penalties(data)
        prizes = sum(c.prize for c in data.clients())
        shift = sum(vt.num_available * (vt.tw_late - vt.tw_early) for vt in data.vehicle_types())
        if prizes > 0 and shift > 0:
            duration = self.per_prize * prizes / shift
        return loads, duration, distance


def solve_params(data: ProblemData, style: int, params: SearchParams) -> SolveParams:
    """Style 0 is PyVRP's defaults. Style 1 searches differently (BENCHMARKS.md, the public
    TOPTW set): it keeps a shorter late-acceptance history (100 instead of 300), so it accepts
    worse plans less often and climbs faster; with several units it runs on every core. With
    one unit it also perturbs harder (up to 50 moves instead of 25) and takes out longer
    stretches (`shake.stretch_of`), which gets out of the deep local optima of long single
    routes, and runs beside style 0 so that the two searches are not two draws of the same
    one. Both start the lateness penalty at the value of time (`ValueOfTime`) and take
    stretches of routes out (`shake.Shake`)."""
    penalty = ValueOfTime(per_prize=params.lateness_per_prize)
    if style == 0:
        return SolveParams(penalty=penalty)
    ils = IteratedLocalSearchParams(history_length=params.short_history)
    if data.num_vehicles == 1:
        return SolveParams(penalty=penalty, ils=ils,
                           perturbation=PerturbationParams(1, params.one_unit_perturbation))
    return SolveParams(penalty=penalty, ils=ils)


def key(solution: Solution) -> Key:
    """Higher is better: feasible first, then collected prizes net of tie-breaking travel."""
    return (solution.is_feasible(), solution.prizes() - solution.distance_cost())


def local_search(data: ProblemData, rng: RandomNumberGenerator, params: SolveParams,
                 neighbourhood: NeighbourhoodParams,
                 perturbation: PerturbationManager | None = None) -> LocalSearch:
    """A PyVRP local search with the operators of `params`, as `pyvrp.solve` builds it."""
    search = LocalSearch(data, rng, compute_neighbours(data, neighbourhood),
                         perturbation or PerturbationManager())
    for op in params.operators:
        if op.supports(data):
            search.add_operator(op(data))
    return search


def shake_of(data: ProblemData, rng: RandomNumberGenerator, seed: int, solve: SolveParams,
             stretch: float, params: SearchParams) -> Shake:
    """The local search of one search, with the shake around it (and its own narrower refill
    on large problems of several units, `shake.refill_neighbours`)."""
    search = local_search(data, rng, solve, solve.neighbourhood,
                          PerturbationManager(solve.perturbation))
    refill = None
    if (neighbours := refill_neighbours(data, params)) is not None:
        refill = local_search(data, rng, solve, NeighbourhoodParams(num_neighbours=neighbours))
    return Shake(search, data, seed, shake_share(data, params), refill, stretch)


def ils(data: ProblemData, stop: Until, rng: RandomNumberGenerator, shake: Shake,
        solve: SolveParams, initial: Solution | None) -> Solution:
    """PyVRP's iterated local search, built as `pyvrp.solve` builds it, with `shake` (built
    by `shake_of` on the same `rng`) around its local search; from a random plan when there
    is no `initial` one."""
    penalties = PenaltyManager(solve.penalty.midpoint_penalties(data), solve.penalty)
    if initial is None:
        initial = shake.search(Solution.make_random(data, rng), penalties.max_cost_evaluator(),
                               exhaustive=True)
    search = IteratedLocalSearch(data, penalties, shake, initial, solve.ils)
    return search.run(stop, collect_stats=False).best
