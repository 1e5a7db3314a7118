"""Many writers at once never see a 5xx, on SQLite as on PostgreSQL (DESIGN.md,
Guarantees).

The site runs as it is deployed on one machine: gunicorn, 2 worker processes of 4
threads, on 127.0.0.1, on a SQLite *file* (WAL, busy timeout, IMMEDIATE
transactions); the `postgres` variant (run by .ci/run) on a new PostgreSQL
database. Then, all at once, through the API: 8 delegates edit their own drafts (10
PATCHes each), 16 saves of one score sheet (PUT without `version`), and 6
publications of one contest. No answer is a 5xx, and what is stored is whole: each
draft holds its delegate's last edit, the sheet one save (never a mix), the contest
one publication.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

from tests.contract.client import Answer, Api, canonical_digest, expect, id_of
from tests.processes import ROOT, VENV_BIN, free_port, manage, postgres_database

EDITS_PER_DELEGATE = 10
SHEET_SAVES = 16
PUBLISHES = 6


def site_environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "DEBUG": "1",
            "ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_URL": "dummymail://",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    return env


@contextlib.contextmanager
def site_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database for the site: a SQLite file, or a PostgreSQL database
    on the server the test run uses (dropped afterwards)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    with postgres_database("inovasi_writers") as url:
        yield url


def wait_until_up(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()[-3000:]
        try:
            if Api(base_url).get("/api/v1/regions/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("the site did not start: " + log.read_text()[-3000:])


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request, tmp_path):
    """The site on a new database, served by gunicorn; answers (base URL, data)."""
    with site_database(request.param, tmp_path) as database_url:
        yield from serve(site_environment(tmp_path, database_url), tmp_path)


def serve(env: dict[str, str], tmp_path: Path):
    manage(env, "migrate", "--noinput")
    out = tmp_path / "data.json"
    manage(
        env,
        "shell",
        "-c",
        f"from tests.contract.writers_setup import main; main({str(out)!r})",
    )
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi",
                "-w",
                "2",
                "--threads",
                "4",
                "-b",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_up(base_url, server, log)
        yield base_url, json.loads(out.read_text()), log
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


def sheet_body(save: int, criteria: list[int]) -> dict:
    first = Decimal(save) / 2
    values = [first, Decimal(10) - first]
    return {
        "scores": [
            {"criterion": criterion, "value": str(value), "comment": f"save {save}"}
            for criterion, value in zip(criteria, values, strict=True)
        ],
        "comment": f"save {save}",
        "submit": False,
    }


def test_many_writers_at_once_never_see_5xx(site):
    base_url, data, log = site
    public = Api(base_url)
    password = data["password"]
    writers = data["writers"]
    emails = [draft["email"] for draft in writers["drafts"]]
    emails += [data["sheet"]["email"], data["publish"]["email"]]
    with ThreadPoolExecutor(max_workers=4) as pool:
        *signed_in, judge, organizer = pool.map(
            lambda email: public.signed_in(email, password), emails
        )
    delegates = [
        (delegate, draft["submission"])
        for delegate, draft in zip(signed_in, writers["drafts"], strict=True)
    ]
    sheet_path = f"/api/v1/assignments/{data['sheet']['assignment']}/sheet/"
    criteria = data["sheet"]["criteria"]
    publish_path = f"/api/v1/contests/{data['publish']['slug']}/publish/"

    def edit_draft(delegate: Api, entry: int) -> list[Answer]:
        path = f"/api/v1/contests/{writers['slug']}/submissions/{entry}/"
        return [
            delegate.patch(path, {"summary": f"Ringkasan {entry} versi {edit}."})
            for edit in range(EDITS_PER_DELEGATE)
        ]

    jobs = [(edit_draft, (delegate, entry)) for delegate, entry in delegates]
    jobs += [
        (lambda save: [judge.put(sheet_path, sheet_body(save, criteria))], (save,))
        for save in range(SHEET_SAVES)
    ]
    jobs += [(lambda: [organizer.post(publish_path, {})], ()) for _ in range(PUBLISHES)]
    barrier = threading.Barrier(len(jobs))
    answers: dict[int, list[Answer]] = {}
    errors: list[BaseException] = []

    def run(number: int, job, args) -> None:
        try:
            barrier.wait(timeout=30)
            answers[number] = job(*args)
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=run, args=(number, job, args), daemon=True)
        for number, (job, args) in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert len(answers) == len(jobs), "some writers did not finish"
    every = [answer for number in sorted(answers) for answer in answers[number]]
    server_errors = [str(answer) for answer in every if answer.status >= 500]
    assert server_errors == [], log.read_text()[-3000:]

    drafts = [answers[n] for n in range(len(delegates))]
    assert [a.status for edits in drafts for a in edits] == [200] * (
        len(delegates) * EDITS_PER_DELEGATE
    )
    for delegate, entry in delegates:
        path = f"/api/v1/contests/{writers['slug']}/submissions/{entry}/"
        stored = expect(delegate.get(path), 200).body["summary"]
        assert stored == f"Ringkasan {entry} versi {EDITS_PER_DELEGATE - 1}."

    saves = [answers[len(delegates) + n][0] for n in range(SHEET_SAVES)]
    assert [a.status for a in saves] == [200] * SHEET_SAVES, [str(a) for a in saves]
    sheet = expect(judge.get(sheet_path), 200).body
    winner = int(sheet["comment"].removeprefix("save "))
    expected = sheet_body(winner, criteria)["scores"]
    assert sorted(
        (id_of(s["criterion"]), Decimal(str(s["value"])), s["comment"])
        for s in sheet["scores"]
    ) == sorted((s["criterion"], Decimal(s["value"]), s["comment"]) for s in expected)

    publishes = [answers[len(delegates) + SHEET_SAVES + n][0] for n in range(PUBLISHES)]
    statuses = sorted(a.status for a in publishes)
    assert statuses in (
        [200] + [409] * (PUBLISHES - 1),
        [201] + [409] * (PUBLISHES - 1),
    ), [str(a) for a in publishes]
    published = [a for a in publishes if a.status < 300]
    results = public.get(f"/api/v1/contests/{data['publish']['slug']}/results/")
    assert expect(results, 200).body["digest"] == published[0].body["digest"]
    assert canonical_digest(results.body["snapshot"]) == results.body["digest"]
