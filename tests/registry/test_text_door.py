"""Text at the door: every form, service and import of the registry refuses a control
character, half of a surrogate pair or a non-character, and a line break or tab in a
one-line field, with a message saying what to fix; and takes ordinary text in any script."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from nightout.registry import models
from nightout.registry.forms import (
    FeeTierForm,
    HostReportForm,
    ImportUploadForm,
    RegistrationForm,
    RejectForm,
    SeasonSettingsForm,
)
from nightout.registry.imports import events_import
from nightout.registry.links import manage_url
from nightout.registry.models import Event, EventStatus
from nightout.registry.services import (
    Actor,
    event_approve,
    event_cancel,
    event_register,
    event_reject,
    host_report_submit,
    season_create,
)
from tests.unicode_text import ORDINARY

pytestmark = pytest.mark.django_db

COMMAND_LINE = Actor.system("import")

# What the door refuses everywhere, and what it refuses in a one-line field only.
REFUSED = {"U+000B": "\x0b", "U+0000": "\x00", "U+D800": "\ud800", "U+0085": "\x85",
           "U+FFFE": "\ufffe"}
ONE_LINE_ONLY = {"U+000A": "\n", "U+0009": "\t", "U+2028": "\u2028"}


def _message_for(errors: list[str], code: str) -> bool:
    return any(f"({code})" in e and "at position 5;" in e for e in errors)


@pytest.fixture
def upcoming(jurisdiction):
    return season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030",
                         rain_date_rule="host_chooses")


def registration(**overrides):
    data = {
        "title": "Elm Street Block Party", "kind": "block_party", "address": "120 Elm Street",
        "postal_code": "01001", "latitude": "42.0702", "longitude": "-72.6155",
        "is_private_home": "on", "starts": "17:00", "ends": "20:30",
        "host_name": "Pat Host", "host_email": "pat@example.org", "host_phone": "413-555-0100",
        "closure": "on", "closure_street": "Elm Street",
    }
    data.update(overrides)
    return data


def text_fields(form):
    """The names of the form's text fields, one-line and multi-line."""
    from django import forms

    one, multi = [], []
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField) and name not in ("website",):
            (multi if isinstance(field.widget, forms.Textarea) else one).append(name)
    return one, multi


def bad(value: str) -> str:
    return f"Elm {value}Street"  # the bad character is at position 5


@pytest.mark.parametrize("code", [*REFUSED, *ONE_LINE_ONLY])
def test_the_registration_form_refuses_bad_text_in_every_text_field(upcoming, code):
    one, multi = text_fields(RegistrationForm(season=upcoming))
    assert {"title", "venue", "address", "host_name", "host_organization",
            "closure_street"} <= set(one)
    assert set(multi) == {"description", "accessibility_notes"}
    char = {**REFUSED, **ONE_LINE_ONLY}[code]
    for name in one + (multi if code in REFUSED else []):
        form = RegistrationForm(registration(**{name: bad(char)}), season=upcoming)
        assert not form.is_valid()
        assert _message_for(form.errors[name], code), (name, form.errors)
        assert "remove it and try again" in " ".join(form.errors[name]) or code in ONE_LINE_ONLY


def test_multi_line_fields_keep_line_breaks_and_tabs_and_normalise_them(upcoming):
    form = RegistrationForm(registration(description="Food\r\n\tMusic\rGames",
                                         accessibility_notes="Ramp\nSeats"), season=upcoming)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["description"] == "Food\n\tMusic\nGames"
    event = event_register(season=upcoming, data=form.to_input())
    assert event.description == "Food\n\tMusic\nGames"
    assert event.accessibility_notes == "Ramp\nSeats"


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_in_any_script_registers(client, upcoming, text):
    response = client.post(reverse("registry:register", args=[upcoming.slug]), registration(
        title=text, venue=text, description=f"{text}\n{text}", host_name=text,
        host_organization=text, closure_street=text))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert event.title == event.venue == event.host_contact.name == text
    assert event.description == f"{text}\n{text}"
    assert event.closures.get().street == text


def test_the_registration_page_shows_the_message_by_the_field_and_stores_nothing(client,
                                                                                 upcoming):
    response = client.post(reverse("registry:register", args=[upcoming.slug]),
                           registration(title="Block party\x0b on Elm"))
    assert response.status_code == 400 and not Event.objects.exists()
    assert ("This field contains a control character (U+000B) at position 12; remove it "
            "and try again.") in response.content.decode()


def test_the_hosts_edit_page_refuses_bad_text_and_keeps_the_event(client, upcoming):
    client.post(reverse("registry:register", args=[upcoming.slug]), registration())
    event = Event.objects.get()
    edit = reverse("registry:manage_edit", args=[manage_url(event).split("/")[2]])
    for field, value in (("title", "Elm\x0bParty"), ("description", "Food\x00"),
                         ("venue", "Park\nGate")):
        response = client.post(edit, registration(**{field: value}))
        assert response.status_code == 400
        assert "at position" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Elm Street Block Party" and event.description == ""
    client.post(edit, registration(title="Fête de la rue 🎉", description="Food\r\nMusic"))
    event.refresh_from_db()
    assert (event.title, event.description) == ("Fête de la rue 🎉", "Food\nMusic")


