"""Checking an import's rows: every fault the season and the database can find, named by line,
column and cell, and nothing written while checking."""

import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nightout.accounts.models import User
from nightout.registry.actors import Actor
from nightout.registry.imports import check
from nightout.registry.imports.apply import rows_apply
from nightout.registry.imports.check import rows_check
from nightout.registry.models import AuditEntry, Event, EventStatus, Season
from nightout.registry.services import ClosureInput, event_cancel, event_register

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("import")


def _database():
    return {model.__name__: list(model.objects.order_by("pk").values())
            for model in (Event, AuditEntry)}


def test_the_same_party_twice_in_the_file_is_a_fault_on_the_later_line(season, make_row):
    first = make_row(2)
    rows = [first, make_row(3), dataclasses.replace(first, line=5)]
    outcome = rows_check(season=season, rows=rows, actor=SYSTEM)
    assert [(f.line, f.column, f.value) for f in outcome.faults] == [
        (5, "Address", first.cells["Address"])]
    assert outcome.faults[0].message == check.SAME_PARTY.format(line=2)
    assert outcome.new_lines == [2, 3]
    assert Event.objects.count() == 0


def test_two_parties_at_one_address_on_the_night_need_a_reference_each(season, make_row):
    first = make_row(2)
    later = make_row(4, address=first.data.address, starts=dt.time(18), ends=dt.time(21))
    outcome = rows_check(season=season, rows=[first, later], actor=SYSTEM)
    assert [(f.line, f.column) for f in outcome.faults] == [(4, "ID")]
    assert outcome.faults[0].message == check.SAME_ADDRESS.format(line=2)
    with_references = [dataclasses.replace(first, reference="A"),
                       dataclasses.replace(later, reference="B")]
    assert rows_check(season=season, rows=with_references, actor=SYSTEM).new_lines == [2, 4]


def test_a_party_registered_on_the_web_is_a_duplicate_never_written_over(
        season, make_row, event_input, at):
    web = event_register(season=season, submitted_at=at(7, 1), data=event_input(
        title="Elm Street Party", address="120 Elm St., Agawam, MA"))
    before = _database()
    row = make_row(3, title="Imported over it", address="120 ELM STREET, Agawam MA",
                   starts=dt.time(17), ends=dt.time(20, 30))
    outcome = rows_apply(season=season, rows=[make_row(2), row], actor=SYSTEM)
    assert [(f.line, f.column) for f in outcome.faults] == [(3, "Address")]
    assert outcome.faults[0].message == (
        f"Already registered in the season as “Elm Street Party”, #{web.pk}; remove this "
        "line or change that event on its page.")
    assert not outcome.applied and _database() == before


def test_a_party_at_the_same_address_at_other_hours_is_not_a_duplicate(
        season, make_row, event_input, at):
    event_register(season=season, submitted_at=at(7, 1),
                   data=event_input(address="120 Elm Street, Agawam, MA"))
    row = make_row(2, address="120 Elm Street, Agawam, MA", starts=dt.time(15),
                   ends=dt.time(16, 30))
    assert rows_check(season=season, rows=[row], actor=SYSTEM).ok


def test_importing_the_same_rows_again_writes_nothing_and_audits_nothing(season, make_row):
    rows = [make_row(n, reference=f"R{n}" if n % 2 else "") for n in range(2, 8)]
    assert rows_apply(season=season, rows=rows, actor=SYSTEM).created == 6
    before = _database()
    again = [dataclasses.replace(row, line=row.line + 10) for row in rows]  # other lines
    outcome = rows_check(season=season, rows=again, actor=SYSTEM)
    assert (outcome.created, outcome.changed, outcome.unchanged) == (0, 0, 6)
    applied = rows_apply(season=season, rows=again, actor=SYSTEM)
    assert applied.applied and applied.unchanged_lines == [12, 13, 14, 15, 16, 17]
    assert _database() == before  # no audit entry, no changed `updated_at`


