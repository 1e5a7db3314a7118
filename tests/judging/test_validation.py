"""Indicator validation's services: verdicts, notes, conflicts, windows, frozen
contests, the quality-control sample and its review."""

import datetime as dt

import pytest
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry
from judging.enums import QualityCheck, Verdict
from judging.models_formats import IndicatorValidation
from judging.rules import can_review_qc
from judging.services.validation import draw_qc_sample, record_validation, review_qc
from notifications.models import Notification
from tests.factories.indicators import IndicatorAnswerFactory
from tests.judging.validation_world import build_world, freeze

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def world():
    world = build_world()
    for n, criterion in enumerate(world.indicators):
        IndicatorAnswerFactory(submission=world.entry, criterion=criterion, level=n + 1)
    return world


def _record(world, verdict, note="", *, by=None, n=0):
    return record_validation(
        stage=world.stage,
        submission=world.entry,
        criterion=world.indicators[n],
        verdict=verdict,
        note=note,
        by=by or world.validator.user,
    )


def test_valid_verdict_keeps_level_and_ledger(world):
    validation = _record(world, "valid")

    assert (validation.verdict, validation.level) == (Verdict.VALID, 1)
    assert validation.validated_by == world.validator
    assert AuditEntry.objects.filter(action="validation.recorded").count() == 1


@pytest.mark.parametrize("verdict", ["invalid", "revision"])
def test_invalid_or_revision_needs_note(world, verdict):
    with pytest.raises(DomainError) as exc:
        _record(world, verdict, "  ")

    assert exc.value.field == "note"
    assert not IndicatorValidation.objects.exclude(verdict=Verdict.PENDING).exists()


def test_invalid_with_note(world):
    validation = _record(world, "invalid", "Bukan perbup")

    assert (validation.verdict, validation.note) == (Verdict.INVALID, "Bukan perbup")


@pytest.mark.parametrize("verdict", ["pending", "", None, 3, "VALID"])
def test_bad_verdict_names_verdict(world, verdict):
    with pytest.raises(DomainError) as exc:
        _record(world, verdict, "x")

    assert exc.value.field == "verdict"


