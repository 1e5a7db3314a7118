"""A stopped Redis: the pages that do not need it keep answering (sign-in first,
whose rate limits and session use the cache), and every cache operation answers
as a miss."""

import logging

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db]

LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


def test_sign_in_and_dashboard_answer_with_redis_stopped(dead_redis_cache, password):
    user = UserFactory(email="kepala@bimakota.go.id")
    client = Client()

    login = client.post(LOGIN_URL, {"login": user.email, "password": password})
    dashboard = client.get(reverse("contest:manage"))

    assert login.status_code == 302
    assert login["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert dashboard.status_code == 200
    assert dashboard.wsgi_request.user == user


def test_session_outlives_redis_stopping(settings, redis_server, closed_port, password):
    """Signed in while Redis ran, still signed in once it is gone: the session
    is the database's (SESSION_ENGINE "db" whatever the cache)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": f"{redis_server}/1",
        }
    }
    user = UserFactory()
    client = Client()
    client.post(LOGIN_URL, {"login": user.email, "password": password})
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/1",
        }
    }

    dashboard = client.get(reverse("contest:manage"))

    assert dashboard.status_code == 200
    assert dashboard.wsgi_request.user == user


def test_wrong_password_with_redis_stopped_is_a_form_error(dead_redis_cache):
    user = UserFactory()

    response = Client().post(LOGIN_URL, {"login": user.email, "password": "salah"})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_plain_redis_cache_fails_the_sign_in(settings, closed_port, password):
    """What the site did before common.cache: the login page raised."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/1",
        }
    }
    user = UserFactory()

    with pytest.raises(RedisConnectionError):
        Client().post(LOGIN_URL, {"login": user.email, "password": password})


def test_operations_answer_as_a_miss_with_redis_stopped(dead_redis_cache, caplog):
    cache = caches["default"]

    with caplog.at_level(logging.WARNING, logger="common.cache"):
        answers = {
            "get": cache.get("k", "fallback"),
            "set": cache.set("k", 1),
            "add": cache.add("k", 1),
            "get_many": cache.get_many(["k", "j"]),
            "set_many": cache.set_many({"k": 1}),
            "has_key": cache.has_key("k"),
            "delete": cache.delete("k"),
            "touch": cache.touch("k"),
            "get_or_set": cache.get_or_set("k", 5),
        }
        with pytest.raises(ValueError, match="not found"):
            cache.incr("k")

    assert answers == {
        "get": "fallback",
        "set": None,
        "add": True,
        "get_many": {},
        "set_many": ["k"],
        "has_key": False,
        "delete": False,
        "touch": False,
        "get_or_set": 5,
    }
    warnings = [r for r in caplog.records if r.name == "common.cache"]
    # Once, then Redis is left alone for a few seconds.
    assert len(warnings) == 1
    assert "ConnectionError" in warnings[0].getMessage()


def test_operations_reach_a_running_redis(settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": f"{redis_server}/1",
        }
    }
    cache = caches["default"]

    cache.set("counter", 1)
    cache.incr("counter", 2)

    assert cache.get("counter") == 3
    assert cache.add("counter", 9) is False
    cache.clear()
