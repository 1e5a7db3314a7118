"""The stage's rubric while it may still change (no submitted sheet, not frozen)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import audited_update, stored
from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest import services as contest_services
from contest.indicators import indicator_fields
from contest.models import Criterion, Stage
from judging import selectors
from judging.services._common import _guard

User = get_user_model()


def check_rubric_editable(stage: Stage) -> None:
    """Refuse (409) a change to the stage's rubric once the contest is frozen or a
    judge has submitted a sheet of the stage."""
    stage.contest.refresh_from_db(fields=["frozen_at"])
    ensure_not_frozen(stage.contest)
    if selectors.submitted_sheet_exists(stage):
        raise DomainError(
            _(
                "Judges have already submitted score sheets for this stage; its rubric "
                "can no longer change. Reopen those sheets first."
            ),
            status=409,
        )


CRITERION_FIELDS = contest_services.CRITERION_FIELDS


@transaction.atomic
def add_criterion(*, stage: Stage, by: User, **data: Any) -> Criterion:
    """Add a line to the stage's rubric (the one way, for the pages and the API)."""
    require_organizer(stage.contest, by)
    _guard(stage.contest)
    check_rubric_editable(stage)
    return contest_services.create_criterion(stage=stage, by=by, **data)


@transaction.atomic
def update_criterion(
    *, criterion: Criterion, by: User, data: dict[str, Any]
) -> Criterion:
    stage = criterion.stage
    require_organizer(stage.contest, by)
    _guard(stage.contest)
    check_rubric_editable(stage)
    if stage.is_indicator and "levels" in data:
        data = {**data, **indicator_fields(data["levels"])}
    audited_update(
        criterion,
        fields=CRITERION_FIELDS,
        data=data,
        before=stored(criterion, CRITERION_FIELDS),
        record=lambda diff: ledger.record(
            action="criterion.updated",
            obj=criterion,
            by=by,
            contest=stage.contest,
            data=diff,
        ),
        reload=True,
    )
    return criterion


@transaction.atomic
def remove_criterion(*, criterion: Criterion, by: User) -> None:
    """Remove a criterion; draft scores given for it go too."""
    stage = criterion.stage
    require_organizer(stage.contest, by)
    _guard(stage.contest)
    check_rubric_editable(stage)
    ledger.record(
        action="criterion.removed",
        obj=criterion,
        by=by,
        contest=stage.contest,
        data={"stage": stage.pk, "name": criterion.name},
    )
    criterion.delete()
