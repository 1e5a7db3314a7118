"""The site as it is deployed, started by the test: the processes of
`deploy/Procfile` (its exact commands), on a new database, with an S3 server
(moto's) the test owns and, when distributed, a broker the test owns too.

Two ways to run it, the same scenario for both:
- "eager": what `make run` is on a laptop: SQLite, no broker (tasks run in the web
  process when the change commits), no beat (`manage.py run_scheduled` is what
  a laptop's cron runs);
- "distributed": PostgreSQL, the cache on the machine's Redis, a Redis broker,
  the web (gunicorn, 2 workers), a Celery worker and beat.
Both keep media in the S3 bucket and write e-mails to files (the file backend).
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import os
import re
import secrets
import shlex
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.contract.client import Api
from tests.processes import (
    ROOT,
    VENV_BIN,
    Process,
    free_port,
    manage,
    port_open,
    postgres_database,
    wait_until,
)

BUCKET = "inovasi-integration"
# Redis databases of the machine's server that the test may empty (the cache).
CACHE_DB = 13
# The schedule, fast enough for a test: each sweep every second, an image waiting
# 4 s counts as lost, an unacknowledged message goes back after 15 s.
FAST_SCHEDULE = {
    "OUTBOX_SWEEP_SECONDS": "1",
    "IMAGES_SWEEP_SECONDS": "1",
    "REMINDERS_SECONDS": "1",
    "EVIDENCE_WAITING_GRACE_SECONDS": "4",
    "CELERY_VISIBILITY_TIMEOUT": "15",
}
# Variables of the caller's environment that must not leak into the site's.
SITE_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DJANGO_SETTINGS_MODULE",
    "EMAIL_URL",
    "DEBUG",
    "SITE_URL",
    "MEDIA_ROOT",
}


def procfile() -> dict[str, list[str]]:
    """deploy/Procfile's commands by process name, as argument lists."""
    commands = {}
    for line in (ROOT / "deploy" / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            commands[name.strip()] = shlex.split(command)
    return commands


@dataclass
class Mail:
    to: list[str]
    subject: str
    event: str
    text: str
    html: str


def read_mails(folder: Path) -> list[Mail]:
    """Every message the file backend wrote in `folder` (one file per connection,
    messages separated by a line of 79 dashes), oldest first."""
    mails = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk, policy=email.policy.default)
            text = message.get_body(("plain",))
            html = message.get_body(("html",))
            mails.append(
                Mail(
                    to=[a.strip() for a in str(message["To"]).split(",")],
                    subject=str(message["Subject"]),
                    event=str(message["X-Inovasi-Event"]),
                    text=text.get_content() if text else "",
                    html=html.get_content() if html else "",
                )
            )
    return mails


