"""A delegate's answers to an indicator stage's indicators: the level each claims
and a note (the evidence is the entry's Evidence tied to the indicator, added by
the evidence services, which ask `check_indicator_open`).

An indicator is answered while the entry may change (a draft in its window,
before the stage opens) or, once the entry reached the stage, while the stage is
open and the indicator is not decided (not validated yet, or sent back for
revision). A changed answer sends its validation back to pending."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen
from contest import ledger
from contest.enums import JUDGED_STAGE_KINDS, StageKind
from contest.models import Criterion, Stage
from submissions.enums import SubmissionState
from submissions.models import Submission
from submissions.models_answers import IndicatorAnswer
from submissions.rules import open_for_changes
from submissions.services._common import User, _committed, _lock, _require_delegate

# Judging's verdicts (judging.enums.Verdict), read here through the entry's reverse
# relation `validations`: submissions may not import judging.
PENDING, REVISION = "pending", "revision"
NOT_SAMPLED = ""  # judging.enums.QualityCheck.NOT_SAMPLED, read across the layers
DECIDED = ("valid", "invalid")
FIRST_STAGE_STATES = (
    SubmissionState.ELIGIBLE,
    SubmissionState.ADVANCED,
    SubmissionState.NOT_ADVANCED,
)
NOTE_LENGTH = 4000


def reached_stage(submission: Submission, stage: Stage) -> bool:
    """The entry is one of the stage's entries: a StageEntry row, or for the
    contest's first judged stage an entry that passed screening."""
    if submission.state == SubmissionState.WITHDRAWN:
        return False
    if submission.stage_entries.filter(stage=stage).exists():
        return True
    earlier = Stage.objects.filter(
        contest_id=stage.contest_id, kind__in=JUDGED_STAGE_KINDS, order__lt=stage.order
    )
    return not earlier.exists() and submission.state in FIRST_STAGE_STATES


def answer_window(submission: Submission, stage: Stage) -> str | None:
    """ "draft" (the entry may change, the stage has not opened), "stage" (the
    stage is open and the entry reached it) or None (closed)."""
    if not stage.is_indicator or submission.contest.is_frozen:
        return None
    now = timezone.now()
    if now < stage.opens and open_for_changes(submission, now):
        return "draft"
    if stage.is_open(now) and reached_stage(submission, stage):
        return "stage"
    return None


def _validation(submission: Submission, criterion: Criterion):
    return submission.validations.filter(
        stage_id=criterion.stage_id, criterion=criterion
    ).first()


def check_indicator_open(submission: Submission, criterion: Criterion) -> None:
    """Refuse (409) a change to the indicator's answer or evidence now."""
    window = answer_window(submission, criterion.stage)
    if window is None:
        raise DomainError(
            _("This indicator cannot be answered now."), field="criterion", status=409
        )
    validation = _validation(submission, criterion)
    if window == "stage" and validation is not None and validation.verdict in DECIDED:
        raise DomainError(
            _(
                "This indicator is validated; it changes only when the validator "
                "asks for a revision."
            ),
            field="criterion",
            status=409,
        )


def _indicator(contest_id: int, value: Any) -> Criterion:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DomainError(_("Choose an indicator of this contest."), field="criterion")
    if isinstance(value, str) and not (
        value.isascii() and value.isdecimal() and len(value) <= 10
    ):
        raise DomainError(_("Choose an indicator of this contest."), field="criterion")
    criterion = (
        Criterion.objects.select_related("stage")
        .filter(
            pk=int(value) if int(value) < 2**31 else 0,
            stage__contest_id=contest_id,
            stage__kind=StageKind.INDICATOR,
        )
        .first()
    )
    if criterion is None:
        raise DomainError(_("Choose an indicator of this contest."), field="criterion")
    return criterion


def _parse(contest_id: int, answers: Any) -> list[tuple[Criterion, int, str]]:
    if not isinstance(answers, list) or len(answers) > 500:
        raise DomainError(_("Give a list of answers."), field="answers")
    parsed, seen = [], set()
    for item in answers:
        if not isinstance(item, dict):
            raise DomainError(_("Give a list of answers."), field="answers")
        criterion = _indicator(contest_id, item.get("criterion"))
        if criterion.pk in seen:
            raise DomainError(_("Answer each indicator once."), field="criterion")
        seen.add(criterion.pk)
        level = item.get("level")
        if (
            isinstance(level, bool)
            or not isinstance(level, int)
            or not 0 <= level < len(criterion.levels)
        ):
            raise DomainError(_("Choose one of the indicator's levels."), field="level")
        note = item.get("note") or ""
        if not isinstance(note, str) or len(note) > NOTE_LENGTH:
            raise DomainError(
                _("Write a note of at most 4000 characters."), field="note"
            )
        parsed.append((criterion, level, note.strip()))
    return parsed


@transaction.atomic
def save_indicator_answers(
    *, submission: Submission, answers: Any, by: User
) -> list[IndicatorAnswer]:
    """Save the delegate's answers ([{criterion, level, note}]), all or nothing;
    each change is audited, and a changed answer (or any answer to an indicator
    sent back for revision) returns its validation to pending."""
    return _save_indicator_answers(submission=submission, answers=answers, by=by)


@transaction.atomic
def _save_indicator_answers(
    *, submission: Submission, answers: Any, by: User, check_window: bool = True
) -> list[IndicatorAnswer]:
    """`save_indicator_answers`; with `check_window=False` (the demo, which loads
    a contest of 2023) the answers' windows and locks are not checked."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    parsed = _parse(submission.contest_id, answers)
    for criterion, _level, _note in parsed:
        if check_window:
            check_indicator_open(submission, criterion)
    return [
        _save_one(submission, criterion, level, note, by)
        for criterion, level, note in parsed
    ]


def _save_one(
    submission: Submission, criterion: Criterion, level: int, note: str, by: User
) -> IndicatorAnswer:
    answer = IndicatorAnswer.objects.filter(
        submission=submission, criterion=criterion
    ).first()
    if answer is None or (answer.level, answer.note) != (level, note):
        answer = answer or IndicatorAnswer(submission=submission, criterion=criterion)
        answer.level, answer.note, answer.updated_by = level, note, by
        answer.save()
        ledger.record(
            action="indicator_answer.saved",
            obj=answer,
            by=by,
            contest=submission.contest,
            data={
                "submission": submission.pk,
                "criterion": criterion.pk,
                "level": level,
                "note": note,
            },
        )
    _reopen_validation(submission, criterion, level, by)
    return answer


def _reopen_validation(
    submission: Submission, criterion: Criterion, level: int, by: User
) -> None:
    validation = _validation(submission, criterion)
    if validation is None or validation.verdict == PENDING:
        return
    if validation.level == level and validation.verdict != REVISION:
        return
    validation.verdict = PENDING
    # A verdict to give again is no longer the one quality control drew or
    # checked: it leaves the sample (and may be drawn again once decided).
    validation.qc_state = NOT_SAMPLED
    validation.qc_verdict_before, validation.qc_note = "", ""
    validation.qc_by, validation.qc_at = None, None
    validation.save(
        update_fields=[
            "verdict",
            "qc_state",
            "qc_verdict_before",
            "qc_note",
            "qc_by",
            "qc_at",
            "updated_at",
        ]
    )
    ledger.record(
        action="validation.reopened",
        obj=validation,
        by=by,
        contest=submission.contest,
        data={"submission": submission.pk, "criterion": criterion.pk, "level": level},
    )
