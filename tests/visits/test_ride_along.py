import datetime as dt

import pytest
from django.urls import reverse

from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import Agency, AgencyKind
from nightout.visits import adapter
from nightout.visits.services import unit_create, version_queue_build
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def trooper(season, units):
    state = Agency.objects.create(name="Massachusetts State Police", slug="msp",
                                  kind=AgencyKind.STATE_POLICE)
    return unit_create(actor=SYSTEM, season=season, agency=state, kind="outside_agency",
                       name="Trooper 1", shift_start=dt.time(16, 30), shift_end=dt.time(21, 30),
                       start_station=units[0].start_station, ride_along_with=units[0])


def test_an_outside_agency_riding_along_is_not_planned_but_follows_its_unit(
        client, season, units, parties, trooper):
    assert str(trooper.pk) not in adapter.build_problem(season).unit_by_id()
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    liaison = User.objects.create_user("msp", password="pw")
    Membership.objects.create(user=liaison, role=Role.AGENCY_LIAISON, agency=trooper.agency)
    client.force_login(liaison)
    page = client.get(reverse("visits:phone", args=[season.slug, trooper.pk])).content.decode()
    for stop in version.stops.filter(unit=units[0]):
        assert stop.event.title in page
    assert client.get(reverse("visits:phone", args=[season.slug, units[1].pk])).status_code == 403
