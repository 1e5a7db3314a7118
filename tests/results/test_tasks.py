import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from results.tasks import task_compute_results, task_generate_minutes

pytestmark = [pytest.mark.django_db]


def test_task_generate_minutes_writes_them(stage, scored, organizer):
    digest = task_generate_minutes.delay(stage_id=stage.pk, user_id=organizer.pk).get()

    minutes = stage.minutes.get()
    assert minutes.sha256 == digest
    assert minutes.requested_by == organizer


def test_minutes_asked_while_the_broker_is_down_are_written_at_once(
    client,
    contest,
    stage,
    scored,
    organizer,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """The page answers as usual (no 500 after the commit) and the record is
    not lost: written in the request, since no worker will get the task."""
    from django.urls import reverse

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(task_generate_minutes, "delay", broker_down)
    client.force_login(organizer)
    url = reverse(
        "results:minutes", kwargs={"slug": contest.slug, "stage_pk": stage.pk}
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert stage.minutes.get().requested_by == organizer


def test_task_generate_minutes_skips_a_gone_stage(db):
    assert task_generate_minutes.delay(stage_id=999_999).get() == ""


def test_task_compute_results_answers_the_summary(stage, scored):
    summary = task_compute_results.delay(stage_id=stage.pk).get()

    assert summary == {"stage": stage.pk, "entries": 3, "sheets": 9, "alpha": "0.796"}


def test_task_compute_results_skips_a_gone_stage(db):
    assert task_compute_results.delay(stage_id=999_999).get() == {}


# ---------------------------------------------------------------- a worker's registry

PROJECT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "common", "config", "contest", "judging", "notifications",
        "results", "submissions"]  # fmt: skip
TASK_NAME = re.compile(r"shared_task\(\s*name=\"([^\"]+)\"")
CALLED = re.compile(r"\b(task_\w+)\.(?:delay|apply_async)\(")
DEFINED = re.compile(r"shared_task\(\s*name=\"([^\"]+)\"[^)]*\)\s*\ndef (\w+)")


def project_sources():
    for app in APPS:
        folder = PROJECT / app
        if folder.is_dir():
            yield from (p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def test_every_task_is_registered_in_a_workers_registry():
    names, defined, called = set(), {}, set()
    for path in project_sources():
        text = path.read_text(encoding="utf-8")
        names |= set(TASK_NAME.findall(text))
        defined |= {function: name for name, function in DEFINED.findall(text)}
        called |= set(CALLED.findall(text))
    # What a worker does: load the app, then the modules it discovers (tasks.py).
    script = (
        "import django, json; django.setup(); "
        "from config.celery import app; app.loader.import_default_modules(); "
        "print(json.dumps(sorted(app.tasks)))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}

    answer = subprocess.run(  # noqa: S603 (our own interpreter, fixed script)
        [sys.executable, "-c", script],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )

    registered = set(json.loads(answer.stdout.strip().splitlines()[-1]))
    assert {"results.generate_minutes", "results.compute_results"} <= names
    assert called <= set(defined), "a task called with .delay() has no shared_task"
    assert names - registered == set()


def test_results_tasks_live_in_the_discovered_module():
    assert task_generate_minutes.__module__ == "results.tasks"
    assert task_compute_results.__module__ == "results.tasks"
    assert not (PROJECT / "judging" / "results_tasks.py").exists()
    assert not (PROJECT / "results" / "results_tasks.py").exists()
