"""A small town's data for the API: approved parties (one at a private home, one in a park),
an upcoming season open for registration, two agencies with units, a locked plan, and an
agency token."""

import datetime as dt

import pytest
from django.core.cache import cache

from nightout.api.services import agency_token_create
from nightout.registry.models import (
    Activity,
    EventAgency,
    EventStatus,
    HostContact,
    VisitRequest,
)
from nightout.registry.services import Actor, season_create
from nightout.visits.selectors import version_checks
from nightout.visits.services import check_accept, unit_create, version_lock, version_queue_build

SYSTEM = Actor.system("test")
HOST_EMAIL = "pat.private@example.org"
HOST_PHONE = "413-555-0199"
HOME_ADDRESS = "1234 Elm Street, Agawam, MA"
TOWN_NOTE = "Town note: the gate code is 4411"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture(autouse=True)
def one_planner_process(settings):
    settings.PLANNER_WORKERS = 1


@pytest.fixture
def upcoming(jurisdiction):
    """Agawam 2030: registration open, closures with 75 % consent, a next-day rain date."""
    return season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030",
                         neighbor_consent_percent=75, rain_date_rule="next_day")


@pytest.fixture
def music(db):
    return Activity.objects.get_or_create(slug="music", defaults={"name": "Music"})[0]


@pytest.fixture
def parties(make_event, season, upcoming, music, police):
    """Approved parties in 2017 (a private home, a park) and in 2030, each with a host's
    private contact, the town's private notes and a request for a police visit; one
    submitted party, not public."""
    made = {}
    for key, fields in {
        "home": {"title": "Elm Street Block Party", "address": HOME_ADDRESS,
                 "block_key": "1200 elm st", "postal_code": "01001",
                 "latitude": 42.0712, "longitude": -72.6131, "is_private_home": True},
        "park": {"title": "Night Out in the Park", "address": "45 Main Street, Agawam, MA",
                 "venue": "School Street Park", "block_key": "0 main st",
                 "latitude": 42.0650, "longitude": -72.6200, "is_private_home": False},
        "next": {"title": "Oak Street Cookout", "address": "300 Oak Street, Agawam, MA",
                 "block_key": "300 oak st", "latitude": 42.0680, "longitude": -72.6100,
                 "season": upcoming},
        "waiting": {"title": "Not Yet Approved", "status": EventStatus.SUBMITTED},
    }.items():
        fields.setdefault("status", EventStatus.APPROVED)
        fields.setdefault("coordinator_notes", TOWN_NOTE)
        event = make_event(**fields)
        HostContact.objects.create(event=event, name="Pat Host", email=HOST_EMAIL,
                                   phone=HOST_PHONE)
        VisitRequest.objects.create(event=event, unit_kind="police",
                                    requested_at=event.submitted_at)
        made[key] = event
    made["home"].activities.add(music)
    EventAgency.objects.create(event=made["park"], agency=police)
    return made


@pytest.fixture
def units(season, police, fire):
    """Two police cars and a fire engine in Agawam 2017."""
    made = {}
    for agency, kind, name in ((police, "police", "Car 1"), (police, "police", "Car 2"),
                               (fire, "fire", "Engine 1")):
        made[name] = unit_create(actor=SYSTEM, season=season, agency=agency, kind=kind,
                                 name=name, shift_start=dt.time(16, 30),
                                 shift_end=dt.time(21, 30), start_station=agency.stations.get())
    return made


@pytest.fixture
def locked_plan(season, parties, units):
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    for finding in version_checks(version):
        check_accept(actor=SYSTEM, version=version, key=finding.key)
    return version_lock(actor=SYSTEM, version=version)


@pytest.fixture
def police_token(police):
    """The token itself, as the agency's software sends it."""
    return agency_token_create(agency=police, name="Dispatch console")[1]


@pytest.fixture
def bearer(police_token):
    return {"HTTP_AUTHORIZATION": f"Bearer {police_token}"}
