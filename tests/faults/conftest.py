"""Faults are made to real processes: a `nightout` command, the database queue's worker, the
import, each in its own process against its own throwaway database (a copy of one migrated
once per session). On SQLite that is a file (the suite's own test database lives in memory,
which no other process can open); on PostgreSQL, a new database on the suite's server.

The tests read that database with plain SQL (`Scratch.query`), so they see what another
process committed, and nothing it did not.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NIGHTOUT = str(Path(sys.executable).with_name("nightout"))
TIMEOUT = 180  # seconds any one command may take on a loaded machine


def _suite_database() -> dict:
    from django.db import connection

    return connection.settings_dict


def _pg_url(settings: dict, name: str) -> str:
    from urllib.parse import quote

    user, password = quote(settings["USER"] or ""), quote(settings["PASSWORD"] or "")
    return (f"postgres://{user}:{password}@{settings['HOST'] or 'localhost'}"
            f":{settings['PORT'] or 5432}/{name}")


def _pg_admin(settings: dict, *statements: str) -> None:
    import psycopg

    with psycopg.connect(dbname=settings["NAME"], user=settings["USER"],
                         password=settings["PASSWORD"], host=settings["HOST"] or None,
                         port=settings["PORT"] or None, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


@dataclass
class Scratch:
    """A throwaway, migrated database that other processes can open."""

    url: str
    vendor: str

    @property
    def env(self) -> dict:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
            "PYTHONPATH": str(ROOT), "NIGHTOUT_ENV_FILE": "/dev/null",
            "SECRET_KEY": "faults-tests-only", "DATABASE_URL": self.url,
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend", "PLANNER_WORKERS": "1",
            "DJANGO_SETTINGS_MODULE": "nightout.settings",
        }

    def run(self, *args: str, check: bool = True, timeout: int = TIMEOUT, **kwargs):
        """`nightout <args>` against this database."""
        result = subprocess.run([NIGHTOUT, *args], env=self.env, cwd=ROOT, capture_output=True,
                                text=True, timeout=timeout, **kwargs)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def popen(self, *args: str) -> subprocess.Popen:
        """`nightout <args>` started, not waited for."""
        return subprocess.Popen([NIGHTOUT, *args], env=self.env, cwd=ROOT, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def scenario(self, *args: str, **kwargs):
        """`python -m tests.faults.scenario <args>`: set-ups made through the services."""
        result = subprocess.run([sys.executable, "-m", "tests.faults.scenario", *args],
                                env=self.env, cwd=ROOT, capture_output=True, text=True,
                                timeout=TIMEOUT, **kwargs)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def query(self, sql: str, *params) -> list[tuple]:
        """Rows of `sql` (with `?` placeholders), as committed now."""
        if self.vendor == "sqlite":
            conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30)
            try:
                return conn.execute(sql, params).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://"),
                             autocommit=True) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()

    def value(self, sql: str, *params):
        return self.query(sql, *params)[0][0]


@pytest.fixture(scope="session")
def scratch_template(tmp_path_factory, django_db_setup, django_db_blocker):
    """One migrated database per session, copied for each test."""
    settings = _suite_database()
    if settings["ENGINE"].endswith("sqlite3"):
        path = tmp_path_factory.mktemp("faults") / "template.sqlite3"
        template = Scratch(f"sqlite:///{path}", "sqlite")
        template.run("migrate", "-v0")
        yield template
        return
    name = f"nightout_faults_template_{uuid.uuid4().hex[:8]}"
    _pg_admin(settings, f'CREATE DATABASE "{name}"')
    template = Scratch(_pg_url(settings, name), "postgresql")
    template.run("migrate", "-v0")
    yield template
    _pg_admin(settings, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch(scratch_template, tmp_path) -> Scratch:
    if scratch_template.vendor == "sqlite":
        path = tmp_path / "nightout.sqlite3"
        shutil.copyfile(scratch_template.url.removeprefix("sqlite:///"), path)
        yield Scratch(f"sqlite:///{path}", "sqlite")
        return
    settings = _suite_database()
    name = f"nightout_faults_{uuid.uuid4().hex[:8]}"
    template = scratch_template.url.rsplit("/", 1)[1]
    _pg_admin(settings, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield Scratch(_pg_url(settings, name), "postgresql")
    _pg_admin(settings, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
