"""TOPTW benchmark of the visit planner, with plain PyVRP as the same-run anchor.

    .venv/bin/python bench/planner_toptw.py --instances ../shared/bench/toptw/instances \
        --vehicles 1,4 --seconds 10 --out results.csv --routes-out routes.json \
        [--anchor-out anchor.csv] [--city ../shared/bench/toptw] [--only pr02,pr08]

For each instance and fleet size: solve with `nightout.planner.solve` (both cores), check the
plan with `nightout.planner.result.validate` (truncated travel times recomputed from the
coordinates), write `instance,vehicles,score,feasible,seconds`, and the routes as customer
ids in visiting order, without the depot. With --anchor-out, plain PyVRP (set up as in
ANCHORS.md: prize = profit x 20000, whole-minute ceiling travel as distance, exact times as
duration, MaxRuntime, seed 1, one process) is run on the same instance right after, checked
by the same validator, and written in the same format. With --city, city1500 (one depot) and
city1500_stations (five stations) are run with 60 units.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toptw_format import read  # noqa: E402

from nightout.planner.problem import Problem  # noqa: E402
from nightout.planner.result import Itinerary, Plan, Stop, validate  # noqa: E402
from nightout.planner.schedule import Context  # noqa: E402
from nightout.planner.solve import solve  # noqa: E402

FIELDS = ["instance", "vehicles", "score", "feasible", "seconds"]


def plain_pyvrp(problem: Problem, seconds: float,
                seed: int = 1) -> tuple[list[tuple[str, list[str]]], float]:
    """PyVRP used plainly, as ANCHORS.md describes; returns (unit id, site ids) routes and
    wall s."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    ctx = Context.of(problem)
    dur = ctx.travel.durations
    m = Model()
    locs = [m.add_location(x=p[0], y=p[1]) for p in ctx.points]
    depots = {}
    for u in problem.units:
        if u.start not in depots:
            depots[u.start] = m.add_depot(locs[ctx.index[u.start]], tw_early=u.shift.start,
                                          tw_late=u.shift.end)
    for s in problem.sites:
        m.add_client(locs[ctx.index[s.point]], service_duration=s.stay, tw_early=s.hours.start,
                     tw_late=s.hours.end - s.stay, prize=s.priority * 20000, required=False)
    by_depot: dict = {}
    for u in problem.units:
        by_depot.setdefault(u.start, []).append(u)
    types = []
    for point, units in by_depot.items():
        u = units[0]
        types.append(units)
        m.add_vehicle_type(num_available=len(units), start_depot=depots[point],
                           end_depot=depots[point], tw_early=u.shift.start, tw_late=u.shift.end)
    for i, a in enumerate(locs):
        for j, b in enumerate(locs):
            t = int(dur[i, j])
            m.add_edge(a, b, distance=-(-t // 100), duration=t)
    t0 = time.perf_counter()
    result = m.solve(MaxRuntime(seconds), seed=seed, display=False)
    wall = time.perf_counter() - t0
    site_ids = [s.id for s in problem.sites]
    free = [list(us) for us in types]
    named = []
    for route in result.best.routes():
        unit = free[route.vehicle_type()].pop(0)
        named.append((unit.id, [site_ids[a.idx] for a in route.schedule() if a.is_client()]))
    return named, wall


def as_plan(problem: Problem, named: list[tuple[str, list[str]]]) -> Plan:
    """Earliest-time itineraries for the given orders, without dropping anything: the validator
    judges."""
    ctx = Context.of(problem)
    units = problem.unit_by_id()
    its = []
    for uid, sites in named:
        unit = units[uid]
        here, free, stops = unit.start, unit.shift.start, []
        for sid in sites:
            site = ctx.sites[sid]
            arrival = free + ctx.duration(here, site.point)
            start = max(arrival, site.hours.start)
            stops.append(Stop(sid, unit.kind, arrival, start, start + site.stay))
            here, free = site.point, start + site.stay
        back = free + ctx.duration(here, unit.end)
        its.append(Itinerary(uid, unit.shift.start, back, tuple(stops)))
    return Plan(itineraries=tuple(its))


def routes_of(plan: Plan) -> list[list[int]]:
    return [[int(s.site) for s in it.stops] for it in plan.itineraries if it.stops]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", type=Path, required=True)
    ap.add_argument("--vehicles", default="1,2,3,4")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--routes-out", type=Path, required=True)
    ap.add_argument("--anchor-out", type=Path,
                    help="also run plain PyVRP and write its results here")
    ap.add_argument("--city", type=Path, help="folder with city1500.txt and city1500_stations.csv")
    ap.add_argument("--only", default="", help="comma-separated instance names")
    ap.add_argument("--no-public", action="store_true",
                    help="skip the public instances (city only)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)

    fleets = [int(v) for v in args.vehicles.split(",")]
    only = set(filter(None, args.only.split(",")))
    jobs = []
    if not args.no_public:
        for path in sorted(args.instances.glob("*.txt")):
            if not only or path.stem in only:
                jobs += [(path.stem, m, lambda p=path, m=m: read(p, m)) for m in fleets]
    if args.city:
        city = args.city / "city1500.txt"
        stations = args.city / "city1500_stations.csv"
        jobs.append(("city1500", 60, lambda: read(city, 60)))
        jobs.append(("city1500_stations", 60, lambda: read(city, 60, stations=stations)))

    routes: dict = json.loads(args.routes_out.read_text()) if args.routes_out.exists() else {}
    out = open(args.out, "a", newline="")
    writer = csv.DictWriter(out, FIELDS)
    if out.tell() == 0:
        writer.writeheader()
    anchor_writer = None
    if args.anchor_out:
        anchor_file = open(args.anchor_out, "a", newline="")
        anchor_writer = csv.DictWriter(anchor_file, FIELDS)
        if anchor_file.tell() == 0:
            anchor_writer.writeheader()

    for name, m, make in jobs:
        problem = make()
        t0 = time.perf_counter()
        plan = solve(problem, args.seconds, args.seed, workers=args.workers)
        wall = time.perf_counter() - t0
        report = validate(plan, problem)
        writer.writerow(dict(instance=name, vehicles=m, score=report.score,
                             feasible=report.feasible, seconds=round(wall, 2)))
        out.flush()
        routes.setdefault(name, {})[str(m)] = routes_of(plan)
        args.routes_out.write_text(json.dumps(routes, indent=0))
        ok = "ok" if report.feasible else "INFEASIBLE"
        line = f"{name} m={m}: {report.score} {ok} {wall:.1f}s"
        if anchor_writer is not None:
            named, awall = plain_pyvrp(problem, args.seconds, seed=1)
            areport = validate(as_plan(problem, named), problem)
            anchor_writer.writerow(dict(instance=name, vehicles=m, score=areport.score,
                                        feasible=areport.feasible, seconds=round(awall, 2)))
            anchor_file.flush()
            aok = "ok" if areport.feasible else "INFEASIBLE"
            line += f" | plain {areport.score} {aok} {awall:.1f}s"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
