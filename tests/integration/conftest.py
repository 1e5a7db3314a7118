"""The multi-process integration tests run only with INTEGRATION=1, as `.ci/run`
sets it: they start gunicorn, a Celery worker, beat, a broker and an S3 server,
which `make test` on a laptop need not have. With INTEGRATION=1 they are required:
a missing service or program fails them, it never skips them.

What they need of the machine: PostgreSQL (DATABASE_URL's server, or
127.0.0.1:5432 as postgres), Redis on 127.0.0.1:6379 (the cache; the broker is a
`redis-server` of the machine's that the test starts on a port of its own, so
that it can stop and start it), `faketime` (Debian's package, to move the clock
of one process), and moto's S3 server (requirements-dev.txt)."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.processes import VENV_BIN, port_open, postgres_server


def pytest_collection_modifyitems(config, items):
    if os.environ.get("INTEGRATION") == "1":
        return
    chosen = [item for item in items if item.get_closest_marker("integration")]
    if chosen:
        config.hook.pytest_deselected(items=chosen)
        items[:] = [i for i in items if i.get_closest_marker("integration") is None]


def missing_services() -> list[str]:
    """What the machine lacks for these tests, in words (empty: nothing)."""
    missing = []
    server = postgres_server()
    if not port_open(server["port"], server["host"]):
        missing.append(f"PostgreSQL at {server['host']}:{server['port']}")
    if not port_open(6379):
        missing.append("Redis at 127.0.0.1:6379")
    for program in ("redis-server", "faketime"):
        if shutil.which(program) is None:
            missing.append(f"the program {program}")
    for program in ("gunicorn", "celery", "moto_server"):
        if not (VENV_BIN / program).exists():
            missing.append(f"{program} in {VENV_BIN}")
    return missing


@pytest.fixture(scope="session", autouse=True)
def _services_present():
    missing = missing_services()
    if missing:
        pytest.fail("INTEGRATION=1 but these are missing: " + "; ".join(missing))
