"""What a benchmark process works on, read from the environment before Django starts.

The runner (benchmarks/run.py) starts one process per database and catalogue size, and
gunicorn for the load phase, each with BENCH_N and (for PostgreSQL) BENCH_DATABASE_URL set.
No Django import here: the settings module reads this.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Bump when the seeded data changes: databases seeded under another version are not reused.
SEED_VERSION = 1
SIZES = (60, 600, 6000)

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("BENCH_DIR", str(BASE_DIR / "var" / "bench")))


def catalogue_size() -> int:
    return int(os.environ.get("BENCH_N", "60"))


def postgres_url(base_url: str, n: int) -> str:
    """The database of catalogue size `n` next to `base_url`'s: cms_bench -> cms_bench_v1_n600."""
    parts = urlsplit(base_url)
    name = parts.path.lstrip("/") or "cms_bench"
    return urlunsplit(parts._replace(path=f"/{name}_v{SEED_VERSION}_n{n}"))


def database_url() -> str:
    """BENCH_DATABASE_URL (PostgreSQL, already per size), else a SQLite file per size."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url:
        return url
    return f"sqlite:///{BENCH_DIR / f'db-v{SEED_VERSION}-n{catalogue_size()}.sqlite3'}"


def database_key() -> str:
    """A file-name-safe name of the database in use (for markers, index dirs, floor files)."""
    url = database_url()
    if url.startswith("sqlite"):
        return f"sqlite-v{SEED_VERSION}-n{catalogue_size()}"
    return "pg-" + urlsplit(url).path.lstrip("/")
