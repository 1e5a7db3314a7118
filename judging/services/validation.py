"""Indicator validation: a validator's verdict on each indicator of an entry
assigned to them in an indicator stage, and the quality control of a random
sample of the decided verdicts (`draw_qc_sample`, `review_qc`)."""

from __future__ import annotations

import math
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import require_organizer
from contest import ledger
from contest.models import Criterion, Stage
from judging.enums import QualityCheck, Verdict
from judging.models import Assignment, Judge
from judging.models_formats import IndicatorValidation
from judging.rules import can_review_qc
from judging.services._common import _check_no_conflict, _guard
from notifications.formatting import link_to, when
from notifications.services import language_of, notify
from submissions.models import Submission
from submissions.models_answers import IndicatorAnswer

User = get_user_model()

DECIDED = (Verdict.VALID, Verdict.INVALID, Verdict.REVISION)
NEEDS_NOTE = (Verdict.INVALID, Verdict.REVISION)
NOTE_LENGTH = 4000
OPPOSITE = {Verdict.VALID: Verdict.INVALID, Verdict.INVALID: Verdict.VALID}


def _require_indicator(stage: Stage) -> None:
    if not stage.is_indicator:
        raise DomainError(
            _("Only an indicator stage has validations."), field="stage", status=409
        )


def _check_indicator(stage: Stage, criterion: Criterion) -> None:
    if criterion.stage_id != stage.pk:
        raise DomainError(
            _("Choose an indicator of this stage."), field="criterion", status=404
        )


def _validator(stage: Stage, submission: Submission, by: User) -> Judge:
    """The judge `by` is, assigned to the entry in the stage and not conflicted."""
    assignment = (
        Assignment.objects.select_related("judge")
        .filter(stage=stage, submission=submission, judge__user_id=by.pk)
        .first()
    )
    if assignment is None:
        raise DomainError(
            _("Only a judge assigned to this entry validates it."), status=403
        )
    _check_no_conflict(assignment.judge, submission)
    return assignment.judge


def _clean_note(note: Any, *, required: bool) -> str:
    if note is None:
        note = ""
    if not isinstance(note, str) or len(note) > NOTE_LENGTH:
        raise DomainError(_("Write a note of at most 4000 characters."), field="note")
    if required and not note.strip():
        raise DomainError(
            _("Say what is wrong with this evidence."), field="note", status=400
        )
    return note.strip()


def _clean_verdict(value: Any) -> Verdict:
    if not isinstance(value, str) or value not in DECIDED:
        raise DomainError(
            _("Choose valid, invalid or revision."), field="verdict", status=400
        )
    return Verdict(value)


def _locked_validation(
    stage: Stage, submission: Submission, criterion: Criterion
) -> IndicatorValidation:
    validation, _created = IndicatorValidation.objects.get_or_create(
        stage=stage, submission=submission, criterion=criterion
    )
    return IndicatorValidation.objects.select_for_update().get(pk=validation.pk)


@transaction.atomic
def record_validation(
    *,
    stage: Stage,
    submission: Submission,
    criterion: Criterion,
    verdict: Any,
    note: Any = "",
    by: User,
) -> IndicatorValidation:
    """The validator's verdict on one indicator of an entry: valid, invalid (a
    note; the indicator scores 0) or revision (a note; the entry's delegates are
    told, `indicator.revision_requested`). Only while the stage is open; audited."""
    return _record_validation(
        stage=stage,
        submission=submission,
        criterion=criterion,
        verdict=verdict,
        note=note,
        by=by,
    )


@transaction.atomic
def _record_validation(
    *,
    stage: Stage,
    submission: Submission,
    criterion: Criterion,
    verdict: Any,
    note: Any = "",
    by: User,
    check_window: bool = True,
) -> IndicatorValidation:
    """`record_validation`; with `check_window=False` (the demo, which loads a
    contest of 2023) the stage's window is not checked."""
    _guard(stage.contest)
    _require_indicator(stage)
    _check_indicator(stage, criterion)
    judge = _validator(stage, submission, by)
    if check_window and not stage.is_open():
        raise DomainError(
            _("Indicators are validated only while the stage is open."), status=409
        )
    verdict = _clean_verdict(verdict)
    note = _clean_note(note, required=verdict in NEEDS_NOTE)
    answer = IndicatorAnswer.objects.filter(
        submission=submission, criterion=criterion
    ).first()
    if answer is None and verdict != Verdict.INVALID:
        raise DomainError(
            _("The entry has not answered this indicator; it can only be invalid."),
            field="verdict",
        )
    validation = _locked_validation(stage, submission, criterion)
    if validation.qc_state in (QualityCheck.CONFIRMED, QualityCheck.OVERTURNED):
        raise DomainError(
            _("Quality control checked this validation; it no longer changes."),
            status=409,
        )
    validation.level = answer.level if answer else None
    validation.verdict, validation.note = verdict, note
    validation.validated_by, validation.validated_at = judge, timezone.now()
    validation.save()
    ledger.record(
        action="validation.recorded",
        obj=validation,
        by=by,
        contest=stage.contest,
        data=_validation_data(validation),
    )
    if verdict == Verdict.REVISION:
        _notify_revision(validation)
    return validation


def _validation_data(validation: IndicatorValidation) -> dict[str, Any]:
    return {
        "stage": validation.stage_id,
        "submission": validation.submission_id,
        "criterion": validation.criterion_id,
        "level": validation.level,
        "verdict": validation.verdict,
        "note": validation.note,
    }


