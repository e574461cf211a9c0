"""`manage.py check --deploy` stays clean with the production settings and the environment
the production server runs with (test_production_server.py): WhiteNoise, multiprocess
metrics and the metrics token on. That server test shows them working."""

from __future__ import annotations

from pathlib import Path

from tests.cms.test_settings import run

from .test_production_server import production_env


def test_check_deploy_is_clean(tmp_path: Path) -> None:
    env = production_env(tmp_path, 8000)

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
