"""One entry as its delegates follow it: its state in words, the deadline that
matters now, what is missing, the screening, the stage it reached, the published
rank and awards, its feedback and the objections about it, read in a fixed
number of queries whatever the entry holds.

Lives in results (the app that knows every layer below it): submissions has the
entry's own pages and links here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import rules
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from contest.enums import StageKind
from contest.models import Stage
from contest.rules import is_contest_organizer
from judging.models import StageEntry
from results.enums import PublicationKind
from results.models import Objection, Publication
from results.selectors.feedback import FeedbackEntry, feedback_for_region
from results.selectors.publication import CURRENT_FIRST
from results.selectors.snapshot import published_snapshot
from submissions.enums import ReviewStatus, SubmissionState
from submissions.models import Evidence, Submission
from submissions.rules import open_for_changes
from submissions.selectors import Checklist, submission_checklist

S = SubmissionState


@dataclass(frozen=True)
class Deadline:
    label: str
    at: dt.datetime

    @property
    def passed(self) -> bool:
        return self.at <= timezone.now()


@dataclass
class StageStep:
    stage: Stage
    reached: bool
    current: bool = False


@dataclass(frozen=True)
class PublishedStage:
    """The entry's figures at one stage as the publication froze them."""

    stage_id: int
    name: str
    raw_score: str | None
    normalized_score: str | None
    rank: int | None


@dataclass
class EntryDashboard:
    submission: Submission
    headline: str
    explanation: str
    tone: str
    deadline: Deadline | None
    checklist: Checklist | None
    missing_labels: list[str]
    evidence_notes: list[Evidence]
    steps: list[StageStep]
    stage_reached: Stage | None
    publication: Publication | None
    published: dict[str, Any] | None
    objections_open: bool
    feedback: FeedbackEntry | None
    objections: list[Objection] = field(default_factory=list)
    stage_scores: list[PublishedStage] = field(default_factory=list)

    @property
    def is_provisional(self) -> bool:
        return (
            self.publication is not None
            and self.publication.kind == PublicationKind.PROVISIONAL
        )

    @property
    def awards(self) -> list[str]:
        return list(self.published.get("awards", [])) if self.published else []

    @property
    def rank(self) -> int | None:
        return self.published.get("final_rank") if self.published else None


def _words(submission: Submission, stage_reached: Stage | None) -> tuple[str, str]:
    """The entry's state as a heading and a sentence a delegate understands."""
    state = submission.state
    if state == S.DRAFT:
        return _("Draft: not submitted yet"), _(
            "Only your region's delegates see it. Submit it before the deadline."
        )
    if state == S.SUBMITTED:
        return _("Submitted: awaiting the administrative screening"), _(
            "The organizers check its data and evidence; you will be told the outcome."
        )
    if state == S.REVISION_REQUESTED:
        return _("Sent back for revision"), _(
            "Change what the organizers ask for and submit it again before the "
            "deadline."
        )
    if state == S.ELIGIBLE:
        return _("Passed the administrative screening"), _(
            "The entry takes part in the judging."
        )
    if state == S.INELIGIBLE:
        return _("Did not pass the administrative screening"), _(
            "The entry was found ineligible and takes no part in the judging."
        )
    if state == S.ADVANCED:
        return _("Advanced to the next stage"), _(
            "The entry passed the screening and advanced from a scoring stage."
        )
    if state == S.NOT_ADVANCED:
        reached = stage_reached.name if stage_reached else pgettext("stage", "judging")
        return _("Passed the screening; did not advance further"), _(
            "The entry was judged up to “%(stage)s” and did not advance beyond it."
        ) % {"stage": reached}
    return _("Withdrawn"), _("The entry no longer takes part in the contest.")


def _deadline(
    submission: Submission, provisional_open: Publication | None
) -> Deadline | None:
    contest = submission.contest
    if provisional_open is not None:
        return Deadline(_("Objections close"), provisional_open.objections_close)
    if submission.state == S.REVISION_REQUESTED and submission.revision_deadline:
        return Deadline(_("Revised entry due"), submission.revision_deadline)
    if submission.state == S.DRAFT and contest.submission_closes:
        return Deadline(_("Submissions close"), contest.submission_closes)
    return None


