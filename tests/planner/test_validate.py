"""The validator catches every kind of infeasibility, independently of the solver."""

from dataclasses import replace

import pytest

from nightout.planner.problem import Problem
from nightout.planner.result import Itinerary, Plan, Stop, validate
from tests.planner.instances import MINUTES, Pin, site, unit

M = 60
SITES = (
    site(0, 10, 0, 0, 60),           # 10 min from the depot, open 0-60 min
    site(1, 20, 0, 30, 50),          # open 30-50 min
    site(2, 10, 0, 0, 60, requests=("fire",)),
)
UNITS = (unit(0, end=60), unit(1, kind="fire", end=60))
PROBLEM = Problem(sites=SITES, units=UNITS, travel=MINUTES)


def stop(i, arrival, start, kind="police", stay=10):
    return Stop(site=f"s{i}", kind=kind, arrival=arrival * M, start=start * M,
                departure=(start + stay) * M)


GOOD = Itinerary(unit="u0", leave=0, back=60 * M, stops=(stop(0, 10, 10), stop(1, 30, 30)))


def test_validate_accepts_a_good_plan_and_recomputes_its_score():
    report = validate(Plan(itineraries=(GOOD,), score=999), PROBLEM)
    assert report.feasible, report.errors
    assert (report.score, report.visits, report.parties) == (2, 2, 2)


CASES = [
    ("late arrival", Itinerary("u0", 0, 60 * M, (stop(0, 10, 10), stop(1, 45, 45))), "late"),
    ("arrival faster than travel", Itinerary("u0", 0, 60 * M, (stop(0, 5, 5),)), "too soon"),
    ("start before the party opens", Itinerary("u0", 0, 60 * M, (stop(0, 10, 10), stop(1, 25, 25))),
     "early"),
    ("shift overrun", Itinerary("u0", 0, 60 * M, (stop(0, 10, 10), stop(1, 30, 35))), "shift"),
    ("leaves before its shift", replace(GOOD, leave=-5 * M), "shift"),
    ("party visited twice",
     Itinerary("u0", 0, 60 * M, (stop(0, 10, 10), stop(0, 20, 20))), "twice"),
    ("unit of the wrong kind", Itinerary("u1", 0, 60 * M, (stop(0, 10, 10),)), "wrong kind"),
    ("a visit the party did not ask for",
     Itinerary("u0", 0, 60 * M, (stop(2, 10, 10),)), "not offered"),
    ("a stay cut short",
     Itinerary("u0", 0, 60 * M, (Stop("s0", "police", 600, 600, 900),)), "short stay"),
    ("an unknown unit", Itinerary("u9", 0, 60 * M, ()), "unknown unit"),
]


@pytest.mark.parametrize("name,itinerary,error", CASES, ids=[c[0] for c in CASES])
def test_validate_rejects_each_kind_of_infeasibility(name, itinerary, error):
    report = validate(Plan(itineraries=(itinerary,)), PROBLEM)
    assert not report.feasible
    assert any(e.startswith(error) for e in report.errors), report.errors


def test_validate_rejects_a_late_arrival():
    late = Itinerary("u0", 0, 60 * M, (stop(1, 50, 50),))
    assert validate(Plan(itineraries=(late,)), PROBLEM).errors[0].startswith("late")


def test_validate_rejects_a_party_visited_twice_by_two_units():
    problem = replace(PROBLEM, units=UNITS + (unit(2, end=60),))
    twice = (GOOD, Itinerary("u2", 0, 60 * M, (stop(0, 10, 10),)))
    assert any(e.startswith("twice") for e in validate(Plan(itineraries=twice), problem).errors)


def test_validate_rejects_more_stops_than_the_units_cap():
    problem = replace(PROBLEM, units=(unit(0, end=60, max_stops=1),) + UNITS[1:])
    errors = validate(Plan(itineraries=(GOOD,)), problem).errors
    assert any(e.startswith("too many") for e in errors)


def test_validate_rejects_a_broken_pin_and_a_missed_appointment():
    pinned = replace(PROBLEM, pins=(Pin("s1", "police", "u0", at=40 * M),))
    errors = validate(Plan(itineraries=(GOOD,)), pinned).errors
    assert any(e.startswith("pin broken") for e in errors)
    nobody = validate(Plan(itineraries=()), pinned).errors
    assert any(e.startswith("pin broken") for e in nobody)


def test_validate_counts_requests_made_per_district():
    problem = replace(PROBLEM, sites=(replace(SITES[0], district="north"),) + SITES[1:])
    report = validate(Plan(itineraries=(GOOD,)), problem)
    assert report.districts == {"north": (1, 1), "": (1, 2)}
