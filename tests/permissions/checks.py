"""Send the table's requests and compare the answers with the table."""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import reverse
from django.views.generic.edit import ProcessFormView

from tests.permissions.routes import WRITE_METHODS, Route
from tests.permissions.scenario import ROLES, Scenario
from tests.permissions.table import LOGIN, PASSED, REDIRECT, Row

REFUSED = {401, 403, 404, 405}


def answered_methods(route: Route) -> list[str]:
    """The methods a route answers, without Django's PUT of a form view (an alias
    of its POST: same code, same answer)."""
    view_class = getattr(route.callback, "view_class", None)
    methods = route.methods()
    if getattr(view_class, "put", None) is ProcessFormView.put:
        methods.remove("put")
    return methods


def url_of(row: Row, scenario: Scenario) -> tuple[str, bool]:
    """The row's URL in the scenario, and whether an object it names is missing."""
    kwargs = {}
    missing = False
    for param, key in row.objects.items():
        if key.startswith("="):
            kwargs[param] = key[1:]
        elif key == "contest":
            kwargs[param] = scenario.objects["contest"].slug
        else:
            missing = missing or scenario.objects.get(key) is None
            kwargs[param] = scenario.pk(key)
    return reverse(row.name, kwargs=kwargs), missing


def matches(expected, response) -> bool:
    code = response.status_code
    if expected == PASSED:
        return code not in REFUSED and code < 500
    if code == 302 and expected in (LOGIN, REDIRECT):
        to_login = response["Location"].startswith(reverse(settings.LOGIN_URL))
        return to_login == (expected == LOGIN)
    return code == expected


def describe(response) -> str:
    if response.status_code == 302:
        return f"302 -> {response['Location']}"
    return str(response.status_code)


@contextmanager
def quiet_requests() -> Iterator[None]:
    """Refused requests are the point here: their log lines would only slow the run."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def close_answer(response) -> None:
    """Close the answer (a file's answer holds the file open) without the
    `request_finished` signal: its `close_old_connections` would close the
    connection inside this atomic block on PostgreSQL, as the test client itself
    avoids while it runs a request."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def send(client: Client, method: str, url: str):
    """One request, its writes rolled back: the next request sees the state as built."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url)
        close_answer(response)
        transaction.set_rollback(True)
    client.cookies = cookies  # a sign-out, rolled back, leaves the client signed in
    return response


def clients(scenario: Scenario) -> dict[str, Client]:
    signed = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(scenario.users[role])
        signed[role] = client
    return signed


def check_state(
    scenario: Scenario, table: dict[str, Row], routes: list[Route]
) -> tuple[int, list[str]]:
    """Every row, role and method at the scenario's state: (requests, mismatches)."""
    by_name = {route.name: route for route in routes}
    signed = clients(scenario)
    sent = 0
    wrong = []
    with quiet_requests():
        for row in table.values():
            url, missing = url_of(row, scenario)
            for method in answered_methods(by_name[row.name]):
                expect = row.expect(method, scenario.state)
                for role in ROLES:
                    expected = expect.status(role, api=row.api, missing=missing)
                    response = send(signed[role], method, url)
                    sent += 1
                    if not matches(expected, response):
                        wrong.append(
                            f"{scenario.state} {row.name} {method.upper()} {role}: "
                            f"expected {expected}, got {describe(response)}"
                        )
    return sent, wrong


def check_unanswered(
    scenario: Scenario, table: dict[str, Row], routes: list[Route]
) -> tuple[int, list[str]]:
    """A method a route does not answer gets 405, asked by a role the route lets in
    (before that, the permission check answers first), unless the row says what
    the route answers to it (a view that answers from its dispatch, before the
    method is looked at: some of allauth's, the feedback before it exists)."""
    by_name = {route.name: route for route in routes}
    signed = clients(scenario)
    state = scenario.state
    sent = 0
    wrong = []
    with quiet_requests():
        for row in table.values():
            route = by_name[row.name]
            url, missing = url_of(row, scenario)
            answered = route.methods()
            allowed = set.intersection(
                *(set(row.expect(m, state).allow) for m in row.methods)
            )
            role = next((r for r in ("superuser", "organizer") if r in allowed), None)
            if role is None or missing:
                continue
            stated = {
                method: row.expect(method, state).status(
                    role, api=row.api, missing=missing
                )
                for method in row.methods
            }
            for method in ("get", *WRITE_METHODS):
                if method in answered:
                    continue
                expect = stated.get(method, 405)
                response = send(signed[role], method, url)
                sent += 1
                if not matches(expect, response):
                    wrong.append(
                        f"{state} {row.name} {method.upper()} {role}: "
                        f"expected {expect}, got {describe(response)}"
                    )
    return sent, wrong
