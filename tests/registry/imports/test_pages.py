"""The coordinator's import screens: the mapping proposed with samples and changed, the check's
faults page by page and by column, the lines to fix as a CSV that imports once corrected, the
season's templates, abandoning, and the progress while a task runs."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from nightout.registry.imports import batch_upload
from nightout.registry.imports.columns import LEAVE_OUT
from nightout.registry.models import Event, ImportBatch, ImportStatus
from nightout.registry.services import Actor
from tests.web_import import web_apply, web_import

pytestmark = pytest.mark.django_db

LIST = ("Party Host Name,Address,Lat,Long,StartTime,End Time,Favourite Colour\n"
        "Dana Secretname,120 Elm Street,42.0702,-72.6155,6,8:30,teal\n"
        "Lee Host,40 Oak Street,42.0690,-72.6170,6pm,9pm,red\n")


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_mapping_is_proposed_from_the_names_with_samples(signed_in, season):
    url = reverse("registry:import", args=[season.slug])
    page = signed_in.post(url, {"file": SimpleUploadedFile("list.csv", LIST.encode())})
    assert page.status_code == 200
    mapping = page.context["mapping"]
    chosen = {column: mapping[f"column-{i}"].value() for i, column in enumerate(mapping.columns)}
    assert chosen == {"Party Host Name": "host_name", "Address": "address", "Lat": "latitude",
                      "Long": "longitude", "StartTime": "starts", "End Time": "ends",
                      "Favourite Colour": ""}
    html = page.content.decode()
    assert "Dana Secretname" in html and "teal" in html  # samples, shown, not stored
    assert not ImportBatch.objects.exists()


def test_htmx_gets_the_mapping_alone(signed_in, season):
    url = reverse("registry:import", args=[season.slug])
    page = signed_in.post(url, {"file": SimpleUploadedFile("list.csv", LIST.encode())},
                          headers={"HX-Request": "true"})
    html = page.content.decode()
    assert html.lstrip().startswith('<section id="mapping"') and "<html" not in html


def test_one_field_for_two_columns_is_refused_saying_which(signed_in, season):
    response = web_import(signed_in, season, "list.csv", LIST.encode(),
                          changes={"Favourite Colour": "address"})
    assert response.status_code == 200
    assert "“Address” is chosen for two columns (Address, Favourite Colour)" in \
        response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_changed_mapping_is_used_and_remembered(signed_in, season,
                                                  django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    response = web_import(signed_in, season, "list.csv", LIST.encode(), capture=capture,
                          changes={"Party Host Name": LEAVE_OUT, "Favourite Colour": LEAVE_OUT})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.CHECKED and not batch.faults
    assert "Secretname" not in repr(ImportBatch.objects.values().get())
    assert "teal" not in repr(ImportBatch.objects.values().get())
    again = signed_in.post(reverse("registry:import", args=[season.slug]),
                           {"file": SimpleUploadedFile("list.csv", LIST.encode())})
    mapping = again.context["mapping"]
    assert mapping["column-0"].value() == LEAVE_OUT  # remembered for the season
    web_apply(signed_in, response, capture)
    assert Event.objects.count() == 2
    assert set(Event.objects.values_list("host_contact__name", flat=True)) == {""}


def faulty_list(lines: int) -> bytes:
    rows = ["Address,Lat,Long,Attendance,Email"]
    rows += [f"{100 + i} Elm Street,42.0702,-72.6155,lots,ok{i}@example.org" if i % 2 else
             f"{100 + i} Elm Street,42.0702,-72.6155,{i},not-an-email"
             for i in range(lines)]
    return ("\n".join(rows) + "\n").encode()


def test_the_faults_page_through_and_filter_by_column(signed_in, season,
                                                      django_capture_on_commit_callbacks):
    response = web_import(signed_in, season, "big.csv", faulty_list(120),
                          capture=django_capture_on_commit_callbacks)
    page = signed_in.get(response.url)
    html = page.content.decode()
    assert "120 of 120 lines have 120 problems" in html
    assert page.context["page"].paginator.num_pages == 3
    assert "Apply: write" not in html and "Abandon this import" in html
    only = signed_in.get(response.url, {"column": "Email"})
    assert only.context["page"].paginator.count == 60
    assert {f["column"] for f in only.context["page"]} == {"Email"}
    last = signed_in.get(response.url, {"page": 3})
    assert [f["line"] for f in last.context["page"]][-1] == 121


def test_the_lines_to_fix_download_and_import_once_corrected(
        signed_in, season, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    response = web_import(signed_in, season, "list.csv", faulty_list(4), capture=capture)
    download = signed_in.get(response.url + "to-fix.csv")
    assert download["Content-Disposition"] == 'attachment; filename="list-to-fix.csv"'
    assert download.content.startswith("\ufeff".encode())  # for Excel; the import reads it
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["Address", "Lat", "Long", "Attendance", "Email", "line", "problem"]
    assert [r[5] for r in rows[1:]] == ["2", "3", "4", "5"]
    assert "not-an-email" in rows[1][6] and "lots" in rows[2][6]
    fixed = [r[:5] for r in rows]
    for r in fixed[1:]:
        r[3] = "" if r[3] == "lots" else r[3]
        r[4] = "" if "@" not in r[4] else r[4]
    out = io.StringIO()
    csv.writer(out).writerows(fixed)
    again = web_import(signed_in, season, "list-to-fix.csv", out.getvalue().encode(),
                       capture=capture)
    page = signed_in.get(again.url)
    assert "Every line is right" in page.content.decode(), list(page.context["page"])
    web_apply(signed_in, again, capture)
    assert Event.objects.count() == 4


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_seasons_template_imports_without_a_fault(signed_in, season, kind,
                                                      django_capture_on_commit_callbacks):
    response = signed_in.get(reverse("registry:import_template", args=[season.slug, kind]))
    assert response.status_code == 200
    if kind == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["A1"].value == "Title" and sheet["F2"].is_date
    capture = django_capture_on_commit_callbacks
    batch = web_import(signed_in, season, f"template.{kind}", response.content,
                       capture=capture)
    page = signed_in.get(batch.url)
    assert "Every line is right" in page.content.decode(), page.context["page"].object_list
    web_apply(signed_in, batch, capture)
    event = Event.objects.get()
    assert event.title == "Main Street Block Party" and event.coordinator_notes


def test_abandoning_drops_the_staged_rows(signed_in, season, coordinator):
    batch = batch_upload(season=season, actor=Actor.of(coordinator), filename="list.csv",
                         content=LIST.encode())
    assert batch.rows
    signed_in.post(reverse("registry:import_batch_abandon", args=[season.slug, batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.ABANDONED and batch.rows == []


def test_the_progress_refreshes_until_the_check_is_done(signed_in, season, coordinator):
    batch = batch_upload(season=season, actor=Actor.of(coordinator), filename="list.csv",
                         content=LIST.encode())  # the check task is not run: still checking
    url = reverse("registry:import_batch", args=[season.slug, batch.pk])
    busy = signed_in.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in busy.content.decode()
    assert "Checking line 0 of 2" in busy.content.decode()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKED)
    done = signed_in.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_the_upload_time_is_shown_in_the_towns_zone(signed_in, season, coordinator):
    import datetime as dt

    batch = batch_upload(season=season, actor=Actor.of(coordinator), filename="list.csv",
                         content=LIST.encode())
    noon_utc = dt.datetime(2017, 7, 1, 16, 0, tzinfo=dt.UTC)  # 12:00 PM in Agawam
    ImportBatch.objects.filter(pk=batch.pk).update(uploaded_at=noon_utc)
    page = signed_in.get(reverse("registry:import_batch", args=[season.slug, batch.pk]))
    assert "Uploaded 1 Jul 2017, 12:00 PM" in page.content.decode()
