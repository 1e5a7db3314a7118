"""`/healthz`: is each service this site depends on answering?

For a load balancer and for an operator: the database, the cache, the broker and
the file storage, each "ok" or "failing" with the class name of the error (never its
message, which may hold a host name or a key). 200 when all are ok, 503 otherwise;
anonymous, without a session, never cached, and never a 500: a check that raises is
a failing check.

Each check is bounded: the database by a statement timeout (PostgreSQL) in the
request's own connection; the others run in a small pool of threads and count as
failing ("TimeoutError") when they have not answered within CHECK_TIMEOUT seconds.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError

from celery import current_app
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from common.cache import CacheMismatchError

logger = logging.getLogger(__name__)

CHECK_TIMEOUT = 2.0
BROKER_CONNECT_TIMEOUT = 1.5
PROBE_NAME = "healthz/probe"

# Threads kept between requests, so each keeps its cache and storage clients.
_pool = ThreadPoolExecutor(max_workers=6, thread_name_prefix="healthz")


def check_database() -> None:
    """SELECT 1, limited to CHECK_TIMEOUT on PostgreSQL; the limit is set back after,
    as a caller's transaction (a test's) would otherwise keep it."""
    if connection.vendor != "postgresql":
        # No transaction on SQLite: there a transaction takes the write lock
        # (IMMEDIATE), and the probe would wait behind every writer.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return
    with transaction.atomic(), connection.cursor() as cursor:
        timeout_ms = int(CHECK_TIMEOUT * 1000)
        cursor.execute("SET LOCAL statement_timeout = %s", [timeout_ms])
        cursor.execute("SELECT 1")
        cursor.fetchone()
        cursor.execute("SET LOCAL statement_timeout = DEFAULT")


def cache_check(cache) -> Callable[[], None]:
    """A set and a get of a random key (the Redis cache's own `roundtrip`, which
    raises instead of answering as a miss)."""

    def check() -> None:
        roundtrip = getattr(cache, "roundtrip", None)
        if roundtrip is not None:
            roundtrip()
            return
        key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
        cache.set(key, value, 10)
        read = cache.get(key)
        cache.delete(key)
        if read != value:
            raise CacheMismatchError

    return check


def broker_check(url: str) -> Callable[[], None]:
    def check() -> None:
        with current_app.connection_for_write(
            url, connect_timeout=BROKER_CONNECT_TIMEOUT
        ) as conn:
            conn.ensure_connection(
                max_retries=1,
                interval_start=0,
                interval_step=0,
                timeout=BROKER_CONNECT_TIMEOUT,
            )

    return check


def check_storage() -> None:
    """A bucket head on S3 (a missing bucket is not "no such file"), a lookup of a
    probe name elsewhere."""
    bucket = getattr(default_storage, "bucket", None)
    if bucket is not None:
        bucket.meta.client.head_bucket(Bucket=bucket.name)
        return
    default_storage.exists(PROBE_NAME)


def _failing(error: BaseException) -> dict:
    return {"status": "failing", "reason": type(error).__name__}


def _bounded(futures: dict) -> dict[str, dict]:
    results = {}
    for name, future in futures.items():
        try:
            future.result(timeout=CHECK_TIMEOUT)
        except FutureTimeoutError:
            results[name] = {"status": "failing", "reason": "TimeoutError"}
        except Exception as error:
            results[name] = _failing(error)
        else:
            results[name] = {"status": "ok"}
    return results


def run_checks() -> dict[str, dict]:
    """Each service's state: {"status": "ok"} or {"status": "failing", "reason"}."""
    futures = {
        "cache": _pool.submit(cache_check(caches["default"])),
        "storage": _pool.submit(check_storage),
    }
    broker_url = settings.CELERY_BROKER_URL
    eager = settings.CELERY_TASK_ALWAYS_EAGER or broker_url.startswith("memory://")
    if not eager:
        futures["broker"] = _pool.submit(broker_check(broker_url))
    try:
        check_database()
    except Exception as error:
        database = _failing(error)
    else:
        database = {"status": "ok"}
    results = {"database": database, **_bounded(futures)}
    if eager:
        results["broker"] = {"status": "ok", "mode": "eager"}
    return dict(sorted(results.items()))


@method_decorator(never_cache, name="dispatch")
class HealthView(View):
    """The services' states as JSON; 503 when one of them is failing."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        try:
            checks = run_checks()
        except Exception as error:
            logger.exception("The health checks could not run.")
            checks = {"checks": _failing(error)}
        healthy = all(check["status"] == "ok" for check in checks.values())
        for name, check in checks.items():
            if check["status"] != "ok":
                logger.warning("Health check %s failing: %s", name, check["reason"])
        return JsonResponse(
            {"status": "ok" if healthy else "failing", "checks": checks},
            status=200 if healthy else 503,
        )
