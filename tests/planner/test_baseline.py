"""First come, first served: registration order decides, and its plans are feasible."""

import pytest

from nightout.planner.baseline import first_come_first_served
from nightout.planner.problem import Problem
from nightout.planner.result import validate
from nightout.planner.solve import solve
from tests.planner.instances import MINUTES, kickoff_problem, random_problem, site, unit


@pytest.mark.parametrize("seed,n_sites,n_units", [(1, 8, 1), (2, 12, 2), (3, 20, 3)])
def test_first_come_first_served_is_feasible_and_never_beats_the_solver(seed, n_sites, n_units):
    problem = random_problem(seed, n_sites, n_units, horizon=150)
    fcfs = first_come_first_served(problem)
    report = validate(fcfs, problem)
    assert report.feasible, report.errors
    assert report.score == fcfs.score
    assert solve(problem, seed=1, time_limit=20, workers=1, iterations=300).score >= fcfs.score


def test_first_come_first_served_gives_the_time_to_whoever_registered_first():
    # Room for one visit: the low-priority party registered first and gets it.
    sites = (site(0, 10, 0, 0, 60, priority=1, order=1),
             site(1, -10, 0, 0, 60, priority=5, order=2))
    problem = Problem(sites=sites, units=(unit(0, end=35),), travel=MINUTES)
    assert [s.site for s in first_come_first_served(problem).itineraries[0].stops] == ["s0"]


def test_first_come_first_served_keeps_pins_and_kinds():
    problem = kickoff_problem()
    report = validate(first_come_first_served(problem), problem)
    assert report.feasible, report.errors