def _notify_revision(validation: IndicatorValidation) -> None:
    stage, submission = validation.stage, validation.submission
    contest = stage.contest
    url = link_to(
        "submissions:indicators",
        slug=contest.slug,
        pk=submission.pk,
        stage_pk=stage.pk,
    )
    for delegate in contest.delegates.filter(region_id=submission.region_id).order_by(
        "pk"
    ):
        user = delegate.user
        notify(
            recipient=user,
            event="indicator.revision_requested",
            context={
                "contest_name": contest.name,
                "entry_title": submission.title,
                "region_name": str(submission.region),
                "stage_name": stage.name,
                "indicator_name": validation.criterion.name,
                "note": validation.note,
                "closes": when(
                    stage.closes, tzinfo=contest.tzinfo, language=language_of(user)
                ),
                "tz": contest.timezone_abbreviation,
                "url": url,
            },
            contest_id=contest.pk,
        )


@transaction.atomic
def draw_qc_sample(
    *, stage: Stage, by: User, percent: Any = None, seed: Any = None
) -> list[IndicatorValidation]:
    """Draw a random share (`percent`, else the stage's `qc_sample_percent`) of the
    stage's decided validations for quality control; those already drawn count
    towards the share and are not drawn again. Answers the newly drawn ones."""
    require_organizer(stage.contest, by)
    _guard(stage.contest)
    _require_indicator(stage)
    percent = stage.qc_sample_percent if percent is None else percent
    if (
        isinstance(percent, bool)
        or not isinstance(percent, int)
        or not 0 <= percent <= 100
    ):
        raise DomainError(_("Give a share between 0 and 100."), field="percent")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | str)):
        raise DomainError(_("Give a number or a word as the seed."), field="seed")
    # Only final verdicts: one sent back for revision is validated again first.
    decided = IndicatorValidation.objects.filter(
        stage=stage, verdict__in=(Verdict.VALID, Verdict.INVALID)
    )
    rows = list(decided.order_by("pk").values_list("pk", "qc_state"))
    wanted = math.ceil(len(rows) * percent / 100)
    drawn = sum(1 for _pk, state in rows if state != QualityCheck.NOT_SAMPLED)
    candidates = [pk for pk, state in rows if state == QualityCheck.NOT_SAMPLED]
    chosen = random.Random(seed).sample(  # noqa: S311 (a sample, not a secret)
        candidates, max(min(wanted - drawn, len(candidates)), 0)
    )
    IndicatorValidation.objects.filter(pk__in=chosen).update(
        qc_state=QualityCheck.SAMPLED
    )
    sampled = list(IndicatorValidation.objects.filter(pk__in=chosen).order_by("pk"))
    ledger.record_many(
        action="validation.sampled",
        objs=sampled,
        by=by,
        contest=stage.contest,
        data=lambda v: {"submission": v.submission_id, "criterion": v.criterion_id},
    )
    return sampled


@transaction.atomic
def review_qc(
    *,
    validation: IndicatorValidation,
    by: User,
    overturn: Any,
    note: Any = "",
    verdict: Any = None,
) -> IndicatorValidation:
    """Confirm or overturn a sampled validation (a note says why it is
    overturned). Overturning sets the verdict given (for valid or invalid, by
    default the opposite), keeps the one before, and tells the validator."""
    stage = validation.stage
    _guard(stage.contest)
    if not can_review_qc.test(by, validation):
        raise DomainError(
            _("Only an organizer or another judge of the stage checks this."),
            status=403,
        )
    validation = IndicatorValidation.objects.select_for_update().get(pk=validation.pk)
    if validation.qc_state != QualityCheck.SAMPLED:
        raise DomainError(
            _("This validation is not waiting for quality control."), status=409
        )
    if not isinstance(overturn, bool):
        raise DomainError(
            _("Say whether to overturn it (true or false)."), field="overturn"
        )
    note = _clean_note(note, required=overturn)
    if overturn:
        _overturn(validation, verdict)
        if validation.verdict in NEEDS_NOTE and not validation.note:
            validation.note = note
    validation.qc_state = (
        QualityCheck.OVERTURNED if overturn else QualityCheck.CONFIRMED
    )
    validation.qc_note, validation.qc_by, validation.qc_at = note, by, timezone.now()
    validation.save()
    ledger.record(
        action="validation.qc_reviewed",
        obj=validation,
        by=by,
        contest=stage.contest,
        data={
            **_validation_data(validation),
            "qc_state": validation.qc_state,
            "qc_verdict_before": validation.qc_verdict_before,
            "qc_note": note,
        },
    )
    if overturn:
        _notify_overturned(validation)
    return validation


def _overturn(validation: IndicatorValidation, verdict: Any) -> None:
    if verdict is None:
        verdict = OPPOSITE.get(validation.verdict)
    verdict = _clean_verdict(verdict)
    if verdict == validation.verdict:
        raise DomainError(
            _("Choose a verdict other than the validator's."), field="verdict"
        )
    validation.qc_verdict_before = validation.verdict
    validation.verdict = verdict


def _notify_overturned(validation: IndicatorValidation) -> None:
    judge = validation.validated_by
    if judge is None:
        return
    stage = validation.stage
    notify(
        recipient=judge.user,
        event="indicator.validation_overturned",
        context={
            "contest_name": stage.contest.name,
            "judge_name": judge.name or judge.user.email,
            "stage_name": stage.name,
            "entry_title": validation.submission.title,
            "indicator_name": validation.criterion.name,
            "verdict_before": str(Verdict(validation.qc_verdict_before).label),
            "verdict": str(Verdict(validation.verdict).label),
            "note": validation.qc_note,
            "url": link_to(
                "judging:validation-queue",
                slug=stage.contest.slug,
                stage_pk=stage.pk,
            ),
        },
        contest_id=stage.contest_id,
    )
