"""The permission table (tests/permissions/table.py) against the URL configuration,
at each state of a contest's life that changes who may do what.

Each state's test builds the contest once and sends every row's methods as every
role, each request rolled back, then lists every answer the table did not expect.
"""

import pytest

from tests.permissions.checks import (
    answered_methods,
    check_state,
    check_unanswered,
)
from tests.permissions.scenario import STATES, build_scenario
from tests.permissions.table import EXCLUDED_PREFIXES, TABLE

pytestmark = [pytest.mark.django_db]

# The per-state runs (about 15-20 s each on SQLite, 1,300-1,800 requests) carry a
# marker, to be chosen or left out with -m.
table_run = pytest.mark.permission_table


def test_every_url_has_a_row(routes):
    without = [
        route.name
        for route in routes
        if route.name not in TABLE and not route.name.startswith(EXCLUDED_PREFIXES)
    ]

    assert without == []


def test_every_row_names_a_route(routes):
    names = {route.name for route in routes}

    assert sorted(set(TABLE) - names) == []


def test_every_answered_method_has_an_expectation(routes):
    missing = [
        f"{route.name} {method}"
        for route in routes
        if route.name in TABLE
        for method in answered_methods(route)
        if method not in TABLE[route.name].methods
    ]

    assert missing == []


@table_run
@pytest.mark.parametrize("state", STATES)
def test_permissions_at_state(routes, state, record_property):
    scenario = build_scenario(state)

    sent, wrong = check_state(scenario, TABLE, routes)

    record_property("requests", sent)
    print(f"{state}: {sent} requests")
    assert wrong == [], "\n".join(wrong)


@table_run
def test_unanswered_methods_get_405(routes):
    scenario = build_scenario("judging")

    sent, wrong = check_unanswered(scenario, TABLE, routes)

    print(f"unanswered: {sent} requests")
    assert wrong == [], "\n".join(wrong)
