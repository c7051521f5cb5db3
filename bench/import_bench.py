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
again (nothing to write), and counts the rows written. Then the whole import as a coordinator
runs it, from the file: the same rows written as a town's CSV and as an XLSX workbook (column
names and values as people type them), read, mapped, checked (`events_import` without
`apply`) and, on a fresh database, applied. The same-run reference is Python's `csv.reader`
reading the CSV file, the least any import does. Prints every run, then the medians.
The issue's bar: check under 3 s and apply under 10 s for 5,000 rows, on SQLite and on
PostgreSQL.
"""

import argparse
import csv
import datetime as dt
import io
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
from nightout.registry.imports import events_import  # noqa: E402
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


FILE_HEADER = ["Reference", "Title", "Address", "ZIP", "Latitude", "Longitude", "Start Time",
               "End Time", "Expected Attendance", "Departments Requested", "Street Closure",
               "Closure From", "Closure To", "Blocks", "Party Host Name", "Email", "Phone",
               "Activities", "Notes", "Submitted"]


def file_lines(rows: list[ImportRow]) -> list[list]:
    """The rows as a town's list holds them: 5:30 PM, labels, names, yes/no."""
    labels = dict(UnitKind.choices)
    names = dict(STANDARD_ACTIVITIES)
    lines = [FILE_HEADER]
    for row in rows:
        data = row.data
        closure = data.closure
        lines.append([
            row.reference, data.title, data.address, data.postal_code,
            "" if data.latitude is None else f"{data.latitude:.6f}",
            "" if data.longitude is None else f"{data.longitude:.6f}",
            data.starts.strftime("%-I:%M %p"), data.ends.strftime("%-I:%M %p"),
            data.expected_attendance or "", ", ".join(labels[k] for k in data.visits),
            closure.street if closure else "No", closure.from_street if closure else "",
            closure.to_street if closure else "", closure.blocks if closure else "",
            data.host.name, data.host.email, data.host.phone,
            ", ".join(names[s] for s in data.activities), data.coordinator_notes or "",
            row.submitted_at.strftime("%m/%d/%Y %H:%M") if row.submitted_at else ""])
    return lines


def as_csv(lines: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    return out.getvalue().encode()


def as_xlsx(lines: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Parties")
    for line in lines:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(call, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = call(**kwargs)
    return time.perf_counter() - started, result


def one_run(count: int) -> dict:
    call_command("flush", "--no-input", stdout=StringIO())
    season = season_build()
    rows = rows_build(season, count)
    check_s, checked = timed(lambda: rows_check(season=season, rows=rows, actor=SYSTEM))
    assert checked.ok, checked.faults[:5]
    apply_s, applied = timed(lambda: rows_apply(season=season, rows=rows, actor=SYSTEM))
    assert applied.applied and applied.created == count
    again_s, again = timed(lambda: rows_apply(season=season, rows=rows, actor=SYSTEM))
    assert again.applied and again.unchanged == count
    run = {"check": check_s, "apply": apply_s, "again": again_s,
           "events": Event.objects.count(), "audit": AuditEntry.objects.count()}
    files = {"csv": as_csv(file_lines(rows)), "xlsx": as_xlsx(file_lines(rows))}
    run["reference"], _ = timed(lambda: list(csv.reader(io.StringIO(files["csv"].decode()))))
    for kind, content in files.items():
        call_command("flush", "--no-input", stdout=StringIO())
        season = season_build()
        for step, apply in (("file check", False), ("file apply", True)):
            seconds, report = timed(events_import, season=season, filename=f"parties.{kind}",
                                    content=content, apply=apply, actor=SYSTEM)
            assert report.ok and report.created == count, report.faults[:5]
            run[f"{kind} {step}"] = seconds
    return run


COLUMNS = ("check", "apply", "again", "csv file check", "csv file apply", "xlsx file check",
           "xlsx file apply", "reference")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", "--no-input", verbosity=0)
    print(f"database: {connection.vendor}, rows: {args.rows}")
    print("seconds; rows: ImportRows handed over; file: the whole import of the file; "
          "reference: csv.reader over the CSV")
    print(f"{'run':>4} " + " ".join(f"{name:>16}" for name in COLUMNS) + f" {'events':>7}")
    runs = []
    for number in range(1, args.runs + 1):
        run = one_run(args.rows)
        runs.append(run)
        print(f"{number:>4} " + " ".join(f"{run[name]:>16.2f}" for name in COLUMNS)
              + f" {run['events']:>7}")
    print(f"{'med':>4} " + " ".join(
        f"{statistics.median(r[name] for r in runs):>16.2f}" for name in COLUMNS))


if __name__ == "__main__":
    main()
