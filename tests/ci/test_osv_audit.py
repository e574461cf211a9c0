"""The offline dependency audit (.ci/osv_audit.py): OSV matching, its HTTP answer, and
pip-audit run against it on this environment."""

from __future__ import annotations

import gzip
import importlib.util
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "osv_audit.py"
_spec = importlib.util.spec_from_file_location("osv_audit", SCRIPT)
osv_audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(osv_audit)


def advisory(id: str, name: str, *, events=(), versions=(), **extra) -> dict:
    affected = {"package": {"ecosystem": "PyPI", "name": name}, "versions": list(versions)}
    if events:
        affected["ranges"] = [{"type": "ECOSYSTEM", "events": list(events)}]
    return {"id": id, "summary": f"{id} summary", "affected": [affected], **extra}


FIXED_IN_2 = advisory("OSV-FIXED", "Some_Package", events=[{"introduced": "1.0"}, {"fixed": "2.0"}])
LAST_15 = advisory("OSV-LAST", "other", events=[{"introduced": "0"}, {"last_affected": "1.5"}])
LISTED = advisory("OSV-LISTED", "listed", versions=["0.3.1"])
WITHDRAWN = advisory(
    "OSV-WITHDRAWN", "some-package", events=[{"introduced": "0"}], withdrawn="2024-01-01T00:00:00Z"
)


@pytest.fixture
def index():
    return osv_audit.index_by_package([FIXED_IN_2, LAST_15, LISTED, WITHDRAWN])


@pytest.mark.parametrize(
    ("version", "hit"), [("0.9", False), ("1.0", True), ("1.9.9", True), ("2.0", False)]
)
def test_fixed_range_covers_introduced_up_to_the_fix(index, version, hit):
    answer = osv_audit.query(
        index, {"package": {"name": "some-package", "ecosystem": "PyPI"}, "version": version}
    )
    assert [v["id"] for v in answer.get("vulns", [])] == (["OSV-FIXED"] if hit else [])


@pytest.mark.parametrize(("version", "hit"), [("0.1", True), ("1.5", True), ("1.5.1", False)])
def test_last_affected_includes_that_release(index, version, hit):
    assert osv_audit.affects(LAST_15, "other", version) is hit


def test_explicit_versions_match_even_without_ranges():
    assert osv_audit.affects(LISTED, "listed", "0.3.1")
    assert not osv_audit.affects(LISTED, "listed", "0.3.2")


def test_names_are_compared_in_pep_503_form(index):
    body = {"package": {"name": "SOME.package", "ecosystem": "PyPI"}, "version": "1.2"}
    assert [v["id"] for v in osv_audit.query(index, body)["vulns"]] == ["OSV-FIXED"]


def test_withdrawn_advisories_are_not_reported(index):
    body = {"package": {"name": "some-package", "ecosystem": "PyPI"}, "version": "2.5"}
    assert osv_audit.query(index, body) == {}


def test_server_answers_osv_queries_over_http(index):
    server = osv_audit.make_server(index)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    try:
        body = json.dumps({"package": {"name": "listed", "ecosystem": "PyPI"}, "version": "0.3.1"})
        with urllib.request.urlopen(url, data=body.encode(), timeout=5) as response:
            assert response.status == 200
            assert [v["id"] for v in json.load(response)["vulns"]] == ["OSV-LISTED"]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, data=b'{"version": 3}', timeout=5)
        assert refused.value.code == 400
    finally:
        server.shutdown()


def _run_audit(tmp_path: Path, advisories: list[dict]) -> subprocess.CompletedProcess:
    data = tmp_path / "osv-pypi-2026-01-02.json.gz"
    with gzip.open(data, "wt") as handle:
        json.dump(advisories, handle)
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_audit_fails_on_an_installed_package_with_an_advisory(tmp_path):
    pinned = installed_version("sortedcontainers")
    result = _run_audit(tmp_path, [advisory("OSV-TEST-1", "sortedcontainers", versions=[pinned])])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "OSV-TEST-1" in result.stdout
    assert "advisories of 2026-01-02: FAILED" in result.stdout


def test_audit_passes_and_says_the_data_date_when_nothing_is_affected(tmp_path):
    result = _run_audit(tmp_path, [advisory("OSV-TEST-2", "sortedcontainers", versions=["0.0.1"])])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "advisories of 2026-01-02: no known vulnerability" in result.stdout