def test_a_cancel_reason_with_a_control_character_is_refused_and_the_event_stays(client,
                                                                                  upcoming):
    client.post(reverse("registry:register", args=[upcoming.slug]), registration())
    event = Event.objects.get()
    page = client.post(manage_url(event), {"action": "cancel", "reason": "Rain\x0b"},
                       follow=True).content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED
    assert "The reason contains a control character (U+000B) at position 5" in page
    with pytest.raises(ValidationError, match="U\\+D800"):
        event_cancel(event=event, actor=Actor.host(event), reason="Rain\ud800")
    client.post(manage_url(event), {"action": "cancel", "reason": "Rain,\nsorry 🌧"})
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.status_reason == "Rain,\nsorry 🌧"


@pytest.mark.parametrize("code", REFUSED)
def test_a_rejection_reason_with_bad_text_is_refused(season, event_input, coordinator, code,
                                                     mailoutbox):
    event = event_register(season=season, data=event_input(), deadlines=False,
                           actor=Actor.system("test"))
    form = RejectForm({"reason": bad(REFUSED[code])})
    assert not form.is_valid() and _message_for(form.errors["reason"], code)
    with pytest.raises(ValidationError) as caught:
        event_reject(event=event, user=coordinator, reason=bad(REFUSED[code]))
    assert _message_for(caught.value.message_dict["reason"], code)
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED and not mailoutbox
    assert RejectForm({"reason": "Too close to the highway.\nTry the park."}).is_valid()


def test_the_coordinators_reject_button_shows_the_message(client, season, event_input,
                                                          coordinator):
    event = event_register(season=season, data=event_input(), deadlines=False,
                           actor=Actor.system("test"))
    client.force_login(coordinator)
    url = reverse("registry:review_event", args=[season.slug, event.pk])
    page = client.post(url, {"decision": "reject", "reason": "No\x0bway"}, follow=True)
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED
    assert "at position 3" in page.content.decode()


@pytest.mark.parametrize(("name", "value"), [
    ("notes", "Call\x00 first"), ("permit_prefix", "AG\nX"), ("notes", "Call \ud800"),
])
def test_the_season_settings_refuse_bad_text(season, name, value):
    from tests.registry.test_season_settings import form_data

    form = SeasonSettingsForm(form_data(season, **{name: value}), season=season)
    assert not form.is_valid() and any("at position" in e for e in form.errors[name])
    ok = SeasonSettingsForm(form_data(season, notes="Ask the chief.\r\nThen the mayor.",
                                      permit_prefix="AG"), season=season)
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["notes"] == "Ask the chief.\nThen the mayor."


def test_the_season_settings_page_shows_the_message(client, coordinator, season):
    from tests.registry.test_season_settings import form_data, settings_url

    client.force_login(coordinator)
    response = client.post(settings_url(season), form_data(season, notes="Call\x0b first"))
    assert ("This field contains a control character (U+000B) at position 5; remove it and "
            "try again.") in response.content.decode()
    season.refresh_from_db()
    assert season.notes == ""


def test_a_fee_tier_label_is_one_line(season):
    form = FeeTierForm({"filed_by": "2017-07-13T23:59", "fee": "0", "label": "On\ttime"},
                       zone=season.jurisdiction.zone)
    assert not form.is_valid() and "a tab (U+0009) at position 3" in form.errors["label"][0]


def test_the_hosts_report_notes_keep_line_breaks_and_refuse_controls(season, event_input,
                                                                     coordinator, at):
    event = event_register(season=season, data=event_input(), deadlines=False,
                           actor=Actor.system("test"))
    event = event_approve(event=event, user=coordinator)
    form = HostReportForm({"attendance": "40", "notes": "Great\x0b night"}, season=season)
    assert not form.is_valid() and "U+000B" in form.errors["notes"][0]
    with pytest.raises(ValidationError, match="U\\+0000"):
        host_report_submit(event=event, actor=Actor.host(event),
                           attendance=40, agency_ids=[], notes="Great\x00",
                           photos=[], now=at(8, 2))
    report = host_report_submit(event=event, actor=Actor.host(event), attendance=40, agency_ids=[],
                                notes="Great night.\nCome again 🎉", photos=[], now=at(8, 2))
    assert report.notes == "Great night.\nCome again 🎉"


def test_the_sheet_to_read_is_one_line():
    upload = {"file": SimpleUploadedFile("events.csv", b"Title,Address\nA,1 B St\n")}
    assert not ImportUploadForm({"sheet": "Sheet\x0b1"}, upload).is_valid()
    assert ImportUploadForm({"sheet": "Sheet 1"}, upload).is_valid()


GOOD_ROW = ("Title,Address,Description,Host name,Lat,Lng\n"
            "Elm Party,120 Elm Street,\"Food\r\nMusic\",Pat,42.0702,-72.6155\n")


