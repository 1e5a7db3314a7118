"""What the tests that run the site as separate processes share: a free port on
127.0.0.1, a new PostgreSQL database, `manage.py` in a child process, and a
process (gunicorn, a Celery worker, beat, a server the test owns) started in its
own process group, stopped or killed with everything it started, its output in a
log file the test can read."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def postgres_server() -> dict:
    """The PostgreSQL server of the test run: DATABASE_URL's when it names one,
    else the machine's (127.0.0.1:5432, user postgres)."""
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.scheme.startswith("postgres"):
        return {
            "host": url.hostname or "127.0.0.1",
            "port": url.port or 5432,
            "user": url.username or "postgres",
            "password": url.password,
        }
    return {"host": "127.0.0.1", "port": 5432, "user": "postgres", "password": None}


@contextlib.contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the run's server, dropped afterwards;
    answers its URL."""
    import psycopg

    server = postgres_server()
    # Only this machine's server is a target of these tests (they drop what
    # they made, WITH FORCE).
    assert server["host"] in {"127.0.0.1", "localhost", "::1"}, server["host"]
    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{quote(server['password'])}" if server["password"] else ""
        yield (
            f"postgres://{quote(server['user'])}{password}@{server['host']}:"
            f"{server['port']}/{name}"
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str, timeout: int = 180) -> str:
    """`manage.py ARGS` in a child process with `env`; answers what it printed."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def wait_until(
    ready: Callable[[], object], *, seconds: float, what: str, every: float = 0.2
):
    """Poll `ready` until it answers something true (answered), for at most
    `seconds`; then fail saying `what` did not happen."""
    deadline = time.monotonic() + seconds
    while True:
        value = ready()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:g} s")
        time.sleep(every)


class Process:
    """A command run in its own process group, its output appended to `log`."""

    def __init__(
        self, name: str, command: list[str], *, env: dict[str, str], log: Path
    ) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.popen: subprocess.Popen | None = None

    def start(self) -> Process:
        with self.log.open("a") as out:
            out.write(f"\n==== start: {' '.join(self.command)}\n")
            out.flush()
            self.popen = subprocess.Popen(  # noqa: S603
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def tail(self, chars: int = 4000) -> str:
        return f"--- {self.name} ---\n" + self.output()[-chars:]

    def signal(self, number: int) -> None:
        """Send `number` to the whole group (the worker and its children)."""
        if self.running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, number)

    def stop(self, *, seconds: float = 20) -> None:
        """SIGTERM to the group, SIGKILL if it is still there after `seconds`."""
        if self.popen is None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.kill()
        self.popen = None

    def kill(self) -> None:
        """SIGKILL to the whole group, as when a machine loses a process."""
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=20)
        self.popen = None
