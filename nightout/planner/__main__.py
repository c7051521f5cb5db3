"""`python -m nightout.planner problem.json --seconds 30`: solve, check, print the plan as JSON.

No database, no network (unless the problem names a road service). The printed document
is the plan with its independent check (`validate`) and, for comparison, how many parties
first come, first served reaches.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nightout.planner.baseline import first_come_first_served
from nightout.planner.jsonio import plan_to_dict, problem_from_dict
from nightout.planner.result import validate
from nightout.planner.solve import solve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nightout.planner",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("problem", type=Path, help="problem JSON (see docs/planner.md)")
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit, wall clock")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: every core)")
    parser.add_argument("--iterations", type=int, default=None,
                        help="bound the search by iterations too (same seed and budget, same plan)")
    parser.add_argument("--baseline", action="store_true", help="only first come, first served")
    parser.add_argument("--out", type=Path, help="write the plan here instead of stdout")
    args = parser.parse_args(argv)

    problem = problem_from_dict(json.loads(args.problem.read_text()))
    fcfs = first_come_first_served(problem)
    plan = fcfs if args.baseline else solve(problem, args.seconds, args.seed, workers=args.workers,
                                                 iterations=args.iterations)
    report = validate(plan, problem)
    doc = plan_to_dict(plan, report)
    base = validate(fcfs, problem)
    doc["baseline"] = {"score": base.score, "visits": base.visits, "parties": base.parties}
    text = json.dumps(doc, indent=1)
    if args.out:
        args.out.write_text(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    print(f"score {report.score} of {problem.total_value()}, {report.parties} parties "
          f"({report.parties - base.parties:+d} on first come, first served), "
          f"{'feasible' if report.feasible else 'INFEASIBLE'}", file=sys.stderr)
    return 0 if report.feasible else 1


if __name__ == "__main__":
    raise SystemExit(main())
