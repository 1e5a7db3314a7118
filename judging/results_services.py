"""Writes for the results: advancement, final-score weights and score bands, awards,
objections, publication and the stage minutes. Each write is audited in the ledger.

Once a contest's final results are published the contest is frozen
(`Contest.frozen_at`, set by `publish_contest` in the same transaction): every
write here refuses with 409 through `common.guards.ensure_not_frozen`, the one guard
every app's write services call.

One exception, on purpose: the stage minutes (`generate_minutes`). A minutes PDF is
a record of what a closed stage decided, not a change to it: it reads the frozen
figures (which can no longer change) and writes a new StageMinutes row beside the
old ones, never a figure, a decision or the snapshot. The minutes an advancement
queues may also run after the final publication when the broker is slow, and must
not be lost then. So they are still written after the freeze, and audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.guards import ensure_not_frozen
from config.errors import DomainError
from contest import ledger
from contest.enums import RegionType
from contest.models import Category, Contest, LedgerHead, Region, Stage
from contest.rules import is_contest_organizer, is_delegate_of
from judging import results_selectors as selectors
from judging import selectors as judging_selectors
from judging import standings
from judging.models import Judge
from judging.models_results import (
    AdvancementDecision,
    Award,
    Objection,
    Publication,
    ScoreBand,
    StageMinutes,
    StageWeight,
)
from judging.results_enums import (
    PLACE_NAMES,
    AwardKind,
    ObjectionOutcome,
    PublicationKind,
)
from submissions.enums import ALLOWED_TRANSITIONS, SubmissionState
from submissions.models import Submission
from submissions.services import set_submission_state

User = get_user_model()

MAX_STAGE_WEIGHT = Decimal("9999.99")
MAX_OBJECTION_WINDOW = dt.timedelta(days=366)


# ---------------------------------------------------------------- guards


def _when(contest: Contest, value) -> str:
    local = timezone.localtime(value, contest.tzinfo)
    return f"{formats.date_format(local, 'j F Y, H:i')} {contest.timezone_abbreviation}"


def _require_organizer(contest: Contest, by: User | None) -> None:
    if by is None or not is_contest_organizer.test(by, contest):
        raise DomainError(_("Only the contest's organizers may do this."), status=403)


def _lock(contest: Contest) -> Contest:
    """Lock the contest's row: publications, awards and decisions of one contest
    are made one at a time, across processes."""
    return Contest.objects.select_for_update().get(pk=contest.pk)


def snapshot_digest(snapshot: Mapping[str, Any]) -> str:
    """The hex SHA-256 of the snapshot's canonical JSON (UTF-8, keys sorted,
    separators "," and ":")."""
    return hashlib.sha256(ledger.canonical_json(snapshot)).hexdigest()


# ---------------------------------------------------------------- advancement


class UndecidedTieError(DomainError):
    """Entries tie at a cut and the organizer has not chosen (or chose wrongly)
    which of them advance. `ties` lists them for the page and the API."""

    def __init__(self, message: Any, *, ties: list[dict[str, Any]], status: int = 409):
        super().__init__(message, field="tie_break", status=status)
        self.ties = ties


def _clean_quotas(quotas: Mapping[str, Any] | None) -> dict[str, int]:
    if not quotas:
        return {}
    clean: dict[str, int] = {}
    for key, value in quotas.items():
        if key not in RegionType.values:
            raise DomainError(
                _("“%(type)s” is not a region type (provinsi, kabupaten, kota).")
                % {"type": key},
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
    return clean


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
    from judging.services import set_stage_entries, sync_derived_conflicts

    contest = _lock(stage.contest)
    _require_organizer(contest, by)
    ensure_not_frozen(contest)
    if ranked_by not in selectors.RANK_BASES:
        raise DomainError(
            _("Rank by the normalized or the raw score."), field="ranked_by"
        )
    if not stage.is_scoring:
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
    sync_derived_conflicts(contest=contest, by=by)
    clean_quotas = _clean_quotas(quotas)
    places = stage.advance_per_category or 0
    if clean_quotas:
        places = sum(clean_quotas.values())
    elif not places:
        raise DomainError(
            _(
                "Set how many entries of each category advance (in the stage's "
                "settings), or give quotas per region type."
            ),
            status=409,
        )
    computation = selectors.stage_results(stage, ranked_by=ranked_by)
    if not computation.scored:
        raise DomainError(
            _("No entry of this stage has a complete submitted sheet yet."),
            status=409,
        )
    preview = selectors.advancement_preview(
        stage, computation=computation, quotas=clean_quotas
    )
    cut = preview.cut
    entries = preview.entries
    chosen = _clean_tie_break(tie_break)
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
        advanced, not_advanced = standings.settle_ties(cut, chosen)
    except ValueError:
        raise UndecidedTieError(
            _(
                "Choose, for each tie at the cut, exactly as many of the tied "
                "entries as there are places left."
            ),
            ties=preview.ties,
            status=400,
        ) from None

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

    chosen_set = set(chosen)
    decision = AdvancementDecision.objects.create(
        stage=stage,
        decided_by=by,
        decided_at=timezone.now(),
        places=places,
        quotas=clean_quotas,
        advanced=advanced,
        not_advanced=not_advanced,
        tie_decisions=[
            {
                "category": tie.category_id,
                "region_type": tie.region_type,
                "rank": tie.rank,
                "places": tie.places,
                "tied": list(tie.entry_ids),
                "chosen": [e for e in tie.entry_ids if e in chosen_set],
            }
            for tie in cut.ties
        ],
        basis=[
            [
                entry.entry_id,
                entry.rank,
                standings.decimal_text(entry.normalized_score),
                standings.decimal_text(entry.raw_score),
            ]
            for entry in (computation.results.entries if computation.results else [])
        ],
        ranked_by=ranked_by,
    )
    ledger.record(
        action="results.advanced",
        obj=decision,
        by=by,
        contest=contest,
        data={
            "stage": stage.pk,
            "next_stage": next_stage.pk,
            "places": places,
            "quotas": clean_quotas,
            "advanced": advanced,
            "not_advanced": len(not_advanced),
            "tie_decisions": decision.tie_decisions,
            "ranked_by": ranked_by,
        },
    )
    set_stage_entries(stage=next_stage, submission_ids=advanced, by=by)
    request_minutes(stage=stage, by=by)
    return decision


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
    _require_organizer(contest, by)
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
    _require_organizer(contest, by)
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
    _require_organizer(contest, by)
    ensure_not_frozen(contest)
    saved_weights = (
        set_stage_weights(contest=contest, weights=weights, by=by)
        if weights
        else selectors.stage_weights(contest, judging_selectors.scoring_stages(contest))
    )
    saved_bands = set_score_bands(contest=contest, bands=bands, by=by)
    return saved_weights, saved_bands


# ---------------------------------------------------------------- awards


AWARDABLE_STATES = frozenset(
    {SubmissionState.ELIGIBLE, SubmissionState.ADVANCED, SubmissionState.NOT_ADVANCED}
)


@transaction.atomic
def assign_award(
    *,
    contest: Contest,
    name: str,
    by: User,
    kind: str | None = None,
    category: Category | None = None,
    submission: Submission | None = None,
    region: Region | None = None,
    rank: int | None = None,
) -> Award:
    """Give an award to an entry (a place or a special award) or to a region (its
    portfolio: the regional ranking). Refused once the results are published."""
    contest = _lock(contest)
    _require_organizer(contest, by)
    ensure_not_frozen(contest)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the award."), field="name")
    if len(name) > 120:
        raise DomainError(_("A name has 120 characters at most."), field="name")
    if (submission is None) == (region is None):
        raise DomainError(
            _("An award goes to an entry or to a region, not both."),
            field="submission",
        )
    kind = kind or (AwardKind.PLACE if submission is not None else AwardKind.REGIONAL)
    if kind not in AwardKind.values:
        raise DomainError(_("Choose a kind of award."), field="kind")
    if category is not None and category.contest_id != contest.pk:
        raise DomainError(_("Choose a category of this contest."), field="category")
    if submission is not None:
        if submission.contest_id != contest.pk:
            raise DomainError(_("Choose an entry of this contest."), field="submission")
        if submission.state not in AWARDABLE_STATES:
            raise DomainError(
                _("Only an entry that passed screening can win an award."),
                field="submission",
                status=409,
            )
        if category is None:
            category = submission.category
        elif category.pk != submission.category_id:
            raise DomainError(_("The entry is in another category."), field="category")
    if kind == AwardKind.PLACE and submission is None:
        raise DomainError(
            _("A place in a category goes to an entry."), field="submission"
        )
    if kind == AwardKind.REGIONAL and region is None:
        raise DomainError(_("A regional award goes to a region."), field="region")
    if rank is not None and int(rank) < 1:
        raise DomainError(_("A rank is 1 or more."), field="rank")
    try:
        with transaction.atomic():
            award = Award.objects.create(
                contest=contest,
                name=name,
                kind=kind,
                category=category,
                submission=submission,
                region=region,
                rank=rank,
                created_by=by,
            )
    except IntegrityError:
        raise DomainError(
            _("“%(name)s” is already given here.") % {"name": name},
            field="name",
            status=409,
        ) from None
    ledger.record(
        action="results.award_given",
        obj=award,
        by=by,
        contest=contest,
        data={
            "name": name,
            "kind": kind,
            "category": award.category_id,
            "submission": award.submission_id,
            "region": award.region_id,
            "rank": rank,
        },
    )
    return award


@transaction.atomic
def remove_award(*, award: Award, by: User) -> None:
    contest = _lock(award.contest)
    _require_organizer(contest, by)
    ensure_not_frozen(contest)
    data = {"name": award.name, "submission": award.submission_id}
    ledger.record(
        action="results.award_removed", obj=award, by=by, contest=contest, data=data
    )
    award.delete()


@dataclass
class ProposedAwards:
    created: list[Award] = field(default_factory=list)
    tied_categories: list[Category] = field(default_factory=list)


@transaction.atomic
def give_place_awards(*, contest: Contest, by: User, places: int = 3) -> ProposedAwards:
    """Give Terbaik I, II, III (up to `places` of PLACE_NAMES) in each category to
    the entries ranked 1, 2, 3 by final score, where such entries exist and the
    award is not given yet. A category with a tie among those places is left for
    the organizer (listed in `tied_categories`)."""
    contest = _lock(contest)
    _require_organizer(contest, by)
    ensure_not_frozen(contest)
    if not 1 <= places <= len(PLACE_NAMES):
        raise DomainError(_("Choose 1 to 6 places."), field="places")
    board = selectors.contest_standings(contest)
    given = {(a.category_id, a.name) for a in board.awards}
    placed = {a.submission_id for a in board.awards if a.kind == AwardKind.PLACE}
    report = ProposedAwards()
    for category, entries in board.by_category():
        top = [e for e in entries if e.final_rank and e.final_rank <= places]
        if any(e.tie_unresolved for e in top):
            report.tied_categories.append(category)
            continue
        for entry in top:
            name = PLACE_NAMES[entry.final_rank - 1]
            if (category.pk, name) in given or entry.submission.pk in placed:
                continue
            report.created.append(
                assign_award(
                    contest=contest,
                    name=name,
                    by=by,
                    kind=AwardKind.PLACE,
                    category=category,
                    submission=entry.submission,
                    rank=entry.final_rank,
                )
            )
    return report


# ---------------------------------------------------------------- publication


def _ledger_head() -> str:
    head = LedgerHead.objects.filter(id=1).first()
    return head.last_hash if head is not None else ledger.GENESIS_HASH


def _publish(
    contest: Contest,
    *,
    kind: str,
    by: User,
    objections_close=None,
    objections_open_to_all: bool = False,
) -> Publication:
    from judging.services import sync_derived_conflicts

    # A conflict the regions imply now (a delegate role added after scoring, say)
    # takes its sheets out before anything is published.
    sync_derived_conflicts(contest=contest, by=by)
    published_at = timezone.now().replace(microsecond=0)
    snapshot = selectors.build_snapshot(
        contest,
        kind=kind,
        published_at=published_at,
        objections_close=objections_close,
    )
    if not any(entry["final_score"] is not None for entry in snapshot["entries"]):
        raise DomainError(
            _("No entry has a final score yet: there is nothing to publish."),
            status=409,
        )
    digest = snapshot_digest(snapshot)
    head = _ledger_head()
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                contest=contest,
                kind=kind,
                snapshot=snapshot,
                digest=digest,
                published_at=published_at,
                published_by=by,
                objections_close=objections_close,
                objections_open_to_all=objections_open_to_all,
                ledger_head_hash=head,
            )
    except IntegrityError:
        raise DomainError(
            _("The results of this contest are already published."), status=409
        ) from None
    ledger.record(
        action="results.published",
        obj=publication,
        by=by,
        contest=contest,
        data={
            "kind": kind,
            "digest": digest,
            "ledger_head": head,
            "objections_open_to_all": objections_open_to_all,
        },
    )
    return publication


@transaction.atomic
def publish_provisional(
    *,
    contest: Contest,
    by: User,
    objections_close,
    objections_open_to_all: bool = False,
) -> Publication:
    """Publish provisional results and open the objection window (masa sanggah)
    until `objections_close`: to the delegates of the contest's regions, or to
    every signed-in user with a verified address (`objections_open_to_all`)."""
    contest = _lock(contest)
    _require_organizer(contest, by)
    ensure_not_frozen(contest)
    if not isinstance(objections_open_to_all, bool):
        raise DomainError(_("Say yes or no."), field="objections_open_to_all")
    if objections_close is None or objections_close <= timezone.now():
        raise DomainError(
            _("The objection window must close in the future."),
            field="objections_close",
        )
    if objections_close >= timezone.now() + MAX_OBJECTION_WINDOW:
        raise DomainError(
            _("The objection window may stay open a year at most."),
            field="objections_close",
        )
    return _publish(
        contest,
        kind=PublicationKind.PROVISIONAL,
        by=by,
        objections_close=objections_close.replace(microsecond=0),
        objections_open_to_all=objections_open_to_all,
    )


@transaction.atomic
def publish_contest(*, contest: Contest, by: User) -> Publication:
    """Freeze and publish the final results: the snapshot, its digest, the ledger
    head it was published at, a ledger entry with the digest. In the same
    transaction the contest is frozen (`frozen_at`: every write service refuses
    from now on) and announced (`is_public`: listed publicly). Refused (409) once
    published, while an objection window is open or while objections await an
    answer."""
    contest = _lock(contest)
    _require_organizer(contest, by)
    ensure_not_frozen(contest)
    provisional = (
        Publication.objects.filter(contest=contest, kind=PublicationKind.PROVISIONAL)
        .order_by("-published_at", "-pk")
        .first()
    )
    if provisional is not None and provisional.objections_close > timezone.now():
        raise DomainError(
            _("The objection window is still open until %(date)s.")
            % {"date": _when(contest, provisional.objections_close)},
            status=409,
        )
    pending = selectors.pending_objection_count(contest)
    if pending:
        raise DomainError(
            ngettext(
                "%(count)d objection still awaits an answer.",
                "%(count)d objections still await an answer.",
                pending,
            )
            % {"count": pending},
            status=409,
        )
    publication = _publish(contest, kind=PublicationKind.FINAL, by=by)
    contest.frozen_at = publication.published_at
    contest.is_public = True
    contest.save(update_fields=["frozen_at", "is_public"])
    ledger.record(
        action="contest.frozen",
        obj=contest,
        by=by,
        contest=contest,
        data={
            "frozen_at": contest.frozen_at.isoformat(),
            "is_public": True,
            "publication": publication.pk,
        },
    )
    return publication


# ---------------------------------------------------------------- objections


def objections_per_user() -> int:
    """How many objections one user may file against one publication
    (setting OBJECTIONS_PER_USER, 3 by default)."""
    return int(getattr(settings, "OBJECTIONS_PER_USER", 3))


def check_may_object(*, contest: Contest, provisional: Publication, by: User) -> None:
    """Who may object (403 otherwise): a signed-in user whose address is not an
    unconfirmed sign-up (accounts.services.address_unproven; whatever the site's
    verification mode) and who takes part in the contest as a delegate of one of
    its regions, unless the organizers opened the objections to everyone."""
    from accounts.services import address_unproven

    if by is None or not by.is_authenticated:
        raise DomainError(_("Sign in to file an objection."), status=403)
    if address_unproven(by):
        raise DomainError(
            _("Confirm your e-mail address before you file an objection."),
            status=403,
        )
    if not provisional.objections_open_to_all and not is_delegate_of.test(by, contest):
        raise DomainError(
            _(
                "Only the delegates of the regions taking part in this contest may "
                "object to its results."
            ),
            status=403,
        )


@transaction.atomic
def file_objection(
    *, contest: Contest, submission_id: int, text: str, by: User
) -> Objection:
    """A user who may object (check_may_object) objects to an entry's provisional
    result while the objection window is open, up to objections_per_user() times
    per publication (409 beyond)."""
    if by is None or not by.is_authenticated:
        raise DomainError(_("Sign in to file an objection."), status=403)
    contest = _lock(contest)
    ensure_not_frozen(contest)
    provisional = selectors.open_provisional(contest)
    if provisional is None:
        raise DomainError(
            _("No objection window is open for this contest."), status=409
        )
    check_may_object(contest=contest, provisional=provisional, by=by)
    limit = objections_per_user()
    filed = Objection.objects.filter(publication=provisional, filed_by=by).count()
    if filed >= limit:
        raise DomainError(
            ngettext(
                "You have filed %(count)d objection to these results, as many as "
                "one person may.",
                "You have filed %(count)d objections to these results, as many as "
                "one person may.",
                filed,
            )
            % {"count": filed},
            status=409,
        )
    if not isinstance(text, str):
        raise DomainError(_("Say what you object to, and why."), field="text")
    text = text.strip()
    if not text:
        raise DomainError(_("Say what you object to, and why."), field="text")
    if len(text) > 4000:
        raise DomainError(_("Keep it under 4000 characters."), field="text")
    published = {entry["id"] for entry in provisional.snapshot.get("entries", [])}
    try:
        submission_id = int(submission_id)
    except (TypeError, ValueError):
        submission_id = -1
    if submission_id not in published:
        raise DomainError(
            _("Choose an entry of the provisional results."), field="submission"
        )
    objection = Objection.objects.create(
        publication=provisional,
        submission_id=submission_id,
        filed_by=by,
        text=text,
    )
    ledger.record(
        action="results.objection_filed",
        obj=objection,
        by=by,
        contest=contest,
        data={"publication": provisional.pk, "submission": submission_id},
    )
    return objection


def _clean_answer(outcome: Any, answer: Any) -> str:
    if outcome not in (ObjectionOutcome.UPHELD, ObjectionOutcome.DISMISSED):
        raise DomainError(_("Uphold or dismiss the objection."), field="outcome")
    answer = (answer if isinstance(answer, str) else "").strip()
    if not answer:
        raise DomainError(_("Write the answer."), field="answer")
    if len(answer) > 4000:
        raise DomainError(_("Keep it under 4000 characters."), field="answer")
    return answer


def _answer(
    objection: Objection, *, outcome: str, answer: str, by: User, contest: Contest
) -> Objection:
    objection.outcome = outcome
    objection.answer = answer
    objection.answered_by = by
    objection.answered_at = timezone.now()
    objection.save(update_fields=["outcome", "answer", "answered_by", "answered_at"])
    ledger.record(
        action="results.objection_resolved",
        obj=objection,
        by=by,
        contest=contest,
        data={"outcome": outcome},
    )
    return objection


@transaction.atomic
def resolve_objection(
    *, objection: Objection, outcome: str, answer: str, by: User
) -> Objection:
    """Answer an objection in writing: upheld or dismissed."""
    contest = _lock(objection.publication.contest)
    _require_organizer(contest, by)
    ensure_not_frozen(contest)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.is_resolved:
        raise DomainError(_("This objection is already answered."), status=409)
    answer = _clean_answer(outcome, answer)
    return _answer(objection, outcome=outcome, answer=answer, by=by, contest=contest)


@transaction.atomic
def resolve_objections(
    *,
    contest: Contest,
    objection_ids: Iterable[Any],
    outcome: str,
    answer: str,
    by: User,
) -> list[Objection]:
    """Give one written answer (upheld or dismissed) to several objections of the
    contest at once, all or none: an objection of another contest, or one already
    answered, refuses the lot."""
    contest = _lock(contest)
    _require_organizer(contest, by)
    ensure_not_frozen(contest)
    if isinstance(objection_ids, str | bytes | Mapping) or objection_ids is None:
        raise DomainError(_("Choose the objections to answer."), field="objections")
    ids = set()
    for value in objection_ids:
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            raise DomainError(
                _("Choose the objections to answer."), field="objections"
            ) from None
    if not ids:
        raise DomainError(_("Choose the objections to answer."), field="objections")
    answer = _clean_answer(outcome, answer)
    objections = list(
        Objection.objects.select_for_update()
        .filter(pk__in=ids, publication__contest=contest)
        .order_by("pk")
    )
    if len(objections) != len(ids):
        raise DomainError(_("Choose objections of this contest."), field="objections")
    if any(objection.is_resolved for objection in objections):
        raise DomainError(
            _("Some of these objections are already answered."),
            field="objections",
            status=409,
        )
    return [
        _answer(objection, outcome=outcome, answer=answer, by=by, contest=contest)
        for objection in objections
    ]


# ---------------------------------------------------------------- minutes


def request_minutes(*, stage: Stage, by: User | None) -> None:
    """Generate the stage's minutes after the commit (a Celery task). Still
    allowed once the contest is frozen: minutes are a record (module docstring)."""
    from judging.tasks import task_generate_minutes

    user_id = getattr(by, "pk", None)
    transaction.on_commit(
        lambda: task_generate_minutes.delay(stage_id=stage.pk, user_id=user_id)
    )


@transaction.atomic
def generate_minutes(*, stage: Stage, by: User | None = None) -> StageMinutes:
    """Write the minutes (berita acara) of a scoring stage as a PDF: its panel, the
    entries with their scores, the reliability, the advancement decision and the
    audit ledger's head hash at this moment. Stored and audited with its SHA-256.
    Not refused after the final publication: a record of the frozen figures, not a
    change to them (see the module docstring)."""
    from judging import pdf

    if not stage.is_scoring:
        raise DomainError(_("Only a scoring stage has results."), status=409)
    page = selectors.stage_page(stage)
    panel = list(
        Judge.objects.filter(assignments__stage=stage)
        .select_related("user")
        .distinct()
        .order_by("name", "pk")
    )
    head_hash = _ledger_head()
    generated_at = timezone.now().replace(microsecond=0)
    content = pdf.minutes_pdf(
        page=page, panel=panel, ledger_head=head_hash, generated_at=generated_at
    )
    digest = hashlib.sha256(content).hexdigest()
    minutes = StageMinutes(
        stage=stage,
        sha256=digest,
        ledger_head_hash=head_hash,
        generated_at=generated_at,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )
    minutes.file.save("minutes.pdf", ContentFile(content), save=False)
    minutes.save()
    ledger.record(
        action="results.minutes_generated",
        obj=minutes,
        by=by,
        contest=stage.contest,
        data={"stage": stage.pk, "sha256": digest, "ledger_head": head_hash},
    )
    return minutes
