"""The web import's staging: only the mapped values kept, the check and the apply as tasks
with progress, staged rows gone once applied or abandoned, stale ones purged."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from nightout.errors import Invalid, NotAllowed
from nightout.registry.actors import Actor
from nightout.registry.imports import batches, runs
from nightout.registry.imports.columns import column_key
from nightout.registry.imports.faults import Fault
from nightout.registry.models import Event, ImportBatch, ImportStatus
from nightout.registry.services import event_register

pytestmark = pytest.mark.django_db

SECRET = "Kq7-left-out-secret"
MAPPING = {"Party": "title", "Address": "address", "Zip": "postal_code", "Lat": "latitude",
           "Long": "longitude", "Start Time": "starts", "End Time": "ends", "Host": "host_name",
           "Email": "host_email", "Phone": "host_phone", "Gate code": "-", "Ward": ""}


@pytest.fixture
def stage(season, coordinator, make_row, django_capture_on_commit_callbacks):
    """Stage `rows` (lines 2.. by default) as the coordinator's upload and run its check."""

    def make(rows=None, faults=(), check=True):
        rows = rows if rows is not None else [make_row(n) for n in range(2, 6)]
        with django_capture_on_commit_callbacks(execute=check):
            batch = batches.batch_create(
                season=season, actor=Actor.of(coordinator), filename="parties.csv", sheet="",
                mapping=MAPPING, rows=rows, faults=list(faults), unmapped=["Ward"])
        batch.refresh_from_db()
        return batch

    return make


def _everything() -> str:
    """Every row of every table, as text."""
    with connection.cursor() as cursor:
        return repr([cursor.execute(f'SELECT * FROM "{table}"').fetchall()
                     for table in connection.introspection.table_names(cursor)])


def test_a_left_out_column_is_stored_nowhere(stage, make_row, coordinator,
                                             django_capture_on_commit_callbacks):
    row = make_row(2)
    leaked = type(row)(line=2, data=row.data, columns={**row.columns, "gate": "Gate code"},
                       cells={**row.cells, "Gate code": SECRET, "Ward": SECRET})
    batch = stage([leaked, make_row(3)], faults=[Fault(4, "Gate code", SECRET, "Too long.")])
    assert batch.status == ImportStatus.CHECKED
    assert SECRET not in _everything()
    assert batch.unmapped == ["Ward"] and batch.faults[0]["value"] == ""


def test_the_check_runs_after_commit_and_keeps_the_reading_faults_with_its_own(
        stage, make_row):
    reading = Fault(line=9, column="Start Time", value="25:00", message="Not a time.")
    late = make_row(3, starts=dt.time(23))
    batch = stage([make_row(2), late], faults=[reading])
    assert batch.status == ImportStatus.CHECKED
    assert [(f["line"], f["column"]) for f in batch.faults] == [(3, "End Time"),
                                                                 (9, "Start Time")]
    assert batch.counts == {"rows": 2, "created": 1, "changed": 0, "unchanged": 0}
    assert (batch.progress_done, batch.progress_total) == (2, 2)
    with pytest.raises(Invalid, match="fix the lines listed"):
        batches.batch_apply(batch=batch, actor=Actor.of(batch.uploaded_by))


def test_the_check_says_how_far_it_got_in_the_batch(stage, make_row, monkeypatch):
    seen = []
    real = runs.rows_check

    def watched(**kwargs):
        def progress(done, total):
            kwargs_progress(done, total)
            seen.append(ImportBatch.objects.values_list("progress_done", "progress_total").get())
        kwargs_progress = kwargs.pop("progress")
        return real(progress=progress, **kwargs)

    monkeypatch.setattr(runs, "rows_check", watched)
    rows = [make_row(n) for n in range(2, 2 + 600)]
    batch = stage(rows)
    assert seen == [(250, 600), (500, 600), (600, 600)]
    assert batch.status == ImportStatus.CHECKED


def test_applying_writes_every_row_then_forgets_the_staged_ones(
        stage, coordinator, django_capture_on_commit_callbacks):
    batch = stage()
    with django_capture_on_commit_callbacks(execute=True):
        queued = batches.batch_apply(batch=batch, actor=Actor.of(coordinator))
    assert queued.status == ImportStatus.APPLYING
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.applied_by == coordinator
    assert (batch.rows, batch.faults) == ([], [])
    assert batch.counts["created"] == 4 and Event.objects.count() == 4
    with pytest.raises(Invalid, match="already applied"):
        batches.batch_apply(batch=batch, actor=Actor.of(coordinator))


