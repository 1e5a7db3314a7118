"""Reads for an entry's indicator answers: the indicator stages it answers and,
per stage, each indicator with its answer, evidence and the validator's verdict
(judging's rows, read through the entry's reverse relation `validations`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from contest.enums import StageKind
from contest.models import Criterion, Stage
from submissions.models import Evidence, Submission
from submissions.models_answers import IndicatorAnswer
from submissions.services.indicators import DECIDED, PENDING, answer_window


def indicator_stages(submission: Submission) -> QuerySet[Stage]:
    return submission.contest.stages.filter(kind=StageKind.INDICATOR).order_by(
        "order", "pk"
    )


def entry_answers(submission: Submission) -> QuerySet[IndicatorAnswer]:
    return IndicatorAnswer.objects.filter(
        submission=submission, criterion__stage__kind=StageKind.INDICATOR
    ).order_by("criterion__stage__order", "criterion__order", "criterion_id")


@dataclass
class AnswerRow:
    criterion: Criterion
    answer: IndicatorAnswer | None = None
    validation: Any = None
    evidence: list[Evidence] = field(default_factory=list)
    editable: bool = False

    @property
    def level(self) -> int | None:
        return self.answer.level if self.answer else None

    @property
    def levels(self) -> list[dict[str, Any]]:
        """The levels, each with its position and whether it is the one chosen."""
        return [
            {**level, "index": n, "chosen": n == self.level}
            for n, level in enumerate(self.criterion.levels or [])
        ]

    @property
    def verdict(self) -> str:
        return self.validation.verdict if self.validation else PENDING


def answer_rows(submission: Submission, stage: Stage) -> list[AnswerRow]:
    """The stage's indicators for the entry (four queries)."""
    window = answer_window(submission, stage)
    criteria = list(stage.criteria.order_by("order", "pk"))
    answers = {
        a.criterion_id: a
        for a in IndicatorAnswer.objects.filter(
            submission=submission, criterion__stage=stage
        )
    }
    validations = {
        v.criterion_id: v for v in submission.validations.filter(stage=stage)
    }
    evidence = defaultdict(list)
    for item in Evidence.objects.filter(
        submission=submission, criterion__stage=stage
    ).order_by("pk"):
        evidence[item.criterion_id].append(item)
    rows = []
    for criterion in criteria:
        validation = validations.get(criterion.pk)
        decided = validation is not None and validation.verdict in DECIDED
        rows.append(
            AnswerRow(
                criterion=criterion,
                answer=answers.get(criterion.pk),
                validation=validation,
                evidence=evidence[criterion.pk],
                editable=window == "draft" or (window == "stage" and not decided),
            )
        )
    return rows
