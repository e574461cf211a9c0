"""The web server and the task worker write to one SQLite file at once without failing.

cms/settings/base.py opens SQLite in WAL mode with IMMEDIATE transactions and a busy timeout.
These tests run real processes on a real file (pytest-django's SQLite test database may be in
memory, and one process cannot show lock contention between two).
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite locking only matters on SQLite"
)

PROJECT_ROOT = Path(settings.BASE_DIR)
WRITES_PER_PROCESS = 200
LOCKED = "database is locked"


def sqlite_env(folder: Path) -> dict[str, str]:
    """Dev settings on a SQLite file in `folder`."""
    env = dict(os.environ)
    env.pop("DATABASE_CONN_MAX_AGE", None)  # the project's default is what is tested
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        CMS_VAR_DIR=str(folder),
    )
    return env


def writer(folder: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.cms.sqlite_writer", *args],
        cwd=PROJECT_ROOT,
        env=sqlite_env(folder),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=120)
    return process.returncode, stdout, stderr


@pytest.fixture(scope="module")
def migrated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with every migration applied, made once for the module (it takes ~10 s)."""
    folder = tmp_path_factory.mktemp("sqlite-migrated")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=PROJECT_ROOT,
        env=sqlite_env(folder),
        capture_output=True,
        check=True,
        timeout=300,
    )
    return folder / "db.sqlite3"


@pytest.fixture
def db_folder(migrated_file: Path, tmp_path: Path) -> Path:
    """A folder holding a fresh copy of the migrated file (WAL mode is kept in its header)."""
    shutil.copy(migrated_file, tmp_path / "db.sqlite3")
    return tmp_path


def rows(folder: Path) -> list[str]:
    """The topics' names, read with the sqlite3 module: no Django settings involved."""
    with sqlite3.connect(folder / "db.sqlite3") as db:
        return [name for (name,) in db.execute("SELECT name FROM cms_topic ORDER BY name")]


def test_connection_uses_wal_and_a_busy_timeout(db_folder: Path) -> None:
    code, stdout, stderr = finish(writer(db_folder, "pragmas"))

    assert code == 0, stderr
    pragmas = json.loads(stdout.strip().splitlines()[-1])
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["busy_timeout"] > 0


def test_web_requests_keep_their_connection(db_folder: Path) -> None:
    # Opening a SQLite connection costs about a millisecond; an idle one locks nothing.
    code, stdout, stderr = finish(writer(db_folder, "requests", "3"))

    assert code == 0, stderr
    served = json.loads(stdout.strip().splitlines()[-1])
    assert served == {"answers": [200] * 3, "connections": 1}


def test_web_server_and_worker_write_at_once(db_folder: Path) -> None:
    count = str(WRITES_PER_PROCESS)
    # Each transaction holds the lock 2 ms, so the two processes do wait for each other.
    web = writer(db_folder, "load", "web", count, "0.002")
    worker = writer(db_folder, "load", "worker", count, "0.002")

    results = [finish(web), finish(worker)]

    for code, _stdout, stderr in results:
        assert LOCKED not in stderr
        assert code == 0, stderr
    names = rows(db_folder)
    assert sum(name.startswith("web ") for name in names) == WRITES_PER_PROCESS
    assert sum(name.startswith("worker ") for name in names) == WRITES_PER_PROCESS


def test_a_write_after_a_read_waits_for_the_other_writer(db_folder: Path) -> None:
    reader = writer(db_folder, "handshake-reader", str(db_folder))
    other = writer(db_folder, "handshake-writer", str(db_folder))

    (reader_code, _, reader_err), (other_code, _, other_err) = finish(reader), finish(other)

    assert (reader_code, other_code) == (0, 0), reader_err + other_err
    assert rows(db_folder) == ["reader", "writer"]


def test_without_the_project_options_the_same_writes_fail(db_folder: Path) -> None:
    # The counter-case, so the test above is known to test something: with deferred
    # transactions the reader's lock upgrade is refused at once, busy timeout or not.
    reader = writer(db_folder, "--plain", "handshake-reader", str(db_folder))
    other = writer(db_folder, "--plain", "handshake-writer", str(db_folder))

    (reader_code, _, reader_err), (other_code, _, other_err) = finish(reader), finish(other)

    assert other_code == 0, other_err
    assert reader_code != 0
    assert LOCKED in reader_err
    assert rows(db_folder) == ["writer"]
