"""Operations settings the editors depend on: email from the environment, quiet management
commands, no third-party avatars."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from wagtail.users.utils import get_gravatar_url

from .test_settings import production_env, run

SHOW_EMAIL = (
    "from django.conf import settings as s; print(*(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT,"
    " s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL,"
    " s.WAGTAILADMIN_NOTIFICATION_FROM_EMAIL), sep='|')"
)


def _email_settings(result) -> list[str]:
    return result.stdout.strip().splitlines()[-1].split("|")  # after the shell's banner


def test_production_sends_email_through_the_smtp_server_it_is_given(tmp_path: Path) -> None:
    env = production_env(
        tmp_path,
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="cms.example.org",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="cms",
        EMAIL_HOST_PASSWORD="secret",
        DEFAULT_FROM_EMAIL="Efus CMS <cms@example.org>",
    )

    result = run(["manage.py", "shell", "-c", SHOW_EMAIL], env)

    assert _email_settings(result) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "2525",
        "cms",
        "True",
        "Efus CMS <cms@example.org>",
        "Efus CMS <cms@example.org>",
    ]


def test_without_an_smtp_server_emails_go_to_the_log(tmp_path: Path) -> None:
    env = production_env(tmp_path, SECRET_KEY="x" * 50, ALLOWED_HOSTS="cms.example.org")
    env.pop("EMAIL_HOST", None)

    result = run(["manage.py", "shell", "-c", SHOW_EMAIL], env)

    assert _email_settings(result)[:2] == ["django.core.mail.backends.console.EmailBackend", ""]


def test_management_commands_print_no_axes_banner(tmp_path: Path) -> None:
    env = production_env(tmp_path, SECRET_KEY="x" * 50, ALLOWED_HOSTS="cms.example.org")

    result = run(["manage.py", "check"], env)

    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stderr


def test_the_admin_asks_no_third_party_for_avatars(db) -> None:
    user = get_user_model()(email="editor@example.org")

    assert get_gravatar_url(user.email) is None
