"""Online backup and restore of the whole database, taken while the site
keeps writing. SQLite: the online backup API copies a consistent snapshot
(WAL readers never block the writer). PostgreSQL: pg_dump, which reads one
snapshot, and pg_restore in a single transaction."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SQLITE_MAGIC, PG_MAGIC = b"SQLite format 3\x00", b"PGDMP"


class BackupError(Exception):
    """Shown to the operator as is."""


def database_backup(*, path: Path, using: str = "default") -> Path:
    """Write a backup of the database to `path` (via a temporary file, so a
    crash never leaves a half-written file under the final name)."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    connection = connections[using]
    if connection.vendor == "sqlite":
        _sqlite_copy(source=connection.settings_dict["NAME"], target=partial)
        _sqlite_integrity(partial)
    elif connection.vendor == "postgresql":
        _pg_run("pg_dump", connection, ["--format=custom", "--no-owner", "--file", str(partial)])
    else:
        raise BackupError(f"no backup method for {connection.vendor}")
    os.replace(partial, path)
    return path


def database_restore(*, path: Path, using: str = "default") -> None:
    """Replace the database's content with the backup at `path`."""
    path = Path(path)
    connection = connections[using]
    head = path.read_bytes()[:16] if path.is_file() else b""
    if connection.vendor == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not an SQLite backup")
        _sqlite_integrity(path)
        connection.close()
        _sqlite_copy(source=path, target=connection.settings_dict["NAME"])
    elif connection.vendor == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{path} is not a pg_dump custom-format backup")
        connection.close()
        _pg_run(
            "pg_restore",
            connection,
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", str(path)],
        )
    else:
        raise BackupError(f"no restore method for {connection.vendor}")


def _sqlite_copy(*, source, target) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=20)
    dst = sqlite3.connect(str(target), timeout=20)
    try:
        # One step (pages=-1): the copy is one read snapshot, so writers that
        # commit meanwhile neither restart nor tear it.
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _sqlite_integrity(path) -> None:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()
    if result != "ok":
        raise BackupError(f"{path}: integrity check failed: {result}")


def _pg_run(program: str, connection, args: list[str]) -> None:
    executable = shutil.which(program)
    if not executable:
        raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client)")
    params = connection.settings_dict
    command = [executable, "--dbname", params["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            command += [flag, str(params[key])]
    env = dict(os.environ, PGPASSWORD=params.get("PASSWORD") or "")
    result = subprocess.run(command + args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")
