"""What the API cannot find is answered by the project's one mapping of its errors
(`nightout.errors.NotFound` → 404), in the API's one shape: the detail, and no field's
messages."""

import pytest

from tests.api.test_registration import registration

pytestmark = pytest.mark.django_db


def test_every_thing_not_found_is_a_404_problem_with_its_message(client, units, bearer,
                                                                 upcoming):
    engine = units["Engine 1"]
    answers = [
        (client.get("/api/events/999999"), "No such public event."),
        (client.get("/api/seasons/nowhere-1999"), "No such season."),
        (client.post("/api/seasons/nowhere-1999/registrations", registration(),
                     content_type="application/json"), "No such season."),
        (client.get(f"/api/agency/units/{engine.pk}/itinerary", **bearer),
         "No such unit of your agency."),
        (client.get(f"/api/agency/seasons/{upcoming.slug}/plan", **bearer),
         "This season has no locked plan your agency is part of."),
    ]
    for response, detail in answers:
        assert response.status_code == 404, detail
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json() == {"detail": detail, "errors": {}}
