"""Awards: given one by one, removed, and the places proposed from the standings."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.clusters import cluster_members
from contest.models import Category, Contest, Region, RegionCluster
from results import selectors
from results.enums import (
    PLACE_NAMES,
    AwardKind,
)
from results.models import (
    Award,
)
from results.services.guards import _lock
from submissions.enums import SubmissionState
from submissions.models import Submission

User = get_user_model()

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
    cluster: RegionCluster | None = None,
) -> Award:
    """Give an award to an entry (a place or a special award) or to a region (its
    portfolio: the regional ranking), within one of the contest's clusters when
    `cluster` is given. Refused once the results are published."""
    contest = _lock(contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    name = _clean_name(name)
    kind = _clean_kind(kind, submission=submission, region=region)
    category = _award_category(contest, category=category, submission=submission)
    _check_recipient(kind, submission=submission, region=region, rank=rank)
    _check_cluster(contest, cluster, submission=submission, region=region)
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
                cluster=cluster,
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
            **({"cluster": cluster.slug} if cluster is not None else {}),
        },
    )
    return award


def _check_cluster(
    contest: Contest,
    cluster: RegionCluster | None,
    *,
    submission: Submission | None,
    region: Region | None,
) -> None:
    """An award within a cluster goes to an entry or a region of that cluster."""
    if cluster is None:
        return
    if cluster.contest_id != contest.pk:
        raise DomainError(_("Choose a cluster of this contest."), field="cluster")
    code = submission.region_id if submission is not None else region.pk
    if code not in cluster_members(contest).codes.get(cluster.pk, frozenset()):
        raise DomainError(
            _("%(code)s is not a region of the cluster “%(cluster)s”.")
            % {"code": code, "cluster": cluster.name},
            field="cluster",
        )


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the award."), field="name")
    if len(name) > 120:
        raise DomainError(_("A name has 120 characters at most."), field="name")
    return name


def _clean_kind(
    kind: str | None, *, submission: Submission | None, region: Region | None
) -> str:
    """The award's kind: as given, or a place for an entry and a regional award for
    a region; an award goes to exactly one of them."""
    if (submission is None) == (region is None):
        raise DomainError(
            _("An award goes to an entry or to a region, not both."),
            field="submission",
        )
    kind = kind or (AwardKind.PLACE if submission is not None else AwardKind.REGIONAL)
    if kind not in AwardKind.values:
        raise DomainError(_("Choose a kind of award."), field="kind")
    return kind


def _award_category(
    contest: Contest, *, category: Category | None, submission: Submission | None
) -> Category | None:
    """The award's category: as given, or the entry's; both of this contest, and
    the entry one that passed screening."""
    if category is not None and category.contest_id != contest.pk:
        raise DomainError(_("Choose a category of this contest."), field="category")
    if submission is None:
        return category
    if submission.contest_id != contest.pk:
        raise DomainError(_("Choose an entry of this contest."), field="submission")
    if submission.state not in AWARDABLE_STATES:
        raise DomainError(
            _("Only an entry that passed screening can win an award."),
            field="submission",
            status=409,
        )
    if category is None:
        return submission.category
    if category.pk != submission.category_id:
        raise DomainError(_("The entry is in another category."), field="category")
    return category


def _check_recipient(
    kind: str,
    *,
    submission: Submission | None,
    region: Region | None,
    rank: int | None,
) -> None:
    if kind == AwardKind.PLACE and submission is None:
        raise DomainError(
            _("A place in a category goes to an entry."), field="submission"
        )
    if kind == AwardKind.REGIONAL and region is None:
        raise DomainError(_("A regional award goes to a region."), field="region")
    if rank is not None and int(rank) < 1:
        raise DomainError(_("A rank is 1 or more."), field="rank")


@transaction.atomic
def remove_award(*, award: Award, by: User) -> None:
    contest = _lock(award.contest)
    require_organizer(contest, by)
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
    require_organizer(contest, by)
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
