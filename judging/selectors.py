"""Reads for judging, scoped to the user asking where a user is involved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr

from contest.models import Category, Contest, Criterion, Delegate, Stage
from contest.selectors import organized_contest_ids
from judging import scoring
from judging.conflicts import judge_rule
from judging.enums import ConflictRule, ConflictSource, SheetState
from judging.models import (
    Assignment,
    ConflictOfInterest,
    Judge,
    Score,
    ScoreSheet,
    StageEntry,
)
from submissions.enums import SubmissionState
from submissions.models import Evidence, Submission

# The entries of a contest's first scoring stage: every entry that passed screening
# (those already advanced or not from it included, so a re-run after advancing
# still sees them). Each later scoring stage holds exactly the entries its previous
# stage advanced (StageEntry rows, written by services.set_stage_entries).
FIRST_STAGE_STATES = (
    SubmissionState.ELIGIBLE,
    SubmissionState.ADVANCED,
    SubmissionState.NOT_ADVANCED,
)


# ---------------------------------------------------------------- conflicts


@dataclass(frozen=True)
class Conflict:
    """Why a judge must not score an entry."""

    source: str
    reason: str


def delegate_regions(contest_id: int, user_ids: Iterable[int]) -> dict[int, list[str]]:
    """The regions each user is a delegate of in the contest (one query)."""
    out: dict[int, list[str]] = defaultdict(list)
    rows = Delegate.objects.filter(
        contest_id=contest_id, user_id__in=list(user_ids)
    ).values_list("user_id", "region_id")
    for user_id, region_id in rows.order_by():
        out[user_id].append(region_id)
    return dict(out)


def derived_conflicts(
    contest: Contest, *, judges: Iterable[Judge] | None = None
) -> dict[tuple[int, int], str]:
    """Every (judge, entry) pair of the contest the regions make a conflict, from the
    current rows (home regions, delegate roles, entries that are not drafts), with
    the rule that makes it one (judging/conflicts.py). Three queries."""
    judges = list(
        judges
        if judges is not None
        else contest.judges.only("pk", "user", "home_region")
    )
    delegates = delegate_regions(contest.pk, {judge.user_id for judge in judges})
    entries = list(
        Submission.objects.filter(contest=contest)
        .exclude(state=SubmissionState.DRAFT)
        .values_list("pk", "region_id")
        .order_by()
    )
    wanted: dict[tuple[int, int], str] = {}
    for judge in judges:
        homes = delegates.get(judge.user_id, [])
        if judge.home_region_id is None and not homes:
            continue
        for entry_id, region_id in entries:
            rule = judge_rule(judge.home_region_id, homes, region_id)
            if rule is not None:
                wanted[(judge.pk, entry_id)] = rule
    return wanted


def unrecorded_conflicts(contest: Contest) -> dict[tuple[int, int], str]:
    """The (judge, entry) pairs the regions make a conflict now that no stored
    conflict records yet, with the reason: a delegate role given to a judge after
    scoring (the contest app cannot call judging, so the sync runs at the next
    judging write, the advancement or the publication). Results read it so such a
    sheet never counts meanwhile. One query when no judge is a delegate."""
    judges = list(
        contest.judges.filter(user__delegate_roles__contest=contest)
        .distinct()
        .only("pk", "user", "home_region")
    )
    if not judges:
        return {}
    wanted = derived_conflicts(contest, judges=judges)
    stored = set(
        ConflictOfInterest.objects.filter(judge__in=judges).values_list(
            "judge_id", "submission_id"
        )
    )
    return {
        pair: str(ConflictRule(rule).label)
        for pair, rule in wanted.items()
        if pair not in stored
    }


def conflict_between(*, judge: Judge, submission: Submission) -> Conflict | None:
    """The conflict of interest between a judge and an entry, derived (from the
    current home region and delegate roles) or declared."""
    homes = delegate_regions(judge.contest_id, [judge.user_id]).get(judge.user_id, [])
    rule = judge_rule(judge.home_region_id, homes, submission.region_id)
    if rule is not None:
        return Conflict(
            source=ConflictSource.DERIVED, reason=str(ConflictRule(rule).label)
        )
    # Derived rows are only a record of the rule above (kept in step by
    # sync_derived_conflicts); a stale one must not decide.
    stored = (
        ConflictOfInterest.objects.filter(
            judge=judge, submission=submission, source=ConflictSource.DECLARED
        )
        .order_by("pk")
        .first()
    )
    if stored is None:
        return None
    return Conflict(source=stored.source, reason=stored.reason_text)


def with_conflict_flag(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Annotate `conflicted` on assignments: derived from the regions' province codes
    (the judge's home region or a region they are a delegate of in the contest, see
    judging/conflicts.py), computed from the current rows, or declared."""
    stored = ConflictOfInterest.objects.filter(
        judge_id=OuterRef("judge_id"),
        submission_id=OuterRef("submission_id"),
        source=ConflictSource.DECLARED,
    )
    delegate = Delegate.objects.annotate(province=Substr("region_id", 1, 2)).filter(
        contest_id=OuterRef("judge__contest_id"),
        user_id=OuterRef("judge__user_id"),
        province=OuterRef("entry_province"),
    )
    return qs.annotate(
        judge_province=Coalesce(Substr("judge__home_region_id", 1, 2), Value("")),
        entry_province=Substr("submission__region_id", 1, 2),
    ).annotate(
        conflicted=Case(
            When(
                Q(judge_province=F("entry_province"))
                | Q(Exists(stored))
                | Q(Exists(delegate)),
                then=True,
            ),
            default=False,
            output_field=BooleanField(),
        ),
    )


