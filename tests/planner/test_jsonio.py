"""JSON in and out, and the command line: no database, no network."""

import json

from nightout.planner.__main__ import main
from nightout.planner.jsonio import plan_from_dict, plan_to_dict, problem_from_dict, problem_to_dict
from nightout.planner.result import validate
from nightout.planner.solve import solve
from tests.planner.instances import kickoff_problem

DOCUMENT = {
    "travel": {"model": "haversine", "speed_kmh": 30, "circuity_percent": 130},
    "sites": [
        {"id": "kickoff", "point": [42.1015, -72.5898], "hours": ["17:00", "21:00"], "stay": 1200,
         "priority": 3, "requests": ["official", "police"], "district": "centre"},
        {"id": "elm-st", "point": [42.1100, -72.6000], "hours": ["18:00", "20:30"], "stay": 600,
         "requests": ["police"], "district": "north"},
    ],
    "units": [
        {"id": "car-1", "kind": "police", "shift": ["16:30", "21:30"], "start": [42.10, -72.59]},
        {"id": "mayor", "kind": "official", "shift": [59400, 77400], "start": [42.10, -72.59],
         "end": [42.10, -72.59], "max_stops": 4},
    ],
    "pins": [{"site": "kickoff", "kind": "official", "unit": "mayor", "at": "18:00"}],
}


def test_problem_reads_times_as_hh_mm_or_seconds_and_survives_a_round_trip():
    problem = problem_from_dict(DOCUMENT)
    assert problem.sites[0].hours.start == 17 * 3600
    assert problem.units[1].shift.start == 59400
    assert problem.pins[0].at == 18 * 3600
    assert problem_from_dict(json.loads(json.dumps(problem_to_dict(problem)))) == problem


def test_plan_survives_a_round_trip_and_carries_its_check():
    problem = kickoff_problem()
    plan = solve(problem, seed=1, time_limit=20, workers=1, iterations=100)
    doc = plan_to_dict(plan, validate(plan, problem))
    assert doc["check"]["feasible"] and doc["check"]["score"] == plan.score
    assert plan_from_dict(json.loads(json.dumps(doc))) == plan


def test_command_line_solves_a_problem_file_and_prints_a_checked_plan(tmp_path, capsys):
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(DOCUMENT))
    assert main([str(path), "--seconds", "20", "--workers", "1", "--iterations", "100"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["check"]["feasible"]
    mayor = next(it for it in doc["itineraries"] if it["unit"] == "mayor")
    assert [(s["site"], s["start"]) for s in mayor["stops"]] == [("kickoff", 18 * 3600)]
    assert doc["score"] == 3 + 3 + 1
    assert doc["baseline"]["parties"] <= doc["check"]["parties"]
