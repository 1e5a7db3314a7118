"""Which entries a scoring stage judges, and which of them are short of judges."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from contest.enums import JUDGED_STAGE_KINDS
from contest.models import Contest, Stage
from judging.models import Assignment, StageEntry
from submissions.enums import SubmissionState
from submissions.models import Submission

# The entries of a contest's first scoring stage: every entry that passed screening
# (those already advanced or not from it included, so a re-run after advancing
# still sees them). Each later scoring stage holds exactly the entries its previous
# stage advanced (StageEntry rows, written by services.set_stage_entries).
FIRST_STAGE_STATES = (
    SubmissionState.ELIGIBLE,
    SubmissionState.ADVANCED,
    SubmissionState.NOT_ADVANCED,
)


def scoring_stages(contest: Contest) -> QuerySet[Stage]:
    return contest.stages.filter(kind__in=JUDGED_STAGE_KINDS).order_by("order")


def previous_scoring_stage(stage: Stage) -> Stage | None:
    return (
        Stage.objects.filter(
            contest_id=stage.contest_id,
            kind__in=JUDGED_STAGE_KINDS,
            order__lt=stage.order,
        )
        .order_by("-order")
        .first()
    )


def is_first_scoring_stage(stage: Stage) -> bool:
    return previous_scoring_stage(stage) is None


def has_advanced(stage: Stage) -> bool:
    """The stage's advancement was decided: its next scoring stage has its entries
    (the advancement records them as StageEntry rows; judging does not read the
    results' decision itself)."""
    later = (
        Stage.objects.filter(
            contest_id=stage.contest_id,
            kind__in=JUDGED_STAGE_KINDS,
            order__gt=stage.order,
        )
        .order_by("order")
        .first()
    )
    return later is not None and StageEntry.objects.filter(stage=later).exists()


def first_stage_candidates(contest_id: int) -> QuerySet[Submission]:
    """The entries the first scoring stage takes: every one that passed screening."""
    return Submission.objects.filter(
        contest_id=contest_id, state__in=FIRST_STAGE_STATES
    )


def stage_entries(stage: Stage) -> QuerySet[Submission]:
    """The entries a scoring stage judges: for the first scoring stage every entry
    that passed screening (services record them as StageEntry rows before any
    assignment), for a later one exactly its StageEntry rows (what the previous
    stage advanced); a withdrawn entry is never among them."""
    if is_first_scoring_stage(stage):
        qs = first_stage_candidates(stage.contest_id)
    else:
        qs = Submission.objects.filter(
            contest_id=stage.contest_id,
            pk__in=StageEntry.objects.filter(stage=stage).values("submission_id"),
        ).exclude(state=SubmissionState.WITHDRAWN)
    return qs.select_related("category", "region").order_by(
        "category__order", "title", "pk"
    )


def is_stage_entry(stage: Stage, submission_id: int) -> bool:
    """The entry takes part in the stage: it has its StageEntry row and is still
    among the stage's entries."""
    return (
        StageEntry.objects.filter(stage=stage, submission_id=submission_id).exists()
        and stage_entries(stage).filter(pk=submission_id).exists()
    )


def counted_assignments(stage: Stage) -> Q:
    """On Submission: the stage's assignments whose sheet (if any) is not excluded
    from the results."""
    return Q(assignments__stage=stage) & Q(assignments__sheet__excluded_at__isnull=True)


def _assignments_counted(stage: Stage, condition: Q) -> Coalesce:
    """On Submission: how many of its assignments in `stage` meet `condition`,
    as a correlated subquery (no grouping of the entries' rows)."""
    return Coalesce(
        Subquery(
            Assignment.objects.filter(condition, stage=stage, submission=OuterRef("pk"))
            .order_by()
            .values("submission")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def entries_short_of_judges(stage: Stage) -> QuerySet[Submission]:
    """The stage's entries with fewer counted judges than it asks for (e.g. after a
    judge declared a conflict, before or after submitting), annotated with
    `judge_count` (judges whose sheet counts) and `excluded_count`. The entries
    with enough judges are found by one grouping of the stage's assignments; the
    counts are subqueries, computed for the rows read only."""
    if stage.judges_per_entry <= 0:
        return stage_entries(stage).none()
    counted = Q(sheet__excluded_at__isnull=True)
    enough = (
        Assignment.objects.filter(counted, stage=stage)
        .order_by()
        .values("submission")
        .annotate(n=Count("pk"))
        .filter(n__gte=stage.judges_per_entry)
        .values("submission")
    )
    return (
        stage_entries(stage)
        .exclude(pk__in=enough)
        .annotate(
            judge_count=_assignments_counted(stage, counted),
            excluded_count=_assignments_counted(
                stage, Q(sheet__excluded_at__isnull=False)
            ),
        )
    )
