"""Throughput of three pages beside a minimal view, under gunicorn (2 sync workers
on 127.0.0.1 only, with the benchmark settings and urlconf), by a bounded loop of
client threads: part of `make bench` (benchmarks/pages.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.pages import PORT, ROOT, THROUGHPUT_CLIENTS, THROUGHPUT_SECONDS


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def hammer(url: str, cookie: str, seconds: float) -> dict:
    """THROUGHPUT_CLIENTS threads requesting `url` for `seconds`; answers the
    requests per second and how many were not 200."""
    import threading
    import urllib.request

    deadline = time.perf_counter() + seconds
    counts = {"ok": 0, "bad": 0}
    lock = threading.Lock()

    def loop() -> None:
        # http://127.0.0.1 only: the URLs are built below from PORT.
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    response.read()
                    good = response.status == 200
            except OSError:
                good = False
            with lock:
                counts["ok" if good else "bad"] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=loop) for _ in range(THROUGHPUT_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"per_second": counts["ok"] / elapsed, "failed": counts["bad"]}


def start_gunicorn() -> subprocess.Popen:
    """gunicorn with 2 sync workers on 127.0.0.1, once it answers the ping."""
    import urllib.request

    server = subprocess.Popen(  # noqa: S603 (our own gunicorn and arguments)
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/ping/") as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer")


def measure_throughput(national) -> list[dict]:
    """Requests per second under gunicorn for three pages and the ping."""
    from django.urls import reverse

    slug = national.contest.slug
    stage = {"slug": slug, "stage_pk": national.stage.pk}
    targets = [
        ("minimal view", "", "/bench/ping/"),
        ("public results", "", reverse("results:public", args=[slug])),
        (
            "organizer stage results",
            session_cookie(national.organizer),
            reverse("results:stage", kwargs=stage),
        ),
        (
            "judge's assignments",
            session_cookie(national.judge_user),
            reverse("judging:my-assignments"),
        ),
    ]
    server = start_gunicorn()
    try:
        rows = []
        for name, cookie, path in targets:
            url = f"http://127.0.0.1:{PORT}{path}"
            hammer(url, cookie, 1.0)
            rows.append({"page": name, **hammer(url, cookie, THROUGHPUT_SECONDS)})
            print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows
