"""Findings of the review of indicator stages, each with the test that failed
before its fix: hostile ids answer 400, a revision reopened after quality control
can be validated again, nobody checks their own validation, and a validator who
is conflicted with the entry is not counted."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from common.errors import DomainError
from judging.enums import QualityCheck, Verdict
from judging.models import Assignment
from judging.services.validation import draw_qc_sample, record_validation, review_qc
from results.selectors.index import stage_index
from submissions.services.indicators import save_indicator_answers
from tests.factories.indicators import IndicatorAnswerFactory
from tests.factories.judging import DeclaredConflictFactory, JudgeFactory
from tests.judging.validation_world import build_world

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("criterion", ["²", "9" * 5000, -(10**30)])
def test_indicator_answers_with_a_hostile_criterion_answer_400(criterion):
    world = build_world()
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(world.delegate)
    url = (
        f"/api/v1/contests/{world.contest.slug}/submissions/{world.entry.pk}"
        "/indicators/"
    )

    response = client.put(
        url, {"answers": [{"criterion": criterion, "level": 0}]}, format="json"
    )

    assert response.status_code == 400
    assert "criterion" in response.json()


@pytest.mark.parametrize("level", ["²", "9" * 5000, "-1"])
def test_the_indicator_page_refuses_a_hostile_level_naming_it(level):
    world = build_world()
    client = Client(raise_request_exception=False)
    client.force_login(world.delegate)
    client.cookies["django_language"] = "en"
    url = reverse(
        "submissions:indicators",
        kwargs={
            "slug": world.contest.slug,
            "pk": world.entry.pk,
            "stage_pk": world.stage.pk,
        },
    )

    response = client.post(url, {f"level-{world.indicators[0].pk}": level})

    assert response.status_code == 400
    assert world.entry.indicator_answers.count() == 0


def test_a_sampled_validation_reopened_by_a_revision_is_validated_again():
    world = build_world()
    indicator = world.indicators[0]
    IndicatorAnswerFactory(submission=world.entry, criterion=indicator, level=1)

    def validate(verdict, note=""):
        return record_validation(
            stage=world.stage,
            submission=world.entry,
            criterion=indicator,
            verdict=verdict,
            note=note,
            by=world.validator.user,
        )

    validation = validate("invalid", "Tidak terbukti.")
    draw_qc_sample(stage=world.stage, by=world.organizer, percent=100)
    validate("revision", "Lampirkan SK.")

    save_indicator_answers(
        submission=world.entry,
        answers=[{"criterion": indicator.pk, "level": 2}],
        by=world.delegate,
    )
    validation.refresh_from_db()
    again = validate("valid")

    assert validation.verdict == Verdict.PENDING
    assert validation.qc_state == QualityCheck.NOT_SAMPLED
    assert again.verdict == Verdict.VALID


def test_only_final_verdicts_are_drawn_for_quality_control():
    world = build_world()
    first, second = world.indicators[:2]
    for indicator in (first, second):
        IndicatorAnswerFactory(submission=world.entry, criterion=indicator, level=1)
    record_validation(
        stage=world.stage,
        submission=world.entry,
        criterion=first,
        verdict="valid",
        by=world.validator.user,
    )
    record_validation(
        stage=world.stage,
        submission=world.entry,
        criterion=second,
        verdict="revision",
        note="Lampirkan SK.",
        by=world.validator.user,
    )

    sampled = draw_qc_sample(stage=world.stage, by=world.organizer, percent=100)

    assert [v.criterion_id for v in sampled] == [first.pk]


def test_an_organizer_who_validated_does_not_check_their_own_validation():
    world = build_world()
    indicator = world.indicators[0]
    IndicatorAnswerFactory(submission=world.entry, criterion=indicator, level=1)
    judge = JudgeFactory(contest=world.contest, user=world.organizer)
    Assignment.objects.create(stage=world.stage, judge=judge, submission=world.entry)
    validation = record_validation(
        stage=world.stage,
        submission=world.entry,
        criterion=indicator,
        verdict="valid",
        by=world.organizer,
    )
    draw_qc_sample(stage=world.stage, by=world.organizer, percent=100)
    validation.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        review_qc(validation=validation, by=world.organizer, overturn=False)

    assert refused.value.status in (403, 404)
    validation.refresh_from_db()
    assert validation.qc_state == QualityCheck.SAMPLED


def test_a_validator_conflicted_after_validating_is_not_counted():
    world = build_world()
    for indicator in world.indicators:
        IndicatorAnswerFactory(submission=world.entry, criterion=indicator, level=1)
        record_validation(
            stage=world.stage,
            submission=world.entry,
            criterion=indicator,
            verdict="valid",
            by=world.validator.user,
        )

    DeclaredConflictFactory(judge=world.validator, submission=world.entry, reason="x")

    row = next(
        e for e in stage_index(world.stage).entries if e.submission == world.entry
    )
    assert row.valid == 0
    assert row.score is None
