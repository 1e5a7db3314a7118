"""How far the judges of a stage are, and where their scores disagree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from common.kept import KeptInProcess
from contest import ledger
from contest.models import Stage
from judging.enums import SheetState
from judging.models import Assignment, Judge, Score
from judging.selectors.sheets import criteria_of, prepared_rubric_of, score_of_values
from submissions.models import Submission


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


# The counts per judge or category: every assignment, and those per sheet state.
TOTAL = "total"
DRAFT = SheetState.DRAFT.value
SUBMITTED = SheetState.SUBMITTED.value


COUNTS = (TOTAL, DRAFT, SUBMITTED)


def _progress_counts(qs, *keys: str) -> list[dict]:
    """The assignments of `qs` counted per `keys`: all, draft, submitted."""
    return list(
        qs.values(*keys)
        .annotate(
            **{
                TOTAL: Count("id"),
                DRAFT: Count("id", filter=Q(sheet__state=SheetState.DRAFT)),
                SUBMITTED: Count("id", filter=Q(sheet__state=SheetState.SUBMITTED)),
            }
        )
        .order_by()
    )


def _row(label: str, counts: dict | None, obj=None) -> ProgressRow:
    counts = counts or dict.fromkeys((TOTAL, DRAFT, SUBMITTED), 0)
    return ProgressRow(
        label=label,
        total=counts[TOTAL],
        not_started=counts[TOTAL] - counts[DRAFT] - counts[SUBMITTED],
        draft=counts[DRAFT],
        submitted=counts[SUBMITTED],
        obj=obj,
    )


def progress_by_judge(stage: Stage) -> list[ProgressRow]:
    """Every judge of the contest with their assignments in the stage."""
    return progress_rows(stage)[0]


def progress_by_category(stage: Stage) -> list[ProgressRow]:
    return progress_rows(stage)[1]


def progress_rows(stage: Stage) -> tuple[list[ProgressRow], list[ProgressRow]]:
    """The stage's progress per judge (every judge of the contest) and per
    category, from one grouping of its assignments by both (three queries)."""
    by_judge: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    by_category: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(COUNTS, 0)
    )
    pairs = _progress_counts(
        stage.assignments.all(), "judge_id", "submission__category_id"
    )
    for row in pairs:
        for totals in (
            by_judge[row["judge_id"]],
            by_category[row["submission__category_id"]],
        ):
            for name in COUNTS:
                totals[name] += row[name]
    judges = stage.contest.judges.select_related("user").order_by("name", "pk")
    categories = stage.contest.categories.order_by("order", "name")
    return (
        [_row(str(judge), by_judge.get(judge.pk), judge) for judge in judges],
        [_row(c.name, by_category.get(c.pk), c) for c in categories],
    )


def late_assignments(stage_ids) -> QuerySet[Assignment]:
    """The assignments of the stages whose sheet is not submitted, of judges
    whose account is active: the one meaning of "behind" for the progress page,
    the reminders and the organizers' messages. An assignment the judge turned
    out to be conflicted with is not theirs to score, so it is left out."""
    conflicted = (
        Assignment.objects.filter(stage_id__in=stage_ids)
        .with_conflict_flag()
        .filter(conflicted=True)
        .values("pk")
    )
    return (
        Assignment.objects.filter(stage_id__in=stage_ids, judge__user__is_active=True)
        .exclude(sheet__state=SheetState.SUBMITTED)
        .exclude(pk__in=conflicted)
    )


def late_judges(stage: Stage) -> QuerySet[Judge]:
    """Judges behind in the stage (late_assignments), each with how many of
    their sheets are unsubmitted (`unsubmitted`)."""
    theirs = late_assignments([stage.pk]).filter(judge_id=OuterRef("pk"))
    count = theirs.order_by().values("judge_id").annotate(n=Count("pk")).values("n")
    return (
        stage.contest.judges.filter(Exists(theirs))
        .select_related("user")
        .annotate(unsubmitted=Subquery(count))
        .order_by("name", "pk")
    )


@dataclass
class FlaggedEntry:
    submission: Submission
    scores: list[Decimal]
    spread: Decimal
    judges: int


def entry_sheet_scores(
    stage: Stage, criteria: list | None = None
) -> dict[int, list[Decimal]]:
    """The 0-100 scores of each entry's complete submitted sheets (two queries, one
    when the stage's `criteria` are given); the rubric is prepared once for all
    the stage's sheets."""
    rubric = prepared_rubric_of(criteria_of(stage) if criteria is None else criteria)
    if rubric is None:
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
        score = score_of_values(values, rubric)
        if score is not None:
            scores[entry_of[sheet_id]].append(score)
    return dict(scores)


