"""Admin login lockout (django-axes): five failures lock a username from an IP out."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def attempt(client: Client, password: str, username: str = "editor"):
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_right_password_logs_in(editor) -> None:
    client = Client(REMOTE_ADDR="203.0.113.5")

    response = attempt(client, PASSWORD)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_sixth_attempt_is_refused_even_with_the_right_password(editor) -> None:
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        assert attempt(client, "wrong").status_code in (200, 429)

    response = attempt(client, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username_and_ip(editor, django_user_model) -> None:
    django_user_model.objects.create_superuser("other", "other@example.org", PASSWORD)
    locked = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        attempt(locked, "wrong")

    # The same user from another address, and another user from the same address, get in.
    assert attempt(Client(REMOTE_ADDR="203.0.113.6"), PASSWORD).status_code == 302
    assert attempt(Client(REMOTE_ADDR="203.0.113.5"), PASSWORD, "other").status_code == 302
