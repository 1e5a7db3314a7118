"""deploy/: the Procfile, the Compose file, the reverse proxy and the environment
list agree with each other and with the settings; gunicorn starts with its config."""

import json
import os
import re
import runpy
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings

from tests.ops.conftest import free_port

PROJECT = Path(__file__).resolve().parents[2]
DEPLOY = PROJECT / "deploy"
PROCESSES = ("release", "web", "worker", "beat")
# Variables gunicorn or Compose read themselves, not the site.
OUTSIDE_SETTINGS = {"POSTGRES_PASSWORD", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"}


def procfile() -> dict[str, str]:
    lines = (DEPLOY / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def documented() -> set[str]:
    text = (DEPLOY / "env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def read_by(path: Path) -> set[str]:
    """The variables a Python file reads with django-environ, os.environ or the
    gunicorn config's _env_int."""
    source = path.read_text()
    names = re.findall(r"env(?:\.\w+|_int)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source)
    names += re.findall(r"os\.environ(?:\.get)?[\[(]\s*[\"']([A-Z][A-Z0-9_]*)", source)
    return set(names)


def test_procfile_has_the_four_processes():
    assert procfile() == {
        "release": "python manage.py migrate --noinput",
        "web": "gunicorn config.wsgi:application -c deploy/gunicorn.conf.py",
        "worker": "celery -A config worker --loglevel=info --concurrency=2",
        "beat": "celery -A config beat --loglevel=info",
    }


def test_compose_runs_the_procfile_commands():
    services = compose()["services"]

    commands = {name: services[name]["command"] for name in PROCESSES}

    assert commands == procfile()


def test_compose_has_every_service_of_the_site():
    assert set(compose()["services"]) >= {
        *PROCESSES,
        "postgres",
        "redis",
        "minio",
        "nginx",
    }


def test_env_example_lists_every_variable_the_site_reads():
    read = read_by(PROJECT / "config" / "settings.py") | read_by(
        DEPLOY / "gunicorn.conf.py"
    )

    assert sorted(read - documented()) == []


def test_env_example_lists_only_variables_something_reads():
    read = read_by(PROJECT / "config" / "settings.py") | read_by(
        DEPLOY / "gunicorn.conf.py"
    )

    assert sorted(documented() - read - OUTSIDE_SETTINGS) == []


def test_compose_sets_only_documented_variables():
    services = compose()["services"]
    names = {
        name
        for service in PROCESSES
        for name in services[service].get("environment", {})
    }

    assert sorted(names - documented()) == []


def test_nginx_accepts_an_entry_of_the_largest_size():
    text = (DEPLOY / "nginx.conf").read_text()

    [megabytes] = re.findall(r"client_max_body_size (\d+)m;", text)

    assert int(megabytes) * 1024 * 1024 > django_settings.EVIDENCE_MAX_ENTRY_SIZE
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in text
    assert "X-Forwarded-Proto $scheme" in text
    assert "X-Request-ID" in text


@pytest.mark.parametrize(
    ("environment", "bind", "workers"),
    [
        ({}, "127.0.0.1:8000", 2),
        ({"PORT": "9123", "WEB_CONCURRENCY": "5"}, "0.0.0.0:9123", 5),
        ({"PORT": "9123", "GUNICORN_BIND": "unix:/run/inovasi.sock"}, None, 2),
    ],
)
def test_gunicorn_config_from_the_environment(monkeypatch, environment, bind, workers):
    for name in ("PORT", "WEB_CONCURRENCY", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert config["bind"] == (bind or environment.get("GUNICORN_BIND"))
    assert config["workers"] == workers
    assert config["worker_class"] == "sync"
    assert config["accesslog"] is None
    assert config["timeout"] > 0


def test_gunicorn_starts_with_the_config_and_logs_json(tmp_path):
    """The Procfile's web line, as the integration test runs it: /healthz answers
    and the request's line is JSON with the proxy's request id."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DEBUG": "0",
        "SECRET_KEY": "gunicorn-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path),
        "LOG_FORMAT": "json",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME"):
        env.pop(name, None)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603
            procfile()["web"].split(), cwd=PROJECT, env=env, stderr=output
        )
    try:
        body = _healthz(port)
    finally:
        process.terminate()
        process.wait(timeout=30)

    assert body["status"] == "ok"
    lines = [
        json.loads(line) for line in log.read_text().splitlines() if line[:1] == "{"
    ]
    [request] = [line for line in lines if line["logger"] == "inovasi.requests"]
    assert request["path"] == "/healthz"
    assert request["request_id"] == "deploy-test-0001"
    assert any(line["logger"] == "gunicorn.error" for line in lines)


def _healthz(port: int) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "deploy-test-0001"}
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                return json.loads(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
