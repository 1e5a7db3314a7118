"""What the operations tests share: a port nobody listens on, a Redis cache set to
it, a real Redis server when the machine has one, and the log lines written."""

import io
import json
import logging
import shutil
import socket
import subprocess
import time

import pytest

from common.logging import JSONFormatter, RequestIdFilter


def free_port() -> int:
    """A port bound and closed again: nothing listens there."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    return free_port()


@pytest.fixture
def dead_redis_cache(settings, closed_port):
    """The site's Redis settings (REDIS_URL set), with Redis stopped."""
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/1",
        }
    }
    return closed_port


@pytest.fixture
def redis_server():
    """A throw-away redis-server on a free port; its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


class LogLines:
    """The records a logger wrote, through the site's request-id filter and JSON
    formatter, as parsed JSON objects."""

    def __init__(self):
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.addFilter(RequestIdFilter())
        self.handler.setFormatter(JSONFormatter())
        self.handler.setLevel(logging.DEBUG)

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def text(self) -> str:
        return self.stream.getvalue()


@pytest.fixture
def log_lines():
    """`log_lines("inovasi.requests")`: what that logger writes from now on."""
    attached = []

    def attach(name: str) -> LogLines:
        captured = LogLines()
        logger = logging.getLogger(name)
        logger.addHandler(captured.handler)
        attached.append((logger, captured.handler, logger.level))
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)
        return captured

    yield attach
    for logger, handler, level in attached:
        logger.removeHandler(handler)
        logger.setLevel(level)
