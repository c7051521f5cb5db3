"""Rounds of parallel searches of one kind, and the best plan they found."""

from __future__ import annotations

import time

from nightout.planner.params import SearchParams
from nightout.planner.search.instance import Instance, RouteSpec
from nightout.planner.search.jobs import Found, Runner, SearchJob, best_of


def improve(inst: Instance, deadline: float | None, iterations: int | None, seed: int,
            workers: int, init: list[RouteSpec] | None, runner: Runner,
            params: SearchParams) -> list[RouteSpec]:
    """Parallel searches, one per worker, and the best of them.

    From scratch, the searches run in rounds of `round_seconds`: each round every core
    restarts a fresh search (new seed, late-acceptance history and penalties) from its own
    best plan, so the cores stay in their own parts of the map while each climbs out of where
    its last search stalled. With several units every core runs the second style (a shorter
    late-acceptance history, `ils.solve_params`), which scored higher than a pair of styles
    on the public set (BENCHMARKS.md). With one unit the two styles run side by side (PyVRP's
    defaults, but for the starting penalty on lateness and the stretches taken out, on the
    first core; harder perturbation and the shorter history on the second), and each core
    spends the first `race_share` of the time on `race_chains` searches of an equal share of
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
        rounds = max(1, min(params.max_rounds,
                            int((deadline - time.monotonic()) // params.round_seconds)))
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
    best: Found | None = None
    # One unit, from scratch: a first round of `race_share` of the time in which each core
    # tries `race_chains` starts, then rounds over the rest.
    race = fresh and rounds > 1 and inst.data.num_vehicles == 1
    start = time.monotonic()
    ends: list[float | None] = [None] * rounds
    if deadline is not None:
        begin, ends = start, []
        if race:
            begin = start + (deadline - start) * params.race_share
            ends.append(begin)
        later = rounds
        if race:
            later = max(1, min(params.max_rounds,
                               int((deadline - begin) // params.round_seconds)))
        ends += [begin + (deadline - begin) * (k + 1) / later for k in range(later)]
        rounds = len(ends)
    for r, until in enumerate(ends):
        its = None if iterations is None else max(1, iterations // rounds)
        # Each start of the race gets its share of the round, counted from when it begins.
        chains = params.race_chains if race and r == 0 else 1
        seconds = None
        if chains > 1 and until is not None:
            seconds = max(params.min_job_seconds, (until - time.monotonic()) / chains)
        starts = own if fresh else [best.routes if best else init] * cores
        jobs = [SearchJob(inst.data, seed * 7919 + r * 101 + cores * j + w, params,
                          deadline=until if seconds is None else None, seconds=seconds,
                          iterations=its, init=starts[w], style=styles[w % len(styles)])
                for j in range(chains) for w in range(cores)]
        found = runner.run(jobs)
        own = [best_of(found[w::cores]).routes for w in range(cores)]
        top = best_of(found)
        if best is None or top.key > best.key:
            best = top
    assert best is not None
    return best.routes if n else []
