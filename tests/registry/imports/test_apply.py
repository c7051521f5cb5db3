"""Writing an import's rows: all in one transaction or none, the same rows a registration
writes, and nothing left behind by a crash part way."""

import dataclasses
import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError

from nightout.registry.actors import Actor
from nightout.registry.history import change_lines
from nightout.registry.imports.apply import rows_apply
from nightout.registry.imports.check import row_fingerprint, row_key
from nightout.registry.models import (
    AuditEntry,
    Closure,
    Event,
    HostContact,
    Season,
    VisitRequest,
)
from nightout.registry.services import ClosureInput, event_register

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("import")
# What differs between two writes of the same rows, whoever writes them.
UNIQUE = {"id", "event_id", "manage_secret", "updated_at", "same_block_as_id", "import_key",
          "import_fingerprint", "at"}


def _written(season):
    """Every row an import writes, without ids or what is drawn at random, in file order."""
    def rows(queryset):
        return [{k: v for k, v in row.items() if k not in UNIQUE} for row in queryset]

    events = Event.objects.filter(season=season).order_by("pk")
    return {
        "events": rows(events.values()),
        "same block": [e.same_block_as.title if e.same_block_as else "" for e in events],
        "hosts": rows(HostContact.objects.order_by("event_id").values()),
        "visits": rows(VisitRequest.objects.order_by("event_id", "unit_kind").values()),
        "closures": rows(Closure.objects.order_by("event_id").values()),
        "activities": [sorted(e.activities.values_list("slug", flat=True)) for e in events],
        "audit": rows(AuditEntry.objects.filter(event__isnull=False)
                      .order_by("event_id").values()),
    }


@pytest.fixture
def varied(make_row, closure, at):
    """Rows with all an import writes: visits with times, closures, activities, rows placed
    by their ZIP code, two on one block, a moment of registration, the town's notes."""
    return [
        make_row(2, visits=["police", "fire"], visit_times={"police": dt.time(18)},
                 activities=["music", "free-food"], closure=closure, expected_attendance=40,
                 coordinator_notes="Gate code 4411", submitted_at=at(6, 20, 9)),
        make_row(3, latitude=None, longitude=None, postal_code="01001", visits=["ems"],
                 submitted_at=at(6, 21, 10)),
        make_row(4, address="150 Elm Street, Agawam, MA", reference="NNO-4",
                 submitted_at=at(6, 1, 8)),  # the same block as line 2, registered earlier
        make_row(5, kind="community_event", venue="Robinson Park", is_private_home=False,
                 closure=ClosureInput(street="Park Rd", blocks=3, consent_attested=True),
                 submitted_at=at(6, 22, 11)),
    ]


def test_an_import_writes_what_registering_each_row_would(season, varied, make_event):
    season.one_event_per_block = True
    season.save()
    make_event(title="Earlier on the block", address="110 Elm Street, Agawam, MA",
               block_key="100 elm st")
    outcome = rows_apply(season=season, rows=varied, actor=SYSTEM)
    assert outcome.applied and outcome.new_lines == [2, 3, 4, 5]
    imported = _written(season)

    Event.objects.filter(source="import").delete()
    AuditEntry.objects.all().delete()
    for row in varied:
        event = event_register(season=season, data=row.data, actor=SYSTEM, source="import",
                               submitted_at=row.submitted_at, import_key=row_key(season, row),
                               deadlines=False)
        Event.objects.filter(pk=event.pk).update(import_fingerprint=row_fingerprint(row))
    registered = _written(season)
    assert imported == registered
    # Each row is flagged against the first registered of the block's earlier ones.
    assert imported["same block"] == ["", "Earlier on the block", "Block party 2",
                                      "Block party 2", "Block party 4"]
    assert imported["events"][1]["coordinator_notes"] == "Gate code 4411"


def test_a_crash_in_the_middle_of_the_writes_leaves_the_database_as_it_was(season, varied):
    rows_apply(season=season, rows=varied[:1], actor=SYSTEM)
    before = _written(season)
    fail = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(VisitRequest.objects, "bulk_create", side_effect=fail):
        with pytest.raises(OperationalError):
            rows_apply(season=season, rows=varied, actor=SYSTEM)
    assert _written(season) == before
    assert Event.objects.count() == 1


def test_a_changed_row_refused_by_the_update_writes_no_row_at_all(season, make_row, monkeypatch):
    """The database may change between the check and the write: a fault found while writing
    undoes the new rows too."""
    first = make_row(2)
    rows_apply(season=season, rows=[first], actor=SYSTEM)
    before = _written(season)
    changed = dataclasses.replace(first, data=dataclasses.replace(first.data, ends=dt.time(21)))
    from nightout.errors import Invalid
    from nightout.registry.imports import apply

    def refuse(**kwargs):
        raise Invalid({"ends": ["The town changed its hours meanwhile."]})

    monkeypatch.setattr(apply, "event_update", refuse)
    outcome = rows_apply(season=season, rows=[changed, make_row(3)], actor=SYSTEM)
    assert not outcome.applied
    assert [(f.line, f.column, f.message) for f in outcome.faults] == [
        (2, "End Time", "The town changed its hours meanwhile.")]
    assert _written(season) == before


def test_the_audit_trail_names_who_imported(season, make_row, coordinator):
    rows_apply(season=season, rows=[make_row(2)], actor=Actor.of(coordinator))
    entry = AuditEntry.objects.get(event__isnull=False)
    assert (entry.actor, entry.actor_label, entry.action, entry.changes) == (
        coordinator, "casey", "registered",
        {"status": "submitted", "source": "import", "submitted_at": entry.changes["submitted_at"]})


def test_another_season_is_not_touched(season, make_row, jurisdiction):
    from nightout.registry.services import season_create

    other = season_create(jurisdiction=jurisdiction, year=2018, slug="agawam-2018")
    rows_apply(season=season, rows=[make_row(2)], actor=SYSTEM)
    assert rows_apply(season=Season.objects.get(pk=other.pk), rows=[], actor=SYSTEM).applied
    assert Event.objects.filter(season=other).count() == 0


def test_an_import_is_dated_when_imported_and_says_when_the_list_registered_it(
        season, make_row, coordinator, at):
    before = dt.datetime.now(dt.UTC)
    rows_apply(season=season, rows=[make_row(2, submitted_at=at(6, 20, 9))],
               actor=Actor.of(coordinator))
    entry = AuditEntry.objects.get(event__isnull=False)
    assert entry.at >= before
    assert change_lines(entry.changes, season.jurisdiction.zone) == [
        "Status: submitted", "Source: import", "Submitted at: 20 Jun 2017, 9:00 AM EDT"]
