"""GET /api/seasons and /api/seasons/{slug}."""

import pytest

pytestmark = pytest.mark.django_db


def test_seasons_are_listed_newest_first_with_their_approved_events(client, parties):
    body = client.get("/api/seasons").json()
    assert [(s["slug"], s["approved_events"]) for s in body] == [("agawam-2030", 1),
                                                                  ("agawam-2017", 2)]
    assert body[1]["date"] == "2017-08-01"
    assert body[1]["starts_at"] == "2017-08-01T17:00:00-04:00"


def test_a_season_gives_the_rules_a_registration_meets(client, upcoming):
    body = client.get("/api/seasons/agawam-2030").json()
    assert body["registration_open"] is True and body["registration_closed_because"] == ""
    assert body["neighbor_consent_percent"] == 75 and body["rain_date_rule"] == "next_day"
    assert {"kind": "police", "label": "Police officers"} in body["visit_kinds"]
    assert any(a["slug"] == "music" for a in body["activities"])
    assert body["earliest_start"].endswith("-04:00")


def test_a_past_season_says_why_it_takes_no_registrations(client, season):
    body = client.get("/api/seasons/agawam-2017").json()
    assert body["registration_open"] is False and "is over" in body["registration_closed_because"]


def test_an_unknown_season_is_not_found(client, db):
    response = client.get("/api/seasons/nowhere-1999")
    assert response.status_code == 404 and response.json()["detail"] == "No such season."
