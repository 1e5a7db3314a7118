"""Fixtures of the permission table: the routes and one contest per state.

The per-state runs are marked `permission_table` (`-m permission_table` runs only
them, `-m "not permission_table"` leaves them out); they are collected always."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each state's run sends every POST of allauth's pages as nine roles from one
    address: the rate limits (kept in the cache) start afresh for each."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english(settings):
    """Redirects and messages in the source language; the table asserts statuses."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def routes():
    from tests.permissions.routes import all_routes

    return all_routes()
