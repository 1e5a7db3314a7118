"""Advancing a stage's best entries to the next scoring stage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.clusters import cluster_members
from contest.enums import RegionType
from contest.models import Contest, Stage
from judging.services import set_stage_entries, sync_derived_conflicts
from results import selectors
from results.computing import standings
from results.models import (
    AdvancementDecision,
)
from results.services.guards import _lock
from results.services.minutes import request_minutes
from submissions.enums import ALLOWED_TRANSITIONS, SubmissionState
from submissions.models import Submission
from submissions.services import set_submission_state

User = get_user_model()

# ---------------------------------------------------------------- advancement


class UndecidedTieError(DomainError):
    """Entries tie at a cut and the organizer has not chosen (or chose wrongly)
    which of them advance. `ties` lists them for the page and the API."""

    def __init__(self, message: Any, *, ties: list[dict[str, Any]], status: int = 409):
        super().__init__(message, field="tie_break", status=status)
        self.ties = ties


def _clean_quotas(
    quotas: Mapping[str, Any] | None, *, contest: Contest | None = None
) -> dict[str, int]:
    """Places per region type or per cluster (by its slug); clusters whose
    regions overlap cannot share a quota set."""
    if not quotas:
        return {}
    slugs = set(cluster_members(contest).codes_by_slug()) if contest else set()
    clean: dict[str, int] = {}
    for key, value in quotas.items():
        if key not in RegionType.values and key not in slugs:
            raise DomainError(
                _(
                    "“%(type)s” is neither a region type (provinsi, kabupaten, "
                    "kota) nor a cluster of this contest."
                )
                % {"type": str(key)[:80]},
                field="quotas",
            )
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and value.strip().isdigit():
            number = int(value)
        else:
            number = -1
        if number < 0:
            raise DomainError(
                _("A quota is a whole number of places, 0 or more."), field="quotas"
            )
        if number:
            clean[key] = number
    if not clean:
        raise DomainError(
            _("Give at least one region type a place, or no quotas at all."),
            field="quotas",
        )
    if contest is not None:
        _refuse_overlap(contest, clean)
    return clean


def _refuse_overlap(contest: Contest, quotas: Mapping[str, int]) -> None:
    codes = selectors.quota_codes(contest, list(quotas))
    if codes is None:
        return
    keys = sorted(codes)
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            shared = codes[first] & codes[second]
            if shared:
                raise DomainError(
                    _(
                        "“%(first)s” and “%(second)s” share regions (such as "
                        "%(code)s): an entry would count in two quotas."
                    )
                    % {"first": first, "second": second, "code": min(shared)},
                    field="quotas",
                )


def _move(submission: Submission, target: str, *, by: User, reason: str) -> None:
    """Bring the entry to `target` through the allowed transitions (an entry not
    advanced goes back to eligible before it can advance)."""
    if submission.state == target:
        return
    if target not in ALLOWED_TRANSITIONS.get(submission.state, frozenset()):
        set_submission_state(
            submission=submission,
            new_state=SubmissionState.ELIGIBLE,
            by=by,
            reason=reason,
        )
    set_submission_state(submission=submission, new_state=target, by=by, reason=reason)


@transaction.atomic
def advance_stage(
    *,
    stage: Stage,
    by: User,
    tie_break: Iterable[int] = (),
    quotas: Mapping[str, Any] | None = None,
    ranked_by: str = selectors.RANK_NORMALIZED,
) -> AdvancementDecision:
    """Advance the best entries of each category (stage.advance_per_category, or the
    quotas per region type) to the next scoring stage; the others become "not
    advanced". The stage is ranked by `ranked_by`: the normalized score, or the
    raw one (recorded with the decision; the snapshot ranks the stage so too).
    Ties at a cut need `tie_break`: the ids of the tied entries that advance (409
    listing the ties otherwise). Records the decision, makes the advanced entries
    the next stage's entries (judging.services.set_stage_entries), audits it and
    queues the stage's minutes."""
    contest = _lock(stage.contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    next_stage = _stage_to_advance_to(stage, ranked_by=ranked_by)
    sync_derived_conflicts(contest=contest, by=by)
    clean_quotas = _clean_quotas(quotas, contest=contest)
    places = _places(stage, clean_quotas)
    computation = _scored_results(stage, ranked_by=ranked_by)
    preview = selectors.advancement_preview(
        stage, computation=computation, quotas=clean_quotas
    )
    chosen = _clean_tie_break(tie_break)
    advanced, not_advanced = _settle_cut(preview, chosen)
    _move_entries(stage, preview.entries, advanced=advanced, by=by)
    decision = AdvancementDecision.objects.create(
        stage=stage,
        decided_by=by,
        decided_at=timezone.now(),
        places=places,
        quotas=clean_quotas,
        advanced=advanced,
        not_advanced=not_advanced,
        tie_decisions=_tie_decisions(preview.cut, chosen),
        basis=_basis(computation),
        ranked_by=ranked_by,
    )
    _audit_decision(decision, next_stage=next_stage, contest=contest, by=by)
    set_stage_entries(stage=next_stage, submission_ids=advanced, by=by)
    if stage.is_scoring:  # an indicator stage has no minutes (generate_minutes)
        request_minutes(stage=stage, by=by)
    return decision


def _audit_decision(
    decision: AdvancementDecision, *, next_stage: Stage, contest: Contest, by: User
) -> None:
    ledger.record(
        action="results.advanced",
        obj=decision,
        by=by,
        contest=contest,
        data={
            "stage": decision.stage_id,
            "next_stage": next_stage.pk,
            "places": decision.places,
            "quotas": decision.quotas,
            "advanced": decision.advanced,
            "not_advanced": len(decision.not_advanced),
            "tie_decisions": decision.tie_decisions,
            "ranked_by": decision.ranked_by,
        },
    )


def _stage_to_advance_to(stage: Stage, *, ranked_by: str) -> Stage:
    """The next scoring stage, once `stage` may advance by `ranked_by` at all: a
    scoring stage not advanced yet, and not the last."""
    if ranked_by not in selectors.RANK_BASES:
        raise DomainError(
            _("Rank by the normalized or the raw score."), field="ranked_by"
        )
    if not stage.is_judged:
        raise DomainError(_("Only a scoring stage has results."), status=409)
    if AdvancementDecision.objects.filter(stage=stage).exists():
        raise DomainError(
            _("The entries of this stage have already been advanced."), status=409
        )
    next_stage = selectors.next_scoring_stage(stage)
    if next_stage is None:
        raise DomainError(
            _("This is the last scoring stage: there is no stage to advance to."),
            status=409,
        )
    return next_stage


def _places(stage: Stage, quotas: Mapping[str, int]) -> int:
    """The places of each category: the quotas' sum, or the stage's setting."""
    if quotas:
        return sum(quotas.values())
    if not stage.advance_per_category:
        raise DomainError(
            _(
                "Set how many entries of each category advance (in the stage's "
                "settings), or give quotas per region type."
            ),
            status=409,
        )
    return stage.advance_per_category


def _scored_results(stage: Stage, *, ranked_by: str) -> selectors.StageComputation:
    computation = selectors.stage_results(stage, ranked_by=ranked_by)
    if not computation.scored and stage.is_indicator:
        raise DomainError(
            _("No entry of this stage has a validated indicator yet."), status=409
        )
    if not computation.scored:
        raise DomainError(
            _("No entry of this stage has a complete submitted sheet yet."),
            status=409,
        )
    return computation


def _settle_cut(
    preview: selectors.AdvancementPreview, chosen: list[int]
) -> tuple[list[int], list[int]]:
    """(advanced, not advanced): the cut, its ties settled by `chosen`; refuses
    while a tie is undecided or decided wrongly, and a choice where nothing ties."""
    cut = preview.cut
    if cut.ties and not chosen:
        raise UndecidedTieError(
            ngettext(
                "Entries tie at the cut in %(count)d place: choose which of them "
                "advance.",
                "Entries tie at the cut in %(count)d places: choose which of them "
                "advance.",
                len(cut.ties),
            )
            % {"count": len(cut.ties)},
            ties=preview.ties,
        )
    if not cut.ties and chosen:
        raise DomainError(
            _("No entries tie at the cut: there is nothing to choose."),
            field="tie_break",
        )
    try:
        return standings.settle_ties(cut, chosen)
    except ValueError:
        raise UndecidedTieError(
            _(
                "Choose, for each tie at the cut, exactly as many of the tied "
                "entries as there are places left."
            ),
            ties=preview.ties,
            status=400,
        ) from None


def _move_entries(
    stage: Stage, entries: Iterable[Submission], *, advanced: list[int], by: User
) -> None:
    """Make the stage's `advanced` entries advanced and the others not advanced."""
    reason_in = _("Among the best of its category at %(stage)s.") % {
        "stage": stage.name
    }
    reason_out = _("Not among the best of its category at %(stage)s.") % {
        "stage": stage.name
    }
    advanced_set = set(advanced)
    for submission in entries:
        if submission.pk in advanced_set:
            _move(submission, SubmissionState.ADVANCED, by=by, reason=reason_in)
        else:
            _move(submission, SubmissionState.NOT_ADVANCED, by=by, reason=reason_out)


def _tie_decisions(cut: standings.Cut, chosen: list[int]) -> list[dict[str, Any]]:
    """What the decision records of each tie at the cut and of the choice made."""
    chosen_set = set(chosen)
    return [
        {
            "category": tie.category_id,
            "region_type": tie.region_type,
            "rank": tie.rank,
            "places": tie.places,
            "tied": list(tie.entry_ids),
            "chosen": [e for e in tie.entry_ids if e in chosen_set],
        }
        for tie in cut.ties
    ]


def _basis(computation: selectors.StageComputation) -> list[list[Any]]:
    """[entry, rank, normalized, raw] of every entry: the figures the decision
    ranked by, kept with it."""
    entries = computation.results.entries if computation.results else []
    return [
        [
            entry.entry_id,
            entry.rank,
            standings.decimal_text(entry.normalized_score),
            standings.decimal_text(entry.raw_score),
        ]
        for entry in entries
    ]


def _clean_tie_break(values: Iterable[Any]) -> list[int]:
    if isinstance(values, str | bytes | Mapping) or values is None:
        raise DomainError(_("Give the ids of the tied entries."), field="tie_break")
    chosen = []
    for value in values:
        if isinstance(value, bool):
            raise DomainError(_("Give the ids of the tied entries."), field="tie_break")
        try:
            chosen.append(int(value))
        except (TypeError, ValueError):
            raise DomainError(
                _("Give the ids of the tied entries."), field="tie_break"
            ) from None
    return chosen
