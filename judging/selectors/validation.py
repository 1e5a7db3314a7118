"""Reads for indicator validation: a validator's queue, an entry's indicators
with their answers, evidence and verdicts, the stage's progress and the
quality-control sample. Each runs a constant number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from contest.indicators import level_points
from contest.models import Criterion, Stage
from contest.rules import is_contest_organizer
from judging.conflicts import judge_rule
from judging.enums import ConflictSource, QualityCheck, Verdict
from judging.models import Assignment, ConflictOfInterest, Judge
from judging.models_formats import IndicatorValidation
from judging.selectors.stage_entries import stage_entries
from submissions.models import Evidence, Submission
from submissions.models_answers import IndicatorAnswer

VERDICTS = (Verdict.VALID, Verdict.INVALID, Verdict.REVISION)


def indicators_of(stage: Stage) -> list[Criterion]:
    return list(stage.criteria.order_by("order", "pk"))


def _verdict_count(stage: Stage, verdict: str) -> Coalesce:
    rows = (
        IndicatorValidation.objects.filter(
            stage=stage, submission_id=OuterRef("submission_id"), verdict=verdict
        )
        .order_by()
        .values("submission_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def validation_queue(stage: Stage, user) -> QuerySet[Assignment]:
    """The user's assignments in the stage on entries they are not conflicted
    with, each with `n_valid`, `n_invalid`, `n_revision` (pending: the stage's
    indicators less these)."""
    return (
        Assignment.objects.filter(stage=stage, judge__user_id=user.pk)
        .without_conflict()
        .select_related("submission__region", "submission__category")
        .annotate(
            n_valid=_verdict_count(stage, Verdict.VALID),
            n_invalid=_verdict_count(stage, Verdict.INVALID),
            n_revision=_verdict_count(stage, Verdict.REVISION),
        )
        .order_by("submission__title", "pk")
    )


def validation_progress(stage: Stage) -> dict[str, int]:
    """The stage's verdicts counted over its entries times indicators (pending: those
    without a verdict), and the quality-control sample's counts."""
    entries = stage_entries(stage).count()
    indicators = stage.criteria.count()
    counts = Counter(
        dict(
            IndicatorValidation.objects.filter(stage=stage)
            .order_by()
            .values_list("verdict")
            .annotate(n=Count("pk"))
        )
    )
    qc = Counter(
        dict(
            IndicatorValidation.objects.filter(stage=stage)
            .exclude(qc_state=QualityCheck.NOT_SAMPLED)
            .order_by()
            .values_list("qc_state")
            .annotate(n=Count("pk"))
        )
    )
    decided = sum(counts[v] for v in VERDICTS)
    return {
        "entries": entries,
        "indicators": indicators,
        "total": entries * indicators,
        "pending": max(entries * indicators - decided, 0),
        "valid": counts[Verdict.VALID],
        "invalid": counts[Verdict.INVALID],
        "revision": counts[Verdict.REVISION],
        "sampled": qc[QualityCheck.SAMPLED],
        "confirmed": qc[QualityCheck.CONFIRMED],
        "overturned": qc[QualityCheck.OVERTURNED],
    }


@dataclass
class IndicatorRow:
    """One indicator of one entry: the answer, its points, evidence, verdict."""

    criterion: Criterion
    answer: IndicatorAnswer | None = None
    validation: IndicatorValidation | None = None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def points(self) -> Decimal | None:
        level = self.answer.level if self.answer else None
        return level_points(self.criterion.levels, level)

    @property
    def level_label(self) -> str:
        level = self.answer.level if self.answer else None
        levels = self.criterion.levels or []
        if level is None or not 0 <= level < len(levels):
            return ""
        return levels[level]["label"]

    @property
    def verdict(self) -> str:
        """Pending when there is no verdict or the answer changed since."""
        v = self.validation
        if v is None or (self.answer is not None and v.level != self.answer.level):
            return Verdict.PENDING
        return v.verdict


def indicator_rows(stage: Stage, submission_ids: list[int]) -> dict[int, list[Any]]:
    """{entry id: [IndicatorRow per indicator of the stage]} in four queries."""
    criteria = indicators_of(stage)
    answers = {
        (a.submission_id, a.criterion_id): a
        for a in IndicatorAnswer.objects.filter(
            submission_id__in=submission_ids, criterion__stage=stage
        )
    }
    validations = {
        (v.submission_id, v.criterion_id): v
        for v in IndicatorValidation.objects.filter(
            stage=stage, submission_id__in=submission_ids
        ).select_related("validated_by")
    }
    evidence = defaultdict(list)
    for item in Evidence.objects.filter(
        submission_id__in=submission_ids, criterion__stage=stage
    ).order_by("pk"):
        evidence[(item.submission_id, item.criterion_id)].append(item)
    return {
        sid: [
            IndicatorRow(
                criterion=c,
                answer=answers.get((sid, c.pk)),
                validation=validations.get((sid, c.pk)),
                evidence=evidence[(sid, c.pk)],
            )
            for c in criteria
        ]
        for sid in submission_ids
    }


def validation_entries(stage: Stage, user) -> QuerySet[Submission]:
    """The entries whose validations the user reads in the stage: an organizer
    every entry of the stage, a judge those assigned to them without a conflict."""
    if is_contest_organizer.test(user, stage.contest):
        return stage_entries(stage)
    mine = (
        Assignment.objects.filter(stage=stage, judge__user_id=user.pk)
        .without_conflict()
        .values("submission_id")
    )
    return (
        Submission.objects.filter(pk__in=mine)
        .select_related("category", "region")
        .order_by("title", "pk")
    )


def _gave_it(validation: IndicatorValidation, user) -> bool:
    judge = validation.validated_by
    return judge is not None and judge.user_id == user.pk


def qc_sample(stage: Stage, user) -> list[IndicatorValidation]:
    """The stage's sampled validations the user may check: an organizer all, a
    judge of the stage those they did not give, on entries they are not
    conflicted with (a judge of no assignment in the stage sees none)."""
    rows = list(
        IndicatorValidation.objects.filter(stage=stage)
        .exclude(qc_state=QualityCheck.NOT_SAMPLED)
        .select_related("submission__region", "criterion", "validated_by__user")
        .order_by("submission__title", "criterion__order", "pk")
    )
    if is_contest_organizer.test(user, stage.contest):
        # Never one's own: an organizer who also validated does not check it.
        return [r for r in rows if not _gave_it(r, user)]
    judge = Judge.objects.filter(contest_id=stage.contest_id, user_id=user.pk).first()
    if judge is None or not (
        Assignment.objects.filter(stage=stage, judge=judge).without_conflict().exists()
    ):
        return []
    homes = list(
        user.delegate_roles.filter(contest_id=stage.contest_id).values_list(
            "region_id", flat=True
        )
    )
    declared = set(
        ConflictOfInterest.objects.filter(
            judge=judge, source=ConflictSource.DECLARED
        ).values_list("submission_id", flat=True)
    )
    return [
        v
        for v in rows
        if v.validated_by_id != judge.pk
        and v.submission_id not in declared
        and judge_rule(judge.home_region_id, homes, v.submission.region_id) is None
    ]