def test_a_changed_row_is_shown_as_changed_then_updated_and_audited(season, make_row):
    rows = [make_row(2), make_row(3)]
    rows_apply(season=season, rows=rows, actor=SYSTEM)
    later = dataclasses.replace(rows[1].data, ends=dt.time(21), coordinator_notes="Cones")
    changed = [rows[0], dataclasses.replace(rows[1], data=later)]
    outcome = rows_check(season=season, rows=changed, actor=SYSTEM)
    assert (outcome.new_lines, outcome.changed_lines, outcome.unchanged_lines) == ([], [3], [2])
    assert rows_apply(season=season, rows=changed, actor=SYSTEM).applied
    event = Event.objects.get(title=rows[1].data.title)
    assert event.ends_at == season.at(season.nno_date, dt.time(21))
    assert event.coordinator_notes == "Cones"
    assert AuditEntry.objects.filter(event=event, action="edited").count() == 1
    assert Event.objects.count() == 2
    assert rows_check(season=season, rows=changed, actor=SYSTEM).unchanged == 2


def test_a_party_imported_then_cancelled_is_not_brought_back(season, make_row):
    row = make_row(2)
    rows_apply(season=season, rows=[row], actor=SYSTEM)
    event_cancel(event=Event.objects.get(), actor=SYSTEM, reason="Rained off")
    moved = dataclasses.replace(row, data=dataclasses.replace(row.data, ends=dt.time(21)))
    outcome = rows_check(season=season, rows=[moved], actor=SYSTEM)
    assert [f.line for f in outcome.faults] == [2]
    assert "cancelled since" in outcome.faults[0].message
    assert Event.objects.get().status == EventStatus.CANCELLED


@pytest.mark.parametrize(("fields", "season_rules", "column", "value", "message"), [
    ({"starts": dt.time(20), "ends": dt.time(19)}, {}, "End Time", "19:00",
     "The event must end after it starts."),
    ({"starts": dt.time(12), "ends": dt.time(14)}, {}, "End Time", "14:00",
     "Events on Tuesday 1 August 2017 run between 3:00 PM and 10:00 PM."),
    ({"visits": ["k9"]}, {"visit_kinds": ["police"]}, "Departments", "k9",
     "Agawam does not offer visits by K9 unit."),
    ({"closure": ClosureInput(street="Elm Street", consent_attested=True)},
     {"closures_enabled": False}, "Street Closure", "Elm Street",
     "Agawam does not take street-closure requests here."),
    ({"closure": ClosureInput(street="Elm Street")}, {"neighbor_consent_percent": 60},
     "Street Closure", "Elm Street",
     "Confirm that at least 60% of the households on the block agree to the closure."),
    ({"title": "x" * 161}, {}, "Party", "x" * 161,
     "Ensure this value has at most 160 characters (it has 161)."),
    ({"coordinator_notes": "n" * 2001}, {}, "Notes", "n" * 2001,
     "Ensure this value has at most 2000 characters (it has 2001)."),
    ({"activities": ["juggling"]}, {}, "Activities", "juggling",
     "Unknown activity: juggling."),
])
def test_a_rule_of_the_season_is_a_fault_on_the_column_it_came_from(
        season, make_row, fields, season_rules, column, value, message):
    for name, rule in season_rules.items():
        setattr(season, name, rule)
    season.save()
    outcome = rows_check(season=season, rows=[make_row(2), make_row(3, **fields)],
                         actor=SYSTEM)
    assert [(f.line, f.column, f.value, f.message) for f in outcome.faults] == [
        (3, column, value, message)]
    assert outcome.new_lines == [2]


