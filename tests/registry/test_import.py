"""Spreadsheet import end to end: the report of the check, all-or-nothing writes, re-imports,
columns left out, the command line and the web import."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from nightout.registry.actors import Actor
from nightout.registry.imports import ImportRefused, events_import
from nightout.registry.imports.columns import LEAVE_OUT
from nightout.registry.models import Event, HostContact, ImportBatch
from tests.web_import import web_apply, web_import

pytestmark = pytest.mark.django_db

COMMAND_LINE = Actor.system("import")

GOOD = (
    "Event name,Street Address,ZIP,Lat,Lng,Start Time,End Time,Activities,Visits,"
    "Host Name,Email,Phone\n"
    "Elm Street Block Party,120 Elm Street,01001,42.0702,-72.6155,5:00 PM,8:30 PM,"
    "Music; Free food,Police; Fire truck,Dana Secretname,dana@example.org,"
    "413-555-0199\n"
    "Oak Street Picnic,40 Oak Street,01001,42.0690,-72.6170,18:00,20:30,,,Lee Host,"
    "lee@example.org,\n"
)
BAD = GOOD + """Maple Party,,01001,42.07,-72.61,5 PM,9 PM,,,,,
Pine Party,9 Pine Street,01001,forty-two,-72.61,25:00,9 PM,Juggling,Helicopter,,,
Far Party,1 Main Street,02108,42.36,-71.06,17:00,20:00,,,,,
"""


def run(season, text, apply=False, **kwargs):
    return events_import(season=season, filename="events.csv", content=text.encode(),
                         apply=apply, actor=COMMAND_LINE, **kwargs)


def test_dry_run_reports_every_bad_row_and_writes_nothing(season):
    report = run(season, BAD, apply=True)
    problems = {(p.line, p.column) for p in report.faults}
    assert (4, "Street Address") in problems
    assert {(5, "Lat"), (5, "Start Time"), (5, "Activities"), (5, "Visits")} <= problems
    assert (6, "Lat") in problems  # Boston is not in Agawam
    assert any("outside Agawam" in p.message for p in report.faults if p.line == 6)
    assert not report.ok and "Nothing was written" in report.summary()
    assert Event.objects.count() == 0


def test_check_then_apply_writes_all_rows_in_one_go(season):
    assert run(season, GOOD).ok and Event.objects.count() == 0
    report = run(season, GOOD, apply=True)
    assert (report.created, report.ok) == (2, True)
    elm = Event.objects.get(title="Elm Street Block Party")
    assert elm.source == "import"
    assert sorted(elm.visit_requests.values_list("unit_kind", flat=True)) == ["fire", "police"]
    assert sorted(elm.activities.values_list("slug", flat=True)) == ["free-food", "music"]
    assert elm.starts_at == season.at(season.nno_date, elm.starts_at.astimezone(
        season.jurisdiction.zone).time())


def test_importing_the_same_file_again_changes_nothing(season):
    run(season, GOOD, apply=True)
    before = list(Event.objects.values().order_by("pk"))
    report = run(season, GOOD, apply=True)
    assert (report.created, report.changed, report.unchanged) == (0, 0, 2)
    assert list(Event.objects.values().order_by("pk")) == before
    changed = GOOD.replace("8:30 PM", "9:00 PM")
    assert run(season, changed, apply=True).changed == 1


def test_a_dropped_column_never_reaches_the_database(season):
    report = run(season, GOOD, apply=True, drop_columns=["Host Name", "phone"])
    assert report.left_out == ["Host Name", "Phone"]
    assert set(HostContact.objects.values_list("name", "phone")) == {("", "")}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            assert "Secretname" not in repr(cursor.fetchall()), table


def test_xlsx_is_read_like_csv(season, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in GOOD.strip().splitlines():
        sheet.append(line.split(","))
    path = tmp_path / "events.xlsx"
    book.save(path)
    report = events_import(season=season, filename="events.xlsx", content=path.read_bytes(),
                           apply=True, actor=COMMAND_LINE)
    assert report.ok and report.created == 2


@pytest.mark.parametrize(("content", "message"), [
    (b"PK\x03\x04 not really a zip", "damaged"),
    (b"\x00\x01\x02binary", "not a CSV or XLSX"),
    (b"Title,Address\n", "no rows"),
    (b"Title,Address\n" + b"x,y\n" * 20_001, "more than 20,000 rows"),
])
def test_an_unusable_file_gets_a_clear_message(season, content, message):
    with pytest.raises(ImportRefused, match=message):
        events_import(season=season, filename="f.csv", content=content, apply=True,
                      actor=COMMAND_LINE)


def test_command_is_a_dry_run_that_fails_on_bad_rows(season, tmp_path):
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(BAD)
    good.write_text(GOOD)
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import-events", str(bad), season=season.slug, apply=True, stdout=out)
    assert re.search(r"line 5, column “Lat” \(“forty-two”\): .*forty-two", out.getvalue())
    call_command("import-events", str(good), season=season.slug, stdout=out)
    assert Event.objects.count() == 0 and "Ready to write: 2 new" in out.getvalue()
    call_command("import-events", str(good), "--apply", "--drop-column", "Host Name",
                 season=season.slug, stdout=out)
    assert Event.objects.count() == 2 and "Written: 2 new" in out.getvalue()


def test_web_import_checks_then_applies(client, coordinator, season,
                                       django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    capture = django_capture_on_commit_callbacks
    response = web_import(client, season, "events.csv", GOOD.encode(), capture=capture,
                          changes={"Host Name": LEAVE_OUT})
    assert response.status_code == 302 and Event.objects.count() == 0
    # The upload is never kept: only the values of the columns read, the left-out one not.
    assert "Secretname" not in repr(ImportBatch.objects.values().get())
    page = client.get(response.url).content.decode()
    assert "Every line is right" in page and "Left out, never stored: Host Name" in page
    web_apply(client, response, capture)
    assert Event.objects.count() == 2
    assert not HostContact.objects.filter(name__contains="Secretname").exists()
    again = client.post(response.url + "apply/", follow=True).content.decode()
    assert "already applied" in again and Event.objects.count() == 2


def test_a_windows_spreadsheet_in_cp1252_is_read(season):
    text = GOOD.replace("Oak Street Picnic", "Café Picnic")
    report = events_import(season=season, filename="e.csv", content=text.encode("cp1252"),
                           apply=True, actor=COMMAND_LINE)
    assert report.ok and Event.objects.filter(title="Café Picnic").exists()


def test_a_phone_keeps_its_plus_and_a_text_like_a_formula_is_a_fault(season):
    """A title "- Oak Street -" would run as a formula when the list is opened again; a
    phone number "+1 ..." is a phone number."""
    typed = GOOD.replace("413-555-0199", "+1 413 555 0199").replace(
        "Oak Street Picnic", "- Oak Street Picnic -")
    report = run(season, typed, apply=True)
    assert [(f.line, f.column) for f in report.faults] == [(3, "Event name")]
    report = run(season, typed.replace("- Oak Street Picnic -", "Oak Street Picnic"), apply=True)
    assert report.ok
    assert HostContact.objects.filter(phone__contains="413").get().phone.startswith("+1")


def test_every_csv_nightout_writes_goes_through_the_one_writer():
    """A second CSV writer would miss the formula guard (nightout.registry.exports)."""
    package = Path(__file__).resolve().parents[2] / "nightout"
    writers = {str(path.relative_to(package)) for path in package.rglob("*.py")
               if re.search(r"csv\.(writer|DictWriter)\(", path.read_text())}
    assert writers == {"registry/exports.py"}
