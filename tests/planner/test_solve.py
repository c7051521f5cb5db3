"""The solver finds the optimum of small instances, and its plans pass the validator."""

import time
from dataclasses import replace

import pytest
from pyvrp import RandomNumberGenerator

from nightout.planner.fair_share import fairness_bonus, shortfall
from nightout.planner.params import SearchParams
from nightout.planner.problem import Problem
from nightout.planner.result import validate
from nightout.planner.schedule import Context
from nightout.planner.search.instance import instance_of, visits_of
from nightout.planner.search.jobs import Found, Inline, SearchJob
from nightout.planner.search.shake import Shake, routes_of, solution_of
from nightout.planner.solve import solve
from tests.planner.instances import (
    MINUTES,
    Pin,
    brute_force_best,
    kickoff_problem,
    random_problem,
    site,
    unit,
)

BUDGET = dict(time_limit=20, workers=1, iterations=300)
PARAMS = SearchParams()


class Recorder:
    """Runs no search: records each batch of jobs and answers with `answer(batch, jobs)`,
    what each job found (its key and routes)."""

    def __init__(self, answer):
        self.batches: list[list[SearchJob]] = []
        self.answer = answer

    def run(self, jobs):
        self.batches.append(jobs)
        return [Found(key, routes) for key, routes in self.answer(len(self.batches) - 1, jobs)]


# (seed, parties, units): small enough to enumerate every plan.
TABLE = [(1, 5, 1), (2, 6, 1), (3, 6, 1), (4, 5, 2), (5, 6, 2), (6, 5, 2), (7, 4, 3)]


@pytest.mark.parametrize("seed,n_sites,n_units", TABLE)
def test_solve_reaches_the_brute_force_optimum(seed, n_sites, n_units):
    problem = random_problem(seed, n_sites, n_units, horizon=90)
    plan = solve(problem, seed=1, **BUDGET)
    report = validate(plan, problem)
    assert report.feasible, report.errors
    assert report.score == plan.score == brute_force_best(problem)


def test_solve_respects_the_cap_on_stops_per_unit():
    problem = random_problem(8, 6, 1, horizon=200)
    capped = replace(problem, units=(replace(problem.units[0], max_stops=2),))
    plan = solve(capped, seed=1, **BUDGET)
    report = validate(plan, capped)
    assert report.feasible, report.errors
    assert len(plan.itineraries[0].stops) <= 2
    assert report.score == brute_force_best(capped)


def test_solve_makes_two_visits_when_a_party_asks_for_police_and_fire():
    problem = kickoff_problem()
    plan = solve(problem, seed=1, **BUDGET)
    report = validate(plan, problem)
    assert report.feasible, report.errors
    visits = {(s.site, s.kind) for _, s in plan.visits()}
    assert {("s0", "police"), ("s0", "fire")} <= visits
    assert report.score == problem.total_value()


def test_solve_keeps_the_mayors_appointment_at_the_kickoff():
    plan = solve(kickoff_problem(), seed=1, **BUDGET)
    mayor = next(it for it in plan.itineraries if it.unit == "u2")
    assert [(s.site, s.start) for s in mayor.stops if s.site == "s4"] == [("s4", 3600)]


def test_solve_keeps_a_pinned_assignment_even_when_another_unit_is_closer():
    far = unit(1, point=(30.0, 0.0))
    sites = (site(0, 0, 2, 0, 240), site(1, 30, 2, 0, 240))
    problem = Problem(sites=sites, units=(unit(0), far), travel=MINUTES,
                      pins=(Pin("s1", "police", "u0"),))
    plan = solve(problem, seed=1, **BUDGET)
    report = validate(plan, problem)
    assert report.feasible, report.errors
    assert "s1" in [s.site for s in plan.itineraries[0].stops]


def test_solve_weighs_requested_visits_above_unrequested_ones():
    # One unit, time for one visit: the party that asked for police wins over a closer one
    # that did not.
    sites = (site(0, 10, 0, 0, 60, requests=("police",)), site(1, 5, 0, 0, 60, requests=("fire",)))
    problem = Problem(sites=sites, units=(unit(0, end=35),), travel=MINUTES,
                      requested_weight=3, unrequested_weight=1)
    plan = solve(problem, seed=1, **BUDGET)
    assert [s.site for s in plan.itineraries[0].stops] == ["s0"]
    assert validate(plan, problem).score == 3


