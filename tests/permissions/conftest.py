"""Fixtures of the permission table: the routes and one contest per state."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    """The per-state runs (marked `permission_table`) run with PERMISSIONS_TABLE=1."""
    if os.environ.get("PERMISSIONS_TABLE"):
        return
    chosen = [item for item in items if "permission_table" not in item.keywords]
    if len(chosen) != len(items):
        config.hook.pytest_deselected(
            items=[item for item in items if "permission_table" in item.keywords]
        )
        items[:] = chosen


@pytest.fixture(autouse=True)
def _english(settings):
    """Redirects and messages in the source language; the table asserts statuses."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def routes():
    from tests.permissions.routes import all_routes

    return all_routes()
