"""The API against its own served description: schemathesis reads /api/openapi.json from the
app and throws generated requests (valid and not) at every operation, the agency ones with a
valid token, on a town with parties, units and a locked plan. No response may be a server
error, and every response must be one the description declares; a request the description
allows must not be refused as invalid (422), and one it does not allow must be refused.

Generated slugs and ids rarely name a real row, so half the time a case is pointed at a real
season, event, unit or filter, and half the registrations are a valid one with up to two
generated fields: the searches, pages, itineraries and the registration service all see real
work."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.test_registration import registration

EXAMPLES = 40
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
REGISTRATION = "POST /api/seasons/{slug}/registrations"
# Messages that say a field is not of its form: a request the description allows must never
# get one (the season's own rules, such as hours or a pin outside the town, may refuse it).
FORM_MESSAGES = ("This field is required", "Ensure this value", "Enter a valid",
                 "Enter a whole number", "Enter a number", "contains a control character",
                 "contains a line break", "contains a tab", "non-character",
                 "surrogate pair", "String should", "Input should", "Give the date",
                 "There is no day")

# Read from the served app (the description needs no database). Its own examples are sent
# by a test of their own (schemathesis does not mix them with the generated cases).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
schema.config.phases.examples.enabled = False
examples = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def app_in_test_transaction():
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction (on PostgreSQL); Django's own test client keeps it open the same
    way, by not listening for the end of a request meanwhile."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def town(db, settings, parties, units, app_in_test_transaction):
    """Real values to point generated cases at."""
    # Generated registrations should meet the form, not the rate limit.
    settings.REGISTRATION_RATE = "100000/h"
    return {"slug": ["agawam-2017", "agawam-2030"],
            "event_id": [e.pk for e in parties.values()],
            "unit_id": [u.pk for u in units.values()],
            "season": ["agawam-2017", "agawam-2030"], "town": ["agawam"],
            "when": ["all", "2017", "upcoming"], "activity": ["music"]}


def aim_at_real_rows(case, data, town) -> None:
    if not case.meta.generation.mode.is_positive:
        return  # a case made not to fit must stay so
    for parameters in (case.path_parameters, case.query):
        for name in list(parameters or {}):
            if name in town and not data.draw(st.booleans(), label=f"generated {name}"):
                parameters[name] = data.draw(st.sampled_from(town[name]))
    if case.method == "POST" and isinstance(case.body, dict) and case.body \
            and not data.draw(st.booleans(), label="generated registration"):
        kept = data.draw(st.lists(st.sampled_from(sorted(case.body)), max_size=2, unique=True),
                         label="generated fields kept")
        case.body = {**registration(), **{k: case.body[k] for k in kept}}


@schema.parametrize()
@schema.given(data=st.data())
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_generated_request_makes_a_server_error(case, data, town, police_token, request):
    if case.operation.path.startswith("/api/agency/"):
        request.getfixturevalue("locked_plan")  # solved once per operation that reads it
    aim_at_real_rows(case, data, town)
    # The agency's valid token, unless the case is one made without any token.
    without = not case.meta.generation.mode.is_positive and "Authorization" not in (
        case.headers or {})
    response = case.call_and_validate(
        # Uncompressed: the WSGI transport hands the body over as sent, without undoing gzip.
        headers={"Accept-Encoding": "identity"} if without else {
            "Authorization": f"Bearer {police_token}", "Accept-Encoding": "identity"},
        checks=CHECKS,
        # As a web server gives it: the rate limit counts per connection.
        environ_base={"REMOTE_ADDR": "192.0.2.1"})
    if case.meta.generation.mode.is_positive:
        the_description_allowed_it(case, response)


def the_description_allowed_it(case, response) -> None:
    """A request that fits the description is not refused as invalid; a registration may
    be, by the season's rules, which no description can hold, but never for a field's form."""
    if case.operation.label == REGISTRATION and response.status_code == 422:
        errors = response.json()["errors"]
        messages = [f"{k}: {m}" for k, ms in errors.items() for m in ms]
        assert not [m for m in messages if any(f in m for f in FORM_MESSAGES)], \
            (json.dumps(case.body), messages)
    else:
        assert response.status_code != 422, (case.path_parameters, case.query, case.body,
                                              response.json())


@examples.parametrize()
@settings(phases=[Phase.explicit], deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_descriptions_own_examples_are_answered_as_it_says(case, town, police_token):
    """Each operation's example request (its parameters' and body's examples) is taken, and
    answered with a status and shape the description declares."""
    case.call_and_validate(headers={"Authorization": f"Bearer {police_token}",
                                     "Accept-Encoding": "identity"},
                           checks=[*CHECKS, positive_data_acceptance],
                           environ_base={"REMOTE_ADDR": "192.0.2.2"})


def test_the_description_is_openapi_and_names_the_token(client, db):
    description = client.get("/api/openapi.json").json()
    assert description["openapi"].startswith("3.")
    schemes = description["components"]["securitySchemes"]
    assert schemes == {"AgencyTokenAuth": {"type": "http", "scheme": "bearer"}}
    agency_ops = [op for path, ops in description["paths"].items()
                  if path.startswith("/api/agency/") for op in ops.values()]
    assert agency_ops and all(op["security"] == [{"AgencyTokenAuth": []}]
                              for op in agency_ops)
