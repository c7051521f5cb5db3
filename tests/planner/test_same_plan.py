"""The same seed and iteration budget give the same plan, and the same regions, as recorded.

`data/same_plan.json` holds the plans (each unit's sites in order) of the instances below,
the k-means regions of a large kind and the groups of a pass over routes. It was recorded by
`python -m tests.planner.record_same_plan` (run from the repository's root) from the solver as
it was before its restructuring into `nightout/planner/search/` (commit da2e1e8, when it was one
module, `solve.py`); recording it again after the restructuring gave the same file. A change
that moves the search's behaviour, on purpose or not, fails here; a deliberate one records the
file again and says why in its commit.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from nightout.planner.baseline import first_come_first_served
from nightout.planner.params import SearchParams
from nightout.planner.problem import Problem
from nightout.planner.result import Plan, validate
from nightout.planner.schedule import Context
from nightout.planner.search.instance import Instance, instance_of, visits_of
from nightout.planner.search.jobs import Found, SearchJob
from nightout.planner.search.regions import regions, route_pass
from nightout.planner.solve import solve
from tests.planner.instances import kickoff_problem, random_problem

DATA = Path(__file__).parent / "data" / "same_plan.json"
PARAMS = SearchParams()


def _fair_problem() -> Problem:
    """Sixteen parties, those east of the station in district "east", west in "west"."""
    problem = random_problem(24, 16, 1, horizon=150)
    sites = tuple(replace(s, district="east" if s.point[0] >= 0 else "west")
                  for s in problem.sites)
    return replace(problem, sites=sites, fair_share=60)


def _from_plan() -> tuple[Problem, Plan]:
    problem = random_problem(25, 24, 2, horizon=240)
    return problem, first_come_first_served(problem)


def _cases() -> dict[str, tuple[Problem, dict[str, object]]]:
    """name -> (problem, the keyword arguments of `solve` besides the problem)."""
    budget: dict[str, object] = dict(time_limit=120, workers=1)
    problem, initial = _from_plan()
    return {
        "one unit": (random_problem(21, 14, 1, horizon=200), dict(budget, seed=3, iterations=300)),
        "one unit, two workers": (random_problem(21, 14, 1, horizon=200),
                                  dict(budget, seed=3, iterations=300, workers=2)),
        "three units": (random_problem(22, 30, 3, horizon=300),
                        dict(budget, seed=4, iterations=200)),
        "three kinds and a pinned appointment": (kickoff_problem(),
                                                 dict(budget, seed=5, iterations=100)),
        "fair share": (_fair_problem(), dict(budget, seed=6, iterations=200)),
        "from a plan": (problem, dict(budget, seed=7, iterations=200, initial=initial)),
        "four units, 210 parties": (random_problem(23, 210, 4, horizon=400),
                                    dict(budget, seed=8, iterations=60)),
    }


def _routes(plan: Plan) -> dict[str, list[str]]:
    return {it.unit: [s.site for s in it.stops] for it in plan.itineraries}


def _large() -> tuple[Context, Instance]:
    """A kind of 640 visits (the size the solver splits into regions) and its instance."""
    problem = random_problem(26, 640, 8, horizon=400)
    ctx = Context.of(problem)
    units = list(problem.units)
    return ctx, instance_of(ctx, "police", units, visits_of(ctx, "police", units, {}, PARAMS),
                            PARAMS)


def _regions(parts: int, seed: int) -> list[list[int]]:
    """The regions of the large kind's visits, as lists of visit indices."""
    _, inst = _large()
    return [[int(i) for i in region] for region in regions(inst, parts, seed, PARAMS)]


class _Unchanged:
    """Runs no search: every group keeps its routes, and the groups are kept."""

    def __init__(self) -> None:
        self.jobs: list[SearchJob] = []

    def run(self, jobs: list[SearchJob]) -> list[Found]:
        self.jobs += jobs
        return [Found((True, 0), job.init or []) for job in jobs]


def _pass_groups(seed: int) -> list[list[object]]:
    """The groups (unit ids, visit indices) of a pass over the routes of twelve units."""
    problem = random_problem(27, 300, 12, horizon=400)
    ctx = Context.of(problem)
    units = list(problem.units)
    inst = instance_of(ctx, "police", units, visits_of(ctx, "police", units, {}, PARAMS), PARAMS)
    # Each unit's route: every twelfth visit, starting from its own.
    routes = [(u.id, [v.site.id for v in inst.visits[k::12][:15]]) for k, u in enumerate(units)]
    runner = _Unchanged()
    assert dict(route_pass(ctx, inst, units, routes, 0.0, seed, 4, runner, PARAMS)) == dict(routes)
    # Each group is one search: its units are its vehicles, its visits its clients.
    index = {v.site.id: i for i, v in enumerate(inst.visits)}
    return [[[name for vt in job.data.vehicle_types() for name in vt.name.split(",")],
             sorted(index[c.name] for c in job.data.clients())] for job in runner.jobs]


def recorded() -> dict[str, object]:
    """What the code as it is now gives, in the form of `data/same_plan.json`."""
    plans = {name: _routes(solve(problem, **kwargs))
             for name, (problem, kwargs) in _cases().items()}
    split = {f"{parts} parts, seed {seed}": _regions(parts, seed)
             for parts, seed in ((8, 1), (9, 2))}
    passes = {f"seed {seed}": _pass_groups(seed) for seed in (1, 2)}
    return {"plans": plans, "regions": split, "passes": passes}


EXPECTED = json.loads(DATA.read_text()) if DATA.exists() else {}


@pytest.mark.parametrize("name", sorted(_cases()))
def test_solve_gives_the_recorded_plan_for_the_same_seed_and_iteration_budget(name):
    problem, kwargs = _cases()[name]
    plan = solve(problem, **kwargs)
    assert validate(plan, problem).feasible
    assert _routes(plan) == EXPECTED["plans"][name]


@pytest.mark.parametrize("parts,seed", [(8, 1), (9, 2)])
def test_the_regions_of_a_large_kind_are_the_recorded_ones(parts, seed):
    found = _regions(parts, seed)
    assert found == EXPECTED["regions"][f"{parts} parts, seed {seed}"]
    _, inst = _large()
    assert len(found) == parts
    assert sorted(i for region in found for i in region) == list(range(len(inst.visits)))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_pass_over_the_routes_groups_them_as_recorded(seed):
    groups = _pass_groups(seed)
    assert groups == EXPECTED["passes"][f"seed {seed}"]
    assert sorted(u for units, _ in groups for u in units) == sorted(f"u{k}" for k in range(12))


def test_the_recorded_plans_differ_from_one_another_and_make_visits():
    plans = EXPECTED["plans"]
    assert len(plans) == len(_cases())
    assert all(any(routes.values()) for routes in plans.values())
    assert len({json.dumps(p, sort_keys=True) for p in plans.values()}) >= 6
