import pytest

from judging.results_tasks import task_compute_results, task_generate_minutes

pytestmark = [pytest.mark.django_db]


def test_task_generate_minutes_writes_them(stage, scored, organizer):
    digest = task_generate_minutes.delay(stage_id=stage.pk, user_id=organizer.pk).get()

    minutes = stage.minutes.get()
    assert minutes.sha256 == digest
    assert minutes.requested_by == organizer


def test_task_generate_minutes_skips_a_gone_stage(db):
    assert task_generate_minutes.delay(stage_id=999_999).get() == ""


def test_task_compute_results_answers_the_summary(stage, scored):
    summary = task_compute_results.delay(stage_id=stage.pk).get()

    assert summary == {"stage": stage.pk, "entries": 3, "sheets": 9, "alpha": "0.796"}


def test_task_compute_results_skips_a_gone_stage(db):
    assert task_compute_results.delay(stage_id=999_999).get() == {}