@dataclass
class Stack:
    mode: str
    folder: Path
    env: dict[str, str]
    base_url: str
    world: dict
    s3: object
    processes: dict[str, Process] = field(default_factory=dict)
    broker: Process | None = None

    @property
    def distributed(self) -> bool:
        return self.mode == "distributed"

    @property
    def mail_folder(self) -> Path:
        return self.folder / "mail"

    def mails(self, event: str | None = None, to: str | None = None) -> list[Mail]:
        return [
            mail
            for mail in read_mails(self.mail_folder)
            if (event is None or mail.event == event) and (to is None or to in mail.to)
        ]

    def keys(self, prefix: str = "") -> list[str]:
        """The keys of the bucket's objects under `prefix`."""
        pages = self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix=prefix
        )
        return sorted(
            item["Key"] for page in pages for item in page.get("Contents", [])
        )

    def entry_keys(self, submission_id: int) -> list[str]:
        pattern = re.compile(rf"^evidence/\d+/{submission_id}/")
        return [key for key in self.keys("evidence/") if pattern.match(key)]

    def object_bytes(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def api(self) -> Api:
        return Api(self.base_url)

    def signed_in(self, email_address: str) -> Api:
        return self.api().signed_in(email_address, self.world["password"])

    def start(self, name: str, *, clock: str | None = None) -> Process:
        """Start the Procfile's `name` (again); with `clock` ("+3d"), under a
        clock moved that far (faketime)."""
        command = procfile()[name]
        if clock is not None:
            command = ["faketime", "-f", clock, *command]
        env = {**self.env, "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
        process = Process(name, command, env=env, log=self.folder / f"{name}.log")
        self.processes[name] = process.start()
        return process

    def run_scheduled(self, *, clock: str | None = None) -> str:
        """One pass of the schedule, as a laptop's cron runs it."""
        if clock is None:
            return manage(self.env, "run_scheduled")
        import subprocess

        done = subprocess.run(  # noqa: S603
            [
                shutil.which("faketime") or "faketime",
                "-f",
                clock,
                str(VENV_BIN / "python"),
                "manage.py",
                "run_scheduled",
            ],
            cwd=ROOT,
            env={**self.env, "FAKETIME_DONT_FAKE_MONOTONIC": "1"},
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done.stdout

    def logs(self) -> str:
        parts = [process.tail() for process in self.processes.values()]
        if self.broker is not None:
            parts.append(self.broker.tail(1000))
        return "\n".join(parts)

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()


def environment(mode: str, folder: Path, database_url: str, ports: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SITE_VARIABLES}
    env.update(
        {
            "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SITE_URL": f"http://127.0.0.1:{ports['web']}",
            "PORT": str(ports["web"]),
            "GUNICORN_BIND": f"127.0.0.1:{ports['web']}",
            "WEB_CONCURRENCY": "2",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(folder / "static"),
            "EMAIL_URL": f"filemail:///{folder / 'mail'}",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
            "AWS_ACCESS_KEY_ID": "integration",
            "AWS_SECRET_ACCESS_KEY": "integration",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "LOG_LEVEL": "INFO",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(folder / "celerybeat-schedule"),
            **FAST_SCHEDULE,
        }
    )
    if mode == "distributed":
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{CACHE_DB}"
        env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{ports['broker']}/0"
    return env


def start_broker(folder: Path, port: int) -> Process:
    """A Redis server of the test's own, on `port`, keeping nothing on disk (the
    test stops and starts it; the machine's server is left alone)."""
    return Process(
        "broker",
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        env=dict(os.environ),
        log=folder / "broker.log",
    ).start()


def start_s3(folder: Path, port: int):
    """moto's S3 server with the site's bucket; answers (process, client)."""
    import boto3

    server = Process(
        "s3",
        [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        env=dict(os.environ),
        log=folder / "s3.log",
    ).start()
    wait_until(lambda: port_open(port), seconds=30, what="the S3 server started")
    client = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="integration",
        aws_secret_access_key="integration",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    return server, client


def flush_cache() -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=CACHE_DB).flushdb()


@contextlib.contextmanager
def database(mode: str, folder: Path) -> Iterator[str]:
    if mode == "eager":
        yield f"sqlite:///{folder / 'db.sqlite3'}"
        return
    with postgres_database("inovasi_integration") as url:
        yield url


@contextlib.contextmanager
def running(mode: str, folder: Path) -> Iterator[Stack]:
    """The whole site of `mode`, up and answering, stopped afterwards."""
    ports = {"web": free_port(), "s3": free_port(), "broker": free_port()}
    (folder / "mail").mkdir(parents=True)
    s3_server, s3 = start_s3(folder, ports["s3"])
    broker = start_broker(folder, ports["broker"]) if mode == "distributed" else None
    try:
        with database(mode, folder) as database_url:
            env = environment(mode, folder, database_url, ports)
            yield from _up(mode, folder, env, s3, broker)
    finally:
        if broker is not None:
            broker.stop()
        s3_server.stop()


def _up(mode, folder, env, s3, broker):
    if mode == "distributed":
        flush_cache()
    release = procfile()["release"]
    assert release[:2] == ["python", "manage.py"], release
    manage(env, *release[2:])
    manage(env, "load_regions")
    manage(env, "collectstatic", "--noinput")
    world_file = folder / "world.json"
    manage(
        env,
        "shell",
        "-c",
        f"from tests.integration.world import main; main({str(world_file)!r})",
    )
    stack = Stack(
        mode=mode,
        folder=folder,
        env=env,
        base_url=env["SITE_URL"],
        world=json.loads(world_file.read_text()),
        s3=s3,
        broker=broker,
    )
    names = ["web", "worker", "beat"] if mode == "distributed" else ["web"]
    try:
        for name in names:
            stack.start(name)
        wait_until(
            lambda: _healthy(stack), seconds=90, what="the site answered /healthz"
        )
        yield stack
    except BaseException:
        print(stack.logs())
        raise
    finally:
        stack.stop()


def _healthy(stack: Stack) -> bool:
    for process in stack.processes.values():
        assert process.running, stack.logs()
    try:
        return stack.api().get("/healthz").status == 200
    except OSError:
        time.sleep(0.3)
        return False
