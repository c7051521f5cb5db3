"""An agency's units, itineraries and the season's locked plan, with its token: its own
units only."""

import pytest

from nightout.api.services import agency_token_create
from nightout.visits.models import Stop

pytestmark = pytest.mark.django_db


def test_an_agency_lists_only_its_own_units(client, units, bearer):
    body = client.get("/api/agency/units", **bearer).json()
    assert [u["name"] for u in body] == ["Car 1", "Car 2"]
    assert body[0]["shift_start"] == "2017-08-01T16:30:00-04:00"
    assert body[0]["season"] == "agawam-2017" and body[0]["start_station"] == "HQ"


def test_units_by_season(client, units, bearer):
    assert client.get("/api/agency/units", {"season": "agawam-2030"}, **bearer).json() == []


def test_an_itinerary_gives_the_units_stops_in_order_in_the_towns_zone(
        client, locked_plan, units, bearer):
    visited = []
    for car in (units["Car 1"], units["Car 2"]):
        body = client.get(f"/api/agency/units/{car.pk}/itinerary", **bearer).json()
        stops = list(Stop.objects.filter(version=locked_plan, unit=car).order_by("order"))
        assert body["version"] == locked_plan.number and body["locked"] is True
        assert [s["event"]["id"] for s in body["stops"]] == [s.event_id for s in stops]
        for stop in body["stops"]:
            assert stop["start"].endswith("-04:00")
            assert stop["arrival"] <= stop["start"] <= stop["departure"]
        visited += [s["event"]["title"] for s in body["stops"]]
    # The two approved 2017 parties asked for police; the submitted one is not planned.
    assert sorted(visited) == ["Elm Street Block Party", "Night Out in the Park"]


def test_an_itinerary_says_which_unit_made_a_visit_it_was_given_after_the_fact(
        client, locked_plan, units, bearer):
    stop = (Stop.objects.filter(version=locked_plan, unit__name__startswith="Car")
            .order_by("unit_id", "order").first())
    car, other = stop.unit, units["Car 2" if stop.unit.name == "Car 1" else "Car 1"]
    Stop.objects.filter(pk=stop.pk).update(status="done", done_by=other)
    body = client.get(f"/api/agency/units/{car.pk}/itinerary", **bearer).json()
    made = {s["event"]["id"]: (s["status"], s["done_by"]) for s in body["stops"]}
    assert made.pop(stop.event_id) == ("done", other.name)
    assert all(by is None for _, by in made.values())
    Stop.objects.filter(pk=stop.pk).update(done_by=car)  # made by its own crew
    body = client.get(f"/api/agency/units/{car.pk}/itinerary", **bearer).json()
    assert [s["done_by"] for s in body["stops"]] == [None] * len(body["stops"])


def test_another_agencys_unit_is_not_found(client, units, bearer):
    engine = units["Engine 1"]
    response = client.get(f"/api/agency/units/{engine.pk}/itinerary", **bearer)
    assert response.status_code == 404
    assert response.json()["detail"] == "No such unit of your agency."


def test_the_fire_departments_token_reads_the_engine_only(client, units, fire):
    raw = agency_token_create(agency=fire, name="Fire dispatch")[1]
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/agency/units/{units['Engine 1'].pk}/itinerary",
                      **header).status_code == 200
    assert client.get(f"/api/agency/units/{units['Car 1'].pk}/itinerary",
                      **header).status_code == 404


def test_the_locked_plan_gives_its_figures_and_the_agencys_units(client, locked_plan, bearer):
    body = client.get("/api/agency/seasons/agawam-2017/plan", **bearer).json()
    assert body["version"] == locked_plan.number
    assert body["parties_reached"] == locked_plan.parties_reached
    assert body["locked_at"].endswith(("-04:00", "-05:00"))
    counts = {u["unit"]: u["stops"] for u in body["your_units"]}
    assert set(counts) == {"Car 1", "Car 2"}
    assert sum(counts.values()) == Stop.objects.filter(version=locked_plan,
                                                       unit__agency__slug="agawam-police").count()


def test_without_a_locked_plan_there_is_none(client, units, bearer):
    response = client.get("/api/agency/seasons/agawam-2017/plan", **bearer)
    assert response.status_code == 404


def test_a_season_where_the_agency_has_no_units_shows_no_plan(client, locked_plan, fire,
                                                               upcoming, bearer):
    assert client.get("/api/agency/seasons/agawam-2030/plan", **bearer).status_code == 404


def test_before_any_plan_an_itinerary_is_empty(client, units, bearer):
    body = client.get(f"/api/agency/units/{units['Car 1'].pk}/itinerary", **bearer).json()
    assert body == {**body, "version": None, "locked": False, "stops": []}


def test_units_itineraries_and_the_plan_cost_a_fixed_number_of_queries(
        client, locked_plan, units, bearer, django_assert_max_num_queries):
    """The token (and noting its use), then the rows, whatever the number of stops."""
    with django_assert_max_num_queries(4):
        assert client.get("/api/agency/units", **bearer).status_code == 200
    for car in (units["Car 1"], units["Car 2"]):
        with django_assert_max_num_queries(5):
            client.get(f"/api/agency/units/{car.pk}/itinerary", **bearer)
    with django_assert_max_num_queries(7):
        client.get("/api/agency/seasons/agawam-2017/plan", **bearer)
