"""A unit's details are changed from the units page; the next plan uses them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import AuditEntry, Station
from nightout.visits.models import Unit
from nightout.visits.services import unit_delete, unit_update, version_queue_build
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def _form(unit, **changes):
    data = {"agency": unit.agency_id, "kind": unit.kind, "name": unit.name,
            "shift_start": unit.shift_start.strftime("%H:%M"),
            "shift_end": unit.shift_end.strftime("%H:%M"),
            "start_station": unit.start_station_id, "end_station": unit.end_station_id,
            "district": unit.district, "max_stops": unit.max_stops or "",
            "ride_along_with": unit.ride_along_with_id or ""}
    data.update(changes)
    return data


def test_the_coordinator_changes_a_units_shift_and_the_next_plan_keeps_to_it(
        client, coordinator, season, units, parties):
    car = units[0]
    client.force_login(coordinator)
    page = client.get(reverse("visits:units", args=[season.slug])).content.decode()
    edit = reverse("visits:unit_edit", args=[season.slug, car.pk])
    assert f'href="{edit}"' in page
    assert 'value="16:30"' in client.get(edit).content.decode()  # the form shows what it is

    other = Station.objects.create(agency=car.agency, name="Substation", latitude=42.08,
                                   longitude=-72.62)
    response = client.post(edit, _form(car, shift_start="18:00", shift_end="19:30",
                                       end_station=other.pk), follow=True)
    assert "Car 1 saved." in response.content.decode()
    car.refresh_from_db()
    assert (car.shift_start, car.shift_end, car.end_station) == (
        dt.time(18), dt.time(19, 30), other)
    entry = AuditEntry.objects.get(action="unit_update")
    assert entry.changes["shift_start"] == ["16:30:00", "18:00:00"]
    assert entry.changes["end_station"] == ["Agawam Police: HQ", "Agawam Police: Substation"]
    assert "name" not in entry.changes

    Unit.objects.filter(pk=units[1].pk).update(active=False)  # Car 1 is the one police car
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    zone = season.jurisdiction.zone
    stops = list(version.stops.filter(unit=car))
    assert stops
    assert all(timezone.localtime(s.arrival, zone).time() >= dt.time(18) for s in stops)
    assert all(timezone.localtime(s.departure, zone).time() <= dt.time(19, 30) for s in stops)

    # With a plan built, saving says that versions already built keep the old details.
    response = client.post(edit, _form(car, name="Car 1 (north)"), follow=True)
    assert "Versions already built keep the old details" in response.content.decode()


def test_a_shift_that_ends_before_it_starts_or_a_name_taken_is_refused_and_nothing_changes(
        client, coordinator, season, units):
    car = units[0]
    client.force_login(coordinator)
    edit = reverse("visits:unit_edit", args=[season.slug, car.pk])
    page = client.post(edit, _form(car, shift_start="21:00", shift_end="20:00"), follow=True)
    assert "The shift must end after it starts (21:00)" in page.content.decode()
    page = client.post(edit, _form(car, name="Car 2"), follow=True).content.decode()
    assert "already exists" in page
    car.refresh_from_db()
    assert (car.name, car.shift_start, car.shift_end) == ("Car 1", dt.time(16, 30), dt.time(21, 30))
    assert not AuditEntry.objects.filter(action="unit_update").exists()


def test_a_unit_others_ride_with_cannot_ride_along_itself(client, coordinator, season, units):
    car, car2 = units[0], units[1]
    Unit.objects.filter(pk=car2.pk).update(ride_along_with=car)
    client.force_login(coordinator)
    edit = reverse("visits:unit_edit", args=[season.slug, car.pk])
    page = client.get(edit).content.decode()
    choices = page.split('name="ride_along_with"')[1].split("</select>")[0]
    assert f'value="{car.pk}"' not in choices and f'value="{car2.pk}"' not in choices
    assert f'value="{units[2].pk}"' in choices
    with pytest.raises(ValidationError, match="Other units ride along with this one"):
        unit_update(actor=SYSTEM, unit=car, ride_along_with=units[2])
    with pytest.raises(ValidationError, match="cannot ride along with itself"):
        unit_update(actor=SYSTEM, unit=units[2], ride_along_with=units[2])


def test_an_agency_liaison_edits_its_own_units_only(client, season, units, police, fire):
    liaison = User.objects.create_user("lee", password="pw")
    Membership.objects.create(user=liaison, role=Role.AGENCY_LIAISON, agency=police)
    client.force_login(liaison)
    page = client.get(reverse("visits:units", args=[season.slug])).content.decode()
    assert reverse("visits:unit_edit", args=[season.slug, units[0].pk]) in page
    assert reverse("visits:unit_edit", args=[season.slug, units[2].pk]) not in page
    engine = units[2]
    response = client.post(reverse("visits:unit_edit", args=[season.slug, engine.pk]),
                           _form(engine, name="Engine 9"))
    assert response.status_code == 403
    engine.refresh_from_db()
    assert engine.name == "Engine 1"
    response = client.post(reverse("visits:unit_edit", args=[season.slug, units[0].pk]),
                           _form(units[0], max_stops=3))
    assert response.status_code == 302
    assert Unit.objects.get(pk=units[0].pk).max_stops == 3


def test_a_unit_added_by_mistake_is_removed_and_one_a_plan_has_stops_for_stays(
        client, coordinator, season, units, parties):
    car, car2, engine = units
    client.force_login(coordinator)
    edit = reverse("visits:unit_edit", args=[season.slug, engine.pk])
    assert "For a unit added by mistake" in client.get(edit).content.decode()
    response = client.post(edit, {"action": "remove"}, follow=True)
    assert "Engine 1 removed." in response.content.decode()
    assert not Unit.objects.filter(pk=engine.pk).exists()
    assert AuditEntry.objects.get(action="unit_delete").changes == {"unit": "Engine 1"}

    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    planned = version.stops.values_list("unit_id", flat=True).first()
    unit = Unit.objects.get(pk=planned)
    edit = reverse("visits:unit_edit", args=[season.slug, unit.pk])
    page = client.get(edit).content.decode()
    assert f"has stops in version {version.number} of the plan" in page
    assert 'value="remove"' not in page
    # The button is gone; a form sent anyway is refused, and the unit and its stops stay.
    response = client.post(edit, {"action": "remove"}, follow=True)
    assert "it cannot be removed" in response.content.decode()
    assert version.stops.filter(unit=unit).exists()
    assert not AuditEntry.objects.filter(action="unit_delete", changes__unit=unit.name).exists()


def test_a_unit_others_ride_with_is_not_removed(client, coordinator, season, units):
    car, car2 = units[0], units[1]
    Unit.objects.filter(pk=car2.pk).update(ride_along_with=car)
    client.force_login(coordinator)
    edit = reverse("visits:unit_edit", args=[season.slug, car.pk])
    assert "Car 2 rides along with Car 1: change or remove it first." in (
        client.get(edit).content.decode())
    response = client.post(edit, {"action": "remove"}, follow=True)
    assert "Car 2 rides along with Car 1: change or remove it first." in (
        response.content.decode())
    Unit.objects.filter(pk=units[2].pk).update(ride_along_with=car)
    with pytest.raises(ValidationError, match="Car 2, Engine 1 ride along with Car 1: change or "
                                              "remove them first."):
        unit_delete(actor=SYSTEM, unit=car)
    assert Unit.objects.filter(pk=car.pk).exists()


def test_a_unit_marked_as_not_going_out_is_left_out_of_the_next_build_until_it_goes_again(
        client, coordinator, season, units, parties):
    engine = units[2]
    client.force_login(coordinator)
    edit = reverse("visits:unit_edit", args=[season.slug, engine.pk])
    response = client.post(edit, {"action": "not_going"}, follow=True)
    assert "Engine 1 is marked as not going out" in response.content.decode()
    assert not Unit.objects.get(pk=engine.pk).active
    rebuilt = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    assert not rebuilt.stops.filter(unit=engine).exists()
    assert 'value="going"' in client.get(edit).content.decode()
    page = client.get(reverse("visits:units", args=[season.slug])).content.decode()
    assert "Engine 1 (not going out)" in page
    response = client.post(edit, {"action": "going"}, follow=True)
    assert "Engine 1 goes out again" in response.content.decode()
    rebuilt = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    assert rebuilt.stops.filter(unit=engine).exists()


def test_an_agency_liaison_cannot_remove_or_stand_down_another_agencys_unit(
        client, season, units, police):
    liaison = User.objects.create_user("lee", password="pw")
    Membership.objects.create(user=liaison, role=Role.AGENCY_LIAISON, agency=police)
    client.force_login(liaison)
    engine = units[2]
    for action in ("remove", "not_going"):
        response = client.post(reverse("visits:unit_edit", args=[season.slug, engine.pk]),
                               {"action": action})
        assert response.status_code == 403
    assert Unit.objects.get(pk=engine.pk).active
