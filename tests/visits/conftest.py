import datetime as dt

import pytest

from nightout.accounts.models import Membership, Role, User
from nightout.registry.actors import Actor
from nightout.registry.models import EventStatus, LocationPrecision, VisitRequest
from nightout.visits.services import unit_create

SYSTEM = Actor.system("test")


@pytest.fixture(autouse=True)
def one_planner_process(settings):
    settings.PLANNER_WORKERS = 1


@pytest.fixture
def units(season, police, fire):
    """Two police cars (one kept to district North) and one engine, 16:30-21:30."""
    made = []
    for agency, kind, name, district in ((police, "police", "Car 1", ""),
                                         (police, "police", "Car 2", "North"),
                                         (fire, "fire", "Engine 1", "")):
        made.append(unit_create(actor=SYSTEM, season=season, agency=agency, kind=kind, name=name,
                                shift_start=dt.time(16, 30), shift_end=dt.time(21, 30),
                                start_station=agency.stations.get(), district=district))
    return made


@pytest.fixture
def parties(make_event, season):
    """Six approved parties around town, each asking for police, half also for fire."""
    events = []
    for i in range(6):
        event = make_event(
            title=f"Party {i}", latitude=42.06 + 0.004 * i, longitude=-72.62 + 0.003 * i,
            status=EventStatus.APPROVED, district="North" if i < 3 else "South",
            submitted_at=season.at(dt.date(2017, 7, 1), dt.time(9, i)),
            location_precision=LocationPrecision.POSTAL_CODE if i == 5 else "address",
        )
        VisitRequest.objects.create(event=event, unit_kind="police",
                                    requested_at=event.submitted_at)
        if i % 2 == 0:
            VisitRequest.objects.create(event=event, unit_kind="fire",
                                        requested_at=event.submitted_at)
        events.append(event)
    return events


@pytest.fixture
def liaison(police):
    """Lee, the liaison of Agawam's police."""
    user = User.objects.create_user("lee", password="pw")
    Membership.objects.create(user=user, role=Role.AGENCY_LIAISON, agency=police)
    return user
