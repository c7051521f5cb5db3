"""A backup restores to exactly what was backed up (on SQLite, and on PostgreSQL in CI)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from nightout.registry.models import Event, EventStatus, HostContact

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> list:
    return [
        sorted(Event.objects.values_list("pk", "title", "status", "starts_at")),
        sorted(HostContact.objects.values_list("event_id", "email")),
    ]


def test_backup_then_restore_gives_back_the_same_data(make_event, tmp_path):
    for n in range(3):
        event = make_event(title=f"Party {n}", status=EventStatus.APPROVED)
        HostContact.objects.create(event=event, name=f"Host {n}", email=f"h{n}@example.org")
    before = snapshot()
    out = StringIO()
    call_command("backup", str(tmp_path / "night.backup"), stdout=out)
    assert "Backed up to" in out.getvalue()

    Event.objects.filter(title="Party 0").delete()
    make_event(title="Added after the backup")
    assert snapshot() != before

    call_command("restore", str(tmp_path / "night.backup"), stdout=out)
    assert "Nothing was changed" in out.getvalue() and snapshot() != before  # a check only
    call_command("restore", str(tmp_path / "night.backup"), "--yes", stdout=out)
    assert snapshot() == before


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all")
    with pytest.raises(CommandError, match="not a nightout backup"):
        call_command("restore", str(junk), "--yes", stdout=StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.backup"), stdout=StringIO())