def conflicts_of(contest: Contest) -> QuerySet[ConflictOfInterest]:
    return (
        ConflictOfInterest.objects.filter(judge__contest=contest)
        .select_related(
            "judge", "judge__user", "submission", "submission__region", "declared_by"
        )
        .order_by("-created_at", "-pk")
    )


def stored_conflict_pairs(contest: Contest) -> set[tuple[int, int]]:
    return set(
        ConflictOfInterest.objects.filter(judge__contest=contest).values_list(
            "judge_id", "submission_id"
        )
    )


# ---------------------------------------------------------------- judges and panels


def judges_of(contest: Contest) -> QuerySet[Judge]:
    return (
        contest.judges.select_related("user", "home_region")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("order", "name")),
            Prefetch("panels", queryset=Category.objects.order_by("order", "name")),
        )
        .annotate(assignment_count=Count("assignments", distinct=True))
        .order_by("name", "user__email", "pk")
    )


@dataclass
class Panel:
    category: Category
    judges: list[Judge] = field(default_factory=list)


def panels_of(contest: Contest, judges: Iterable[Judge]) -> list[Panel]:
    """Each category with the judges on its panel (a judge without panels sits on
    every one). `judges` come from judges_of, with their panels prefetched."""
    panels = [Panel(category) for category in contest.categories.order_by("order")]
    for judge in judges:
        chosen = {category.pk for category in judge.panels.all()}
        for panel in panels:
            if not chosen or panel.category.pk in chosen:
                panel.judges.append(judge)
    return panels


# ---------------------------------------------------------------- stages and entries


def scoring_stages(contest: Contest) -> QuerySet[Stage]:
    return contest.stages.filter(kind="scoring").order_by("order")


