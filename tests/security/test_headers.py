"""Security headers on the API and the admin, and CORS for the front ends only."""

import json
import re

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

FRONT_END = "http://localhost:3000"
QUERY = json.dumps({"query": "{ __typename }"})


def graphql(**extra: str):
    return Client().post("/graphql/", QUERY, content_type="application/json", **extra)


@pytest.mark.parametrize("url", ["/graphql/", "/admin/login/"])
def test_every_response_carries_the_security_headers(url: str) -> None:
    response = graphql() if url == "/graphql/" else Client().get(url)

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Content-Security-Policy" in response


def test_admin_login_has_a_csp_wagtail_works_with() -> None:
    response = Client().get("/admin/login/")

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    # Wagtail's admin uses inline styles; without this the login page renders unstyled.
    assert "style-src 'self' 'unsafe-inline'" in policy


def test_the_page_editor_loads_under_the_csp(django_user_model, home_page) -> None:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "x"))

    response = client.get(f"/admin/pages/{home_page.pk}/edit/")

    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    # script-src is 'self': the editor must load no script from another origin.
    assert not re.findall(r"<script[^>]*\bsrc=\"(?:https?:)?//", response.content.decode())


def test_cors_allows_a_front_end_without_credentials() -> None:
    response = graphql(HTTP_ORIGIN=FRONT_END)

    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_preflight_allows_get_post_options_only() -> None:
    response = Client().options(
        "/graphql/",
        HTTP_ORIGIN=FRONT_END,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "POST", "OPTIONS"}


def test_cors_refuses_an_unknown_origin() -> None:
    response = graphql(HTTP_ORIGIN="https://evil.example")

    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[FRONT_END])
def test_cors_is_for_the_api_only() -> None:
    response = Client().get("/admin/login/", HTTP_ORIGIN=FRONT_END)

    assert "Access-Control-Allow-Origin" not in response


def test_a_rate_limited_answer_still_carries_cors(settings) -> None:
    settings.GRAPHQL_RATE_LIMIT_POINTS = 0

    response = graphql(HTTP_ORIGIN=FRONT_END, REMOTE_ADDR="203.0.113.77")

    assert response.status_code == 429
    assert response["Access-Control-Allow-Origin"] == FRONT_END
