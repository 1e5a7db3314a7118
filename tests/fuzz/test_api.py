"""The API fuzzed against its own schema (drf-spectacular's /api/schema/) with
schemathesis: for each role and each operation, generated requests, valid and
invalid, must never answer 5xx and every answer must match what the schema says
of it (status, content type, body).

Run with `FUZZ=1` (see conftest.py); `.ci/run` does. Each example runs in a
savepoint rolled back afterwards, so every request meets the same `world`.
"""

import logging
import re

import pytest

pytestmark = pytest.mark.fuzz

# Examples per operation, valid and invalid requests drawn together: 44 operations
# x 3 roles took 2 min on SQLite, on 2 cores shared with other work.
MAX_EXAMPLES = 5

PATH_PARAMETER = re.compile(r"{(\w+)}")


def _path_parameters(path, world):
    """Real rows for the path's parameters, so that requests reach the views;
    hypothesis varies the query and the body."""
    contest = world["contest"]
    if "/regions/" in path:
        row_id = world["region"].code
    elif "/categories/" in path:
        row_id = world["category"].pk
    elif "/submissions/" in path:
        row_id = world["entry"].pk
    elif "/assignments/" in path:
        row_id = world["assignment"].pk
    elif "/objections/" in path:
        row_id = world["objection"].pk
    elif "/minutes/" in path:
        row_id = world["minutes"].pk
    else:
        row_id = world["stage"].pk
    known = {
        "contest_slug": contest.slug,
        "slug": contest.slug,
        "stage_pk": world["stage"].pk,
        "evidence_pk": world["evidence"].pk,
        "submission_pk": world["entry"].pk,
        "criterion_pk": world["stage"].criteria.order_by("pk").first().pk,
        # No question of the entry form: its file routes answer 404, as documented.
        "question_pk": 999_999,
        "id": row_id,
        # The organizers' exports (results/api/exports.py): one kind of table.
        "kind": "entries",
    }
    return {name: known[name] for name in PATH_PARAMETER.findall(path)}


def _status_code_conformance_on_success(ctx, response, case):
    """The schema declares the success answers only (DRF's 400/403/404 are not
    listed per operation), so a 2xx or 3xx must be one it declares."""
    from schemathesis.specs.openapi.checks import status_code_conformance

    if response.status_code < 400:
        return status_code_conformance(ctx, response, case)
    return None


@pytest.fixture
def quiet_client_errors():
    """Thousands of 4xx answers would each log a warning; 5xx still log."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def request_signals_kept_open():
    """Django's handler closes the connection after a request (request_finished),
    which would end the test's transaction; the test client disconnects it too."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _buffered_client(application):
    """A werkzeug client that reads the answer and closes it, as a WSGI server does:
    Django then closes the request's uploaded files (schemathesis's own client
    leaves a non-streamed answer open)."""
    from werkzeug import Client

    class BufferedClient(Client):
        def open(self, *args, **kwargs):
            kwargs["buffered"] = True
            response = super().open(*args, **kwargs)
            # The body is read; closing also closes the request's input stream (a
            # temporary file, for a large generated upload).
            response.close()
            return response

    return BufferedClient(application)


def _fuzz_operation(operation, *, client, headers, path_parameters, checks):
    from django.db import transaction
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from schemathesis import GenerationMode

    strategy = st.one_of(
        operation.as_strategy(mode, headers=headers, path_parameters=path_parameters)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    )

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        with transaction.atomic():
            case.call_and_validate(session=client, checks=checks)
            transaction.set_rollback(True)

    run()


@pytest.mark.parametrize("role", ["organizer", "delegate", "judge"])
def test_api_answers_as_its_schema_says(
    role, world, settings, request_signals_kept_open, quiet_client_errors
):
    # Imported here: with FUZZ=1 a missing schemathesis fails the test, never skips it.
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
    )

    from accounts.services import issue_token
    from config.wsgi import application

    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    key, _expires = issue_token(user=world[role])
    headers = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    client = _buffered_client(application)
    checks = [
        not_a_server_error,
        _status_code_conformance_on_success,
        content_type_conformance,
        response_schema_conformance,
    ]
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _fuzz_operation(
                operation,
                client=client,
                headers=headers,
                path_parameters=_path_parameters(operation.path, world),
                checks=checks,
            )
        except (Exception, BaseExceptionGroup) as error:  # every operation's failure
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
