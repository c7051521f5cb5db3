"""Fair share by district on the demo city: what a share costs and what it buys.

    DATABASE_URL=sqlite:////tmp/fair-bench.sqlite3 .venv/bin/python bench/planner_fair_share.py \
        --seconds 20 --shares 0,30 --seeds 1,2,3

Loads the demo into the database (flushed first: use a throwaway one; `--no-load` reuses what
is there), builds Lakeport 2027's problem as a plan build does (1,500 parties, 60 units, five
districts), solves it with each share and seed on every core, validates each plan, and prints
one row per solve: visits, parties, the visits the districts miss of their share of 30 %
(per kind of unit, whatever share the plan was built with, so the rows compare), how many
(kind, district) pairs get no visit at all, and each district's visits planned / asked for.
Then the median of the seeds per share.
"""

import argparse
import math
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import replace
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nightout.settings")
os.environ.setdefault("SECRET_KEY", "fair-share-benchmark-only")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

from nightout.planner.result import validate  # noqa: E402
from nightout.planner.solve import solve  # noqa: E402
from nightout.registry.models import Season  # noqa: E402
from nightout.visits import adapter  # noqa: E402

MEASURE_SHARE = 30  # percent: the share every row's shortfall is measured against


def coverage(problem, plan) -> tuple[int, int]:
    """(visits missing from the districts' shares of MEASURE_SHARE %, (kind, district) pairs
    asked for and given no visit), over the kinds the units serve."""
    kind_of = {u.id: u.kind for u in problem.units}
    made = {(s.site, kind_of[it.unit]) for it in plan.itineraries for s in it.stops}
    kinds = set(kind_of.values())
    asked, got = Counter(), Counter()
    for site in problem.sites:
        for kind in site.requests:
            if kind in kinds:
                asked[kind, site.district] += 1
                got[kind, site.district] += (site.id, kind) in made
    short = sum(max(0, math.ceil(asked[k] * MEASURE_SHARE / 100) - got[k]) for k in asked)
    return short, sum(got[k] == 0 for k in asked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--shares", default="0,30")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--no-load", action="store_true")
    args = parser.parse_args()
    if not args.no_load:
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        call_command("demo", stdout=StringIO())
    problem = adapter.build_problem(Season.objects.get(slug="lakeport-2027"))
    print("share,seed,visits,parties,shortfall_at_30,kind_district_pairs_without_a_visit,"
          "seconds,feasible,districts", flush=True)
    rows: dict[int, list[tuple]] = {}
    for share in [int(x) for x in args.shares.split(",")]:
        for seed in [int(x) for x in args.seeds.split(",")]:
            fair = replace(problem, fair_share=share)
            began = time.monotonic()
            plan = solve(fair, args.seconds, seed)
            took = time.monotonic() - began
            report = validate(plan, fair)
            short, empty = coverage(fair, plan)
            parties = len({s.site for _, s in plan.visits()})
            districts = " ".join(f"{d}={m}/{n}" for d, (m, n) in sorted(report.districts.items()))
            print(f"{share},{seed},{report.visits},{parties},{short},{empty},{took:.1f},"
                  f"{report.feasible},{districts}", flush=True)
            rows.setdefault(share, []).append((report.visits, parties, short, empty))
    print("\nmedian over the seeds: share, visits, parties, shortfall at 30 %, "
          "pairs without a visit")
    for share, runs in rows.items():
        print(share, *(statistics.median(col) for col in zip(*runs, strict=True)))


if __name__ == "__main__":
    main()
