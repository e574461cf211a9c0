"""Django's database settings for a DATABASE_URL, with the SQLite options the project needs.

Used by base.py (re-exported there) and by benchmarks/settings.py for its own database.
"""

import dj_database_url

from cms.env import env_str


def database_settings(url: str) -> dict:
    """Django's settings for the database at `url`, with the SQLite options the project needs.

    The web server and the task worker write to one SQLite file at once. WAL lets readers go
    on during a write; IMMEDIATE transactions take the write lock up front, so a writer waits
    (up to the busy timeout) instead of failing with "database is locked" on lock upgrade.
    Connections are kept between requests on both engines: opening one costs SQLite about a
    millisecond (Django registers its SQL functions, the options run), a tenth of a search.
    Between requests a connection holds no lock and no read snapshot (no transaction or
    cursor outlives a request), so it keeps no writer waiting and no WAL checkpoint back. As
    with PostgreSQL, no connection may be opened before a server forks its workers (no
    gunicorn --preload with database work at start-up).

    A PostgreSQL that accepts connections and never answers would hold a new connection for
    psycopg's default 130 s: DATABASE_CONNECT_TIMEOUT_SECONDS (5; libpq's minimum is 2)
    bounds it, for requests and for /readyz's database check alike.
    """
    database = dj_database_url.parse(
        url, conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": int(env_str("SQLITE_BUSY_TIMEOUT", "20")),
        }
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {})["connect_timeout"] = int(
            env_str("DATABASE_CONNECT_TIMEOUT_SECONDS", "5")
        )
    return database