FLAGGED_PER_PAGE = 50


# The flagged entries of the stages last shown, in their order, found again by
# everything they are computed from: the stage, its threshold and rubric, the
# ledger's head (submitting, reopening and excluding sheets are audited, as are
# the entries' titles).
_kept_flagged: KeptInProcess[list] = KeptInProcess(8)


def _spreads(stage: Stage, criteria: list) -> dict[int, tuple[list[Decimal], Decimal]]:
    """Each flagged entry's sorted scores and spread, above the stage's threshold."""
    flagged = {}
    for submission_id, scores in entry_sheet_scores(stage, criteria).items():
        if len(scores) < 2:
            continue
        spread = max(scores) - min(scores)
        if spread > stage.disagreement_threshold:
            flagged[submission_id] = (sorted(scores), spread)
    return flagged


def _flagged_order(stage: Stage) -> list[tuple[int, list[Decimal], Decimal]]:
    """(entry id, sorted scores, spread) of every flagged entry, the widest spread
    first, then by title (kept, outside a transaction, until the ledger moves)."""
    stamp = ledger.kept_stamp()
    criteria = list(criteria_of(stage))
    key = None
    if stamp is not None:
        rubric = [(c.pk, c.weight, c.min_score, c.max_score) for c in criteria]
        key = (stage.pk, stage.disagreement_threshold, tuple(rubric), stamp)
        found = _kept_flagged.get(key)
        if found is not None:
            return found
    flagged = _spreads(stage, criteria)
    titles = (
        dict(Submission.objects.filter(pk__in=flagged).values_list("pk", "title"))
        if flagged
        else {}
    )
    order = sorted(
        ((pk, scores, spread) for pk, (scores, spread) in flagged.items()),
        key=lambda row: (-row[2], titles.get(row[0], ""), row[0]),
    )
    return order if key is None else _kept_flagged.put(key, order)


def _rows_of(order: list[tuple[int, list[Decimal], Decimal]]) -> list[FlaggedEntry]:
    """The flagged rows of `order` with their entries (one query, the columns the
    page shows), judges not yet counted."""
    if not order:
        return []
    submissions = (
        Submission.objects.filter(pk__in=[pk for pk, _, _ in order])
        .select_related("category", "region")
        .only("pk", "title", "category__name", "region__name")
        .in_bulk()
    )
    return [
        FlaggedEntry(submission=submissions[pk], scores=scores, spread=spread, judges=0)
        for pk, scores, spread in order
        if pk in submissions
    ]


def _count_judges(stage: Stage, rows: list[FlaggedEntry]) -> None:
    judges = dict(
        stage.assignments.filter(submission_id__in=[r.submission.pk for r in rows])
        .values("submission_id")
        .annotate(n=Count("id"))
        .values_list("submission_id", "n")
        .order_by()
    )
    for row in rows:
        row.judges = judges.get(row.submission.pk, 0)


def flagged_entries(stage: Stage) -> list[FlaggedEntry]:
    """Entries whose submitted sheets spread more than the stage's threshold, the
    widest spread first (at most four queries)."""
    rows = _rows_of(_flagged_order(stage))
    if rows:
        _count_judges(stage, rows)
    return rows


def flagged_page(stage: Stage, number, per_page: int | None = None) -> Page:
    """One page of :func:`flagged_entries` (the widest spreads first, by
    ``FLAGGED_PER_PAGE``); only the page's entries are loaded and their judges
    counted."""
    page = Paginator(_flagged_order(stage), per_page or FLAGGED_PER_PAGE).get_page(
        number
    )
    page.object_list = _rows_of(list(page.object_list))
    if page.object_list:
        _count_judges(stage, page.object_list)
    return page
