"""The final score's stage weights and the score bands."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.models import Contest
from judging import selectors as judging_selectors
from results import selectors
from results.models import (
    ScoreBand,
    StageWeight,
)
from results.services.guards import _lock

User = get_user_model()

MAX_STAGE_WEIGHT = Decimal("9999.99")


# ---------------------------------------------------------------- configuration


def _decimal(value: Any, *, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter a number."), field=field) from None
    if not number.is_finite():
        raise DomainError(_("Enter a number."), field=field)
    return number


@transaction.atomic
def set_stage_weights(
    *, contest: Contest, weights: Mapping[int, Any], by: User
) -> dict[int, Decimal]:
    """Each scoring stage's weight in the final score (0 leaves a stage out)."""
    contest = _lock(contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    stages = {s.pk: s for s in judging_selectors.scoring_stages(contest)}
    clean: dict[int, Decimal] = {}
    if not isinstance(weights, Mapping):
        raise DomainError(_("Give a weight for each stage."), field="weights")
    for stage_id, value in weights.items():
        try:
            stage = stages.get(int(stage_id))
        except (TypeError, ValueError):
            stage = None
        if stage is None:
            raise DomainError(
                _("Stage %(id)s is not a scoring stage of this contest.")
                % {"id": stage_id},
                field="weights",
            )
        weight = _decimal(value, field="weights")
        if weight < 0 or weight > MAX_STAGE_WEIGHT or weight != round(weight, 2):
            raise DomainError(
                _("A weight is a number from 0 to 9999.99 with two decimals at most."),
                field="weights",
            )
        clean[stage.pk] = weight
    current = selectors.stage_weights(contest, stages.values())
    current.update(clean)
    if stages and not any(weight > 0 for weight in current.values()):
        raise DomainError(
            _("At least one scoring stage must count in the final score."),
            field="weights",
        )
    for stage_id, weight in clean.items():
        StageWeight.objects.update_or_create(
            stage_id=stage_id, defaults={"weight": weight}
        )
    ledger.record(
        action="results.weights_set",
        obj=contest,
        by=by,
        contest=contest,
        data={str(k): str(v) for k, v in sorted(current.items())},
    )
    return current


@transaction.atomic
def set_score_bands(
    *, contest: Contest, bands: Iterable[tuple[Any, str]], by: User
) -> list[ScoreBand]:
    """Replace the contest's score bands: (lowest score, label) pairs."""
    contest = _lock(contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    clean: list[tuple[Decimal, str]] = []
    for threshold, label in bands:
        value = _decimal(threshold, field="bands")
        label = (label or "").strip()
        if not label:
            raise DomainError(_("Every band needs a label."), field="bands")
        if len(label) > 60:
            raise DomainError(_("A label has 60 characters at most."), field="bands")
        if value < 0 or value > 100 or value != round(value, 2):
            raise DomainError(
                _("A band starts at a score from 0 to 100, two decimals at most."),
                field="bands",
            )
        clean.append((value, label))
    if not clean:
        raise DomainError(_("Give at least one band."), field="bands")
    if len({t for t, _label in clean}) != len(clean):
        raise DomainError(_("Two bands start at the same score."), field="bands")
    if len({label.casefold() for _t, label in clean}) != len(clean):
        raise DomainError(_("Two bands have the same label."), field="bands")
    ScoreBand.objects.filter(contest=contest).delete()
    rows = ScoreBand.objects.bulk_create(
        ScoreBand(contest=contest, threshold=t, label=label)
        for t, label in sorted(clean, reverse=True)
    )
    ledger.record(
        action="results.bands_set",
        obj=contest,
        by=by,
        contest=contest,
        data={"bands": [[str(t), label] for t, label in sorted(clean, reverse=True)]},
    )
    return rows


@transaction.atomic
def set_results_settings(
    *,
    contest: Contest,
    weights: Mapping[int, Any],
    bands: Iterable[tuple[Any, str]],
    by: User,
) -> tuple[dict[int, Decimal], list[ScoreBand]]:
    """The stage weights and the score bands together, all or nothing: a refused
    band leaves the weights as they were (the settings page saves both at once)."""
    contest = _lock(contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    saved_weights = (
        set_stage_weights(contest=contest, weights=weights, by=by)
        if weights
        else selectors.stage_weights(contest, judging_selectors.scoring_stages(contest))
    )
    saved_bands = set_score_bands(contest=contest, bands=bands, by=by)
    return saved_weights, saved_bands
