"""One JSON line per request, with an id that follows the request: from the proxy's
X-Request-ID when it is a sane one, on every line logged during the request, and in
the answer's X-Request-ID."""

import logging
import re

import pytest
from django.urls import reverse

from common.logging import request_id_var
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db]

NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


def test_request_line_has_method_path_status_duration_user_and_id(client, log_lines):
    user = UserFactory()
    client.force_login(user)
    requests = log_lines("inovasi.requests")

    response = client.get(reverse("contest:manage") + "?page=1&token=rahasia")

    [line] = requests.lines()
    assert line["method"] == "GET"
    assert line["path"] == reverse("contest:manage")
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    assert line["user_id"] == user.pk
    assert line["request_id"] == response["X-Request-ID"]
    assert NEW_ID.fullmatch(line["request_id"])
    assert line["level"] == "INFO"
    assert line["logger"] == "inovasi.requests"
    assert "rahasia" not in requests.text()


def test_a_password_link_is_logged_without_its_key(client, log_lines):
    from django.contrib.auth.tokens import default_token_generator

    from accounts.services import password_set_url

    user = UserFactory()
    link = password_set_url(user)
    key = default_token_generator.make_token(user)
    requests = log_lines("inovasi.requests")

    client.get(link[link.index("/accounts/") :])

    lines = requests.lines()
    assert lines
    assert all(key not in line["path"] and key not in line["message"] for line in lines)
    assert lines[0]["path"] == "/accounts/password/reset/key/…/"


def test_request_line_of_an_anonymous_visitor_has_no_user(client, log_lines):
    requests = log_lines("inovasi.requests")

    client.get(reverse("healthz"))

    [line] = requests.lines()
    assert line["user_id"] is None
    assert line["path"] == "/healthz"
    assert line["status"] == 200


def test_request_id_from_the_proxy_is_kept(client, log_lines):
    requests = log_lines("inovasi.requests")

    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="lb-3f2a9c1e-77")

    assert response["X-Request-ID"] == "lb-3f2a9c1e-77"
    assert requests.lines()[0]["request_id"] == "lb-3f2a9c1e-77"


@pytest.mark.parametrize(
    "sent",
    [
        "short",
        "x" * 65,
        "has spaces in it",
        "line\nbreak-injected",
        '{"json":"injected"}',
        "",
    ],
)
def test_request_id_that_is_not_sane_is_replaced(client, sent):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID=sent)

    assert NEW_ID.fullmatch(response["X-Request-ID"])


def test_every_line_of_the_request_carries_its_id(client, dead_redis_cache, log_lines):
    """The health check's warning and Django's report of the 503 (written after the
    middleware has returned) carry the request's id too."""
    health = log_lines("common.health")
    django_request = log_lines("django.request")

    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="proxy-id-12345678")

    assert response.status_code == 503
    [warning] = health.lines()
    assert warning["level"] == "WARNING"
    assert warning["request_id"] == "proxy-id-12345678"
    assert [line["request_id"] for line in django_request.lines()] == [
        "proxy-id-12345678"
    ]


def test_lines_after_the_request_have_no_id(client):
    client.get(reverse("healthz"))

    assert request_id_var.get() is None


def test_each_request_gets_its_own_id(client):
    first = client.get(reverse("healthz"))["X-Request-ID"]
    second = client.get(reverse("healthz"))["X-Request-ID"]

    assert first != second


def test_json_line_has_the_exception(log_lines):
    lines = log_lines("tests.ops")

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("tests.ops").exception("Failed %s", "here", extra={"k": 1})

    [line] = lines.lines()
    assert line["message"] == "Failed here"
    assert line["k"] == 1
    assert line["request_id"] is None
    assert "RuntimeError: boom" in line["exception"]
