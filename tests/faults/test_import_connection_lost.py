"""A database connection lost during an import leaves nothing of it written, and the command
says so and exits non-zero."""

import time
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from nightout.registry.models import AuditEntry, Event, HostContact, VisitRequest

HEADER = "Event name,Street Address,ZIP,Lat,Lng,Start Time,End Time,Visits,Host Name,Email\n"


def spreadsheet(rows: int, latitude=42.06, longitude=-72.62) -> str:
    return HEADER + "".join(
        f"Party {i},{i} Elm Street,01001,{latitude + 0.0002 * (i % 50):.4f},"
        f"{longitude + 0.0002 * (i // 50):.4f},17:00,20:30,Police,Host {i},host{i}@example.org\n"
        for i in range(rows))


@pytest.mark.django_db
def test_an_import_that_loses_the_database_midway_writes_nothing(season, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(spreadsheet(10, 42.0702, -72.6155))
    calls = []
    audited = AuditEntry.objects.count()

    def write_then_lose_the_connection(*args, **kwargs):
        # Events and host contacts are written by now, in the import's transaction.
        calls.append(Event.objects.count())
        raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(VisitRequest.objects, "bulk_create", write_then_lose_the_connection):
        with pytest.raises(CommandError, match="none of its rows were kept") as failure:
            call_command("import-events", str(path), "--apply", season=season.slug)
    assert calls == [10]  # ten events were written in the transaction before the loss
    assert failure.value.returncode != 0
    assert "server closed the connection unexpectedly" in str(failure.value)
    assert Event.objects.count() == 0
    assert HostContact.objects.count() == 0 and VisitRequest.objects.count() == 0
    assert AuditEntry.objects.count() == audited


@pytest.mark.postgresql
def test_an_import_whose_backend_is_terminated_midway_writes_nothing(
        on_postgresql, scratch, tmp_path):
    scratch.scenario("town", "--parties", "0")
    path = tmp_path / "events.csv"
    path.write_text(spreadsheet(3000))
    season = scratch.value("SELECT id FROM registry_season WHERE slug = 'faultville-2027'")
    audit = "SELECT COUNT(*) FROM registry_auditentry WHERE season_id = ?"
    audited = scratch.value(audit, season)  # the town's units
    importer = scratch.popen("import-events", str(path), "--season", "faultville-2027",
                             "--apply")
    try:
        # Wait until the import's transaction has written events, then cut its connection.
        backend = None
        deadline = time.monotonic() + 120
        while backend is None and time.monotonic() < deadline and importer.poll() is None:
            rows = scratch.query(
                "SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE c.relname = 'registry_event' AND l.mode = 'RowExclusiveLock' "
                "AND a.datname = current_database() AND a.pid <> pg_backend_pid()")
            backend = rows[0][0] if rows else None
            time.sleep(0.05)
        assert backend is not None, "the import never wrote (or finished before it was cut)"
        assert scratch.value("SELECT pg_terminate_backend(?)", backend)
        out, err = importer.communicate(timeout=120)
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait()
    assert importer.returncode != 0
    assert "The database failed during the import" in err and "none of its rows" in err
    assert scratch.value("SELECT COUNT(*) FROM registry_event WHERE season_id = ?", season) == 0
    assert scratch.value("SELECT COUNT(*) FROM registry_hostcontact") == 0
    assert scratch.value(audit, season) == audited
