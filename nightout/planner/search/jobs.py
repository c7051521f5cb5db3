"""One search as a job, and the runners that run a batch of them: inline, or on a pool of
processes that the caller starts and passes in (`processes`), never a global one."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.pool import Pool
from typing import NamedTuple, Protocol

from pyvrp import ProblemData, RandomNumberGenerator, SolveParams

from nightout.planner.params import SearchParams
from nightout.planner.search.ils import Key, Until, ils, key, shake_of, solve_params
from nightout.planner.search.instance import RouteSpec
from nightout.planner.search.shake import Shake, routes_of, solution_of, stretch_of


@dataclass(frozen=True)
class SearchJob:
    """One PyVRP search of `data`, until `deadline` (a `time.monotonic()` moment) or for
    `seconds` counted from when it starts, and for at most `iterations`; from `init` (routes
    of a plan) or from a random plan. `style` is the style of search (`ils.solve_params`):
    0, PyVRP's defaults, or 1."""

    data: ProblemData
    seed: int
    params: SearchParams
    deadline: float | None = None
    seconds: float | None = None
    iterations: int | None = None
    init: list[RouteSpec] | None = None
    style: int = 0

    def solve_params(self) -> SolveParams:
        """PyVRP's parameters of the job's style (`ils.solve_params`)."""
        return solve_params(self.data, self.style, self.params)

    def shake(self, rng: RandomNumberGenerator) -> Shake:
        """The job's local search with the shake around it, as its search runs it."""
        return shake_of(self.data, rng, self.seed, self.solve_params(),
                        stretch_of(self.data, self.style, self.params), self.params)


class Found(NamedTuple):
    """What a search found: its plan's key (higher is better) and its routes."""

    key: Key
    routes: list[RouteSpec]


def run_job(job: SearchJob) -> Found:
    """Run one search; the plan it starts from, when that is better than what it found."""
    deadline = job.deadline
    if job.seconds is not None:
        deadline = time.monotonic() + job.seconds
    stop = Until(deadline, job.iterations)
    initial = solution_of(job.data, job.init) if job.init else None
    rng = RandomNumberGenerator(seed=job.seed)
    best = ils(job.data, stop, rng, job.shake(rng), job.solve_params(), initial)
    if initial is not None and key(initial) > key(best):
        best = initial
    return Found(key(best), routes_of(best))


def best_of(found: list[Found]) -> Found:
    """The best of `found`, the first of equals."""
    best = found[0]
    for f in found[1:]:
        if f.key > best.key:
            best = f
    return best


class Runner(Protocol):
    """Runs a batch of searches and returns what each found, in the order of the jobs."""

    def run(self, jobs: list[SearchJob]) -> list[Found]: ...


class Inline:
    """Every search in this process, one after the other."""

    def run(self, jobs: list[SearchJob]) -> list[Found]:
        return [run_job(job) for job in jobs]


@dataclass(frozen=True)
class Processes:
    """The searches of a batch side by side on `pool`; a batch of one runs inline."""

    pool: Pool

    def run(self, jobs: list[SearchJob]) -> list[Found]:
        if len(jobs) == 1:
            return [run_job(jobs[0])]
        return self.pool.map(run_job, jobs, chunksize=1)


@contextmanager
def processes(workers: int) -> Iterator[Runner]:
    """A runner for one `solve` call: `workers` processes started from a fork server (safe in
    threaded hosts, such as the web server's task worker), or inline for one worker."""
    if workers <= 1:
        yield Inline()
        return
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    with ctx.Pool(workers) as pool:
        yield Processes(pool)