def test_solve_with_fair_share_serves_the_far_district():
    # Four parties in a dense north, two in a far south; time for about four visits.
    north = tuple(site(i, 10 + i, 0, 0, 120, district="north") for i in range(4))
    south = tuple(site(4 + i, -25 - i, 0, 0, 120, district="south") for i in range(2))
    base = Problem(sites=north + south, units=(unit(0, end=100),), travel=MINUTES)
    fair = replace(base, fair_share=25)
    for problem, south_visits in ((base, 0), (fair, 1)):
        report = validate(solve(problem, seed=1, **BUDGET), problem)
        assert report.feasible, report.errors
        assert report.districts["south"][0] >= south_visits
    assert validate(solve(fair, seed=1, **BUDGET), fair).districts["south"][0] >= 1


def test_a_fair_share_every_district_already_has_costs_nothing():
    # Four parties near the station and a more valuable one far out, all in one district:
    # the best plan makes the four near ones. A 25 % share (two visits) is already there, so
    # the fair share must not send the unit to the most valuable party at the cost of two.
    near = tuple(site(i, 2 + i, 0, 0, 100, district="north") for i in range(4))
    far = (site(4, 40, 0, 0, 100, priority=2, district="north"),)
    base = Problem(sites=near + far, units=(unit(0, end=100),), travel=MINUTES)
    best = brute_force_best(base)
    assert best == 4
    fair = replace(base, fair_share=25)
    assert fairness_bonus(fair, solve(base, seed=1, **BUDGET)) == {}
    report = validate(solve(fair, seed=1, **BUDGET), fair)
    assert report.feasible, report.errors
    assert report.score == best


def test_the_fair_share_bonus_puts_every_districts_share_first_when_one_falls_short():
    north = tuple(site(i, 10 + i, 0, 0, 120, priority=1 + i % 2, district="north")
                  for i in range(4))
    south = tuple(site(4 + i, -25 - i, 0, 0, 120, priority=1 + i, district="south")
                  for i in range(3))
    problem = Problem(sites=north + south, units=(unit(0, end=100),), travel=MINUTES,
                      fair_share=50)
    plan = solve(replace(problem, fair_share=0), seed=1, **BUDGET)
    made = {s.site for _, s in plan.visits()}
    assert made == {"s0", "s1", "s2", "s3"}  # all four north, none south
    # Every district's share is two visits. South's two most valuable (s6, then s5) and two of
    # the north visits made, the most valuable (s1, s3), come first: the first of each worth
    # ten of the most valuable visit (3), the second half as much.
    assert fairness_bonus(problem, plan) == {
        "police": {"s1": 30, "s3": 15, "s6": 30, "s5": 15}}
    assert shortfall(problem, plan) == 2  # the south's two
    empty = replace(plan, itineraries=(replace(plan.itineraries[0], stops=()),))
    assert shortfall(problem, empty) == 4
    # With a share of 25 %, one visit each: the north has it, the south does not.
    assert fairness_bonus(replace(problem, fair_share=25), plan) == {
        "police": {"s1": 30, "s6": 30}}


def test_solve_gives_the_same_plan_for_the_same_seed_and_budget():
    problem = random_problem(11, 12, 2, horizon=150)
    first = solve(problem, seed=5, time_limit=30, workers=1, iterations=200)
    again = solve(problem, seed=5, time_limit=30, workers=1, iterations=200)
    assert first.itineraries == again.itineraries


def test_solve_with_two_workers_returns_a_valid_plan():
    problem = random_problem(12, 10, 2, horizon=150)
    plan = solve(problem, seed=1, time_limit=20, workers=2, iterations=100)
    assert validate(plan, problem).feasible