def test_revision_tells_the_delegates(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _record(world, "revision", "Unggah perbup")

    row = Notification.objects.get(event="indicator.revision_requested")
    assert row.recipient == world.delegate
    assert row.context["note"] == "Unggah perbup"


def test_conflicted_judge_refused(world):
    with pytest.raises(DomainError) as exc:
        _record(world, "valid", by=world.conflicted.user)

    assert exc.value.status == 409
    assert not IndicatorValidation.objects.exists()


@pytest.mark.parametrize("who", ["other_judge", "organizer"])
def test_unassigned_refused(world, who):
    user = world.organizer if who == "organizer" else world.other_judge.user

    with pytest.raises(DomainError) as exc:
        _record(world, "valid", by=user)

    assert exc.value.status == 403


def test_refused_when_stage_closed(world):
    world.stage.opens = timezone.now() - dt.timedelta(days=5)
    world.stage.closes = timezone.now() - dt.timedelta(days=1)
    world.stage.save()

    with pytest.raises(DomainError) as exc:
        _record(world, "valid")

    assert exc.value.status == 409


def test_refused_when_frozen(world):
    freeze(world.contest)

    with pytest.raises(DomainError) as exc:
        _record(world, "valid")

    assert exc.value.status == 409
    assert not IndicatorValidation.objects.exists()


def _decided(world):
    _record(world, "valid", n=0)
    _record(world, "invalid", "Tidak ada anggaran", n=1)


def test_draw_sample_marks_share(world):
    _decided(world)

    drawn = draw_qc_sample(stage=world.stage, by=world.organizer, seed=7)

    assert len(drawn) == 1
    assert (
        IndicatorValidation.objects.filter(qc_state=QualityCheck.SAMPLED).count() == 1
    )
    assert AuditEntry.objects.filter(action="validation.sampled").count() == 1


def test_draw_sample_again_adds_none(world):
    _decided(world)
    draw_qc_sample(stage=world.stage, by=world.organizer, seed=7)

    assert draw_qc_sample(stage=world.stage, by=world.organizer, seed=8) == []


def test_draw_sample_whole(world):
    _decided(world)

    drawn = draw_qc_sample(stage=world.stage, by=world.organizer, percent=100)

    assert len(drawn) == 2


@pytest.mark.parametrize("percent", [-1, 101, "50", True])
def test_draw_sample_bad_percent(world, percent):
    with pytest.raises(DomainError) as exc:
        draw_qc_sample(stage=world.stage, by=world.organizer, percent=percent)

    assert exc.value.field == "percent"


def test_draw_sample_refused_to_judge_and_frozen(world):
    _decided(world)
    with pytest.raises(DomainError) as exc:
        draw_qc_sample(stage=world.stage, by=world.validator.user)
    assert exc.value.status == 403

    freeze(world.contest)

    with pytest.raises(DomainError) as exc:
        draw_qc_sample(stage=world.stage, by=world.organizer)
    assert exc.value.status == 409


def _sampled(world):
    _decided(world)
    draw_qc_sample(stage=world.stage, by=world.organizer, percent=100)
    return IndicatorValidation.objects.get(criterion=world.indicators[0])


def test_overturn_sets_opposite_keeps_before_and_tells_validator(
    world, django_capture_on_commit_callbacks
):
    validation = _sampled(world)

    with django_capture_on_commit_callbacks(execute=True):
        review_qc(
            validation=validation,
            by=world.other_judge.user,
            overturn=True,
            note="Dokumen tidak sah",
        )

    validation.refresh_from_db()
    assert validation.verdict == Verdict.INVALID
    assert validation.qc_verdict_before == Verdict.VALID
    assert validation.qc_state == QualityCheck.OVERTURNED
    assert validation.qc_note == "Dokumen tidak sah"
    entry = AuditEntry.objects.get(action="validation.qc_reviewed")
    assert entry.data["qc_verdict_before"] == "valid"
    note = Notification.objects.get(event="indicator.validation_overturned")
    assert note.recipient == world.validator.user


def test_overturn_to_selected_verdict(world):
    validation = _sampled(world)

    review_qc(
        validation=validation,
        by=world.organizer,
        overturn=True,
        verdict="revision",
        note="Perlu perbaikan",
    )

    validation.refresh_from_db()
    assert validation.verdict == Verdict.REVISION


def test_overturn_needs_note(world):
    validation = _sampled(world)

    with pytest.raises(DomainError) as exc:
        review_qc(validation=validation, by=world.organizer, overturn=True, note="")

    assert exc.value.field == "note"
    validation.refresh_from_db()
    assert validation.verdict == Verdict.VALID


def test_confirm(world):
    validation = _sampled(world)

    review_qc(validation=validation, by=world.organizer, overturn=False)

    validation.refresh_from_db()
    assert (validation.qc_state, validation.verdict) == (
        QualityCheck.CONFIRMED,
        Verdict.VALID,
    )


@pytest.mark.parametrize("who", ["validator", "conflicted"])
def test_review_refused_to_validator_and_conflicted(world, who):
    validation = _sampled(world)

    with pytest.raises(DomainError) as exc:
        review_qc(
            validation=validation,
            by=getattr(world, who).user,
            overturn=True,
            note="x",
        )

    assert exc.value.status == 403


def test_review_refused_when_frozen(world):
    validation = _sampled(world)
    freeze(world.contest)

    with pytest.raises(DomainError) as exc:
        review_qc(validation=validation, by=world.organizer, overturn=False)

    assert exc.value.status == 409


def test_review_of_unsampled_refused(world):
    _decided(world)
    validation = IndicatorValidation.objects.first()

    with pytest.raises(DomainError) as exc:
        review_qc(validation=validation, by=world.organizer, overturn=False)

    assert exc.value.status == 409


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("organizer", True),
        ("other_judge", True),
        ("validator", False),
        ("conflicted", False),
        ("delegate", False),
    ],
)
def test_can_review_qc_truth_table(world, who, allowed):
    validation = _sampled(world)
    user = getattr(world, who)
    user = getattr(user, "user", user)

    assert can_review_qc.test(user, validation) is allowed


def test_ledger_verifies_after_the_whole_flow():
    import io

    from django.core.management import call_command

    from submissions.services.indicators import save_indicator_answers

    world = build_world()
    first, second = world.indicators
    answers = [{"criterion": c.pk, "level": 1} for c in (first, second)]
    save_indicator_answers(submission=world.entry, answers=answers, by=world.delegate)
    _record(world, "revision", "Perbaiki", n=0)
    save_indicator_answers(
        submission=world.entry,
        answers=[{"criterion": first.pk, "level": 2}],
        by=world.delegate,
    )
    _record(world, "valid", n=0)
    _record(world, "invalid", "Tidak ada", n=1)
    draw_qc_sample(stage=world.stage, by=world.organizer, percent=100)
    validation = IndicatorValidation.objects.get(criterion=first)
    review_qc(validation=validation, by=world.organizer, overturn=True, note="Palsu")
    err = io.StringIO()

    call_command("verify_ledger", stdout=io.StringIO(), stderr=err)

    assert "indicator" not in err.getvalue()
    assert IndicatorValidation.objects.get(pk=validation.pk).verdict == "invalid"
