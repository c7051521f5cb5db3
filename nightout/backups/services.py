"""Backups of the whole database, and restoring one.

SQLite is copied with its online backup API: consistent while the site keeps serving.
PostgreSQL is dumped with pg_dump (custom format) and restored with pg_restore in one
transaction, so a failed restore leaves the database as it was.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

NOT_A_BACKUP = "{path} is not a nightout backup of this kind of database ({detail})."
NO_TOOL = ("{tool} is not installed: install the PostgreSQL client tools "
           "(apt install postgresql-client).")
UNSUPPORTED = "Backups support SQLite and PostgreSQL, not {vendor}."


class BackupError(Exception):
    pass


def _pg_env() -> dict:
    s = connection.settings_dict
    env = {**os.environ, "PGDATABASE": s["NAME"]}
    for key, var in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"),
                     ("PORT", "PGPORT")):
        if s.get(key):
            env[var] = str(s[key])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(NO_TOOL.format(tool=name))
    return path


def backup_create(*, path: Path) -> Path:
    """Write a backup of the database to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}"],
                       env=_pg_env(), check=True, capture_output=True)
    else:
        raise BackupError(UNSUPPORTED.format(vendor=connection.vendor))
    return path


def backup_check(*, path: Path) -> str:
    """What the backup holds, or BackupError if it is not one we can restore."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(NOT_A_BACKUP.format(path=path, detail="no such file"))
    if connection.vendor == "sqlite":
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master")}
            migrations = source.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0]
            events = source.execute("SELECT COUNT(*) FROM registry_event").fetchone()[0]
            source.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(NOT_A_BACKUP.format(path=path, detail=exc)) from None
        return f"{len(tables)} tables, {migrations} migrations, {events} events"
    result = subprocess.run([_tool("pg_restore"), "--list", str(path)], capture_output=True,
                            text=True, env=_pg_env())
    if result.returncode != 0 or "registry_event" not in result.stdout:
        raise BackupError(NOT_A_BACKUP.format(path=path, detail=result.stderr.strip()[:200]))
    return f"{result.stdout.count(' TABLE DATA ')} tables of data"


def backup_restore(*, path: Path) -> str:
    """Replace the database's contents with the backup's. Stop the site first."""
    summary = backup_check(path=path)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        result = subprocess.run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={connection.settings_dict['NAME']}", str(path)],
            env=_pg_env(), capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(result.stderr.strip()[:500])
    return summary
