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


def test_a_riding_crew_taps_the_stops_of_the_car_it_rides_in_by_the_rule_the_page_shows(
        client, season, units, parties, trooper):
    """The page shows the buttons by the rule the service applies: the trooper's crew reports
    the stops of the car it rides in, and only those (another car's stop is refused)."""
    from nightout.errors import NotAllowed
    from nightout.registry.actors import Actor
    from nightout.visits.models import StopStatus
    from nightout.visits.services import stop_report

    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    crew = User.objects.create_user("trooper", password="pw")
    Membership.objects.create(user=crew, role=Role.CREW, agency=trooper.agency)
    client.force_login(crew)
    page = client.get(reverse("visits:phone", args=[season.slug, trooper.pk])).content.decode()
    assert 'value="done">Done</button>' in page and "riding along with Car 1" in page
    stop = version.stops.filter(unit=units[0]).order_by("order").first()
    response = client.post(reverse("visits:report", args=[stop.pk]),
                           {"status": "done", "unit": str(trooper.pk)})
    assert response.status_code == 302
    stop.refresh_from_db()
    assert stop.status == StopStatus.DONE
    other = version.stops.exclude(unit=units[0]).first()
    with pytest.raises(NotAllowed):
        stop_report(actor=Actor.of(crew), stop_id=other.pk, status="done")


def test_a_crew_whose_unit_is_taken_out_is_told_so_and_whom_to_call(
        client, season, units, parties, coordinator, police):
    from nightout.visits.services import unit_set_active

    version_queue_build(actor=SYSTEM, season=season, seconds=1)
    unit_set_active(actor=SYSTEM, unit=units[1], active=False)
    crew = User.objects.create_user("carla", password="pw")
    Membership.objects.create(user=crew, role=Role.CREW, agency=police)
    coordinator.email = "casey@agawam.example"
    coordinator.save()
    client.force_login(crew)
    page = client.get(reverse("visits:phone", args=[season.slug, units[1].pk])).content.decode()
    assert "Your unit is not going out tonight" in page
    assert 'href="mailto:casey@agawam.example"' in page
    shown = client.get(reverse("visits:phone", args=[season.slug, units[0].pk])).content.decode()
    assert "not going out" not in shown and "Directions</a>" in shown and "geo:" in shown
    assert season.nno_date.strftime("%-d %B %Y") in shown


def test_a_crew_member_opens_their_units_phone_view_from_the_list(client, season, units,
                                                                    police):
    """Among many units, "Your unit" leads straight to one's phone view; a unit the crew may
    not see is not offered, and asking for it opens nothing."""
    for n in range(3, 8):
        unit_create(actor=SYSTEM, season=season, agency=police, kind="police", name=f"Car {n}",
                    shift_start=dt.time(17), shift_end=dt.time(21),
                    start_station=police.stations.get())
    crew = User.objects.create_user("carla", password="pw")
    Membership.objects.create(user=crew, role=Role.CREW, agency=police)
    client.force_login(crew)
    url = reverse("visits:units", args=[season.slug])
    page = client.get(url).content.decode()
    assert "Open its phone view" in page and "Engine 1" not in page
    car = units[1]
    assert client.get(url, {"open": car.pk})["Location"] == reverse(
        "visits:phone", args=[season.slug, car.pk])
    assert client.get(url, {"open": units[2].pk}).status_code == 200  # the engine: not theirs
