"""Set-ups and steps for the fault tests, made through the services in a process of their own:

    python -m tests.faults.scenario town [--parties N]
    python -m tests.faults.scenario build --seconds N
    python -m tests.faults.scenario lock --version ID
    python -m tests.faults.scenario detect [--later SECONDS]
    python -m tests.faults.scenario retry --version ID --seconds N
    python -m tests.faults.scenario register-when-told

Each prints one line of JSON. The database is DATABASE_URL's (see conftest.Scratch).
"""

import argparse
import datetime as dt
import json
import sys
import time

import django

django.setup()

from django.utils import timezone  # noqa: E402

from nightout.finder.places import public_point_refresh  # noqa: E402
from nightout.registry.models import (  # noqa: E402
    Agency,
    AgencyKind,
    Event,
    EventStatus,
    Jurisdiction,
    Season,
    Station,
    VisitRequest,
)
from nightout.registry.services import (  # noqa: E402
    Actor,
    EventInput,
    HostInput,
    event_register,
    season_create,  # noqa: E402
)
from nightout.visits import services  # noqa: E402
from nightout.visits.models import PlanVersion  # noqa: E402
from nightout.visits.selectors import version_checks  # noqa: E402

ACTOR = Actor.system("faults")
SLUG = "faultville-2027"


def town(parties: int) -> dict:
    place = Jurisdiction.objects.create(
        name="Faultville", slug="faultville", state="MA", time_zone="America/New_York",
        center_latitude=42.07, center_longitude=-72.61)
    season = season_create(jurisdiction=place, year=2027, slug=SLUG)
    police = Agency.objects.create(name="Faultville Police", slug="faultville-police",
                                   kind=AgencyKind.LOCAL_POLICE, jurisdiction=place)
    station = Station.objects.create(agency=police, name="HQ", latitude=42.07, longitude=-72.61)
    for n in range(3):
        services.unit_create(actor=ACTOR, season=season, agency=police, kind="police",
                             name=f"Car {n + 1}", shift_start=dt.time(16, 30),
                             shift_end=dt.time(21, 30), start_station=station)
    for i in range(parties):
        event = Event(
            season=season, title=f"Party {i}", address=f"{i} Elm Street",
            latitude=42.05 + 0.002 * (i % 20), longitude=-72.63 + 0.003 * (i // 20),
            starts_at=season.starts_at, ends_at=season.ends_at, status=EventStatus.APPROVED,
            submitted_at=season.at(dt.date(2027, 7, 1), dt.time(9)) + dt.timedelta(minutes=i))
        public_point_refresh(event)
        event.save()
        VisitRequest.objects.create(event=event, unit_kind="police",
                                    requested_at=event.submitted_at)
    return {"season": season.slug}


def build(seconds: int) -> dict:
    version = services.version_queue_build(actor=ACTOR, season=Season.objects.get(slug=SLUG),
                                           seconds=seconds)
    return {"version": version.pk, "number": version.number}


def lock(version_id: int) -> dict:
    version = PlanVersion.objects.get(pk=version_id)
    for kind in {f.kind for f in version_checks(version)}:
        services.check_accept(actor=ACTOR, version=version, kind=kind)
    services.version_lock(actor=ACTOR, version=PlanVersion.objects.get(pk=version_id))
    return {"locked": version_id}


def detect(later: float) -> dict:
    failed = services.versions_fail_stale(now=timezone.now() + dt.timedelta(seconds=later))
    return {"failed": [v.pk for v in failed]}


def retry(version_id: int, seconds: int) -> dict:
    # A short budget this time, to keep the test short.
    PlanVersion.objects.filter(pk=version_id).update(time_budget=seconds)
    version = services.version_retry(actor=ACTOR, version=PlanVersion.objects.get(pk=version_id))
    return {"version": version.pk, "status": version.status}


def register_when_told() -> dict:
    """A host's registration, made when the test says so (after it has locked the database)."""
    from django.db import connection

    season = Season.objects.get(slug=SLUG)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    options = connection.settings_dict["OPTIONS"]
    print("ready", flush=True)
    sys.stdin.readline()
    print("writing", flush=True)
    started = time.time()
    event = event_register(season=season, deadlines=False, actor=ACTOR, data=EventInput(
        title="Maple Street Block Party", address="5 Maple Street", postal_code="01001",
        latitude=42.071, longitude=-72.612, starts=dt.time(17), ends=dt.time(20),
        host=HostInput(name="Pat Host", email="pat@example.org", phone="413-555-0100")))
    return {"event": event.pk, "started": started, "done": time.time(), "journal_mode": journal,
            "transaction_mode": options.get("transaction_mode"), "timeout": options.get("timeout")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step")
    parser.add_argument("--parties", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=1)
    parser.add_argument("--version", type=int)
    parser.add_argument("--later", type=float, default=0)
    args = parser.parse_args()
    result = {
        "town": lambda: town(args.parties),
        "build": lambda: build(args.seconds),
        "lock": lambda: lock(args.version),
        "detect": lambda: detect(args.later),
        "retry": lambda: retry(args.version, args.seconds),
        "register-when-told": register_when_told,
    }[args.step]()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
