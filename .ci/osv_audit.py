"""Audit the installed packages against an OSV advisory file, offline.

Serves OSV's `POST /v1/query` on 127.0.0.1 from a file of advisories (a JSON list, gzipped or
not, as in `../shared/data/osv-pypi-<date>.json.gz`), then runs pip-audit against it:

    python .ci/osv_audit.py [--data FILE] [-- extra pip-audit arguments]

Exits with pip-audit's status: 1 on any known vulnerability, or on any package it could not
audit. Matching follows the OSV schema (https://ossf.github.io/osv-schema/): a version is
affected when listed in `versions` or inside an ECOSYSTEM range's events.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
DATA_GLOB = "osv-pypi-*.json.gz"
ECOSYSTEM = "PyPI"

Advisory = dict[str, Any]


def canonical_name(name: str) -> str:
    """PEP 503's normal form, which pip-audit sends and PyPI's advisories use."""
    return re.sub(r"[-_.]+", "-", name).lower()


def load_advisories(path: Path) -> list[Advisory]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        advisories = json.load(handle)
    if not isinstance(advisories, list):
        raise ValueError(f"{path}: expected a JSON list of OSV advisories")
    return advisories


def index_by_package(advisories: Iterable[Advisory]) -> dict[str, list[Advisory]]:
    """Advisories by the canonical names of the PyPI packages they affect (withdrawn ones
    dropped, as OSV's own API does)."""
    index: dict[str, list[Advisory]] = defaultdict(list)
    for advisory in advisories:
        if advisory.get("withdrawn"):
            continue
        names = {
            canonical_name(affected["package"]["name"])
            for affected in advisory.get("affected", [])
            if affected.get("package", {}).get("ecosystem") == ECOSYSTEM
        }
        for name in names:
            index[name].append(advisory)
    return dict(index)


def _event_version(event: dict[str, str]) -> tuple[str, Version | None]:
    (kind, raw), *_ = event.items()
    if raw == "0":
        return kind, None  # "0" means from the first release
    return kind, Version(raw)


def _in_range(version: Version, events: list[dict[str, str]]) -> bool:
    """Walk the range's events in version order: `introduced` opens it, `fixed` closes it
    before that version, `last_affected` after it."""
    parsed = sorted(
        (_event_version(event) for event in events),
        key=lambda item: (item[1] is not None, item[1] or Version("0")),
    )
    affected = False
    for kind, at in parsed:
        if at is not None and at > version:
            break
        if kind == "introduced":
            affected = True
        elif kind == "fixed" or (kind == "last_affected" and at is not None and at < version):
            affected = False
    return affected


def affects(advisory: Advisory, name: str, version: str) -> bool:
    """Whether `advisory` affects release `version` of the PyPI package `name`."""
    for affected in advisory.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem") != ECOSYSTEM or canonical_name(package["name"]) != name:
            continue
        if version in affected.get("versions", []):
            return True
        try:
            parsed = Version(version)
        except InvalidVersion:
            continue  # not comparable: only the explicit list above can match
        for ranges in affected.get("ranges", []):
            if ranges.get("type") != "ECOSYSTEM":
                continue
            try:
                if _in_range(parsed, ranges.get("events", [])):
                    return True
            except InvalidVersion:
                continue
    return False


def query(index: dict[str, list[Advisory]], body: dict[str, Any]) -> dict[str, Any]:
    """The answer to one OSV `/v1/query` body; `{}` when nothing affects it, as OSV answers."""
    package = body.get("package") or {}
    name, version = package.get("name"), body.get("version")
    if package.get("ecosystem") != ECOSYSTEM or not isinstance(name, str):
        raise ValueError('expected {"package": {"name": ..., "ecosystem": "PyPI"}, "version": ...}')
    if not isinstance(version, str):
        raise ValueError("expected a version string")
    name = canonical_name(name)
    vulns = [advisory for advisory in index.get(name, []) if affects(advisory, name, version)]
    return {"vulns": vulns} if vulns else {}


def make_server(index: dict[str, list[Advisory]], port: int = 0) -> ThreadingHTTPServer:
    """An OSV-compatible server on 127.0.0.1 (port 0: a free one); call `serve_forever`."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path != "/v1/query":
                self._answer(404, {"message": "only POST /v1/query is served"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            try:
                answer = query(index, json.loads(self.rfile.read(length) or b"null") or {})
            except (ValueError, AttributeError) as error:
                self._answer(400, {"message": str(error)})
                return
            self._answer(200, answer)

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # pip-audit's own report says what was asked

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def newest_data(folder: Path) -> Path | None:
    found = sorted(folder.glob(DATA_GLOB))
    return found[-1] if found else None


def data_date(path: Path) -> str:
    match = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
    return match.group(1) if match else "unknown date"


def _frozen() -> str:
    return subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def audit(data: Path, extra: list[str]) -> int:
    advisories = load_advisories(data)
    server = make_server(index_by_package(advisories))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    print(
        f"Dependency audit: {len(advisories)} PyPA advisories (OSV) dated {data_date(data)}, "
        f"from {data}",
        flush=True,
    )
    try:
        with tempfile.TemporaryDirectory() as folder:
            # Every installed distribution at its exact version, pip and setuptools included;
            # the project itself (editable, not on PyPI) left out. `--strict` would count it
            # as a package it could not audit.
            installed = Path(folder) / "installed.txt"
            installed.write_text(_frozen())
            command = [
                *(sys.executable, "-m", "pip_audit", "--requirement", str(installed)),
                *("--no-deps", "--disable-pip", "--strict", "--progress-spinner", "off"),
                *("--vulnerability-service", "osv", "--osv-url", url, *extra),
            ]
            status = subprocess.run(command, check=False).returncode
    finally:
        server.shutdown()
    verdict = "no known vulnerability" if status == 0 else "FAILED (see above)"
    print(f"Dependency audit against advisories of {data_date(data)}: {verdict}", flush=True)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        help=f"advisory file (default: the newest {DATA_GLOB} in ../shared/data)",
    )
    parser.add_argument("extra", nargs="*", help="more pip-audit arguments, after --")
    args = parser.parse_args(argv)
    data = args.data or newest_data(ROOT.parent / "shared" / "data")
    if data is None or not data.exists():
        print(
            f"Dependency audit: no advisory file ({DATA_GLOB}) in ../shared/data; "
            "pass --data FILE. (The GitHub Actions 'audit' job audits against live OSV.)",
            file=sys.stderr,
        )
        return 2
    return audit(data, args.extra)


if __name__ == "__main__":
    sys.exit(main())