def previous_scoring_stage(stage: Stage) -> Stage | None:
    return (
        Stage.objects.filter(
            contest_id=stage.contest_id, kind="scoring", order__lt=stage.order
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
            contest_id=stage.contest_id, kind="scoring", order__gt=stage.order
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


def entries_short_of_judges(stage: Stage) -> QuerySet[Submission]:
    """The stage's entries with fewer counted judges than it asks for (e.g. after a
    judge declared a conflict, before or after submitting), annotated with
    `judge_count` (judges whose sheet counts) and `excluded_count`."""
    return (
        stage_entries(stage)
        .annotate(
            judge_count=Count("assignments", filter=counted_assignments(stage)),
            excluded_count=Count(
                "assignments",
                filter=Q(assignments__stage=stage)
                & Q(assignments__sheet__excluded_at__isnull=False),
            ),
        )
        .filter(judge_count__lt=stage.judges_per_entry)
    )


def excluded_sheets(stage: Stage) -> QuerySet[ScoreSheet]:
    """The stage's sheets taken out of the results (kept, with the reason)."""
    return (
        ScoreSheet.objects.filter(assignment__stage=stage, excluded_at__isnull=False)
        .select_related("assignment", "assignment__judge", "assignment__submission")
        .order_by("assignment__submission__title", "assignment__judge__name", "pk")
    )


def submitted_sheet_exists(stage: Stage) -> bool:
    return ScoreSheet.objects.filter(
        assignment__stage=stage, state=SheetState.SUBMITTED
    ).exists()


# ---------------------------------------------------------------- assignments


def _assignment_relations(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return qs.select_related(
        "stage",
        "stage__contest",
        "judge",
        "judge__user",
        "submission",
        "submission__contest",
        "submission__category",
        "submission__region",
        "sheet",
    )


def assignments_for_judge(user) -> QuerySet[Assignment]:
    """The user's own assignments across contests, never on a conflicted or withdrawn
    entry, the soonest due first."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    qs = with_conflict_flag(
        _assignment_relations(Assignment.objects.filter(judge__user_id=user.pk))
    )
    return (
        qs.filter(conflicted=False)
        .exclude(submission__state=SubmissionState.WITHDRAWN)
        .order_by("stage__closes", "stage__contest__name", "submission__title", "pk")
    )


def assignments_visible_to(user) -> QuerySet[Assignment]:
    """One's own assignments (not conflicted) and those of the contests one runs."""
    qs = with_conflict_flag(_assignment_relations(Assignment.objects.all()))
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(judge__user_id=user.pk, conflicted=False)
        | Q(stage__contest_id__in=organized_contest_ids(user))
    )


def assigned_submission_ids(user, *, contest_id: int) -> QuerySet:
    """The entries of a contest the user judges at some stage, without a conflict."""
    qs = with_conflict_flag(
        Assignment.objects.filter(judge__user_id=user.pk, judge__contest_id=contest_id)
    )
    return qs.filter(conflicted=False).values_list("submission_id", flat=True)


def assignments_of_stage(stage: Stage) -> QuerySet[Assignment]:
    return with_conflict_flag(_assignment_relations(stage.assignments.all())).order_by(
        "submission__category__order", "submission__title", "judge__name", "pk"
    )


def stage_loads(stage: Stage) -> dict[int, int]:
    return dict(
        stage.assignments.values("judge_id")
        .annotate(n=Count("id"))
        .values_list("judge_id", "n")
        .order_by()
    )


def evidence_of(submission: Submission) -> QuerySet[Evidence]:
    return submission.evidence.select_related("criterion").order_by("created_at", "pk")


def with_evidence(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return qs.prefetch_related(
        Prefetch(
            "submission__evidence",
            queryset=Evidence.objects.select_related("criterion").order_by(
                "created_at", "pk"
            ),
        )
    )


# ---------------------------------------------------------------- sheets


def scores_by_criterion(sheet: ScoreSheet | None) -> dict[int, Score]:
    if sheet is None:
        return {}
    return {score.criterion_id: score for score in sheet.scores.all()}


def criteria_of(stage: Stage) -> QuerySet[Criterion]:
    return stage.criteria.order_by("order", "pk")


def unscored_criteria(
    criteria: Iterable[Criterion], scores: dict[int, Score]
) -> list[Criterion]:
    return [c for c in criteria if c.pk not in scores or scores[c.pk].value is None]


@dataclass
class PeerSheet:
    judge_label: str
    score: Decimal | None
    cells: list[Decimal | None]
    comment: str


def peer_sheets(assignment: Assignment, criteria: list[Criterion]) -> list[PeerSheet]:
    """The other judges' submitted sheets on the same entry and stage, anonymous
    (Judge A, B, ...), with their 0-100 scores."""
    sheets = (
        ScoreSheet.objects.filter(
            assignment__stage_id=assignment.stage_id,
            assignment__submission_id=assignment.submission_id,
            state=SheetState.SUBMITTED,
        )
        .exclude(assignment_id=assignment.pk)
        .prefetch_related("scores")
        .order_by("assignment__judge_id")
    )
    rubric = _rubric(criteria)
    out = []
    for index, sheet in enumerate(sheets):
        values = {score.criterion_id: score.value for score in sheet.scores.all()}
        out.append(
            PeerSheet(
                judge_label=chr(ord("A") + index % 26),
                score=_sheet_score(values, rubric),
                cells=[values.get(criterion.pk) for criterion in criteria],
                comment=sheet.comment,
            )
        )
    return out


def _rubric(criteria: Iterable[Criterion]) -> list[scoring.Criterion]:
    return [
        scoring.Criterion(
            id=c.pk, weight=c.weight, min_score=c.min_score, max_score=c.max_score
        )
        for c in criteria
    ]


def _sheet_score(
    values: dict[int, Decimal | None], rubric: list[scoring.Criterion]
) -> Decimal | None:
    if not rubric:
        return None
    try:
        return scoring.sheet_score(values=values, criteria=rubric)
    except ValueError:
        return None


def sheet_score_of(
    sheet: ScoreSheet | None, criteria: list[Criterion]
) -> Decimal | None:
    if sheet is None:
        return None
    values = {score.criterion_id: score.value for score in sheet.scores.all()}
    return _sheet_score(values, _rubric(criteria))


# ---------------------------------------------------------------- progress


@dataclass
class ProgressRow:
    """Counts of one judge's (or one category's) assignments by progress."""

    label: str
    total: int
    not_started: int
    draft: int
    submitted: int
    obj: object = None

    @property
    def late(self) -> int:
        return self.total - self.submitted


def _progress_counts(qs, key: str) -> dict[int, dict[str, int]]:
    rows = (
        qs.values(key)
        .annotate(
            total=Count("id"),
            draft=Count("id", filter=Q(sheet__state=SheetState.DRAFT)),
            submitted=Count("id", filter=Q(sheet__state=SheetState.SUBMITTED)),
        )
        .order_by()
    )
    return {row[key]: row for row in rows}


def _row(label: str, counts: dict | None, obj=None) -> ProgressRow:
    counts = counts or {"total": 0, "draft": 0, "submitted": 0}
    return ProgressRow(
        label=label,
        total=counts["total"],
        not_started=counts["total"] - counts["draft"] - counts["submitted"],
        draft=counts["draft"],
        submitted=counts["submitted"],
        obj=obj,
    )


def progress_by_judge(stage: Stage) -> list[ProgressRow]:
    """Every judge of the contest with their assignments in the stage (two queries)."""
    counts = _progress_counts(stage.assignments.all(), "judge_id")
    judges = stage.contest.judges.select_related("user").order_by("name", "pk")
    return [_row(str(judge), counts.get(judge.pk), judge) for judge in judges]


def progress_by_category(stage: Stage) -> list[ProgressRow]:
    counts = _progress_counts(stage.assignments.all(), "submission__category_id")
    categories = stage.contest.categories.order_by("order", "name")
    return [_row(c.name, counts.get(c.pk), c) for c in categories]


def late_judges(stage: Stage) -> QuerySet[Judge]:
    """Judges with an assignment in the stage whose sheet is not submitted."""
    unsubmitted = Assignment.objects.filter(
        stage=stage, judge_id=OuterRef("pk")
    ).exclude(sheet__state=SheetState.SUBMITTED)
    return (
        stage.contest.judges.filter(Exists(unsubmitted))
        .select_related("user")
        .annotate(
            unsubmitted=Count(
                "assignments",
                filter=Q(assignments__stage=stage)
                & ~Q(assignments__sheet__state=SheetState.SUBMITTED),
            )
        )
        .order_by("name", "pk")
    )


@dataclass
class FlaggedEntry:
    submission: Submission
    scores: list[Decimal]
    spread: Decimal
    judges: int


def entry_sheet_scores(stage: Stage) -> dict[int, list[Decimal]]:
    """The 0-100 scores of each entry's complete submitted sheets (two queries)."""
    rubric = _rubric(criteria_of(stage))
    if not rubric:
        return {}
    rows = Score.objects.filter(
        sheet__assignment__stage=stage, sheet__state=SheetState.SUBMITTED
    ).values_list(
        "sheet_id", "sheet__assignment__submission_id", "criterion_id", "value"
    )
    sheets: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    entry_of: dict[int, int] = {}
    for sheet_id, submission_id, criterion_id, value in rows.order_by():
        sheets[sheet_id][criterion_id] = value
        entry_of[sheet_id] = submission_id
    scores: dict[int, list[Decimal]] = defaultdict(list)
    for sheet_id, values in sheets.items():
        score = _sheet_score(values, rubric)
        if score is not None:
            scores[entry_of[sheet_id]].append(score)
    return dict(scores)


def flagged_entries(stage: Stage) -> list[FlaggedEntry]:
    """Entries whose submitted sheets spread more than the stage's threshold, the
    widest spread first (three queries)."""
    flagged = {}
    for submission_id, scores in entry_sheet_scores(stage).items():
        if len(scores) < 2:
            continue
        spread = max(scores) - min(scores)
        if spread > stage.disagreement_threshold:
            flagged[submission_id] = (sorted(scores), spread)
    if not flagged:
        return []
    judges = dict(
        stage.assignments.filter(submission_id__in=flagged)
        .values("submission_id")
        .annotate(n=Count("id"))
        .values_list("submission_id", "n")
        .order_by()
    )
    submissions = Submission.objects.filter(pk__in=flagged).select_related(
        "category", "region"
    )
    out = [
        FlaggedEntry(
            submission=submission,
            scores=flagged[submission.pk][0],
            spread=flagged[submission.pk][1],
            judges=judges.get(submission.pk, 0),
        )
        for submission in submissions
    ]
    return sorted(out, key=lambda row: (-row.spread, row.submission.title))
