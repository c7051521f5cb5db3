"""No host's name, email or phone and no town's note in any response of the API, and no
private home's address in a public one. Every operation of the served description is called."""

import re

import pytest

from tests.api.conftest import HOME_ADDRESS, HOST_EMAIL, HOST_PHONE, TOWN_NOTE

pytestmark = pytest.mark.django_db


def test_no_operation_shows_a_hosts_contact(client, parties, locked_plan, units, bearer):
    home = parties["home"]
    public = {
        "/api/events": [{"when": "all"}, {"q": "Elm Street", "when": "all"},
                        {"near": f"{home.latitude},{home.longitude}", "when": "all"}],
        "/api/events/{event_id}": [{"event_id": e.pk} for e in parties.values()],
        "/api/seasons": [{}],
        "/api/seasons/{slug}": [{"slug": "agawam-2017"}, {"slug": "agawam-2030"}],
    }
    agency = {
        "/api/agency/units": [{}],
        "/api/agency/units/{unit_id}/itinerary": [{"unit_id": u.pk} for u in units.values()],
        "/api/agency/seasons/{slug}/plan": [{"slug": "agawam-2017"}],
    }
    responses = {}
    for group, headers in ((public, {}), (agency, bearer)):
        for template, calls in group.items():
            for params in calls:
                path = template.format(**params)
                query = {} if path != template else params
                responses[(template, path, str(query))] = client.get(path, query, **headers)
    registered = client.post(
        "/api/seasons/agawam-2030/registrations", content_type="application/json",
        data={"title": "Maple Party", "address": "12 Maple Street", "latitude": 42.07,
              "longitude": -72.615, "starts": "17:00", "ends": "20:00",
              "host": {"name": "Pat Host", "email": HOST_EMAIL, "phone": HOST_PHONE}})
    refused = client.post(
        "/api/seasons/agawam-2030/registrations", content_type="application/json",
        data={"title": "", "address": "12 Maple Street", "starts": "17:00", "ends": "16:00",
              "host": {"name": "Pat Host", "email": HOST_EMAIL, "phone": HOST_PHONE}})
    assert registered.status_code == 201 and refused.status_code == 422

    served = client.get("/api/openapi.json").json()["paths"]
    assert {t for t, _, _ in responses} | {"/api/seasons/{slug}/registrations"} == set(served)
    for (_, path, _), response in responses.items():
        assert response.status_code in (200, 404), path
    for key, response in [*responses.items(), ("register", registered), ("refused", refused)]:
        text = response.content.decode()
        for secret in (HOST_EMAIL, HOST_PHONE, "Pat Host", TOWN_NOTE, "4411"):
            assert secret not in text, (key, secret)
        if not str(key[0]).startswith("/api/agency/"):
            assert HOME_ADDRESS not in text and "1234 Elm" not in text, key
            exact = [re.search(rf"{re.escape(str(v))}(?!\d)", text)
                     for v in (home.latitude, home.longitude)]
            assert not all(exact), key


def test_an_agency_sees_addresses_only_on_its_own_itineraries(client, locked_plan, units,
                                                              bearer):
    """As on the crew's run sheet: where to go. Still no host contact."""
    texts = [client.get(f"/api/agency/units/{u.pk}/itinerary", **bearer).content.decode()
             for u in (units["Car 1"], units["Car 2"])]
    assert any(HOME_ADDRESS in t for t in texts)
