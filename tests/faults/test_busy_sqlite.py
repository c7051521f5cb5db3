"""A busy SQLite database: a write waits for another process's write lock instead of failing
with "database is locked" (WAL, a busy timeout, transactions that take the lock up front)."""

import json
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.faults.conftest import ROOT, TIMEOUT

HOLD_SECONDS = 1.5


@pytest.fixture
def sqlite_scratch(scratch):
    if scratch.vendor != "sqlite":
        pytest.skip("SQLite's locking; PostgreSQL locks rows, not the database")
    return scratch


def test_a_registration_waits_for_another_writer_and_lands(sqlite_scratch):
    scratch = sqlite_scratch
    scratch.scenario("town", "--parties", "0")
    host = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.scenario", "register-when-told"], env=scratch.env,
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    holder = sqlite3.connect(scratch.url.removeprefix("sqlite:///"), timeout=30,
                             isolation_level=None)
    try:
        assert host.stdout.readline().strip() == "ready", host.stderr.read()
        # Another writer (an import, a coordinator's approval) holds the write lock ...
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE registry_season SET slug = slug")
        host.stdin.write("go\n")
        host.stdin.flush()
        assert host.stdout.readline().strip() == "writing", host.stderr.read()
        time.sleep(HOLD_SECONDS)  # ... while the host's registration tries to write
        released = time.time()
        holder.execute("COMMIT")
        out, err = host.communicate(timeout=TIMEOUT)
    finally:
        holder.close()
        if host.poll() is None:
            host.kill()
            host.wait()
    assert host.returncode == 0, err
    result = json.loads(out)
    # It waited for the lock to be released, then wrote.
    assert result["started"] < released <= result["done"]
    assert scratch.value("SELECT COUNT(*) FROM registry_event WHERE id = ?", result["event"]) == 1
    assert scratch.value("SELECT COUNT(*) FROM registry_hostcontact WHERE event_id = ?",
                         result["event"]) == 1
    # The settings that make it so.
    assert result["journal_mode"] == "wal"
    assert result["transaction_mode"] == "IMMEDIATE"
    assert result["timeout"] >= 5