def test_solve_gives_each_kind_its_share_of_the_time_and_the_last_kind_runs_to_the_deadline():
    # Three kinds of two visits each; the searches are replaced by ones that return at once,
    # so each kind's time left over goes to the kinds after it.
    runner = Recorder(lambda batch, jobs: [((True, 0), []) for _ in jobs])
    before = time.monotonic()
    solve(kickoff_problem(), time_limit=10, workers=1, runner=runner)
    deadlines = [job.deadline for jobs in runner.batches for job in jobs]
    budget = 10 - PARAMS.finish_seconds  # solve() keeps 0.3 s to build the plan
    assert PARAMS.finish_seconds == 0.3
    assert [d - before for d in deadlines] == pytest.approx([budget / 3, budget / 2, budget],
                                                            abs=0.05)


@pytest.mark.parametrize("n_units,styles,rounds", [(1, [0, 1], 2), (3, [1, 1], 3)])
def test_from_scratch_each_core_restarts_every_round_from_its_own_best_plan(n_units, styles,
                                                                           rounds):
    # The searches are replaced by ones that return at once: job i of round r "finds" a plan
    # visiting party i, worth r * 10 + i. Each core must go on from its own plan, not the best.
    runner = Recorder(lambda r, jobs: [((True, r * 10 + i), [(0, [i])]) for i in range(len(jobs))])
    problem = random_problem(8, 6, n_units, horizon=200)
    plan = solve(problem, time_limit=10, params=SearchParams(race_chains=2), workers=2,
                 runner=runner)
    calls = runner.batches
    # 9.7 s of search: several units, rounds of 2.5 s; one unit, the starts take the first
    # half, then one round of the other half.
    assert len(calls) == rounds
    first = 2 * 2 if n_units == 1 else 2  # one unit: two starts per core in the first round
    assert [job.init for job in calls[0]] == [None] * first
    assert [job.style for job in calls[0]] == styles * (first // 2)
    # One unit: core w's first searches were jobs w and w + 2, and the later one is worth more.
    assert [job.init for job in calls[1]] == ([[(0, [2])], [(0, [3])]] if n_units == 1
                                              else [[(0, [0])], [(0, [1])]])
    for jobs in calls[2:]:
        assert [job.init for job in jobs] == [[(0, [0])], [(0, [1])]]
    for jobs in calls[1:]:
        # One unit: both styles; several: the second on both.
        assert [job.style for job in jobs] == styles
    # Fresh seeds.
    assert len({job.seed for jobs in calls for job in jobs}) == first + 2 * (rounds - 1)
    assert [s.site for s in plan.itineraries[0].stops] == [problem.sites[1].id]  # the best


@pytest.mark.parametrize("time_limit,later_rounds", [(10, 1), (20, 3)])
def test_with_one_unit_each_core_goes_on_from_the_best_of_its_first_searches(time_limit,
                                                                            later_rounds):
    worth = [3, 1, 0, 7, 2, 5]  # core 0's first searches are jobs 0, 2 and 4, core 1's 1, 3 and 5

    def answer(batch, jobs):
        if batch == 0:
            return [((True, worth[i]), [(0, [i])]) for i in range(len(jobs))]
        return [((True, 0), [(0, [w])]) for w in range(len(jobs))]

    runner = Recorder(answer)
    before = time.monotonic()
    solve(random_problem(8, 6, 1, horizon=200), time_limit=time_limit,
          params=SearchParams(race_chains=3, race_share=0.5), workers=2, runner=runner)
    calls = runner.batches
    search = time_limit - 0.3
    first = calls[0]
    assert len(first) == 6
    # Each of the first searches gets a third of the first half, counted from when it starts.
    assert all(job.deadline is None and job.seconds == pytest.approx(search / 2 / 3, abs=0.05)
               for job in first)
    assert [job.init for job in calls[1]] == [[(0, [0])], [(0, [3])]]
    # Then the second half in rounds of 2.5 s (at least one), the last one to the deadline.
    assert len(calls) == 1 + later_rounds
    assert [jobs[0].deadline - before for jobs in calls[1:]] == pytest.approx(
        [search / 2 + search / 2 * (k + 1) / later_rounds for k in range(later_rounds)], abs=0.05)


@pytest.mark.parametrize("n_units", [1, 3])
def test_with_an_iteration_budget_the_search_runs_in_a_single_round(n_units):
    runner = Recorder(lambda batch, jobs: [((True, w), [(0, [w])]) for w in range(len(jobs))])
    solve(random_problem(8, 6, n_units, horizon=200), time_limit=10, workers=2, iterations=100,
          runner=runner)
    assert len(runner.batches) == 1


@pytest.mark.parametrize("n_units,min_visits,narrower",
                         [(1, 40, False), (3, 40, True), (3, 50, False)])
def test_with_several_units_and_many_visits_a_narrower_search_refills_the_stretch_taken_out(
        n_units, min_visits, narrower):
    params = SearchParams(refill_min_visits=min_visits)

    class Searches(Inline):
        """Runs the searches, and keeps the jobs."""

        def __init__(self):
            self.jobs = []

        def run(self, jobs):
            self.jobs += jobs
            return super().run(jobs)

    runner = Searches()
    problem = random_problem(9, 45, n_units, horizon=400)  # 45 visits
    plan = solve(problem, seed=1, time_limit=20, params=params, workers=1, iterations=50,
                 runner=runner)
    assert validate(plan, problem).feasible
    [job] = runner.jobs  # one search, and its shake as the search builds it
    shake = job.shake(RandomNumberGenerator(seed=job.seed))
    assert shake.data.num_clients == 45

    def widest(search):
        return max(len(near) for near in search.neighbours.values())

    if narrower:
        assert shake.refill is not shake.search
        assert widest(shake.refill) == params.refill_neighbours < widest(shake.search)
    else:
        assert shake.refill is shake.search


def test_a_stretch_step_refills_with_a_complete_search_and_other_steps_use_the_main_one():
    calls = []

    def search(name):
        def run(solution, cost_evaluator, exhaustive=False):
            calls.append((name, exhaustive, [len(v) for _, v in routes_of(solution)]))
            return solution
        return run

    problem = random_problem(10, 12, 2, horizon=600)
    ctx = Context.of(problem)
    units = list(problem.units)
    kind = units[0].kind
    inst = instance_of(ctx, kind, units, visits_of(ctx, kind, units, {}, PARAMS), PARAMS)
    assert len(inst.visits) >= 10
    routes = [(0, list(range(0, 6))), (0, list(range(6, 10)))]
    solution = solution_of(inst.data, routes)
    always = Shake(search("main"), inst.data, seed=3, share=1.0, refill=search("refill"))
    always(solution, None)
    never = Shake(search("main"), inst.data, seed=3, share=0.0, refill=search("refill"))
    never(solution, None)
    (name, exhaustive, lengths), second = calls
    assert (name, exhaustive) == ("refill", True) and sum(lengths) < 10  # a stretch went out
    assert second == ("main", False, [6, 4])


def _kind_instance(problem):
    """The instance of the first unit's kind."""
    ctx = Context.of(problem)
    kind = problem.units[0].kind
    units = [u for u in problem.units if u.kind == kind]
    return instance_of(ctx, kind, units, visits_of(ctx, kind, units, {}, PARAMS), PARAMS)


def test_with_one_unit_the_second_style_takes_out_longer_stretches():
    shakes = []
    for n_units in (1, 2):
        data = _kind_instance(random_problem(11, 20, n_units, horizon=400)).data
        for style in (0, 1):
            job = SearchJob(data, seed=1, params=PARAMS, iterations=5, style=style)
            shakes.append(job.shake(RandomNumberGenerator(seed=job.seed)))
    assert [s.stretch for s in shakes] == [0.2, PARAMS.one_unit_stretch, 0.2, 0.2]
    assert PARAMS.one_unit_stretch > 0.2


@pytest.mark.parametrize("stretch,longest", [(0.2, 4), (0.35, 7)])
def test_a_stretch_is_at_most_its_share_of_the_route(stretch, longest):
    removed = []

    def refill(solution, cost_evaluator, exhaustive=False):
        removed.append(20 - sum(len(v) for _, v in routes_of(solution)))
        return solution

    problem = random_problem(12, 24, 1, horizon=2000)
    inst = _kind_instance(problem)
    assert len(inst.visits) >= 20
    solution = solution_of(inst.data, [(0, list(range(20)))])
    shake = Shake(refill, inst.data, seed=5, share=1.0, stretch=stretch)
    for _ in range(300):
        shake(solution, None)
    assert min(removed) == 1 and max(removed) == longest