def test_a_party_registered_meanwhile_stops_the_apply_and_is_shown(
        stage, coordinator, make_row, event_input, season, at,
        django_capture_on_commit_callbacks):
    batch = stage([make_row(2)])
    row = make_row(2)
    event_register(season=season, submitted_at=at(7, 1), data=event_input(
        address=row.data.address, starts=row.data.starts, ends=row.data.ends))
    with django_capture_on_commit_callbacks(execute=True):
        batches.batch_apply(batch=batch, actor=Actor.of(coordinator))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED and Event.objects.count() == 1
    assert "Already registered in the season" in batch.faults[0]["message"]


def test_a_failed_apply_fails_the_batch_writes_nothing_and_keeps_nothing(
        stage, coordinator, monkeypatch, django_capture_on_commit_callbacks):
    batch = stage()

    def crash(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(runs, "rows_apply", crash)
    with django_capture_on_commit_callbacks(execute=True):
        batches.batch_apply(batch=batch, actor=Actor.of(coordinator))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.rows == []
    assert batch.message == runs.APPLY_FAILED.format(error="disk full")
    assert Event.objects.count() == 0


def test_abandoning_drops_the_staged_rows_at_once(stage, coordinator):
    batch = stage()
    abandoned = batches.batch_abandon(batch=batch, actor=Actor.of(coordinator))
    assert abandoned.status == ImportStatus.ABANDONED
    assert ImportBatch.objects.values_list("rows", "faults").get() == ([], [])
    with pytest.raises(Invalid, match="abandoned"):
        batches.batch_apply(batch=abandoned, actor=Actor.of(coordinator))


def test_a_batch_abandoned_while_checked_is_not_brought_back_by_its_check(stage, coordinator):
    batch = stage(check=False)
    batches.batch_abandon(batch=batch, actor=Actor.of(coordinator))
    runs.batch_check_run(batch_id=batch.pk)
    assert ImportBatch.objects.get().status == ImportStatus.ABANDONED


def test_purge_empties_finished_batches_and_those_left_waiting(stage, coordinator):
    now = timezone.now()
    waiting = stage()
    old = stage()
    ImportBatch.objects.filter(pk=old.pk).update(uploaded_at=now - dt.timedelta(days=8))
    done = stage()
    ImportBatch.objects.filter(pk=done.pk).update(status=ImportStatus.ABANDONED)  # not emptied
    count = batches.batches_purge(now=now, older_than=batches.STAGED_FOR)
    assert count == 2
    kept = {b.pk: b for b in ImportBatch.objects.all()}
    assert kept[waiting.pk].rows and kept[waiting.pk].status == ImportStatus.CHECKED
    assert kept[old.pk].rows == [] and kept[old.pk].status == ImportStatus.ABANDONED
    assert kept[old.pk].message == batches.EXPIRED.format(days=7)
    assert kept[done.pk].rows == []
    assert batches.batches_purge(now=now, older_than=batches.STAGED_FOR) == 0


def test_the_purge_command_empties_stale_batches(stage, settings):
    from io import StringIO

    from django.core.management import call_command

    batch = stage()
    ImportBatch.objects.filter(pk=batch.pk).update(
        uploaded_at=timezone.now() - batches.STAGED_FOR - dt.timedelta(hours=1))
    out = StringIO()
    call_command("purge", stdout=out)
    assert ImportBatch.objects.get().rows != [] and "1 staged import" in out.getvalue()
    call_command("purge", "--apply", stdout=out)
    assert ImportBatch.objects.get().rows == []


def test_the_mapping_is_remembered_for_the_season(stage, season):
    stage()
    season.refresh_from_db()
    remembered = batches.mapping_remembered(season)
    assert remembered["starttime"] == "starts" and remembered["gatecode"] == "-"
    assert "ward" not in remembered  # a column not matched is not a choice to remember
    assert column_key("Start_Time") == column_key("start time") == "starttime"


def test_only_the_seasons_coordinators_stage_and_apply(stage, season, make_row):
    for actor in (Actor.system("import"), Actor("someone")):
        with pytest.raises(NotAllowed):
            batches.batch_create(season=season, actor=actor, filename="f.csv", sheet="",
                                 mapping={}, rows=[make_row(2)], faults=[], unmapped=[])
    assert ImportBatch.objects.count() == 0


def test_no_model_keeps_an_upload():
    """The staging keeps values, never a file's bytes."""
    for model in apps.get_app_config("registry").get_models():
        assert not any(f.get_internal_type() == "BinaryField" for f in model._meta.fields), model
