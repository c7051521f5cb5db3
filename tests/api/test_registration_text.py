"""POST /api/seasons/{slug}/registrations with bad text: a 422 naming the field, never a 500.

The JSON body is sent as its bytes, so that a lone surrogate ("\\ud800", which JSON may
write but no UTF-8 text can hold) reaches the server as a client would send it."""

import json

import pytest

from nightout.registry.models import Event
from tests.unicode_text import ORDINARY

pytestmark = pytest.mark.django_db

# Every text field of the request, as the API names it; the multi-line ones keep line breaks.
ONE_LINE = ["title", "venue", "address", "postal_code", "host.name", "host.email",
            "host.phone", "host.organization", "closure.street", "closure.from_street",
            "closure.to_street"]
MULTI_LINE = ["description", "accessibility_notes"]
# Text fields with a pattern or a list of choices; bad text is refused by them.
SHAPED = ["kind", "starts", "ends", "visit_time", "rain_date", "activities.0", "visits.0"]
REFUSED = {"\\ud800": "U+D800", "\\udfff": "U+DFFF", "\\u000b": "U+000B",
           "\\u0000": "U+0000", "\\u0085": "U+0085", "\\uffff": "U+FFFF"}


def registration():
    return {
        "title": "Elm Street Block Party", "address": "120 Elm Street", "postal_code": "01001",
        "latitude": 42.0702, "longitude": -72.6155, "starts": "17:00", "ends": "20:30",
        "visit_time": "18:00", "activities": ["music"], "visits": ["police"],
        "host": {"name": "Pat Host", "email": "pat@example.org", "phone": "413-555-0100"},
        "closure": {"street": "Elm Street", "consent": True},
    }


def with_text(data: dict, name: str, marker: str) -> dict:
    parts = name.split(".")
    target = data
    for part in parts[:-1]:
        target = target[part]
    last = parts[-1]
    if last.isdigit():
        target[int(last)] = marker
    else:
        target[last] = marker
    return data


def post(client, data: dict, raw: dict[str, str] | None = None, slug="agawam-2030"):
    """`raw`: markers in the JSON to replace with JSON escapes, such as a lone surrogate."""
    body = json.dumps(data)
    for marker, escape in (raw or {}).items():
        body = body.replace(marker, escape)
    return client.post(f"/api/seasons/{slug}/registrations", body.encode(),
                       content_type="application/json")


@pytest.mark.parametrize("escape", REFUSED)
@pytest.mark.parametrize("name", ONE_LINE + MULTI_LINE + SHAPED)
def test_bad_text_in_any_field_is_a_422_that_names_the_field(client, upcoming, music, name,
                                                             escape):
    data = with_text(registration(), name, "Elm MARK")
    response = post(client, data, raw={"MARK": escape + "Street"})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert list(errors) == [name], errors
    if name not in SHAPED and name != "host.email":
        assert any(f"({REFUSED[escape]})" in e and "at position 5;" in e for e in errors[name])
    assert not Event.objects.exists()


@pytest.mark.parametrize("escape", ["\\n", "\\t", "\\u2028"])
@pytest.mark.parametrize("name", ONE_LINE)
def test_a_line_break_or_tab_in_a_one_line_field_is_refused(client, upcoming, music, name,
                                                            escape):
    response = post(client, with_text(registration(), name, "Elm MARKStreet"),
                    raw={"MARK": escape})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [name]


def test_line_breaks_in_a_description_are_kept_and_normalised(client, upcoming, music):
    data = registration() | {"description": "Food\r\n\tMusic",
                             "accessibility_notes": "Ramp\rSeats"}
    response = post(client, data)
    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert (event.description, event.accessibility_notes) == ("Food\n\tMusic", "Ramp\nSeats")


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_in_any_script_registers(client, upcoming, music, text):
    data = registration() | {"title": text, "venue": text, "description": f"{text}\n{text}"}
    data["host"]["name"] = data["closure"]["street"] = text
    response = post(client, data)
    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert event.title == event.venue == event.host_contact.name == text
    assert response.json()["title"] == text
