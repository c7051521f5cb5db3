"""Re-planning during the night keeps what it can and never re-visits what is done."""

from nightout.planner.replan import UnitState, replan, rest_of_night
from nightout.planner.result import validate
from nightout.planner.solve import solve
from tests.planner.instances import random_problem


def night():
    problem = random_problem(21, 14, 3, horizon=180)
    plan = solve(problem, seed=1, time_limit=20, workers=1, iterations=200)
    return problem, plan


def test_replan_from_mid_night_is_feasible_and_skips_visits_already_made():
    problem, plan = night()
    now = 60 * 60
    made, states = [], []
    for it in plan.itineraries:
        done = [s for s in it.stops if s.departure <= now]
        made += [(s.site, s.kind) for s in done]
        point = (problem.site_by_id()[done[-1].site].point if done
                 else problem.unit_by_id()[it.unit].start)
        states.append(UnitState(it.unit, point, done[-1].departure if done else now))
    result = replan(problem, plan, now, states, made, time_limit=20, workers=1, iterations=200)
    report = validate(result.plan, result.problem)
    assert report.feasible, report.errors
    assert not {(s.site, s.kind) for _, s in result.plan.visits()} & set(made)
    assert all(s.start >= now for _, s in result.plan.visits())
    assert result.kept + result.changed == sum(1 for _, s in plan.visits() if s.departure > now)


def test_replan_when_a_unit_drops_out_hands_its_parties_to_others():
    problem, plan = night()
    gone = plan.itineraries[0].unit
    states = [UnitState(gone, problem.units[0].start, 0, active=False)]
    result = replan(problem, plan, 0, states, [], time_limit=20, workers=1, iterations=200)
    assert gone not in {it.unit for it in result.plan.itineraries}
    assert validate(result.plan, result.problem).feasible


def test_rest_of_night_starts_each_unit_where_it_is_with_what_is_left_of_its_shift():
    problem, _ = night()
    rest = rest_of_night(problem, 3000, [UnitState("u1", (5.0, 5.0), 3600)], [("s0", "police")])
    u1 = rest.unit_by_id()["u1"]
    assert (u1.start, u1.shift.start, u1.shift.end) == ((5.0, 5.0), 3600,
                                                         problem.units[1].shift.end)
    assert rest.unit_by_id()["u0"].shift.start == 3000
    assert rest.value(rest.site_by_id()["s0"], "police") == 0


def test_replan_with_nothing_changed_keeps_every_stop_with_its_unit():
    problem, plan = night()
    result = replan(problem, plan, 0, [], [], time_limit=20, workers=1, iterations=200)
    assert result.changed == 0
    assert result.kept == len(plan.visits())
    assert validate(result.plan, result.problem).score >= plan.score
