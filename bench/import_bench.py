"""The spreadsheet import's check and apply on 5,000 rows: how long each takes.

    DATABASE_URL=sqlite:////tmp/import-bench.sqlite3 .venv/bin/python bench/import_bench.py
    DATABASE_URL=postgres://...  .venv/bin/python bench/import_bench.py --runs 3

The database is flushed before each run (give it a throwaway one) and migrated first. Each
run builds a town and its season through the services (closure fee tiers, every kind of
visit, the standard activities, a block rule), then 5,000 varied valid rows as the import's
reading half hands them over (`ImportRow`): visits, some with a time; closures; activities;
one in ten without coordinates but with the town's ZIP code; one in four with a reference and
a moment of registration; private notes. It times `rows_check` (writes nothing), then
`rows_apply` (writes every row in one transaction), then checks and applies the same rows
again (nothing to write), and counts the rows written. Prints every run, then the medians.
The issue's bar: check under 3 s and apply under 10 s for 5,000 rows, on SQLite and on
PostgreSQL.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nightout.settings")
os.environ.setdefault("SECRET_KEY", "import-benchmark-only")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/import-bench.sqlite3")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from nightout.registry.activities import STANDARD_ACTIVITIES  # noqa: E402
from nightout.registry.actors import Actor  # noqa: E402
from nightout.registry.imports.apply import rows_apply  # noqa: E402
from nightout.registry.imports.check import rows_check  # noqa: E402
from nightout.registry.imports.faults import ImportRow  # noqa: E402
from nightout.registry.models import (  # noqa: E402
    AuditEntry,
    ClosureFeeTier,
    Event,
    Jurisdiction,
    UnitKind,
)
from nightout.registry.services import (  # noqa: E402
    ClosureInput,
    EventInput,
    HostInput,
    activities_ensure_standard,
    season_create,
)

SYSTEM = Actor.system("import")
STREETS = ["Elm Street", "Oak Avenue", "Main Street", "Maple Road", "Pine Lane", "Cedar Court",
           "Birch Drive", "Walnut Terrace", "Spruce Place", "Chestnut Boulevard"]


def season_build():
    town = Jurisdiction.objects.create(
        name="Agawam", slug="agawam", state="MA", time_zone="America/New_York",
        center_latitude=42.0695, center_longitude=-72.6148)
    season = season_create(jurisdiction=town, year=2027, slug="agawam-2027")
    season.one_event_per_block = True
    season.save()
    for days, fee in ((30, "0"), (7, "25")):
        ClosureFeeTier.objects.create(season=season, fee=Decimal(fee),
                                      filed_by=season.at(season.nno_date, dt.time(0))
                                      - dt.timedelta(days=days))
    activities_ensure_standard()
    return season


def rows_build(season, count: int, seed: int = 1) -> list[ImportRow]:
    chance = random.Random(seed)
    kinds = [k for k in UnitKind.values]
    slugs = [slug for slug, _ in STANDARD_ACTIVITIES]
    rows = []
    for n in range(count):
        line = n + 2
        street = STREETS[n % len(STREETS)]
        number = 100 + 2 * (n // len(STREETS))
        starts = dt.time(chance.choice([15, 16, 17, 18]), chance.choice([0, 30]))
        ends = dt.time(chance.choice([19, 20, 21]), chance.choice([0, 30]))
        visits = chance.sample(kinds, chance.randint(0, 3))
        placed = n % 10 != 0
        closure = (ClosureInput(street=street, from_street="Main St", to_street="Park St",
                                blocks=chance.randint(1, 2), consent_attested=True)
                   if n % 3 == 0 else None)
        data = EventInput(
            title=f"{street} party {n}", address=f"{number} {street}, Agawam, MA",
            starts=starts, ends=ends,
            host=HostInput(name=f"Host {n}", email=f"host{n}@example.org",
                           phone=f"413-555-{n % 10000:04d}"),
            postal_code="01001",
            latitude=42.0695 + chance.uniform(-0.02, 0.02) if placed else None,
            longitude=-72.6148 + chance.uniform(-0.02, 0.02) if placed else None,
            activities=chance.sample(slugs, chance.randint(0, 3)),
            expected_attendance=chance.choice([None, 25, 40, 80]), visits=visits,
            visit_times={k: dt.time(18, 30) for k in visits[:1] if n % 5 == 0},
            closure=closure, coordinator_notes=f"Row {n}: cones at the corner" if n % 4 else "",
        )
        reference = f"NNO-{n}" if n % 4 == 0 else ""
        submitted = season.at(season.nno_date, dt.time(9)) - dt.timedelta(days=40, minutes=n) \
            if reference else None
        columns = {"title": "Party", "address": "Address", "starts": "Start", "ends": "End"}
        rows.append(ImportRow(line=line, data=data, reference=reference,
                              submitted_at=submitted, columns=columns,
                              cells={"Party": data.title, "Address": data.address}))
    return rows


def one_run(count: int) -> dict:
    call_command("flush", "--no-input", stdout=StringIO())
    season = season_build()
    rows = rows_build(season, count)
    started = time.perf_counter()
    checked = rows_check(season=season, rows=rows, actor=SYSTEM)
    check_s = time.perf_counter() - started
    assert checked.ok, checked.faults[:5]
    started = time.perf_counter()
    applied = rows_apply(season=season, rows=rows, actor=SYSTEM)
    apply_s = time.perf_counter() - started
    assert applied.applied and applied.created == count
    started = time.perf_counter()
    again = rows_apply(season=season, rows=rows, actor=SYSTEM)
    again_s = time.perf_counter() - started
    assert again.applied and again.unchanged == count
    return {"check": check_s, "apply": apply_s, "again": again_s,
            "events": Event.objects.count(), "audit": AuditEntry.objects.count()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", "--no-input", verbosity=0)
    print(f"database: {connection.vendor}, rows: {args.rows}")
    print(f"{'run':>4} {'check s':>9} {'apply s':>9} {'again s':>9} {'events':>7} {'audit':>6}")
    runs = []
    for number in range(1, args.runs + 1):
        run = one_run(args.rows)
        runs.append(run)
        print(f"{number:>4} {run['check']:>9.2f} {run['apply']:>9.2f} {run['again']:>9.2f} "
              f"{run['events']:>7} {run['audit']:>6}")
    print(f"{'med':>4} " + " ".join(
        f"{statistics.median(r[k] for r in runs):>9.2f}" for k in ("check", "apply", "again")))


if __name__ == "__main__":
    main()
