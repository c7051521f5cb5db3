"""GET /api/events and /api/events/{id}: the finder's search and event pages, as JSON."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_search_lists_approved_events_soonest_first_with_times_in_the_towns_zone(client, parties):
    body = client.get("/api/events", {"when": "all"}).json()
    titles = [e["title"] for e in body["results"]]
    assert titles == ["Elm Street Block Party", "Night Out in the Park", "Oak Street Cookout"]
    assert body["count"] == 3 and body["page"] == 1 and body["next_page"] is None
    first = body["results"][0]
    assert first["starts_at"] == "2017-08-01T17:00:00-04:00"
    assert first["town"] == {"slug": "agawam", "name": "Agawam", "state": "MA",
                             "time_zone": "America/New_York"}
    assert first["url"].endswith(f"/events/{parties['home'].pk}/")


def test_search_by_default_shows_only_upcoming_events(client, parties):
    body = client.get("/api/events").json()
    assert [e["title"] for e in body["results"]] == ["Oak Street Cookout"]


@pytest.mark.parametrize("params, titles", [
    ({"when": "2017"}, ["Elm Street Block Party", "Night Out in the Park"]),
    ({"season": "agawam-2030", "when": "all"}, ["Oak Street Cookout"]),
    ({"activity": "music", "when": "all"}, ["Elm Street Block Party"]),
    ({"date": "2017-08-01", "when": "all"}, ["Elm Street Block Party", "Night Out in the Park"]),
    ({"date": "2017-08-02", "when": "all"}, []),
    ({"q": "cookout", "when": "all"}, ["Oak Street Cookout"]),
    ({"town": "agawam", "when": "2017"}, ["Elm Street Block Party", "Night Out in the Park"]),
])
def test_search_filters(client, parties, params, titles):
    body = client.get("/api/events", params).json()
    assert [e["title"] for e in body["results"]] == titles


def test_search_near_a_point_is_ordered_by_distance_to_the_public_point(client, parties):
    park = parties["park"]
    body = client.get("/api/events", {"near": f"{park.latitude},{park.longitude}",
                                      "radius": 1, "when": "all"}).json()
    assert body["results"][0]["title"] == "Night Out in the Park"
    assert body["results"][0]["distance_m"] < 5
    assert all(e["distance_m"] <= 1609.344 for e in body["results"])


def test_search_pages_are_bounded(client, parties):
    body = client.get("/api/events", {"when": "all", "per_page": 2}).json()
    assert body["pages"] == 2 and body["next_page"] == 2 and len(body["results"]) == 2
    second = client.get("/api/events", {"when": "all", "per_page": 2, "page": 2}).json()
    assert [e["title"] for e in second["results"]] == ["Oak Street Cookout"]
    too_many = client.get("/api/events", {"per_page": 101})
    assert too_many.status_code == 422 and "per_page" in too_many.json()["errors"]


@pytest.mark.parametrize("params, field", [
    ({"town": "nowhere"}, "town"),
    ({"activity": "juggling"}, "activity"),
    ({"season": "nowhere-1999"}, "season"),
])
def test_search_names_a_filter_that_names_nothing_and_answers_not_found(client, parties,
                                                                        params, field):
    response = client.get("/api/events", params)
    assert response.status_code == 404
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize("params, field, message", [
    ({"radius": 3}, "radius", "Input should be"),
    ({"date": "first tuesday"}, "date", "Give the date as YYYY-MM-DD"),
    ({"date": "0"}, "date", "Give the date as YYYY-MM-DD"),
    ({"date": "1700000000"}, "date", "Give the date as YYYY-MM-DD"),
    ({"date": "2027-02-30"}, "date", "There is no day 2027-02-30"),
    ({"near": "91,0"}, "near", "String should match pattern"),
    ({"near": "42.1,-181"}, "near", "String should match pattern"),
    ({"near": "90.5,10"}, "near", "String should match pattern"),
    ({"when": "last year"}, "when", "String should match pattern"),
])
def test_search_refuses_what_is_not_well_formed_by_name(client, parties, params, field,
                                                        message):
    response = client.get("/api/events", params)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert list(errors) == [field] and message in errors[field][0]


def test_a_point_at_the_edge_of_the_globe_is_searched(client, parties):
    for near in ("90,180", "-90.0,-180.000", "0,0"):
        body = client.get("/api/events", {"near": near, "when": "all"}).json()
        assert body["count"] == 0, near


def test_a_year_without_events_finds_none(client, parties):
    body = client.get("/api/events", {"when": "1999"}).json()
    assert body["count"] == 0 and body["results"] == []


def test_search_costs_a_fixed_number_of_queries(client, parties, django_assert_max_num_queries):
    client.get("/api/events", {"when": "all"})  # warms the search form's cached choices
    with django_assert_max_num_queries(6):
        assert client.get("/api/events", {"when": "all"}).status_code == 200


def test_event_detail_shows_what_the_event_page_shows(client, parties, police):
    park = parties["park"]
    body = client.get(f"/api/events/{park.pk}").json()
    assert body["place"]["name"] == "School Street Park"
    assert body["place"]["street_address"] == "45 Main Street, Agawam, MA"
    assert body["agencies"] == [{"slug": "agawam-police", "name": "Agawam Police",
                                 "kind": "local_police"}]
    assert body["ends_at"] == "2017-08-01T21:00:00-04:00"
    assert body["calendar_url"].endswith(f"/events/{park.pk}.ics")


def test_a_private_home_is_shown_at_block_level(client, parties):
    home = parties["home"]
    place = client.get(f"/api/events/{home.pk}").json()["place"]
    assert place["name"] == "1200 block of Elm St" and place["street_address"] == ""
    assert place["at_block_level"] is True
    assert (place["latitude"], place["longitude"]) != (home.latitude, home.longitude)


@pytest.mark.parametrize("which", ["waiting", "missing"])
def test_an_event_that_is_not_public_is_not_found(client, parties, which):
    pk = parties["waiting"].pk if which == "waiting" else 999_999
    response = client.get(f"/api/events/{pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such public event."


def test_dates_are_dates(client, parties):
    body = client.get(f"/api/events/{parties['next'].pk}").json()
    assert dt.datetime.fromisoformat(body["starts_at"]).utcoffset() == dt.timedelta(hours=-4)


def test_the_last_day_a_date_can_name_finds_no_event_rather_than_failing(client):
    response = client.get("/api/events", {"date": "9999-12-31", "when": "all"})
    assert response.status_code == 200 and response.json()["results"] == []