def spreadsheet(rows: list[list[str]], kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "xlsx":
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(out)
    else:
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        out.write(text.getvalue().encode())
    return out.getvalue()


@pytest.mark.parametrize(("column", "cell", "code", "kind"), [
    ("Title", "Elm\x0bParty", "U+000B", "csv"), ("Title", "Elm\x85Party", "U+0085", "csv"),
    ("Title", "Elm\nParty", "U+000A", "csv"), ("Title", "Elm\nParty", "U+000A", "xlsx"),
    ("Address", "120\x1fElm", "U+001F", "csv"), ("Host name", "Pat\tHost", "U+0009", "xlsx"),
    ("Description", "Foo\x0cd", "U+000C", "csv"), ("Lat", "42.\x0b07", "U+000B", "csv"),
])
def test_an_import_names_the_row_and_column_of_bad_text_and_writes_nothing(season, column,
                                                                           cell, code, kind):
    header = ["Title", "Address", "Description", "Host name", "Lat", "Lng"]
    row = {"Title": "Elm Party", "Address": "120 Elm Street", "Description": "Food",
           "Host name": "Pat", "Lat": "42.0702", "Lng": "-72.6155", column: cell}
    content = spreadsheet([header, ["Oak Party", "40 Oak Street", "", "Lee", "42.0690",
                                    "-72.6170"], [row[h] for h in header]], kind)
    report = events_import(season=season, filename=f"events.{kind}", content=content,
                           apply=True, actor=COMMAND_LINE)
    assert [(p.line, p.column) for p in report.faults] == [(3, column)]
    assert "contains" in report.faults[0].message
    assert f"({code}) at position 4" in report.faults[0].message
    assert not Event.objects.exists()


def test_an_import_keeps_line_breaks_in_a_description_and_takes_any_script(season):
    text = GOOD_ROW + "中文派对,40 Oak Street,Ünïcödé 🎉,שלום,42.0690,-72.6170\n"
    report = events_import(season=season, filename="events.csv", content=text.encode(),
                           apply=True, actor=COMMAND_LINE)
    assert report.ok, report.faults
    assert Event.objects.get(title="Elm Party").description == "Food\nMusic"
    assert Event.objects.get(title="中文派对").host_contact.name == "שלום"


VALIDATED = [
    (models.Region, ["name"], ["description"]),
    (models.Jurisdiction, ["name", "website"], []),
    (models.Season, ["permit_prefix"], ["notes"]),
    (models.ClosureFeeTier, ["label"], []),
    (models.Agency, ["name", "website"], []),
    (models.Station, ["name", "address"], []),
    (models.Activity, ["name"], []),
    (models.Event, ["title", "venue", "address", "postal_code"],
     ["description", "status_reason", "accessibility_notes"]),
    (models.HostContact, ["name", "email", "phone", "organization"], []),
    (models.EventAgency, ["note"], []),
    (models.Closure, ["street", "from_street", "to_street", "fee_label", "permit_number"],
     ["status_reason"]),
    (models.VisitRequest, ["note"], []),
    (models.HostReport, [], ["notes"]),
    (models.EventPhoto, ["caption"], []),
]


@pytest.mark.parametrize(("model", "one_line", "multi_line"), VALIDATED,
                         ids=[m.__name__ for m, _, _ in VALIDATED])
def test_every_text_a_person_types_is_checked_by_its_model_field(model, one_line, multi_line):
    """Through full_clean, so every service and every administration form checks it."""
    for name in one_line + multi_line:
        field = model._meta.get_field(name)
        for char in [*REFUSED.values(), *(ONE_LINE_ONLY.values() if name in one_line else [])]:
            with pytest.raises(ValidationError, match="at position 5"):
                field.run_validators(bad(char))
        if name in ("website", "email"):
            continue  # their own validators want an address
        for text in ORDINARY:
            field.run_validators(text[:field.max_length or 1000])
    for name in multi_line:
        model._meta.get_field(name).run_validators("one\ntwo\tthree")


def test_district_names_of_a_town_are_one_line(jurisdiction):
    square = [[[-72.7, 42.0], [-72.5, 42.0], [-72.5, 42.2], [-72.7, 42.2], [-72.7, 42.0]]]
    jurisdiction.districts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "North\x0bEnd"},
         "geometry": {"type": "Polygon", "coordinates": square}}]}
    with pytest.raises(ValidationError) as caught:
        jurisdiction.full_clean()
    assert "U+000B" in caught.value.message_dict["districts"][0]


def test_an_administration_form_refuses_bad_text(admin_client, jurisdiction):
    response = admin_client.post(reverse("admin:registry_agency_add"), {
        "name": "Agawam\x0bPolice", "slug": "agawam-police", "kind": "local_police",
        "jurisdiction": jurisdiction.pk, "website": ""})
    assert response.status_code == 200
    assert "The name contains a control character (U+000B) at position 7" in \
        response.content.decode()
    assert not models.Agency.objects.exists()

