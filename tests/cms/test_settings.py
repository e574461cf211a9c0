"""Production settings: refuse to start half-configured, and pass Django's deployment checks.

Each check runs in a subprocess: settings are read once per process, and this one runs on the
test settings.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PROJECT_ROOT = Path(settings.BASE_DIR)


def production_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """The current environment (DATABASE_URL included) switched to the production settings."""
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        CMS_VAR_DIR=str(tmp_path),
        **values,
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path, ALLOWED_HOSTS="cms.example.org")

    result = run(["-c", "import django; django.setup()"], env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path: Path) -> None:
    env = production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(64))
    env.pop("ALLOWED_HOSTS", None)

    result = run(["-c", "import django; django.setup()"], env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_the_deployment_checks(tmp_path: Path) -> None:
    env = production_env(
        tmp_path, SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="cms.example.org"
    )

    result = run(["manage.py", "check", "--deploy"], env)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_production_exempts_the_extra_paths_from_the_https_redirect(tmp_path: Path) -> None:
    env = production_env(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="web",
        SECURE_REDIRECT_EXEMPT_EXTRA="^graphql/",
    )
    probe = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='web')\n"
        "print(client.get('/graphql/', {'query': '{ __typename }'}).status_code)\n"
        "print(client.get('/admin/login/').status_code)\n"
    )

    result = run(["-c", probe], env)

    assert result.returncode == 0, result.stderr
    graphql_status, admin_status = result.stdout.split()[-2:]
    assert graphql_status == "200"
    assert admin_status == "301"
