"""/healthz: each service ok or failing with the error's class name, 200 or 503,
anonymous, without a session or a cache, and never a 500."""

import json

import boto3
import pytest
from django.urls import reverse

from tests.accounts.test_settings import environment, run
from tests.ops.conftest import free_port

pytestmark = [pytest.mark.django_db]

ALL_OK = {
    "broker": {"status": "ok", "mode": "eager"},
    "cache": {"status": "ok"},
    "database": {"status": "ok"},
    "storage": {"status": "ok"},
}


@pytest.fixture
def s3_server():
    """moto's S3 in server mode (what the integration test runs), on a free port."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_storage(settings, endpoint: str, bucket: str) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "us-east-1",
                "addressing_style": "path",
            },
        },
    }


def test_healthz_all_ok_on_the_test_settings(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_OK}
    assert "no-store" in response["Cache-Control"]
    assert response.cookies == {}


def test_healthz_answers_head(client):
    response = client.head(reverse("healthz"))

    assert response.status_code == 200


def test_healthz_cache_failing_when_redis_is_stopped(client, dead_redis_cache):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["cache"] == {"status": "failing", "reason": "ConnectionError"}
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["storage"] == {"status": "ok"}


def test_healthz_cache_ok_on_a_running_redis(client, settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": f"{redis_server}/1",
        }
    }

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == {"status": "ok"}


def test_healthz_broker_failing_when_it_cannot_be_reached(
    client, settings, closed_port
):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"] == {"status": "failing", "reason": "OperationalError"}
    assert checks["database"] == {"status": "ok"}
    assert checks["cache"] == {"status": "ok"}


def test_healthz_broker_ok_on_a_running_redis(client, settings, redis_server):
    settings.CELERY_BROKER_URL = f"{redis_server}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == {"status": "ok"}


def test_healthz_storage_ok_on_an_s3_bucket(client, settings, s3_server):
    boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket="inovasi-media")
    s3_storage(settings, s3_server, "inovasi-media")

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == {"status": "ok"}


def test_healthz_storage_failing_when_the_bucket_is_missing(
    client, settings, s3_server
):
    s3_storage(settings, s3_server, "no-such-bucket")

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {
        "status": "failing",
        "reason": "ClientError",
    }


def test_healthz_storage_failing_when_s3_cannot_be_reached(
    client, settings, closed_port
):
    s3_storage(settings, f"http://127.0.0.1:{closed_port}", "inovasi-media")

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    storage = response.json()["checks"]["storage"]
    assert storage["status"] == "failing"
    # Refused at once, or still retrying when the check's time is up.
    assert storage["reason"] in {"EndpointConnectionError", "TimeoutError"}


def test_healthz_names_no_secret_of_a_failing_service(client, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://:hunter2@127.0.0.1:{closed_port}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert "hunter2" not in response.content.decode()
    assert str(closed_port) not in response.content.decode()


def test_healthz_database_failing_is_a_503_not_a_500(closed_port):
    """The site's settings with PostgreSQL stopped (in a fresh interpreter, as the
    database of this one cannot be swapped)."""
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/healthz'); "
        "print(json.dumps([r.status_code, r.json()]))"
    )
    env = environment(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"postgres://inovasi:rahasia@127.0.0.1:{closed_port}/inovasi",
    )

    result = run(["-c", code], env)

    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["checks"]["database"] == {
        "status": "failing",
        "reason": "OperationalError",
    }
    assert body["checks"]["cache"] == {"status": "ok"}
    assert "rahasia" not in result.stdout