def _steps(submission: Submission) -> tuple[list[StageStep], Stage | None]:
    """The contest's stages in order, each marked reached or not: the screening
    once the entry passed it, a scoring stage once the entry takes part in it."""
    stages = list(Stage.objects.filter(contest_id=submission.contest_id))
    joined = set(
        StageEntry.objects.filter(submission=submission).values_list(
            "stage_id", flat=True
        )
    )
    passed_screening = submission.state in (S.ELIGIBLE, S.ADVANCED, S.NOT_ADVANCED)
    steps = [
        StageStep(
            stage=stage,
            reached=stage.pk in joined
            or (stage.kind == StageKind.SCREENING and passed_screening),
        )
        for stage in sorted(stages, key=lambda s: (s.order, s.pk))
    ]
    reached = [step for step in steps if step.reached]
    if reached:
        reached[-1].current = True
    return steps, reached[-1].stage if reached else None


def _objections(user, submission: Submission) -> list[Objection]:
    """The objections about the entry that the user may read: an organizer all of
    them, a delegate those filed by the region's delegates."""
    qs = Objection.objects.filter(submission=submission).select_related(
        "publication", "answered_by", "submission__region"
    )
    if not is_contest_organizer.test(user, submission.contest):
        delegates = submission.contest.delegates.filter(
            region_id=submission.region_id
        ).values("user_id")
        qs = qs.filter(filed_by_id__in=delegates)
    return list(qs.order_by("filed_at", "pk"))


def _current_publication(submission: Submission) -> Publication | None:
    return (
        Publication.objects.filter(contest_id=submission.contest_id)
        .defer("snapshot")
        .order_by(*CURRENT_FIRST)
        .first()
    )


def _stage_scores(
    snapshot: dict[str, Any], published: dict[str, Any] | None
) -> list[PublishedStage]:
    """The entry's published figures per stage, in stage order, from the
    snapshot alone: what the publication froze, whatever changed since."""
    if not published:
        return []
    stages = {stage["id"]: stage for stage in snapshot.get("stages", [])}
    rows = sorted(
        published.get("stages", []),
        key=lambda row: (stages.get(row["stage"], {}).get("order", 0), row["stage"]),
    )
    return [
        PublishedStage(
            stage_id=row["stage"],
            name=stages.get(row["stage"], {}).get("name", ""),
            raw_score=row.get("raw_score"),
            normalized_score=row.get("normalized_score"),
            rank=row.get("rank"),
        )
        for row in rows
    ]


def _feedback(
    user, submission: Submission, publication: Publication | None, published: bool
) -> FeedbackEntry | None:
    """The entry's scores per criterion and the judges' comments: read from the
    sheets as they stand, so only where the feedback page shows them
    (results.read_feedback: after the final publication)."""
    if publication is None or not published:
        return None
    if not rules.has_perm("results.read_feedback", user, submission.contest):
        return None
    for item in feedback_for_region(submission.contest, submission.region, publication):
        if item.entry["id"] == submission.pk:
            return item
    return None


def entry_dashboard(user, submission: Submission) -> EntryDashboard:
    """The dashboard of one entry for `user` (a delegate of its region or an
    organizer; the view checks). The published facts (rank, awards, the score
    per stage) come from the current publication's snapshot, the provisional
    one's during its objection window; the feedback (scores per criterion and
    the judges' comments, read from the sheets) only after the final
    publication, as the feedback page (results.read_feedback)."""
    publication = _current_publication(submission)
    published = None
    stage_scores: list[PublishedStage] = []
    objections_open = False
    if publication is not None:
        prepared = published_snapshot(publication)
        published = prepared.entries.get(submission.pk)
        stage_scores = _stage_scores(prepared.snapshot, published)
        objections_open = (
            publication.kind == PublicationKind.PROVISIONAL
            and publication.objections_close is not None
            and publication.objections_close > timezone.now()
        )
    steps, stage_reached = _steps(submission)
    headline, explanation = _words(submission, stage_reached)
    editable = open_for_changes(submission)
    checklist = submission_checklist(submission) if editable else None
    return EntryDashboard(
        submission=submission,
        headline=headline,
        explanation=explanation,
        tone=submission.state_tone,
        deadline=_deadline(submission, publication if objections_open else None),
        checklist=checklist,
        missing_labels=[
            str(Submission._meta.get_field(name).verbose_name)
            for name in (checklist.missing_fields if checklist else [])
        ],
        evidence_notes=[
            item
            for item in submission.evidence.all()
            if item.review_status in (ReviewStatus.INVALID, ReviewStatus.NEEDS_REVISION)
        ],
        steps=steps,
        stage_reached=stage_reached,
        publication=publication,
        published=published,
        objections_open=objections_open,
        feedback=_feedback(user, submission, publication, published is not None),
        objections=_objections(user, submission),
        stage_scores=stage_scores,
    )