def test_a_host_email_that_is_not_one_is_a_fault_on_the_email_column(season, make_row):
    row = make_row(2)
    bad = dataclasses.replace(row.data, host=dataclasses.replace(row.data.host,
                                                                email="pat at example"))
    row = dataclasses.replace(row, data=bad, cells={**row.cells, "Email": "pat at example"})
    [fault] = rows_check(season=season, rows=[row], actor=SYSTEM).faults
    assert (fault.column, fault.value, fault.message) == (
        "Email", "pat at example", "Enter a valid email address.")


def test_coordinates_outside_the_town_are_a_fault_and_swapped_ones_are_named(
        season, make_row):
    boston = make_row(2, latitude=42.3601, longitude=-71.0589)
    swapped = make_row(3, latitude=-72.6155, longitude=42.0702)
    faults = rows_check(season=season, rows=[boston, swapped], actor=SYSTEM).faults
    assert [(f.line, f.column, f.value) for f in faults] == [
        (2, "Lat", boston.cells["Lat"]), (3, "Lat", swapped.cells["Lat"])]
    assert faults[0].message == check.OUTSIDE_TOWN.format(
        latitude="42.3601", longitude="-71.0589", town="Agawam")
    assert faults[1].message.startswith("Latitude and longitude look swapped: -72.6155, 42.0702")


def test_a_row_without_coordinates_is_placed_by_its_zip_code_or_is_a_fault(season, make_row):
    placed = make_row(2, latitude=None, longitude=None, postal_code="01001")
    lost = make_row(3, latitude=None, longitude=None, postal_code="")
    plan = check.rows_plan(season=season, rows=[placed, lost])
    assert [(f.line, f.column, f.message) for f in plan.outcome.faults] == [
        (3, "Lat", check.NO_PLACE.format(town="Agawam"))]
    [registration] = plan.registrations
    assert registration.event.location_precision == "postal_code"


def test_nothing_is_written_when_any_row_has_a_fault(season, make_row):
    rows = [make_row(n) for n in range(2, 12)] + [make_row(12, starts=dt.time(23))]
    before = _database()
    outcome = rows_apply(season=season, rows=rows, actor=SYSTEM)
    assert not outcome.applied and [f.line for f in outcome.faults] == [12]
    assert _database() == before


def test_checking_writes_nothing_at_all(season, make_row):
    rows = [make_row(n, closure=ClosureInput(street="Elm Street", consent_attested=True),
                     visits=["police"], activities=["music"]) for n in range(2, 6)]
    with CaptureQueriesContext(connection) as queries:
        outcome = rows_check(season=season, rows=rows, actor=SYSTEM)
    assert outcome.new_lines == [2, 3, 4, 5]
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)


def test_checking_makes_as_many_queries_for_many_rows_as_for_few(season, make_row, coordinator):
    def queries_for(count):
        rows = [make_row(n, visits=["police"], activities=["music", "free-food"],
                         closure=ClosureInput(street=f"Street {n}", consent_attested=True),
                         latitude=None if n % 3 else 42.07, longitude=None if n % 3 else -72.61)
                for n in range(2, 2 + count)]
        # Nothing looked up beforehand: a fresh season, and a user whose roles are not known.
        fresh, user = Season.objects.get(pk=season.pk), User.objects.get(pk=coordinator.pk)
        with CaptureQueriesContext(connection) as queries:
            assert rows_check(season=fresh, rows=rows, actor=Actor.of(user)).ok
        return [q["sql"] for q in queries.captured_queries]

    many, few = queries_for(300), queries_for(6)
    assert len(many) == len(few), "\n".join(q[:150] for q in many + ["--"] + few)


def test_the_check_says_how_far_it_got(season, make_row):
    calls = []
    rows = [make_row(n) for n in range(2, 2 + 2 * check.PROGRESS_EVERY + 10)]
    rows_check(season=season, rows=rows, actor=SYSTEM, progress=lambda *a: calls.append(a))
    total = len(rows)
    assert calls == [(check.PROGRESS_EVERY, total), (2 * check.PROGRESS_EVERY, total),
                     (total, total)]
