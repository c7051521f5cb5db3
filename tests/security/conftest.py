"""One small world for the security tests: Lakeport's coming season with its police and fire,
two approved parties (one the host's) and one waiting for approval, a plan with a stop, and
one user per role.

Lakeport and Chicopee are both in Western Massachusetts; Chicopee has a coordinator of its
own, who must see nothing of Lakeport's.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from nightout.accounts.models import Membership, Role, User
from nightout.registry.imports import batch_upload
from nightout.registry.links import manage_token
from nightout.registry.models import (
    Agency,
    AgencyKind,
    EventPhoto,
    HostReport,
    Jurisdiction,
    Region,
    Station,
)
from nightout.registry.services import (
    Actor,
    EventInput,
    HostInput,
    event_approve,
    event_register,
    season_create,
)
from nightout.surveys.tokens import survey_token
from nightout.visits.models import Plan, PlanVersion, Stop, VersionStatus
from nightout.visits.services import unit_create

SYSTEM = Actor.system("test")
ROLES = ("anonymous", "host", "crew", "liaison", "other_coordinator", "coordinator",
         "organizer", "admin")

# A 1x1 JPEG, for a host's photo.
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b"
    "0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432"
    "ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a"
    "0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191"
    "a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a53"
    "5455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5"
    "a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2"
    "f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)


def registration(title: str, address: str, n: int, **fields) -> EventInput:
    return EventInput(**{
        "title": title, "address": address, "postal_code": "55401",
        "latitude": 44.97 + 0.002 * n, "longitude": -93.26 - 0.002 * n,
        "starts": dt.time(17), "ends": dt.time(20, 30),
        "host": HostInput(name=f"Host {n}", email=f"host{n}@example.org", phone="612-555-0100"),
        **fields,
    })


@pytest.fixture(autouse=True)
def empty_cache():
    """The finder keeps pages and the rate limits keep counters in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PLANNER_WORKERS = 1
    year = timezone.now().year + 1
    region = Region.objects.create(name="Western Massachusetts", slug="western-massachusetts")
    lakeport = Jurisdiction.objects.create(
        name="Lakeport", slug="lakeport", state="MN", time_zone="America/Chicago",
        center_latitude=44.98, center_longitude=-93.27)
    chicopee = Jurisdiction.objects.create(
        name="Chicopee", slug="chicopee", state="MA", time_zone="America/New_York",
        center_latitude=42.15, center_longitude=-72.61)
    lakeport.regions.add(region)
    chicopee.regions.add(region)
    season = season_create(jurisdiction=lakeport, year=year, slug=f"lakeport-{year}")
    season_create(jurisdiction=chicopee, year=year, slug=f"chicopee-{year}")
    police = Agency.objects.create(name="Lakeport Police Department", slug="lakeport-pd",
                                   kind=AgencyKind.LOCAL_POLICE, jurisdiction=lakeport)
    fire = Agency.objects.create(name="Lakeport Fire Department", slug="lakeport-fire",
                                 kind=AgencyKind.FIRE, jurisdiction=lakeport)
    for agency in (police, fire):
        Station.objects.create(agency=agency, name="Station 1", latitude=44.98, longitude=-93.27)

    users = {}

    def user(name, role=None, **scope):
        users[name] = User.objects.create_user(name, password="pw")
        if role:
            Membership.objects.create(user=users[name], role=role, **scope)

    user("crew", Role.CREW, agency=police)
    user("liaison", Role.AGENCY_LIAISON, agency=police)
    user("other_coordinator", Role.COORDINATOR, jurisdiction=chicopee)
    user("coordinator", Role.COORDINATOR, jurisdiction=lakeport)
    user("organizer", Role.REGIONAL_ORGANIZER, region=region)
    users["admin"] = User.objects.create_superuser("admin", password="pw")

    registered = season.at(season.nno_date - dt.timedelta(days=30), dt.time(9))
    event = event_register(season=season, submitted_at=registered,
                           data=registration("Elm Street Block Party", "1200 Elm St", 1))
    other = event_register(season=season, submitted_at=registered,
                           data=registration("Oak Street Potluck", "400 Oak St", 2))
    event = event_approve(event=event, user=users["coordinator"])
    other = event_approve(event=other, user=users["coordinator"])
    waiting = event_register(season=season, submitted_at=registered,
                             data=registration("Pine Street Party", "700 Pine St", 3))

    car, engine = (
        unit_create(actor=SYSTEM, season=season, agency=agency, kind=kind, name=name,
                    shift_start=dt.time(16, 30), shift_end=dt.time(21, 30),
                    start_station=agency.stations.get())
        for agency, kind, name in ((police, "police", "Car 1"), (fire, "fire", "Engine 1")))
    version = PlanVersion.objects.create(
        plan=Plan.objects.create(season=season), number=1, status=VersionStatus.DONE,
        progress=100, feasible=True, started_at=timezone.now(), finished_at=timezone.now())
    at = season.at(season.nno_date, dt.time(18))
    stop = Stop.objects.create(version=version, unit=car, event=event, kind="police", order=1,
                               arrival=at, start=at, departure=at + dt.timedelta(minutes=20))

    report = HostReport.objects.create(event=event, attendance=40, submitted_at=timezone.now())
    photo = EventPhoto(report=report, uploaded_at=timezone.now())
    photo.image.save("night.jpg", ContentFile(JPEG), save=True)

    batch = batch_upload(season=season, actor=Actor.of(users["coordinator"]),
                         filename="parties.csv",
                         content=b"title,address,zip\nMaple Street Party,10 Maple St,55401\n")

    return SimpleNamespace(
        users=users, region=region, town=lakeport, other_town=chicopee, season=season,
        police=police, fire=fire, event=event, other_event=other, waiting=waiting, car=car,
        engine=engine,
        version=version, stop=stop, photo=photo, batch=batch,
        host_token=manage_token(event), survey_token=survey_token(event),
        waiting_survey_token=survey_token(waiting),
    )
