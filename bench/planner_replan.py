"""Re-planning during the night on city1500: from 18:30, one unit dropped out, 5 s budget.

    .venv/bin/python bench/planner_replan.py --city ../shared/bench/toptw \
        [--seconds 5] [--plan-seconds 10]

Solves the night first (`--plan-seconds`), then at 18:30 takes each unit's position (its last
finished stop, or its station) and the stops already made, drops one unit, and re-plans the
rest within `--seconds`. Prints wall time, score of the rest of the night, stops kept.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toptw_format import read  # noqa: E402

from nightout.planner.replan import UnitState, replan  # noqa: E402
from nightout.planner.result import validate  # noqa: E402
from nightout.planner.solve import solve  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--city", type=Path, required=True)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--plan-seconds", type=float, default=10.0)
    ap.add_argument("--stations", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    problem = read(args.city / "city1500.txt", 60,
                   stations=args.city / "city1500_stations.csv" if args.stations else None)
    plan = solve(problem, args.plan_seconds, 1)
    print(f"night plan: {validate(plan, problem).score} in {args.plan_seconds} s")
    now = (18 * 60 + 30) * 100  # the city file counts minutes x 100
    sites = problem.site_by_id()
    made, states = [], []
    for it in plan.itineraries:
        done = [s for s in it.stops if s.departure <= now]
        current = [s for s in it.stops if s.start <= now < s.departure]
        made += [(s.site, s.kind) for s in done + current]
        last = (done + current)[-1] if done or current else None
        point = sites[last.site].point if last else problem.unit_by_id()[it.unit].start
        states.append(UnitState(it.unit, point, max(now, last.departure) if last else now))
    states[0] = UnitState(states[0].unit, states[0].point, states[0].free_at, active=False)
    done_set = set(made)
    remaining = [(u, s) for u, s in plan.visits() if (s.site, s.kind) not in done_set]
    before = len(remaining)
    kept_value = sum(sites[s.site].priority for u, s in remaining if u != states[0].unit)
    print(f"remaining stops of the night plan: {before}, worth {kept_value} "
          "without the dropped unit")
    for run in range(args.runs):
        t0 = time.perf_counter()
        result = replan(problem, plan, now, states, made, time_limit=args.seconds, seed=run + 1)
        wall = time.perf_counter() - t0
        report = validate(result.plan, result.problem)
        print(f"run {run + 1}: {wall:.2f} s wall, rest-of-night score {report.score}, "
              f"feasible {report.feasible}, kept {result.kept} of {before} remaining stops, "
              f"changed {result.changed}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
